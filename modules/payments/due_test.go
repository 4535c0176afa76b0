package payments_test

import (
	"testing"

	"zhifa/modules/cases"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/payments"
	"zhifa/modules/rules"
)

// payDue is Art. 67's deadline as the case engine computes it: 15 days from service, moved off a
// rest day (the embedded holiday calendar).
func payDue(t *testing.T, served civil.Date) civil.Date {
	t.Helper()
	r, _ := rules.Lookup(rules.PenaltyPayment)
	d, err := rules.Compute(rules.EmbeddedCalendar(), r, 15, served.Time())
	if err != nil {
		t.Fatal(err)
	}
	return civil.DateOf(d.Due)
}

// TestPayDueAcrossHolidays pins the deadlines the quote tests below rely on (Art. 67 with the
// 2025 holiday notice): a deadline on a rest day moves to the next working day, one on a make-up
// workday stays.
func TestPayDueAcrossHolidays(t *testing.T) {
	for served, want := range map[civil.Date]civil.Date{
		"2025-09-19": "2025-10-09", // 15 days: Sat 4 Oct, in the National Day holiday (Oct 1-8): the 9th
		"2025-09-13": "2025-09-28", // Sun 28 Sep is a make-up workday: not moved
		"2025-01-13": "2025-02-05", // Tue 28 Jan, Spring Festival (Jan 28-Feb 4): the 5th
		"2025-01-11": "2025-01-26", // Sun 26 Jan is a make-up workday: not moved
		"2025-10-17": "2025-11-03", // Sat 1 Nov: the Monday after
	} {
		if got := payDue(t, served); got != want {
			t.Errorf("served %s: due %s, want %s", served, got, want)
		}
	}
}

