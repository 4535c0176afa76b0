package cases

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"zhifa/modules/disclosure/disclosuretask"
	"zhifa/modules/elements"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/rules"
	"zhifa/modules/supervision/supervisiontask"
	"zhifa/tenants"
)

// actionDef describes one action: who may take it, its body, the article it implements, its
// guards and its effect. The state machine (machine.go) says where it may be taken.
type actionDef struct {
	Action Action
	Title  errs.Msg
	Perm   authz.Action
	Rule   *errs.Rule // the provision the step implements, shown with the next actions
	// KindRule, when set, replaces Rule by kind: the provision the step implements on a case of
	// that kind, and none for a kind it does not name.
	KindRule map[Kind]*errs.Rule
	Input    func() Input // a new, empty body
	Due      []string     // the deadlines (rule IDs) that govern the step, shown with the next actions
	Field    bool         // a field action: the officer's location is worth recording
	// prepare looks up, before the transaction, what the step needs from other modules.
	prepare func(ctx context.Context, s *Service, sc tenants.Scope, in Input) (any, error)
	// check holds the guards that depend only on the case and the step's date: next_actions runs
	// them for today to say whether the step is open, and Act runs them before apply.
	check func(a *act) error
	// apply holds the guards that depend on the body, and records the step on the case.
	apply func(a *act) error
}

// rule returns the provision the step implements on a case of kind k.
func (d *actionDef) rule(k Kind) *errs.Rule {
	if d.KindRule != nil {
		return d.KindRule[k]
	}
	return d.Rule
}

// act is one transition in progress, inside its transaction.
type act struct {
	s     *Service
	ctx   context.Context
	tx    bun.IDB
	sc    tenants.Scope
	c     *Case
	def   *actionDef
	in    Input // nil when next_actions probes check
	pre   any
	on    civil.Date // the day of the step
	at    time.Time  // the moment of the step
	now   time.Time
	today civil.Date
	from  State
	to    State

	derived  map[string]any // what the guards computed (due dates), recorded in the event
	evidence []EvidenceRef
	late     bool
	tasks    []func() error // the outbox rows to write with the transition (enqueue)
	children []*newChild
	team     []string                        // the new team, when the step changes it
	docs     []*pendingDocument              // the documents the step issues (see documents.go)
	publish  *disclosuretask.PublishDecision // the decision's disclosure, whose number the issued document gives
}

// newChild is a case the transition opens (a lead from an inspection, an enforcement case).
type newChild struct {
	in NewCase
	c  *Case
}

// record keeps a computed value in the event's content.
func (a *act) record(key string, v any) {
	if a.derived == nil {
		a.derived = map[string]any{}
	}
	a.derived[key] = v
}

// warn raises a supervision warning (预警) through the outbox.
func (a *act) warn(point string, rule *errs.Rule, zh, en string) {
	w := warning(a.c, point, errs.Msg{ZH: zh, EN: en}, a.on)
	if rule != nil {
		w.Rule = *rule
	}
	enqueue(a, supervisiontask.Warn, w)
}

// due computes a catalogue rule inside the transaction, with the amounts of the case's body.
func (a *act) due(id string, from time.Time) (*rules.Due, error) {
	return a.s.rules.DueAt(a.ctx, a.tx, a.sc, a.c.BodyID, id, from)
}

// dueOn is due from a day.
func (a *act) dueOn(id string, d civil.Date) (*rules.Due, error) { return a.due(id, d.Time()) }

// day converts a deadline's instant to its day in China.
func day(t time.Time) civil.Date { return civil.Date(rules.FormatDate(t)) }

// addDays returns d plus n calendar days.
func addDays(d civil.Date, n int) civil.Date { return day(d.Time().AddDate(0, 0, n)) }

// daysBetween returns the calendar days from a to b (b - a).
func daysBetween(a, b civil.Date) int {
	return int(b.Time().Sub(a.Time()).Round(time.Hour).Hours() / 24)
}

// facts returns the case's facts, for brevity.
func (a *act) facts() *Facts { return &a.c.Facts }

