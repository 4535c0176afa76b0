package rules_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"zhifa/modules/rules"
)

// The 2025 and 2026 schedules these tables rely on, as the State Council's notices (the embedded
// data) state them; TestCalendarFacts checks each against the data:
//
//	2025 元旦 Jan 1 | 春节 Jan 28-Feb 4 off, make-up Sun Jan 26 and Sat Feb 8 | 清明 Apr 4-6 |
//	     劳动节 May 1-5, make-up Sun Apr 27 | 端午 May 31-Jun 2 | 国庆中秋 Oct 1-8, make-up Sun Sep 28, Sat Oct 11
//	2026 元旦 Jan 1-3, make-up Sun Jan 4 | 春节 Feb 15-23, make-up Sat Feb 14 and Sat Feb 28 | 清明 Apr 4-6 |
//	     劳动节 May 1-5, make-up Sat May 9 | 端午 Jun 19-21 | 中秋 Sep 25-27, make-up Sun Sep 20 |
//	     国庆 Oct 1-7, make-up Sat Oct 10
//	2027 not announced: unknown.

// dueCase is one row of the catalogue table: a rule counted from an event, citing its article.
type dueCase struct {
	why      string // what the row shows, with the article
	id       string
	article  int    // the article the row cites; the catalogue must agree
	from     string // YYYY-MM-DD, or RFC 3339 for hours
	amount   int    // 0: the statutory amount
	due      string
	raw      string   // the end before the shift; "" when not shifted
	skipped  []string // every date passed over, in counting order
	makeUp   []string // make-up workdays counted
	failYear int      // the computation must fail naming this year
}

