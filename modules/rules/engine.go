package rules

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// CalendarTTL is how long a process trusts its cached calendar before it compares the stored
// version again. A load through this process applies at once; a load through another API process
// applies here within CalendarTTL. The check is one aggregate over a table of a few rows.
const CalendarTTL = 10 * time.Second

// Engine computes the catalogue's deadlines for a tenant: the amounts from the tenant's settings,
// the dates from the merged holiday calendar (embedded schedules overridden by loaded ones). It is
// safe for concurrent use; the case engine calls it inside its own transactions.
type Engine struct {
	db       *bun.DB
	settings *tenants.Service
	ttl      time.Duration
	now      func() time.Time // measures the cache's age

	clock     func() time.Time // decides today for CalendarStatus
	operators OperatorSource

	mu      sync.Mutex
	st      *calState // nil: load on the next read
	checked time.Time // when st was last known current
	gen     int64     // bumped by each local load
}

// calState is one snapshot of the merged calendar and the rows it was built from.
type calState struct {
	cal       *Calendar
	version   int64
	loaded    map[int]calendarRow
	schedules map[int]Schedule // the loaded schedules, parsed
}

// NewEngine returns the engine over db (the calendar table) and settings (the tenant amounts).
// With a nil db it uses the embedded calendar alone; with nil settings, the statutory amounts.
func NewEngine(db *bun.DB, settings *tenants.Service) *Engine {
	return &Engine{db: db, settings: settings, ttl: CalendarTTL, now: time.Now, clock: time.Now}
}

// SetCalendarTTL changes how long the cached calendar is trusted (tests use 0: check every time).
func (e *Engine) SetCalendarTTL(d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.ttl = d
}

// Rules returns the catalogue.
func (e *Engine) Rules() []Rule { return Catalogue() }

// Rule returns the rule with id.
func (e *Engine) Rule(id string) (Rule, bool) { return Lookup(id) }

func (e *Engine) idb() bun.IDB {
	if e.db == nil {
		return nil
	}
	return e.db
}

// invalidate makes the next read reload the calendar, and keeps a refresh that started before it
// from installing what it read.
func (e *Engine) invalidate() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.st = nil
	e.gen++
}

// Refresh makes the next read load the stored calendar, whatever the age of the cached one: a task
// that follows a load made through another process calls it before it counts.
func (e *Engine) Refresh() { e.invalidate() }

// state returns the current calendar snapshot. A snapshot younger than the TTL is used as it is;
// an older one is checked against the stored version through idb (the caller's transaction, or the
// database) and reloaded when the version changed. No lock is held while the database is read, so
// callers waiting for a pooled connection never wait on one another here.
func (e *Engine) state(ctx context.Context, idb bun.IDB) (*calState, error) {
	e.mu.Lock()
	st, gen, now := e.st, e.gen, e.now()
	fresh := st != nil && now.Sub(e.checked) < e.ttl
	e.mu.Unlock()
	if fresh {
		return st, nil
	}
	if e.db == nil || idb == nil {
		if st == nil {
			st = &calState{cal: EmbeddedCalendar(), loaded: map[int]calendarRow{}, schedules: map[int]Schedule{}}
		}
		e.install(st, gen, now)
		return st, nil
	}
	var version int64
	if err := idb.NewSelect().TableExpr("holiday_calendars").ColumnExpr("COALESCE(SUM(revision), 0)").Scan(ctx, &version); err != nil {
		return nil, fmt.Errorf("rules: calendar version: %w", err)
	}
	if st != nil && st.version == version {
		e.install(st, gen, now)
		return st, nil
	}
	var rows []calendarRow
	if err := idb.NewSelect().Model(&rows).Scan(ctx); err != nil {
		return nil, fmt.Errorf("rules: calendar rows: %w", err)
	}
	next := &calState{version: version, loaded: map[int]calendarRow{}, schedules: map[int]Schedule{}}
	all := maps.Clone(embedded)
	for _, r := range rows {
		var s Schedule
		if err := json.Unmarshal([]byte(r.Schedule), &s); err != nil {
			return nil, fmt.Errorf("rules: stored calendar %d: %w", r.Year, err)
		}
		next.loaded[r.Year], next.schedules[r.Year], all[r.Year] = r, s, s
	}
	next.cal = NewCalendar(slices.Collect(maps.Values(all))...)
	e.install(next, gen, now)
	return next, nil
}

// install makes st the cached snapshot, checked at now, unless the cache was invalidated since
// generation gen or already holds a later version (a reader in an older transaction snapshot).
func (e *Engine) install(st *calState, gen int64, now time.Time) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.gen != gen || (e.st != nil && e.st.version > st.version) {
		return
	}
	e.st, e.checked = st, now
}

// Calendar returns the merged calendar as it stands (embedded, overridden by loaded years).
func (e *Engine) Calendar(ctx context.Context) (*Calendar, error) {
	st, err := e.state(ctx, e.idb())
	if err != nil {
		return nil, err
	}
	return st.cal, nil
}

