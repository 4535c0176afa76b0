package cases

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"zhifa/modules/documents"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

// Deadline is a period running on a case, computed by the rules engine (the same code as the
// deadline calculator) from the case's recorded steps.
type Deadline struct {
	RuleID  string   `json:"rule_id"`
	Law     string   `json:"law"`
	Article int      `json:"article"`
	Title   errs.Msg `json:"title"`
	From    string   `json:"from"` // the step it counts from (a day, or a time for hours)
	Due     string   `json:"due"`  // the last day (or moment); for a waiting period, the day after which the step may happen
	// Status: running, warning (3 days or 6 hours left), overdue (an agency limit passed), ended (a
	// party's period passed), waiting (a waiting period runs), open (a waiting period is over),
	// paused (the case is suspended), met (satisfied), info (the party's remedies).
	Status        string        `json:"status"`
	DaysLeft      int           `json:"days_left"`
	PartyDeadline bool          `json:"party_deadline"`
	Runs          rules.Against `json:"runs"`    // whom it binds: the party (its window ends) or the agency (overdue)
	Counted       rules.DueView `json:"counted"` // how the rules engine counted it
	ExcludedDays  int           `json:"excluded_days,omitempty"`
	ExtensionDays int           `json:"extension_days,omitempty"`
	Adjusted      *errs.Msg     `json:"adjusted,omitempty"` // how the case adjusted the engine's count
	// CalendarYear is the year whose holiday notice a deadline with status unknown_calendar waits
	// for; it has no due day until the notice is loaded.
	CalendarYear int `json:"calendar_year,omitempty"`
	// Cite is the article as a page shows it: 《行政处罚法》第67条.
	Cite string `json:"cite"`
}

// Deadline statuses.
const (
	DueRunning = "running"
	DueWarning = "warning"
	DueOverdue = "overdue"
	DueEnded   = "ended"
	DueWaiting = "waiting"
	DueOpen    = "open"
	DuePaused  = "paused"
	DueMet     = "met"
	DueInfo    = "info"
	// DueUnknown: the count needs a year whose holiday notice is not loaded (CalendarYear): the
	// deadline waits for it, whatever status the case would give it.
	DueUnknown = "unknown_calendar"
)

// counts reports whether the status makes the deadline count for the case's next due day: a
// period still running, or an agency limit passed. A party's window that ended (the hearing
// request, the payment) does not: its lapse is the party's, and the case's next due day (which
// the list marks overdue once passed) is the agency's next limit.
func counts(status string) bool {
	return status == DueRunning || status == DueWarning || status == DueOverdue
}

// deadline computes rule id from from and fills its status against today; due overrides the
// engine's last day when the case adjusted it (exclusions, extensions, a shorter term).
func (a *act) deadline(id string, from time.Time, due civil.Date) (*Deadline, error) {
	d, err := a.due(id, from)
	if year, unknown := rules.UnknownYear(err); unknown {
		r, _ := rules.Lookup(id)
		return &Deadline{RuleID: r.ID, Law: r.Law, Article: r.Article, Cite: r.Cite().Screen(), Title: r.Title, PartyDeadline: r.PartyDeadline, Runs: r.Runs(),
			From: string(day(from)), Status: DueUnknown, CalendarYear: year, Adjusted: waitingFor(year),
			Counted: rules.DueView{Skipped: []rules.Skip{}, MakeUp: []rules.Skip{}}}, nil
	}
	if err != nil {
		return nil, err
	}
	r := d.Rule
	out := &Deadline{RuleID: r.ID, Law: r.Law, Article: r.Article, Cite: r.Cite().Screen(), Title: r.Title, PartyDeadline: r.PartyDeadline, Runs: r.Runs(), Counted: d.View()}
	out.From, out.Due = out.Counted.From, out.Counted.Due
	if due != "" && string(due) != out.Due {
		out.Due = string(due)
	}
	if r.Unit == rules.Hour {
		left := d.Due.Sub(a.now)
		out.DaysLeft = int(left.Hours() / 24)
		switch {
		case left < 0:
			out.Status = lapsed(r)
		case left <= 6*time.Hour:
			out.Status = DueWarning
		default:
			out.Status = DueRunning
		}
		return out, nil
	}
	last := civil.Date(out.Due)
	out.DaysLeft = daysBetween(a.today, last)
	switch {
	case r.Wait && out.DaysLeft >= 0:
		out.Status = DueWaiting
	case r.Wait:
		out.Status = DueOpen
	case out.DaysLeft < 0:
		out.Status = lapsed(r)
	case out.DaysLeft <= 3:
		out.Status = DueWarning
	default:
		out.Status = DueRunning
	}
	return out, nil
}