// catalogueCases has rows for every rule of the catalogue (TestEveryRuleHasRows enforces it).
var catalogueCases = []dueCase{
	// 行政处罚法 Art. 71: cash handed over within 2 working days (Art. 85).
	{why: "Art. 71: Friday + 2 wd counts the make-up Sunday Jan 26", id: rules.PenaltyCashHandover, article: 71,
		from: "2025-01-24", due: "2025-01-27", skipped: []string{"2025-01-25"}, makeUp: []string{"2025-01-26"}},
	{why: "Art. 71: Spring Festival 2025 is skipped whole", id: rules.PenaltyCashHandover, article: 71,
		from: "2025-01-27", due: "2025-02-06", skipped: span("2025-01-28", "2025-02-04")},
	{why: "Art. 71: the make-up Saturday Feb 14, 2026 counts, Feb 15-23 do not", id: rules.PenaltyCashHandover, article: 71,
		from: "2026-02-13", due: "2026-02-24", skipped: span("2026-02-15", "2026-02-23"), makeUp: []string{"2026-02-14"}},

	// Art. 48: published decision withdrawn within 3 working days.
	{why: "Art. 48: Qingming 2025 Apr 4-6 skipped", id: rules.PenaltyDisclosureWithdrawn, article: 48,
		from: "2025-04-03", due: "2025-04-09", skipped: span("2025-04-04", "2025-04-06")},
	{why: "Art. 48: across New Year 2026, the make-up Sunday Jan 4 counts", id: rules.PenaltyDisclosureWithdrawn, article: 48,
		from: "2025-12-30", due: "2026-01-05", skipped: span("2026-01-01", "2026-01-03"), makeUp: []string{"2026-01-04"}},

	// Art. 64: the party asks for a hearing within 5 working days.
	{why: "Art. 64: make-up Sunday Apr 27 counts, Labour Day May 1-5, 2025 skipped", id: rules.PenaltyHearingRequest, article: 64,
		from: "2025-04-25", due: "2025-05-06", skipped: cat([]string{"2025-04-26"}, span("2025-05-01", "2025-05-05")), makeUp: []string{"2025-04-27"}},
	{why: "Art. 64: Mid-Autumn and National Day 2026 both skipped", id: rules.PenaltyHearingRequest, article: 64,
		from: "2026-09-24", due: "2026-10-09", skipped: cat(span("2026-09-25", "2026-09-27"), span("2026-10-01", "2026-10-07"))},

	// Art. 44, 45: the party states and defends itself within the notice's period (5 working days by default).
	{why: "Art. 45: a notice served Mon Sep 29, 2025: National Day Oct 1-8 off, the make-up Saturday Oct 11 counts", id: rules.PenaltyStatement, article: 45,
		from: "2025-09-29", due: "2025-10-13", skipped: append(span("2025-10-01", "2025-10-08"), "2025-10-12"), makeUp: []string{"2025-10-11"}},
	{why: "Art. 45: Spring Festival 2026 Feb 15-23 off, the make-up Saturday Feb 14 counts", id: rules.PenaltyStatement, article: 45,
		from: "2026-02-12", due: "2026-02-26", skipped: span("2026-02-15", "2026-02-23"), makeUp: []string{"2026-02-14"}},

	// Art. 64: hearing notice at least 7 working days before the hearing (counted backwards).
	{why: "Art. 64 (Before): a hearing on Oct 16, 2025 is noticed by Sep 30", id: rules.PenaltyHearingNotice, article: 64,
		from: "2025-10-16", due: "2025-09-30", skipped: append([]string{"2025-10-12"}, reverse(span("2025-10-01", "2025-10-08"))...), makeUp: []string{"2025-10-11"}},
	{why: "Art. 64 (Before): back across New Year 2026 and a weekend", id: rules.PenaltyHearingNotice, article: 64,
		from: "2026-01-07", due: "2025-12-26", skipped: []string{"2026-01-03", "2026-01-02", "2026-01-01", "2025-12-28", "2025-12-27"}, makeUp: []string{"2026-01-04"}},

	// Art. 56: decision on preserved evidence within 7 working days.
	{why: "Art. 56: Dragon Boat 2025 May 31-Jun 2 and two weekends", id: rules.PenaltyEvidencePreserved, article: 56,
		from: "2025-05-30", due: "2025-06-11", skipped: cat(span("2025-05-31", "2025-06-02"), span("2025-06-07", "2025-06-08"))},
	{why: "Art. 56: Dragon Boat 2026 Jun 19-21 and a weekend", id: rules.PenaltyEvidencePreserved, article: 56,
		from: "2026-06-18", due: "2026-06-30", skipped: cat(span("2026-06-19", "2026-06-21"), span("2026-06-27", "2026-06-28"))},

	// Art. 61: decision delivered within 7 working days.
	{why: "Art. 61: the issue's check: National Day Oct 1-8 off, Oct 11 a make-up workday", id: rules.PenaltyDelivery, article: 61,
		from: "2025-09-30", due: "2025-10-16", skipped: append(span("2025-10-01", "2025-10-08"), "2025-10-12"), makeUp: []string{"2025-10-11"}},
	{why: "Art. 61: ends on the make-up Saturday Feb 28, 2026", id: rules.PenaltyDelivery, article: 61,
		from: "2026-02-12", due: "2026-02-28", skipped: span("2026-02-15", "2026-02-23"), makeUp: []string{"2026-02-14", "2026-02-28"}},
	{why: "Art. 61: late December 2026 never reaches 2027", id: rules.PenaltyDelivery, article: 61,
		from: "2026-12-20", due: "2026-12-29", skipped: span("2026-12-26", "2026-12-27")},
	{why: "Art. 61: a count that needs January 2027 fails", id: rules.PenaltyDelivery, article: 61,
		from: "2026-12-28", failYear: 2027},

	// Art. 67: the party pays within 15 days; the end shifts off a rest day (民法典 Art. 203).
	{why: "Art. 67: ends on Oct 1, 2025, shifted past National Day to Oct 9", id: rules.PenaltyPayment, article: 67,
		from: "2025-09-16", due: "2025-10-09", raw: "2025-10-01", skipped: span("2025-10-01", "2025-10-08")},
	{why: "Art. 67: ends on a Saturday, shifted to Monday", id: rules.PenaltyPayment, article: 67,
		from: "2025-03-07", due: "2025-03-24", raw: "2025-03-22", skipped: span("2025-03-22", "2025-03-23")},
	{why: "Art. 67: ends on the make-up Saturday Oct 11, 2025: a working day, no shift", id: rules.PenaltyPayment, article: 67,
		from: "2025-09-26", due: "2025-10-11"},
	{why: "Art. 67: calendar days run through Spring Festival 2025", id: rules.PenaltyPayment, article: 67,
		from: "2025-01-12", due: "2025-01-27"},
	{why: "Art. 67: ends on Thursday Dec 31, 2026: 2027 is not needed", id: rules.PenaltyPayment, article: 67,
		from: "2026-12-16", due: "2026-12-31"},
	{why: "Art. 67: 2026-12-20 + 15 days ends in 2027: the shift must look at 2027", id: rules.PenaltyPayment, article: 67,
		from: "2026-12-20", failYear: 2027},

	// 民事诉讼法 Art. 95: a public notice serves its document when 30 days have passed since publication
	// (the publication day not counted). The day of service is not a party's deadline: not shifted.
	{why: "Art. 95: published Sep 5, 2025, served Oct 5 in the National Day holiday (not shifted)", id: rules.ServicePublicNotice, article: 95,
		from: "2025-09-05", due: "2025-10-05"},
	{why: "Art. 95: published Jan 31, 2026 (month end), 30 days through a 28-day February end Mar 2", id: rules.ServicePublicNotice, article: 95,
		from: "2026-01-31", due: "2026-03-02"},
	{why: "Art. 95: into 2027 without a 2027 calendar", id: rules.ServicePublicNotice, article: 95,
		from: "2026-12-20", due: "2027-01-19"},

	// Art. 60: the agency decides within 90 days of filing; not shifted.
	{why: "Art. 60: ends on Oct 1, 2025 and stays there (agency limit)", id: rules.PenaltyDecide, article: 60,
		from: "2025-07-03", due: "2025-10-01"},
	{why: "Art. 60: ends in 2027 without looking at 2027", id: rules.PenaltyDecide, article: 60,
		from: "2026-10-10", due: "2027-01-08"},

	// Art. 36: limitation 2 years, 5 with harm to life, health or financial security.
	{why: "Art. 36: from Feb 29, 2024, two years end on Feb 28, 2026", id: rules.PenaltyLimitation, article: 36,
		from: "2024-02-29", due: "2026-02-28"},
	{why: "Art. 36: ends on a holiday, not shifted", id: rules.PenaltyLimitation, article: 36,
		from: "2023-10-01", due: "2025-10-01"},
	{why: "Art. 36: five years", id: rules.PenaltyLimitationSafety, article: 36,
		from: "2021-05-31", due: "2026-05-31"},
	{why: "Art. 36: five years into 2027 need no 2027 calendar", id: rules.PenaltyLimitationSafety, article: 36,
		from: "2022-12-31", due: "2027-12-31"},

	// 行政强制法 Art. 19: emergency measure approved within 24 clock hours; never shifted.
	{why: "Art. 19: across midnight into National Day 2025", id: rules.CoercionEmergencyApproval, article: 19,
		from: "2025-09-30T22:30:00+08:00", due: "2025-10-01T22:30:00+08:00"},
	{why: "Art. 19: from a make-up Saturday into Spring Festival 2026", id: rules.CoercionEmergencyApproval, article: 19,
		from: "2026-02-14T08:00:00+08:00", due: "2026-02-15T08:00:00+08:00"},
	{why: "Art. 19: into 2027 without a 2027 calendar", id: rules.CoercionEmergencyApproval, article: 19,
		from: "2026-12-31T20:00:00+08:00", due: "2027-01-01T20:00:00+08:00"},
	{why: "Art. 19: an instant given in UTC is reported in China time", id: rules.CoercionEmergencyApproval, article: 19,
		from: "2025-12-31T16:30:00Z", due: "2026-01-02T00:30:00+08:00"},

	// Art. 25: seizure 30 days, extension 30 days; agency limits, not shifted.
	{why: "Art. 25: ends on Feb 2, 2025 in Spring Festival, not shifted", id: rules.CoercionSeizureTerm, article: 25,
		from: "2025-01-03", due: "2025-02-02"},
	{why: "Art. 25: ends on Oct 1, 2026, not shifted", id: rules.CoercionSeizureTerm, article: 25,
		from: "2026-09-01", due: "2026-10-01"},
	{why: "Art. 25: the extension runs from the end of the term", id: rules.CoercionSeizureExtension, article: 25,
		from: "2025-02-02", due: "2025-03-04"},

	// Art. 31: freeze decision delivered within 3 working days (Art. 69).
	{why: "Art. 31: the make-up Sunday Sep 28, 2025 counts", id: rules.CoercionFreezeDelivery, article: 31,
		from: "2025-09-26", due: "2025-09-30", skipped: []string{"2025-09-27"}, makeUp: []string{"2025-09-28"}},
	{why: "Art. 31: National Day 2025 skipped", id: rules.CoercionFreezeDelivery, article: 31,
		from: "2025-09-29", due: "2025-10-10", skipped: span("2025-10-01", "2025-10-08")},

	// Art. 32: freeze 30 days + 30; not shifted.
	{why: "Art. 32: ends on Saturday Jan 31, 2026, not shifted", id: rules.CoercionFreezeTerm, article: 32,
		from: "2026-01-01", due: "2026-01-31"},
	{why: "Art. 32: extension", id: rules.CoercionFreezeExtension, article: 32,
		from: "2026-01-31", due: "2026-03-02"},

	// Art. 51: demand at least 3 working days before proxy enforcement (backwards).
	{why: "Art. 51 (Before): proxy enforcement on Oct 9, 2025: demand by the make-up Sunday Sep 28", id: rules.CoercionProxyNotice, article: 51,
		from: "2025-10-09", due: "2025-09-28", skipped: reverse(span("2025-10-01", "2025-10-08")), makeUp: []string{"2025-09-28"}},
	{why: "Art. 51 (Before): counting back from January 2027 needs 2027", id: rules.CoercionProxyNotice, article: 51,
		from: "2027-01-05", failYear: 2027},

	// Art. 54: apply to the court only 10 working days after the demand is served (Art. 69).
	{why: "Art. 54: across Mid-Autumn and National Day 2026, make-up Sunday Sep 20 counts", id: rules.CoercionDemandBeforeCourt, article: 54,
		from: "2026-09-18", due: "2026-10-09", skipped: cat([]string{"2026-09-19"}, span("2026-09-25", "2026-09-27"), span("2026-10-01", "2026-10-07")),
		makeUp: []string{"2026-09-20"}},

	// Art. 53: the agency applies to the court within 3 months; month end; not shifted.
	{why: "Art. 53: Nov 30 + 3 months = Feb 28 (no Feb 30)", id: rules.CoercionCourtApplication, article: 53,
		from: "2025-11-30", due: "2026-02-28"},
	{why: "Art. 53: ends in 2027 without the 2027 calendar (agency, not shifted)", id: rules.CoercionCourtApplication, article: 53,
		from: "2026-10-31", due: "2027-01-31"},

	// 行政复议法 Art. 20: 60 days, a party's deadline, shifted.
	{why: "复议法 Art. 20: ends on Oct 1, 2025, shifted to Oct 9", id: rules.RemedyReconsideration, article: 20,
		from: "2025-08-02", due: "2025-10-09", raw: "2025-10-01", skipped: span("2025-10-01", "2025-10-08")},
	{why: "复议法 Art. 20: ends on Dec 31, 2026, a Thursday", id: rules.RemedyReconsideration, article: 20,
		from: "2026-11-01", due: "2026-12-31"},
	{why: "复议法 Art. 20: ends in January 2027: fails", id: rules.RemedyReconsideration, article: 20,
		from: "2026-11-05", failYear: 2027},

	// 行政诉讼法 Art. 46: 6 months, shifted.
	{why: "诉讼法 Art. 46: Jul 31 + 6 months = Jan 31, 2026 (Saturday), shifted to Monday Feb 2", id: rules.RemedyLitigation, article: 46,
		from: "2025-07-31", due: "2026-02-02", raw: "2026-01-31", skipped: []string{"2026-01-31", "2026-02-01"}},
	{why: "诉讼法 Art. 46: Aug 31 + 6 months = Feb 28, 2026, a make-up Saturday: no shift", id: rules.RemedyLitigation, article: 46,
		from: "2025-08-31", due: "2026-02-28"},
	{why: "诉讼法 Art. 46: ends on Saturday Oct 4, 2025 in National Day: shifted to Oct 9", id: rules.RemedyLitigation, article: 46,
		from: "2025-04-04", due: "2025-10-09", raw: "2025-10-04", skipped: span("2025-10-04", "2025-10-08")},
	{why: "诉讼法 Art. 46: ends on Jan 1, 2027: fails", id: rules.RemedyLitigation, article: 46,
		from: "2026-07-01", failYear: 2027},

	// 行政诉讼法 Art. 45: 15 days after the reconsideration decision, shifted.
	{why: "诉讼法 Art. 45: ends on Feb 20, 2026 in Spring Festival, shifted to Feb 24", id: rules.RemedyLitigationAfterReconsideration, article: 45,
		from: "2026-02-05", due: "2026-02-24", raw: "2026-02-20", skipped: span("2026-02-20", "2026-02-23")},

	// Provincial: backfill from when the obstacle ended (闽政令242号 Art. 17: 5; 粤府〔2023〕73号 Art. 22: 3).
	{why: "闽 Art. 17: Fujian's 5 working days across National Day 2025", id: rules.CasesBackfill, article: 17,
		from: "2025-09-26", due: "2025-10-10", skipped: cat([]string{"2025-09-27"}, span("2025-10-01", "2025-10-08")), makeUp: []string{"2025-09-28"}},
	{why: "粤 Art. 22: Guangdong's 3 working days from the same day", id: rules.CasesBackfill, article: 17, amount: 3,
		from: "2025-09-26", due: "2025-09-30", skipped: []string{"2025-09-27"}, makeUp: []string{"2025-09-28"}},

	// 粤 Art. 52: laws supplied within 10 working days of promulgation.
	{why: "粤 Art. 52: across New Year 2026", id: rules.ElementsLawLoading, article: 52,
		from: "2025-12-25", due: "2026-01-09", skipped: cat(span("2025-12-27", "2025-12-28"), span("2026-01-01", "2026-01-03")), makeUp: []string{"2026-01-04"}},

	// 双公示: published within 7 working days.
	{why: "双公示: Labour Day 2026, make-up Saturday May 9 counts", id: rules.DisclosurePublication, article: 0,
		from: "2026-04-30", due: "2026-05-13", skipped: append(span("2026-05-01", "2026-05-05"), "2026-05-10"), makeUp: []string{"2026-05-09"}},

	// SAMR (2021): published within 20 working days; displayed 3 months or 3 years.
	{why: "SAMR Art. 6: 20 working days across Spring Festival 2025", id: rules.DisclosureSAMRPublish, article: 6,
		from: "2025-01-20", due: "2025-02-21",
		skipped: cat([]string{"2025-01-25"}, span("2025-01-28", "2025-02-04"), []string{"2025-02-09"}, span("2025-02-15", "2025-02-16")),
		makeUp:  []string{"2025-01-26", "2025-02-08"}},
	{why: "SAMR Art. 14: 3 months from Dec 31 end on Mar 31", id: rules.DisclosureSAMRMinorTerm, article: 14,
		from: "2025-12-31", due: "2026-03-31"},
	{why: "SAMR Art. 14: 3 years from Feb 29 end on Feb 28", id: rules.DisclosureSAMRTerm, article: 14,
		from: "2024-02-29", due: "2027-02-28"},

	// 闽政令242号 Art. 21: displayed at least 60 days, at most 2 years (730 days).
	{why: "闽 Art. 21: minimum 60 days end on Oct 1, 2025, not shifted", id: rules.DisclosureMinPeriod, article: 21,
		from: "2025-08-02", due: "2025-10-01"},
	{why: "闽 Art. 21: maximum 730 days", id: rules.DisclosureMaxPeriod, article: 21,
		from: "2024-10-01", due: "2026-10-01"},
}

