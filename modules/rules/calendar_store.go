package rules

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"zhifa/modules/cases/casetask"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// calendarRow is a holiday notice loaded by an operator: a platform row, owned by no tenant. It
// overrides the embedded file of the same year. Revision grows with every load, so the sum of all
// revisions changes whenever any year is stored: the version other processes compare.
type calendarRow struct {
	bun.BaseModel `bun:"table:holiday_calendars,alias:hc"`

	Year         int       `bun:"year,pk"`
	Schedule     string    `bun:"schedule,notnull"`
	Revision     int64     `bun:"revision,notnull"`
	LoadedBy     string    `bun:"loaded_by,notnull"`
	LoadedAt     time.Time `bun:"loaded_at,notnull"`
	ActingTenant string    `bun:"acting_tenant,notnull"`
}

// CalendarAudit records one load of a year: who, when, at which tenant, the schedule before and after.
type CalendarAudit struct {
	bun.BaseModel `bun:"table:holiday_calendars_audit,alias:hca"`

	ID           string    `bun:"id,pk" json:"id"`
	Year         int       `bun:"year,notnull" json:"year"`
	OldSchedule  *string   `bun:"old_schedule" json:"old_schedule,omitempty"`
	NewSchedule  string    `bun:"new_schedule,notnull" json:"new_schedule"`
	Revision     int64     `bun:"revision,notnull" json:"revision"`
	Actor        string    `bun:"actor,notnull" json:"actor"`
	ActingTenant string    `bun:"acting_tenant,notnull" json:"acting_tenant"`
	At           time.Time `bun:"at,notnull" json:"at"`
}

// The sources of a year's schedule.
const (
	SourceLoaded   = "loaded"   // stored by an operator through the API
	SourceEmbedded = "embedded" // shipped with the binary
	SourceNone     = "none"     // neither: the year is unknown
)

// CalendarYear is one year's schedule with where it comes from.
type CalendarYear struct {
	Year     int        `json:"year"`
	Known    bool       `json:"known"`
	Source   string     `json:"source"` // SourceLoaded, SourceEmbedded or SourceNone
	Revision int64      `json:"revision,omitempty"`
	LoadedBy string     `json:"loaded_by,omitempty"`
	LoadedAt *time.Time `json:"loaded_at,omitempty"`
	Schedule Schedule   `json:"schedule"`
	// Dates lists every listed date that falls in the year, across all notices (a neighbouring
	// year's notice may list some), as the merged calendar reads them.
	Dates []Skip `json:"dates"`
}

// MinYear and MaxYear bound the years a schedule may be loaded for.
const (
	MinYear = 2000
	MaxYear = 2100
)

// canLoadCalendar allows tenant operators acting at a root tenant (one without a parent), and
// system scopes. The calendar is the platform's, not a tenant's.
func canLoadCalendar(sc tenants.Scope) error {
	if !sc.Valid() {
		return tenants.ErrNoScope
	}
	if sc.IsSystem() {
		return nil
	}
	if sc.ReadOnly() || !sc.Can(authz.TenantsWrite) || len(sc.Ancestors()) > 0 {
		return errs.E(errs.Forbidden, "只有根租户的平台运维可以加载节假日安排", "only an operator of a root tenant may load the holiday calendar").
			WithOp("rules.LoadCalendar")
	}
	return nil
}

