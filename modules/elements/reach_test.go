package elements_test

import (
	"testing"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
)

// TestEachRoleReachesAsFarAsItsGrant: a tenant operator who also heads one body manages every
// body's officers and creates bodies (the operator's reach is the tenant's), as it reads every
// body's cases but takes the head's steps only in its body in cases' test of the same name; a
// body admin of one body who is an officer of another manages the officers of its own body only
// (a grant never lends another role's reach).
func TestEachRoleReachesAsFarAsItsGrant(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		body, err := w.svc.CreateBody(ctx, w.aOp, bodyInput("某局", 1))
		noErr(t, err)
		other, err := w.svc.CreateBody(ctx, w.aOp, bodyInput("另一局", 2))
		noErr(t, err)

		opHead := dbtest.GrantScope(w.a, "op-head", authz.Grant{Role: authz.TenantOperator, TenantID: w.a.ID},
			authz.Grant{Role: authz.BodyHead, TenantID: w.a.ID, BodyID: body.ID})
		_, err = w.svc.CreateOfficer(ctx, opHead, officerInput(other.ID, "钱七", 4))
		noErr(t, err)
		_, err = w.svc.CreateBody(ctx, opHead, bodyInput("新局", 5))
		noErr(t, err)

		lent := dbtest.GrantScope(w.a, "officer-admin", authz.Grant{Role: authz.Officer, TenantID: w.a.ID, BodyID: body.ID},
			authz.Grant{Role: authz.BodyAdmin, TenantID: w.a.ID, BodyID: other.ID})
		_, err = w.svc.CreateOfficer(ctx, lent, officerInput(other.ID, "孙八", 6))
		noErr(t, err)
		_, err = w.svc.CreateOfficer(ctx, lent, officerInput(body.ID, "周九", 7))
		wantCode(t, err, errs.Forbidden)
		_, err = w.svc.UpdateBody(ctx, lent, body.ID, bodyInput("某局（改名）", 1))
		wantCode(t, err, errs.Forbidden)
	})
}
