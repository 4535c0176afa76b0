package rules_test

import (
	"testing"

	"zhifa/modules/rules"
)

// TestWhomEachRuleBinds: a party's windows (行政处罚法 Art. 64 hearing request, Art. 67 payment;
// 行政复议法 Art. 20; 行政诉讼法 Art. 45, 46) run against the party, so their lapse ends the window
// (已届满); the agency's own limits (Art. 60 decide, Art. 61 delivery, Art. 56 preservation, Art. 71
// cash; 行政强制法 Art. 19, 25, 31, 32, 53; the provincial backfill) run against the agency, so their
// lapse is overdue (已逾期). Every catalogue rule is in the table.
func TestWhomEachRuleBinds(t *testing.T) {
	t.Parallel()
	want := map[string]rules.Against{
		rules.PenaltyHearingRequest:                rules.AgainstParty,
		rules.PenaltyPayment:                       rules.AgainstParty,
		rules.RemedyReconsideration:                rules.AgainstParty,
		rules.RemedyLitigation:                     rules.AgainstParty,
		rules.RemedyLitigationAfterReconsideration: rules.AgainstParty,
		rules.PenaltyStatement:                     rules.AgainstParty, // the party's window to state and defend (Art. 44, 45)

		rules.PenaltyDecide:              rules.AgainstAgency,
		rules.PenaltyDelivery:            rules.AgainstAgency,
		rules.PenaltyEvidencePreserved:   rules.AgainstAgency,
		rules.PenaltyCashHandover:        rules.AgainstAgency,
		rules.PenaltyDisclosureWithdrawn: rules.AgainstAgency,
		rules.PenaltyHearingNotice:       rules.AgainstAgency,
		rules.PenaltyLimitation:          rules.AgainstAgency,
		rules.PenaltyLimitationSafety:    rules.AgainstAgency,
		rules.CoercionEmergencyApproval:  rules.AgainstAgency,
		rules.CoercionSeizureTerm:        rules.AgainstAgency,
		rules.CoercionSeizureExtension:   rules.AgainstAgency,
		rules.CoercionFreezeDelivery:     rules.AgainstAgency,
		rules.CoercionFreezeTerm:         rules.AgainstAgency,
		rules.CoercionFreezeExtension:    rules.AgainstAgency,
		rules.CoercionProxyNotice:        rules.AgainstAgency,
		rules.CoercionDemandBeforeCourt:  rules.AgainstAgency,
		rules.CoercionCourtApplication:   rules.AgainstAgency,
		rules.CasesBackfill:              rules.AgainstAgency,
		rules.ElementsLawLoading:         rules.AgainstAgency,
		rules.DisclosurePublication:      rules.AgainstAgency,
		rules.DisclosureSAMRPublish:      rules.AgainstAgency,
		rules.DisclosureSAMRMinorTerm:    rules.AgainstAgency,
		rules.DisclosureSAMRTerm:         rules.AgainstAgency,
		rules.DisclosureMinPeriod:        rules.AgainstAgency,
		rules.DisclosureMaxPeriod:        rules.AgainstAgency,
		// the notice period the agency waits out before the document counts as served (民事诉讼法 Art. 95)
		rules.ServicePublicNotice: rules.AgainstAgency,
	}
	for _, r := range rules.Catalogue() {
		w, ok := want[r.ID]
		if !ok {
			t.Errorf("%s (%s Art. %d) is not in the table: say whom it binds", r.ID, r.Law, r.Article)
			continue
		}
		if r.Runs() != w {
			t.Errorf("%s (%s Art. %d) binds %s, want %s", r.ID, r.Law, r.Article, r.Runs(), w)
		}
		if v := r.View(r.Amount, "statute"); v.Runs != w {
			t.Errorf("%s: the API says it binds %q", r.ID, v.Runs)
		}
	}
}

// TestPartyWindowAndAgencyLimitAcrossNationalDay counts a party's window and an agency's limit
// across 2025 National Day (Oct 1-8 off, Sat Oct 11 a make-up workday): the hearing request
// (Art. 64, 5 working days) from Fri Sep 26 counts Sun Sep 28 (make-up), Sep 29, 30, Oct 9, 10;
// the delivery (Art. 61, 7 working days) from Tue Sep 30 counts Oct 9, 10, Sat Oct 11 (make-up),
// 13, 14, 15, 16.
func TestPartyWindowAndAgencyLimitAcrossNationalDay(t *testing.T) {
	t.Parallel()
	cal := rules.EmbeddedCalendar()
	for _, c := range []struct {
		id, from, due string
		runs          rules.Against
	}{
		{rules.PenaltyHearingRequest, "2025-09-26", "2025-10-10", rules.AgainstParty},
		{rules.PenaltyDelivery, "2025-09-30", "2025-10-16", rules.AgainstAgency},
	} {
		r := rule(t, c.id)
		from, err := rules.ParseDate(c.from)
		if err != nil {
			t.Fatal(err)
		}
		d, err := rules.Compute(cal, r, r.Amount, from)
		if err != nil {
			t.Fatal(err)
		}
		if got := rules.FormatDate(d.Due); got != c.due || r.Runs() != c.runs {
			t.Errorf("%s from %s: due %s binding %s, want %s binding %s", c.id, c.from, got, r.Runs(), c.due, c.runs)
		}
	}
}