// TestQuoteOn is the late surcharge of 行政处罚法 Art. 72 (3% of the fine a day after the Art. 67
// deadline, capped at the fine, not accrued with a reconsideration or litigation pending) and the
// plans of Art. 66, to the fen, on dates across weekends, holidays and make-up days. The day of
// payment counts: paying on the deadline is in time, the day after it is one day late.
func TestQuoteOn(t *testing.T) {
	const fine = 500000 // ¥5,000.00
	base := cases.PaymentTerms{CaseID: "c", FineFen: fine}
	served := func(on, due civil.Date) cases.PaymentTerms {
		t := base
		t.ServedOn, t.PayDue = on, due
		return t
	}
	national := served("2025-09-19", "2025-10-09")
	makeup := served("2025-09-13", "2025-09-28")
	spring := served("2025-01-13", "2025-02-05")
	odd := served("2025-09-19", "2025-10-09")
	odd.FineFen = 33333 // ¥333.33
	paused := func(tm cases.PaymentTerms, ps ...cases.Pause) cases.PaymentTerms { tm.Paused = ps; return tm }
	plan := func(tm cases.PaymentTerms, kind cases.PlanKind, ins ...cases.Instalment) cases.PaymentTerms {
		tm.Plan = &cases.Plan{Kind: kind, ApprovedOn: "2025-09-25", Instalments: ins}
		return tm
	}
	half := func(seq int, due, paid civil.Date) cases.Instalment {
		return cases.Instalment{Seq: seq, DueOn: due, AmountFen: fine / 2, PaidOn: paid}
	}
	paidHalf := national
	paidHalf.PaidFen = fine / 2
	paidHalf = plan(paidHalf, cases.PlanInstalments, half(1, "2025-10-09", "2025-10-09"), half(2, "2025-11-10", ""))

	tests := []struct {
		name        string
		terms       cases.PaymentTerms
		on          civil.Date
		principal   int64
		surcharge   int64
		late        int
		pausedDays  int
		instalment  int
		capped, all bool // all: nothing left (Paid)
	}{
		{"Art. 67: on the deadline moved past National Day, in time", national, "2025-10-09", fine, 0, 0, 0, 0, false, false},
		{"Art. 67: during the holiday, before the deadline", national, "2025-10-05", fine, 0, 0, 0, 0, false, false},
		{"Art. 72: the day after the deadline is 1 day late (3%)", national, "2025-10-10", fine, 15000, 1, 0, 0, false, false},
		{"Art. 72: Sat 11 Oct, a make-up workday, 2 days", national, "2025-10-11", fine, 30000, 2, 0, 0, false, false},
		{"Art. 72: rest days after the deadline accrue (Mon 13 Oct, 4 days)", national, "2025-10-13", fine, 60000, 4, 0, 0, false, false},
		{"Art. 67: deadline on a make-up Sunday is not moved; Mon 29 Sep is late", makeup, "2025-09-29", fine, 15000, 1, 0, 0, false, false},
		{"Art. 72: across the National Day holiday from a make-up deadline (10 days)", makeup, "2025-10-08", fine, 150000, 10, 0, 0, false, false},
		{"Art. 67: Spring Festival moves the deadline to 5 Feb, paying then is in time", spring, "2025-02-05", fine, 0, 0, 0, 0, false, false},
		{"Art. 72: Sat 8 Feb, a make-up workday, 3 days", spring, "2025-02-08", fine, 45000, 3, 0, 0, false, false},
		{"Art. 72: 33 days is 99%", national, "2025-11-11", fine, 495000, 33, 0, 0, false, false},
		{"Art. 72: 34 days reaches the cap: never more than the fine", national, "2025-11-12", fine, fine, 34, 0, 0, true, false},
		{"Art. 72: a year late, still the fine", national, "2026-10-09", fine, fine, 365, 0, 0, true, false},
		{"Art. 72: 3% of ¥333.33 is ¥9.99 (rounded down to the fen)", odd, "2025-10-10", 33333, 999, 1, 0, 0, false, false},
		{"Art. 72 ¶2: a reconsideration from 12 to 20 Oct does not accrue (16 late, 9 paused)",
			paused(national, cases.Pause{Kind: "reconsideration", From: "2025-10-12", To: "2025-10-20"}), "2025-10-25", fine, 105000, 7, 9, 0, false, false},
		{"Art. 72 ¶2: a pending litigation stops it to the day of payment",
			paused(national, cases.Pause{Kind: "litigation", From: "2025-10-12"}), "2025-12-31", fine, 30000, 2, 81, 0, false, false},
		{"Art. 72 ¶2: a reconsideration begun within the 15 days pauses only days after the deadline",
			paused(national, cases.Pause{Kind: "reconsideration", From: "2025-09-25", To: "2025-10-11"}), "2025-10-13", fine, 30000, 2, 2, 0, false, false},
		{"Art. 72 ¶2: overlapping pauses count each day once",
			paused(national, cases.Pause{Kind: "reconsideration", From: "2025-10-12", To: "2025-10-20"},
				cases.Pause{Kind: "litigation", From: "2025-10-18", To: "2025-10-22"}), "2025-10-25", fine, 75000, 5, 11, 0, false, false},
		{"Art. 66: a deferral to 1 Dec owes no surcharge on 20 Nov",
			plan(national, cases.PlanDeferral, cases.Instalment{Seq: 1, DueOn: "2025-12-01", AmountFen: fine}), "2025-11-20", fine, 0, 0, 0, 1, false, false},
		{"Art. 66: a deferral paid 2 days after its day: 2 days",
			plan(national, cases.PlanDeferral, cases.Instalment{Seq: 1, DueOn: "2025-12-01", AmountFen: fine}), "2025-12-03", fine, 30000, 2, 0, 1, false, false},
		{"Art. 66: the first instalment, late 1 day, accrues on its own amount",
			plan(national, cases.PlanInstalments, half(1, "2025-10-09", ""), half(2, "2025-11-10", "")), "2025-10-10", fine / 2, 7500, 1, 0, 1, false, false},
		{"Art. 66: the second instalment, due Mon 10 Nov, paid on Wed 12 Nov", paidHalf, "2025-11-12", fine / 2, 15000, 2, 0, 2, false, false},
		{"Art. 66: the second instalment in time", paidHalf, "2025-11-10", fine / 2, 0, 0, 0, 2, false, false},
	}
	for _, c := range tests {
		t.Run(c.name, func(t *testing.T) {
			q, err := payments.QuoteOn(c.terms, c.on)
			if err != nil {
				t.Fatal(err)
			}
			if q.PrincipalFen != c.principal || q.SurchargeFen != c.surcharge || q.TotalFen != c.principal+c.surcharge ||
				q.LateDays != c.late || q.PausedDays != c.pausedDays || q.Instalment != c.instalment || q.Capped != c.capped || q.Paid != c.all {
				t.Errorf("quote = principal %d surcharge %d total %d late %d paused %d instalment %d capped %v paid %v; want %d %d %d %d %d %d %v %v\n%s",
					q.PrincipalFen, q.SurchargeFen, q.TotalFen, q.LateDays, q.PausedDays, q.Instalment, q.Capped, q.Paid,
					c.principal, c.surcharge, c.principal+c.surcharge, c.late, c.pausedDays, c.instalment, c.capped, c.all, q.Basis)
			}
			if q.Basis == "" || q.BasisEN == "" {
				t.Error("no basis")
			}
		})
	}
}

