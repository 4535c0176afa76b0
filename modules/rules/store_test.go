package rules_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/jobs"
	"zhifa/modules/cases/casetask"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

// world is two provinces (Fujian-like and Guangdong-like roots) and a city under the second, each
// with an operator, on one database.
type world struct {
	db                  *bun.DB
	settings            *tenants.Service
	engine              *rules.Engine
	fj, gd, gdCity      *tenants.Tenant
	fjOp, gdOp, cityOp  tenants.Scope
	gdOfficer, fjSystem tenants.Scope
}

func newWorld(t *testing.T, db *bun.DB) *world {
	t.Helper()
	w := &world{db: db, settings: tenants.NewService(db, rules.Settings())}
	w.engine = rules.NewEngine(db, w.settings)
	w.fj = dbtest.NewTenant(t, db, nil)
	w.gd = dbtest.NewTenant(t, db, nil)
	w.gdCity = dbtest.NewTenant(t, db, w.gd)
	w.fjOp = dbtest.Scope(w.fj, "fj-op", authz.TenantOperator)
	w.gdOp = dbtest.Scope(w.gd, "gd-op", authz.TenantOperator)
	w.cityOp = dbtest.Scope(w.gdCity, "city-op", authz.TenantOperator)
	w.gdOfficer = dbtest.Scope(w.gd, "gd-officer", authz.Officer)
	w.fjSystem = tenants.System("rules test")
	return w
}

func (w *world) set(t *testing.T, sc tenants.Scope, key string, v any) {
	t.Helper()
	raw, _ := json.Marshal(v)
	_, err := w.settings.Set(ctx, sc, key, tenants.SetSetting{Value: raw})
	noErr(t, err)
}

// TestSettingsOverride: the amount comes from the caller's tenant: Guangdong's backfill of 3
// working days (粤府〔2023〕73号 Art. 22) against Fujian's statutory 5 (闽政令242号 Art. 17), inherited
// by Guangdong's city, inside the caller's transaction and outside it.
func TestSettingsOverride(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		w.set(t, w.gdOp, rules.KeyBackfillWorkingDays, 3)
		from := day(t, "2025-09-26")
		for _, c := range []struct {
			sc     tenants.Scope
			due    string
			amount int
			source string
		}{
			{w.fjOp, "2025-10-10", 5, "statute"},
			{w.gdOfficer, "2025-09-30", 3, "tenant_setting"},
			{w.cityOp, "2025-09-30", 3, "tenant_setting"},
		} {
			// inside the caller's transaction, as the case engine calls it
			err := tenants.RunInTx(ctx, db, c.sc, func(ctx context.Context, tx bun.Tx) error {
				d, err := w.engine.Due(ctx, tx, c.sc, rules.CasesBackfill, from)
				if err != nil {
					return err
				}
				if rules.FormatDate(d.Due) != c.due || d.Amount != c.amount || d.Source != c.source {
					t.Errorf("%s: %s with %d from %s, want %s with %d from %s", c.sc.TenantID(), rules.FormatDate(d.Due), d.Amount, d.Source, c.due, c.amount, c.source)
				}
				return nil
			})
			noErr(t, err)
			// with the database handle: Due opens its own transaction
			d, err := w.engine.Due(ctx, db, c.sc, rules.CasesBackfill, from)
			noErr(t, err)
			if rules.FormatDate(d.Due) != c.due {
				t.Errorf("%s via db: %s, want %s", c.sc.TenantID(), rules.FormatDate(d.Due), c.due)
			}
		}
		// Rules without a setting ignore settings; a tenant's 120-day decision limit applies.
		w.set(t, w.gdOp, rules.KeyDecideDays, 120)
		d, err := w.engine.Due(ctx, nil, w.gdOfficer, rules.PenaltyDecide, day(t, "2025-07-03"))
		noErr(t, err)
		if rules.FormatDate(d.Due) != "2025-10-31" || d.Amount != 120 {
			t.Errorf("decide with 120 days: %s (%d)", rules.FormatDate(d.Due), d.Amount)
		}
		// Errors: unknown rule, no scope, unknown year.
		_, err = w.engine.Due(ctx, nil, w.fjOp, "penalty.nope", from)
		wantCode(t, err, errs.NotFound)
		_, err = w.engine.Due(ctx, nil, tenants.Scope{}, rules.PenaltyDelivery, from)
		if err == nil {
			t.Fatal("Due without a scope succeeded")
		}
		_, err = w.engine.Due(ctx, nil, w.fjOp, rules.PenaltyPayment, day(t, "2026-12-20"))
		wantUnknownYear(t, err, 2027)
	})
}

