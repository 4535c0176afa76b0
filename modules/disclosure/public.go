package disclosure

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// Query is a public search of the published records. Every field is optional.
type Query struct {
	Q        string     // a substring of the party's name, the decision number or the facts
	Party    string     // a substring of the party's name
	USCC     string     // the party's USCC, exactly
	Number   string     // a substring of the decision number
	Body     string     // the deciding body's ID, or a substring of its name
	Category string     // a penalty type (行政处罚法 Art. 9)
	From, To civil.Date // the decision's day, inclusive
	Tenant   string     // the tenant whose subtree is listed (the root's: everything); "": every tenant
	Page     int        // from 1
}

// PageSize is how many records a page of the public search holds.
const PageSize = 20

// maxTerm bounds a search term (characters).
const maxTerm = 100

// Item is a published record as the public list shows it.
type Item struct {
	ID             string     `json:"id"`
	PartyName      string     `json:"party_name"`
	PartyKind      string     `json:"party_kind"`
	DecisionNumber string     `json:"decision_number"`
	BodyName       string     `json:"body_name"`
	Categories     []string   `json:"categories"`
	DecidedOn      civil.Date `json:"decided_on"`
	PublishedOn    civil.Date `json:"published_on"`
	EndsOn         civil.Date `json:"ends_on"`
}

// Page is one page of the public search.
type Page struct {
	Items []Item `json:"items"`
	Total int    `json:"total"`
}

// Detail is a published record with its public history.
type Detail struct {
	Item
	State            State      `json:"state"`
	PartyUSCC        string     `json:"party_uscc,omitempty"`
	BodyUSCC         string     `json:"body_uscc"`
	Facts            string     `json:"facts"`
	Basis            string     `json:"basis"`
	Content          string     `json:"content"`
	FineFen          int64      `json:"fine_fen"`
	ConfiscationFen  int64      `json:"confiscation_fen"`
	LicenceSuspended bool       `json:"licence_suspended"`
	LicenceRevoked   bool       `json:"licence_revoked"`
	CreditEndsOn     civil.Date `json:"credit_ends_on,omitempty"`
	History          []History  `json:"history"`
}

// History is one public transition of a record.
type History struct {
	From   State     `json:"from"`
	To     State     `json:"to"`
	At     time.Time `json:"at"`
	Reason string    `json:"reason"`
}

// publicScope is the system scope the public search reads every tenant's published records with.
var publicScope = tenants.System("public disclosures")

// readPublic runs fn in a read-only snapshot acting for the public: across tenant's subtree (its
// read-only subtree scope) or, with no tenant, across every tenant. ids are the subtree's tenants
// (nil: every tenant), for the queries to name: row-level security checks each row on top, and
// the explicit list lets PostgreSQL find the rows by tenant first. Returns NotFound for an unknown
// tenant.
func (s *Service) readPublic(ctx context.Context, tenant string, fn func(ctx context.Context, tx bun.Tx, sc tenants.Scope, ids []string) error) error {
	sc, ids := publicScope, []string(nil)
	if tenant != "" {
		t, err := s.tenants.Lookup(ctx, tenant)
		if err != nil {
			return errs.E(errs.NotFound, "租户不存在", "no such tenant").WithFields(errs.Field("tenant", "不存在", "unknown"))
		}
		sc = tenants.SubtreeScope(t, "public", nil)
		sub, err := s.tenants.Subtree(ctx, sc)
		if err != nil {
			return err
		}
		for _, x := range sub {
			ids = append(ids, x.ID)
		}
	}
	return tenants.RunInSnapshot(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error { return fn(ctx, tx, sc, ids) })
}

// Search lists the published records that match q, newest publication first. Public. Returns
// Invalid (a bad parameter, naming it), NotFound (an unknown tenant).
func (s *Service) Search(ctx context.Context, q Query) (*Page, error) {
	if err := q.check(); err != nil {
		return nil, err
	}
	out := &Page{Items: []Item{}}
	err := s.readPublic(ctx, q.Tenant, func(ctx context.Context, tx bun.Tx, sc tenants.Scope, ids []string) error {
		var rs []Record
		sel := q.where(tenants.Own(sc, tx.NewSelect().Model(&rs)))
		if ids != nil {
			sel = sel.Where("dr.tenant_id IN (?)", bun.In(ids))
		}
		n, err := sel.OrderExpr("dr.published_on DESC, dr.id DESC").Limit(PageSize).Offset(int64((q.Page - 1) * PageSize)).ScanAndCount(ctx)
		if err != nil {
			return err
		}
		out.Total = int(n)
		for i := range rs {
			out.Items = append(out.Items, rs[i].item())
		}
		return nil
	})
	return out, err
}

