package rules

import (
	"context"
	"fmt"
	"time"

	"zhifa/tenants"
)

// NoticeDueMonth and NoticeDueDay are when next year's notice becomes needed: from 1 November a
// party's period of a month or two (reconsideration: 60 days) can end in the next year.
const (
	NoticeDueMonth = time.November
	NoticeDueDay   = 1
)

// Operator is an account that may load the calendar: a tenant operator of a root tenant.
type Operator struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

// OperatorSource lists the accounts that may load the calendar (the identity module's grants,
// supplied by the application's wiring).
type OperatorSource func(ctx context.Context) ([]Operator, error)

// MissingYear is a year whose notice is needed and not loaded.
type MissingYear struct {
	Year  int    `json:"year"`
	Since string `json:"since"` // the day from which it has been needed (1 November of the year before)
}

// CalendarStatus says, for today, which years' notices are needed and missing, and who can load them.
type CalendarStatus struct {
	Today   string        `json:"today"`
	Missing []MissingYear `json:"missing"` // ascending; empty when every needed year is loaded
	// Operators are the root tenants' operators, who may load a notice; listed only when one is missing.
	Operators []Operator `json:"operators"`
	CanLoad   bool       `json:"can_load"` // the caller may load a notice
}

// MissingYears lists the years whose notice cal lacks and that are needed on today: the current
// year, and from 1 November the next year.
func MissingYears(cal *Calendar, today time.Time) []int {
	d := Day(today)
	var out []int
	if !cal.Known(d.Year()) {
		out = append(out, d.Year())
	}
	if !d.Before(time.Date(d.Year(), NoticeDueMonth, NoticeDueDay, 0, 0, 0, 0, Location)) && !cal.Known(d.Year()+1) {
		out = append(out, d.Year()+1)
	}
	return out
}

// SetClock sets the clock that decides today for CalendarStatus (default time.Now); tests pin it.
func (e *Engine) SetClock(now func() time.Time) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.clock = now
}

// SetOperators sets who is named as able to load a missing notice.
func (e *Engine) SetOperators(src OperatorSource) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.operators = src
}

// CalendarStatus returns, for today by the engine's clock, the years needed and missing, who can
// load them, and whether sc may. Any staff scope may ask.
func (e *Engine) CalendarStatus(ctx context.Context, sc tenants.Scope) (*CalendarStatus, error) {
	if !sc.Valid() {
		return nil, tenants.ErrNoScope
	}
	e.mu.Lock()
	clock, ops := e.clock, e.operators
	e.mu.Unlock()
	cal, err := e.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	today := Day(clock())
	out := &CalendarStatus{Today: FormatDate(today), Missing: []MissingYear{}, Operators: []Operator{}, CanLoad: canLoadCalendar(sc) == nil}
	for _, y := range MissingYears(cal, today) {
		out.Missing = append(out.Missing, MissingYear{Year: y, Since: fmt.Sprintf("%04d-%02d-%02d", y-1, NoticeDueMonth, NoticeDueDay)})
	}
	if len(out.Missing) > 0 && ops != nil {
		list, err := ops(ctx)
		if err != nil {
			return nil, err
		}
		out.Operators = append(out.Operators, list...)
	}
	return out, nil
}
