package delivery_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/app/testenv"
	"zhifa/config"
	"zhifa/jobs"
	"zhifa/migrations"
	"zhifa/modules/delivery"
	"zhifa/modules/kernel/dbx"
	"zhifa/tenants"
)

// The benchmark's worker: Asynq concurrency, database connections, and how long an idle Asynq
// worker sleeps before it looks at the queues again (Asynq's default is 1 s, which alone puts a
// second of latency on a task that arrives while the queues are idle).
const (
	benchConcurrency   = 128
	benchConns         = 16
	benchCheckInterval = 10 * time.Millisecond
)

// BenchmarkDeliveryTasks measures delivery:send_email tasks through Asynq on a real redis-server,
// queued and handled at the same time, on PostgreSQL, each one a real SMTP exchange with an
// in-process go-smtp sink on loopback that accepts everything: the route claimed and read with its
// delivery, the PDF attached and submitted, the arrival and its follow-up outbox row written (the
// delivery:record_served tasks this writes are left in the outbox). It reports tasks per second
// (first enqueue to last task done) and the p50/p99 time from enqueue to done.
//
//   - burst: every task is enqueued at once, as fast as 8 producers can: the throughput; the
//     latency then includes the wait in the queue behind the burst.
//   - rate_1000: tasks are enqueued at 1,000 a second: the latency under that load.
func BenchmarkDeliveryTasks(b *testing.B) {
	b.Run("burst", func(b *testing.B) { benchDelivery(b, 0) })
	b.Run("rate_1000", func(b *testing.B) { benchDelivery(b, 1000) })
}

func benchDelivery(b *testing.B, rate int) {
	_, info := dbtest.PostgresInfo(b) // migrated; opened again below with more connections
	db, err := tenants.Open("postgres", info.AppDSN, benchConns, migrations.TenantTables())
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	backend, err := jobs.Connect(config.Redis{Addr: testenv.Redis(b)})
	if err != nil {
		b.Fatal(err)
	}
	defer backend.Close()
	w := newWorld(b, db)
	w.sink.DiscardMessages()
	c := w.newCase(w.a)
	con := w.consent(b, w.officer, c, delivery.ChannelEmail)
	sc := dbtest.Scope(w.a, "bench")
	routes := seedRoutes(b, w, sc, c, con, b.N)
	testenv.Analyze(b, info.OwnerDSN)

	var mu sync.Mutex
	queued := make(map[string]time.Time, b.N)
	lat := make([]time.Duration, 0, b.N)
	var failed []error
	done := make(chan struct{})
	handler := asynq.HandlerFunc(func(ctx context.Context, t *asynq.Task) error {
		err := w.mux.ProcessTask(ctx, t)
		id, _ := asynq.GetTaskID(ctx)
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			failed = append(failed, err)
		}
		lat = append(lat, time.Since(queued[id]))
		if len(lat) == b.N {
			close(done)
		}
		return err
	})
	srv := asynq.NewServerFromRedisClient(backend.Redis, asynq.Config{Concurrency: benchConcurrency, Queues: jobs.Queues, TaskCheckInterval: benchCheckInterval,
		Logger: quietLogger{slog.New(slog.NewTextHandler(io.Discard, nil))}, LogLevel: asynq.ErrorLevel})
	if err := srv.Start(handler); err != nil {
		b.Fatal(err)
	}
	defer srv.Shutdown()
	client := backend.Client()
	defer client.Close()

	b.ResetTimer()
	start := time.Now()
	enqueue := func(r delivery.Route) error {
		task, err := delivery.SendEmail.NewTask(sc, delivery.RouteTask{DeliveryID: r.DeliveryID, RouteID: r.ID})
		if err != nil {
			return err
		}
		mu.Lock()
		queued[r.ID] = time.Now()
		mu.Unlock()
		_, err = client.Enqueue(task, asynq.TaskID(r.ID), asynq.Queue(jobs.QueueCritical), asynq.MaxRetry(3))
		return err
	}
	if rate == 0 {
		var wg sync.WaitGroup
		const producers = 8
		for p := range producers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := p; i < len(routes); i += producers {
					if err := enqueue(routes[i]); err != nil {
						b.Error(err)
						return
					}
				}
			}()
		}
		wg.Wait()
	} else {
		for i, r := range routes {
			if wait := time.Until(start.Add(time.Duration(i) * time.Second / time.Duration(rate))); wait > 0 {
				time.Sleep(wait)
			}
			if err := enqueue(r); err != nil {
				b.Fatal(err)
			}
		}
	}
	select {
	case <-done:
	case <-time.After(5 * time.Minute):
		b.Fatalf("only %d of %d tasks done", len(lat), b.N)
	}
	elapsed := time.Since(start)
	b.StopTimer()

	var delivered int
	noErr(b, tenants.RunInTx(ctx, db, sc, func(ctx context.Context, tx bun.Tx) error {
		n, err := tx.NewSelect().Model((*delivery.Route)(nil)).Where("r.status = ? AND r.tenant_id = ?", delivery.RouteDelivered, w.a.ID).Count(ctx)
		delivered = int(n)
		return err
	}))
	if len(failed) > 0 || delivered != b.N || w.sink.Count() != b.N {
		b.Fatalf("%d routes delivered and %d messages accepted, want %d; %d tasks failed: %v", delivered, w.sink.Count(), b.N, len(failed), failed[:min(3, len(failed))])
	}
	slices.Sort(lat)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "tasks/s")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}

