package tenants

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/secretbox"
)

// Service is the tenancy use cases: the tree and settings. Handlers and jobs call it, never the store.
type Service struct {
	db    *bun.DB
	store *Store
	box   *secretbox.Box // secret settings (UseSecretKey); nil: none can be set or read
	defs  *settingDefs   // the settings it knows
	now   func() time.Time
}

// NewService returns the tenancy service over db, knowing the kernel's own settings (Settings)
// and those of settings: each module's list (its Settings()), which the composition root passes.
// It panics on a key defined twice or a definition whose default fails it, programming errors.
func NewService(db *bun.DB, settings ...[]SettingDef) *Service {
	return &Service{db: db, store: NewStore(db), defs: newSettingDefs(append([][]SettingDef{Settings()}, settings...)...), now: time.Now}
}

// UseClock gives the service its clock (default time.Now), which stamps the tenants it creates
// and the settings it writes and audits; the composition root passes the platform's, before the
// service is used.
func (s *Service) UseClock(now func() time.Time) { s.now = now }

// Store exposes the registry for the middlewares that resolve tenants.
func (s *Service) Store() *Store { return s.store }

// Tree returns the tenants the caller may see: the whole subtree for tenant operators,
// supervisors and procurators at the scope's tenant, otherwise the scope's tenant alone.
func (s *Service) Tree(ctx context.Context, sc Scope) ([]Tenant, error) {
	if sc.IsSystem() || sc.Can(authz.SupervisionRead) || sc.Can(authz.TenantsWrite) {
		return s.store.Subtree(ctx, sc)
	}
	t, err := s.store.Lookup(ctx, sc.tenantID)
	if err != nil {
		return nil, err
	}
	return []Tenant{*t}, nil
}

// Get returns one tenant the caller may see (see Tree). Returns NotFound.
func (s *Service) Get(ctx context.Context, sc Scope, id string) (*Tenant, error) {
	return s.store.Find(ctx, sc, id, sc.Can(authz.SupervisionRead) || sc.Can(authz.TenantsWrite))
}

// NewTenant is a request to create a tenant under a parent.
type NewTenant struct {
	ID       string `json:"id"`
	ParentID string `json:"parent_id"`
	Tier     Tier   `json:"tier"`
	Name     string `json:"name"`
}

// Create adds a tenant under a parent inside the caller's subtree. Tenant operators only.
// Returns Invalid (bad fields, wrong tier order), NotFound (parent outside the caller's subtree),
// Conflict (code taken).
func (s *Service) Create(ctx context.Context, sc Scope, req NewTenant) (*Tenant, error) {
	if !sc.Can(authz.TenantsWrite) || sc.readOnly {
		return nil, errs.ErrForbidden
	}
	t := &Tenant{ID: req.ID, Tier: req.Tier, Name: req.Name, CreatedAt: dbx.Stamp(s.now()), CreatedBy: sc.actor}
	if err := t.ValidateNew(); err != nil {
		return nil, err
	}
	if req.ParentID == "" {
		return nil, errs.E(errs.Invalid, "须指定上级租户", "parent_id is required").
			WithFields(errs.Field("parent_id", "必填", "required"))
	}
	parent, err := s.store.Find(ctx, sc, req.ParentID, true)
	if err != nil {
		return nil, err
	}
	if !sc.IsSystem() && !InSubtree(parent.Path, sc.path) {
		return nil, errs.ErrNotFound
	}
	t.ParentID = &parent.ID
	if err := s.store.Insert(ctx, t); err != nil {
		return nil, err
	}
	return t, nil
}

// EnsureRoot creates the deployment's root (central) tenant if it does not exist. System use only.
func (s *Service) EnsureRoot(ctx context.Context, id, name string, tier Tier) (*Tenant, error) {
	if t, err := s.store.Lookup(ctx, id); err == nil {
		return t, nil
	}
	t := &Tenant{ID: id, Tier: tier, Name: name, CreatedAt: dbx.Stamp(s.now()), CreatedBy: "system:bootstrap"}
	if err := t.ValidateNew(); err != nil {
		return nil, err
	}
	if err := s.store.Insert(ctx, t); err != nil && !errs.Is(err, errs.Conflict) {
		return nil, err
	}
	return s.store.Lookup(ctx, id)
}
