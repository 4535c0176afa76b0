package app_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"zhifa/config"
	"zhifa/tenants"
)

// benchCases is the number of cases the transition and list benchmarks run beside: a province's
// worth, spread over the 100 benchmark tenants (ZHIFA_BENCH_CASES overrides it for a quick run).
var benchCases = envInt("ZHIFA_BENCH_CASES", 1_000_000)

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

var (
	uuidRE    = regexp.MustCompile(`'[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'`)
	idemKeyRE = regexp.MustCompile(`idem_key = '([^']+)'`)
)

// benchTarget is a case the raw replay works on, as it stands after the HTTP run.
type benchTarget struct {
	ID      string `bun:"id"`
	Version int    `bun:"version"`
	LastSeq int    `bun:"last_seq"`
}

// retarget rewrites one transition's captured statements for another case: that case's ID,
// version and next event number, and fresh values wherever the statements insert something that
// must be unique (event and outbox IDs, the idempotency key).
func retarget(stmts []string, from string, fromVersion, fromSeq int, to benchTarget) []string {
	inserted := map[string]bool{}
	for _, s := range stmts {
		if strings.HasPrefix(s, "INSERT") {
			for _, u := range uuidRE.FindAllString(s, -1) {
				inserted[u] = true
			}
		}
	}
	for _, s := range stmts {
		if !strings.HasPrefix(s, "INSERT") {
			for _, u := range uuidRE.FindAllString(s, -1) {
				delete(inserted, u)
			}
		}
	}
	repl := []string{"'" + from + "'", "'" + to.ID + "'",
		fmt.Sprintf("c.version = %d)", fromVersion), fmt.Sprintf("c.version = %d)", to.Version),
		fmt.Sprintf(`"version" = %d,`, fromVersion+1), fmt.Sprintf(`"version" = %d,`, to.Version+1),
		fmt.Sprintf("'%s', %d, 'flag'", from, fromSeq), fmt.Sprintf("'%s', %d, 'flag'", to.ID, to.LastSeq+1)}
	for u := range inserted {
		repl = append(repl, u, "'"+uuid.NewString()+"'")
	}
	for _, s := range stmts {
		if m := idemKeyRE.FindStringSubmatch(s); m != nil {
			repl = append(repl, "'"+m[1]+"'", "'"+uuid.NewString()+"'")
		}
	}
	// The case ID must be replaced last among overlapping patterns: apply the specific ones first.
	r := strings.NewReplacer(append(repl[2:], repl[:2]...)...)
	out := make([]string, len(stmts))
	for i, s := range stmts {
		out[i] = r.Replace(s)
	}
	return out
}

// BenchmarkCaseTransitionHTTP drives case transitions (guards, state change, chain event, outbox
// row and idempotency record in one transaction) through the whole HTTP stack on PostgreSQL
// holding a million cases, 32 clients each on its own case; then replays the statements one
// transition sent, with fresh keys, straight to the database at the same concurrency, and reports
// the ratio.
func BenchmarkCaseTransitionHTTP(b *testing.B) {
	p := startPlatform(b, "postgres", func(c *config.Config) { c.DB.MaxOpenConns = 32 })
	seedProvinceScale(b, p)
	seedCases(b, p, benchCases)
	head := p.login("youxi.head@demo.zhifa")
	officer := p.login("youxi.officer1@demo.zhifa")
	ids := make([]string, 32)
	for i := range ids {
		ids[i] = benchCase(b, p, officer, i)
	}

	hook := &captureHook{}
	p.App.DB.AddQueryHook(hook)
	hook.on()
	act(b, p, head, ids[0], true)
	stmts := hook.offAll()
	if os.Getenv("ZHIFA_BENCH_SHOW") != "" {
		for _, s := range stmts {
			fmt.Println(s)
		}
	}

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	lat := newLatencies()
	var next atomic.Int64
	b.SetParallelism(16)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		id := ids[int(next.Add(1)-1)%len(ids)]
		major := false
		for pb.Next() {
			major = !major
			t0 := time.Now()
			if st := actWith(client, p, head, id, major); st != http.StatusOK {
				b.Errorf("transition: %d", st)
				return
			}
			lat.add(time.Since(t0))
		}
	})
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "tx/s")
	b.ReportMetric(float64(lat.pct(50).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat.pct(99).Microseconds())/1000, "p99-ms")
	raw := replay(b, p, stmts, ids, b.N)
	b.ReportMetric(float64(raw.N)/raw.elapsed.Seconds(), "raw-tx/s")
	b.ReportMetric(float64(raw.lat.pct(99).Microseconds())/1000, "raw-p99-ms")
	b.ReportMetric((elapsed.Seconds()/float64(b.N))/(raw.elapsed.Seconds()/float64(raw.N)), "x-raw")
}

