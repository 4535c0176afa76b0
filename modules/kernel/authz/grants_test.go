package authz_test

import (
	"slices"
	"strings"
	"testing"

	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
)

// TestMayGrant walks the grant table: every granter role x every role to grant, to itself and to
// another, at a body inside its reach, at a body outside it and at the tenant itself, granted
// tenant-wide and bound to one body. The roles each granter gives are written out here, not read
// from the table, so that a change of the table fails this test.
func TestMayGrant(t *testing.T) {
	staff := []authz.Role{authz.Officer, authz.LegalReviewer, authz.BodyHead, authz.BodyAdmin, authz.Supervisor, authz.Procurator, authz.TenantOperator}
	gives := map[authz.Role][]authz.Role{
		authz.TenantOperator: staff,
		authz.BodyAdmin:      {authz.Officer, authz.LegalReviewer},
	}
	const me, other = "granter", "someone-else"
	for _, granter := range append(append([]authz.Role{}, authz.Roles...), authz.Platform) {
		for _, bound := range []string{"", "A"} { // the granter's own grant: tenant-wide, or body A only
			reach := authz.Bind([]authz.Role{granter}, nil)
			if bound != "" {
				reach = authz.Bind([]authz.Role{granter}, []string{bound})
			}
			for _, role := range authz.Roles {
				for _, at := range []string{"A", "B", ""} {
					for _, to := range []string{me, other, ""} {
						err := reach.MayGrant(me, to, role, at)
						inReach := bound == "" || at == bound
						var want string // the rule refused, by its English words; "" allowed
						switch {
						case to == me:
							want = "to, or revokes one from, themselves"
						case !slices.Contains(gives[granter], role):
							want = "a body admin gives only the officer and legal reviewer roles"
						case !inReach || (granter == authz.BodyAdmin && at == ""):
							want = "only within the granter's own reach"
						}
						name := string(granter) + "@" + bound + " gives " + string(role) + "@" + at + " to " + to
						if want == "" {
							if err != nil {
								t.Errorf("%s: refused: %v", name, err)
							}
							continue
						}
						e, ok := err.(*errs.Error)
						if !ok || e.Code != errs.Forbidden || !strings.Contains(e.Message.EN, want) ||
							!strings.HasPrefix(e.Message.ZH, "授权规则：") || !strings.HasPrefix(e.Message.EN, "grant rule: ") {
							t.Errorf("%s: got %v, want Forbidden naming %q", name, err, want)
						}
					}
				}
			}
		}
	}
}

// TestMayGiveAgreesWithMayGrant: what /me offers to give (Reach.MayGive) is exactly what MayGrant
// allows for someone else, role by role, at bodies A and B and at the tenant itself, for every
// granter held tenant-wide, bound to body A, and the two combined; the body admin's offer is
// written out so that a change of the table fails here too.
func TestMayGiveAgreesWithMayGrant(t *testing.T) {
	reaches := map[string]authz.Reach{
		"operator":               authz.Bind([]authz.Role{authz.TenantOperator}, nil),
		"operator of A":          authz.Bind([]authz.Role{authz.TenantOperator}, []string{"A"}),
		"body admin":             authz.Bind([]authz.Role{authz.BodyAdmin}, nil),
		"body admin of A":        authz.Bind([]authz.Role{authz.BodyAdmin}, []string{"A"}),
		"officer":                authz.Bind([]authz.Role{authz.Officer}, nil),
		"head and admin of A":    authz.Bind([]authz.Role{authz.BodyHead, authz.BodyAdmin}, []string{"A"}),
		"admin of A, officer":    append(authz.Bind([]authz.Role{authz.BodyAdmin}, []string{"A"}), authz.Bind([]authz.Role{authz.Officer}, nil)...),
		"operator of A, admin B": append(authz.Bind([]authz.Role{authz.TenantOperator}, []string{"A"}), authz.Bind([]authz.Role{authz.BodyAdmin}, []string{"B"})...),
	}
	for name, r := range reaches {
		offer := map[authz.Role]authz.GrantableRole{}
		for _, g := range r.MayGive() {
			offer[g.Role] = g
		}
		for _, role := range authz.Roles {
			g, offered := offer[role]
			for _, at := range []string{"A", "B", ""} {
				allowed := r.MayGrant("me", "other", role, at) == nil
				says := offered && (at == "" && g.Tenant || at != "" && (g.AllBodies || slices.Contains(g.Bodies, at)))
				if allowed != says {
					t.Errorf("%s, %s at %q: MayGrant allows %v, MayGive offers %+v", name, role, at, allowed, g)
				}
			}
		}
	}
	got := authz.Bind([]authz.Role{authz.BodyAdmin}, []string{"A"}).MayGive()
	if len(got) != 2 || got[0].Role != authz.Officer || got[1].Role != authz.LegalReviewer || got[0].Tenant || !slices.Equal(got[0].Bodies, []string{"A"}) {
		t.Errorf("the body admin of A offers %+v, want officer and legal reviewer at A", got)
	}
}
