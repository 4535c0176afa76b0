package jobs_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/app/testenv"
	"zhifa/config"
	"zhifa/jobs"
	"zhifa/modules/kernel/authz"
	"zhifa/tenants"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

var echo = jobs.Task[string]{Type: "test:echo_tenant", Queue: jobs.QueueDefault}

type seen struct {
	mu    sync.Mutex
	calls map[string]string // body -> tenant
	n     int
}

func (s *seen) handler(ctx context.Context, sc tenants.Scope, body string) error {
	if got, ok := tenants.FromContext(ctx); !ok || got.TenantID() != sc.TenantID() {
		return errors.New("handler context carries no scope")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[body] = sc.TenantID()
	s.n++
	return nil
}

func TestOutboxRelaysOnceThroughRealRedis(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		backend, err := jobs.Connect(config.Redis{Addr: testenv.Redis(t)})
		if err != nil {
			t.Fatal(err)
		}
		defer backend.Close()
		tn := dbtest.NewTenant(t, db, nil)
		sc := dbtest.Scope(tn, "officer", authz.Officer)

		// A task written in a rolled-back transaction never exists.
		_ = tenants.RunInTx(ctx, db, sc, func(ctx context.Context, tx bun.Tx) error {
			if _, err := echo.Enqueue(ctx, tx, sc, "rolled back"); err != nil {
				t.Fatal(err)
			}
			return errors.New("abort")
		})
		var ids []string
		for _, body := range []string{"a", "b"} {
			err := tenants.RunInTx(ctx, db, sc, func(ctx context.Context, tx bun.Tx) error {
				id, err := echo.Enqueue(ctx, tx, sc, body)
				ids = append(ids, id)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		client := backend.Client()
		defer client.Close()
		s := &seen{calls: map[string]string{}}
		mux := jobs.NewMux(tenants.NewStore(db))
		jobs.Handle(mux, echo, s.handler)
		relay := jobs.NewRelay(jobs.RelayConfig{DB: db, Client: client, Mux: mux, Log: discard})
		if n, err := relay.RunOnce(ctx); err != nil || n != 2 {
			t.Fatalf("relay: %d, %v; want 2", n, err)
		}
		if n, _ := relay.RunOnce(ctx); n != 0 {
			t.Errorf("second relay handed over %d rows, want 0", n)
		}
		// Re-enqueueing a relayed row's ID (a crash between enqueue and marking) is refused by Asynq.
		_, err = client.Enqueue(asynq.NewTask(echo.Type, []byte(`{}`)), asynq.TaskID(ids[0]))
		if !errors.Is(err, asynq.ErrTaskIDConflict) {
			t.Errorf("duplicate task ID: %v, want ErrTaskIDConflict", err)
		}

		runWorker(t, backend, db, mux, func() bool { s.mu.Lock(); defer s.mu.Unlock(); return s.n >= 2 })
		if s.calls["a"] != tn.ID || s.calls["b"] != tn.ID || s.n != 2 {
			t.Errorf("handled %v (%d calls), want a and b once each for %s", s.calls, s.n, tn.ID)
		}
	})
}

func runWorker(t *testing.T, b *jobs.Backend, db *bun.DB, mux *jobs.Mux, done func() bool) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	w := jobs.NewWorker(jobs.WorkerConfig{Backend: b, DB: db, Mux: mux, Concurrency: 2, RelayEvery: 100 * time.Millisecond,
		Log: discard})
	errc := make(chan error, 1)
	go func() { errc <- w.Run(ctx, jobs.RunOptions{Worker: true}) }()
	deadline := time.Now().Add(30 * time.Second)
	for !done() && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
}

func TestMiddlewareRefusesPayloadWithoutTenant(t *testing.T) {
	db := dbtest.SQLite(t)
	mux := jobs.NewMux(tenants.NewStore(db))
	called := false
	jobs.Handle(mux, echo, func(context.Context, tenants.Scope, string) error { called = true; return nil })
	tn := dbtest.NewTenant(t, db, nil)
	for name, payload := range map[string]string{
		"no tenant":      `{"body":"x"}`,
		"not json":       `nope`,
		"unknown tenant": `{"tenant_id":"999999","body":"x"}`,
		// The body is decoded strictly into the declared payload.
		"wrong payload type": `{"tenant_id":"` + tn.ID + `","body":{"x":1}}`,
		"no body":            `{"tenant_id":"` + tn.ID + `"}`,
	} {
		err := mux.ProcessTask(context.Background(), asynq.NewTask(echo.Type, []byte(payload)))
		if !errors.Is(err, asynq.SkipRetry) {
			t.Errorf("%s: %v, want SkipRetry", name, err)
		}
	}
	if called {
		t.Error("the handler ran for a payload without a tenant or a payload that does not decode")
	}
	task, err := echo.NewTask(dbtest.Scope(tn, "x"), "ok")
	if err != nil {
		t.Fatal(err)
	}
	if err := mux.ProcessTask(context.Background(), task); err != nil || !called {
		t.Errorf("valid payload: %v (called %v)", err, called)
	}
	if _, err := echo.NewTask(tenants.Scope{}, "x"); err == nil {
		t.Error("a task without a scope was built")
	}
}

func TestEmbeddedBackendRunsTasks(t *testing.T) {
	db := dbtest.SQLite(t)
	backend, err := jobs.Connect(config.Redis{})
	if err != nil {
		t.Fatal(err)
	}
	defer backend.Close()
	if !backend.Embedded() {
		t.Fatal("an empty address must give the in-process backend")
	}
	tn := dbtest.NewTenant(t, db, nil)
	sc := dbtest.Scope(tn, "x")
	if err := tenants.RunInTx(context.Background(), db, sc, func(ctx context.Context, tx bun.Tx) error {
		_, err := echo.On(jobs.QueueCritical).Enqueue(ctx, tx, sc, "embedded")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	s := &seen{calls: map[string]string{}}
	mux := jobs.NewMux(tenants.NewStore(db))
	jobs.Handle(mux, echo, s.handler)
	runWorker(t, backend, db, mux, func() bool { s.mu.Lock(); defer s.mu.Unlock(); return s.n >= 1 })
	if s.calls["embedded"] != tn.ID {
		t.Errorf("embedded backend handled %v", s.calls)
	}
}

// TestHandleDecodesPayloadStrictly: a typed handler gets the payload as declared; a body with a
// field the payload does not declare, or of another shape, is refused without retry and never
// reaches the handler.
func TestHandleDecodesPayloadStrictly(t *testing.T) {
	db := dbtest.SQLite(t)
	type route struct {
		RouteID string `json:"route_id"`
	}
	task := jobs.Task[route]{Type: "test:route", Queue: jobs.QueueDefault}
	mux := jobs.NewMux(tenants.NewStore(db))
	var got []route
	jobs.Handle(mux, task, func(_ context.Context, _ tenants.Scope, p route) error { got = append(got, p); return nil })
	tn := dbtest.NewTenant(t, db, nil)
	for name, body := range map[string]string{
		"unknown field": `{"route_id":"r1","channel":"email"}`,
		"wrong type":    `{"route_id":7}`,
		"not an object": `["r1"]`,
	} {
		err := mux.ProcessTask(context.Background(), asynq.NewTask(task.Type, []byte(`{"tenant_id":"`+tn.ID+`","body":`+body+`}`)))
		if !errors.Is(err, asynq.SkipRetry) || !strings.Contains(err.Error(), "test:route: bad payload") {
			t.Errorf("%s: %v, want a bad payload without retry", name, err)
		}
	}
	ok, err := task.NewTask(dbtest.Scope(tn, "x"), route{RouteID: "r2"})
	if err != nil {
		t.Fatal(err)
	}
	if err := mux.ProcessTask(context.Background(), ok); err != nil || len(got) != 1 || got[0].RouteID != "r2" {
		t.Errorf("valid payload: %v, handled %+v", err, got)
	}
	if !mux.Handles("test:route") || mux.Handles("test:other") || !slices.Equal(mux.Types(), []string{"test:route"}) {
		t.Errorf("the mux reports %v", mux.Types())
	}
}

// TestPeriodicRunsUnderSystemScope: a periodic task is registered with its handler and scheduled
// from the mux; the task the scheduler writes reaches the handler under a system scope naming its
// reason.
func TestPeriodicRunsUnderSystemScope(t *testing.T) {
	db := dbtest.SQLite(t)
	p := jobs.Periodic{Type: "test:scan", Queue: jobs.QueueLow, Spec: "@every 1h", Reason: "test: scan everything"}
	mux := jobs.NewMux(tenants.NewStore(db))
	var actor string
	jobs.HandlePeriodic(mux, p, func(_ context.Context, sc tenants.Scope) error {
		if !sc.IsSystem() {
			return errors.New("not a system scope")
		}
		actor = sc.Actor()
		return nil
	})
	if got := mux.Periodic(); len(got) != 1 || got[0] != p {
		t.Fatalf("scheduled %+v", got)
	}
	task, err := p.NewTask()
	if err != nil {
		t.Fatal(err)
	}
	if err := mux.ProcessTask(context.Background(), task); err != nil || actor != "system:test: scan everything" {
		t.Errorf("handled: %v, actor %q", err, actor)
	}
	if _, err := (jobs.Periodic{Type: "test:x"}).NewTask(); err == nil {
		t.Error("a periodic task without a reason was built")
	}
}

// TestRelayHoldsTypesWithoutHandler: a row whose type the relay's mux does not handle is never
// handed to Asynq: it is held once (held_at, last_error), alarmed once at error level, never
// counted as an attempt, and does not hold up the rows behind it; a relay whose mux handles the
// type (a later deployment) releases it, and its worker runs it.
func TestRelayHoldsTypesWithoutHandler(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		backend, err := jobs.Connect(config.Redis{Addr: testenv.Redis(t)})
		if err != nil {
			t.Fatal(err)
		}
		defer backend.Close()
		tn := dbtest.NewTenant(t, db, nil)
		sc := dbtest.Scope(tn, "officer", authz.Officer)
		orphan := jobs.Task[string]{Type: "test:orphan_" + tn.ID, Queue: jobs.QueueDefault}
		var orphans []string
		for _, body := range []string{"o1", "o2"} {
			noErr(t, tenants.RunInTx(ctx, db, sc, func(ctx context.Context, tx bun.Tx) error {
				id, err := orphan.Enqueue(ctx, tx, sc, body)
				orphans = append(orphans, id)
				return err
			}))
		}
		noErr(t, tenants.RunInTx(ctx, db, sc, func(ctx context.Context, tx bun.Tx) error {
			_, err := echo.Enqueue(ctx, tx, sc, "after the orphans")
			return err
		}))
		client := backend.Client()
		defer client.Close()
		var log bytes.Buffer
		old := jobs.NewMux(tenants.NewStore(db))
		jobs.Handle(old, echo, func(context.Context, tenants.Scope, string) error { return nil })
		relay := jobs.NewRelay(jobs.RelayConfig{DB: db, Client: client, Mux: old, Log: slog.New(slog.NewTextHandler(&log, nil))})
		for i := range 3 {
			want := 0
			if i == 0 {
				want = 1
			}
			if n, err := relay.RunOnce(ctx); err != nil || n != want {
				t.Fatalf("relay run %d: %d, %v; want the echo row (behind the held ones) in the first run, nothing after", i, n, err)
			}
		}
		rows := outboxRows(t, db, orphans)
		for _, r := range rows {
			if r.HeldAt == nil || r.RelayedAt != nil || r.Attempts != 0 || !strings.Contains(r.LastError, "no handler") {
				t.Errorf("orphan row %s: held %v relayed %v attempts %d error %q; want held, not relayed, no attempt", r.ID, r.HeldAt, r.RelayedAt, r.Attempts, r.LastError)
			}
		}
		alarms := strings.Count(log.String(), "level=ERROR")
		if alarms != 1 || !strings.Contains(log.String(), "type="+orphan.Type) || !strings.Contains(log.String(), "rows=2") {
			t.Errorf("want one alarm for both rows over three runs, got:\n%s", log.String())
		}
		insp := backend.Inspector()
		defer insp.Close()
		for _, id := range orphans {
			if _, err := insp.GetTaskInfo(jobs.QueueDefault, id); err == nil {
				t.Errorf("held row %s reached Asynq", id)
			}
		}

		// The next deployment handles the type: its relay releases the rows and its worker runs them.
		s := &seen{calls: map[string]string{}}
		next := jobs.NewMux(tenants.NewStore(db))
		jobs.Handle(next, echo, func(context.Context, tenants.Scope, string) error { return nil })
		jobs.Handle(next, orphan, s.handler)
		log.Reset()
		if n, err := jobs.NewRelay(jobs.RelayConfig{DB: db, Client: client, Mux: next, Log: slog.New(slog.NewTextHandler(&log, nil))}).RunOnce(ctx); err != nil || n != 2 {
			t.Fatalf("release: %d, %v; want the two held rows", n, err)
		}
		for _, r := range outboxRows(t, db, orphans) {
			if r.RelayedAt == nil || r.Attempts != 0 || r.LastError != "" {
				t.Errorf("released row %s: relayed %v attempts %d error %q", r.ID, r.RelayedAt, r.Attempts, r.LastError)
			}
		}
		if strings.Contains(log.String(), "level=ERROR") || strings.Count(log.String(), "held task released") != 2 {
			t.Errorf("release log:\n%s", log.String())
		}
		runWorker(t, backend, db, next, func() bool { s.mu.Lock(); defer s.mu.Unlock(); return s.n >= 2 })
		if s.calls["o1"] != tn.ID || s.calls["o2"] != tn.ID {
			t.Errorf("the released tasks ran %v", s.calls)
		}
	})
}

// outboxRows reads the outbox rows ids, in their order.
func outboxRows(t *testing.T, db *bun.DB, ids []string) []jobs.OutboxRow {
	t.Helper()
	var rows []jobs.OutboxRow
	noErr(t, tenants.RunInTx(context.Background(), db, tenants.System("test: read the outbox"), func(ctx context.Context, tx bun.Tx) error {
		return tx.NewSelect().Model(&rows).Where("id IN (?)", bun.In(ids)).OrderExpr("created_at, id").Scan(ctx)
	}))
	if len(rows) != len(ids) {
		t.Fatalf("found %d of %d outbox rows", len(rows), len(ids))
	}
	return rows
}

func noErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