// IsWorkingDay reports whether d's date (in China) is a working day. Returns FailedPrecondition
// naming the year when its holiday notice is not loaded.
func (e *Engine) IsWorkingDay(ctx context.Context, d time.Time) (bool, error) {
	cal, err := e.Calendar(ctx)
	if err != nil {
		return false, err
	}
	return cal.IsWorkingDay(d)
}

// Due computes rule id from the event at from, with the amount from sc's settings (the tenant's
// effective value of the rule's SettingKey). tx is the caller's transaction, opened by
// tenants.RunInTx for sc; a *bun.DB (or nil) makes Due open one. Errors: NotFound (unknown rule),
// FailedPrecondition (unknown calendar year, naming it), Invalid (a bad amount).
func (e *Engine) Due(ctx context.Context, tx bun.IDB, sc tenants.Scope, id string, from time.Time) (*Due, error) {
	return e.DueAt(ctx, tx, sc, "", id, from)
}

// DueAt is Due with the amount of one of the tenant's bodies (a body may override a sector's
// number, e.g. market regulation's publication period); an empty bodyID reads the tenant's.
func (e *Engine) DueAt(ctx context.Context, tx bun.IDB, sc tenants.Scope, bodyID, id string, from time.Time) (*Due, error) {
	r, ok := Lookup(id)
	if !ok {
		return nil, errUnknownRule(id)
	}
	if !sc.Valid() {
		return nil, tenants.ErrNoScope
	}
	var out *Due
	run := func(ctx context.Context, tx bun.IDB) error {
		ctx = tenants.WithScope(ctx, sc)
		amount, source, err := e.settingAmount(ctx, tx, sc, bodyID, r)
		if err != nil {
			return err
		}
		st, err := e.state(ctx, tx)
		if err != nil {
			return err
		}
		out, err = Compute(st.cal, r, amount, from)
		if err == nil {
			out.Source = source
		}
		return err
	}
	if db, isDB := tx.(*bun.DB); tx == nil || isDB {
		if db == nil {
			db = e.db
		}
		if db == nil {
			return out, run(ctx, nil)
		}
		return out, tenants.RunInTx(ctx, db, sc, func(ctx context.Context, tx bun.Tx) error { return run(ctx, tx) })
	}
	return out, run(ctx, tx)
}

func errUnknownRule(id string) error {
	return errs.Ef(errs.NotFound, "规则 %s 不存在", "no rule %s", id)
}

// settingAmount reads the rule's amount inside tx: the statutory one, or the tenant's setting.
// The source is "statute" when the amount equals the statute's, else "tenant_setting".
func (e *Engine) settingAmount(ctx context.Context, tx bun.IDB, sc tenants.Scope, bodyID string, r Rule) (int, string, error) {
	if r.SettingKey == "" || e.settings == nil || tx == nil {
		return r.Amount, "statute", nil
	}
	var n int
	if err := e.settings.SettingValue(ctx, tx, sc, bodyID, r.SettingKey, &n); err != nil {
		return 0, "", err
	}
	if n == r.Amount {
		return n, "statute", nil
	}
	return n, "tenant_setting", nil
}

// amounts are the effective amounts of every rule with a setting, and where each comes from.
type amounts map[string]amount

type amount struct {
	value  int
	source string
}

// effectiveAmounts resolves the settings of sc (and body) in one transaction of their own, with
// exact sources: "statute" for the platform default, "tenant:<id>" or "body:<id>" for an override.
func (e *Engine) effectiveAmounts(ctx context.Context, sc tenants.Scope, bodyID string) (amounts, error) {
	out := amounts{}
	if e.settings == nil {
		return out, nil
	}
	all, err := e.settings.Settings(ctx, sc, bodyID)
	if err != nil {
		return nil, err
	}
	for _, s := range all {
		if s.Kind != tenants.KindInt {
			continue
		}
		var n int
		if err := json.Unmarshal(s.Value, &n); err != nil {
			return nil, fmt.Errorf("rules: setting %s: %w", s.Key, err)
		}
		src := s.Source
		switch {
		case src == "platform":
			src = "statute"
		case !strings.HasPrefix(src, "body:"):
			src = "tenant:" + src
		}
		out[s.Key] = amount{n, src}
	}
	return out, nil
}

// of returns r's amount under a.
func (a amounts) of(r Rule) amount {
	if v, ok := a[r.SettingKey]; ok && r.SettingKey != "" {
		return v
	}
	return amount{r.Amount, "statute"}
}

// dueExact computes rule r for sc with exact amount sources: the HTTP calculator's path.
func (e *Engine) dueExact(ctx context.Context, sc tenants.Scope, bodyID string, r Rule, from time.Time) (*Due, error) {
	am, err := e.effectiveAmounts(ctx, sc, bodyID)
	if err != nil {
		return nil, err
	}
	a := am.of(r)
	st, err := e.state(ctx, e.idb())
	if err != nil {
		return nil, err
	}
	d, err := Compute(st.cal, r, a.value, from)
	if err != nil {
		return nil, err
	}
	d.Source = a.source
	return d, nil
}
