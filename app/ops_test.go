package app_test

import (
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
	if !strings.Contains(string(m.Raw), `zhifa_http_requests_total{method="GET",route="/api/v1/tenants",status="401"} 1`) {
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
