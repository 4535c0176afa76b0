package jobs

import (
	"context"
	"encoding/json"
	"fmt"

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

// Handler handles one task under the scope its payload names.
type Handler func(ctx context.Context, sc tenants.Scope, body json.RawMessage) error

// Mux routes task types to handlers, restoring each task's scope first.
type Mux struct {
	mux     *asynq.ServeMux
	tenants *tenants.Store
	types   []string
}

// NewMux returns a mux that resolves tenants through store.
func NewMux(store *tenants.Store) *Mux { return &Mux{mux: asynq.NewServeMux(), tenants: store} }

// Handle registers h for task type typ.
func (m *Mux) Handle(typ string, h Handler) {
	m.types = append(m.types, typ)
	m.mux.HandleFunc(typ, func(ctx context.Context, t *asynq.Task) error {
		sc, body, err := m.scope(ctx, t)
		if err != nil {
			return err
		}
		return h(tenants.WithScope(ctx, sc), sc, body)
	})
}

// Types lists the registered task types.
func (m *Mux) Types() []string { return m.types }

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

// NewTask builds a task acting for the scope's tenant. A system scope gives a system envelope.
func NewTask(typ string, sc tenants.Scope, body any, opts ...asynq.Option) (*asynq.Task, error) {
	env, err := envelope(sc, body)
	if err != nil {
		return nil, err
	}
	return asynq.NewTask(typ, env, opts...), nil
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
