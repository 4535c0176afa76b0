package cases_test

import (
	"testing"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/modules/cases"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/rules"
)

// TestPartyWindowEndsAgencyLimitIsOverdue: a party's window that passes has ended (已届满) and
// leaves the case off the overdue list; an agency's limit that passes is overdue. Both cross 2025
// National Day (Oct 1-8 off, Sat Oct 11 a make-up workday).
func TestPartyWindowEndsAgencyLimitIsOverdue(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		listed := func(t *testing.T, c *cases.Case) cases.Summary {
			t.Helper()
			out, _, err := w.svc.List(ctx, w.officer, cases.Filter{Q: c.Code, Limit: 10})
			noErr(t, err)
			if len(out) != 1 {
				t.Fatalf("list for %s = %+v", c.Code, out)
			}
			return out[0]
		}

		// Art. 64: the hearing request, 5 working days from the notice of Sep 30: Oct 9, 10, 11, 13, 14.
		w.clock.Set("2025-10-15")
		hearing := w.notified(t, person(), 5000, "2025-09-30", nil)
		// Art. 61: the delivery, 7 working days from the decision of Sep 30: Oct 9, 10, 11, 13, 14, 15, 16.
		delivery := w.notified(t, person(), 5000, "2025-09-16", nil)
		w.act(t, w.officer, delivery.ID, cases.ActWaiveHearing, m{"on": "2025-09-16",
			"evidence_id": w.document(t, delivery.ID, "2025-09-16", "放弃听证声明", "documentary")})
		w.act(t, w.head, delivery.ID, cases.ActDecide, decision("2025-09-30", 5000))

		for _, c := range []struct {
			name   string
			id     string
			rule   string
			today  string
			status string
			runs   rules.Against
		}{
			{"the party's last day", hearing.ID, rules.PenaltyHearingRequest, "2025-10-14", cases.DueWarning, rules.AgainstParty},
			{"the party's window passed: ended, not overdue", hearing.ID, rules.PenaltyHearingRequest, "2025-10-15", cases.DueEnded, rules.AgainstParty},
			{"the agency's last day", delivery.ID, rules.PenaltyDelivery, "2025-10-16", cases.DueWarning, rules.AgainstAgency},
			{"the agency's limit passed: overdue", delivery.ID, rules.PenaltyDelivery, "2025-10-17", cases.DueOverdue, rules.AgainstAgency},
		} {
			t.Run(c.name, func(t *testing.T) {
				w.clock.Set(c.today)
				dl := deadline(t, w.find(t, c.id), c.rule)
				if dl.Status != c.status || dl.Runs != c.runs {
					t.Errorf("%s on %s: %s binding %s, want %s binding %s (%+v)", c.rule, c.today, dl.Status, dl.Runs, c.status, c.runs, dl)
				}
			})
		}

		// The list: the lapsed hearing window is nobody's delay; the case's next due day is the
		// agency's time to decide (Art. 60: 90 days from the filing on Sep 3).
		w.clock.Set("2025-10-17")
		if s := listed(t, hearing); s.Overdue || s.NextDueOn == nil || *s.NextDueOn != civil.Date("2025-12-02") {
			t.Errorf("the case whose hearing window ended is listed overdue %v, next due %v; want not overdue, next due 2025-12-02", s.Overdue, s.NextDueOn)
		}
		if s := listed(t, delivery); !s.Overdue || s.NextDueOn == nil || *s.NextDueOn != civil.Date("2025-10-16") {
			t.Errorf("the undelivered decision is listed overdue %v, next due %v; want overdue since 2025-10-16", s.Overdue, s.NextDueOn)
		}
	})
}
