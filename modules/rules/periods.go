package rules

import (
	"time"

	"zhifa/modules/kernel/errs"
)

// The counting functions below are the law of periods, free of storage and settings:
//
//   - 民法典 Art. 201: the start day is not counted; the count begins on the next day. Hours run
//     from the instant given.
//   - 民法典 Art. 202: a month or year period ends on the corresponding day of the last month, or
//     on that month's last day when it has no such day (Jan 31 + 1 month = Feb 28 or 29).
//   - 民法典 Art. 203: when the last day is a statutory rest day, the period ends on the first
//     working day after it (NextWorkingDay; applied to a party's deadlines only).
//   - 行政处罚法 Art. 85 and 行政强制法 Art. 69: the short periods are working days, which exclude
//     statutory holidays and weekends not made workdays.
//
// A count looks up exactly the dates it must inspect: a working-day count every date after the start
// up to its end; an end-day shift the end date and the rest days after it; calendar-day, month and
// year counts without a shift no date at all. A lookup of a date in an unknown year fails with
// ErrUnknownYear naming it, so a count that never reaches an unknown year succeeds.

// maxCount bounds a single count, so that a bad amount cannot loop for long.
const maxCount = 100000

// WorkingDaysAfter returns the n-th working day after from (from's own date not counted), with the
// rest days it passed over.
func WorkingDaysAfter(c *Calendar, from time.Time, n int) (time.Time, []Skip, error) {
	end, skipped, _, err := countWorkingDays(c, from, n, 1)
	return end, skipped, err
}

// WorkingDaysBefore returns the n-th working day before from (from's own date not counted), with the
// rest days it passed over: the last day on which an act "n working days before" from may happen.
func WorkingDaysBefore(c *Calendar, from time.Time, n int) (time.Time, []Skip, error) {
	end, skipped, _, err := countWorkingDays(c, from, n, -1)
	return end, skipped, err
}

// countWorkingDays walks from from in step (+1 or -1 days) until it has counted n working days. It
// returns the end, the rest days skipped, and the make-up workdays counted, in walking order.
func countWorkingDays(c *Calendar, from time.Time, n, step int) (time.Time, []Skip, []Skip, error) {
	d := Day(from)
	if n < 0 || n > maxCount {
		return d, nil, nil, errs.Ef(errs.Invalid, "期间须为 0 至 %d 个工作日", "a period must be 0 to %d working days", maxCount)
	}
	var skipped, makeUp []Skip
	for counted := 0; counted < n; {
		d = d.AddDate(0, 0, step)
		info, err := c.Info(d)
		if err != nil {
			return d, skipped, makeUp, err
		}
		if !info.Working {
			skipped = append(skipped, info.Skip())
			continue
		}
		if info.Kind == SkipMakeUp {
			makeUp = append(makeUp, info.Skip())
		}
		counted++
	}
	return d, skipped, makeUp, nil
}

// CalendarDaysAfter returns the date n calendar days after from's date (from not counted).
func CalendarDaysAfter(from time.Time, n int) time.Time { return Day(from).AddDate(0, 0, n) }

// PublicNoticeServedOn returns the day a public notice published on published serves its document
// (民事诉讼法 Art. 95, the catalogue's ServicePublicNotice): 30 calendar days, the day of
// publication not counted, never shifted; the document is served when that day has passed.
func PublicNoticeServedOn(published time.Time) time.Time {
	r, _ := Lookup(ServicePublicNotice)
	return CalendarDaysAfter(published, r.Amount)
}

// MonthsAfter returns the end of an n-month period starting the day after from (民法典 Art. 202):
// the same-numbered day n months later, or the last day of that month when it is shorter. A
// negative n counts back the same way.
func MonthsAfter(from time.Time, n int) time.Time {
	y, m, d := Day(from).Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, Location)
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(d, last), 0, 0, 0, 0, Location)
}

// YearsAfter returns the end of an n-year period starting the day after from: the same date n years
// later, or Feb 28 for a period from Feb 29 ending in a common year.
func YearsAfter(from time.Time, n int) time.Time { return MonthsAfter(from, 12*n) }

// HoursAfter returns the instant n clock hours after from. Hours are never shifted.
func HoursAfter(from time.Time, n int) time.Time { return from.Add(time.Duration(n) * time.Hour) }

// NextWorkingDay returns d's date when it is a working day, else the first working day after it (the
// end-day shift of 民法典 Art. 203), with the rest days it passed over (d's date first).
func NextWorkingDay(c *Calendar, d time.Time) (time.Time, []Skip, error) {
	d = Day(d)
	var skipped []Skip
	for range maxCount {
		info, err := c.Info(d)
		if err != nil {
			return d, skipped, err
		}
		if info.Working {
			return d, skipped, nil
		}
		skipped = append(skipped, info.Skip())
		d = d.AddDate(0, 0, 1)
	}
	return d, skipped, errs.E(errs.Internal, "找不到工作日", "no working day found")
}

// Compute counts rule r with amount from from, against calendar c: the pure computation behind
// Engine.Due. Day units count from from's date in China; hours from the instant. A party's
// calendar-day, month or year deadline that ends on a rest day moves to the next working day
// (Shifted, RawDue); an agency's limit keeps its raw date. Errors: Invalid (amount below 1 or an
// unknown unit), FailedPrecondition naming the year (a date the count must inspect is in a year
// whose holiday notice is not loaded).
func Compute(c *Calendar, r Rule, amount int, from time.Time) (*Due, error) {
	if amount < 1 || amount > maxCount {
		return nil, errs.Ef(errs.Invalid, "期间数额须为 1 至 %d", "the amount must be 1 to %d", maxCount).
			WithFields(errs.Field("amount", "数额无效", "invalid amount"))
	}
	due := &Due{Rule: r, From: from, Amount: amount, Source: "statute"}
	sign := 1
	if r.Before {
		sign = -1
	}
	var raw time.Time
	switch r.Unit {
	case Hour:
		due.Due = HoursAfter(from, sign*amount)
		return due, nil
	case WorkingDay:
		end, skipped, makeUp, err := countWorkingDays(c, from, amount, sign)
		if err != nil {
			return nil, err
		}
		due.Due, due.Skipped, due.MakeUp = end, skipped, makeUp
		return due, nil
	case CalendarDay:
		raw = CalendarDaysAfter(from, sign*amount)
	case Month:
		raw = MonthsAfter(from, sign*amount)
	case Year:
		raw = YearsAfter(from, sign*amount)
	default:
		return nil, errs.Ef(errs.Invalid, "未知的期间单位 %q", "unknown unit %q", r.Unit)
	}
	due.Due = raw
	if !r.PartyDeadline || r.Before {
		return due, nil
	}
	end, skipped, err := NextWorkingDay(c, raw)
	if err != nil {
		return nil, err
	}
	if !end.Equal(raw) {
		due.Due, due.Skipped, due.Shifted = end, skipped, true
		due.RawDue = &raw
	}
	return due, nil
}
