package rules_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/app/testenv"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

// TestCalendarStatus: from 1 November of a year, next year's notice is needed; the current year's
// is needed all year. A missing one names the root operators; loading it ends the warning.
func TestCalendarStatus(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		clock := &testenv.Clock{}
		w.engine.SetClock(clock.Now)
		w.engine.SetOperators(func(context.Context) ([]rules.Operator, error) {
			return []rules.Operator{{Name: "省级运维", Email: "op@example.cn"}}, nil
		})
		check := func(when string, sc tenants.Scope, want []int, canLoad bool) {
			t.Helper()
			clock.Set(when)
			st, err := w.engine.CalendarStatus(ctx, sc)
			noErr(t, err)
			var got []int
			for _, m := range st.Missing {
				got = append(got, m.Year)
				if want := time.Date(m.Year-1, time.November, 1, 0, 0, 0, 0, rules.Location); m.Since != rules.FormatDate(want) {
					t.Errorf("%s: %d needed since %s, want %s", when, m.Year, m.Since, rules.FormatDate(want))
				}
			}
			if !slices.Equal(got, want) || st.Today != rules.FormatDate(clock.Now()) || st.CanLoad != canLoad {
				t.Errorf("%s: missing %v today %s can load %v; want %v, %v", when, got, st.Today, st.CanLoad, want, canLoad)
			}
			if named := len(st.Operators) == 1 && st.Operators[0].Email == "op@example.cn"; named != (len(want) > 0) {
				t.Errorf("%s: operators %+v with %v missing", when, st.Operators, want)
			}
		}
		for _, c := range []struct {
			when string
			want []int
		}{
			{"2026-10-31", nil},
			{"2026-10-31T23:59:00+08:00", nil},
			{"2026-10-31T16:00:00Z", []int{2027}}, // midnight of 1 November in China
			{"2026-11-01", []int{2027}},
			{"2026-12-07", []int{2027}},
			{"2027-01-15", []int{2027}}, // the year has begun without its notice
			{"2027-11-01", []int{2027, 2028}},
		} {
			check(c.when, w.gdOfficer, c.want, false)
		}
		check("2026-12-07", w.gdOp, []int{2027}, true)
		check("2026-12-07", w.cityOp, []int{2027}, false)

		_, err := w.engine.LoadCalendar(ctx, w.gdOp, 2027, synthetic2027())
		noErr(t, err)
		for _, c := range []struct {
			when string
			want []int
		}{
			{"2026-12-07", nil},
			{"2027-01-15", nil},
			{"2027-10-31", nil},
			{"2027-11-01", []int{2028}},
		} {
			check(c.when, w.gdOfficer, c.want, false)
		}
	})
}
