package tenants_test

import (
	"slices"
	"strings"
	"testing"

	"zhifa/modules/kernel/authz"
	"zhifa/tenants"
)

// TestScopeReach is the one table of the authorisation rule (authz.Reach, asked through
// tenants.Scope): for every role, bound to a body or not, for the combinations that matter, and
// for the scopes code builds (system, read-only subtree, job, citizen portal, platform), which of
// the questions the modules ask it answers yes. The county tenant 350426 has bodies A and B; its
// city is 3504.
func TestScopeReach(t *testing.T) {
	county := &tenants.Tenant{ID: "350426", Path: "35/3504/350426"}
	const a, b = "body-a", "body-b"
	type question struct {
		name string
		ask  func(tenants.Scope) bool
	}
	questions := []question{
		{"acts:A", func(s tenants.Scope) bool { return s.ActsFor(a) }},
		{"acts:B", func(s tenants.Scope) bool { return s.ActsFor(b) }},
		{"cases.read:B", func(s tenants.Scope) bool { return s.CanFor(authz.CasesRead, b) }},
		{"cases.write:A", func(s tenants.Scope) bool { return s.CanFor(authz.CasesWrite, a) }},
		{"cases.write:B", func(s tenants.Scope) bool { return s.CanFor(authz.CasesWrite, b) }},
		{"cases.approve:A", func(s tenants.Scope) bool { return s.CanFor(authz.CasesApprove, a) }},
		{"cases.approve:B", func(s tenants.Scope) bool { return s.CanFor(authz.CasesApprove, b) }},
		{"elements.write:A", func(s tenants.Scope) bool { return s.CanFor(authz.ElementsWrite, a) }},
		{"elements.write:B", func(s tenants.Scope) bool { return s.CanFor(authz.ElementsWrite, b) }},
		{"elements.write:tenant", func(s tenants.Scope) bool { return s.CanFor(authz.ElementsWrite, "") }},
		{"admin:tenant", func(s tenants.Scope) bool { return s.Administers("") }},
		{"admin:A", func(s tenants.Scope) bool { return s.Administers(a) }},
		{"admin:B", func(s tenants.Scope) bool { return s.Administers(b) }},
		{"party.act:B", func(s tenants.Scope) bool { return s.CanFor(authz.PartyAct, b) }},
		{"payments.settle:B", func(s tenants.Scope) bool { return s.CanFor(authz.PaymentsSettle, b) }},
		{"read-only", func(s tenants.Scope) bool { return s.ReadOnly() }},
	}
	// granted builds the scope as the HTTP middleware does, from a principal's grants.
	granted := func(gs ...authz.Grant) tenants.Scope {
		p := &authz.Principal{IdentityID: "someone", Grants: gs}
		return tenants.GrantScope(county, p.IdentityID, p.ReachAt(county.ID, county.Ancestors()))
	}
	here := func(r authz.Role, body string) authz.Grant {
		return authz.Grant{Role: r, TenantID: county.ID, BodyID: body}
	}
	const reads = "acts:A acts:B cases.read:B"
	const admin = "elements.write:A elements.write:B elements.write:tenant admin:A admin:B"
	for _, c := range []struct {
		name string
		sc   tenants.Scope
		yes  string // the questions answered yes, all others no
	}{
		// Every role granted without a body reaches the whole tenant.
		{"officer", granted(here(authz.Officer, "")), reads + " cases.write:A cases.write:B"},
		{"legal reviewer", granted(here(authz.LegalReviewer, "")), reads},
		{"body head", granted(here(authz.BodyHead, "")), reads + " cases.write:A cases.write:B cases.approve:A cases.approve:B"},
		{"body admin: every body, never the tenant", granted(here(authz.BodyAdmin, "")), reads + " " + admin},
		{"supervisor", granted(here(authz.Supervisor, "")), reads},
		{"procurator", granted(here(authz.Procurator, "")), reads},
		{"tenant operator", granted(here(authz.TenantOperator, "")), reads + " " + admin + " admin:tenant"},
		// A grant naming a body reaches only that body, whatever the role.
		{"officer of A", granted(here(authz.Officer, a)), "acts:A cases.write:A"},
		{"legal reviewer of A", granted(here(authz.LegalReviewer, a)), "acts:A"},
		{"body head of A", granted(here(authz.BodyHead, a)), "acts:A cases.write:A cases.approve:A"},
		{"body admin of A", granted(here(authz.BodyAdmin, a)), "acts:A elements.write:A admin:A"},
		{"supervisor of A", granted(here(authz.Supervisor, a)), "acts:A"},
		{"procurator of A", granted(here(authz.Procurator, a)), "acts:A"},
		{"tenant operator of A only", granted(here(authz.TenantOperator, a)), "acts:A elements.write:A admin:A"},
		// Combinations: each role keeps its own reach; grants add up and never lend reach.
		{"tenant operator and body head of A", granted(here(authz.TenantOperator, ""), here(authz.BodyHead, a)),
			reads + " " + admin + " admin:tenant cases.write:A cases.approve:A"},
		{"officer of A and body admin of B", granted(here(authz.Officer, a), here(authz.BodyAdmin, b)),
			reads + " cases.write:A elements.write:B admin:B"},
		{"officer of A and of the whole tenant", granted(here(authz.Officer, a), here(authz.Officer, "")), reads + " cases.write:A cases.write:B"},
		{"body head of A and of B", granted(here(authz.BodyHead, a), here(authz.BodyHead, b)),
			reads + " cases.write:A cases.write:B cases.approve:A cases.approve:B"},
		// Grants made above: subtree roles reach the whole tenant below, other roles nothing.
		{"tenant operator of the city", granted(authz.Grant{Role: authz.TenantOperator, TenantID: "3504"}), reads + " " + admin + " admin:tenant"},
		{"supervisor of a city body", granted(authz.Grant{Role: authz.Supervisor, TenantID: "3504", BodyID: "city-body"}), reads},
		{"body admin of the city", granted(authz.Grant{Role: authz.BodyAdmin, TenantID: "3504"}), ""},
		{"no grant here", granted(authz.Grant{Role: authz.TenantOperator, TenantID: "350427"}), ""},
		// The scopes code builds.
		{"system", tenants.System("a test"), "acts:A acts:B cases.read:B cases.write:A cases.write:B cases.approve:A cases.approve:B " + admin +
			" admin:tenant party.act:B payments.settle:B"},
		{"read-only subtree (supervision views)", tenants.SubtreeScope(county, "sup", []authz.Role{authz.Supervisor}), reads + " read-only"},
		{"job (jobs/envelope.go)", tenants.NewScope(county, "job:cases:deadline", []authz.Role{authz.TenantOperator}, nil), reads + " " + admin + " admin:tenant"},
		{"citizen (portal)", tenants.NewScope(county, "citizen-1", []authz.Role{authz.Citizen}, nil), "acts:A acts:B party.act:B"},
		{"platform (payments, portal)", tenants.NewScope(county, "platform", []authz.Role{authz.Platform}, nil), "acts:A acts:B payments.settle:B"},
		{"webhook verification (no role)", tenants.NewScope(county, "webhook", nil, nil), ""},
		{"test scope bound to A (dbtest.BodyScope)", tenants.NewScope(county, "o", []authz.Role{authz.Officer, authz.BodyHead}, []string{a}),
			"acts:A cases.write:A cases.approve:A"},
	} {
		yes := strings.Fields(c.yes)
		for _, y := range yes {
			if !slices.ContainsFunc(questions, func(q question) bool { return q.name == y }) {
				t.Fatalf("%s: no question %q", c.name, y)
			}
		}
		var wrong []string
		for _, q := range questions {
			if got, want := q.ask(c.sc), slices.Contains(yes, q.name); got != want {
				wrong = append(wrong, q.name+map[bool]string{true: "=yes", false: "=no"}[got])
			}
		}
		if len(wrong) > 0 {
			t.Errorf("%s: answers %s", c.name, strings.Join(wrong, ", "))
		}
	}
}

