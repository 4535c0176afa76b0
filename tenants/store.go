package tenants

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"
	"github.com/uptrace/bun"

	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
)

// Store reads and writes the tenant registry. The registry itself is not tenant-owned: visibility
// is decided here from the caller's scope.
type Store struct {
	db    *bun.DB
	cache *expirable.LRU[string, Tenant]
}

// lookupTTL bounds how long a tenant read by Lookup is reused. A tenant's ID, path and tier never
// change once created, so the cache only saves the query every request would make.
const lookupTTL = time.Minute

// NewStore returns a store over db.
func NewStore(db *bun.DB) *Store {
	return &Store{db: db, cache: expirable.NewLRU[string, Tenant](10000, nil, lookupTTL)}
}

// Lookup returns the tenant with id, for the middlewares that build scopes. Returns NotFound.
func (s *Store) Lookup(ctx context.Context, id string) (*Tenant, error) {
	if t, ok := s.cache.Get(id); ok {
		return &t, nil
	}
	t := new(Tenant)
	if err := s.db.NewSelect().Model(t).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, dbx.NotFound(err)
	}
	s.cache.Add(id, *t)
	return t, nil
}

// visible reports whether the scope may see tenant t: its own tenant, its ancestors (whose names
// it shows in breadcrumbs), and for tenant operators and supervisors the subtree below it.
func visible(sc Scope, t *Tenant, subtree bool) bool {
	if sc.IsSystem() {
		return true
	}
	if t.ID == sc.tenantID {
		return true
	}
	for _, a := range sc.Ancestors() {
		if a == t.ID {
			return true
		}
	}
	return subtree && InSubtree(t.Path, sc.path)
}

// Find returns the tenant with id if sc may see it. Returns NotFound otherwise.
func (s *Store) Find(ctx context.Context, sc Scope, id string, subtree bool) (*Tenant, error) {
	t, err := s.Lookup(ctx, id)
	if err != nil {
		return nil, err
	}
	if !visible(sc, t, subtree) {
		return nil, errs.ErrNotFound
	}
	return t, nil
}

// Subtree returns the scope's tenant and everything under it, ordered by path (depth first).
func (s *Store) Subtree(ctx context.Context, sc Scope) ([]Tenant, error) {
	var ts []Tenant
	q := s.db.NewSelect().Model(&ts).OrderExpr("path")
	if !sc.IsSystem() {
		q = q.Where("path = ? OR path LIKE ?", sc.path, sc.path+"/%")
	}
	return ts, q.Scan(ctx)
}

// Insert adds t under its parent (nil parent: a root). It computes the path, checks the tier
// order, and returns Conflict when the ID is taken.
func (s *Store) Insert(ctx context.Context, t *Tenant) error {
	t.Path = t.ID
	if t.ParentID != nil {
		parent, err := s.Lookup(ctx, *t.ParentID)
		if err != nil {
			if errors.Is(err, errs.ErrNotFound) {
				return errs.E(errs.Invalid, "上级租户不存在", "parent tenant does not exist").
					WithFields(errs.Field("parent_id", "不存在", "does not exist"))
			}
			return err
		}
		if !t.Tier.Below(parent.Tier) {
			return errs.Ef(errs.Invalid, "%s 级租户不能建在 %s 级之下", "a %s cannot sit under a %s", t.Tier, parent.Tier).
				WithFields(errs.Field("tier", "层级须低于上级", "must be below the parent's tier"))
		}
		t.Path = parent.Path + "/" + t.ID
	}
	if _, err := s.db.NewInsert().Model(t).Exec(ctx); err != nil {
		if dbx.IsUniqueViolation(err) {
			return errs.Ef(errs.Conflict, "代码 %s 已被使用", "tenant code %s is already taken", t.ID).
				WithFields(errs.Field("id", "已存在", "already exists"))
		}
		return fmt.Errorf("tenants: insert: %w", err)
	}
	return nil
}
