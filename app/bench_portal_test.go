package app_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"testing"

	"zhifa/config"
)

// BenchmarkPortalLookupHTTP is a citizen's case lookup (POST /api/v1/portal/lookup: the code and
// the last six characters of the party's identity number) through the whole HTTP stack (session,
// the rate-limit windows in Redis, the case by its code, the proof, the claim, the party's view
// with its deadlines) on PostgreSQL beside a million cases, one request at a time, so that the
// latency is the stack's and the queries', not a queue's; then the statements one lookup sent, run
// raw the same way. The per-address limit is raised for the run (every request comes from this
// machine); the per-account and per-code limits count failures only.
func BenchmarkPortalLookupHTTP(b *testing.B) {
	p := startPlatform(b, "postgres", func(c *config.Config) { c.DB.MaxOpenConns = 32; c.Portal.LookupsPerIP = 1 << 30 })
	seedProvinceScale(b, p)
	seedCases(b, p, benchCases)
	officer := p.login("youxi.officer1@demo.zhifa")
	found := p.do(http.MethodGet, "/api/v1/cases?q="+url.QueryEscape("王小明"), officer, "", nil)
	list, _ := found.Body["cases"].([]any)
	code := ""
	for _, c := range list {
		if c := c.(map[string]any); c["title"] == "未经登记从事食品摊贩经营" {
			code = c["code"].(string)
		}
	}
	if code == "" {
		b.Fatalf("the demo case to look up: %s", found.Raw)
	}
	citizen := p.login("citizen@demo.zhifa")
	body, _ := json.Marshal(map[string]string{"code": code, "proof": validResidentID("35042619880315231")[12:]})
	lookup := func(c *http.Client) (int, error) {
		req, _ := http.NewRequest(http.MethodPost, p.URL+"/api/v1/portal/lookup", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Session-Token", citizen)
		resp, err := c.Do(req)
		if err != nil {
			return 0, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode, nil
	}
	client := &http.Client{}
	if st, err := lookup(client); err != nil || st != http.StatusOK {
		b.Fatalf("lookup: %d %v", st, err)
	}
	hook := &captureHook{}
	p.App.DB.AddQueryHook(hook)
	hook.on()
	lookup(client)
	stmts := hook.off()

	serialAgainstRaw(b, p, "350426", stmts, func() error {
		if st, err := lookup(client); err != nil || st != http.StatusOK {
			return fmt.Errorf("lookup: %d %v", st, err)
		}
		return nil
	})
}
