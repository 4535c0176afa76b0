package elements

import (
	"context"
	"slices"
	"strings"

	"github.com/uptrace/bun"

	"zhifa/modules/authz"
	"zhifa/modules/dbx"
	"zhifa/modules/errs"
	"zhifa/tenants"
)

// Service is the element databases' use cases. Handlers, jobs and other modules call it; every
// method takes the Scope it acts for right after ctx, runs in one transaction under that scope,
// and answers NotFound for objects the scope may not see.
type Service struct {
	db *bun.DB
}

// Page limits a list.
type Page struct {
	Limit  int `json:"limit"`
	Offset int `json:"offset"`
}

// Bounds of list pages.
const (
	DefaultLimit = 50
	MaxLimit     = 200
	MaxOffset    = 100000
)

func (p Page) norm() Page {
	if p.Limit <= 0 {
		p.Limit = DefaultLimit
	}
	p.Limit = min(p.Limit, MaxLimit)
	p.Offset = min(max(p.Offset, 0), MaxOffset)
	return p
}

// problems collects the invalid fields of a request so that all are reported at once.
type problems []errs.FieldError

func (p *problems) add(field, zh, en string) { *p = append(*p, errs.Field(field, zh, en)) }

// err returns nil when nothing was collected, else an Invalid error naming every field.
func (p problems) err(zh, en string) error {
	if len(p) == 0 {
		return nil
	}
	return errs.E(errs.Invalid, zh, en).WithFields(p...)
}

// checkID answers Invalid for a string that cannot be an ID, before it reaches the database.
func checkID(field, id string) error {
	if dbx.ValidID(id) {
		return nil
	}
	return errs.Ef(errs.Invalid, "%s 不是有效的 ID", "%s is not a valid ID", field).
		WithFields(errs.Field(field, "须为 UUID", "must be a UUID"))
}

// mayWrite refuses a write the scope's roles do not allow.
func mayWrite(sc tenants.Scope, action authz.Action) error {
	switch {
	case !sc.Valid():
		return tenants.ErrNoScope
	case sc.ReadOnly():
		return tenants.ErrReadOnlyScope
	case !sc.Can(action):
		return errs.ErrForbidden.WithOp(string(action))
	}
	return nil
}

// mayCreate is mayWrite for inserts, which need a tenant to own the new row.
func mayCreate(sc tenants.Scope, action authz.Action) error {
	if err := mayWrite(sc, action); err != nil {
		return err
	}
	if sc.TenantID() == "" {
		return errs.E(errs.Invalid, "新建要素须在具体租户下进行", "creating elements needs a tenant scope")
	}
	return nil
}

// bodyAllowed reports whether the scope may change the officers and records of body: tenant
// operators and system scopes may touch every body, an actor whose roles are bound to bodies
// only those.
func bodyAllowed(sc tenants.Scope, bodyID string) bool {
	if sc.IsSystem() || slices.Contains(sc.Roles(), authz.TenantOperator) || len(sc.BodyIDs()) == 0 {
		return true
	}
	return slices.Contains(sc.BodyIDs(), bodyID)
}

// ErrCatalogueAbove refuses a change to a catalogue row that a tenant above published: the scope
// may read it, not change it.
var ErrCatalogueAbove = errs.E(errs.Forbidden, "上级租户发布的目录只能查看，不能修改", "published by a tenant above: you may read it, not change it")

// ownCatalogue refuses writes to catalogue rows of another (ancestor) tenant.
func ownCatalogue(sc tenants.Scope, tenantID string) error {
	if sc.IsSystem() || tenantID == sc.TenantID() {
		return nil
	}
	return ErrCatalogueAbove
}

// contains returns a LIKE pattern (with '\' as escape) matching strings that contain q,
// lower-cased to compare with lower(column).
func contains(q string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(strings.ToLower(q)) + "%"
}

// likeAny adds "one of cols contains q" to a select.
func likeAny(q *bun.SelectQuery, text string, cols ...string) *bun.SelectQuery {
	if text = strings.TrimSpace(text); text == "" {
		return q
	}
	pat := contains(text)
	return q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
		for _, c := range cols {
			q = q.WhereOr("lower("+c+`) LIKE ? ESCAPE '\'`, pat)
		}
		return q
	})
}

// inForceOn adds "the period [from, to) of alias contains d" to a select.
func inForceOn(q *bun.SelectQuery, alias string, d Date) *bun.SelectQuery {
	return q.Where(alias+".effective_from <= ?", d).
		Where("("+alias+".effective_to IS NULL OR "+alias+".effective_to > ?)", d)
}

// unique names a unique constraint so that a violation becomes a Conflict on a field. pg is the
// PostgreSQL constraint name ("laws_tenant_id_name_key"), lite the last column as SQLite names it
// ("laws.name").
type unique struct {
	pg, lite, field string
	zh, en          string
}

func (u unique) matches(err error) bool {
	s := err.Error()
	return strings.Contains(s, `"`+u.pg+`"`) || strings.Contains(s, u.lite)
}

// insertRow inserts model in a savepoint, so that a refused row leaves the surrounding
// transaction usable (an import checks every row). A unique violation becomes a Conflict on the
// field of the first matching constraint; a missing reference becomes Invalid.
func insertRow(ctx context.Context, tx bun.Tx, model any, uniques ...unique) error {
	err := tx.RunInTx(ctx, nil, func(ctx context.Context, sp bun.Tx) error {
		_, err := sp.NewInsert().Model(model).Exec(ctx)
		return err
	})
	return translate(err, uniques...)
}

// translate turns constraint violations into platform errors.
func translate(err error, uniques ...unique) error {
	switch {
	case err == nil:
		return nil
	case dbx.IsUniqueViolation(err):
		for _, u := range uniques {
			if u.matches(err) {
				return errs.E(errs.Conflict, u.zh, u.en).WithFields(errs.Field(u.field, u.zh, u.en)).WithCause(err)
			}
		}
		return errs.E(errs.Conflict, "与已有记录重复", "duplicates an existing record").WithCause(err)
	case isForeignKeyViolation(err):
		return errs.E(errs.Conflict, "该记录引用了不存在的对象，或仍被其他记录引用", "the record refers to a missing object, or others still refer to it").WithCause(err)
	}
	return err
}

func isForeignKeyViolation(err error) bool {
	s := err.Error()
	return strings.Contains(s, "23503") || strings.Contains(s, "FOREIGN KEY constraint failed") ||
		strings.Contains(s, "violates foreign key constraint")
}

// referenced answers Conflict when a delete is refused because other records refer to the row.
func referenced(err error, zh, en string) error {
	if err != nil && isForeignKeyViolation(err) {
		return errs.E(errs.Conflict, zh, en).WithCause(err)
	}
	return err
}

// scanPage runs q for one page and returns the total number of matching rows.
func scanPage(ctx context.Context, q *bun.SelectQuery, p Page) (int, error) {
	n, err := q.Limit(int64(p.Limit)).Offset(int64(p.Offset)).ScanAndCount(ctx)
	return int(n), err
}
