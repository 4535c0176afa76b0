package tenants

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"regexp"
	"strings"

	"zhifa/modules/errs"
)

// ErrNoScope is returned for a query on a tenant table whose context carries no Scope.
var ErrNoScope = errs.E(errs.Internal, "缺少租户范围的查询被拒绝", "query on a tenant table without a tenant scope refused")

// ErrReadOnlyScope is returned for a write through a read-only (subtree) scope.
var ErrReadOnlyScope = errs.E(errs.Forbidden, "只读范围不能修改数据", "this scope is read-only")

// Guard inspects every statement sent to the database. A statement that names a tenant table and
// whose context carries no Scope fails with ErrNoScope before it reaches the database; a write
// under a read-only scope fails with ErrReadOnlyScope. It is the query layer of the three walls
// (types, queries, row-level security).
type Guard struct {
	tables *regexp.Regexp
}

// NewGuard returns a guard for the named tenant tables.
func NewGuard(tables []string) *Guard {
	if len(tables) == 0 {
		return &Guard{}
	}
	quoted := make([]string, len(tables))
	for i, t := range tables {
		quoted[i] = regexp.QuoteMeta(t)
	}
	return &Guard{tables: regexp.MustCompile(`(?i)(^|[^a-z0-9_])"?(` + strings.Join(quoted, "|") + `)"?($|[^a-z0-9_])`)}
}

var writeRE = regexp.MustCompile(`(?i)^\s*(insert|update|delete)\b`)

// Check returns an error if query may not run under ctx.
func (g *Guard) Check(ctx context.Context, query string) error {
	if g.tables == nil || !g.tables.MatchString(query) {
		return nil
	}
	s, ok := FromContext(ctx)
	if !ok {
		return ErrNoScope
	}
	if s.readOnly && writeRE.MatchString(query) {
		return ErrReadOnlyScope
	}
	return nil
}

// Connector wraps c so that every statement passes the guard.
func (g *Guard) Connector(c driver.Connector) driver.Connector { return &guardConnector{c, g} }

// OpenDB opens a *sql.DB whose connections pass the guard.
func (g *Guard) OpenDB(c driver.Connector) *sql.DB { return sql.OpenDB(g.Connector(c)) }

type guardConnector struct {
	driver.Connector
	g *Guard
}

func (c *guardConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &guardConn{conn, c.g}, nil
}

// guardConn forwards to the driver's connection after checking each statement.
type guardConn struct {
	driver.Conn
	g *Guard
}

func (c *guardConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	if err := c.g.Check(ctx, q); err != nil {
		return nil, err
	}
	if qc, ok := c.Conn.(driver.QueryerContext); ok {
		return qc.QueryContext(ctx, q, args)
	}
	return nil, driver.ErrSkip
}

func (c *guardConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	if err := c.g.Check(ctx, q); err != nil {
		return nil, err
	}
	if ec, ok := c.Conn.(driver.ExecerContext); ok {
		return ec.ExecContext(ctx, q, args)
	}
	return nil, driver.ErrSkip
}

func (c *guardConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	if err := c.g.Check(ctx, q); err != nil {
		return nil, err
	}
	if pc, ok := c.Conn.(driver.ConnPrepareContext); ok {
		return pc.PrepareContext(ctx, q)
	}
	return c.Conn.Prepare(q)
}

func (c *guardConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if bc, ok := c.Conn.(driver.ConnBeginTx); ok {
		return bc.BeginTx(ctx, opts)
	}
	return c.Conn.Begin() //nolint:staticcheck // fallback for drivers without BeginTx
}

func (c *guardConn) Ping(ctx context.Context) error {
	if p, ok := c.Conn.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

func (c *guardConn) ResetSession(ctx context.Context) error {
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *guardConn) IsValid() bool {
	if v, ok := c.Conn.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

func (c *guardConn) CheckNamedValue(nv *driver.NamedValue) error {
	if nc, ok := c.Conn.(driver.NamedValueChecker); ok {
		return nc.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}
