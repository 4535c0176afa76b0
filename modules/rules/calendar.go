package rules

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"zhifa/modules/kernel/errs"
)

// Location is China Standard Time, UTC+8. China has kept no daylight saving time since 1991, so a
// fixed zone is exact for every date the platform counts and needs no tzdata on the host.
var Location = time.FixedZone("CST", 8*60*60)

// DateLayout is how dates are written: YYYY-MM-DD.
const DateLayout = "2006-01-02"

// Day returns the civil date of t in China, as midnight in Location.
func Day(t time.Time) time.Time {
	y, m, d := t.In(Location).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, Location)
}

// ParseDate reads a YYYY-MM-DD date as midnight in China. Impossible dates (2025-02-30) fail.
func ParseDate(s string) (time.Time, error) {
	return time.ParseInLocation(DateLayout, s, Location)
}

// FormatDate writes the civil date of t in China as YYYY-MM-DD.
func FormatDate(t time.Time) string { return t.In(Location).Format(DateLayout) }

// ScheduleDay is one entry of a holiday notice.
type ScheduleDay struct {
	Name     string `json:"name"`
	Date     string `json:"date"`     // YYYY-MM-DD
	IsOffDay bool   `json:"isOffDay"` // false: a make-up workday (调休上班日)
}

// Schedule is a State Council holiday notice for one year, in the shape of the public data set
// (holiday-cn): the notice year, the notice's addresses, and the days it lists; a loaded notice also
// carries its number (文号, e.g. 国办发明电〔2025〕7号) and date. An empty Days means the notice has
// not been published: the year is unknown.
type Schedule struct {
	Schema     string        `json:"$schema,omitempty"`
	ID         string        `json:"$id,omitempty"`
	Year       int           `json:"year"`
	Notice     string        `json:"notice,omitempty"`      // the notice's number
	NoticeDate string        `json:"notice_date,omitempty"` // the day it was issued, YYYY-MM-DD
	Papers     []string      `json:"papers"`
	Days       []ScheduleDay `json:"days"`
}

// Known reports whether the schedule holds a published notice.
func (s Schedule) Known() bool { return len(s.Days) > 0 }

//go:embed holidays/*.json
var holidayFS embed.FS

// EmbeddedSchedules returns the schedules shipped with the binary, by year.
func EmbeddedSchedules() map[int]Schedule {
	out := map[int]Schedule{}
	files, err := fs.Glob(holidayFS, "holidays/*.json")
	if err != nil {
		panic(err)
	}
	for _, f := range files {
		b, err := holidayFS.ReadFile(f)
		if err != nil {
			panic(err)
		}
		var s Schedule
		if err := json.Unmarshal(b, &s); err != nil {
			panic(fmt.Sprintf("rules: embedded %s: %v", f, err))
		}
		out[s.Year] = s
	}
	return out
}

var embedded = EmbeddedSchedules()

// entry is a listed date of the merged calendar.
type entry struct {
	name   string
	off    bool
	notice int // the year of the notice that lists it
}

// Calendar is the merged holiday schedule: every notice's days, each date looked up across all
// notices (a notice may list dates of the neighbouring year), and the set of years whose notice is
// published. A Calendar is immutable and safe for concurrent use.
type Calendar struct {
	days  map[string]entry
	known map[int]bool
}

// NewCalendar merges schedules (one per notice year; a later one for the same year replaces an
// earlier one). When two notices list the same date, the notice of the date's own year wins, then
// the later notice.
func NewCalendar(schedules ...Schedule) *Calendar {
	byYear := map[int]Schedule{}
	for _, s := range schedules {
		byYear[s.Year] = s
	}
	c := &Calendar{days: map[string]entry{}, known: map[int]bool{}}
	for _, y := range slices.Sorted(maps.Keys(byYear)) {
		s := byYear[y]
		if s.Known() {
			c.known[y] = true
		}
		for _, d := range s.Days {
			e := entry{name: d.Name, off: d.IsOffDay, notice: y}
			if old, ok := c.days[d.Date]; ok && strings.HasPrefix(d.Date, strconv.Itoa(old.notice)+"-") {
				continue // the date's own notice already listed it
			}
			c.days[d.Date] = e
		}
	}
	return c
}