func reverse(s []string) []string {
	s = slices.Clone(s)
	slices.Reverse(s)
	return s
}

func TestCatalogueTable(t *testing.T) {
	t.Parallel()
	cal := rules.EmbeddedCalendar()
	for _, c := range catalogueCases {
		t.Run(c.id+"/"+c.from, func(t *testing.T) {
			r := rule(t, c.id)
			if r.Article != c.article {
				t.Fatalf("%s: the catalogue cites Art. %d, the row Art. %d", c.why, r.Article, c.article)
			}
			amount := r.Amount
			if c.amount != 0 {
				amount = c.amount
			}
			var from time.Time
			if r.Unit == rules.Hour {
				from = instant(t, c.from)
			} else {
				from = day(t, c.from)
			}
			d, err := rules.Compute(cal, r, amount, from)
			if c.failYear != 0 {
				if err == nil {
					t.Fatalf("%s: computed %s, want a failure naming %d", c.why, d.Due, c.failYear)
				}
				wantUnknownYear(t, err, c.failYear)
				return
			}
			noErr(t, err)
			got := rules.FormatDate(d.Due)
			if r.Unit == rules.Hour {
				got = d.Due.In(rules.Location).Format(time.RFC3339)
			}
			if got != c.due {
				t.Errorf("%s: due %s, want %s", c.why, got, c.due)
			}
			if c.raw != "" {
				if !d.Shifted || d.RawDue == nil || rules.FormatDate(*d.RawDue) != c.raw {
					t.Errorf("%s: shifted %v from %v, want from %s", c.why, d.Shifted, d.RawDue, c.raw)
				}
			} else if d.Shifted || d.RawDue != nil {
				t.Errorf("%s: shifted from %v, want no shift", c.why, d.RawDue)
			}
			if want := orEmpty(c.skipped); !slices.Equal(dates(d.Skipped), want) {
				t.Errorf("%s: skipped %v, want %v", c.why, dates(d.Skipped), want)
			}
			if want := orEmpty(c.makeUp); !slices.Equal(dates(d.MakeUp), want) {
				t.Errorf("%s: make-up days %v, want %v", c.why, dates(d.MakeUp), want)
			}
			if d.Amount != amount {
				t.Errorf("%s: amount %d, want %d", c.why, d.Amount, amount)
			}
		})
	}
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func TestEveryRuleHasRows(t *testing.T) {
	t.Parallel()
	covered := map[string]bool{}
	for _, c := range catalogueCases {
		covered[c.id] = true
	}
	for _, r := range rules.Catalogue() {
		if !covered[r.ID] {
			t.Errorf("rule %s (%s Art. %d) has no row in the table", r.ID, r.Law, r.Article)
		}
	}
}

// TestCatalogueShape checks what every rule must carry, and the law's choice of units: the short
// periods of the penalty law (2, 3, 5, 7) and of the coercion law (≤ 10) are working days.
func TestCatalogueShape(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, r := range rules.Catalogue() {
		if seen[r.ID] {
			t.Errorf("duplicate rule %s", r.ID)
		}
		seen[r.ID] = true
		if r.Law == "" || r.Title.ZH == "" || r.Title.EN == "" || r.FromTitle.ZH == "" || r.FromTitle.EN == "" || r.From == "" || r.Basis == "" {
			t.Errorf("%s lacks its law, titles, event or basis: %+v", r.ID, r)
		}
		if !r.Unit.Valid() || r.Amount < 1 {
			t.Errorf("%s: unit %q amount %d", r.ID, r.Unit, r.Amount)
		}
		if r.Article == 0 && r.Law != rules.LawDoublePublicity {
			t.Errorf("%s cites no article", r.ID)
		}
		switch r.Law {
		case rules.LawPenalty:
			if slices.Contains([]int{2, 3, 5, 7}, r.Amount) && r.Unit == rules.CalendarDay {
				t.Errorf("%s: 行政处罚法 Art. 85 makes %d days working days", r.ID, r.Amount)
			}
		case rules.LawCoercion:
			if r.Amount <= 10 && r.Unit == rules.CalendarDay {
				t.Errorf("%s: 行政强制法 Art. 69 makes periods of ten days or less working days", r.ID)
			}
		}
		if r.PartyDeadline && r.Before {
			t.Errorf("%s is both a party's deadline and a backwards period", r.ID)
		}
	}
	for _, id := range []string{rules.PenaltyPayment, rules.RemedyReconsideration, rules.RemedyLitigation, rules.RemedyLitigationAfterReconsideration} {
		if !rule(t, id).PartyDeadline {
			t.Errorf("%s is a party's deadline (RULES.md: payment, reconsideration, litigation are shifted)", id)
		}
	}
	for _, id := range []string{rules.PenaltyDecide, rules.CoercionSeizureTerm, rules.CoercionSeizureExtension, rules.CoercionFreezeTerm, rules.CoercionCourtApplication} {
		if rule(t, id).PartyDeadline {
			t.Errorf("%s is the agency's limit: not shifted", id)
		}
	}
}

// TestShiftPartyVersusAgency counts a party's deadline and an agency's limit to the same end date:
// only the party's moves.
func TestShiftPartyVersusAgency(t *testing.T) {
	t.Parallel()
	cal := rules.EmbeddedCalendar()
	from := day(t, "2025-08-02") // + 60 days = Wed Oct 1, 2025
	party, err := rules.Compute(cal, rule(t, rules.RemedyReconsideration), 60, from)
	noErr(t, err)
	agency, err := rules.Compute(cal, rule(t, rules.CoercionSeizureTerm), 60, from)
	noErr(t, err)
	if got := rules.FormatDate(party.Due); got != "2025-10-09" || !party.Shifted || rules.FormatDate(*party.RawDue) != "2025-10-01" {
		t.Errorf("party's deadline %s (shifted %v), want 2025-10-09 shifted from 2025-10-01", got, party.Shifted)
	}
	if got := rules.FormatDate(agency.Due); got != "2025-10-01" || agency.Shifted || len(agency.Skipped) != 0 {
		t.Errorf("agency's limit %s (shifted %v), want 2025-10-01 unshifted", got, agency.Shifted)
	}
	for _, s := range party.Skipped {
		if s.Kind != rules.SkipHoliday || s.Name != "国庆节、中秋节" || s.Reason != "国庆节、中秋节 (statutory holiday)" {
			t.Errorf("skip %+v does not give the holiday's name from the notice", s)
		}
	}
}

func TestSkipReasons(t *testing.T) {
	t.Parallel()
	d, err := rules.Compute(rules.EmbeddedCalendar(), rule(t, rules.PenaltyDelivery), 7, day(t, "2025-09-30"))
	noErr(t, err)
	want := map[string]string{"2025-10-01": "国庆节、中秋节 (statutory holiday)", "2025-10-04": "国庆节、中秋节 (statutory holiday)", "2025-10-12": "周末 (weekend)"}
	for _, s := range d.Skipped {
		if w, ok := want[s.Date]; ok && s.Reason != w {
			t.Errorf("%s skipped because %q, want %q", s.Date, s.Reason, w)
		}
	}
	if len(d.MakeUp) != 1 || d.MakeUp[0].Kind != rules.SkipMakeUp || !strings.Contains(d.MakeUp[0].Reason, "make-up workday") {
		t.Errorf("make-up days %+v", d.MakeUp)
	}
}

// TestMonthEnds checks 民法典 Art. 202: the corresponding day, else the last day of the month.
func TestMonthEnds(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		from   string
		months int
		want   string
	}{
		{"2025-01-31", 1, "2025-02-28"},
		{"2024-01-31", 1, "2024-02-29"},
		{"2025-03-31", 1, "2025-04-30"},
		{"2025-01-15", 1, "2025-02-15"},
		{"2025-08-31", 6, "2026-02-28"},
		{"2025-12-31", 2, "2026-02-28"},
		{"2025-10-31", 12, "2026-10-31"},
		{"2025-03-31", -1, "2025-02-28"},
	} {
		if got := rules.FormatDate(rules.MonthsAfter(day(t, c.from), c.months)); got != c.want {
			t.Errorf("%s + %d months = %s, want %s", c.from, c.months, got, c.want)
		}
	}
	if got := rules.FormatDate(rules.YearsAfter(day(t, "2024-02-29"), 1)); got != "2025-02-28" {
		t.Errorf("Feb 29 + 1 year = %s, want 2025-02-28", got)
	}
	if got := rules.FormatDate(rules.YearsAfter(day(t, "2024-02-29"), 4)); got != "2028-02-29" {
		t.Errorf("Feb 29 + 4 years = %s, want 2028-02-29", got)
	}
	// A month party deadline from Jan 31 ends on Feb 28, 2026, a make-up Saturday: no shift. The
	// same from Jan 31, 2025 ends Fri Feb 28, 2025.
	r := rules.Rule{ID: "test.month", Unit: rules.Month, PartyDeadline: true}
	for from, want := range map[string]string{"2026-01-31": "2026-02-28", "2025-01-31": "2025-02-28", "2025-05-31": "2025-06-30"} {
		d, err := rules.Compute(rules.EmbeddedCalendar(), r, 1, day(t, from))
		noErr(t, err)
		if got := rules.FormatDate(d.Due); got != want || d.Shifted {
			t.Errorf("%s + 1 month = %s (shifted %v), want %s", from, got, d.Shifted, want)
		}
	}
}

