package elements

import (
	"context"

	"github.com/uptrace/bun"

	"zhifa/modules/authz"
	"zhifa/modules/dbx"
	"zhifa/modules/errs"
	"zhifa/tenants"
)

var bodyUniques = []unique{{pg: "bodies_code_key", lite: "bodies.code", field: "code",
	zh: "该统一社会信用代码已登记为执法主体", en: "a body with this unified social credit code is already registered"}}

// Bodies lists the scope's tenant's bodies, by name. Any staff role. Returns Invalid for a bad
// filter.
func (s *Service) Bodies(ctx context.Context, sc tenants.Scope, f BodyFilter) ([]Body, int, error) {
	var p problems
	if f.Kind != "" && !f.Kind.Valid() {
		p.add("kind", "未知主体类别", "unknown kind")
	}
	if f.Sector != "" && !f.Sector.Valid() {
		p.add("sector", "未知执法领域", "unknown sector")
	}
	if err := p.err("查询条件有误", "invalid filter"); err != nil {
		return nil, 0, err
	}
	f.Page = f.Page.norm()
	var out []Body
	var n int
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		q := tenants.Own(sc, tx.NewSelect().Model(&out))
		q = likeAny(q, f.Q, "b.name", "b.code")
		if f.Kind != "" {
			q = q.Where("b.kind = ?", f.Kind)
		}
		if f.Sector != "" {
			q = q.Where("b.sector = ?", f.Sector)
		}
		if f.Active != nil {
			q = q.Where("b.active = ?", *f.Active)
		}
		var err error
		n, err = scanPage(ctx, q.OrderExpr("b.name, b.id"), f.Page)
		return err
	})
	return out, n, err
}

// FindBody returns a body of the scope's tenant. Returns Invalid (malformed ID) or NotFound
// (including another tenant's body).
func (s *Service) FindBody(ctx context.Context, sc tenants.Scope, id string) (*Body, error) {
	if err := checkID("id", id); err != nil {
		return nil, err
	}
	var out *Body
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		var err error
		out, err = findBody(ctx, tx, sc, id)
		return err
	})
	return out, err
}

func findBody(ctx context.Context, tx bun.IDB, sc tenants.Scope, id string) (*Body, error) {
	b := new(Body)
	if err := tenants.Own(sc, tx.NewSelect().Model(b)).Where("b.id = ?", id).Scan(ctx); err != nil {
		return nil, dbx.NotFound(err)
	}
	return b, nil
}

// FindBodyByCode returns the scope's tenant's body with a unified social credit code. Returns
// NotFound.
func (s *Service) FindBodyByCode(ctx context.Context, sc tenants.Scope, code string) (*Body, error) {
	b := new(Body)
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		return dbx.NotFound(tenants.Own(sc, tx.NewSelect().Model(b)).Where("b.code = ?", code).Scan(ctx))
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}

// CreateBody registers a body at the scope's tenant. Needs elements.write (not a body-bound
// role). Returns Invalid, Forbidden, Conflict (the code is registered, at any tenant).
func (s *Service) CreateBody(ctx context.Context, sc tenants.Scope, in BodyInput) (*Body, error) {
	if err := mayCreate(sc, authz.ElementsWrite); err != nil {
		return nil, err
	}
	if !bodyAllowed(sc, "") {
		return nil, errs.ErrForbidden
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	now := dbx.Now()
	b := &Body{ID: dbx.NewID(), TenantID: sc.TenantID(), CreatedAt: now, UpdatedAt: now}
	in.apply(b)
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		return insertRow(ctx, tx, b, bodyUniques...)
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}

func (in *BodyInput) apply(b *Body) {
	b.Name, b.Code, b.Kind, b.Sector, b.Active = in.Name, in.Code, in.Kind, in.Sector, true
	if in.Active != nil {
		b.Active = *in.Active
	}
}

// UpdateBody replaces a body of the scope's tenant. Needs elements.write; a body-bound role only
// for its own bodies. Returns Invalid, NotFound, Forbidden, Conflict.
func (s *Service) UpdateBody(ctx context.Context, sc tenants.Scope, id string, in BodyInput) (*Body, error) {
	if err := checkID("id", id); err != nil {
		return nil, err
	}
	if err := mayWrite(sc, authz.ElementsWrite); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var b *Body
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if b, err = findBody(ctx, tx, sc, id); err != nil {
			return err
		}
		if !bodyAllowed(sc, id) {
			return errs.ErrForbidden
		}
		in.apply(b)
		b.UpdatedAt = dbx.Now()
		_, err = tenants.Own(sc, tx.NewUpdate().Model(b)).Column("name", "code", "kind", "sector", "active", "updated_at").
			Where("b.id = ?", id).Exec(ctx)
		return translate(err, bodyUniques...)
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}

// DeleteBody removes a body of the scope's tenant that has no officers and enforces no matter
// (deactivate it otherwise). Needs elements.write, not a body-bound role. Returns NotFound,
// Forbidden, Conflict.
func (s *Service) DeleteBody(ctx context.Context, sc tenants.Scope, id string) error {
	if err := checkID("id", id); err != nil {
		return err
	}
	if err := mayWrite(sc, authz.ElementsWrite); err != nil {
		return err
	}
	return tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		if _, err := findBody(ctx, tx, sc, id); err != nil {
			return err
		}
		if !bodyAllowed(sc, "") {
			return errs.ErrForbidden
		}
		n, err := tenants.Own(sc, tx.NewSelect().Model((*Officer)(nil))).Where("o.body_id = ?", id).Count(ctx)
		if err != nil {
			return err
		}
		if n > 0 {
			return errs.Ef(errs.Conflict, "该执法主体还有 %d 名执法人员，不能删除（可停用）", "the body still has %d officers; deactivate it instead", n)
		}
		const zh, en = "该执法主体仍被执法事项或其他记录引用，不能删除（可停用）", "matters or other records still refer to the body; deactivate it instead"
		n, err = tenants.Inherited(sc, tx.NewSelect().Model((*matterBody)(nil))).Where("mb.body_id = ?", id).Count(ctx)
		if err != nil {
			return err
		}
		if n > 0 {
			return errs.E(errs.Conflict, zh, en)
		}
		_, err = tenants.Own(sc, tx.NewDelete().Model((*Body)(nil))).Where("id = ?", id).Exec(ctx)
		return referenced(err, zh, en)
	})
}
