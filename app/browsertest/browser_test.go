package browsertest_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"zhifa/app/browsertest"
)

// site serves three pages under the platform's strict CSP: /form, whose script loads its data
// and then marks it ready; /second, ready from the start; and /broken, with an inline script the
// CSP blocks and a script that throws.
func site(t *testing.T) *httptest.Server {
	t.Helper()
	files := map[string]struct{ typ, body string }{
		"/form": {"text/html", `<!doctype html><html><body data-page="form"><main id="main">
			<h1 id="title">…</h1><input id="name"><p id="echo"></p><a id="next" href="/second">next</a></main>
			<script src="/form.js"></script></body></html>`},
		"/form.js": {"text/javascript", `fetch('/data').then(r => r.json()).then(d => {
			document.getElementById('title').textContent = d.title; document.body.dataset.ready = 'true'; });
			const n = document.getElementById('name');
			n.addEventListener('input', () => { document.getElementById('echo').textContent = 'input:' + n.value; });
			n.addEventListener('change', () => { document.body.dataset.changed = n.value; });`},
		"/data":   {"application/json", `{"title":"执法监督"}`},
		"/second": {"text/html", `<!doctype html><html><body data-page="second" data-ready="true"><p>第二页</p></body></html>`},
		"/broken": {"text/html", `<!doctype html><html><body data-page="broken" data-ready="true">
			<script>document.title = 'inline';</script><script src="/throw.js"></script></body></html>`},
		"/throw.js": {"text/javascript", `throw new Error('boom from throw.js');`},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self'")
		w.Header().Set("Content-Type", f.typ+"; charset=utf-8")
		fmt.Fprint(w, f.body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestBrowserDrivesPages(t *testing.T) {
	srv := site(t)
	b := browsertest.New(t, srv.URL)
	if b.Base() != srv.URL {
		t.Errorf("Base %q, want %q", b.Base(), srv.URL)
	}

	b.Open("/form?from=test", "form")
	if got := b.Text("#title"); got != "执法监督" {
		t.Errorf("the title reads %q: Open returned before the page's data was loaded", got)
	}
	if got := b.Path(); got != "/form?from=test" {
		t.Errorf("Path %q", got)
	}
	b.SetValue("#name", "王小明")
	if got := b.Text("#echo"); got != "input:王小明" {
		t.Errorf("SetValue fired no input event: %q", got)
	}
	if got := browsertest.Eval[string](b, `document.body.dataset.changed || ''`); got != "王小明" {
		t.Errorf("SetValue fired no change event: %q", got)
	}
	if n := browsertest.Eval[int](b, `document.querySelectorAll('input').length`); n != 1 {
		t.Errorf("Eval[int] gave %d", n)
	}

	b.Click("#next")
	b.WaitReady("second")
	if got := b.Path(); got != "/second" {
		t.Errorf("after the click the browser is at %s", got)
	}
	b.Navigate("/data")
	b.WaitFor("the JSON", `document.body.textContent.includes('执法监督')`)

	reqs := strings.Join(b.Requests(), " ")
	for _, want := range []string{srv.URL + "/form?from=test", srv.URL + "/form.js", srv.URL + "/data", srv.URL + "/second"} {
		if !strings.Contains(reqs, want) {
			t.Errorf("the requests lack %s: %s", want, reqs)
		}
	}
	if p := b.ProblemText(); p != "" {
		t.Errorf("a clean page recorded problems:%s", p)
	}
	b.CheckClean()
}

// recorder passes a test's failures through, except the Error and Errorf calls it keeps.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper()                   {}
func (r *recorder) Error(args ...any)         { r.errs = append(r.errs, fmt.Sprint(args...)) }
func (r *recorder) Errorf(f string, a ...any) { r.errs = append(r.errs, fmt.Sprintf(f, a...)) }

func TestCheckCleanReportsPageProblems(t *testing.T) {
	srv := site(t)
	rec := &recorder{TB: t}
	b := browsertest.New(rec, srv.URL)
	b.Open("/broken", "broken")

	// The problems arrive as events after the page is ready.
	deadline := time.Now().Add(10 * time.Second)
	for !(strings.Contains(b.ProblemText(), "boom from throw.js") && strings.Contains(b.ProblemText(), "Content Security Policy")) {
		if time.Now().After(deadline) {
			t.Fatalf("the script error and the CSP violation were not both recorded:%s", b.ProblemText())
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.CheckClean()
	all := strings.Join(rec.errs, "\n")
	for _, want := range []string{"page problem: script error at " + srv.URL + "/throw.js", "page problem: security error: Executing inline script violates"} {
		if !strings.Contains(all, want) {
			t.Errorf("CheckClean did not report %q; it reported:\n%s", want, all)
		}
	}
}