// waitingFor says that a deadline waits for year's holiday notice.
func waitingFor(year int) *errs.Msg {
	return &errs.Msg{ZH: fmt.Sprintf("待 %d 年节假日安排加载", year), EN: fmt.Sprintf("waiting for the %d holiday notice", year)}
}

// lapsed is the status of a period whose last day (or moment) passed: a party's window ended
// (已届满), an agency's own limit is overdue (已逾期).
func lapsed(r rules.Rule) string {
	if r.Runs() == rules.AgainstParty {
		return DueEnded
	}
	return DueOverdue
}

// probe returns an act for reading a case as of now: deadlines and the guards of next actions.
func (s *Service) probe(ctx context.Context, tx bun.IDB, sc tenants.Scope, c *Case) *act {
	now := dbx.Stamp(s.now())
	today := civil.DateOf(now)
	return &act{s: s, ctx: ctx, tx: tx, sc: sc, c: c, on: today, at: now, now: now, today: today, from: c.State, to: c.State}
}

// deadlines lists the periods running on the case in its state.
func (a *act) deadlines() ([]Deadline, error) {
	var out []Deadline
	add := func(id string, from civil.Date, due civil.Date, status string, adjust func(*Deadline)) error {
		if from == "" {
			return nil
		}
		d, err := a.deadline(id, from.Time(), due)
		if err != nil {
			return err
		}
		if d.Status == DueUnknown {
			out = append(out, *d) // no due day to adjust or judge
			return nil
		}
		if status != "" {
			d.Status = status
		}
		if adjust != nil {
			adjust(d)
		}
		out = append(out, *d)
		return nil
	}
	f, st := a.facts(), a.c.State
	var err error
	switch a.c.Kind {
	case KindGeneral:
		err = a.generalDeadlines(add)
	case KindSummary:
		err = a.paymentDeadlines(add)
	case KindCoercion:
		m := f.Measure
		switch {
		case st == StateEmergency && m.TakenAt != nil:
			d, derr := a.deadline(rules.CoercionEmergencyApproval, *m.TakenAt, "")
			if derr != nil {
				return nil, derr
			}
			out = append(out, *d)
		case st == StateInForce:
			term, _ := termRules(m)
			ends := measureEnds(f, a.today)
			err = add(term, m.TakenOn, ends, "", func(d *Deadline) {
				d.ExcludedDays = daysBetween(m.TakenOn, ends) - m.TermDays - m.ExtendedDays
				d.ExtensionDays = m.ExtendedDays
				if string(ends) != d.Counted.Due {
					d.Adjusted = &errs.Msg{
						ZH: fmt.Sprintf("决定期限 %d 日，检测等期间不计入 %d 日，延长 %d 日，至 %s", m.TermDays, d.ExcludedDays, m.ExtendedDays, ends),
						EN: fmt.Sprintf("a term of %d days, %d days of testing not counted, %d days extended: ends %s", m.TermDays, d.ExcludedDays, m.ExtendedDays, ends)}
				}
			})
			if err == nil && m.Type == MeasureFreeze && m.ServedOn == "" {
				err = add(rules.CoercionFreezeDelivery, m.TakenOn, "", "", nil)
			}
		}
	case KindEnforcement:
		e := f.Enforcement
		if st == StateDemanded {
			err = add(rules.CoercionDemandBeforeCourt, e.DemandedOn, "", "", nil)
		}
		if err == nil && (st == StatePending || st == StateDemanded) && e.RemediesEnd != "" {
			err = add(rules.CoercionCourtApplication, e.RemediesEnd, "", "", nil)
		}
	}
	return out, err
}

type addFunc func(id string, from, due civil.Date, status string, adjust func(*Deadline)) error

