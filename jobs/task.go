package jobs

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/hibiken/asynq"
	"github.com/uptrace/bun"

	"zhifa/tenants"
)

// Task declares a task type and its payload P, once, in the package of the module that handles
// it: producers enqueue through the declaration, the handling module registers its handler with
// it (Handle), so the type string and the payload cannot drift apart. Declare it as a package
// variable with a string literal Type (module:verb_noun); a test in app/ finds every declaration
// and asserts the platform's mux handles it.
type Task[P any] struct {
	Type  string
	Queue string // the queue producers write it to, unless they choose another (On)
}

// Enqueue writes the task with payload p to the outbox inside the caller's transaction tx, which
// must act under sc: the task exists if and only if the transaction commits. It returns the outbox
// ID, which becomes the Asynq task ID, so relaying twice never runs the task twice.
func (t Task[P]) Enqueue(ctx context.Context, tx bun.IDB, sc tenants.Scope, p P) (string, error) {
	return enqueue(ctx, tx, sc, t.Type, t.Queue, p)
}

// On returns the declaration written to another queue (a decision served before a notice).
func (t Task[P]) On(queue string) Task[P] {
	t.Queue = queue
	return t
}

// NewTask builds the task as the relay hands it to Asynq, acting for sc's tenant (a system scope
// gives a system envelope), for handing straight to a mux.
func (t Task[P]) NewTask(sc tenants.Scope, p P) (*asynq.Task, error) {
	env, err := envelope(sc, p)
	if err != nil {
		return nil, err
	}
	return asynq.NewTask(t.Type, env), nil
}

// Handle registers h for the task t on m. The body is decoded strictly into P (unknown fields
// and trailing data are refused): a payload that does not decode is never retried.
func Handle[P any](m *Mux, t Task[P], h func(ctx context.Context, sc tenants.Scope, p P) error) {
	m.handle(t.Type, func(ctx context.Context, sc tenants.Scope, body json.RawMessage) error {
		var p P
		if err := decodeStrict(body, &p); err != nil {
			return fmt.Errorf("jobs: %s: bad payload: %v: %w", t.Type, err, asynq.SkipRetry)
		}
		return h(ctx, sc, p)
	})
}

// Periodic declares a task the scheduler enqueues on a cron spec, acting for the platform (a
// system scope naming Reason); it carries no payload. Like Task, it is declared once as a package
// variable with a string literal Type, by the module that handles it (HandlePeriodic).
type Periodic struct {
	Type   string
	Queue  string
	Spec   string // cron spec, e.g. "@every 1h" or "0 2 * * *"
	Reason string // the system reason the handler's scope carries
}

// HandlePeriodic registers h for the periodic task p on m and schedules p with m's worker.
func HandlePeriodic(m *Mux, p Periodic, h func(ctx context.Context, sc tenants.Scope) error) {
	m.handle(p.Type, func(ctx context.Context, sc tenants.Scope, _ json.RawMessage) error { return h(ctx, sc) })
	m.periodic = append(m.periodic, p)
}

// NewTask builds the task as the scheduler writes it, for handing straight to a mux.
func (p Periodic) NewTask() (*asynq.Task, error) {
	raw, err := envelopeSystem(p.Reason)
	if err != nil {
		return nil, err
	}
	return asynq.NewTask(p.Type, raw), nil
}

// decodeStrict decodes raw into v: unknown fields and trailing data are refused, as is an empty body.
func decodeStrict(raw json.RawMessage, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("data after the payload")
	}
	return nil
}
