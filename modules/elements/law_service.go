package elements

import (
	"context"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

var lawUniques = []unique{{pg: "laws_tenant_id_name_key", lite: "laws.name", field: "name",
	zh: "同名法律法规已存在", en: "a law with this name already exists"}}

var articleUniques = []unique{{pg: "articles_law_id_number_effective_from_key", lite: "articles.effective_from", field: "number",
	zh: "该法律法规已有同一条号、同一生效日期的条款", en: "the law already has this article number with this effective date"}}

// Laws lists the laws the scope can see (its own and its ancestors'), by name. Any staff role.
// Returns Invalid for a bad filter.
func (s *Service) Laws(ctx context.Context, sc tenants.Scope, f LawFilter) ([]Law, int, error) {
	if f.Level != "" && !f.Level.Valid() {
		return nil, 0, errs.E(errs.Invalid, "效力层级无效", "unknown level").WithFields(errs.Field("level", "须为 "+joinLevels(), "must be one of "+joinLevels()))
	}
	if f.InForceOn != "" && !f.InForceOn.Valid() {
		return nil, 0, badDate("in_force_on")
	}
	return listPage[Law](ctx, s.db, sc, f.Page, func(_ bun.Tx, q *bun.SelectQuery) *bun.SelectQuery {
		q = likeAny(tenants.Inherited(sc, q), f.Q, "l.name", "l.short_name", "l.issuer")
		if f.Level != "" {
			q = q.Where("l.level = ?", f.Level)
		}
		if f.InForceOn != "" {
			q = inForceOn(q, "l", f.InForceOn)
		}
		return q.OrderExpr("l.name, l.id")
	}, nil)
}

func badDate(field string) error {
	return errs.E(errs.Invalid, "日期格式有误", "invalid date").WithFields(errs.Field(field, "须为日期 YYYY-MM-DD", "must be a date YYYY-MM-DD"))
}

// FindLaw returns a law the scope can see. Returns Invalid (malformed ID) or NotFound.
func (s *Service) FindLaw(ctx context.Context, sc tenants.Scope, id string) (*Law, error) {
	return findOne(ctx, s.db, sc, id, findLaw)
}

// findLaw looks up a law the scope can see.
var findLaw = byID[Law](tenants.Inherited[*bun.SelectQuery])

// CreateLaw adds a law to the scope's tenant's catalogue. Needs elements.write. Returns Invalid,
// Forbidden, Conflict (a law of that name is already visible to the scope).
func (s *Service) CreateLaw(ctx context.Context, sc tenants.Scope, in LawInput) (*Law, error) {
	return createOne(ctx, s.db, sc, mayCreate(sc, authz.ElementsWrite), &in,
		func() (*Law, error) { return in.law(sc.TenantID(), s.stamp()), nil }, insertLaw)
}

// law returns a new law of tenant tenantID made from the validated request.
func (in *LawInput) law(tenantID string, now time.Time) *Law {
	l := &Law{ID: dbx.NewID(), TenantID: tenantID, CreatedAt: now, UpdatedAt: now}
	in.apply(l)
	return l
}

func (in *LawInput) apply(l *Law) {
	l.Name, l.ShortName, l.Level, l.Issuer = in.Name, in.ShortName, in.Level, in.Issuer
	l.PromulgatedOn, l.EffectiveFrom, l.EffectiveTo = in.PromulgatedOn, in.EffectiveFrom, in.EffectiveTo
}

func insertLaw(ctx context.Context, tx bun.Tx, sc tenants.Scope, l *Law) error {
	if err := lawNameFree(ctx, tx, sc, l.Name, ""); err != nil {
		return err
	}
	return insertRow(ctx, tx, l, lawUniques...)
}

// lawNameFree refuses a name that a law visible to the scope (other than except) already has.
func lawNameFree(ctx context.Context, tx bun.IDB, sc tenants.Scope, name, except string) error {
	return visibleFree[Law](ctx, tx, sc, "l.name", name, except, lawUniques[0])
}

// UpdateLaw replaces a law of the scope's tenant. Needs elements.write. Returns Invalid,
// NotFound, Forbidden (a law published above), Conflict (name taken).
func (s *Service) UpdateLaw(ctx context.Context, sc tenants.Scope, id string, in LawInput) (*Law, error) {
	return writeOne(ctx, s.db, sc, id, mayWrite(sc, authz.ElementsWrite), &in, findLaw,
		func(l *Law) error { return ownCatalogue(sc, l.TenantID) },
		func(ctx context.Context, tx bun.Tx, l *Law) (*Law, error) {
			if err := lawNameFree(ctx, tx, sc, in.Name, id); err != nil {
				return nil, err
			}
			var first []civil.Date
			if err := tenants.Own(sc, tx.NewSelect().Model((*Article)(nil))).Column("a.effective_from").
				Where("a.law_id = ?", id).OrderExpr("a.effective_from").Limit(1).Scan(ctx, &first); err != nil {
				return nil, err
			}
			if len(first) > 0 && first[0].Before(in.EffectiveFrom) {
				return nil, errs.E(errs.Invalid, "施行日期晚于该法部分条款的生效日期", "effective_from is after some articles' effective dates").
					WithFields(errs.Field("effective_from", "不能晚于 "+string(first[0]), "cannot be after "+string(first[0])))
			}
			in.apply(l)
			l.UpdatedAt = s.stamp()
			return l, updateRow(ctx, tx, sc, l, id, lawUniques,
				"name", "short_name", "level", "issuer", "promulgated_on", "effective_from", "effective_to", "updated_at")
		})
}

// DeleteLaw removes a law of the scope's tenant with its articles. Needs elements.write. Returns
// NotFound, Forbidden, Conflict (a matter is based on one of its articles).
func (s *Service) DeleteLaw(ctx context.Context, sc tenants.Scope, id string) error {
	const zh, en = "该法律法规的条款已被执法事项引用，不能删除", "matters are based on articles of this law; it cannot be deleted"
	return deleteOne(ctx, s.db, sc, id, authz.ElementsWrite, findLaw,
		func(l *Law) error { return ownCatalogue(sc, l.TenantID) },
		func(ctx context.Context, tx bun.Tx) error {
			_, err := tenants.Own(sc, tx.NewDelete().Model((*Article)(nil))).Where("law_id = ?", id).Exec(ctx)
			return referenced(err, zh, en)
		}, zh, en)
}

// Articles lists the articles of a law the scope can see, in order. With InForceOn, only those in
// force that day (the law too). Returns Invalid, NotFound (no such law).
func (s *Service) Articles(ctx context.Context, sc tenants.Scope, lawID string, f ArticleFilter) ([]Article, int, error) {
	if err := checkID("id", lawID); err != nil {
		return nil, 0, err
	}
	if f.InForceOn != "" && !f.InForceOn.Valid() {
		return nil, 0, badDate("in_force_on")
	}
	f.Page = f.Page.norm()
	var out []Article
	var n int
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		l, err := findLaw(ctx, tx, sc, lawID)
		if err != nil {
			return err
		}
		out = []Article{}
		if f.InForceOn != "" && !l.InForceOn(f.InForceOn) {
			return nil
		}
		q := tenants.Inherited(sc, tx.NewSelect().Model(&out)).Where("a.law_id = ?", lawID)
		q = likeAny(q, f.Q, "a.number", "a.text")
		if f.InForceOn != "" {
			q = inForceOn(q, "a", f.InForceOn)
		}
		n, err = scanPage(ctx, q.OrderExpr("a.seq, a.number, a.effective_from"), f.Page)
		return err
	})
	return out, n, err
}

