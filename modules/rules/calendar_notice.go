package rules

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"zhifa/modules/kernel/errs"
)

// NoticeInput is a year's State Council holiday notice as an operator enters it from the notice's
// text: its number and date, the holiday ranges (放假) and the make-up workdays (调休上班). It is the
// body of PUT /api/v1/calendar/{year}; Schedule turns it into the days the calendar reads.
type NoticeInput struct {
	Notice     string         `json:"notice"`      // 文号, e.g. 国办发明电〔2026〕3号
	NoticeDate string         `json:"notice_date"` // the day the notice was issued, YYYY-MM-DD
	Papers     []string       `json:"papers"`      // the notice's address (optional)
	Holidays   []HolidayRange `json:"holidays"`
	MakeUp     []MakeUpDay    `json:"makeup_workdays"`
}

// HolidayRange is one holiday of a notice: its name and its first and last rest day, inclusive.
type HolidayRange struct {
	Name  string `json:"name"`
	First string `json:"first"` // YYYY-MM-DD
	Last  string `json:"last"`  // YYYY-MM-DD
}

// MakeUpDay is a weekend day a notice makes a workday (调休上班日), with the holiday it belongs to.
type MakeUpDay struct {
	Name string `json:"name"`
	Date string `json:"date"` // YYYY-MM-DD, a Saturday or Sunday
}

// Bounds of a notice as entered.
const (
	maxHolidays    = 20
	maxMakeUpDays  = 20
	maxHolidayDays = 31
	maxNameRunes   = 50
)

var weekdayZH = [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}