// generalDeadlines are the periods of a general-procedure case.
func (a *act) generalDeadlines(add addFunc) error {
	f, st := a.facts(), a.c.State
	if (st == StateLead || st == StateVerified) && f.ActEndedOn != "" {
		id := rules.PenaltyLimitation
		if f.Limitation5 {
			id = rules.PenaltyLimitationSafety
		}
		status := ""
		if err := add(id, f.ActEndedOn, "", "", func(d *Deadline) {
			if f.Lead != nil && !f.Lead.ReceivedOn.After(civil.Date(d.Due)) {
				status = DueMet
			}
			if status != "" {
				d.Status = status
			}
		}); err != nil {
			return err
		}
	}
	if f.FiledOn != "" && (slices.Contains(investigatingGeneral, st) || st == StateSuspended) {
		l, err := a.decideLimit(a.today)
		if err != nil {
			return err
		}
		status := ""
		if st == StateSuspended {
			status = DuePaused
		}
		if err := add(rules.PenaltyDecide, f.FiledOn, l.Due, status, func(d *Deadline) {
			d.ExcludedDays, d.ExtensionDays = l.Excluded, l.Extension
			if l.Excluded+l.Extension > 0 {
				d.Adjusted = &errs.Msg{
					ZH: fmt.Sprintf("%s 起 %d 日至 %s；听证、检测、公告、中止等期间不计入 %d 日，批准延长 %d 日，至 %s", f.FiledOn, l.Counted.Amount, day(l.Counted.Due), l.Excluded, l.Extension, l.Due),
					EN: fmt.Sprintf("%d days from %s end %s; %d days of hearing, testing, public notice or suspension not counted and %d days extended: ends %s", l.Counted.Amount, f.FiledOn, day(l.Counted.Due), l.Excluded, l.Extension, l.Due)}
			}
		}); err != nil {
			return err
		}
	}
	if st.Open() && st != StateSuspended {
		if i := openPreservation(f); i >= 0 {
			if err := add(rules.PenaltyEvidencePreserved, f.Preservations[i].On, "", "", nil); err != nil {
				return err
			}
		}
	}
	if n := f.Notice; st == StateNotified && n != nil && n.HearingRight && !n.HearingWaived && f.Hearing == nil {
		if err := add(rules.PenaltyHearingRequest, n.ServedOn, "", "", nil); err != nil {
			return err
		}
	}
	if n := f.Notice; st == StateNotified && n != nil && n.StatementWaiver == nil && !f.statementReceived(n) {
		if err := add(rules.PenaltyStatement, n.ServedOn, n.StatementDue, "", nil); err != nil {
			return err
		}
	}
	if err := a.noticeDeadlines(add); err != nil {
		return err
	}
	if st == StateDecided {
		status := ""
		if f.pendingNotice("penalty_decision") != nil {
			status = DueMet // published in time or not, the lateness was judged on the publication
		}
		if err := add(rules.PenaltyDelivery, f.Decision.On, "", status, nil); err != nil {
			return err
		}
	}
	return a.paymentDeadlines(add)
}

// paymentDeadlines are the periods after a decision is served: payment, the party's remedies, and
// cash collected on the spot.
func (a *act) paymentDeadlines(add addFunc) error {
	f, st := a.facts(), a.c.State
	if st == StateServed && f.Delivery != nil {
		if f.Delivery.PayDue != "" && f.outstanding() > 0 {
			due, plan := civil.Date(""), f.Plan
			if plan != nil {
				due = f.payDue()
			}
			if err := add(rules.PenaltyPayment, f.Delivery.ServedOn, due, "", func(d *Deadline) {
				if plan != nil {
					d.Adjusted = &errs.Msg{
						ZH: fmt.Sprintf("%s 经当事人申请批准%s（%s），本期缴款期限 %s", plan.ApprovedOn, planName(plan.Kind), rules.PaymentPlan.Screen(), due),
						EN: fmt.Sprintf("%s approved on %s on the party's application (Art. 66 ¶2): this part is due %s", plan.Kind, plan.ApprovedOn, due)}
				}
			}); err != nil {
				return err
			}
		}
		for _, id := range []string{rules.RemedyReconsideration, rules.RemedyLitigation} {
			if err := add(id, f.Delivery.ServedOn, "", DueInfo, nil); err != nil {
				return err
			}
		}
	}
	if p := f.Payment; p != nil && p.OnTheSpot && p.HandedOverOn == "" {
		return add(rules.PenaltyCashHandover, p.PaidOn, "", "", nil)
	}
	return nil
}

