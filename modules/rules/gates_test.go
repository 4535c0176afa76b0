package rules_test

import (
	"testing"

	"zhifa/modules/kernel/errs"
	"zhifa/modules/rules"
)

func TestSummaryAllowed(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		why     string
		kind    rules.PartyKind
		fen     int64
		warning bool
		want    bool
	}{
		{"Art. 51: ¥200 for a person", rules.Person, 200_00, false, true},
		{"Art. 51: ¥200.01 for a person is too much", rules.Person, 200_01, false, false},
		{"Art. 51: ¥3,000 for an organisation", rules.Organisation, 3000_00, false, true},
		{"Art. 51: ¥3,000.50 for an organisation is too much", rules.Organisation, 3000_50, false, false},
		{"Art. 51: ¥201 for a person is too much even though an organisation could", rules.Person, 201_00, false, false},
		{"Art. 51: a warning alone, whoever the party", rules.Person, 0, true, true},
		{"Art. 51: a negative fine is not a fine", rules.Person, -1, false, false},
		{"Art. 51: an unknown party kind", rules.PartyKind("robot"), 1, false, false},
	} {
		got, r := rules.SummaryAllowed(c.kind, c.fen, c.warning)
		if got != c.want || r == nil || r.Article != "51" || r.Law != rules.LawPenalty {
			t.Errorf("%s: %v %+v, want %v citing Art. 51", c.why, got, r, c.want)
		}
	}
}

func TestOnTheSpotCollection(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		why  string
		fen  int64
		hard bool
		want bool
	}{
		{"Art. 68: ¥100", 100_00, false, true},
		{"Art. 68: ¥100.01", 100_01, false, false},
		{"Art. 68: hard to collect later", 2000_00, true, true},
	} {
		got, r := rules.OnTheSpotCollectionAllowed(c.fen, c.hard)
		if got != c.want || r.Article != "68" {
			t.Errorf("%s: %v %+v", c.why, got, r)
		}
	}
}

func TestSurcharge(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		why       string
		principal int64
		days      int
		want      int64
	}{
		{"Art. 72: 3% a day", 1000_00, 1, 30_00},
		{"Art. 72: 10 days", 1000_00, 10, 300_00},
		{"Art. 72: capped at the fine after 34 days", 1000_00, 34, 1000_00},
		{"Art. 72: capped, many days", 1000_00, 100000, 1000_00},
		{"Art. 72: rounded down to the fen", 33, 1, 0},
		{"Art. 72: no days late", 1000_00, 0, 0},
		{"Art. 72: huge principal does not overflow past the cap", 1 << 60, 100, 1 << 60},
	} {
		if got := rules.Surcharge(c.principal, c.days); got != c.want {
			t.Errorf("%s: %d, want %d", c.why, got, c.want)
		}
	}
	if rules.SurchargeCap(500_00) != 500_00 || rules.SurchargeCap(-5) != 0 {
		t.Error("SurchargeCap is the principal (行政强制法 Art. 45)")
	}
	noErr(t, rules.CheckSurcharge(500_00, 500_00))
	err := rules.CheckSurcharge(500_00, 500_01)
	wantCode(t, err, errs.FailedPrecondition)
	if r := errs.As(err).Rule; r == nil || r.Article != "45" || r.Law != rules.LawCoercion {
		t.Errorf("refusal carries %+v, want 行政强制法 Art. 45", r)
	}
}

func TestLimitationExpired(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		why               string
		years             int
		ended, discovered string
		want              bool
	}{
		{"Art. 36: discovered on the last day", 2, "2023-05-10", "2025-05-10", false},
		{"Art. 36: discovered the day after", 2, "2023-05-10", "2025-05-11", true},
		{"Art. 36: a holiday end is not extended", 2, "2023-10-01", "2025-10-02", true},
		{"Art. 36: five years with harm", 5, "2021-05-31", "2026-05-31", false},
		{"Art. 36: Feb 29 + 2 years = Feb 28", 2, "2024-02-29", "2026-03-01", true},
		{"Art. 36: Feb 29 + 2 years, discovered Feb 28", 2, "2024-02-29", "2026-02-28", false},
	} {
		if got := rules.LimitationExpired(c.years, day(t, c.ended), day(t, c.discovered)); got != c.want {
			t.Errorf("%s: %v, want %v", c.why, got, c.want)
		}
	}
}

// TestEnforcementTime: 行政强制法 Art. 43, no enforcement at night (22:00-06:00) or on a rest day.
func TestEnforcementTime(t *testing.T) {
	t.Parallel()
	cal := rules.EmbeddedCalendar()
	for _, c := range []struct {
		why  string
		at   string
		want bool
	}{
		{"a weekday morning", "2025-09-30T09:00:00+08:00", true},
		{"06:00 is day", "2025-09-30T06:00:00+08:00", true},
		{"05:59 is night", "2025-09-30T05:59:00+08:00", false},
		{"21:59 is day", "2025-09-30T21:59:00+08:00", true},
		{"22:00 is night", "2025-09-30T22:00:00+08:00", false},
		{"National Day", "2025-10-02T10:00:00+08:00", false},
		{"a plain Sunday", "2025-10-12T10:00:00+08:00", false},
		{"the make-up Saturday Oct 11", "2025-10-11T10:00:00+08:00", true},
		{"UTC 02:00 is 10:00 in China", "2025-09-30T02:00:00Z", true},
		{"UTC 15:00 is 23:00 in China", "2025-09-30T15:00:00Z", false},
	} {
		got, err := rules.EnforcementTimeAllowed(cal, instant(t, c.at))
		noErr(t, err)
		if got != c.want {
			t.Errorf("%s (%s): %v, want %v", c.why, c.at, got, c.want)
		}
	}
	_, err := rules.EnforcementTimeAllowed(cal, instant(t, "2027-03-01T10:00:00+08:00"))
	wantUnknownYear(t, err, 2027)
	// At night nothing needs the calendar: refused even in an unknown year.
	ok, err := rules.EnforcementTimeAllowed(cal, instant(t, "2027-03-01T23:00:00+08:00"))
	if ok || err != nil {
		t.Errorf("night in 2027: %v %v", ok, err)
	}

	e := rules.NewEngine(nil, nil)
	noErr(t, e.CheckEnforcementTime(ctx, instant(t, "2025-10-02T10:00:00+08:00"), true))
	err = e.CheckEnforcementTime(ctx, instant(t, "2025-10-02T10:00:00+08:00"), false)
	wantCode(t, err, errs.FailedPrecondition)
	if r := errs.As(err).Rule; r == nil || r.Article != "43" {
		t.Errorf("refusal carries %+v, want Art. 43", r)
	}
	if m := errs.As(err).Message; m.ZH == "" || m.EN == "" {
		t.Errorf("refusal message %+v", m)
	}
	ok, err = e.IsEnforcementDay(ctx, instant(t, "2025-10-11T10:00:00+08:00"))
	if !ok || err != nil {
		t.Errorf("the make-up Saturday: %v %v", ok, err)
	}
}
