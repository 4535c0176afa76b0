package testenv

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/uptrace/bun/driver/pgdriver"
)

// Analyze runs ANALYZE on the PostgreSQL database dsn connects to (as its owner: DBInfo.OwnerDSN),
// so that a benchmark that has just seeded many rows is planned on fresh statistics, as autovacuum
// would have them in production. It fails the test if the statement fails.
func Analyze(t testing.TB, dsn string) {
	t.Helper()
	db := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(dsn)))
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if _, err := db.ExecContext(ctx, "ANALYZE"); err != nil {
		t.Fatalf("testenv: analyze: %v", err)
	}
}
