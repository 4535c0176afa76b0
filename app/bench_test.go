package app_test

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"zhifa/config"
	"zhifa/tenants"
)

// Province scale (Fujian 2024): about 3,900 bodies and 98,000 officers. The benchmark spreads them
// over 100 county tenants (40 bodies and 981 officers each).
const (
	benchTenants  = 100
	benchBodies   = 40
	benchOfficers = 981
)

// BenchmarkOfficerListHTTP lists one body's officers through the whole HTTP stack (session,
// tenant scope, authorisation, query guard, row-level security) at 32 concurrent clients, and then
// runs the very statements the store sent (captured from the database driver) directly on the
// database in the same transaction shape. It reports requests per second, p50/p99 latency and
// the ratio of the API's time per request to the raw statements'.
func BenchmarkOfficerListHTTP(b *testing.B) {
	p := startPlatform(b, "postgres", func(c *config.Config) { c.DB.MaxOpenConns = 32 })
	ctx := context.Background()
	seedProvinceScale(b, p)

	op := p.do(http.MethodPost, "/api/v1/accounts", p.login(provOp), "359042", map[string]any{
		"email": "bench.operator@demo.zhifa", "name": "压测运维", "kind": "operator", "roles": []string{"tenant_operator"}})
	if op.Status != http.StatusCreated {
		b.Fatalf("operator: %d %s", op.Status, op.Raw)
	}
	tok := p.login("bench.operator@demo.zhifa")
	var bodyID string
	if err := tenants.RunInTx(ctx, p.App.DB, tenants.System("benchmark: pick a body"), func(ctx context.Context, tx bun.Tx) error {
		return tx.NewRaw("SELECT id FROM bodies WHERE name = '压测局359042-7'").Scan(ctx, &bodyID)
	}); err != nil {
		b.Fatal(err)
	}
	path := "/api/v1/officers?body_id=" + bodyID + "&limit=50"
	if r := p.do(http.MethodGet, path, tok, "", nil); r.Status != http.StatusOK || strings.Count(string(r.Raw), `"name":"压测人员`) < 20 {
		b.Fatalf("list: %d %.300s", r.Status, r.Raw)
	}

	// Capture the statements one request sends.
	hook := &captureHook{}
	p.App.DB.AddQueryHook(hook)
	hook.on()
	p.do(http.MethodGet, path, tok, "", nil)
	stmts := hook.off()

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	lat := newLatencies()
	b.SetParallelism(16) // 16 x GOMAXPROCS(2) = 32 clients
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest(http.MethodGet, p.URL+path, nil)
			req.Header.Set("X-Session-Token", tok)
			t0 := time.Now()
			resp, err := client.Do(req)
			if err != nil || resp.StatusCode != http.StatusOK {
				b.Errorf("request: %v %v", err, resp)
				return
			}
			resp.Body.Close()
			lat.add(time.Since(t0))
		}
	})
	elapsed := time.Since(start)
	b.StopTimer()
	httpPerOp := elapsed / time.Duration(b.N)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
	b.ReportMetric(float64(lat.pct(50).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat.pct(99).Microseconds())/1000, "p99-ms")

	// The same statements, straight to PostgreSQL, 32 clients, same transaction shape.
	sc := benchScope(b, p, "359042")
	rawN := b.N
	rawLat := newLatencies()
	var wg sync.WaitGroup
	work := make(chan struct{}, rawN)
	for range rawN {
		work <- struct{}{}
	}
	close(work)
	rstart := time.Now()
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range work {
				t0 := time.Now()
				err := queryAll(ctx, p, sc, stmts)
				if err != nil {
					b.Error(err)
					return
				}
				rawLat.add(time.Since(t0))
			}
		}()
	}
	wg.Wait()
	rawPerOp := time.Since(rstart) / time.Duration(rawN)
	b.ReportMetric(float64(rawLat.pct(99).Microseconds())/1000, "raw-p99-ms")
	b.ReportMetric(float64(httpPerOp)/float64(rawPerOp), "x-raw")
}

