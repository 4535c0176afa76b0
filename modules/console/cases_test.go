package console_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"zhifa/modules/console"
)

// TestCasePages checks the case pages: both need a session, the list is in the navigation, the
// detail page marks it current and is not listed itself, and both keep to the strict CSP.
func TestCasePages(t *testing.T) {
	e, _ := newServer(t, console.Config{DevLogin: true})
	const detail = "/console/cases/01a1ff8f-331a-768d-be20-4bc2e62da224"
	cases := []struct {
		name, path, cookie string
		status             int
		location           string
		contains           []string
	}{
		{"list", "/console/cases", "good", http.StatusOK, "", []string{`id="case-list"`, `id="case-filters"`, `id="case-form"`, "我的案件", "My cases",
			"/console/static/cases.js?v=", "/console/static/casekit.js?v=", "/console/static/cases.css?v="}},
		{"detail", detail, "good", http.StatusOK, "", []string{`id="next-actions"`, `id="deadlines"`, `id="history"`, `id="evidence-form"`, `id="verify-chain"`,
			`data-dev-login="true"`, "/console/static/case.js?v=", "/console/static/caseforms.js?v=", "案件详情"}},
		{"list without a session", "/console/cases", "", http.StatusSeeOther, "/login?next=%2Fconsole%2Fcases", nil},
		{"detail without a session", detail, "", http.StatusSeeOther, "/login?next=%2Fconsole%2Fcases%2F01a1ff8f-331a-768d-be20-4bc2e62da224", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := get(e, "GET", c.path, c.cookie)
			if a.status != c.status {
				t.Fatalf("status %d, want %d: %s", a.status, c.status, a.body)
			}
			if c.location != "" && a.header.Get("Location") != c.location {
				t.Errorf("Location %q, want %q", a.header.Get("Location"), c.location)
			}
			for _, s := range c.contains {
				if !strings.Contains(a.body, s) {
					t.Errorf("page lacks %q", s)
				}
			}
		})
	}

	// The navigation lists the cases once, and marks it on the detail page; the detail page is
	// not an entry of its own.
	navOf := regexp.MustCompile(`(?s)<nav class="mainnav".*?</nav>`)
	for _, p := range []string{"/console", detail} {
		nav := navOf.FindString(get(e, "GET", p, "good").body)
		if n := strings.Count(nav, `href="/console/cases"`); n != 1 {
			t.Errorf("%s: the navigation links the cases %d times", p, n)
		}
		if strings.Contains(nav, `href="/console/cases/`) {
			t.Errorf("%s: the detail page is listed in the navigation", p)
		}
	}
	if a := get(e, "GET", detail, "good"); !regexp.MustCompile(`<a href="/console/cases" aria-current="page">`).MatchString(a.body) {
		t.Error("the detail page does not mark the cases entry current")
	}
	if a := get(e, "GET", "/console/cases", "good"); regexp.MustCompile(`href="/console" aria-current`).MatchString(a.body) {
		t.Error("the list marks the overview current")
	}
	// The dev-login flag is not shown when the dev login is off.
	e2, _ := newServer(t, console.Config{})
	if a := get(e2, "GET", detail, "good"); strings.Contains(a.body, `data-dev-login="true"`) {
		t.Error("the detail page claims the dev login while it is off")
	}

	// The strict CSP: no inline script, style or handler, nothing from another host.
	scriptTag := regexp.MustCompile(`(?i)<script[^>]*>([^<]*)</script>`)
	inline := []*regexp.Regexp{
		regexp.MustCompile(`(?i)\sstyle\s*=`), regexp.MustCompile(`(?i)<style`), regexp.MustCompile(`(?i)\son[a-z]+\s*=`),
		regexp.MustCompile(`(?i)(src|href)\s*=\s*"(https?:)?//`),
	}
	for _, p := range []string{"/console/cases", detail} {
		a := get(e, "GET", p, "good")
		for _, m := range scriptTag.FindAllStringSubmatch(a.body, -1) {
			if !ownScript.MatchString(m[0]) || strings.TrimSpace(m[1]) != "" {
				t.Errorf("%s: inline or foreign script %q", p, m[0])
			}
		}
		for _, re := range inline {
			if m := re.FindString(a.body); m != "" {
				t.Errorf("%s: %q breaks the CSP", p, m)
			}
		}
		for _, m := range staticLink.FindAllStringSubmatch(a.body, -1) {
			if s := get(e, "GET", m[1], ""); s.status != http.StatusOK {
				t.Errorf("%s links %s, which answers %d", p, m[1], s.status)
			}
		}
	}
	for _, f := range []string{"cases.js", "case.js", "casekit.js", "caseforms.js", "cases.css", "core.js"} {
		a := get(e, "GET", console.StaticPrefix+f, "")
		if a.status != http.StatusOK {
			t.Fatalf("%s: %d", f, a.status)
		}
		for _, bad := range []string{"http://", "https://", "@import", "innerHTML", ".style.", "eval(", "new Function", "document.write"} {
			if strings.Contains(a.body, bad) {
				t.Errorf("%s contains %q (external resources and inline styles break the intranet and the CSP)", f, bad)
			}
		}
	}
}
