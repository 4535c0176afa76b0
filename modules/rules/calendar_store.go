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
	"unicode/utf8"

	"github.com/uptrace/bun"

	"zhifa/modules/authz"
	"zhifa/modules/dbx"
	"zhifa/modules/errs"
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

// Validate checks a schedule for year: the year matches, the notice is cited, and every day is
// a real date within the year ±1 month, listed once, named, and a make-up workday only on a
// weekend. Returns Invalid naming each bad field (e.g. "days[3].date").
func (s *Schedule) Validate(year int) error {
	var fs []errs.FieldError
	add := func(field, zh, en string) { fs = append(fs, errs.Field(field, zh, en)) }
	if year < MinYear || year > MaxYear {
		add("year", fmt.Sprintf("年份须在 %d 至 %d 之间", MinYear, MaxYear), fmt.Sprintf("the year must be %d to %d", MinYear, MaxYear))
	} else if s.Year != year {
		add("year", fmt.Sprintf("须与地址中的年份 %d 一致", year), fmt.Sprintf("must match the year in the address, %d", year))
	}
	if len(s.Papers) == 0 {
		add("papers", "须列出国务院节假日安排通知的出处", "cite the State Council's notice (at least one address)")
	}
	for i, p := range s.Papers {
		if strings.TrimSpace(p) == "" || utf8.RuneCountInString(p) > 500 {
			add(fmt.Sprintf("papers[%d]", i), "不能为空且不超过500字", "required, at most 500 characters")
		}
	}
	if len(s.Days) == 0 {
		add("days", "须列出通知中的放假和调休日期", "list the notice's rest days and make-up workdays")
	}
	if len(s.Days) > 400 {
		add("days", "日期过多", "too many days")
	}
	lo := time.Date(year-1, time.December, 1, 0, 0, 0, 0, Location)
	hi := time.Date(year+1, time.January, 31, 0, 0, 0, 0, Location)
	seen := map[string]int{}
	for i, d := range s.Days {
		f := fmt.Sprintf("days[%d]", i)
		if n := utf8.RuneCountInString(strings.TrimSpace(d.Name)); n == 0 || n > 50 {
			add(f+".name", "名称不能为空且不超过50字", "name is required, at most 50 characters")
		}
		t, err := ParseDate(d.Date)
		if err != nil {
			add(f+".date", "须为有效日期 YYYY-MM-DD", "must be a real date YYYY-MM-DD")
			continue
		}
		if t.Before(lo) || t.After(hi) {
			add(f+".date", fmt.Sprintf("须在 %d-12-01 至 %d-01-31 之间", year-1, year+1), fmt.Sprintf("must lie from %d-12-01 to %d-01-31", year-1, year+1))
		}
		if j, dup := seen[d.Date]; dup {
			add(f+".date", fmt.Sprintf("与 days[%d] 重复", j), fmt.Sprintf("repeats days[%d]", j))
		} else {
			seen[d.Date] = i
		}
		if !d.IsOffDay && !weekend(t) {
			add(f+".isOffDay", "调休上班日（isOffDay=false）只能是周六或周日", "a make-up workday (isOffDay=false) must fall on a Saturday or Sunday")
		}
	}
	if len(fs) > 0 {
		return errs.Ef(errs.Invalid, "%d 年节假日安排有误", "invalid holiday schedule for %d", year).WithFields(fs...)
	}
	return nil
}

// ScheduleInput is the body of a calendar load: the public data set's shape, with isOffDay
// required on every day so that a forgotten flag is not read as a make-up workday.
type ScheduleInput struct {
	Schema string     `json:"$schema,omitempty"`
	ID     string     `json:"$id,omitempty"`
	Year   int        `json:"year"`
	Papers []string   `json:"papers"`
	Days   []DayInput `json:"days"`
}

// DayInput is one day of a ScheduleInput.
type DayInput struct {
	Name     string `json:"name"`
	Date     string `json:"date"`
	IsOffDay *bool  `json:"isOffDay"`
}

// schedule converts the input, naming each day that lacks isOffDay.
func (in ScheduleInput) schedule() (Schedule, []errs.FieldError) {
	s := Schedule{Schema: in.Schema, ID: in.ID, Year: in.Year, Papers: in.Papers}
	var fs []errs.FieldError
	for i, d := range in.Days {
		if d.IsOffDay == nil {
			fs = append(fs, errs.Field(fmt.Sprintf("days[%d].isOffDay", i), "必填：true 为放假，false 为调休上班", "required: true for a rest day, false for a make-up workday"))
		}
		s.Days = append(s.Days, ScheduleDay{Name: strings.TrimSpace(d.Name), Date: d.Date, IsOffDay: d.IsOffDay != nil && *d.IsOffDay})
	}
	if s.Papers == nil {
		s.Papers = []string{}
	}
	return s, fs
}

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
// earlier load, audited in the same transaction; this process's calendar reloads at once, other
// processes within CalendarTTL. Only a tenant operator of a root tenant (or a system scope) may
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
	now := dbx.Now()
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
		_, err := tx.NewInsert().Model(&a).Exec(ctx)
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
