package elements

import (
	"context"
	"slices"

	"github.com/uptrace/bun"

	"zhifa/modules/authz"
	"zhifa/modules/dbx"
	"zhifa/modules/errs"
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
	f.Page = f.Page.norm()
	var out []Law
	var n int
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		q := tenants.Inherited(sc, tx.NewSelect().Model(&out))
		q = likeAny(q, f.Q, "l.name", "l.short_name", "l.issuer")
		if f.Level != "" {
			q = q.Where("l.level = ?", f.Level)
		}
		if f.InForceOn != "" {
			q = inForceOn(q, "l", f.InForceOn)
		}
		var err error
		n, err = scanPage(ctx, q.OrderExpr("l.name, l.id"), f.Page)
		return err
	})
	return out, n, err
}

func badDate(field string) error {
	return errs.E(errs.Invalid, "日期格式有误", "invalid date").WithFields(errs.Field(field, "须为日期 YYYY-MM-DD", "must be a date YYYY-MM-DD"))
}

// FindLaw returns a law the scope can see. Returns Invalid (malformed ID) or NotFound.
func (s *Service) FindLaw(ctx context.Context, sc tenants.Scope, id string) (*Law, error) {
	if err := checkID("id", id); err != nil {
		return nil, err
	}
	var out *Law
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		var err error
		out, err = findLaw(ctx, tx, sc, id)
		return err
	})
	return out, err
}

func findLaw(ctx context.Context, tx bun.IDB, sc tenants.Scope, id string) (*Law, error) {
	l := new(Law)
	if err := tenants.Inherited(sc, tx.NewSelect().Model(l)).Where("l.id = ?", id).Scan(ctx); err != nil {
		return nil, dbx.NotFound(err)
	}
	return l, nil
}

// CreateLaw adds a law to the scope's tenant's catalogue. Needs elements.write. Returns Invalid,
// Forbidden, Conflict (a law of that name is already visible to the scope).
func (s *Service) CreateLaw(ctx context.Context, sc tenants.Scope, in LawInput) (*Law, error) {
	if err := mayCreate(sc, authz.ElementsWrite); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	now := dbx.Now()
	l := &Law{ID: dbx.NewID(), TenantID: sc.TenantID(), CreatedAt: now, UpdatedAt: now}
	in.apply(l)
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		return insertLaw(ctx, tx, sc, l)
	})
	if err != nil {
		return nil, err
	}
	return l, nil
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
	q := tenants.Inherited(sc, tx.NewSelect().Model((*Law)(nil))).Where("l.name = ?", name)
	if except != "" {
		q = q.Where("l.id <> ?", except)
	}
	if n, err := q.Count(ctx); err != nil || n == 0 {
		return err
	}
	u := lawUniques[0]
	return errs.E(errs.Conflict, u.zh, u.en).WithFields(errs.Field(u.field, u.zh, u.en))
}

// UpdateLaw replaces a law of the scope's tenant. Needs elements.write. Returns Invalid,
// NotFound, Forbidden (a law published above), Conflict (name taken).
func (s *Service) UpdateLaw(ctx context.Context, sc tenants.Scope, id string, in LawInput) (*Law, error) {
	if err := checkID("id", id); err != nil {
		return nil, err
	}
	if err := mayWrite(sc, authz.ElementsWrite); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var l *Law
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if l, err = findLaw(ctx, tx, sc, id); err != nil {
			return err
		}
		if err := ownCatalogue(sc, l.TenantID); err != nil {
			return err
		}
		if err := lawNameFree(ctx, tx, sc, in.Name, id); err != nil {
			return err
		}
		var first []Date
		if err := tenants.Own(sc, tx.NewSelect().Model((*Article)(nil))).Column("a.effective_from").
			Where("a.law_id = ?", id).OrderExpr("a.effective_from").Limit(1).Scan(ctx, &first); err != nil {
			return err
		}
		if len(first) > 0 && first[0].Before(in.EffectiveFrom) {
			return errs.E(errs.Invalid, "施行日期晚于该法部分条款的生效日期", "effective_from is after some articles' effective dates").
				WithFields(errs.Field("effective_from", "不能晚于 "+string(first[0]), "cannot be after "+string(first[0])))
		}
		in.apply(l)
		l.UpdatedAt = dbx.Now()
		_, err = tenants.Own(sc, tx.NewUpdate().Model(l)).
			Column("name", "short_name", "level", "issuer", "promulgated_on", "effective_from", "effective_to", "updated_at").
			Where("l.id = ?", id).Exec(ctx)
		return translate(err, lawUniques...)
	})
	if err != nil {
		return nil, err
	}
	return l, nil
}

