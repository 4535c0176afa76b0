package tenants

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"github.com/uptrace/bun/driver/pgdriver"
	"github.com/uptrace/bun/driver/sqliteshim"
)

// Open connects to the database (driver "postgres" or "sqlite") through a Guard over tables, so
// that no statement on a tenant table runs without a scope.
func Open(driverName, dsn string, maxOpen int, tables []string) (*bun.DB, error) {
	g := NewGuard(tables)
	switch driverName {
	case "postgres":
		sqldb := g.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(dsn)))
		sqldb.SetMaxOpenConns(maxOpen)
		sqldb.SetMaxIdleConns(maxOpen)
		return bun.NewDB(sqldb, pgdialect.New()), nil
	case "sqlite":
		raw, err := sql.Open(sqliteshim.ShimName, dsn)
		if err != nil {
			return nil, err
		}
		drv := raw.Driver()
		raw.Close()
		sqldb := g.OpenDB(dsnConnector{dsn: dsn, drv: drv})
		sqldb.SetMaxOpenConns(maxOpen)
		sqldb.SetMaxIdleConns(maxOpen)
		return bun.NewDB(sqldb, sqlitedialect.New()), nil
	default:
		return nil, fmt.Errorf("tenants.Open: unknown driver %q", driverName)
	}
}

// dsnConnector adapts a driver without DriverContext to driver.Connector.
type dsnConnector struct {
	dsn string
	drv driver.Driver
}

func (c dsnConnector) Connect(context.Context) (driver.Conn, error) { return c.drv.Open(c.dsn) }
func (c dsnConnector) Driver() driver.Driver                        { return c.drv }