// BenchmarkCaseListHTTP lists one body's cases (the body head's default list, newest first) through
// the HTTP stack beside a million cases, one request at a time, so the latency is the query's and
// the stack's, not a queue's; then runs the captured statements raw the same way.
func BenchmarkCaseListHTTP(b *testing.B) {
	p := startPlatform(b, "postgres", func(c *config.Config) { c.DB.MaxOpenConns = 32 })
	seedProvinceScale(b, p)
	seedCases(b, p, benchCases)
	head := p.login("youxi.head@demo.zhifa")
	path := "/api/v1/cases?limit=20"
	if r := p.do(http.MethodGet, path, head, "", nil); r.Status != http.StatusOK {
		b.Fatalf("list: %d %s", r.Status, r.Raw)
	}
	hook := &captureHook{}
	p.App.DB.AddQueryHook(hook)
	hook.on()
	p.do(http.MethodGet, path, head, "", nil)
	stmts := hook.off()

	client := &http.Client{}
	serialAgainstRaw(b, p, "350426", stmts, func() error {
		req, _ := http.NewRequest(http.MethodGet, p.URL+path, nil)
		req.Header.Set("X-Session-Token", head)
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("list: %d", resp.StatusCode)
		}
		return nil
	})
}

// serialAgainstRaw times b.N calls of call, one at a time (so that the latency is the stack's
// and the queries', not a queue's), then b.N runs of the captured statements straight on the
// database in one transaction at tenant, and reports the HTTP p50/p99, the raw p99 and the ratio
// of the medians.
func serialAgainstRaw(b *testing.B, p *platform, tenant string, stmts []string, call func() error) {
	lat := newLatencies()
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		if err := call(); err != nil {
			b.Fatal(err)
		}
		lat.add(time.Since(t0))
	}
	b.StopTimer()
	b.ReportMetric(float64(lat.pct(50).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat.pct(99).Microseconds())/1000, "p99-ms")

	ctx := context.Background()
	sc := benchScope(b, p, tenant)
	raw := newLatencies()
	for range b.N {
		t0 := time.Now()
		if err := queryAll(ctx, p, sc, stmts); err != nil {
			b.Fatal(err)
		}
		raw.add(time.Since(t0))
	}
	b.ReportMetric(float64(raw.pct(99).Microseconds())/1000, "raw-p99-ms")
	b.ReportMetric(float64(lat.pct(50))/float64(raw.pct(50)), "x-raw-p50")
}

