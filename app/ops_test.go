package app_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestHealthReadinessAndMetrics(t *testing.T) {
	p := startPlatform(t, "sqlite")
	if r := p.do(http.MethodGet, "/healthz", "", "", nil); r.Status != http.StatusOK {
		t.Errorf("healthz: %d", r.Status)
	}
	if r := p.do(http.MethodGet, "/readyz", "", "", nil); r.Status != http.StatusOK {
		t.Errorf("readyz: %d %s", r.Status, r.Raw)
	}
	p.do(http.MethodGet, "/api/v1/tenants", "", "", nil) // a 401, counted
	m := p.do(http.MethodGet, "/metrics", "", "", nil)
	if !strings.Contains(string(m.Raw), `zhifa_http_requests_total{method="GET",route="/api/v1/tenants",status="4xx"} 1`) {
		t.Errorf("metrics lack the request counter:\n%.2000s", m.Raw)
	}
	// With the job backend gone the platform is alive but not ready.
	p.App.Jobs.Close()
	if r := p.do(http.MethodGet, "/readyz", "", "", nil); r.Status != http.StatusServiceUnavailable || !strings.Contains(string(r.Raw), "redis") {
		t.Errorf("readyz without redis: %d %s", r.Status, r.Raw)
	}
	if r := p.do(http.MethodGet, "/healthz", "", "", nil); r.Status != http.StatusOK {
		t.Errorf("healthz without redis: %d", r.Status)
	}
}

// httpSeries counts the series of the platform's HTTP metric families in a scrape of /metrics.
func httpSeries(t *testing.T, p *platform) int {
	t.Helper()
	m := p.do(http.MethodGet, "/metrics", "", "", nil)
	if m.Status != http.StatusOK {
		t.Fatalf("metrics: %d", m.Status)
	}
	n := 0
	for _, line := range strings.Split(string(m.Raw), "\n") {
		if strings.HasPrefix(line, "zhifa_http_") {
			n++
		}
	}
	return n
}

// TestMetricsLabelsBounded: 50 requests with made-up methods and 50 to made-up paths, without
// a session, add at most the few series of the "other" method and the unmatched route: every
// label comes from a closed set (method, route template, status class).
func TestMetricsLabelsBounded(t *testing.T) {
	p := startPlatform(t, "sqlite")
	for _, path := range []string{"/healthz", "/api/v1/tenants", "/no-such-page", "/api/v1/cases/0"} {
		p.do(http.MethodGet, path, "", "", nil)
		p.do("BREW", path, "", "", nil)
	}
	httpSeries(t, p) // the scrape's own series
	before := httpSeries(t, p)
	for i := range 50 {
		p.do(fmt.Sprintf("MADEUP%d", i), "/api/v1/tenants", "", "", nil)
		p.do(http.MethodGet, fmt.Sprintf("/made-up-%d/%d", i, i*7), "", "", nil)
		p.do(fmt.Sprintf("X%d", i), fmt.Sprintf("/api/v1/made-up-%d", i), "", "", nil)
	}
	after := httpSeries(t, p)
	if after-before > 0 {
		t.Errorf("made-up methods and paths added %d series (%d before, %d after)", after-before, before, after)
	}
	m := string(p.do(http.MethodGet, "/metrics", "", "", nil).Raw)
	for _, want := range []string{`zhifa_http_requests_total{method="other",route="/api/v1/tenants",status="4xx"}`,
		`route="unmatched",status="4xx"}`} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s:\n%.3000s", want, m)
		}
	}
	for _, leaked := range []string{"MADEUP", "made-up", `status="404"`, `status="405"`} {
		if strings.Contains(m, leaked) {
			t.Errorf("a request's own method, path or status code is a label value (%s)", leaked)
		}
	}
}
