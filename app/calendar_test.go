package app_test

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"zhifa/modules/cases"
	"zhifa/modules/cases/casetask"
	"zhifa/modules/rules"
)

// TestCalendarStatusWiring: on the platform's clock (pinned to 2 November 2026, when the 2027
// notice is needed and not embedded), the platform names the root tenant's operators (from the
// identity module's grants) as able to load the missing holiday notice, tells the operator and
// not the officer that they may load it, and handles the task a load writes.
func TestCalendarStatusWiring(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, time.November, 2, 9, 0, 0, 0, rules.Location)
	for _, driver := range []string{"sqlite", "postgres"} {
		t.Run(driver, func(t *testing.T) {
			t.Parallel()
			p := startPlatformAt(t, driver, func() time.Time { return now })
			if types := p.App.Mux.Types(); !slices.Contains(types, casetask.CalendarLoaded.Type) || !slices.Contains(types, cases.RecomputeWaiting.Type) {
				t.Errorf("the worker handles %v", types)
			}
			missing := rules.MissingYears(rules.EmbeddedCalendar(), p.App.Now())
			if !slices.Equal(missing, []int{2027}) {
				t.Fatalf("on %v the embedded calendar misses %v, want 2027", now, missing)
			}
			for _, c := range []struct {
				email   string
				canLoad bool
			}{{operator, true}, {officer1, false}} {
				r := p.do(http.MethodGet, "/api/v1/calendar/status", p.login(c.email), "", nil)
				if r.Status != http.StatusOK || r.Body["can_load"] != c.canLoad || r.Body["today"] != "2026-11-02" {
					t.Fatalf("%s: %d %s", c.email, r.Status, r.Raw)
				}
				years := []int{}
				for _, m := range list(r, "missing") {
					years = append(years, int(m["year"].(float64)))
				}
				if !slices.Equal(years, append([]int{}, missing...)) {
					t.Errorf("%s: missing %v, want %v", c.email, years, missing)
				}
				emails := []string{}
				for _, o := range list(r, "operators") {
					emails = append(emails, o["email"].(string))
				}
				if !slices.Equal(emails, []string{operator}) {
					t.Errorf("%s: operators %v, want the province's %s", c.email, emails, operator)
				}
			}
		})
	}
}
