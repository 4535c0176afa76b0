package app_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/routers"

	"zhifa/app"
	"zhifa/app/testenv"
	"zhifa/app/testkit"
	"zhifa/config"
)

// platform is a running platform for one test, reached over real HTTP.
type platform struct {
	t      testing.TB
	App    *app.App
	URL    string
	router routers.Router // over the served OpenAPI document, built on first use
	srv    *testkit.Server
	tokens map[string]string // dev login sessions by e-mail
}

// startPlatform starts the whole platform in-process on driver ("sqlite" or "postgres"), seeded with
// the demo data, and serves it on a loopback port.
func startPlatform(t testing.TB, driver string, tweak ...func(*config.Config)) *platform {
	t.Helper()
	return startPlatformAt(t, driver, nil, tweak...)
}

// startPlatformAt is startPlatform on the clock now (nil: the wall clock): every service, the
// relay and the demo data keep that time.
func startPlatformAt(t testing.TB, driver string, now func() time.Time, tweak ...func(*config.Config)) *platform {
	t.Helper()
	cfg := config.Default()
	cfg.Data.Dir = t.TempDir()
	cfg.DB.DSN = config.SQLiteDSN(filepath.Join(cfg.Data.Dir, "zhifa.db"))
	cfg.DB.MigrateDSN = cfg.DB.DSN
	cfg.HTTP.BodyLimit = "64K"
	if driver == "postgres" {
		info := testenv.Postgres(t).NewDatabase(t)
		cfg.DB.Driver, cfg.DB.DSN, cfg.DB.MigrateDSN, cfg.DB.AppRole = "postgres", info.AppDSN, info.OwnerDSN, info.AppRole
		if _, err := app.Migrate(context.Background(), cfg, "up"); err != nil {
			t.Fatal(err)
		}
	}
	// The server's address is known before the platform starts, so that its public URL (the
	// return addresses of payments, the documents' QR codes) is the one the tests call.
	srv := httptest.NewUnstartedServer(nil)
	t.Cleanup(srv.Close)
	cfg.HTTP.PublicURL = "http://" + srv.Listener.Addr().String()
	for _, f := range tweak {
		f(&cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	var opts []app.Option
	if now != nil {
		opts = append(opts, app.WithClock(now))
	}
	a, err := app.New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	if cfg.Identity.DevLogin {
		if err := app.SeedDemo(context.Background(), a); err != nil {
			t.Fatal(err)
		}
	}
	srv.Config.Handler = a.Echo
	srv.Start()
	return &platform{t: t, App: a, URL: srv.URL, tokens: map[string]string{"bad": "dev_not-a-real-token"}}
}

// server is the platform's routes for testkit scenarios, served in-process by its echo
// instance: every answer is checked against the document, errors included, and every error must
// carry its request ID.
func (p *platform) server(t testing.TB) *testkit.Server {
	t.Helper()
	if p.srv == nil {
		p.srv = testkit.NewServer(t, p.App.Echo, p.App.API)
		p.srv.CheckResponses, p.srv.CheckErrors, p.srv.RequestIDs = true, true, true
	}
	return p.srv
}

// as is the caller signed in through the dev login as the demo account email ("bad": an invalid
// session token), acting at tenant ("": its home tenant).
func (p *platform) as(email, tenant string) testkit.Caller {
	p.t.Helper()
	tok, ok := p.tokens[email]
	if !ok {
		tok = p.login(email)
		p.tokens[email] = tok
	}
	c := testkit.Session("X-Session-Token", tok)
	if tenant != "" {
		c.Headers["X-Zhifa-Tenant"] = tenant
	}
	return c
}

// reply is an HTTP answer with its decoded JSON body.
type reply struct {
	Status int
	Body   map[string]any
	Raw    []byte
}

// do sends a request. body may be nil, a string (sent as is) or a value (sent as JSON).
func (p *platform) do(method, path, token, tenant string, body any, headers ...string) reply {
	p.t.Helper()
	rd := testkit.Reader(body)
	ct := "application/json"
	req, _ := http.NewRequest(method, p.URL+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", ct)
	}
	if token != "" {
		req.Header.Set("X-Session-Token", token)
	}
	if tenant != "" {
		req.Header.Set("X-Zhifa-Tenant", tenant)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := reply{Status: resp.StatusCode, Raw: raw}
	if path != "/api/openapi.json" {
		p.checkAgainstDocument(method, path, resp.StatusCode, resp.Header, raw)
	}
	_ = json.Unmarshal(raw, &r.Body)
	return r
}

// login signs in through the dev login as the demo account with email and returns the token.
func (p *platform) login(email string) string {
	p.t.Helper()
	r := p.do(http.MethodPost, "/api/v1/dev/login", "", "", map[string]string{"email": email})
	tok, _ := r.Body["token"].(string)
	if r.Status != http.StatusOK || tok == "" {
		p.t.Fatalf("dev login %s: %d %s", email, r.Status, r.Raw)
	}
	return tok
}
