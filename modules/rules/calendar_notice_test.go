package rules_test

import (
	"slices"
	"strings"
	"testing"

	"zhifa/modules/kernel/errs"
	"zhifa/modules/rules"
)

// TestNoticeInput: a notice entered as its ranges and make-up days lists every rest day of each
// range and each make-up day; the form's mistakes are refused naming the field, in both languages.
func TestNoticeInput(t *testing.T) {
	t.Parallel()
	s, err := synthetic2027Notice().Schedule(2027)
	noErr(t, err)
	want := synthetic2027()
	if s.Notice != want.Notice || s.NoticeDate != want.NoticeDate || !slices.Equal(s.Papers, want.Papers) || !slices.Equal(s.Days, want.Days) {
		t.Fatalf("schedule of the notice:\n%+v\nwant\n%+v", s, want)
	}
	// The brackets people type are read as 〔〕.
	n := synthetic2027Notice()
	n.Notice = " 国办发明电[2026]9号 "
	s, err = n.Schedule(2027)
	noErr(t, err)
	if s.Notice != "国办发明电〔2026〕9号" {
		t.Errorf("notice number %q", s.Notice)
	}

	edit := func(f func(n *rules.NoticeInput)) rules.NoticeInput {
		n := synthetic2027Notice()
		n.Holidays, n.MakeUp = slices.Clone(n.Holidays), slices.Clone(n.MakeUp)
		f(&n)
		return n
	}
	for _, c := range []struct {
		why   string
		in    rules.NoticeInput
		field string
		says  string // part of the Chinese message
	}{
		{"a make-up day on a Wednesday", edit(func(n *rules.NoticeInput) { n.MakeUp[0].Date = "2027-01-06" }), "makeup_workdays[0].date", "2027-01-06 是周三"},
		{"a range crossing into the next year", edit(func(n *rules.NoticeInput) {
			n.Holidays[0] = rules.HolidayRange{Name: "元旦", First: "2027-12-31", Last: "2028-01-02"}
		}), "holidays[0].last", "须在 2027 年内"},
		{"a range starting in the year before", edit(func(n *rules.NoticeInput) { n.Holidays[0].First = "2026-12-31" }), "holidays[0].first", "须在 2027 年内"},
		{"overlapping ranges", edit(func(n *rules.NoticeInput) { n.Holidays[1].First, n.Holidays[1].Last = "2027-01-03", "2027-01-05" }), "holidays[1].first", "与第 1 段假期（元旦 2027-01-01 至 2027-01-03）重叠"},
		{"a range inside a later-listed longer one", edit(func(n *rules.NoticeInput) {
			n.Holidays = append(n.Holidays, rules.HolidayRange{Name: "测试", First: "2027-02-01", Last: "2027-02-20"})
		}), "holidays[2].first", "与第 2 段假期"},
		{"the last day before the first", edit(func(n *rules.NoticeInput) { n.Holidays[1].Last = "2027-02-05" }), "holidays[1].last", "末日不能早于首日 2027-02-06"},
		{"a range longer than a month", edit(func(n *rules.NoticeInput) { n.Holidays[1].Last = "2027-03-31" }), "holidays[1].last", "不超过 31 天"},
		{"an impossible date", edit(func(n *rules.NoticeInput) { n.Holidays[1].Last = "2027-02-30" }), "holidays[1].last", "有效日期"},
		{"a range without its name", edit(func(n *rules.NoticeInput) { n.Holidays[0].Name = " " }), "holidays[0].name", "名称"},
		{"no range", edit(func(n *rules.NoticeInput) { n.Holidays = nil }), "holidays", "至少一段"},
		{"a make-up day inside a range", edit(func(n *rules.NoticeInput) { n.MakeUp[1].Date = "2027-02-07" }), "makeup_workdays[1].date", "在第 2 段假期（春节）之内"},
		{"a make-up day twice", edit(func(n *rules.NoticeInput) { n.MakeUp[1].Date = "2027-01-31" }), "makeup_workdays[1].date", "与第 1 个调休上班日重复"},
		{"a make-up day in the next year", edit(func(n *rules.NoticeInput) { n.MakeUp[1].Date = "2028-01-01" }), "makeup_workdays[1].date", "须在 2027 年内"},
		{"a make-up day without its holiday", edit(func(n *rules.NoticeInput) { n.MakeUp[0].Name = "" }), "makeup_workdays[0].name", "所属假期"},
		{"no notice number", edit(func(n *rules.NoticeInput) { n.Notice = "" }), "notice", "必填"},
		{"a number that is not one", edit(func(n *rules.NoticeInput) { n.Notice = "明电9号" }), "notice", "国办发明电〔2026〕3号"},
		{"no notice date", edit(func(n *rules.NoticeInput) { n.NoticeDate = "" }), "notice_date", "必填"},
		{"the date's year is not the number's", edit(func(n *rules.NoticeInput) { n.NoticeDate = "2027-01-05" }), "notice", "与发布日期 2027-01-05 不符"},
		{"a blank address", edit(func(n *rules.NoticeInput) { n.Papers = []string{strings.Repeat("网", 501)} }), "papers[0]", "500"},
	} {
		_, err := c.in.Schedule(2027)
		if err == nil {
			t.Errorf("%s: accepted", c.why)
			continue
		}
		wantField(t, err, errs.Invalid, c.field)
		found := false
		for _, f := range errs.As(err).Fields {
			found = found || (f.Field == c.field && strings.Contains(f.Message.ZH, c.says))
		}
		if !found {
			t.Errorf("%s: %s does not say %q: %+v", c.why, c.field, c.says, errs.As(err).Fields)
		}
	}
}