// Schedule checks the notice for year and returns the schedule it lists: every day of each range
// a rest day, each make-up day a workday. Ranges lie within the year, first ≤ last, at most 31
// days, and do not overlap; make-up days are Saturdays or Sundays within the year, outside every
// range, listed once; the notice's number and date are required (Schedule.Validate). Returns
// Invalid naming each bad field as the form names it (e.g. "holidays[1].last",
// "makeup_workdays[0].date", "notice").
func (in NoticeInput) Schedule(year int) (Schedule, error) {
	s := Schedule{Year: year, Notice: normaliseNotice(in.Notice), NoticeDate: strings.TrimSpace(in.NoticeDate), Papers: []string{}, Days: []ScheduleDay{}}
	for _, p := range in.Papers {
		if p = strings.TrimSpace(p); p != "" {
			s.Papers = append(s.Papers, p)
		}
	}
	var fs []errs.FieldError
	add := func(field, zh, en string) { fs = append(fs, errs.Field(field, zh, en)) }
	first := time.Date(year, time.January, 1, 0, 0, 0, 0, Location)
	last := time.Date(year, time.December, 31, 0, 0, 0, 0, Location)
	inYear := func(field, v string) (time.Time, bool) {
		t, err := ParseDate(strings.TrimSpace(v))
		switch {
		case err != nil:
			add(field, "须为有效日期 YYYY-MM-DD", "must be a real date YYYY-MM-DD")
		case t.Before(first) || t.After(last):
			add(field, fmt.Sprintf("须在 %d 年内（%d-01-01 至 %d-12-31）", year, year, year), fmt.Sprintf("must lie within %d", year))
		default:
			return t, true
		}
		return time.Time{}, false
	}
	named := func(field, name, zh, en string) {
		if n := utf8.RuneCountInString(strings.TrimSpace(name)); n == 0 || n > maxNameRunes {
			add(field, zh, en)
		}
	}

	type span struct {
		i         int
		name      string
		from, end time.Time
	}
	var spans []span
	switch {
	case len(in.Holidays) == 0:
		add("holidays", "须列出至少一段放假安排", "list at least one holiday")
	case len(in.Holidays) > maxHolidays:
		add("holidays", fmt.Sprintf("不超过 %d 段", maxHolidays), fmt.Sprintf("at most %d holidays", maxHolidays))
	}
	for i, h := range in.Holidays {
		f := fmt.Sprintf("holidays[%d]", i)
		named(f+".name", h.Name, "假期名称不能为空且不超过50字", "the holiday's name is required, at most 50 characters")
		from, ok1 := inYear(f+".first", h.First)
		end, ok2 := inYear(f+".last", h.Last)
		if !ok1 || !ok2 {
			continue
		}
		switch days := int(end.Sub(from).Hours()/24) + 1; {
		case days < 1:
			add(f+".last", "末日不能早于首日 "+FormatDate(from), "the last day cannot be before the first day, "+FormatDate(from))
			continue
		case days > maxHolidayDays:
			add(f+".last", fmt.Sprintf("一段假期不超过 %d 天", maxHolidayDays), fmt.Sprintf("a holiday lasts at most %d days", maxHolidayDays))
			continue
		}
		spans = append(spans, span{i: i, name: strings.TrimSpace(h.Name), from: from, end: end})
	}
	slices.SortStableFunc(spans, func(a, b span) int { return a.from.Compare(b.from) })
	for k := 1; k < len(spans); k++ {
		reach := slices.MaxFunc(spans[:k], func(a, b span) int { return a.end.Compare(b.end) }) // the earlier range that ends last
		if c := spans[k]; !c.from.After(reach.end) {
			later, earlier := c, reach
			if later.i < earlier.i {
				later, earlier = earlier, later
			}
			add(fmt.Sprintf("holidays[%d].first", later.i),
				fmt.Sprintf("与第 %d 段假期（%s %s 至 %s）重叠", earlier.i+1, earlier.name, FormatDate(earlier.from), FormatDate(earlier.end)),
				fmt.Sprintf("overlaps holiday %d (%s, %s to %s)", earlier.i+1, earlier.name, FormatDate(earlier.from), FormatDate(earlier.end)))
		}
	}

	if len(in.MakeUp) > maxMakeUpDays {
		add("makeup_workdays", fmt.Sprintf("不超过 %d 天", maxMakeUpDays), fmt.Sprintf("at most %d days", maxMakeUpDays))
	}
	seen := map[string]int{}
	for i, m := range in.MakeUp {
		f := fmt.Sprintf("makeup_workdays[%d]", i)
		named(f+".name", m.Name, "须写明所属假期（如 春节），不超过50字", "name the holiday it belongs to (e.g. 春节), at most 50 characters")
		d, ok := inYear(f+".date", m.Date)
		if !ok {
			continue
		}
		date := FormatDate(d)
		if !weekend(d) {
			add(f+".date", fmt.Sprintf("调休上班日须为周六或周日：%s 是%s", date, weekdayZH[d.Weekday()]),
				fmt.Sprintf("a make-up workday must be a Saturday or Sunday: %s is a %s", date, d.Weekday()))
		}
		for _, sp := range spans {
			if !d.Before(sp.from) && !d.After(sp.end) {
				add(f+".date", fmt.Sprintf("在第 %d 段假期（%s）之内，不能是上班日", sp.i+1, sp.name),
					fmt.Sprintf("falls inside holiday %d (%s): it cannot be a workday", sp.i+1, sp.name))
			}
		}
		if j, dup := seen[date]; dup {
			add(f+".date", fmt.Sprintf("与第 %d 个调休上班日重复", j+1), fmt.Sprintf("repeats make-up workday %d", j+1))
		} else {
			seen[date] = i
		}
	}
	fs = append(fs, s.noticeProblems(year)...)
	if len(fs) > 0 {
		return s, invalidSchedule(year, fs)
	}
	for _, sp := range spans {
		for d := sp.from; !d.After(sp.end); d = d.AddDate(0, 0, 1) {
			s.Days = append(s.Days, ScheduleDay{Name: sp.name, Date: FormatDate(d), IsOffDay: true})
		}
	}
	for _, m := range in.MakeUp {
		d, _ := ParseDate(strings.TrimSpace(m.Date))
		s.Days = append(s.Days, ScheduleDay{Name: strings.TrimSpace(m.Name), Date: FormatDate(d), IsOffDay: false})
	}
	slices.SortStableFunc(s.Days, func(a, b ScheduleDay) int { return strings.Compare(a.Date, b.Date) })
	return s, s.Validate(year)
}

// noticeBrackets reads the brackets people type for 〔〕 in a notice number as the official ones.
var noticeBrackets = strings.NewReplacer("[", "〔", "［", "〔", "【", "〔", "]", "〕", "］", "〕", "】", "〕", " ", "", "\u3000", "")

// normaliseNotice trims a notice number and writes its year's brackets as 〔〕.
func normaliseNotice(s string) string { return noticeBrackets.Replace(strings.TrimSpace(s)) }

// noticeNumber is a State Council notice's number: the issuer's prefix, the year in 〔〕, the serial, 号.
var noticeNumber = regexp.MustCompile(`^[^〔〕]{2,30}〔(\d{4})〕([1-9]\d{0,3})号$`)

// Validate checks a schedule for year: the year matches; the notice is cited by its number
// (国办发明电〔2026〕3号, its year that of its date) and its date (in the year or the one before);
// any address is non-empty; and every day is a real date within the year ±1 month, listed once,
// named, and a make-up workday only on a weekend. Returns Invalid naming each bad field (e.g.
// "notice", "days[3].date").
func (s *Schedule) Validate(year int) error {
	return invalidSchedule(year, append(s.noticeProblems(year), s.dayProblems(year)...))
}