// TestStartDayAndInstants: the start day is never counted, and any time of day on it counts as
// that day in China (an instant late on Sep 30 UTC is Oct 1 in China).
func TestStartDayAndInstants(t *testing.T) {
	t.Parallel()
	cal := rules.EmbeddedCalendar()
	r := rule(t, rules.PenaltyDelivery)
	for from, want := range map[string]string{
		"2025-09-30T00:00:00+08:00": "2025-10-16",
		"2025-09-30T23:59:00+08:00": "2025-10-16",
		"2025-09-30T15:59:00Z":      "2025-10-16", // 23:59 in China
		"2025-09-30T16:00:00Z":      "2025-10-16", // Oct 1, 00:00 in China: a holiday start, same count
		"2025-10-08T12:00:00+08:00": "2025-10-16", // from the last holiday: Oct 9, 10, 11 (make-up), 13..16
	} {
		d, err := rules.Compute(cal, r, 7, instant(t, from))
		noErr(t, err)
		if got := rules.FormatDate(d.Due); got != want {
			t.Errorf("from %s: %s, want %s", from, got, want)
		}
	}
	p := rule(t, rules.PenaltyPayment)
	d, err := rules.Compute(cal, p, 15, instant(t, "2025-01-11T20:00:00Z")) // Jan 12 in China
	noErr(t, err)
	if got := rules.FormatDate(d.Due); got != "2025-01-27" {
		t.Errorf("payment from an instant on Jan 12 in China: %s, want 2025-01-27", got)
	}
}