// FindArticle returns an article the scope can see. Returns Invalid or NotFound.
func (s *Service) FindArticle(ctx context.Context, sc tenants.Scope, id string) (*Article, error) {
	return findOne(ctx, s.db, sc, id, findArticle)
}

// findArticle looks up an article the scope can see.
var findArticle = byID[Article](tenants.Inherited[*bun.SelectQuery])

// ArticlesInForce returns those of ids (articles the scope can see) that apply on day d: the
// article and its law are both in force. The case engine checks a decision's legal basis with it.
// Unknown or invisible IDs are left out.
func (s *Service) ArticlesInForce(ctx context.Context, sc tenants.Scope, ids []string, d civil.Date) ([]Article, error) {
	if !d.Valid() {
		return nil, badDate("date")
	}
	ids = slices.DeleteFunc(dedupe(ids), func(id string) bool { return !dbx.ValidID(id) })
	out := []Article{}
	if len(ids) == 0 {
		return out, nil
	}
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		q := tenants.Inherited(sc, tx.NewSelect().Model(&out)).Where("a.id IN (?)", bun.In(ids)).
			Join("JOIN laws AS l ON l.id = a.law_id")
		q = inForceOn(inForceOn(q, "a", d), "l", d)
		return q.OrderExpr("a.law_id, a.seq").Scan(ctx)
	})
	return out, err
}