// invalidSchedule is the Invalid error of year's schedule naming fs, or nil without problems.
func invalidSchedule(year int, fs []errs.FieldError) error {
	if len(fs) == 0 {
		return nil
	}
	return errs.Ef(errs.Invalid, "%d 年节假日安排有误", "invalid holiday schedule for %d", year).WithFields(fs...)
}

// noticeProblems checks the year and the citation of the notice.
func (s *Schedule) noticeProblems(year int) []errs.FieldError {
	var fs []errs.FieldError
	add := func(field, zh, en string) { fs = append(fs, errs.Field(field, zh, en)) }
	if year < MinYear || year > MaxYear {
		add("year", fmt.Sprintf("年份须在 %d 至 %d 之间", MinYear, MaxYear), fmt.Sprintf("the year must be %d to %d", MinYear, MaxYear))
	} else if s.Year != year {
		add("year", fmt.Sprintf("须与地址中的年份 %d 一致", year), fmt.Sprintf("must match the year in the address, %d", year))
	}
	numberYear := 0
	switch m := noticeNumber.FindStringSubmatch(s.Notice); {
	case strings.TrimSpace(s.Notice) == "":
		add("notice", "必填：通知文号，如 国办发明电〔2026〕3号", "required: the notice's number, e.g. 国办发明电〔2026〕3号")
	case m == nil:
		add("notice", "文号格式应如 国办发明电〔2026〕3号", "write the number as 国办发明电〔2026〕3号")
	default:
		numberYear, _ = strconv.Atoi(m[1])
	}
	switch d, err := ParseDate(s.NoticeDate); {
	case s.NoticeDate == "":
		add("notice_date", "必填：通知的发布日期", "required: the day the notice was issued")
	case err != nil:
		add("notice_date", "须为有效日期 YYYY-MM-DD", "must be a real date YYYY-MM-DD")
	case d.Year() != year && d.Year() != year-1:
		add("notice_date", fmt.Sprintf("须在 %d 年或 %d 年内", year-1, year), fmt.Sprintf("must lie in %d or %d", year-1, year))
	case numberYear != 0 && numberYear != d.Year():
		add("notice", fmt.Sprintf("文号中的年份 %d 与发布日期 %s 不符", numberYear, s.NoticeDate), fmt.Sprintf("the year in the number, %d, does not match the date %s", numberYear, s.NoticeDate))
	}
	for i, p := range s.Papers {
		if strings.TrimSpace(p) == "" || utf8.RuneCountInString(p) > 500 {
			add(fmt.Sprintf("papers[%d]", i), "不能为空且不超过500字", "required, at most 500 characters")
		}
	}
	return fs
}

// dayProblems checks the days a schedule lists.
func (s *Schedule) dayProblems(year int) []errs.FieldError {
	var fs []errs.FieldError
	add := func(field, zh, en string) { fs = append(fs, errs.Field(field, zh, en)) }
	if len(s.Days) == 0 {
		add("days", "须列出通知中的放假和调休日期", "list the notice's rest days and make-up workdays")
	}
	if len(s.Days) > 400 {
		add("days", "日期过多", "too many days")
	}
	lo := time.Date(year-1, time.December, 1, 0, 0, 0, 0, Location)
	hi := time.Date(year+1, time.January, 31, 0, 0, 0, 0, Location)
	seen := map[string]int{}
	for i, d := range s.Days {
		f := fmt.Sprintf("days[%d]", i)
		if n := utf8.RuneCountInString(strings.TrimSpace(d.Name)); n == 0 || n > maxNameRunes {
			add(f+".name", "名称不能为空且不超过50字", "name is required, at most 50 characters")
		}
		t, err := ParseDate(d.Date)
		if err != nil {
			add(f+".date", "须为有效日期 YYYY-MM-DD", "must be a real date YYYY-MM-DD")
			continue
		}
		if t.Before(lo) || t.After(hi) {
			add(f+".date", fmt.Sprintf("须在 %d-12-01 至 %d-01-31 之间", year-1, year+1), fmt.Sprintf("must lie from %d-12-01 to %d-01-31", year-1, year+1))
		}
		if j, dup := seen[d.Date]; dup {
			add(f+".date", fmt.Sprintf("与 days[%d] 重复", j), fmt.Sprintf("repeats days[%d]", j))
		} else {
			seen[d.Date] = i
		}
		if !d.IsOffDay && !weekend(t) {
			add(f+".isOffDay", "调休上班日（isOffDay=false）只能是周六或周日", "a make-up workday (isOffDay=false) must fall on a Saturday or Sunday")
		}
	}
	return fs
}
