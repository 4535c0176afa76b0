package elements

import (
	"cmp"
	"context"
	"time"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
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
	return listPage[Body](ctx, s.db, sc, f.Page, func(_ bun.Tx, q *bun.SelectQuery) *bun.SelectQuery {
		q = likeAny(tenants.Own(sc, q), f.Q, "b.name", "b.code")
		if f.Kind != "" {
			q = q.Where("b.kind = ?", f.Kind)
		}
		if f.Sector != "" {
			q = q.Where("b.sector = ?", f.Sector)
		}
		if f.Active != nil {
			q = q.Where("b.active = ?", *f.Active)
		}
		return q.OrderExpr("b.name, b.id")
	}, nil)
}

// FindBody returns a body of the scope's tenant. Returns Invalid (malformed ID) or NotFound
// (including another tenant's body).
func (s *Service) FindBody(ctx context.Context, sc tenants.Scope, id string) (*Body, error) {
	return findOne(ctx, s.db, sc, id, findBody)
}

// findBody looks up a body of the scope's tenant.
var findBody = byID[Body](tenants.Own[*bun.SelectQuery])

// FindBodyByCode returns the scope's tenant's body with a unified social credit code. Returns
// NotFound.
func (s *Service) FindBodyByCode(ctx context.Context, sc tenants.Scope, code string) (*Body, error) {
	return selectOneIn[Body](ctx, s.db, sc, func(q *bun.SelectQuery) *bun.SelectQuery {
		return tenants.Own(sc, q).Where("b.code = ?", code)
	})
}

// CreateBody registers a body at the scope's tenant. Needs elements.write (not a body-bound
// role). Returns Invalid, Forbidden, Conflict (the code is registered, at any tenant).
func (s *Service) CreateBody(ctx context.Context, sc tenants.Scope, in BodyInput) (*Body, error) {
	return createOne(ctx, s.db, sc, cmp.Or(mayCreate(sc, authz.ElementsWrite), bodyGuard(sc, authz.ElementsWrite, "")), &in,
		func() (*Body, error) { return in.body(sc.TenantID(), s.stamp()), nil }, insertBody)
}

// body returns a new body of tenant tenantID made from the validated request.
func (in *BodyInput) body(tenantID string, now time.Time) *Body {
	b := &Body{ID: dbx.NewID(), TenantID: tenantID, CreatedAt: now, UpdatedAt: now}
	in.apply(b)
	return b
}

func insertBody(ctx context.Context, tx bun.Tx, _ tenants.Scope, b *Body) error {
	return insertRow(ctx, tx, b, bodyUniques...)
}

func (in *BodyInput) apply(b *Body) {
	b.Name, b.Code, b.Kind, b.Sector, b.Address, b.Phone, b.Active = in.Name, in.Code, in.Kind, in.Sector, in.Address, in.Phone, true
	if in.Active != nil {
		b.Active = *in.Active
	}
}

// UpdateBody replaces a body of the scope's tenant. Needs elements.write; a body-bound role only
// for its own bodies. Returns Invalid, NotFound, Forbidden, Conflict.
func (s *Service) UpdateBody(ctx context.Context, sc tenants.Scope, id string, in BodyInput) (*Body, error) {
	return writeOne(ctx, s.db, sc, id, mayWrite(sc, authz.ElementsWrite), &in, findBody,
		func(*Body) error { return bodyGuard(sc, authz.ElementsWrite, id) },
		func(ctx context.Context, tx bun.Tx, b *Body) (*Body, error) {
			in.apply(b)
			b.UpdatedAt = s.stamp()
			return b, updateRow(ctx, tx, sc, b, id, bodyUniques, "name", "code", "kind", "sector", "address", "phone", "active", "updated_at")
		})
}

// bodyGuard refuses action a on the officers and records of body bodyID ("": the tenant's, such as
// creating a body) unless a role of sc allowing a reaches it (tenants.Scope.CanFor).
func bodyGuard(sc tenants.Scope, a authz.Action, bodyID string) error {
	if !sc.CanFor(a, bodyID) {
		return errs.ErrForbidden
	}
	return nil
}

// DeleteBody removes a body of the scope's tenant that has no officers and enforces no matter
// (deactivate it otherwise). Needs elements.write, not a body-bound role. Returns NotFound,
// Forbidden, Conflict.
func (s *Service) DeleteBody(ctx context.Context, sc tenants.Scope, id string) error {
	const zh, en = "该执法主体仍被执法事项或其他记录引用，不能删除（可停用）", "matters or other records still refer to the body; deactivate it instead"
	return deleteOne(ctx, s.db, sc, id, authz.ElementsWrite, findBody,
		func(*Body) error { return bodyGuard(sc, authz.ElementsWrite, "") },
		func(ctx context.Context, tx bun.Tx) error {
			n, err := tenants.Own(sc, tx.NewSelect().Model((*Officer)(nil))).Where("o.body_id = ?", id).Count(ctx)
			if err != nil {
				return err
			}
			if n > 0 {
				return errs.Ef(errs.Conflict, "该执法主体还有 %d 名执法人员，不能删除（可停用）", "the body still has %d officers; deactivate it instead", n)
			}
			if _, err := tenants.Own(sc, tx.NewDelete().Model((*CertificateNotice)(nil))).Where("body_id = ?", id).Exec(ctx); err != nil {
				return err
			}
			return unreferenced(ctx, tenants.Inherited(sc, tx.NewSelect().Model((*matterBody)(nil))).Where("mb.body_id = ?", id), zh, en)
		}, zh, en)
}