// TestUnknownYearOnlyWhenNeeded: every algorithm inspects only the dates it must.
func TestUnknownYearOnlyWhenNeeded(t *testing.T) {
	t.Parallel()
	cal := rules.EmbeddedCalendar()
	if cal.Known(2027) || !cal.Known(2026) || cal.Known(2014) {
		t.Fatalf("known years %v", cal.KnownYears())
	}
	_, err := cal.IsWorkingDay(day(t, "2027-03-01"))
	wantUnknownYear(t, err, 2027)
	_, err = cal.IsWorkingDay(day(t, "2014-10-01"))
	wantUnknownYear(t, err, 2014)

	// Working days forward from a date in 2027 must inspect 2027.
	_, _, err = rules.WorkingDaysAfter(cal, day(t, "2026-12-31"), 1)
	wantUnknownYear(t, err, 2027)
	// Up to Dec 31 they need nothing of 2027.
	end, _, err := rules.WorkingDaysAfter(cal, day(t, "2026-12-30"), 1)
	noErr(t, err)
	if rules.FormatDate(end) != "2026-12-31" {
		t.Errorf("Dec 30 + 1 wd = %s", rules.FormatDate(end))
	}
	// A backwards count from early 2027 must inspect 2027; from 2026 back to 2025 it need not.
	_, _, err = rules.WorkingDaysBefore(cal, day(t, "2027-01-02"), 1)
	wantUnknownYear(t, err, 2027)
	// From an unknown start date a count may still succeed when it never inspects that year: the
	// start day is not counted.
	end, _, err = rules.WorkingDaysBefore(cal, day(t, "2027-01-01"), 1)
	noErr(t, err)
	if rules.FormatDate(end) != "2026-12-31" {
		t.Errorf("1 wd before Jan 1, 2027 = %s", rules.FormatDate(end))
	}
	// The end-day shift inspects the end date and, if it is a rest day, the following days.
	_, _, err = rules.NextWorkingDay(cal, day(t, "2027-01-04"))
	wantUnknownYear(t, err, 2027)
	end, _, err = rules.NextWorkingDay(cal, day(t, "2026-12-31"))
	noErr(t, err)
	if rules.FormatDate(end) != "2026-12-31" {
		t.Errorf("Dec 31, 2026 (Thursday) shifted to %s", rules.FormatDate(end))
	}
	// Sat Dec 26, 2026 shifts to Mon Dec 28 without 2027.
	end, _, err = rules.NextWorkingDay(cal, day(t, "2026-12-26"))
	noErr(t, err)
	if rules.FormatDate(end) != "2026-12-28" {
		t.Errorf("Dec 26, 2026 shifted to %s", rules.FormatDate(end))
	}
	// A rest day on Dec 31 would need Jan 1: with a calendar where 2026 ends on a Saturday... use
	// 2022: Dec 31, 2022 was a Saturday (listed as 元旦 in the 2023 notice), Jan 2, 2023 a holiday.
	end, skipped, err := rules.NextWorkingDay(cal, day(t, "2022-12-31"))
	noErr(t, err)
	if rules.FormatDate(end) != "2023-01-03" || !slices.Equal(dates(skipped), span("2022-12-31", "2023-01-02")) {
		t.Errorf("Dec 31, 2022 shifted to %s over %v", rules.FormatDate(end), dates(skipped))
	}
	// Calendar days, months and years without a shift, and hours, need no calendar at all.
	if got := rules.FormatDate(rules.CalendarDaysAfter(day(t, "2026-12-20"), 15)); got != "2027-01-04" {
		t.Errorf("Dec 20 + 15 days = %s", got)
	}
	empty := rules.NewCalendar()
	d, err := rules.Compute(empty, rule(t, rules.PenaltyDecide), 90, day(t, "2030-01-01"))
	noErr(t, err)
	if rules.FormatDate(d.Due) != "2030-04-01" {
		t.Errorf("90 days from Jan 1, 2030 = %s", rules.FormatDate(d.Due))
	}
	_, err = rules.Compute(empty, rule(t, rules.PenaltyPayment), 15, day(t, "2030-01-01"))
	wantUnknownYear(t, err, 2030)
}

