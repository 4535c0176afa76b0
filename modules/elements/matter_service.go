package elements

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

var matterUniques = []unique{{pg: "matters_tenant_id_code_key", lite: "matters.code", field: "code",
	zh: "该事项编码已被使用", en: "this matter code is already used"}}

// Matters lists the matters the scope can see (its own and its ancestors'), by code, with their
// links. Any staff role. Returns Invalid for a bad filter.
func (s *Service) Matters(ctx context.Context, sc tenants.Scope, f MatterFilter) ([]Matter, int, error) {
	var p problems
	if f.Kind != "" && !f.Kind.Valid() {
		p.add("kind", "未知事项类别", "unknown kind")
	}
	if f.Sector != "" && !f.Sector.Valid() {
		p.add("sector", "未知执法领域", "unknown sector")
	}
	if f.BodyID != "" && !dbx.ValidID(f.BodyID) {
		p.add("body_id", "须为 UUID", "must be a UUID")
	}
	if f.ArticleID != "" && !dbx.ValidID(f.ArticleID) {
		p.add("article_id", "须为 UUID", "must be a UUID")
	}
	if err := p.err("查询条件有误", "invalid filter"); err != nil {
		return nil, 0, err
	}
	return listPage(ctx, s.db, sc, f.Page, func(tx bun.Tx, q *bun.SelectQuery) *bun.SelectQuery {
		q = likeAny(tenants.Inherited(sc, q), f.Q, "m.code", "m.name")
		if f.Kind != "" {
			q = q.Where("m.kind = ?", f.Kind)
		}
		if f.Sector != "" {
			q = q.Where("m.sector = ?", f.Sector)
		}
		if f.BodyID != "" {
			q = q.Where("m.id IN (?)", tenants.Inherited(sc, tx.NewSelect().Model((*matterBody)(nil))).
				Column("mb.matter_id").Where("mb.body_id = ?", f.BodyID))
		}
		if f.ArticleID != "" {
			q = q.Where("m.id IN (?)", tenants.Inherited(sc, tx.NewSelect().Model((*matterArticle)(nil))).
				Column("ma.matter_id").Where("ma.article_id = ?", f.ArticleID))
		}
		return q.OrderExpr("m.code, m.id")
	}, func(ctx context.Context, tx bun.Tx, ms []Matter) error { return loadLinks(ctx, tx, sc, ms) })
}

// loadLinks fills the article and body IDs of ms.
func loadLinks(ctx context.Context, tx bun.IDB, sc tenants.Scope, ms []Matter) error {
	if len(ms) == 0 {
		return nil
	}
	ids := make([]string, len(ms))
	at := make(map[string]int, len(ms))
	for i := range ms {
		ids[i], at[ms[i].ID] = ms[i].ID, i
		ms[i].ArticleIDs, ms[i].BodyIDs = []string{}, []string{}
	}
	var arts []matterArticle
	if err := tenants.Inherited(sc, tx.NewSelect().Model(&arts)).Where("ma.matter_id IN (?)", bun.In(ids)).
		OrderExpr("ma.seq, ma.article_id").Scan(ctx); err != nil {
		return err
	}
	for i := range ms {
		ms[i].Provisions = []MatterProvision{}
	}
	for _, l := range arts {
		m := &ms[at[l.MatterID]]
		m.ArticleIDs = append(m.ArticleIDs, l.ArticleID)
		if l.Role != "" {
			m.Provisions = append(m.Provisions, MatterProvision{Role: l.Role, Provision: Provision{ArticleID: l.ArticleID, Paragraph: l.Paragraph, Item: l.Item}})
		}
	}
	for i := range ms {
		slices.Sort(ms[i].ArticleIDs)
		slices.SortStableFunc(ms[i].Provisions, func(a, b MatterProvision) int { return strings.Compare(string(b.Role), string(a.Role)) })
	}
	var bodies []matterBody
	if err := tenants.Inherited(sc, tx.NewSelect().Model(&bodies)).Where("mb.matter_id IN (?)", bun.In(ids)).
		OrderExpr("mb.body_id").Scan(ctx); err != nil {
		return err
	}
	for _, l := range bodies {
		m := &ms[at[l.MatterID]]
		m.BodyIDs = append(m.BodyIDs, l.BodyID)
	}
	return nil
}

// FindMatter returns a matter the scope can see, with its links. Returns Invalid or NotFound.
func (s *Service) FindMatter(ctx context.Context, sc tenants.Scope, id string) (*Matter, error) {
	return findOne(ctx, s.db, sc, id, findMatterByID)
}