// officers checks that ids name at least two officers of the case's body whose certificates are
// valid on the step's day (行政处罚法 Art. 42; 行政强制法 Art. 18 for coercive measures). The
// refusal names every officer whose certificate is not, with its state on that day.
func (a *act) officers(ids []string, rule *errs.Rule) error {
	if len(ids) < 2 {
		return refuse(rule, "执法人员不得少于两人（本次 %d 人）", "at least two officers must act (%d given)", len(ids))
	}
	var found []elements.Officer
	if err := tenants.Own(a.sc, a.tx.NewSelect().Model(&found)).Where("o.id IN (?)", bun.In(ids)).Scan(a.ctx); err != nil {
		return err
	}
	var zh, en []string
	for _, id := range ids {
		i := slices.IndexFunc(found, func(o elements.Officer) bool { return o.ID == id })
		if i < 0 {
			return errs.E(errs.Invalid, "执法人员不存在", "no such officer").
				WithFields(errs.Field("officer_ids", "不是本租户的执法人员："+id, "not an officer of this tenant: "+id))
		}
		o := found[i]
		if o.BodyID != a.c.BodyID {
			return refuse(rule, "%s 不是本案执法主体的执法人员", "%s is not an officer of the case's enforcement body", o.Name)
		}
		if !o.Certificate.ValidOn(a.on) {
			why := o.Certificate.Explain(a.on)
			zh, en = append(zh, o.Name+"（"+why.ZH+"）"), append(en, o.Name+" ("+why.EN+")")
		}
	}
	if len(zh) > 0 {
		return rules.Refusal(rule,
			fmt.Sprintf("执法人员须持有在 %s 有效的执法证（%s）：%s", a.on, rules.RefCite(rule).Screen(), strings.Join(zh, "；")),
			fmt.Sprintf("officers must hold a certificate valid on %s (%s Art. %s): %s", a.on, rule.Law, rule.Article, strings.Join(en, "; ")))
	}
	a.record("officers", ids)
	return nil
}

// officerExists checks that id is an officer of the case's tenant, and returns it.
func (a *act) officerExists(field, id string) (*elements.Officer, error) {
	o := new(elements.Officer)
	if err := tenants.Own(a.sc, a.tx.NewSelect().Model(o)).Where("o.id = ?", id).Scan(a.ctx); err != nil {
		return nil, errs.E(errs.Invalid, "执法人员不存在", "no such officer").
			WithFields(errs.Field(field, "不是本租户的执法人员", "not an officer of this tenant"))
	}
	return o, nil
}

// input returns the step's body as T.
func input[T Input](a *act) T { return a.in.(T) }

// when resolves the step's day and moment from Common: At wins; then On (now when On is today,
// else midday of On, so that a step recorded by its day alone is neither at night nor a day off
// for the hour-based rules); then now.
func when(c *Common, now time.Time) (civil.Date, time.Time) {
	switch {
	case c.At != nil:
		return civil.DateOf(*c.At), *c.At
	case c.On != "":
		if c.On == civil.DateOf(now) {
			return c.On, now
		}
		return c.On, c.On.Time().Add(12 * time.Hour)
	}
	return civil.DateOf(now), now
}

// checkChronology refuses a step dated in the future, or before the case's last recorded step.
func checkChronology(c *Case, on civil.Date, at, now time.Time) error {
	if at.After(now.Add(5 * time.Minute)) {
		return errs.E(errs.Invalid, "日期不能晚于今天", "a step cannot be dated in the future").
			WithFields(errs.Field("on", "晚于当前时间", "after the present"))
	}
	if last := c.Facts.LastOn; last != "" && on.Before(last) {
		return errs.E(errs.Invalid, fmt.Sprintf("日期不能早于本案上一步骤（%s）", last), fmt.Sprintf("a step cannot be dated before the case's previous one (%s)", last)).
			WithFields(errs.Field("on", "早于上一步骤", "before the previous step"))
	}
	return nil
}
