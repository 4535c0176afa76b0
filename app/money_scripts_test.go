package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"zhifa/app/browsertest"
	"zhifa/modules/kernel/money"
)

// TestScriptsWriteMoneyAsTheServer: the console's ZC.yuan and the portal's P.yuan write an amount
// as kernel/money's Fen.String does, and the console's ZC.fenToYuan as Fen.Input does (empty for
// none), for the same table of amounts, run in Chromium.
func TestScriptsWriteMoneyAsTheServer(t *testing.T) {
	t.Parallel()
	scripts := map[string]string{"/casekit.js": "../modules/console/static/casekit.js", "/core.js": "../modules/portal/web/core.js"}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<!doctype html><html><body data-page="money"><script>window.DOM = {};</script>`+
				`<script src="/casekit.js"></script><script src="/core.js"></script></body></html>`)
			return
		}
		f, ok := scripts[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		b, err := os.ReadFile(f)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		_, _ = w.Write(b)
	}))
	t.Cleanup(srv.Close)
	b := browsertest.New(t, srv.URL)
	b.Navigate("/")
	b.WaitFor("scripts loaded", `!!(window.ZC && window.P)`)

	amounts := []money.Fen{0, 1, 9, 10, 99, 100, 101, 20005, 99999, 100000, 500000, 500050, 1260000,
		10000150, 123456789, 100000000000, money.MaxCapital, 1 << 53, -1, -99, -100, -500050, -123456789}
	js, _ := json.Marshal(amounts)
	got := browsertest.Eval[[][3]string](b, fmt.Sprintf(`%s.map(f => [ZC.yuan(f), P.yuan(f), ZC.fenToYuan(f)])`, js))
	for i, f := range amounts {
		input := f.Input()
		if f == 0 {
			input = ""
		}
		if want := [3]string{f.String(), f.String(), input}; got[i] != want {
			t.Errorf("%d fen: ZC.yuan, P.yuan, ZC.fenToYuan write %q, want %q", f, got[i], want)
		}
	}
	// Absent amounts are none.
	if got := browsertest.Eval[[]string](b, `[ZC.yuan(undefined), P.yuan(null), ZC.fenToYuan(null)]`); got[0] != "¥0.00" || got[1] != "¥0.00" || got[2] != "" {
		t.Errorf("absent amounts are written %q", got)
	}
	b.CheckClean()
}
