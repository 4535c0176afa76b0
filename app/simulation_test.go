package app_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"zhifa/app"
	"zhifa/config"
	"zhifa/modules/payments"
)

// TestPaymentsSimulationSecret: in the embedded default a "paid" webhook of a simulated payment
// signed with what anyone can compute from the public default key is refused, bilingual, with
// nothing written; the simulation's own confirmation, signed with the install's random key, pays.
func TestPaymentsSimulationSecret(t *testing.T) {
	p := startPlatform(t, "sqlite")
	pay, page := simulatedCheckout(t, p)
	paymentID := strings.TrimPrefix(page.Path, payments.SimulatePath)
	row := paymentRow(t, p, paymentID)

	publicKey, _ := base64.StdEncoding.DecodeString(config.DefaultSecretKey)
	forged := sessionEvent("evt_forged_1", payments.EventSessionCompleted, row.SessionID, pay.ID, paymentID, row.TotalFen)
	r := p.do(http.MethodPost, "/api/v1/payments/webhook/"+portalCounty, "", "", forged,
		"Stripe-Signature", sign(forged, payments.SimulationSecret(publicKey, portalCounty), time.Now()))
	if r.Status != http.StatusBadRequest || !strings.Contains(string(r.Raw), "签名无效") || !strings.Contains(string(r.Raw), "does not verify") {
		t.Errorf("a webhook signed with the public key: %d %s", r.Status, r.Raw)
	}
	if got := paymentRow(t, p, paymentID); got.Status != payments.StatusPending {
		t.Fatalf("after the forged webhook the payment is %s", got.Status)
	}

	html := p.do(http.MethodGet, page.Path, "", "", nil)
	token := regexp.MustCompile(`name="token" value="([0-9a-f]+)"`).FindSubmatch(html.Raw)
	if html.Status != http.StatusOK || token == nil {
		t.Fatalf("the simulated page: %d %s", html.Status, html.Raw)
	}
	form := url.Values{"token": {string(token[1])}, "action": {"confirm"}}
	req, _ := http.NewRequest(http.MethodPost, p.URL+page.Path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("confirming the simulated payment: %d %s", resp.StatusCode, body)
	}
	if got := paymentRow(t, p, paymentID); got.Status != payments.StatusPaid || !got.Simulated {
		t.Errorf("after the simulation's confirmation the payment is %s (simulated %t)", got.Status, got.Simulated)
	}
}

// TestPaymentsSimulationKeyPerInstall: the simulation key is made at the first start under the
// data directory (mode 0600), read again on the next start, and another install has another.
func TestPaymentsSimulationKeyPerInstall(t *testing.T) {
	start := func(dir string) []byte {
		t.Helper()
		cfg := config.Default()
		cfg.Data.Dir = dir
		cfg.DB.DSN = config.SQLiteDSN(filepath.Join(dir, "zhifa.db"))
		cfg.DB.MigrateDSN = cfg.DB.DSN
		cfg.HTTP.PublicURL = "http://127.0.0.1:8080"
		if err := cfg.Validate(); err != nil {
			t.Fatal(err)
		}
		a, err := app.New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		a.Close()
		path := filepath.Join(dir, app.SimulationKeyFile)
		fi, err := os.Stat(path)
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("the simulation key file: %v %v", fi, err)
		}
		b, _ := os.ReadFile(path)
		return b
	}
	one, other := t.TempDir(), t.TempDir()
	first := start(one)
	if again := start(one); !bytes.Equal(first, again) {
		t.Errorf("the second start changed the key: %q then %q", first, again)
	}
	if k := start(other); bytes.Equal(first, k) {
		t.Errorf("two installs share the key %q", k)
	}
	publicKey, _ := base64.StdEncoding.DecodeString(config.DefaultSecretKey)
	if key, _ := base64.StdEncoding.DecodeString(strings.TrimSpace(string(first))); len(key) != 32 || bytes.Equal(key, publicKey) {
		t.Errorf("the simulation key is not 32 random bytes: %q", first)
	}
}

// simulatedCheckout proves the demo citizen's case to pay and opens its checkout in the embedded
// default: the case and the address of the simulated payment page the checkout answers.
func simulatedCheckout(t *testing.T, p *platform) (portalCase, *url.URL) {
	t.Helper()
	officerTok, citizenTok := p.login(officer1), p.login(citizenDemo)
	pay := demoCitizenCases(t, p, officerTok)[portalPayTitle]
	if r := p.do(http.MethodPost, "/api/v1/portal/lookup", citizenTok, "", map[string]any{"code": pay.Code, "proof": partyProof}); r.Status != http.StatusOK {
		t.Fatalf("lookup: %d %s", r.Status, r.Raw)
	}
	co := p.do(http.MethodPost, "/api/v1/portal/cases/"+pay.ID+"/checkout", citizenTok, "", nil)
	page, _ := url.Parse(fmt.Sprint(co.Body["url"]))
	if co.Status != http.StatusOK || co.Body["simulated"] != true || !strings.HasPrefix(page.Path, payments.SimulatePath) {
		t.Fatalf("checkout: %d %s", co.Status, co.Raw)
	}
	return pay, page
}