// FindMatterByCode returns the matter with code that the scope can see, with its links. Returns
// NotFound.
func (s *Service) FindMatterByCode(ctx context.Context, sc tenants.Scope, code string) (*Matter, error) {
	return inTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) (*Matter, error) {
		return findMatter(ctx, tx, sc, "m.code = ?", strings.TrimSpace(code))
	})
}

// findMatter returns the visible matter matching where, nearest tenant first, with its links.
func findMatter(ctx context.Context, tx bun.IDB, sc tenants.Scope, where string, arg any) (*Matter, error) {
	var ms []Matter
	if err := tenants.Inherited(sc, tx.NewSelect().Model(&ms)).Where(where, arg).Scan(ctx); err != nil {
		return nil, err
	}
	if len(ms) == 0 {
		return nil, errs.ErrNotFound
	}
	m := nearest(sc, ms, func(m Matter) string { return m.TenantID })
	out := []Matter{*m}
	if err := loadLinks(ctx, tx, sc, out); err != nil {
		return nil, err
	}
	return &out[0], nil
}

// findMatterByID looks up a matter the scope can see, with its links.
func findMatterByID(ctx context.Context, tx bun.IDB, sc tenants.Scope, id string) (*Matter, error) {
	return findMatter(ctx, tx, sc, "m.id = ?", id)
}

// nearest picks, among rows of the scope's tenant and its ancestors, the one of the deepest
// tenant (the scope's own before its parent's).
func nearest[T any](sc tenants.Scope, rows []T, tenant func(T) string) *T {
	levels := append(sc.Ancestors(), sc.TenantID())
	best, rank := 0, -1
	for i, r := range rows {
		if k := slices.Index(levels, tenant(r)); k > rank {
			best, rank = i, k
		}
	}
	return &rows[best]
}

// CreateMatter adds a matter to the scope's tenant's catalogue. Needs elements.write. Returns
// Invalid (bad fields, articles the scope cannot see, bodies not of its tenant), Forbidden,
// Conflict (code visible to the scope already).
func (s *Service) CreateMatter(ctx context.Context, sc tenants.Scope, in MatterInput) (*Matter, error) {
	return createOne(ctx, s.db, sc, mayCreate(sc, authz.ElementsWrite), &in,
		func() (*Matter, error) { return in.matter(sc.TenantID(), s.stamp()), nil }, insertMatter)
}

// matter returns a new matter of tenant tenantID made from the validated request.
func (in *MatterInput) matter(tenantID string, now time.Time) *Matter {
	m := &Matter{ID: dbx.NewID(), TenantID: tenantID, CreatedAt: now, UpdatedAt: now}
	in.apply(m)
	return m
}

func (in *MatterInput) apply(m *Matter) {
	m.Code, m.Name, m.Kind, m.Sector = in.Code, in.Name, in.Kind, in.Sector
	m.ArticleIDs, m.BodyIDs = slices.Clone(in.ArticleIDs), slices.Clone(in.BodyIDs)
	m.Provisions = slices.Clone(in.Provisions)
	if m.Provisions == nil {
		m.Provisions = []MatterProvision{}
	}
	for _, p := range m.Provisions {
		if !slices.Contains(m.ArticleIDs, p.ArticleID) {
			m.ArticleIDs = append(m.ArticleIDs, p.ArticleID)
		}
	}
	slices.Sort(m.ArticleIDs)
	slices.Sort(m.BodyIDs)
}

func insertMatter(ctx context.Context, tx bun.Tx, sc tenants.Scope, m *Matter) error {
	if err := matterCodeFree(ctx, tx, sc, m.Code, ""); err != nil {
		return err
	}
	if err := checkLinks(ctx, tx, sc, m); err != nil {
		return err
	}
	if err := insertRow(ctx, tx, m, matterUniques...); err != nil {
		return err
	}
	return insertLinks(ctx, tx, m)
}

// matterCodeFree refuses a code that a matter visible to the scope (other than except) already
// has.
func matterCodeFree(ctx context.Context, tx bun.IDB, sc tenants.Scope, code, except string) error {
	return visibleFree[Matter](ctx, tx, sc, "m.code", code, except, matterUniques[0])
}