// TestCalendarFacts checks the schedule the tables above rely on against the embedded notices.
func TestCalendarFacts(t *testing.T) {
	t.Parallel()
	cal := rules.EmbeddedCalendar()
	off := cat(
		[]string{"2025-01-01"}, span("2025-01-28", "2025-02-04"), span("2025-04-04", "2025-04-06"), span("2025-05-01", "2025-05-05"),
		span("2025-05-31", "2025-06-02"), span("2025-10-01", "2025-10-08"),
		span("2026-01-01", "2026-01-03"), span("2026-02-15", "2026-02-23"), span("2026-04-04", "2026-04-06"), span("2026-05-01", "2026-05-05"),
		span("2026-06-19", "2026-06-21"), span("2026-09-25", "2026-09-27"), span("2026-10-01", "2026-10-07"),
		// a make-up workday of 2019's notice listed with the 2018 dates it covers
		span("2018-12-30", "2018-12-31"),
	)
	work := []string{"2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
		"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10", "2018-12-29",
		"2025-10-09", "2026-02-24"}
	for _, s := range off {
		info, err := cal.Info(day(t, s))
		noErr(t, err)
		if info.Working || info.Kind != rules.SkipHoliday || info.Name == "" {
			t.Errorf("%s: %+v, want a named holiday", s, info)
		}
	}
	for _, s := range work {
		ok, err := cal.IsWorkingDay(day(t, s))
		noErr(t, err)
		if !ok {
			t.Errorf("%s is not a working day", s)
		}
	}
	for _, s := range []string{"2025-10-12", "2026-01-10", "2025-03-22"} {
		info, err := cal.Info(day(t, s))
		noErr(t, err)
		if info.Working || info.Kind != rules.SkipWeekend {
			t.Errorf("%s: %+v, want a weekend", s, info)
		}
	}
	if got := cal.KnownYears(); got[0] != 2015 || got[len(got)-1] != 2026 || len(got) != 12 {
		t.Errorf("known years %v, want 2015-2026", got)
	}
}