// seedProvinceScale writes the tenants, bodies and officers with set-based SQL as the platform would
// after a bulk import, under a system scope.
func seedProvinceScale(b *testing.B, p *platform) {
	ctx := context.Background()
	err := tenants.RunInTx(ctx, p.App.DB, tenants.System("benchmark: province-scale data"), func(ctx context.Context, tx bun.Tx) error {
		stmts := []string{
			`INSERT INTO tenants (id, parent_id, path, tier, name, created_at, created_by)
				VALUES ('3590', '35', '35/3590', 'city', '压测市', now(), 'bench')`,
			fmt.Sprintf(`INSERT INTO tenants (id, parent_id, path, tier, name, created_at, created_by)
				SELECT '3590' || lpad(i::text, 2, '0'), '3590', '35/3590/3590' || lpad(i::text, 2, '0'), 'county', '压测县' || i, now(), 'bench'
				FROM generate_series(0, %d) i`, benchTenants-1),
			fmt.Sprintf(`INSERT INTO bodies (id, tenant_id, name, code, kind, sector, active, created_at, updated_at)
				SELECT md5('body-' || t.id || '-' || j)::uuid::text, t.id, '压测局' || t.id || '-' || j, 'B' || t.id || lpad(j::text, 3, '0'),
					'administrative_organ', 'other', true, now(), now()
				FROM tenants t, generate_series(0, %d) j WHERE t.parent_id = '3590'`, benchBodies-1),
			fmt.Sprintf(`INSERT INTO officers (id, tenant_id, body_id, name, id_number, phone, cert_number, cert_issued_on, cert_expires_on, cert_status, cert_sectors, created_at, updated_at)
				SELECT md5('officer-' || t.id || '-' || k)::uuid::text, t.id, md5('body-' || t.id || '-' || (k %% %d))::uuid::text, '压测人员' || k,
					t.id || lpad(k::text, 12, '0'), '', 'C' || t.id || lpad(k::text, 6, '0'), '2024-01-01', '2029-01-01', 'valid', '[]', now(), now()
				FROM tenants t, generate_series(0, %d) k WHERE t.parent_id = '3590'`, benchBodies, benchOfficers-1),
			`ANALYZE`,
		}
		for _, s := range stmts {
			if _, err := tx.ExecContext(ctx, s); err != nil {
				return fmt.Errorf("%w: %s", err, s)
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

func benchScope(b *testing.B, p *platform, tenant string) tenants.Scope {
	tn, err := p.App.Tenants.Store().Lookup(context.Background(), tenant)
	if err != nil {
		b.Fatal(err)
	}
	return tenants.NewScope(tn, "bench", nil, nil)
}

// queryAll runs read statements in one transaction under sc and reads every row, as the store does.
func queryAll(ctx context.Context, p *platform, sc tenants.Scope, stmts []string) error {
	return tenants.RunInTx(ctx, p.App.DB, sc, func(ctx context.Context, tx bun.Tx) error {
		for _, s := range stmts {
			rows, err := tx.QueryContext(ctx, s)
			if err != nil {
				return err
			}
			for rows.Next() {
			}
			if err := rows.Close(); err != nil {
				return err
			}
		}
		return nil
	})
}

// captureHook records the statements sent while it is on.
type captureHook struct {
	mu    sync.Mutex
	live  bool
	stmts []string
}

func (h *captureHook) on() { h.mu.Lock(); h.live, h.stmts = true, nil; h.mu.Unlock() }
func (h *captureHook) off() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.live = false
	var out []string
	for _, s := range h.stmts {
		if strings.HasPrefix(strings.TrimSpace(s), "SELECT") && !strings.Contains(s, "set_config") {
			out = append(out, s)
		}
	}
	return out
}

// offAll stops capturing and returns every statement but the transaction-local settings.
func (h *captureHook) offAll() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.live = false
	var out []string
	for _, s := range h.stmts {
		if !strings.Contains(s, "set_config(") && s != "BEGIN" && s != "COMMIT" {
			out = append(out, s)
		}
	}
	return out
}

func (h *captureHook) BeforeQuery(ctx context.Context, e *bun.QueryEvent) context.Context {
	h.mu.Lock()
	if h.live {
		h.stmts = append(h.stmts, e.Query)
	}
	h.mu.Unlock()
	return ctx
}
func (h *captureHook) AfterQuery(context.Context, *bun.QueryEvent) {}

// latencies collects request durations for percentiles.
type latencies struct {
	mu sync.Mutex
	d  []time.Duration
}

func newLatencies() *latencies { return &latencies{} }
func (l *latencies) add(d time.Duration) {
	l.mu.Lock()
	l.d = append(l.d, d)
	l.mu.Unlock()
}
func (l *latencies) pct(p int) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.d) == 0 {
		return 0
	}
	sort.Slice(l.d, func(i, j int) bool { return l.d[i] < l.d[j] })
	return l.d[(len(l.d)-1)*p/100]
}