// CreateArticle adds an article to a law of the scope's tenant. Needs elements.write. Returns
// Invalid (bad fields, dates outside the law's), NotFound (no such law), Forbidden (a law
// published above), Conflict (same number and effective date).
func (s *Service) CreateArticle(ctx context.Context, sc tenants.Scope, lawID string, in ArticleInput) (*Article, error) {
	return writeOne(ctx, s.db, sc, lawID, mayCreate(sc, authz.ElementsWrite), &in, findLaw,
		func(l *Law) error { return ownCatalogue(sc, l.TenantID) },
		func(ctx context.Context, tx bun.Tx, l *Law) (*Article, error) {
			a, err := in.article(l, s.stamp())
			if err != nil {
				return nil, err
			}
			return a, insertRow(ctx, tx, a, articleUniques...)
		})
}

// article returns a new article of law l made from the validated request, or why its dates do not
// fit the law's.
func (in *ArticleInput) article(l *Law, now time.Time) (*Article, error) {
	a := &Article{ID: dbx.NewID(), TenantID: l.TenantID, LawID: l.ID, CreatedAt: now, UpdatedAt: now}
	if err := in.apply(a, l); err != nil {
		return nil, err
	}
	return a, nil
}

// apply copies a validated request onto a, defaulting and checking its dates against law l.
func (in *ArticleInput) apply(a *Article, l *Law) error {
	a.Number, a.Seq, a.Text = in.Number, in.Seq, in.Text
	a.EffectiveFrom, a.EffectiveTo = in.EffectiveFrom, in.EffectiveTo
	if a.EffectiveFrom == "" {
		a.EffectiveFrom = l.EffectiveFrom
	}
	var p problems
	if a.EffectiveFrom.Before(l.EffectiveFrom) {
		p.add("effective_from", "不能早于所属法律法规的施行日期 "+string(l.EffectiveFrom), "cannot precede the law's effective date "+string(l.EffectiveFrom))
	}
	if a.EffectiveTo != nil && !a.EffectiveTo.After(a.EffectiveFrom) {
		p.add("effective_to", "失效日期须晚于生效日期", "must be after effective_from")
	}
	return p.err("条款信息有误", "invalid article")
}

// UpdateArticle replaces an article of the scope's tenant. Needs elements.write. Returns Invalid,
// NotFound, Forbidden, Conflict.
func (s *Service) UpdateArticle(ctx context.Context, sc tenants.Scope, id string, in ArticleInput) (*Article, error) {
	return writeOne(ctx, s.db, sc, id, mayWrite(sc, authz.ElementsWrite), &in, findArticle,
		func(a *Article) error { return ownCatalogue(sc, a.TenantID) },
		func(ctx context.Context, tx bun.Tx, a *Article) (*Article, error) {
			l, err := findLaw(ctx, tx, sc, a.LawID)
			if err != nil {
				return nil, err
			}
			if err := in.apply(a, l); err != nil {
				return nil, err
			}
			a.UpdatedAt = s.stamp()
			return a, updateRow(ctx, tx, sc, a, id, articleUniques, "number", "seq", "text", "effective_from", "effective_to", "updated_at")
		})
}

// DeleteArticle removes an article of the scope's tenant. Needs elements.write. Returns NotFound,
// Forbidden, Conflict (a matter is based on it).
func (s *Service) DeleteArticle(ctx context.Context, sc tenants.Scope, id string) error {
	return deleteOne(ctx, s.db, sc, id, authz.ElementsWrite, findArticle,
		func(a *Article) error { return ownCatalogue(sc, a.TenantID) }, nil,
		"该条款已被执法事项引用，不能删除", "matters are based on this article; it cannot be deleted")
}