// seedRoutes writes n deliveries of case c, each with one pending e-mail route and its own
// document, in batches.
func seedRoutes(b *testing.B, w *world, sc tenants.Scope, c delivery.CaseInfo, con *delivery.Consent, n int) []delivery.Route {
	b.Helper()
	pdf := fakePDF("行政处罚决定书 benchmark")
	now := dbx.Stamp(w.clock.Now())
	var all []delivery.Route
	for lo := 0; lo < n; lo += 1000 {
		hi := min(n, lo+1000)
		ds := make([]delivery.Delivery, 0, hi-lo)
		rs := make([]delivery.Route, 0, hi-lo)
		w.docs.mu.Lock()
		for range hi - lo {
			doc := dbx.NewID()
			w.docs.docs[doc] = fakeDoc{tenant: w.a.ID, caseID: c.ID, kind: "penalty_decision", pdf: pdf}
			d := delivery.Delivery{ID: dbx.NewID(), TenantID: w.a.ID, CaseID: c.ID, CaseCode: c.Code, BodyID: c.BodyID, DocumentID: doc,
				DocumentKind: "penalty_decision", PartyKind: "person", PartyName: "张三", PartyKey: c.Party.IDNumber,
				Status: delivery.StatusInProgress, DueOn: "2025-10-20", CreatedBy: "bench", CreatedAt: now, UpdatedAt: now}
			ds = append(ds, d)
			rs = append(rs, delivery.Route{ID: dbx.NewID(), TenantID: w.a.ID, DeliveryID: d.ID, DocumentID: doc, Channel: delivery.ChannelEmail,
				Address: con.Email, ConsentID: con.ID, Status: delivery.RoutePending, CreatedBy: "bench", CreatedAt: now, UpdatedAt: now})
		}
		w.docs.mu.Unlock()
		noErr(b, tenants.RunInTx(ctx, w.db, sc, func(ctx context.Context, tx bun.Tx) error {
			if _, err := tx.NewInsert().Model(&ds).Exec(ctx); err != nil {
				return err
			}
			_, err := tx.NewInsert().Model(&rs).Exec(ctx)
			return err
		}))
		all = append(all, rs...)
	}
	return all
}

// quietLogger keeps Asynq's own logging out of the benchmark's output.
type quietLogger struct{ l *slog.Logger }

func (q quietLogger) Debug(args ...any) { q.l.Debug(fmt.Sprint(args...)) }
func (q quietLogger) Info(args ...any)  { q.l.Info(fmt.Sprint(args...)) }
func (q quietLogger) Warn(args ...any)  { q.l.Warn(fmt.Sprint(args...)) }
func (q quietLogger) Error(args ...any) { q.l.Error(fmt.Sprint(args...)) }
func (q quietLogger) Fatal(args ...any) { q.l.Error(fmt.Sprint(args...)) }