// EmbeddedCalendar returns the calendar of the schedules shipped with the binary.
func EmbeddedCalendar() *Calendar {
	return NewCalendar(slices.Collect(maps.Values(embedded))...)
}

// Known reports whether the notice for year is published (loaded).
func (c *Calendar) Known(year int) bool { return c.known[year] }

// KnownYears lists the years whose notice is loaded, ascending.
func (c *Calendar) KnownYears() []int { return slices.Sorted(maps.Keys(c.known)) }

// UnknownYearError is the cause of the error a computation returns when it needs a date of a year
// whose holiday notice is not loaded.
type UnknownYearError struct{ Year int }

func (e *UnknownYearError) Error() string {
	return fmt.Sprintf("the %d holiday calendar is not loaded", e.Year)
}

// ErrUnknownYear returns the FailedPrecondition error naming year.
func ErrUnknownYear(year int) *errs.Error {
	return errs.Ef(errs.FailedPrecondition, "%d 年节假日安排尚未加载，无法计算期限", "the %d holiday calendar is not loaded; the period cannot be computed", year).
		WithFields(errs.Field("calendar", fmt.Sprintf("须先加载 %d 年国务院节假日安排", year), fmt.Sprintf("load the State Council's %d holiday notice first", year))).
		WithCause(&UnknownYearError{Year: year})
}

// UnknownYear reports the year err names if err is a computation refused for an unknown year.
func UnknownYear(err error) (int, bool) {
	var u *UnknownYearError
	if errors.As(err, &u) {
		return u.Year, true
	}
	return 0, false
}

// DayInfo says what a date is in the calendar.
type DayInfo struct {
	Date    time.Time
	Working bool
	Kind    string // SkipHoliday or SkipWeekend for a rest day, SkipMakeUp for a make-up workday, "" for a plain weekday
	Name    string // the holiday's name from the notice, for listed dates
}

// Skip returns the record of the date, for counts that pass over it or count it as a make-up day.
func (d DayInfo) Skip() Skip {
	s := Skip{Date: FormatDate(d.Date), Kind: d.Kind, Name: d.Name}
	switch d.Kind {
	case SkipHoliday:
		s.Reason = d.Name + " (statutory holiday)"
	case SkipWeekend:
		s.Reason = "周末 (weekend)"
	case SkipMakeUp:
		s.Reason = d.Name + " 调休上班日 (make-up workday)"
	}
	return s
}

// Info looks a date up: a date listed with isOffDay=false is a working day, one listed with
// isOffDay=true is a rest day, and an unlisted date is a working day iff it is a weekday. It fails
// with ErrUnknownYear when the date's year is not loaded.
func (c *Calendar) Info(t time.Time) (DayInfo, error) {
	d := Day(t)
	if !c.known[d.Year()] {
		return DayInfo{}, ErrUnknownYear(d.Year())
	}
	info := DayInfo{Date: d}
	if e, ok := c.days[FormatDate(d)]; ok {
		info.Name = e.name
		if e.off {
			info.Kind = SkipHoliday
		} else {
			info.Working, info.Kind = true, SkipMakeUp
			if !weekend(d) {
				info.Kind = "" // a listed workday on a weekday changes nothing
			}
		}
		return info, nil
	}
	if weekend(d) {
		info.Kind = SkipWeekend
		return info, nil
	}
	info.Working = true
	return info, nil
}

// IsWorkingDay reports whether t's date (in China) is a working day. Fails for an unknown year.
func (c *Calendar) IsWorkingDay(t time.Time) (bool, error) {
	info, err := c.Info(t)
	return info.Working, err
}

func weekend(d time.Time) bool {
	wd := d.Weekday()
	return wd == time.Saturday || wd == time.Sunday
}
