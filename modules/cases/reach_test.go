package cases_test

import (
	"testing"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/modules/cases"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// TestEachRoleReachesAsFarAsItsGrant: a tenant operator who also heads one body reads every
// body's cases (the operator's reach) but takes the head's steps only in the body headed; a
// grant for one body never lends another role's reach to it. The same scopes manage every
// body's officers in elements' TestEachRoleReachesAsFarAsItsGrant (authz.Reach).
func TestEachRoleReachesAsFarAsItsGrant(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		c := w.filed(t, person(), nil) // a case of w.body
		operatorHeading := func(body string) tenants.Scope {
			return dbtest.GrantScope(w.a, "op-head", authz.Grant{Role: authz.TenantOperator, TenantID: w.a.ID},
				authz.Grant{Role: authz.BodyHead, TenantID: w.a.ID, BodyID: body})
		}
		offers := func(sc tenants.Scope) (n int) {
			d, err := w.svc.Find(ctx, sc, c.ID)
			noErr(t, err)
			for _, na := range d.NextActions {
				if na.Allowed {
					n++
				}
			}
			return n
		}
		investigate := m{"on": "2025-09-05", "officer_ids": []string{w.o1.ID, w.o2.ID}, "record": "x"}

		other := operatorHeading(w.body2.ID)
		if n := offers(other); n != 0 {
			t.Errorf("the head of another body is offered %d steps of the case", n)
		}
		if err := w.try(other, c.ID, cases.ActInvestigate, investigate); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("the head of another body investigates: %v, want Forbidden", err)
		}
		if n := offers(operatorHeading(w.body.ID)); n == 0 {
			t.Errorf("the head of the case's body is offered no step")
		}

		// An officer of body2 who is also the admin of the case's body does not handle its cases.
		lent := dbtest.GrantScope(w.a, "officer-admin", authz.Grant{Role: authz.Officer, TenantID: w.a.ID, BodyID: w.body2.ID},
			authz.Grant{Role: authz.BodyAdmin, TenantID: w.a.ID, BodyID: w.body.ID})
		if err := w.try(lent, c.ID, cases.ActInvestigate, investigate); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("an officer of body2 administering the case's body investigates: %v, want Forbidden", err)
		}
		if err := w.try(w.officer, c.ID, cases.ActInvestigate, investigate); err != nil {
			t.Errorf("the case's own officer investigates: %v", err)
		}
	})
}
