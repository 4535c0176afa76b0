package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"
	"github.com/uptrace/bun"
)

// TaskCheckInterval is how long an idle worker waits before it looks for tasks again. Asynq's
// default (1 s) adds up to a second to every task that arrives while the queues are empty, such
// as a document's delivery after the step that issued it; ten looks a second cost Redis little.
const TaskCheckInterval = 100 * time.Millisecond

// Worker runs the Asynq server, the periodic scheduler and the outbox relay.
type Worker struct {
	backend     *Backend
	db          *bun.DB
	mux         *Mux
	concurrency int
	relayEvery  time.Duration
	log         *slog.Logger
	now         func() time.Time
}

// WorkerConfig wires a worker.
type WorkerConfig struct {
	Backend     *Backend
	DB          *bun.DB
	Mux         *Mux // its handlers, and the periodic tasks registered with it
	Concurrency int
	RelayEvery  time.Duration
	Log         *slog.Logger
	// Now is the clock of its relay (default time.Now): the platform passes its own.
	Now func() time.Time
}

// NewWorker returns a worker.
func NewWorker(c WorkerConfig) *Worker {
	return &Worker{backend: c.Backend, db: c.DB, mux: c.Mux, concurrency: c.Concurrency, relayEvery: c.RelayEvery, log: c.Log, now: c.Now}
}

// RunOptions chooses what a worker process runs.
type RunOptions struct {
	Worker    bool // process tasks and relay the outbox
	Scheduler bool // enqueue periodic tasks
}

// Run runs until ctx ends, then shuts down gracefully.
func (w *Worker) Run(ctx context.Context, o RunOptions) error {
	var stops []func()
	if o.Worker {
		srv := asynq.NewServerFromRedisClient(w.backend.Redis, asynq.Config{
			Concurrency:       w.concurrency,
			Queues:            Queues,
			TaskCheckInterval: TaskCheckInterval,
			Logger:            slogAdapter{w.log},
			ShutdownTimeout:   10 * time.Second,
			ErrorHandler: asynq.ErrorHandlerFunc(func(ctx context.Context, t *asynq.Task, err error) {
				w.log.WarnContext(ctx, "task failed", "type", t.Type(), "err", err.Error(), "skip_retry", errors.Is(err, asynq.SkipRetry))
			}),
		})
		if err := srv.Start(w.mux); err != nil {
			return fmt.Errorf("jobs: start worker: %w", err)
		}
		stops = append(stops, srv.Shutdown)
		client := w.backend.Client()
		stops = append(stops, func() { client.Close() })
		relay := NewRelay(RelayConfig{DB: w.db, Client: client, Mux: w.mux, Log: w.log, Now: w.now})
		rctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() {
			defer close(done)
			relay.Run(rctx, w.relayEvery, func(err error) { w.log.Error("outbox relay", "err", err.Error()) })
		}()
		stops = append(stops, func() { cancel(); <-done })
	}
	if o.Scheduler {
		s := asynq.NewSchedulerFromRedisClient(w.backend.Redis, &asynq.SchedulerOpts{Logger: slogAdapter{w.log}})
		for _, p := range w.mux.Periodic() {
			t, err := p.NewTask()
			if err != nil {
				return err
			}
			if _, err := s.Register(p.Spec, t, asynq.Queue(p.Queue), asynq.Unique(time.Minute)); err != nil {
				return fmt.Errorf("jobs: schedule %s: %w", p.Type, err)
			}
		}
		if err := s.Start(); err != nil {
			return fmt.Errorf("jobs: start scheduler: %w", err)
		}
		stops = append(stops, s.Shutdown)
	}
	<-ctx.Done()
	for i := len(stops) - 1; i >= 0; i-- {
		stops[i]()
	}
	return nil
}

func envelopeSystem(reason string) ([]byte, error) {
	if reason == "" {
		return nil, errors.New("jobs: periodic task without a reason")
	}
	return json.Marshal(Envelope{System: reason})
}

// slogAdapter lets Asynq log through slog.
type slogAdapter struct{ l *slog.Logger }

func (a slogAdapter) Debug(args ...any) { a.l.Debug(fmt.Sprint(args...), "component", "asynq") }
func (a slogAdapter) Info(args ...any)  { a.l.Info(fmt.Sprint(args...), "component", "asynq") }
func (a slogAdapter) Warn(args ...any)  { a.l.Warn(fmt.Sprint(args...), "component", "asynq") }
func (a slogAdapter) Error(args ...any) { a.l.Error(fmt.Sprint(args...), "component", "asynq") }
func (a slogAdapter) Fatal(args ...any) {
	a.l.Error(fmt.Sprint(args...), "component", "asynq", "fatal", true)
}
