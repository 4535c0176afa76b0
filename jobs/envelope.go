package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/hibiken/asynq"

	"zhifa/modules/kernel/authz"
	"zhifa/tenants"
)

// Envelope is the payload of every task: whose data it acts on, and the task's own body.
type Envelope struct {
	TenantID string          `json:"tenant_id,omitempty"`
	System   string          `json:"system,omitempty"` // a reason, for platform-wide tasks only
	Body     json.RawMessage `json:"body,omitempty"`
}

// ErrNoScope marks a payload that names no tenant: it is refused and never retried.
var ErrNoScope = fmt.Errorf("jobs: payload names no tenant: %w", asynq.SkipRetry)

// Mux routes task types to handlers, restoring each task's scope first. Handlers are registered
// through the typed declarations (Handle, HandlePeriodic); the outbox relay serves only the types
// its mux handles (Handles).
type Mux struct {
	mux      *asynq.ServeMux
	tenants  *tenants.Store
	types    map[string]bool
	periodic []Periodic
}

// NewMux returns a mux that resolves tenants through store.
func NewMux(store *tenants.Store) *Mux {
	return &Mux{mux: asynq.NewServeMux(), tenants: store, types: map[string]bool{}}
}

// handle registers h for task type typ; a type is handled once.
func (m *Mux) handle(typ string, h func(ctx context.Context, sc tenants.Scope, body json.RawMessage) error) {
	if m.types[typ] {
		panic("jobs: two handlers for " + typ)
	}
	m.types[typ] = true
	m.mux.HandleFunc(typ, func(ctx context.Context, t *asynq.Task) error {
		sc, body, err := m.scope(ctx, t)
		if err != nil {
			return err
		}
		return h(tenants.WithScope(ctx, sc), sc, body)
	})
}

// Handles reports whether a handler for task type typ is registered.
func (m *Mux) Handles(typ string) bool { return m.types[typ] }

// Types lists the registered task types, sorted.
func (m *Mux) Types() []string { return slices.Sorted(maps.Keys(m.types)) }

// Periodic lists the periodic tasks registered (HandlePeriodic), for the scheduler.
func (m *Mux) Periodic() []Periodic { return slices.Clone(m.periodic) }

// ProcessTask lets the mux serve as an asynq.Handler.
func (m *Mux) ProcessTask(ctx context.Context, t *asynq.Task) error { return m.mux.ProcessTask(ctx, t) }

// scope restores the scope a task's envelope names. A task acts at its tenant as the platform
// itself, with the tenant-operator role there (never above it); a system envelope gets a system scope.
func (m *Mux) scope(ctx context.Context, t *asynq.Task) (tenants.Scope, json.RawMessage, error) {
	var env Envelope
	if err := json.Unmarshal(t.Payload(), &env); err != nil {
		return tenants.Scope{}, nil, fmt.Errorf("jobs: %s: bad payload: %v: %w", t.Type(), err, asynq.SkipRetry)
	}
	switch {
	case env.TenantID != "":
		tn, err := m.tenants.Lookup(ctx, env.TenantID)
		if err != nil {
			return tenants.Scope{}, nil, fmt.Errorf("jobs: %s: tenant %s: %v: %w", t.Type(), env.TenantID, err, asynq.SkipRetry)
		}
		return tenants.NewScope(tn, "job:"+t.Type(), []authz.Role{authz.TenantOperator}, nil), env.Body, nil
	case env.System != "":
		return tenants.System(env.System), env.Body, nil
	}
	return tenants.Scope{}, nil, ErrNoScope
}

func envelope(sc tenants.Scope, body any) ([]byte, error) {
	if !sc.Valid() {
		return nil, tenants.ErrNoScope
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	env := Envelope{TenantID: sc.TenantID(), Body: raw}
	if sc.IsSystem() {
		env = Envelope{System: sc.Actor()[len("system:"):], Body: raw}
	}
	return json.Marshal(env)
}