// TestMeListsThePermits checks the view of the same rule that GET /api/v1/me answers: the actions
// allowed at the tenant, each with its bodies, and what the caller administers.
func TestMeListsThePermits(t *testing.T) {
	p := &authz.Principal{IdentityID: "dual", Grants: []authz.Grant{
		{Role: authz.TenantOperator, TenantID: "3504"}, {Role: authz.BodyHead, TenantID: "350426", BodyID: "body-a"}}}
	me := p.MeAt("350426", tenants.Ancestors("35/3504/350426"))
	if me.Tenant != "350426" || !slices.Equal(me.Roles, []authz.Role{authz.TenantOperator, authz.BodyHead}) {
		t.Errorf("tenant %q, roles %v", me.Tenant, me.Roles)
	}
	permit := func(a authz.Action) *authz.Permit {
		for i := range me.Actions {
			if me.Actions[i].Action == a {
				return &me.Actions[i]
			}
		}
		return nil
	}
	if w := permit(authz.CasesApprove); w == nil || w.AllBodies || !slices.Equal(w.Bodies, []string{"body-a"}) {
		t.Errorf("cases.approve: %+v, want body-a only", w)
	}
	if w := permit(authz.ElementsWrite); w == nil || !w.AllBodies || w.Bodies != nil {
		t.Errorf("elements.write: %+v, want every body", w)
	}
	if w := permit(authz.PartyAct); w != nil {
		t.Errorf("party.act listed for staff: %+v", w)
	}
	if ad := me.Administers; !ad.Tenant || !ad.AllBodies {
		t.Errorf("administers %+v, want the tenant and every body", ad)
	}
	if !slices.Equal(me.SubtreeRoles, []authz.Role{authz.Supervisor, authz.Procurator, authz.TenantOperator}) {
		t.Errorf("subtree roles %v", me.SubtreeRoles)
	}
	if none := p.MeAt("350427", []string{"35"}); none.Tenant != "" || len(none.Actions) != 0 || len(none.Roles) != 0 {
		t.Errorf("a tenant without grants: %+v", none)
	}
}
