package rules

import (
	"time"

	"zhifa/modules/kernel/errs"
)

// Unit is how a period is counted.
type Unit string

// The units of statutory periods.
const (
	WorkingDay  Unit = "working_day"  // dates the State Council's notice does not mark off: weekdays and make-up workdays
	CalendarDay Unit = "calendar_day" // 民法典 Art. 201: the start day is not counted
	Month       Unit = "month"        // 民法典 Art. 202: same-numbered day, or the last day of a shorter month
	Year        Unit = "year"
	Hour        Unit = "hour" // clock hours, never shifted
)

// Valid reports whether u is one of the units.
func (u Unit) Valid() bool {
	switch u {
	case WorkingDay, CalendarDay, Month, Year, Hour:
		return true
	}
	return false
}

// Rule is one statutory period or limit the platform computes.
type Rule struct {
	ID      string   `json:"id"`      // e.g. "penalty.delivery"
	Law     string   `json:"law"`     // e.g. "行政处罚法"
	Article int      `json:"article"` // e.g. 61; 0 for a document without articles (see Basis)
	Amount  int      `json:"amount"`  // the statutory default; a tenant setting may change it (SettingKey)
	Unit    Unit     `json:"unit"`
	From    string   `json:"from"` // the event it counts from, e.g. "decision_served"
	Title   errs.Msg `json:"title"`
	// FromTitle names the From event for people.
	FromTitle errs.Msg `json:"from_title"`
	// PartyDeadline: a party's deadline, so an end on a statutory rest day moves to the next working
	// day (民法典 Art. 203). Agency limits are not shifted; they warn on the raw date.
	PartyDeadline bool `json:"party_deadline"`
	// Before: the period runs backwards from the event (e.g. a hearing notice at least 7 working
	// days before the hearing): Due is the last day the act may happen.
	Before bool `json:"before,omitempty"`
	// Wait: the period is a waiting time: the act (e.g. applying to the court after a demand
	// notice) may happen only after Due, not by it.
	Wait       bool   `json:"wait,omitempty"`
	SettingKey string `json:"setting_key,omitempty"` // the tenant setting that overrides Amount, if any
	// Basis cites the provision in words, with any choice the platform made in reading it.
	Basis string `json:"basis,omitempty"`
}

// Against says whom a period binds.
type Against string

// Whom a period binds.
const (
	// AgainstParty: a window the party may act within (hearing request, statement, payment,
	// reconsideration, litigation). Its end is shifted off a rest day, and when it passes the
	// window has ended (已届满): nobody is late.
	AgainstParty Against = "party"
	// AgainstAgency: a limit on the agency itself (deciding, delivery, preservation, a measure's
	// term, backfill, the court application). It is not shifted, and when it passes the agency is
	// overdue (已逾期).
	AgainstAgency Against = "agency"
)

// Runs returns whom the rule binds: the party for its PartyDeadline rules, the agency otherwise.
func (r Rule) Runs() Against {
	if r.PartyDeadline {
		return AgainstParty
	}
	return AgainstAgency
}

// Ref returns the rule as the reference carried on an error it causes.
func (r Rule) Ref() *errs.Rule {
	return r.Cite().Ref(r.ID)
}

// The kinds of dates a count records.
const (
	SkipHoliday = "holiday"        // a rest day of the State Council's notice
	SkipWeekend = "weekend"        // a Saturday or Sunday not made a workday
	SkipMakeUp  = "makeup_workday" // a weekend day made a workday (调休上班日): counted, not skipped
)

// Skip records a date the count passed over and why.
type Skip struct {
	Date   string `json:"date"`   // YYYY-MM-DD
	Reason string `json:"reason"` // e.g. "国庆节 (statutory holiday)", "周末 (weekend)"
	Kind   string `json:"kind"`   // SkipHoliday, SkipWeekend, or SkipMakeUp in Due.MakeUp
	Name   string `json:"name,omitempty"`
}

// Due is a computed deadline with how it was counted.
type Due struct {
	Rule    Rule      `json:"rule"`
	From    time.Time `json:"from"`
	Amount  int       `json:"amount"` // the amount used (statutory or the tenant's setting)
	Source  string    `json:"source"` // where the amount came from: "statute" or the setting's source
	Due     time.Time `json:"due"`    // midnight in Asia/Shanghai for day units; an instant for hours
	Skipped []Skip    `json:"skipped,omitempty"`
	// Shifted is set when a party's deadline fell on a rest day and moved to RawDue's next working day.
	Shifted bool       `json:"shifted,omitempty"`
	RawDue  *time.Time `json:"raw_due,omitempty"`
	// MakeUp lists the make-up workdays (调休上班日) a working-day count counted.
	MakeUp []Skip `json:"makeup,omitempty"`
}