func TestHearingRequired(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		w.set(t, w.gdOp, rules.KeyHearingPersonYuan, 5000)
		for _, c := range []struct {
			why  string
			sc   tenants.Scope
			kind rules.PartyKind
			fen  int64
			want bool
		}{
			{"Art. 63: ¥2,000 for a person at the default threshold", w.fjOp, rules.Person, 2000_00, true},
			{"Art. 63: ¥1,999.99 is below", w.fjOp, rules.Person, 1999_99, false},
			{"Art. 63: ¥10,000 for an organisation", w.fjOp, rules.Organisation, 10000_00, true},
			{"Art. 63: ¥9,999 for an organisation", w.fjOp, rules.Organisation, 9999_00, false},
			{"Art. 63: the tenant raised the person threshold to ¥5,000", w.gdOfficer, rules.Person, 4999_00, false},
			{"Art. 63: ¥5,000 at that tenant", w.gdOfficer, rules.Person, 5000_00, true},
			{"Art. 63: inherited by the city", w.cityOp, rules.Person, 3000_00, false},
		} {
			err := tenants.RunInTx(ctx, db, c.sc, func(ctx context.Context, tx bun.Tx) error {
				got, r, err := w.engine.HearingRequired(ctx, tx, c.sc, c.kind, c.fen)
				if err != nil {
					return err
				}
				if got != c.want || r.Article != "63" {
					t.Errorf("%s: %v %+v, want %v", c.why, got, r, c.want)
				}
				return nil
			})
			noErr(t, err)
		}
		err := tenants.RunInTx(ctx, db, w.fjOp, func(ctx context.Context, tx bun.Tx) error {
			_, _, err := w.engine.HearingRequired(ctx, tx, w.fjOp, "robot", 1)
			return err
		})
		wantField(t, err, errs.Invalid, "party_kind")
	})
}

func TestLimitationWithSettings(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		d, err := w.engine.Limitation(ctx, nil, w.fjOp, day(t, "2023-05-10"), day(t, "2025-05-10"), false)
		noErr(t, err)
		if rules.FormatDate(d.Due) != "2025-05-10" {
			t.Errorf("limitation ends %s", rules.FormatDate(d.Due))
		}
		_, err = w.engine.Limitation(ctx, nil, w.fjOp, day(t, "2023-05-10"), day(t, "2025-05-11"), false)
		wantCode(t, err, errs.FailedPrecondition)
		if r := errs.As(err).Rule; r == nil || r.Article != "36" || r.ID != rules.PenaltyLimitation {
			t.Errorf("refusal carries %+v", r)
		}
		_, err = w.engine.Limitation(ctx, nil, w.fjOp, day(t, "2023-05-10"), day(t, "2025-05-11"), true)
		noErr(t, err)
		w.set(t, w.gdOp, rules.KeyLimitationYears, 3) // a law that sets another period
		_, err = w.engine.Limitation(ctx, nil, w.gdOp, day(t, "2023-05-10"), day(t, "2026-05-10"), false)
		noErr(t, err)
	})
}

