package rules_test

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"zhifa/app/testenv"
	"zhifa/app/testkit"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/rules"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

var ctx = context.Background()

// The kit's helpers, under the names this package's tests call them by.
var noErr, wantCode, wantField = testkit.NoErr, testkit.WantCode, testkit.WantField

// wantUnknownYear checks that err is the 422 of an unknown calendar year naming year, in both
// languages.
func wantUnknownYear(t testing.TB, err error, year int) {
	t.Helper()
	wantCode(t, err, errs.FailedPrecondition)
	y, ok := rules.UnknownYear(err)
	if !ok || y != year {
		t.Fatalf("UnknownYear(%v) = %d, %v; want %d", err, y, ok, year)
	}
	m := errs.As(err).Message
	ys := strconv.Itoa(year)
	if !strings.Contains(m.ZH, ys) || !strings.Contains(m.EN, ys) {
		t.Fatalf("message %q does not name %d", m, year)
	}
}

// day parses a YYYY-MM-DD date in China.
func day(t testing.TB, s string) time.Time {
	t.Helper()
	d, err := rules.ParseDate(s)
	if err != nil {
		t.Fatalf("bad test date %q: %v", s, err)
	}
	return d
}

// instant parses an RFC 3339 date-time.
func instant(t testing.TB, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatalf("bad test instant %q: %v", s, err)
	}
	return d
}

// span lists the dates from a to b inclusive.
func span(a, b string) []string {
	x, _ := rules.ParseDate(a)
	y, _ := rules.ParseDate(b)
	var out []string
	for d := x; !d.After(y); d = d.AddDate(0, 0, 1) {
		out = append(out, rules.FormatDate(d))
	}
	return out
}

// cat joins lists of dates.
func cat(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

func dates(skips []rules.Skip) []string {
	out := []string{}
	for _, s := range skips {
		out = append(out, s.Date)
	}
	return out
}

func rule(t testing.TB, id string) rules.Rule {
	t.Helper()
	r, ok := rules.Lookup(id)
	if !ok {
		t.Fatalf("no rule %s", id)
	}
	return r
}

// synthetic2027 is a made-up but valid 2027 notice for tests: New Year Jan 1-3 off, Spring
// Festival Feb 6-12 off with make-up workdays on Sunday Jan 31 and Saturday Feb 20.
func synthetic2027() rules.Schedule {
	s := rules.Schedule{Year: 2027, Notice: "国办发明电〔2026〕9号", NoticeDate: "2026-11-10", Papers: []string{"https://www.gov.cn/zhengce/test-2027.htm"}}
	for _, d := range span("2027-01-01", "2027-01-03") {
		s.Days = append(s.Days, rules.ScheduleDay{Name: "元旦", Date: d, IsOffDay: true})
	}
	s.Days = append(s.Days, rules.ScheduleDay{Name: "春节", Date: "2027-01-31", IsOffDay: false})
	for _, d := range span("2027-02-06", "2027-02-12") {
		s.Days = append(s.Days, rules.ScheduleDay{Name: "春节", Date: d, IsOffDay: true})
	}
	s.Days = append(s.Days, rules.ScheduleDay{Name: "春节", Date: "2027-02-20", IsOffDay: false})
	return s
}

// synthetic2027Notice is synthetic2027 as an operator enters it: two ranges and two make-up days.
func synthetic2027Notice() rules.NoticeInput {
	return rules.NoticeInput{Notice: "国办发明电〔2026〕9号", NoticeDate: "2026-11-10", Papers: []string{"https://www.gov.cn/zhengce/test-2027.htm"},
		Holidays: []rules.HolidayRange{{Name: "元旦", First: "2027-01-01", Last: "2027-01-03"}, {Name: "春节", First: "2027-02-06", Last: "2027-02-12"}},
		MakeUp:   []rules.MakeUpDay{{Name: "春节", Date: "2027-01-31"}, {Name: "春节", Date: "2027-02-20"}}}
}
