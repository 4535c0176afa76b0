package tenants

import (
	"context"
	"database/sql"
	"strings"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/dbx"
)

// RunInTx runs fn in one transaction acting under s: the context passed to fn carries s (so the
// guard lets tenant-table queries through) and, on PostgreSQL, the transaction-local settings
// that row-level security reads (app.tenant_id, app.ancestors, app.subtree, app.system) are set
// with SET LOCAL semantics, so they vanish when the transaction ends and never leak to the next
// user of a pooled connection. fn's error rolls everything back.
func RunInTx(ctx context.Context, db *bun.DB, s Scope, fn func(ctx context.Context, tx bun.Tx) error) error {
	var opts *sql.TxOptions
	if s.readOnly {
		opts = &sql.TxOptions{ReadOnly: dbx.IsPostgres(db)}
	}
	return runInTx(ctx, db, s, opts, fn)
}

// RunInSnapshot runs fn as RunInTx does, in a read-only transaction whose statements all see one
// snapshot of the database: a read of several statements (a case, then its events) never mixes
// the state before a concurrent commit with the state after it. On PostgreSQL it is REPEATABLE
// READ READ ONLY; an SQLite transaction holds the database's lock from its start
// (txlock=immediate), so no commit lands inside it. Writes through it fail on PostgreSQL.
func RunInSnapshot(ctx context.Context, db *bun.DB, s Scope, fn func(ctx context.Context, tx bun.Tx) error) error {
	var opts *sql.TxOptions
	if dbx.IsPostgres(db) {
		opts = &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	}
	return runInTx(ctx, db, s, opts, fn)
}

func runInTx(ctx context.Context, db *bun.DB, s Scope, opts *sql.TxOptions, fn func(ctx context.Context, tx bun.Tx) error) error {
	if !s.Valid() {
		return ErrNoScope
	}
	ctx = WithScope(ctx, s)
	return db.RunInTx(ctx, opts, func(ctx context.Context, tx bun.Tx) error {
		if dbx.IsPostgres(tx) {
			if err := setLocal(ctx, tx, s); err != nil {
				return err
			}
		}
		return fn(withSettingsMemo(ctx), tx)
	})
}

func setLocal(ctx context.Context, tx bun.Tx, s Scope) error {
	system, subtree := "", ""
	if s.system != "" {
		system = "on"
	}
	if s.subtree {
		subtree = s.path
	}
	_, err := tx.ExecContext(ctx, `SELECT set_config('app.tenant_id', ?, true), set_config('app.ancestors', ?, true),
		set_config('app.subtree', ?, true), set_config('app.system', ?, true)`,
		s.tenantID, strings.Join(s.Ancestors(), ","), subtree, system)
	return err
}

type wherer[Q any] interface {
	Where(query string, args ...any) Q
}

// Own limits q to the rows of the scope's tenant (its subtree for a subtree scope; everything for
// a system scope). Use it on every SELECT, UPDATE and DELETE of a tenant-owned table.
func Own[Q wherer[Q]](s Scope, q Q) Q {
	switch {
	case s.system != "":
		return q
	case s.subtree:
		return q.Where("?TableAlias.tenant_id IN (SELECT t.id FROM tenants AS t WHERE t.path = ? OR t.path LIKE ?)", s.path, s.path+"/%")
	default:
		return q.Where("?TableAlias.tenant_id = ?", s.tenantID)
	}
}

// Inherited limits q to the rows of the scope's tenant and of its ancestors: for catalogues that
// a province publishes and the tenants below read (laws, matters, benchmarks, settings).
func Inherited[Q wherer[Q]](s Scope, q Q) Q {
	if s.system != "" {
		return q
	}
	if s.subtree {
		return Own(s, q)
	}
	ids := append(s.Ancestors(), s.tenantID)
	return q.Where("?TableAlias.tenant_id IN (?)", bun.In(ids))
}