// TestCalendarMerge: notices are merged across files; a date's own year's notice wins; a loaded
// year replaces the embedded one.
func TestCalendarMerge(t *testing.T) {
	t.Parallel()
	base := rules.EmbeddedSchedules()
	// A made-up 2026 notice that also lists Jan 1, 2027 as a workday loses to 2027's own notice.
	s26 := base[2026]
	s26.Days = append(append([]rules.ScheduleDay{}, s26.Days...), rules.ScheduleDay{Name: "元旦", Date: "2027-01-01", IsOffDay: false})
	cal := rules.NewCalendar(s26, synthetic2027())
	info, err := cal.Info(day(t, "2027-01-01"))
	noErr(t, err)
	if info.Working {
		t.Errorf("Jan 1, 2027: the 2026 notice overrode 2027's own")
	}
	cal = rules.NewCalendar(synthetic2027(), s26) // order of arguments does not matter
	if info, _ := cal.Info(day(t, "2027-01-01")); info.Working {
		t.Errorf("Jan 1, 2027: merge depends on argument order")
	}
	// A later schedule for the same year replaces the earlier.
	changed := base[2025]
	changed.Days = []rules.ScheduleDay{{Name: "测试", Date: "2025-03-03", IsOffDay: true}}
	cal = rules.NewCalendar(base[2025], changed)
	if ok, _ := cal.IsWorkingDay(day(t, "2025-03-03")); ok {
		t.Error("the later 2025 schedule did not replace the earlier")
	}
	if ok, _ := cal.IsWorkingDay(day(t, "2025-10-01")); !ok {
		t.Error("the replaced 2025 schedule still applies")
	}
	// The synthetic 2027 computes.
	cal = rules.NewCalendar(append(valuesOf(base), synthetic2027())...)
	d, err := rules.Compute(cal, rule(t, rules.PenaltyPayment), 15, day(t, "2026-12-17"))
	noErr(t, err)
	if rules.FormatDate(d.Due) != "2027-01-04" || !d.Shifted || !slices.Equal(dates(d.Skipped), span("2027-01-01", "2027-01-03")) {
		t.Errorf("payment into 2027: %s shifted %v over %v", rules.FormatDate(d.Due), d.Shifted, dates(d.Skipped))
	}
}