// seedCases writes n cases over the benchmark tenants' bodies with set-based SQL, in batches that
// each fit the driver's statement timeout.
func seedCases(b *testing.B, p *platform, n int) {
	ctx := context.Background()
	const batch = 50_000
	for lo := 1; lo <= n; lo += batch {
		hi := min(lo+batch-1, n)
		err := tenants.RunInTx(ctx, p.App.DB, tenants.System("benchmark: a million cases"), func(ctx context.Context, tx bun.Tx) error {
			_, err := tx.ExecContext(ctx, fmt.Sprintf(`INSERT INTO cases (id, tenant_id, body_id, code, kind, state, version, title, party_kind, party_name,
					facts, last_seq, chain_head, created_by, created_at, updated_at)
				SELECT md5('case-' || i)::uuid::text, '3590' || lpad((i %% 100)::text, 2, '0'),
					md5('body-3590' || lpad((i %% 100)::text, 2, '0') || '-' || ((i / 100) %% %d))::uuid::text,
					'BENCH' || i, 'penalty_general', (ARRAY['lead','filed','investigating','notified','decided','closed'])[1 + i %% 6],
					1, '压测案件' || i, 'person', '当事人' || i, '{}', 1, '', 'bench', now() - (i || ' seconds')::interval, now() - (i || ' seconds')::interval
				FROM generate_series(%d, %d) i`, benchBodies, lo, hi))
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	if err := tenants.RunInTx(ctx, p.App.DB, tenants.System("benchmark: statistics"), func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.ExecContext(ctx, "ANALYZE cases")
		return err
	}); err != nil {
		b.Fatal(err)
	}
}

// benchCase opens a general-procedure case at the demo market regulation body and files it.
func benchCase(b *testing.B, p *platform, officer string, i int) string {
	bodies := p.do(http.MethodGet, "/api/v1/bodies?q=1135042609960308UA", officer, "", nil)
	body := bodies.Body["bodies"].([]any)[0].(map[string]any)["id"].(string)
	r := p.do(http.MethodPost, "/api/v1/cases", officer, "", map[string]any{"kind": "penalty_general", "body_id": body, "title": fmt.Sprintf("压测 %d", i),
		"party": map[string]any{"kind": "person", "name": "张三", "id_number": "35042619850312231X"},
		"lead":  map[string]any{"source": "complaint", "received_on": "2026-11-02", "summary": "投诉"}}, "Idempotency-Key", uuid.NewString())
	if r.Status != http.StatusCreated {
		b.Fatalf("case: %d %s", r.Status, r.Raw)
	}
	return r.Body["case"].(map[string]any)["id"].(string)
}

func act(b *testing.B, p *platform, tok, id string, major bool) {
	if st := actWith(http.DefaultClient, p, tok, id, major); st != http.StatusOK {
		b.Fatalf("flag: %d", st)
	}
}

// actWith flags or unflags a case as major (a transition that writes an event and, when flagging,
// a supervision warning to the outbox).
func actWith(c *http.Client, p *platform, tok, id string, major bool) int {
	body := fmt.Sprintf(`{"major":%v,"reason":"压测"}`, major)
	req, _ := http.NewRequest(http.MethodPost, p.URL+"/api/v1/cases/"+id+"/actions/flag", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Session-Token", tok)
	req.Header.Set("Idempotency-Key", uuid.NewString())
	resp, err := c.Do(req)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

type rawRun struct {
	N       int
	elapsed time.Duration
	lat     *latencies
}

// errRollback ends a replayed transaction without keeping it, so every replay finds the case
// as the HTTP run left it (same version, same next event number).
var errRollback = errors.New("rollback")

// replay runs one transition's captured statements n times from 32 clients, each client on its
// own case, each time in one transaction under the same tenant settings, rolled back at the end
// so that unique keys and the version check hold on the next round.
func replay(b *testing.B, p *platform, stmts []string, ids []string, n int) rawRun {
	ctx := context.Background()
	sc := benchScope(b, p, "350426")
	var targets []benchTarget
	if err := tenants.RunInTx(ctx, p.App.DB, tenants.System("benchmark: read the cases"), func(ctx context.Context, tx bun.Tx) error {
		return tx.NewRaw("SELECT id, version, last_seq FROM cases WHERE id IN (?) ORDER BY id", bun.In(ids)).Scan(ctx, &targets)
	}); err != nil {
		b.Fatal(err)
	}
	// The captured transition took ids[0] from version 1 to 2 and wrote event 2.
	const fromVersion, fromSeq = 1, 2
	work := make(chan struct{}, n)
	for range n {
		work <- struct{}{}
	}
	close(work)
	lat := newLatencies()
	var wg sync.WaitGroup
	start := time.Now()
	for g := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			target := targets[g%len(targets)]
			for range work {
				batch := retarget(stmts, ids[0], fromVersion, fromSeq, target)
				t0 := time.Now()
				err := tenants.RunInTx(ctx, p.App.DB, sc, func(ctx context.Context, tx bun.Tx) error {
					for _, s := range batch {
						res, err := tx.ExecContext(ctx, s)
						if err != nil {
							return fmt.Errorf("%w: %.300s", err, s)
						}
						if strings.HasPrefix(s, "UPDATE") {
							if n, _ := res.RowsAffected(); n != 1 {
								return fmt.Errorf("replayed update changed %d rows: %.300s", n, s)
							}
						}
					}
					return errRollback
				})
				if !errors.Is(err, errRollback) {
					b.Error(err)
					return
				}
				lat.add(time.Since(t0))
			}
		}()
	}
	wg.Wait()
	return rawRun{N: n, elapsed: time.Since(start), lat: lat}
}