// TestCalendarLoading: only a root tenant's operator loads a year; invalid schedules are refused
// naming the fields; a loaded 2027 makes 2027 deadlines compute, audited; another process sees it
// after its TTL.
func TestCalendarLoading(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		other := rules.NewEngine(db, w.settings) // another API process on the same database
		other.SetCalendarTTL(time.Hour)
		_, err := other.IsWorkingDay(ctx, day(t, "2027-03-01"))
		wantUnknownYear(t, err, 2027) // primes its cache

		for _, c := range []struct {
			why string
			sc  tenants.Scope
		}{
			{"an operator of a city (not a root)", w.cityOp},
			{"an officer of a root", w.gdOfficer},
			{"a read-only subtree scope", tenants.SubtreeScope(w.gd, "gd-sup", []authz.Role{authz.TenantOperator})},
		} {
			_, err := w.engine.LoadCalendar(ctx, c.sc, 2027, synthetic2027())
			wantCode(t, err, errs.Forbidden)
		}
		_, err = w.engine.LoadCalendar(ctx, tenants.Scope{}, 2027, synthetic2027())
		if err == nil {
			t.Fatal("a load without a scope succeeded")
		}

		bad := func(f func(s *rules.Schedule)) rules.Schedule {
			s := synthetic2027()
			s.Days = slices.Clone(s.Days)
			f(&s)
			return s
		}
		for _, c := range []struct {
			why   string
			year  int
			s     rules.Schedule
			field string
		}{
			{"year differs from the address", 2028, synthetic2027(), "year"},
			{"year out of range", 1999, synthetic2027(), "year"},
			{"no notice number", 2027, bad(func(s *rules.Schedule) { s.Notice = "" }), "notice"},
			{"a number without its year", 2027, bad(func(s *rules.Schedule) { s.Notice = "国办发明电9号" }), "notice"},
			{"the number's year is not the date's", 2027, bad(func(s *rules.Schedule) { s.Notice = "国办发明电〔2025〕9号" }), "notice"},
			{"no notice date", 2027, bad(func(s *rules.Schedule) { s.NoticeDate = "" }), "notice_date"},
			{"impossible notice date", 2027, bad(func(s *rules.Schedule) { s.NoticeDate = "2026-11-31" }), "notice_date"},
			{"a notice date two years early", 2027, bad(func(s *rules.Schedule) { s.NoticeDate, s.Notice = "2025-11-10", "国办发明电〔2025〕9号" }), "notice_date"},
			{"blank notice", 2027, bad(func(s *rules.Schedule) { s.Papers = []string{" "} }), "papers[0]"},
			{"no days", 2027, bad(func(s *rules.Schedule) { s.Days = nil }), "days"},
			{"empty name", 2027, bad(func(s *rules.Schedule) { s.Days[0].Name = " " }), "days[0].name"},
			{"impossible date", 2027, bad(func(s *rules.Schedule) { s.Days[1].Date = "2027-02-30" }), "days[1].date"},
			{"not a date", 2027, bad(func(s *rules.Schedule) { s.Days[1].Date = "Jan 2" }), "days[1].date"},
			{"date too early", 2027, bad(func(s *rules.Schedule) { s.Days[1].Date = "2026-11-30" }), "days[1].date"},
			{"date too late", 2027, bad(func(s *rules.Schedule) { s.Days[1].Date = "2028-02-01" }), "days[1].date"},
			{"duplicate date", 2027, bad(func(s *rules.Schedule) { s.Days[2].Date = s.Days[0].Date }), "days[2].date"},
			{"make-up workday on a weekday", 2027, bad(func(s *rules.Schedule) {
				s.Days = append(s.Days, rules.ScheduleDay{Name: "春节", Date: "2027-02-15", IsOffDay: false})
			}), "days[12].isOffDay"},
		} {
			_, err := w.engine.LoadCalendar(ctx, w.gdOp, c.year, c.s)
			wantField(t, err, errs.Invalid, c.field)
		}

		// A valid 2027 by the root operator.
		cy, err := w.engine.LoadCalendar(ctx, w.gdOp, 2027, synthetic2027())
		noErr(t, err)
		if !cy.Known || cy.Source != rules.SourceLoaded || cy.LoadedBy != "gd-op" || cy.Revision != 1 || cy.LoadedAt == nil {
			t.Fatalf("loaded 2027: %+v", cy)
		}
		if len(cy.Dates) != 12 || cy.Dates[0].Date != "2027-01-01" {
			t.Errorf("2027 dates %+v", cy.Dates)
		}
		if got := calendarTasks(t, w, w.gdOp); len(got) != 1 || got[0] != (casetask.Calendar{Year: 2027, Revision: 1}) {
			t.Errorf("the load wrote the tasks %+v, want one rules:calendar_loaded for 2027 rev 1", got)
		}
		d, err := w.engine.Due(ctx, nil, w.fjOp, rules.PenaltyPayment, day(t, "2026-12-17"))
		noErr(t, err)
		if rules.FormatDate(d.Due) != "2027-01-04" || !d.Shifted || !strings.HasPrefix(d.Skipped[0].Reason, "元旦") {
			t.Errorf("payment into 2027: %s %+v", rules.FormatDate(d.Due), d.Skipped)
		}
		d, err = w.engine.Due(ctx, nil, w.fjOp, rules.PenaltyPayment, day(t, "2026-12-20"))
		noErr(t, err)
		if rules.FormatDate(d.Due) != "2027-01-04" || d.Shifted {
			t.Errorf("payment from Dec 20: %s", rules.FormatDate(d.Due))
		}
		// The other process trusts its cache until its TTL ends, then reloads on the version check.
		_, err = other.IsWorkingDay(ctx, day(t, "2027-03-01"))
		wantUnknownYear(t, err, 2027)
		other.SetCalendarTTL(0)
		ok, err := other.IsWorkingDay(ctx, day(t, "2027-01-31"))
		noErr(t, err)
		if !ok {
			t.Error("the make-up Sunday Jan 31, 2027 of the loaded notice is not a working day in the other process")
		}

		// Loading again replaces it, audited with the schedule it replaced; a system scope may load.
		s := synthetic2027()
		s.Days = append(s.Days, rules.ScheduleDay{Name: "清明节", Date: "2027-04-05", IsOffDay: true})
		cy, err = w.engine.LoadCalendar(ctx, w.fjSystem, 2027, s)
		noErr(t, err)
		if cy.Revision != 2 || cy.LoadedBy != "system:rules test" {
			t.Errorf("reloaded 2027: %+v", cy)
		}
		if ok, _ := other.IsWorkingDay(ctx, day(t, "2027-04-05")); ok {
			t.Error("the reload did not reach the other process")
		}
		if got := calendarTasks(t, w, w.gdOp); len(got) != 1 {
			t.Errorf("a system load wrote a task at a tenant: %+v", got)
		}
		audits, err := w.engine.CalendarAudits(ctx, 2027, 10)
		noErr(t, err)
		if len(audits) != 2 || audits[0].Revision != 2 || audits[0].OldSchedule == nil || audits[1].OldSchedule != nil ||
			audits[1].Actor != "gd-op" || audits[1].ActingTenant != w.gd.ID {
			t.Errorf("audit %+v", audits)
		}

		// A loaded year overrides the embedded one: a made-up extra holiday in 2026.
		s26 := rules.EmbeddedSchedules()[2026]
		s26.Notice, s26.NoticeDate = "国办发明电〔2025〕7号", "2025-11-04"
		s26.Days = append(slices.Clone(s26.Days), rules.ScheduleDay{Name: "测试假日", Date: "2026-03-02", IsOffDay: true})
		_, err = w.engine.LoadCalendar(ctx, w.fjOp, 2026, s26)
		noErr(t, err)
		cy, err = w.engine.CalendarYear(ctx, 2026)
		noErr(t, err)
		if cy.Source != rules.SourceLoaded {
			t.Errorf("2026 source %s", cy.Source)
		}
		if ok, _ := w.engine.IsWorkingDay(ctx, day(t, "2026-03-02")); ok {
			t.Error("the loaded 2026 does not override the embedded one")
		}
		cy, err = w.engine.CalendarYear(ctx, 2025)
		noErr(t, err)
		if cy.Source != rules.SourceEmbedded || !cy.Known {
			t.Errorf("2025: %+v", cy)
		}
		cy, err = w.engine.CalendarYear(ctx, 2030)
		noErr(t, err)
		if cy.Source != rules.SourceNone || cy.Known {
			t.Errorf("2030: %+v", cy)
		}
	})
}