// nextDue is the earliest last day among the deadlines that count, for lists and warnings, and
// the earliest year whose holiday notice a deadline waits for (nil: none waits).
func (s *Service) nextDue(a *act) (*civil.Date, *int, error) {
	p := s.probe(a.ctx, a.tx, a.sc, a.c)
	ds, err := p.deadlines()
	if err != nil {
		return nil, nil, err
	}
	var best *civil.Date
	var wait *int
	for _, d := range ds {
		if d.Status == DueUnknown && (wait == nil || d.CalendarYear < *wait) {
			y := d.CalendarYear
			wait = &y
		}
		if !counts(d.Status) {
			continue
		}
		due := civil.Date(d.Due)
		if len(d.Due) > 10 {
			due = civil.Date(d.Due[:10])
		}
		if best == nil || due.Before(*best) {
			v := due
			best = &v
		}
	}
	return best, wait, nil
}

// NextAction is a step the case's machine allows now, with whether the caller may take it, what
// would refuse it today, and the deadlines that govern it.
type NextAction struct {
	Action     Action       `json:"action"`
	Title      errs.Msg     `json:"title"`
	To         State        `json:"to,omitempty"` // empty: the state does not change
	Method     string       `json:"method"`
	Path       string       `json:"path"`
	Permission authz.Action `json:"permission"`
	Allowed    bool         `json:"allowed"` // the caller's roles (and body) allow it
	Rule       *errs.Rule   `json:"rule,omitempty"`
	Blocked    *Refusal     `json:"blocked,omitempty"` // a guard refuses it today
	Deadlines  []Deadline   `json:"deadlines,omitempty"`
}

// Refusal is why a guard refuses a step.
type Refusal struct {
	Message errs.Msg   `json:"message"`
	Rule    *errs.Rule `json:"rule,omitempty"`
}

// Detail is a case with its deadlines, the actions that may follow, its record, its evidence and
// the documents issued for it.
type Detail struct {
	*Case
	// Opened names the case's first event (e.g. 登记案源 for a lead): a case is filed (立案) only by
	// the file step.
	Opened      errs.Msg     `json:"opened"`
	Deadlines   []Deadline   `json:"deadlines"`
	NextActions []NextAction `json:"next_actions"`
	History     []Event      `json:"history"`
	Evidence    []Evidence   `json:"evidence"`
	// Reveals log who was shown the party's full identity number, and when (see Reveal).
	Reveals []Reveal `json:"reveals"`
	// Documents are the case's documents as the documents module lists them (number, template
	// version, digest, signature), oldest first; empty without the documents module.
	Documents []documents.Document `json:"documents"`
}

// detail assembles a case's Detail inside tx.
func (s *Service) detail(ctx context.Context, tx bun.IDB, sc tenants.Scope, c *Case) (*Detail, error) {
	p := s.probe(ctx, tx, sc, c)
	ds, err := p.deadlines()
	if err != nil && !errs.Is(err, errs.FailedPrecondition) {
		return nil, err
	}
	if ds == nil {
		ds = []Deadline{}
	}
	d := &Detail{Case: c, Opened: openedTitles[c.Kind], Deadlines: ds, NextActions: []NextAction{}}
	for _, e := range actionsFrom(c.Kind, c.State) {
		def := s.steps[e.Action]
		na := NextAction{Action: e.Action, Title: def.Title, To: e.To, Method: "POST", Path: "/api/v1/cases/" + c.ID + "/actions/" + string(e.Action),
			Permission: def.Perm, Allowed: sc.CanFor(def.Perm, c.BodyID) && !sc.ReadOnly(), Rule: def.rule(c.Kind)}
		if e.Action == ActAddEvidence {
			na.Path = "/api/v1/cases/" + c.ID + "/evidence"
		}
		if def.check != nil {
			probe := s.probe(ctx, tx, sc, c)
			if err := def.check(probe); err != nil {
				e := errs.As(err)
				if e.Code == errs.Internal {
					return nil, err
				}
				na.Blocked = &Refusal{Message: e.Message, Rule: e.Rule}
			}
		}
		for _, dl := range ds {
			if slices.Contains(def.Due, dl.RuleID) {
				na.Deadlines = append(na.Deadlines, dl)
			}
		}
		d.NextActions = append(d.NextActions, na)
	}
	if d.History, err = caseEvents(ctx, tx, sc, c.ID); err != nil {
		return nil, err
	}
	if d.Evidence, err = caseEvidence(ctx, tx, sc, c.ID); err != nil {
		return nil, err
	}
	if d.Reveals, err = caseReveals(ctx, tx, sc, c.ID); err != nil {
		return nil, err
	}
	return d, nil
}