// checkLinks refuses articles the scope cannot see and bodies that are not its tenant's.
func checkLinks(ctx context.Context, tx bun.IDB, sc tenants.Scope, m *Matter) error {
	var p problems
	if len(m.ArticleIDs) > 0 {
		var found []string
		if err := tenants.Inherited(sc, tx.NewSelect().Model((*Article)(nil))).Column("a.id").
			Where("a.id IN (?)", bun.In(m.ArticleIDs)).Scan(ctx, &found); err != nil {
			return err
		}
		for _, id := range m.ArticleIDs {
			if !slices.Contains(found, id) {
				p.add("article_ids", "条款不存在："+id, "no such article: "+id)
			}
		}
	}
	if len(m.BodyIDs) > 0 {
		var found []string
		if err := tenants.Own(sc, tx.NewSelect().Model((*Body)(nil))).Column("b.id").
			Where("b.tenant_id = ?", m.TenantID).Where("b.id IN (?)", bun.In(m.BodyIDs)).Scan(ctx, &found); err != nil {
			return err
		}
		for _, id := range m.BodyIDs {
			if !slices.Contains(found, id) {
				p.add("body_ids", "不是本租户的执法主体："+id, "not a body of this tenant: "+id)
			}
		}
	}
	return p.err("执法事项的关联有误", "invalid links of the matter")
}

func insertLinks(ctx context.Context, tx bun.Tx, m *Matter) error {
	if len(m.ArticleIDs) > 0 {
		rows := make([]matterArticle, len(m.ArticleIDs))
		for i, id := range m.ArticleIDs {
			rows[i] = matterArticle{TenantID: m.TenantID, MatterID: m.ID, ArticleID: id}
			seq := map[ProvisionRole]int{}
			for _, p := range m.Provisions {
				seq[p.Role]++
				if p.ArticleID == id {
					rows[i].Role, rows[i].Paragraph, rows[i].Item, rows[i].Seq = p.Role, p.Paragraph, p.Item, seq[p.Role]
				}
			}
		}
		if _, err := tx.NewInsert().Model(&rows).Exec(ctx); err != nil {
			return err
		}
	}
	if len(m.BodyIDs) > 0 {
		rows := make([]matterBody, len(m.BodyIDs))
		for i, id := range m.BodyIDs {
			rows[i] = matterBody{TenantID: m.TenantID, MatterID: m.ID, BodyID: id}
		}
		if _, err := tx.NewInsert().Model(&rows).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// UpdateMatter replaces a matter of the scope's tenant, links included. Needs elements.write.
// Returns Invalid, NotFound, Forbidden (a matter published above), Conflict.
func (s *Service) UpdateMatter(ctx context.Context, sc tenants.Scope, id string, in MatterInput) (*Matter, error) {
	return writeOne(ctx, s.db, sc, id, mayWrite(sc, authz.ElementsWrite), &in, findMatterByID,
		func(m *Matter) error { return ownCatalogue(sc, m.TenantID) },
		func(ctx context.Context, tx bun.Tx, m *Matter) (*Matter, error) {
			if err := matterCodeFree(ctx, tx, sc, in.Code, id); err != nil {
				return nil, err
			}
			in.apply(m)
			if err := checkLinks(ctx, tx, sc, m); err != nil {
				return nil, err
			}
			m.UpdatedAt = s.stamp()
			if err := updateRow(ctx, tx, sc, m, id, matterUniques, "code", "name", "kind", "sector", "updated_at"); err != nil {
				return nil, err
			}
			if err := deleteLinks(ctx, tx, sc, id); err != nil {
				return nil, err
			}
			return m, insertLinks(ctx, tx, m)
		})
}

func deleteLinks(ctx context.Context, tx bun.Tx, sc tenants.Scope, matterID string) error {
	if _, err := tenants.Own(sc, tx.NewDelete().Model((*matterArticle)(nil))).Where("matter_id = ?", matterID).Exec(ctx); err != nil {
		return err
	}
	_, err := tenants.Own(sc, tx.NewDelete().Model((*matterBody)(nil))).Where("matter_id = ?", matterID).Exec(ctx)
	return err
}

// DeleteMatter removes a matter of the scope's tenant and its links. Needs elements.write.
// Returns NotFound, Forbidden, Conflict (benchmarks or other records refer to it).
func (s *Service) DeleteMatter(ctx context.Context, sc tenants.Scope, id string) error {
	const zh, en = "该执法事项仍被裁量基准或其他记录引用，不能删除", "benchmarks or other records still refer to the matter; it cannot be deleted"
	return deleteOne(ctx, s.db, sc, id, authz.ElementsWrite, findMatterByID,
		func(m *Matter) error { return ownCatalogue(sc, m.TenantID) },
		func(ctx context.Context, tx bun.Tx) error {
			if err := unreferenced(ctx, tenants.Inherited(sc, tx.NewSelect().Model((*Benchmark)(nil))).Where("bm.matter_id = ?", id), zh, en); err != nil {
				return err
			}
			return deleteLinks(ctx, tx, sc, id)
		}, zh, en)
}
