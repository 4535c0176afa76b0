package elements

import (
	"context"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// Service is the element databases' use cases. Handlers, jobs and other modules call it; every
// method takes the Scope it acts for right after ctx, runs in one transaction under that scope,
// and answers NotFound for objects the scope may not see.
type Service struct {
	db       *bun.DB
	settings *tenants.Service // resolves the tenant settings (SettingExpiryWarnDays)
	now      func() time.Time
}

// today is the current day in China by the service's clock: what certificates' states and the
// daily notices are reckoned on.
func (s *Service) today() civil.Date { return civil.DateOf(s.now()) }

// stamp is the current moment by the service's clock as a row's timestamp.
func (s *Service) stamp() time.Time { return dbx.Stamp(s.now()) }

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

// likeAny adds "one of cols contains q" to a select.
func likeAny(q *bun.SelectQuery, text string, cols ...string) *bun.SelectQuery {
	if text = strings.TrimSpace(text); text == "" {
		return q
	}
	pat := dbx.Contains(strings.ToLower(text)) // compared with lower(column)
	return q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
		for _, c := range cols {
			q = q.WhereOr("lower("+c+`) LIKE ? ESCAPE '\'`, pat)
		}
		return q
	})
}

// inForceOn adds "the period [from, to) of alias contains d" to a select.
func inForceOn(q *bun.SelectQuery, alias string, d civil.Date) *bun.SelectQuery {
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

// conflict is the Conflict on u's field that a violation of u becomes.
func (u unique) conflict() *errs.Error {
	return errs.E(errs.Conflict, u.zh, u.en).WithFields(errs.Field(u.field, u.zh, u.en))
}

// visibleFree refuses, with u's Conflict, a value that a row of T visible to the scope (other
// than except, when not empty) already has in col: the rule of a unique constraint extended to
// the catalogue rows of the tenants above.
func visibleFree[T any](ctx context.Context, tx bun.IDB, sc tenants.Scope, col, value, except string, u unique) error {
	q := tenants.Inherited(sc, tx.NewSelect().Model((*T)(nil))).Where(col+" = ?", value)
	if except != "" {
		q = q.Where("?TableAlias.id <> ?", except)
	}
	if n, err := q.Count(ctx); err != nil || n == 0 {
		return err
	}
	return u.conflict()
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
				return u.conflict().WithCause(err)
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

// inTx runs fn in one transaction under sc and returns its result: the zero value when anything
// failed.
func inTx[T any](ctx context.Context, db *bun.DB, sc tenants.Scope, fn func(ctx context.Context, tx bun.Tx) (T, error)) (T, error) {
	var out T
	err := tenants.RunInTx(ctx, db, sc, func(ctx context.Context, tx bun.Tx) error {
		var err error
		out, err = fn(ctx, tx)
		return err
	})
	if err != nil {
		var zero T
		return zero, err
	}
	return out, nil
}

// selectOne scans into a new T the row that query selects, given a select of that T. Returns
// NotFound.
func selectOne[T any](ctx context.Context, tx bun.IDB, query func(q *bun.SelectQuery) *bun.SelectQuery) (*T, error) {
	row := new(T)
	if err := query(tx.NewSelect().Model(row)).Scan(ctx); err != nil {
		return nil, dbx.NotFound(err)
	}
	return row, nil
}

// selectOneIn is selectOne in a transaction of its own under sc.
func selectOneIn[T any](ctx context.Context, db *bun.DB, sc tenants.Scope, query func(q *bun.SelectQuery) *bun.SelectQuery) (*T, error) {
	return inTx(ctx, db, sc, func(ctx context.Context, tx bun.Tx) (*T, error) { return selectOne[T](ctx, tx, query) })
}

// finder looks up, inside the caller's transaction, the row of T with an ID that the scope may
// see. It answers NotFound for any other.
type finder[T any] func(ctx context.Context, tx bun.IDB, sc tenants.Scope, id string) (*T, error)

// byID is the finder of the rows of T that visible (tenants.Own or tenants.Inherited) lets the
// scope see.
func byID[T any](visible func(tenants.Scope, *bun.SelectQuery) *bun.SelectQuery) finder[T] {
	return func(ctx context.Context, tx bun.IDB, sc tenants.Scope, id string) (*T, error) {
		return selectOne[T](ctx, tx, func(q *bun.SelectQuery) *bun.SelectQuery {
			return visible(sc, q).Where("?TableAlias.id = ?", id)
		})
	}
}

// findOne returns the row find looks up, in a transaction of its own under sc. Returns Invalid
// (malformed ID) or NotFound.
func findOne[T any](ctx context.Context, db *bun.DB, sc tenants.Scope, id string, find finder[T]) (*T, error) {
	if err := checkID("id", id); err != nil {
		return nil, err
	}
	return inTx(ctx, db, sc, func(ctx context.Context, tx bun.Tx) (*T, error) { return find(ctx, tx, sc, id) })
}

// admit refuses a request the scope may not make (allowed: the answer of mayWrite or mayCreate),
// then a bad one (in, nil when there is none).
func admit(allowed error, in interface{ Validate() error }) error {
	if allowed != nil || in == nil {
		return allowed
	}
	return in.Validate()
}

// createOne is the course of every create of a row of the scope's tenant: refuse the scope's lack
// of the right (allowed: the answer of mayCreate, or of the first of its checks that refuses), then
// a bad request (in), then have build make the row or refuse it, and insert it in a transaction of
// its own under sc. Returns the row inserted.
func createOne[T any](ctx context.Context, db *bun.DB, sc tenants.Scope, allowed error, in interface{ Validate() error },
	build func() (*T, error), insert func(ctx context.Context, tx bun.Tx, sc tenants.Scope, row *T) error) (*T, error) {
	if err := admit(allowed, in); err != nil {
		return nil, err
	}
	row, err := build()
	if err != nil {
		return nil, err
	}
	return inTx(ctx, db, sc, func(ctx context.Context, tx bun.Tx) (*T, error) { return row, insert(ctx, tx, sc, row) })
}

// writeOne is the course of every change to a row found by ID: refuse a malformed ID, then the
// scope's lack of the right (allowed: the answer of mayWrite or mayCreate), then a bad request
// (in; nil when there is none); then, in one transaction under sc, look the row up (NotFound),
// let guard refuse it (ownCatalogue, bodyGuard), and return what change makes of it. Nothing of
// a failed change stays.
func writeOne[T, R any](ctx context.Context, db *bun.DB, sc tenants.Scope, id string, allowed error, in interface{ Validate() error },
	find finder[T], guard func(row *T) error, change func(ctx context.Context, tx bun.Tx, row *T) (R, error)) (R, error) {
	var zero R
	if err := checkID("id", id); err != nil {
		return zero, err
	}
	if err := admit(allowed, in); err != nil {
		return zero, err
	}
	return inTx(ctx, db, sc, func(ctx context.Context, tx bun.Tx) (R, error) {
		row, err := find(ctx, tx, sc, id)
		if err != nil {
			return zero, err
		}
		if err := guard(row); err != nil {
			return zero, err
		}
		return change(ctx, tx, row)
	})
}

// deleteOne is writeOne for the delete of a row of T that the scope needs action to change: once
// guard lets it be, before (nil when there is nothing to do) refuses the delete or clears what
// hangs on the row, and the row goes. When records still refer to it, the refusal of the database
// becomes a Conflict (zh, en).
func deleteOne[T any](ctx context.Context, db *bun.DB, sc tenants.Scope, id string, action authz.Action,
	find finder[T], guard func(row *T) error, before func(ctx context.Context, tx bun.Tx) error, zh, en string) error {
	_, err := writeOne(ctx, db, sc, id, mayWrite(sc, action), nil, find, guard,
		func(ctx context.Context, tx bun.Tx, _ *T) (struct{}, error) {
			if before != nil {
				if err := before(ctx, tx); err != nil {
					return struct{}{}, err
				}
			}
			_, err := tenants.Own(sc, tx.NewDelete().Model((*T)(nil))).Where("id = ?", id).Exec(ctx)
			return struct{}{}, referenced(err, zh, en)
		})
	return err
}

// updateRow writes cols of row, the scope's tenant's row with ID id. A unique violation becomes a
// Conflict on the field of the first matching constraint of uniques.
func updateRow(ctx context.Context, tx bun.Tx, sc tenants.Scope, row any, id string, uniques []unique, cols ...string) error {
	_, err := tenants.Own(sc, tx.NewUpdate().Model(row)).Column(cols...).Where("?TableAlias.id = ?", id).Exec(ctx)
	return translate(err, uniques...)
}

// unreferenced refuses, as a Conflict (zh, en), a delete while q (a select of the records that
// refer to the row) counts any row.
func unreferenced(ctx context.Context, q *bun.SelectQuery, zh, en string) error {
	n, err := q.Count(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		return errs.E(errs.Conflict, zh, en)
	}
	return nil
}

// listPage returns, from one transaction under sc, page p (normalised) of the rows of T that
// query selects, given a select of them, and how many match in all; then, when not nil,
// completes the page's rows in the same transaction.
func listPage[T any](ctx context.Context, db *bun.DB, sc tenants.Scope, p Page,
	query func(tx bun.Tx, q *bun.SelectQuery) *bun.SelectQuery, then func(ctx context.Context, tx bun.Tx, rows []T) error) ([]T, int, error) {
	var out []T
	var n int
	err := tenants.RunInTx(ctx, db, sc, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if n, err = scanPage(ctx, query(tx, tx.NewSelect().Model(&out)), p.norm()); err != nil || then == nil {
			return err
		}
		return then(ctx, tx, out)
	})
	return out, n, err
}