func valuesOf(m map[int]rules.Schedule) []rules.Schedule {
	var out []rules.Schedule
	for _, s := range m {
		out = append(out, s)
	}
	return out
}

func TestComputeRefusesBadAmounts(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, -1, 1_000_000} {
		_, err := rules.Compute(rules.EmbeddedCalendar(), rule(t, rules.PenaltyDelivery), n, day(t, "2025-09-30"))
		wantField(t, err, "invalid", "amount")
	}
}

func TestParseFrom(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in   string
		unit rules.Unit
		want string // RFC 3339 in China, or "" for an error
	}{
		{"2025-09-30", rules.WorkingDay, "2025-09-30T00:00:00+08:00"},
		{"2025-09-30T14:00:00+08:00", rules.Hour, "2025-09-30T14:00:00+08:00"},
		{"2025-09-30T14:00:00 08:00", rules.Hour, "2025-09-30T14:00:00+08:00"}, // an unescaped + in a query
		{"2025-09-30T06:00:00Z", rules.Hour, "2025-09-30T14:00:00+08:00"},
		{"2025-09-30T14:00", rules.Hour, "2025-09-30T14:00:00+08:00"},
		{"2025-09-30T14:00:00+08:00", rules.CalendarDay, "2025-09-30T14:00:00+08:00"},
		{"2025-09-30", rules.Hour, ""},
		{"2025-02-30", rules.WorkingDay, ""},
		{"2025-9-3", rules.WorkingDay, ""},
		{"yesterday", rules.WorkingDay, ""},
		{"", rules.WorkingDay, ""},
		{"1800-01-01", rules.WorkingDay, ""},
	} {
		got, err := rules.ParseFrom(c.in, c.unit)
		if c.want == "" {
			wantField(t, err, "invalid", "from")
			continue
		}
		noErr(t, err)
		if s := got.In(rules.Location).Format(time.RFC3339); s != c.want {
			t.Errorf("ParseFrom(%q) = %s, want %s", c.in, s, c.want)
		}
	}
}

func TestExplain(t *testing.T) {
	t.Parallel()
	cal := rules.EmbeddedCalendar()
	d, err := rules.Compute(cal, rule(t, rules.PenaltyDelivery), 7, day(t, "2025-09-30"))
	noErr(t, err)
	v := d.View()
	if v.Due != "2025-10-16" || v.RawDue != "2025-10-16" || v.From != "2025-09-30" || len(v.Skipped) != 9 || len(v.MakeUp) != 1 {
		t.Errorf("view %+v", v)
	}
	for _, s := range []string{"2025-09-30", "7个工作日", "国庆节、中秋节 8 天", "周末 1 天", "2025-10-11", "2025-10-16"} {
		if !strings.Contains(v.Explanation.ZH, s) {
			t.Errorf("explanation %q lacks %q", v.Explanation.ZH, s)
		}
	}
	if !strings.Contains(v.Explanation.EN, "7 working days") || !strings.Contains(v.Explanation.EN, "2025-10-16") {
		t.Errorf("explanation %q", v.Explanation.EN)
	}
	p, err := rules.Compute(cal, rule(t, rules.PenaltyPayment), 15, day(t, "2025-09-16"))
	noErr(t, err)
	pv := p.View()
	if pv.Due != "2025-10-09" || pv.RawDue != "2025-10-01" || !pv.Shifted || !strings.Contains(pv.Explanation.ZH, "依《民法典》第203条顺延至") {
		t.Errorf("shifted view %+v", pv)
	}
	h, err := rules.Compute(cal, rule(t, rules.CoercionEmergencyApproval), 24, instant(t, "2025-09-30T06:00:00Z"))
	noErr(t, err)
	if hv := h.View(); hv.Due != "2025-10-01T14:00:00+08:00" || hv.From != "2025-09-30T14:00:00+08:00" {
		t.Errorf("hour view %+v", hv)
	}
}

// TestPublicNoticeServedOn: the day a public notice serves its document is the catalogue's count
// (民事诉讼法 Art. 95), the one the delivery module and the case engine both use.
func TestPublicNoticeServedOn(t *testing.T) {
	t.Parallel()
	for from, want := range map[string]string{"2025-09-05": "2025-10-05", "2026-01-31": "2026-03-02", "2025-09-01": "2025-10-01"} {
		if got := rules.FormatDate(rules.PublicNoticeServedOn(day(t, from))); got != want {
			t.Errorf("published %s: served %s, want %s", from, got, want)
		}
	}
}
