package payments_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"testing"

	"github.com/labstack/echo/v4"

	"zhifa/app/apitest"
	"zhifa/app/dbtest"
	"zhifa/modules/payments"
)

// FuzzSimulatePage posts any form to the simulated payment page: the answer is never a 5xx, and
// a form without the page's token is refused (400) and leaves the payment as it was; only the
// page's own form confirms or cancels.
func FuzzSimulatePage(f *testing.F) {
	w := newWorld(f, dbtest.SQLite(f), worldOpts{simulate: true})
	e, _ := apitest.NewAPI(apitest.Auth(w.db))
	w.svc.PublicRoutes(e)
	c := w.newCase(f, 500000, "2025-09-19", "2025-10-09")
	co := w.checkout(f, c.CaseID)
	page := payments.SimulatePath + co.PaymentID
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, page, nil))
	m := regexp.MustCompile(`name="token" value="([0-9a-f]+)"`).FindStringSubmatch(rec.Body.String())
	if m == nil {
		f.Fatalf("no form token on the page: %d %s", rec.Code, rec.Body)
	}
	token := m[1]
	form := func(action, tok string) []byte {
		return []byte(url.Values{"action": {action}, "token": {tok}}.Encode())
	}
	for _, s := range []struct {
		ct   string
		body []byte
	}{
		{echo.MIMEApplicationForm, form("confirm", "forged")},
		{echo.MIMEApplicationForm, form("cancel", token[:16])},
		{echo.MIMEApplicationForm, []byte("action=confirm&token=%zz")},
		{"multipart/form-data; boundary=x", []byte("--x\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\nconfirm\r\n--x--\r\n")},
		{echo.MIMEApplicationForm, form("confirm", token)},
	} {
		f.Add(s.ct, s.body)
	}
	f.Fuzz(func(t *testing.T, ct string, body []byte) {
		before := w.payment(t, c.CaseID, co.PaymentID).Status
		req := httptest.NewRequest(http.MethodPost, page, bytes.NewReader(body))
		req.Header.Set(echo.HeaderContentType, ct)
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("answered %d: %s", rec.Code, rec.Body)
		}
		if bytes.Contains(body, []byte(token)) {
			return
		}
		if rec.Code != http.StatusBadRequest {
			t.Fatalf("a form without the page's token answered %d: %s", rec.Code, rec.Body)
		}
		if after := w.payment(t, c.CaseID, co.PaymentID).Status; after != before {
			t.Fatalf("a form without the page's token changed the payment from %s to %s", before, after)
		}
	})
}