// LoadCalendar validates s and stores it as year's schedule, replacing the embedded one and any
// earlier load, audited in the same transaction, which also writes rules:calendar_loaded for a
// tenant scope; this process's calendar reloads at once, other processes within CalendarTTL. Only a tenant operator of a root tenant (or a system scope) may
// call it. Returns Forbidden, Invalid (naming the fields).
func (e *Engine) LoadCalendar(ctx context.Context, sc tenants.Scope, year int, s Schedule) (*CalendarYear, error) {
	if err := canLoadCalendar(sc); err != nil {
		return nil, err
	}
	if err := s.Validate(year); err != nil {
		return nil, err
	}
	if e.db == nil {
		return nil, errs.E(errs.Unavailable, "没有数据库，无法保存节假日安排", "no database to store the holiday calendar")
	}
	s.Days = slices.Clone(s.Days)
	slices.SortStableFunc(s.Days, func(a, b ScheduleDay) int { return strings.Compare(a.Date, b.Date) })
	raw, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	now := dbx.Stamp(e.clock())
	e.mu.Unlock()
	err = tenants.RunInTx(ctx, e.db, sc, func(ctx context.Context, tx bun.Tx) error {
		var old *string
		var prev calendarRow
		switch err := tx.NewSelect().Model(&prev).Where("hc.year = ?", year).Scan(ctx); {
		case err == nil:
			old = &prev.Schedule
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		row := calendarRow{Year: year, Schedule: string(raw), Revision: 1, LoadedBy: sc.Actor(), LoadedAt: now, ActingTenant: sc.TenantID()}
		if _, err := tx.NewInsert().Model(&row).On("CONFLICT (year) DO UPDATE").
			Set("schedule = EXCLUDED.schedule, revision = hc.revision + 1, loaded_by = EXCLUDED.loaded_by, loaded_at = EXCLUDED.loaded_at, acting_tenant = EXCLUDED.acting_tenant").
			Returning("revision").Exec(ctx); err != nil {
			return err
		}
		a := CalendarAudit{ID: dbx.NewID(), Year: year, OldSchedule: old, NewSchedule: string(raw), Revision: row.Revision,
			Actor: sc.Actor(), ActingTenant: sc.TenantID(), At: now}
		if _, err := tx.NewInsert().Model(&a).Exec(ctx); err != nil {
			return err
		}
		if sc.IsSystem() {
			return nil // no tenant to write the task for: the case engine's periodic recompute finds the waiting deadlines
		}
		_, err := casetask.CalendarLoaded.Enqueue(ctx, tx, sc, casetask.Calendar{Year: year, Revision: row.Revision})
		return err
	})
	if err != nil {
		return nil, err
	}
	e.invalidate()
	return e.CalendarYear(ctx, year)
}

// CalendarAudits lists the loads of year (all years when year is 0), newest first.
func (e *Engine) CalendarAudits(ctx context.Context, year int, limit int) ([]CalendarAudit, error) {
	out := []CalendarAudit{}
	if e.db == nil {
		return out, nil
	}
	q := e.db.NewSelect().Model(&out).OrderExpr("hca.at DESC, hca.id DESC").Limit(int64(limit))
	if year != 0 {
		q = q.Where("hca.year = ?", year)
	}
	return out, q.Scan(ctx)
}

// CalendarYear returns year's schedule as the engine reads it, with its source. A year with no
// schedule answers Known false and Source "none".
func (e *Engine) CalendarYear(ctx context.Context, year int) (*CalendarYear, error) {
	st, err := e.state(ctx, e.idb())
	if err != nil {
		return nil, err
	}
	out := &CalendarYear{Year: year, Source: SourceNone, Schedule: Schedule{Year: year, Papers: []string{}, Days: []ScheduleDay{}}, Dates: []Skip{}}
	if r, ok := st.loaded[year]; ok {
		out.Source, out.Revision, out.LoadedBy = SourceLoaded, r.Revision, r.LoadedBy
		at := r.LoadedAt
		out.LoadedAt = &at
		out.Schedule = st.schedules[year]
	} else if s, ok := embedded[year]; ok && s.Known() {
		out.Source, out.Schedule = SourceEmbedded, s
	}
	out.Known = st.cal.Known(year)
	prefix := fmt.Sprintf("%04d-", year)
	for _, date := range slices.Sorted(maps.Keys(st.cal.days)) {
		if !strings.HasPrefix(date, prefix) {
			continue
		}
		d, _ := ParseDate(date)
		if info, err := st.cal.Info(d); err == nil {
			s := info.Skip()
			if s.Kind == "" {
				s.Kind, s.Reason = SkipMakeUp, info.Name+" 上班 (workday)"
			}
			out.Dates = append(out.Dates, s)
		}
	}
	return out, nil
}

// CalendarYears lists every year that has a schedule (embedded or loaded), ascending, without
// their days.
func (e *Engine) CalendarYears(ctx context.Context) ([]CalendarYear, error) {
	st, err := e.state(ctx, e.idb())
	if err != nil {
		return nil, err
	}
	years := map[int]bool{}
	for y := range embedded {
		years[y] = true
	}
	for y := range st.loaded {
		years[y] = true
	}
	out := []CalendarYear{}
	for _, y := range slices.Sorted(maps.Keys(years)) {
		cy := CalendarYear{Year: y, Known: st.cal.Known(y), Source: SourceNone}
		if r, ok := st.loaded[y]; ok {
			at := r.LoadedAt
			cy.Source, cy.Revision, cy.LoadedBy, cy.LoadedAt = SourceLoaded, r.Revision, r.LoadedBy, &at
			cy.Schedule = Schedule{Year: y, Papers: st.schedules[y].Papers, Days: []ScheduleDay{}}
		} else if s := embedded[y]; s.Known() {
			cy.Source = SourceEmbedded
			cy.Schedule = Schedule{Year: y, Papers: s.Papers, Days: []ScheduleDay{}}
		} else {
			cy.Schedule = Schedule{Year: y, Papers: []string{}, Days: []ScheduleDay{}}
		}
		cy.Dates = []Skip{}
		out = append(out, cy)
	}
	return out, nil
}
