package cases

import (
	"time"

	"zhifa/modules/kernel/civil"
	"zhifa/modules/rules"
)

// limit is an agency limit adjusted by the periods the law excludes and the approved extensions.
type limit struct {
	Counted   *rules.Due // the rules engine's count from the start event
	Due       civil.Date // the adjusted last day
	Excluded  int        // days not counted
	Extension int        // days added by approved extensions
}

// maxExcludedDays bounds the day sets built below.
const maxExcludedDays = 3660

// excludedDays counts the days of the case's periods that the limits do not count, each day once:
// recorded periods (testing, appraisal, public notice) from their first to their last day; the
// suspensions and the hearing from their start up to, not including, their end (upTo while one
// still runs).
func excludedDays(f *Facts, upTo civil.Date) int {
	days := map[civil.Date]bool{}
	span := func(from, to civil.Date, inclusive bool) {
		if from == "" || !from.Valid() {
			return
		}
		if to == "" {
			to = upTo
		}
		if inclusive {
			to = addDays(to, 1)
		}
		for d := from; d.Before(to) && len(days) < maxExcludedDays; d = addDays(d, 1) {
			days[d] = true
		}
	}
	for _, p := range f.Excluded {
		span(p.From, p.To, true)
	}
	for _, p := range f.Suspension {
		span(p.From, p.To, false)
	}
	if h := f.Hearing; h != nil {
		span(h.RequestedOn, h.HeldOn, false)
	}
	return len(days)
}

// decideLimit is the time to decide a general-procedure case (行政处罚法 Art. 60): the rules
// engine's 90 days (or the tenant's number) from filing, plus the days of hearing, testing,
// public notice and suspension, plus the approved extensions. upTo closes the periods still
// running.
func (a *act) decideLimit(upTo civil.Date) (*limit, error) {
	f := a.facts()
	d, err := a.dueOn(rules.PenaltyDecide, f.FiledOn)
	if err != nil {
		return nil, err
	}
	l := &limit{Counted: d, Excluded: excludedDays(f, upTo)}
	for _, e := range f.Extensions {
		l.Extension += e.Days
	}
	l.Due = addDays(day(d.Due), l.Excluded+l.Extension)
	return l, nil
}

// termRules returns the term and extension rules of a measure.
func termRules(m *Measure) (term, extension string) {
	if m.Type == MeasureFreeze {
		return rules.CoercionFreezeTerm, rules.CoercionFreezeExtension
	}
	return rules.CoercionSeizureTerm, rules.CoercionSeizureExtension
}

// measureEnds is the last day of a measure's term (行政强制法 Art. 25, 32): the term from the day
// it was taken, plus the testing days (not counted, Art. 25 ¶3) and the one extension.
func measureEnds(f *Facts, upTo civil.Date) civil.Date {
	m := f.Measure
	if m == nil || m.TakenOn == "" {
		return ""
	}
	testing := &Facts{Excluded: f.Excluded}
	return addDays(m.TakenOn, m.TermDays+m.ExtendedDays+excludedDays(testing, upTo))
}

// emergencyDue is the moment by which an emergency measure must be approved (Art. 19).
func (a *act) emergencyDue() (time.Time, error) {
	m := a.facts().Measure
	d, err := a.due(rules.CoercionEmergencyApproval, *m.TakenAt)
	if err != nil {
		return time.Time{}, err
	}
	return d.Due, nil
}
