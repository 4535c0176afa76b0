package tenants

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"regexp"
	"strings"

	"zhifa/modules/kernel/errs"
)

// ErrNoScope is returned for a query on a tenant table whose context carries no Scope.
var ErrNoScope = errs.E(errs.Internal, "缺少租户范围的查询被拒绝", "query on a tenant table without a tenant scope refused")

// ErrReadOnlyScope is returned for a write through a read-only (subtree) scope.
var ErrReadOnlyScope = errs.E(errs.Forbidden, "只读范围不能修改数据", "this scope is read-only")

// Guard inspects every statement sent to the database. A statement that names a tenant table and
// whose context carries no Scope fails with ErrNoScope before it reaches the database; a write
// under a read-only scope fails with ErrReadOnlyScope. It is the query layer of the three walls
// (types, queries, row-level security). A statement under a writable scope passes without being
// read, so the guard costs nothing on the hot path.
type Guard struct {
	tables []string // lower case
}

// NewGuard returns a guard for the named tenant tables.
func NewGuard(tables []string) *Guard {
	g := &Guard{}
	for _, t := range tables {
		g.tables = append(g.tables, strings.ToLower(t))
	}
	return g
}

var writeRE = regexp.MustCompile(`(?i)^\s*(insert|update|delete)\b`)

// Check returns an error if query may not run under ctx.
func (g *Guard) Check(ctx context.Context, query string) error {
	if s, ok := FromContext(ctx); ok {
		if s.readOnly && writeRE.MatchString(query) && g.names(query) {
			return ErrReadOnlyScope
		}
		return nil
	}
	if g.names(query) {
		return ErrNoScope
	}
	return nil
}

// names reports whether query mentions a tenant table as a whole identifier (quoted or not, any
// case). A false positive only asks for a scope that every tenant-data path has anyway.
func (g *Guard) names(query string) bool {
	if len(g.tables) == 0 {
		return false
	}
	q := strings.ToLower(query)
	for _, t := range g.tables {
		for i := 0; ; {
			j := strings.Index(q[i:], t)
			if j < 0 {
				break
			}
			start, end := i+j, i+j+len(t)
			if !identByte(q, start-1) && !identByte(q, end) {
				return true
			}
			i = start + 1
		}
	}
	return false
}

// identByte reports whether q[i] exists and can be part of an identifier.
func identByte(q string, i int) bool {
	if i < 0 || i >= len(q) {
		return false
	}
	c := q[i]
	return c == '_' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
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
