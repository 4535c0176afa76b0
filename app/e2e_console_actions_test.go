package app_test

import (
	"fmt"
	"strings"
	"testing"

	"zhifa/app/browsertest"
)

// TestConsoleShowsWhatTheAPIAllows: the console shows the menus and buttons of the actions GET
// /api/v1/me allows at the current tenant. The county officer opens cases only for its own body
// and is not offered the bulk import; the county operator imports but opens no case. The dashboard and the cases page of
// both fit 1280 px and 375 px.
func TestConsoleShowsWhatTheAPIAllows(t *testing.T) {
	p := startPlatform(t, "sqlite")
	for _, who := range []struct {
		name, email string
		opens       bool // the cases page offers to open a case
		imports     bool // the navigation lists the bulk import (elements.write)
		below       bool // the grant is marked as applying to the tenants below
	}{
		{"officer", officer1, true, false, false},
		{"operator", youxiOp, false, true, true},
	} {
		desktop := browsertest.New(t, p.URL)
		phone := browsertest.New(t, p.URL)
		phone.EmulatePhone()
		for _, b := range []*browsertest.Browser{desktop, phone} {
			loginAs(t, b, who.email)
		}
		for _, sel := range []string{".mainnav", "#links-title + .links"} {
			shown := browsertest.Eval[string](desktop, fmt.Sprintf(`document.querySelector(%q).innerText`, sel))
			if got := strings.Contains(shown, "批量导入"); got != who.imports || !strings.Contains(shown, "我的案件") {
				t.Errorf("%s's %s %q: bulk import listed %v, want %v", who.name, sel, shown, got, who.imports)
			}
		}
		// The grant of a subtree role is marked as applying below, as the API says (subtree_roles).
		if got := strings.Contains(desktop.Text("#grants"), "本级及下级"); got != who.below {
			t.Errorf("%s's grants marked as applying below: %v, want %v", who.name, got, who.below)
		}
		desktop.Shot("authz-" + who.name + "-dashboard-desktop")
		phone.CheckPhoneWidth(who.name+"'s dashboard", "authz-"+who.name+"-dashboard-phone")
		for _, b := range []*browsertest.Browser{desktop, phone} {
			b.Open("/console/cases", "cases")
		}
		shown := browsertest.Eval[bool](desktop, `!document.getElementById('new-case-link').hidden`)
		if shown != who.opens {
			t.Errorf("%s: the new-case link shown %v, want %v", who.name, shown, who.opens)
		}
		if who.opens {
			desktop.Click("#new-case-link")
			desktop.WaitFor("the bodies", `document.getElementById('n-body').options.length > 0`)
			bodies := browsertest.Eval[[]string](desktop, `[...document.getElementById('n-body').options].map(o => o.textContent)`)
			if len(bodies) != 1 || !strings.Contains(bodies[0], "尤溪县市场监督管理局") {
				t.Errorf("%s opens cases for %q, want its own body only (尤溪县市场监督管理局 of four)", who.name, bodies)
			}
		}
		desktop.Shot("authz-" + who.name + "-cases-desktop")
		phone.CheckPhoneWidth(who.name+"'s cases", "authz-"+who.name+"-cases-phone")
		desktop.CheckClean()
		phone.CheckClean()
	}
}
