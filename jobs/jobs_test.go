package jobs_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"os"
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

const typeEcho = "test:echo_tenant"

type seen struct {
	mu    sync.Mutex
	calls map[string]string // body -> tenant
	n     int
}

func (s *seen) handler(ctx context.Context, sc tenants.Scope, body json.RawMessage) error {
	if got, ok := tenants.FromContext(ctx); !ok || got.TenantID() != sc.TenantID() {
		return errors.New("handler context carries no scope")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[string(body)] = sc.TenantID()
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
			if _, err := jobs.Enqueue(ctx, tx, sc, typeEcho, jobs.QueueDefault, "rolled back"); err != nil {
				t.Fatal(err)
			}
			return errors.New("abort")
		})
		var ids []string
		for _, body := range []string{"a", "b"} {
			err := tenants.RunInTx(ctx, db, sc, func(ctx context.Context, tx bun.Tx) error {
				id, err := jobs.Enqueue(ctx, tx, sc, typeEcho, jobs.QueueDefault, body)
				ids = append(ids, id)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		client := backend.Client()
		defer client.Close()
		relay := jobs.NewRelay(db, client)
		if n, err := relay.RunOnce(ctx); err != nil || n != 2 {
			t.Fatalf("relay: %d, %v; want 2", n, err)
		}
		if n, _ := relay.RunOnce(ctx); n != 0 {
			t.Errorf("second relay handed over %d rows, want 0", n)
		}
		// Re-enqueueing a relayed row's ID (a crash between enqueue and marking) is refused by Asynq.
		_, err = client.Enqueue(asynq.NewTask(typeEcho, []byte(`{}`)), asynq.TaskID(ids[0]))
		if !errors.Is(err, asynq.ErrTaskIDConflict) {
			t.Errorf("duplicate task ID: %v, want ErrTaskIDConflict", err)
		}

		s := &seen{calls: map[string]string{}}
		mux := jobs.NewMux(tenants.NewStore(db))
		mux.Handle(typeEcho, s.handler)
		runWorker(t, backend, db, mux, func() bool { s.mu.Lock(); defer s.mu.Unlock(); return s.n >= 2 })
		if s.calls[`"a"`] != tn.ID || s.calls[`"b"`] != tn.ID || s.n != 2 {
			t.Errorf("handled %v (%d calls), want a and b once each for %s", s.calls, s.n, tn.ID)
		}
	})
}

func runWorker(t *testing.T, b *jobs.Backend, db *bun.DB, mux *jobs.Mux, done func() bool) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	w := jobs.NewWorker(jobs.WorkerConfig{Backend: b, DB: db, Mux: mux, Concurrency: 2, RelayEvery: 100 * time.Millisecond,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
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
	mux.Handle(typeEcho, func(context.Context, tenants.Scope, json.RawMessage) error { called = true; return nil })
	for name, payload := range map[string]string{
		"no tenant":      `{"body":"x"}`,
		"not json":       `nope`,
		"unknown tenant": `{"tenant_id":"999999","body":"x"}`,
	} {
		err := mux.ProcessTask(context.Background(), asynq.NewTask(typeEcho, []byte(payload)))
		if !errors.Is(err, asynq.SkipRetry) {
			t.Errorf("%s: %v, want SkipRetry", name, err)
		}
	}
	if called {
		t.Error("the handler ran for a payload without a tenant")
	}
	tn := dbtest.NewTenant(t, db, nil)
	task, err := jobs.NewTask(typeEcho, dbtest.Scope(tn, "x"), "ok")
	if err != nil {
		t.Fatal(err)
	}
	if err := mux.ProcessTask(context.Background(), task); err != nil || !called {
		t.Errorf("valid payload: %v (called %v)", err, called)
	}
	if _, err := jobs.NewTask(typeEcho, tenants.Scope{}, "x"); err == nil {
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
		_, err := jobs.Enqueue(ctx, tx, sc, typeEcho, jobs.QueueCritical, "embedded")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	s := &seen{calls: map[string]string{}}
	mux := jobs.NewMux(tenants.NewStore(db))
	mux.Handle(typeEcho, s.handler)
	runWorker(t, backend, db, mux, func() bool { s.mu.Lock(); defer s.mu.Unlock(); return s.n >= 1 })
	if s.calls[`"embedded"`] != tn.ID {
		t.Errorf("embedded backend handled %v", s.calls)
	}
}
