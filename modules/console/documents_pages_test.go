package console_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"zhifa/modules/console"
)

// TestDocumentPages checks the document template and document pages: served with a session,
// in the navigation, and within the strict CSP (no inline script or style, scripts from here).
func TestDocumentPages(t *testing.T) {
	e, _ := newServer(t, console.Config{DevLogin: true})
	for _, c := range []struct {
		path string
		want []string
	}{
		{"/console/templates", []string{"文书模板", "Document templates", `id="tpl-source"`, `id="preview-case"`, `id="fields"`, "/documents/static/zdoc.css",
			`href="/console/templates" aria-current="page"`}},
		{"/console/documents/0196d3c2-8f4e-7a31-9b1c-2f3e4d5c6b7a", []string{"执法文书", `id="doc-view"`, `id="download"`}},
	} {
		if a := get(e, "GET", c.path, ""); a.status != http.StatusSeeOther {
			t.Errorf("%s without a session: %d", c.path, a.status)
		}
		a := get(e, "GET", c.path, "good")
		if a.status != http.StatusOK {
			t.Fatalf("%s: %d", c.path, a.status)
		}
		for _, s := range c.want {
			if !strings.Contains(a.body, s) {
				t.Errorf("%s lacks %q", c.path, s)
			}
		}
		for _, re := range []string{`(?i)\sstyle\s*=`, `(?i)<style`, `(?i)\son[a-z]+\s*=`, `(?i)(src|href)\s*=\s*"(https?:)?//`} {
			if m := regexp.MustCompile(re).FindString(a.body); m != "" {
				t.Errorf("%s: %q breaks the CSP", c.path, m)
			}
		}
		for _, m := range regexp.MustCompile(`<script[^>]*>([^<]*)</script>`).FindAllStringSubmatch(a.body, -1) {
			if !ownScript.MatchString(m[0]) || strings.TrimSpace(m[1]) != "" {
				t.Errorf("%s: inline or foreign script %q", c.path, m[0])
			}
		}
		for _, m := range staticLink.FindAllStringSubmatch(a.body, -1) {
			if s := get(e, "GET", m[1], ""); s.status != http.StatusOK {
				t.Errorf("%s links %s, which answers %d", c.path, m[1], s.status)
			}
		}
	}
	for _, f := range []string{"templates.js", "document.js", "documents.css"} {
		a := get(e, "GET", console.StaticPrefix+f, "")
		if a.status != http.StatusOK {
			t.Fatalf("%s: %d", f, a.status)
		}
		for _, bad := range []string{"http://", "https://", "@import", "innerHTML", ".style.", "eval(", "new Function"} {
			if strings.Contains(a.body, bad) {
				t.Errorf("%s contains %q", f, bad)
			}
		}
	}
}