// TestQuoteOnNothingDue covers the quotes with nothing to pay, and a decision not yet served.
func TestQuoteOnNothingDue(t *testing.T) {
	paid := cases.PaymentTerms{FineFen: 500000, PaidFen: 500000, ServedOn: "2025-09-19", PayDue: "2025-10-09"}
	revoked := cases.PaymentTerms{FineFen: 500000, Revoked: true, ServedOn: "2025-09-19", PayDue: "2025-10-09"}
	planDone := cases.PaymentTerms{FineFen: 500000, PaidFen: 250000, ServedOn: "2025-09-19", PayDue: "2025-10-09",
		Plan: &cases.Plan{Kind: cases.PlanInstalments, Instalments: []cases.Instalment{{Seq: 1, DueOn: "2025-10-09", AmountFen: 250000, PaidOn: "2025-10-09"}}}}
	for name, tm := range map[string]cases.PaymentTerms{"paid": paid, "revoked": revoked, "every instalment paid": planDone} {
		q, err := payments.QuoteOn(tm, "2025-12-01")
		if err != nil || !q.Paid || q.TotalFen != 0 {
			t.Errorf("%s: %+v, %v", name, q, err)
		}
	}
	_, err := payments.QuoteOn(cases.PaymentTerms{FineFen: 500000}, "2025-12-01")
	if e := errs.As(err); e.Code != errs.FailedPrecondition || e.Rule == nil || e.Rule.Article != "67" {
		t.Errorf("not served: %v", err)
	}
	if _, err := payments.QuoteOn(paid, "2025-13-01"); !errs.Is(err, errs.Invalid) {
		t.Errorf("bad day: %v", err)
	}
}

// TestQuoteBasis writes a quote's basis as the party reads it, each article cited from the
// rules catalogue in the screen's format: the deadline (Art. 67) or the approved plan (Art. 66
// ¶2), the surcharge (Art. 72 ¶1 (1)) and the days it does not accrue (Art. 72 ¶2).
func TestQuoteBasis(t *testing.T) {
	served := cases.PaymentTerms{CaseID: "c", FineFen: 500000, ServedOn: "2025-09-19", PayDue: "2025-10-09"}
	paused := served
	paused.Paused = []cases.Pause{{Kind: "reconsideration", From: "2025-10-12", To: "2025-10-20"}}
	plan := served
	plan.Plan = &cases.Plan{Kind: cases.PlanInstalments, ApprovedOn: "2025-09-25", Instalments: []cases.Instalment{
		{Seq: 1, DueOn: "2025-10-09", AmountFen: 250000}, {Seq: 2, DueOn: "2025-11-10", AmountFen: 250000}}}
	for _, c := range []struct {
		terms cases.PaymentTerms
		on    civil.Date
		want  string
	}{
		{served, "2025-10-09", "缴款期限 2025-10-09（《行政处罚法》第67条）；未逾期，不加处罚款"},
		{served, "2025-10-10", "缴款期限 2025-10-09（《行政处罚法》第67条）；逾期 1 日，每日按罚款数额的3%加处罚款（《行政处罚法》第72条第1款第1项），计 1 日"},
		{paused, "2025-10-25", "缴款期限 2025-10-09（《行政处罚法》第67条）；逾期 16 日，每日按罚款数额的3%加处罚款（《行政处罚法》第72条第1款第1项），" +
			"其中申请行政复议或者提起行政诉讼期间 9 日不予计算（《行政处罚法》第72条第2款），计 7 日"},
		{plan, "2025-10-09", "经批准分期缴纳，第1期缴款期限 2025-10-09（《行政处罚法》第66条第2款）；未逾期，不加处罚款"},
	} {
		q, err := payments.QuoteOn(c.terms, c.on)
		if err != nil {
			t.Fatal(err)
		}
		if q.Basis != c.want {
			t.Errorf("on %s: %s\nwant %s", c.on, q.Basis, c.want)
		}
	}
}
