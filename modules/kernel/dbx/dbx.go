// Package dbx holds small database helpers shared by every store: IDs, error translation,
// dialect checks and LIKE patterns.
package dbx

import (
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"

	"zhifa/modules/kernel/errs"
)

// NewID returns a new time-ordered identifier (UUIDv7), so inserts stay index-local.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

// ValidID reports whether s has the form of an ID made by NewID, so a malformed ID in a URL is
// answered before it reaches the database.
func ValidID(s string) bool {
	_, err := uuid.Parse(s)
	return err == nil && len(s) == 36
}

// Stamp returns t as both databases store a timestamp: in UTC, truncated to microseconds. A
// service writes its rows' timestamps as Stamp of its own clock.
func Stamp(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// IDTime returns the instant an ID made by NewID carries, to the millisecond (the zero time for
// a malformed ID). IDs made by one process carry increasing instants.
func IDTime(id string) time.Time {
	u, err := uuid.Parse(id)
	if err != nil || u.Version() != 7 {
		return time.Time{}
	}
	sec, nsec := u.Time().UnixTime()
	return time.Unix(sec, nsec).UTC()
}

// IsPostgres reports whether db speaks PostgreSQL.
func IsPostgres(db bun.IDB) bool { return db.Dialect().Name() == dialect.PG }

// IsUniqueViolation reports whether err is a unique-constraint violation on either database.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "23505") || strings.Contains(s, "UNIQUE constraint failed") ||
		strings.Contains(s, "duplicate key value")
}

// NotFound translates sql.ErrNoRows into errs.ErrNotFound and leaves other errors as they are.
func NotFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return errs.ErrNotFound
	}
	return err
}