// DeleteLaw removes a law of the scope's tenant with its articles. Needs elements.write. Returns
// NotFound, Forbidden, Conflict (a matter is based on one of its articles).
func (s *Service) DeleteLaw(ctx context.Context, sc tenants.Scope, id string) error {
	if err := checkID("id", id); err != nil {
		return err
	}
	if err := mayWrite(sc, authz.ElementsWrite); err != nil {
		return err
	}
	return tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		l, err := findLaw(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		if err := ownCatalogue(sc, l.TenantID); err != nil {
			return err
		}
		const zh, en = "该法律法规的条款已被执法事项引用，不能删除", "matters are based on articles of this law; it cannot be deleted"
		if _, err := tenants.Own(sc, tx.NewDelete().Model((*Article)(nil))).Where("law_id = ?", id).Exec(ctx); err != nil {
			return referenced(err, zh, en)
		}
		_, err = tenants.Own(sc, tx.NewDelete().Model((*Law)(nil))).Where("id = ?", id).Exec(ctx)
		return referenced(err, zh, en)
	})
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
	if err := checkID("id", id); err != nil {
		return nil, err
	}
	var out *Article
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		var err error
		out, err = findArticle(ctx, tx, sc, id)
		return err
	})
	return out, err
}

func findArticle(ctx context.Context, tx bun.IDB, sc tenants.Scope, id string) (*Article, error) {
	a := new(Article)
	if err := tenants.Inherited(sc, tx.NewSelect().Model(a)).Where("a.id = ?", id).Scan(ctx); err != nil {
		return nil, dbx.NotFound(err)
	}
	return a, nil
}

// ArticlesInForce returns those of ids (articles the scope can see) that apply on day d: the
// article and its law are both in force. The case engine checks a decision's legal basis with it.
// Unknown or invisible IDs are left out.
func (s *Service) ArticlesInForce(ctx context.Context, sc tenants.Scope, ids []string, d Date) ([]Article, error) {
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
	if err := checkID("id", lawID); err != nil {
		return nil, err
	}
	if err := mayCreate(sc, authz.ElementsWrite); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var a *Article
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		l, err := findLaw(ctx, tx, sc, lawID)
		if err != nil {
			return err
		}
		if err := ownCatalogue(sc, l.TenantID); err != nil {
			return err
		}
		now := dbx.Now()
		a = &Article{ID: dbx.NewID(), TenantID: l.TenantID, LawID: l.ID, CreatedAt: now, UpdatedAt: now}
		if err := in.apply(a, l); err != nil {
			return err
		}
		return insertRow(ctx, tx, a, articleUniques...)
	})
	if err != nil {
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
	if err := checkID("id", id); err != nil {
		return nil, err
	}
	if err := mayWrite(sc, authz.ElementsWrite); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var a *Article
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if a, err = findArticle(ctx, tx, sc, id); err != nil {
			return err
		}
		if err := ownCatalogue(sc, a.TenantID); err != nil {
			return err
		}
		l, err := findLaw(ctx, tx, sc, a.LawID)
		if err != nil {
			return err
		}
		if err := in.apply(a, l); err != nil {
			return err
		}
		a.UpdatedAt = dbx.Now()
		_, err = tenants.Own(sc, tx.NewUpdate().Model(a)).
			Column("number", "seq", "text", "effective_from", "effective_to", "updated_at").Where("a.id = ?", id).Exec(ctx)
		return translate(err, articleUniques...)
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// DeleteArticle removes an article of the scope's tenant. Needs elements.write. Returns NotFound,
// Forbidden, Conflict (a matter is based on it).
func (s *Service) DeleteArticle(ctx context.Context, sc tenants.Scope, id string) error {
	if err := checkID("id", id); err != nil {
		return err
	}
	if err := mayWrite(sc, authz.ElementsWrite); err != nil {
		return err
	}
	return tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		a, err := findArticle(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		if err := ownCatalogue(sc, a.TenantID); err != nil {
			return err
		}
		_, err = tenants.Own(sc, tx.NewDelete().Model((*Article)(nil))).Where("id = ?", id).Exec(ctx)
		return referenced(err, "该条款已被执法事项引用，不能删除", "matters are based on this article; it cannot be deleted")
	})
}