// Find returns a published record with its public history. Public. Returns NotFound (also for a
// record that is not public).
func (s *Service) Find(ctx context.Context, id string) (*Detail, error) {
	if !dbx.ValidID(id) {
		return nil, errNotFound
	}
	var out *Detail
	err := s.readPublic(ctx, "", func(ctx context.Context, tx bun.Tx, sc tenants.Scope, _ []string) error {
		r, err := find(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		if !r.State.Public() {
			return errNotFound
		}
		var es []Event
		if err := tx.NewSelect().Model(&es).Where("de.tenant_id = ? AND de.record_id = ?", r.TenantID, r.ID).OrderExpr("de.at, de.id").Scan(ctx); err != nil {
			return err
		}
		d := &Detail{Item: r.item(), State: r.State, PartyUSCC: r.PartyUSCC, BodyUSCC: r.BodyUSCC, Facts: r.Facts, Basis: r.Basis, Content: r.Content,
			FineFen: r.FineFen, ConfiscationFen: r.ConfiscationFen, LicenceSuspended: r.LicenceSuspended, LicenceRevoked: r.LicenceRevoked,
			CreditEndsOn: r.CreditEndsOn, History: make([]History, len(es))}
		for i, e := range es {
			d.History[i] = History{From: e.From, To: e.To, At: e.At, Reason: e.Reason}
		}
		out = d
		return nil
	})
	return out, err
}

// item is r as the public list shows it.
func (r *Record) item() Item {
	return Item{ID: r.ID, PartyName: r.PartyName, PartyKind: r.PartyKind, DecisionNumber: r.DecisionNumber, BodyName: r.BodyName,
		Categories: r.Categories, DecidedOn: r.DecidedOn, PublishedOn: r.PublishedOn, EndsOn: r.EndsOn}
}

// check validates q, defaulting its page to 1.
func (q *Query) check() error {
	var bad []errs.FieldError
	for name, v := range map[string]string{"q": q.Q, "party": q.Party, "uscc": q.USCC, "number": q.Number, "body": q.Body, "category": q.Category, "tenant": q.Tenant} {
		if utf8.RuneCountInString(v) > maxTerm {
			bad = append(bad, errs.Field(name, "不得超过100字", "at most 100 characters"))
		}
	}
	for name, d := range map[string]civil.Date{"from": q.From, "to": q.To} {
		if d != "" && !d.Valid() {
			bad = append(bad, errs.Field(name, "须为 YYYY-MM-DD 格式的日期", "must be a date YYYY-MM-DD"))
		}
	}
	if q.Category != "" && CategoryZH[q.Category] == "" {
		bad = append(bad, errs.Field("category", "不是行政处罚法第9条的处罚种类", "not a penalty type of 行政处罚法 Art. 9"))
	}
	if len(bad) > 0 {
		return errs.E(errs.Invalid, "查询参数有误", "invalid query parameter").WithFields(bad...)
	}
	if q.Page == 0 {
		q.Page = 1
	}
	return nil
}

// where adds q's filters to sel: published records only.
func (q *Query) where(sel *bun.SelectQuery) *bun.SelectQuery {
	sel = sel.Where("dr.state IN (?)", bun.In(PublicStates))
	if q.Q != "" {
		p := dbx.Contains(q.Q)
		sel = sel.Where(`(dr.party_name LIKE ? ESCAPE '\' OR dr.decision_number LIKE ? ESCAPE '\' OR dr.facts LIKE ? ESCAPE '\')`, p, p, p)
	}
	if q.Party != "" {
		sel = sel.Where(`dr.party_name LIKE ? ESCAPE '\'`, dbx.Contains(q.Party))
	}
	if q.USCC != "" {
		sel = sel.Where("dr.party_uscc = ?", strings.ToUpper(q.USCC))
	}
	if q.Number != "" {
		sel = sel.Where(`dr.decision_number LIKE ? ESCAPE '\'`, dbx.Contains(q.Number))
	}
	if q.Body != "" {
		sel = sel.Where(`(dr.body_id = ? OR dr.body_name LIKE ? ESCAPE '\')`, q.Body, dbx.Contains(q.Body))
	}
	if q.Category != "" {
		sel = sel.Where("dr.categories LIKE ?", `%"`+q.Category+`"%`)
	}
	if q.From != "" {
		sel = sel.Where("dr.decided_on >= ?", q.From)
	}
	if q.To != "" {
		sel = sel.Where("dr.decided_on <= ?", q.To)
	}
	return sel
}