// TestConcurrentDueAndLoad computes deadlines from many goroutines, inside their own transactions
// and outside, while a year is loaded: no deadlock, and every answer is either before or after the
// load, never a mix.
func TestConcurrentDueAndLoad(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		w.engine.SetCalendarTTL(0)
		done := make(chan error, 16)
		for i := range 16 {
			go func() {
				var err error
				for range 10 {
					if i%2 == 0 {
						_, err = w.engine.Due(ctx, nil, w.fjOp, rules.PenaltyDelivery, day(t, "2025-09-30"))
					} else {
						_, err = w.engine.IsWorkingDay(ctx, day(t, "2026-10-08"))
					}
					if err != nil {
						break
					}
				}
				done <- err
			}()
		}
		_, err := w.engine.LoadCalendar(ctx, w.gdOp, 2027, synthetic2027())
		noErr(t, err)
		for range 16 {
			noErr(t, <-done)
		}
		ok, err := w.engine.IsWorkingDay(ctx, day(t, "2027-01-31"))
		if err != nil || !ok {
			t.Errorf("after the load: %v %v", ok, err)
		}
	})
}

// calendarTasks decodes the rules:calendar_loaded tasks in sc's tenant's outbox, oldest first.
func calendarTasks(t *testing.T, w *world, sc tenants.Scope) []casetask.Calendar {
	t.Helper()
	var rows []jobs.OutboxRow
	noErr(t, tenants.RunInTx(ctx, w.db, sc, func(ctx context.Context, tx bun.Tx) error {
		return tenants.Own(sc, tx.NewSelect().Model(&rows)).Where("o.task_type = ?", casetask.CalendarLoaded.Type).OrderExpr("o.created_at, o.id").Scan(ctx)
	}))
	out := []casetask.Calendar{}
	for _, r := range rows {
		var env jobs.Envelope
		noErr(t, json.Unmarshal([]byte(r.Payload), &env))
		var p casetask.Calendar
		noErr(t, json.Unmarshal(env.Body, &p))
		out = append(out, p)
	}
	return out
}
