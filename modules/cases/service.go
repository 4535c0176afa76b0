package cases

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"zhifa/modules/documents"
	"zhifa/modules/elements"
	"zhifa/modules/exchange/exchangetask"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/httpx"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

// Service is the case engine's use cases: the only thing handlers, tasks and other modules call.
// Every method takes the Scope it acts for right after ctx and runs in one transaction under it;
// another tenant's case is NotFound.
type Service struct {
	db        *bun.DB
	rules     *rules.Engine
	elements  *elements.Service
	uploadDir string
	maxUpload int64
	docs      *documents.Service
	settings  SettingReader
	consents  ConsentSource
	now       func() time.Time
	steps     registry // every action the engine defines (steps.go)
}

// ActResult is what a transition returns: the case after it and the event it appended. A replay
// of the same Idempotency-Key returns the first result with Replayed set.
type ActResult struct {
	Case     *Case  `json:"case"`
	Event    *Event `json:"event"`
	Replayed bool   `json:"replayed"`
}

// mayRead refuses a scope that may not read cases, and a malformed case ID.
func mayRead(sc tenants.Scope, id string) error {
	switch {
	case !sc.Valid():
		return tenants.ErrNoScope
	case !sc.Can(authz.CasesRead):
		return errs.ErrForbidden.WithOp(string(authz.CasesRead))
	}
	return checkID("id", id)
}

// mayAct refuses a scope whose roles do not allow perm, or that cannot write.
func mayAct(sc tenants.Scope, perm authz.Action) error {
	switch {
	case !sc.Valid():
		return tenants.ErrNoScope
	case sc.ReadOnly():
		return tenants.ErrReadOnlyScope
	case sc.TenantID() == "":
		return errs.E(errs.Invalid, "办案须在具体租户下进行", "case handling needs a tenant scope")
	case !sc.Can(perm):
		return errs.ErrForbidden.WithOp(string(perm))
	}
	return nil
}

var errOtherBody = errs.E(errs.Forbidden, "只能办理本执法主体的案件", "you act only for the cases of your own enforcement body")

func checkID(field, id string) error {
	if dbx.ValidID(id) {
		return nil
	}
	return errs.E(errs.Invalid, field+" 不是有效的 ID", field+" is not a valid ID").WithFields(errs.Field(field, "须为 UUID", "must be a UUID"))
}

// MaxKeyLength bounds an Idempotency-Key.
const MaxKeyLength = 128

// checkKey refuses a missing or malformed idempotency key.
func checkKey(key string) error {
	bad := key == "" || len(key) > MaxKeyLength
	for _, r := range key {
		bad = bad || r < 0x21 || r > 0x7e
	}
	if bad {
		return errs.E(errs.Invalid, "每个办案操作须带 Idempotency-Key 请求头（1至128个可见ASCII字符，如 UUID）",
			"every transition needs an Idempotency-Key header (1 to 128 visible ASCII characters, e.g. a UUID)").
			WithFields(errs.Field("Idempotency-Key", "必填", "required"))
	}
	return nil
}

// errKeyReused refuses a key already used for a different request (the IETF Idempotency-Key
// draft answers 422).
var errKeyReused = errs.E(errs.FailedPrecondition, "该 Idempotency-Key 已用于内容不同的请求", "this Idempotency-Key was already used for a different request").
	WithFields(errs.Field("Idempotency-Key", "已被使用", "already used"))

// Create opens a case (a lead, an inspection plan, a coercive measure asked for, an enforcement).
// Officers and body heads (cases.write); a body-bound role only for its bodies. With
// IdempotencyKey set, a repeated creation returns the first result. Returns Invalid (bad fields,
// no such body, matter or officer), Forbidden, FailedPrecondition (key reused; unknown calendar
// year).
func (s *Service) Create(ctx context.Context, sc tenants.Scope, in NewCase) (*ActResult, error) {
	if err := mayAct(sc, authz.CasesWrite); err != nil {
		return nil, err
	}
	if in.IdempotencyKey != "" {
		if err := checkKey(in.IdempotencyKey); err != nil {
			return nil, err
		}
	}
	hash, err := requestHash("", ActCreate, in)
	if err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if !sc.CanFor(authz.CasesWrite, in.BodyID) {
		return nil, errOtherBody
	}
	if err := s.checkRefs(ctx, sc, in); err != nil {
		return nil, err
	}
	return s.run(ctx, sc, in.IdempotencyKey, "", ActCreate, hash, func(ctx context.Context, tx bun.Tx) (*ActResult, error) {
		c, ev, err := s.open(ctx, tx, sc, in, s.now(), "")
		if err != nil {
			return nil, err
		}
		return &ActResult{Case: c, Event: ev}, nil
	})
}

// checkRefs checks, before the transaction, that the body and the matter exist for the scope.
func (s *Service) checkRefs(ctx context.Context, sc tenants.Scope, in NewCase) error {
	if _, err := s.elements.FindBody(ctx, sc, in.BodyID); err != nil {
		if errs.Is(err, errs.NotFound) {
			return errs.E(errs.Invalid, "执法主体不存在", "no such enforcement body").WithFields(errs.Field("body_id", "不是本租户的执法主体", "not a body of this tenant"))
		}
		return err
	}
	if in.MatterID != "" {
		if _, err := s.elements.FindMatter(ctx, sc, in.MatterID); err != nil {
			if errs.Is(err, errs.NotFound) {
				return errs.E(errs.Invalid, "执法事项不存在", "no such enforcement matter").WithFields(errs.Field("matter_id", "不存在", "does not exist"))
			}
			return err
		}
	}
	return nil
}

// Act takes action on a case with body (a JSON document, or a value of the action's input type)
// under an idempotency key: a replay with the same key and body returns the first result and
// writes nothing. The action's permission (cases.write, cases.review or cases.approve) decides
// who may; a body-bound role acts only for its bodies. Returns Invalid (bad body, key or dates),
// NotFound (no such case or action), Forbidden, Conflict (the state does not allow the action, or
// another transition won a race), FailedPrecondition (a rule of law refuses it, naming the rule
// and article; or the key was used for another request).
func (s *Service) Act(ctx context.Context, sc tenants.Scope, caseID string, action Action, key string, body any) (*ActResult, error) {
	def, in, hash, pre, err := s.prepareAct(ctx, sc, caseID, action, key, body)
	if err != nil {
		return nil, s.hidden(ctx, sc, caseID, err)
	}
	return s.run(ctx, sc, key, caseID, action, hash, func(ctx context.Context, tx bun.Tx) (*ActResult, error) {
		c, err := findCase(ctx, tx, sc, caseID)
		if err != nil {
			return nil, err
		}
		a, err := s.begin(ctx, tx, sc, c, def, in)
		if err != nil {
			return nil, err
		}
		a.pre = pre
		if def.check != nil {
			if err := def.check(a); err != nil {
				return nil, err
			}
		}
		if err := def.apply(a); err != nil {
			return nil, err
		}
		return s.commit(a)
	})
}

// prepareAct checks a transition request before its transaction: the action, the scope's right,
// the IDs and key, the body; and looks up what the action needs from other modules.
func (s *Service) prepareAct(ctx context.Context, sc tenants.Scope, caseID string, action Action, key string, body any) (*actionDef, Input, string, any, error) {
	def, ok := s.steps[action]
	if !ok || def.Input == nil {
		return nil, nil, "", nil, errs.Ef(errs.NotFound, "没有办案操作 %s", "no action %s", action)
	}
	if err := mayAct(sc, def.Perm); err != nil {
		return nil, nil, "", nil, err
	}
	if err := checkID("id", caseID); err != nil {
		return nil, nil, "", nil, err
	}
	if err := checkKey(key); err != nil {
		return nil, nil, "", nil, err
	}
	in := def.Input()
	if err := decodeInput(body, in); err != nil {
		return nil, nil, "", nil, err
	}
	hash, err := requestHash(caseID, action, in)
	if err != nil {
		return nil, nil, "", nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, nil, "", nil, err
	}
	var pre any
	if def.prepare != nil {
		if pre, err = def.prepare(ctx, s, sc, in); err != nil {
			return nil, nil, "", nil, err
		}
	}
	return def, in, hash, pre, nil
}

// hidden answers NotFound for a request about a case the scope cannot see, whatever else is wrong
// with the request; otherwise it returns err. Only failed requests pay for the lookup.
func (s *Service) hidden(ctx context.Context, sc tenants.Scope, caseID string, err error) error {
	if err == nil || !sc.Valid() || !dbx.ValidID(caseID) || errs.Is(err, errs.NotFound) || errs.Is(err, errs.Internal) {
		return err
	}
	if !s.visible(ctx, sc, caseID) {
		return errs.ErrNotFound
	}
	return err
}

// visible reports whether the scope can see the case.
func (s *Service) visible(ctx context.Context, sc tenants.Scope, caseID string) bool {
	found := false
	_ = tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		_, err := findCase(ctx, tx, sc, caseID)
		found = err == nil
		return nil
	})
	return found
}

// begin starts a transition of c: the machine must allow the action in the case's state, the
// scope's role allowing the step must reach the case's body, and the step's date must follow the
// case's last one.
func (s *Service) begin(ctx context.Context, tx bun.IDB, sc tenants.Scope, c *Case, def *actionDef, in Input) (*act, error) {
	if !sc.CanFor(def.Perm, c.BodyID) {
		return nil, errOtherBody
	}
	e, ok := next(c.Kind, c.State, def.Action)
	if !ok {
		return nil, outOfOrder(def.Action, c.State)
	}
	now := dbx.Stamp(s.now())
	on, at := when(in.base(), now)
	if err := checkChronology(c, on, at, now); err != nil {
		return nil, err
	}
	a := &act{s: s, ctx: ctx, tx: tx, sc: sc, c: c, def: def, in: in, on: on, at: at, now: now, today: civil.DateOf(now),
		from: c.State, to: e.To}
	if a.to == stay {
		a.to = c.State
	}
	return a, nil
}

// run runs fn in one transaction under sc with the idempotency record of key (when not empty):
// a recorded key with the same request hash replays its response; with another hash it is
// refused; otherwise fn's result is recorded with the key in the same transaction. A Conflict
// (another transition won) is answered with the winner's result when the winner used the same key.
func (s *Service) run(ctx context.Context, sc tenants.Scope, key, caseID string, action Action, hash string,
	fn func(ctx context.Context, tx bun.Tx) (*ActResult, error)) (*ActResult, error) {
	var res *ActResult
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		if key != "" {
			r, err := findRequest(ctx, tx, sc, key)
			if err != nil {
				return err
			}
			if r != nil {
				res, err = replay(ctx, tx, sc, r, hash)
				return err
			}
		}
		out, err := fn(ctx, tx)
		if err != nil {
			return err
		}
		res = out
		if key == "" {
			return nil
		}
		raw, err := json.Marshal(keptResult{Case: out.Case, EventID: out.Event.ID})
		if err != nil {
			return err
		}
		if caseID == "" {
			caseID = out.Case.ID
		}
		r := &request{TenantID: sc.TenantID(), Actor: sc.Actor(), Key: key, CaseID: caseID, Action: action, RequestHash: hash,
			Response: string(raw), CreatedAt: out.Event.At}
		if _, err := tx.NewInsert().Model(r).Exec(ctx); err != nil {
			if dbx.IsUniqueViolation(err) {
				return errConcurrent.WithCause(err)
			}
			return err
		}
		return nil
	})
	if err != nil && key != "" && errs.Is(err, errs.Conflict) {
		var again *ActResult
		rerr := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
			r, ferr := findRequest(ctx, tx, sc, key)
			if ferr != nil || r == nil {
				return ferr
			}
			again, ferr = replay(ctx, tx, sc, r, hash)
			return ferr
		})
		if again != nil || rerr != nil {
			return again, rerr
		}
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

// keptResult is the response kept with an idempotency key: the case as the transition left it, and
// its event (read back on replay: events never change).
type keptResult struct {
	Case    *Case  `json:"case"`
	EventID string `json:"event_id"`
}

// replay returns a recorded response, or refuses a key reused for another request.
func replay(ctx context.Context, tx bun.IDB, sc tenants.Scope, r *request, hash string) (*ActResult, error) {
	if r.RequestHash != hash {
		return nil, errKeyReused
	}
	var st keptResult
	if err := json.Unmarshal([]byte(r.Response), &st); err != nil {
		return nil, err
	}
	ev := new(Event)
	if err := tenants.Own(sc, tx.NewSelect().Model(ev)).Where("e.id = ?", st.EventID).Scan(ctx); err != nil {
		return nil, err
	}
	return &ActResult{Case: st.Case, Event: ev, Replayed: true}, nil
}

// requestHash identifies a request for idempotency: its case, action and canonical body.
func requestHash(caseID string, action Action, in any) (string, error) {
	raw, err := canonical(in)
	if err != nil {
		return "", err
	}
	return sum([]byte(caseID + "\x00" + string(action) + "\x00" + string(raw))), nil
}

// open inserts a new case (and its first event) in tx; parentID links a case opened by another.
func (s *Service) open(ctx context.Context, tx bun.IDB, sc tenants.Scope, in NewCase, now time.Time, parentID string) (*Case, *Event, error) {
	now = dbx.Stamp(now)
	on, at := when(&in.Common, now)
	if at.After(now.Add(5 * time.Minute)) {
		return nil, nil, errs.E(errs.Invalid, "日期不能晚于今天", "a case cannot be opened in the future").WithFields(errs.Field("on", "晚于当前时间", "after the present"))
	}
	var p problems
	if in.Lead != nil && in.Lead.ReceivedOn.After(on) {
		p.add("lead.received_on", "不能晚于立案登记之日", "cannot be after the day the case is opened")
	}
	if in.ActEndedOn.After(on) {
		p.add("act_ended_on", "不能晚于立案登记之日", "cannot be after the day the case is opened")
	}
	if e := in.Enforcement; e != nil && e.RemediesEnd != "" && e.RemediesEnd.Before(e.PayDue) {
		p.add("enforcement.remedies_end", "不能早于履行期限", "cannot be before the payment deadline")
	}
	if err := p.err(); err != nil {
		return nil, nil, err
	}
	if err := officersExist(ctx, tx, sc, in.OfficerIDs); err != nil {
		return nil, nil, err
	}
	c := &Case{ID: dbx.NewID(), TenantID: sc.TenantID(), BodyID: in.BodyID, Kind: in.Kind, State: initial[in.Kind], Version: 1,
		Title: in.Title, PartyKind: in.Party.Kind, PartyName: in.Party.Name, ChainHead: genesis,
		CreatedBy: sc.Actor(), CreatedAt: now, UpdatedAt: now}
	if in.MatterID != "" {
		c.MatterID = &in.MatterID
	}
	if parentID != "" {
		c.ParentID = &parentID
	}
	code, err := uniqueCode(ctx, tx, sc, on)
	if err != nil {
		return nil, nil, err
	}
	c.Code = code
	team := in.OfficerIDs
	if team == nil {
		team = []string{}
	}
	c.Facts = Facts{Party: in.Party, Team: team, OpenedOn: on, Lead: in.Lead, ActEndedOn: in.ActEndedOn, Limitation5: in.Limitation5, LastOn: on}
	if i := in.Inspection; i != nil && in.Kind == KindInspection {
		c.Facts.Inspection = &Inspection{Basis: i.Basis, PlannedOn: on, Checklist: i.Checklist, Remote: i.Remote}
	}
	if m := in.Measure; m != nil && in.Kind == KindCoercion {
		c.Facts.Measure = &Measure{Type: m.Type, Items: m.Items, Reason: m.Reason, AmountFen: m.AmountFen}
	}
	if e := in.Enforcement; e != nil && in.Kind == KindEnforcement {
		c.Facts.Enforcement = &Enforcement{DecisionRef: e.DecisionRef, PrincipalFen: e.PrincipalFen, PayDue: e.PayDue, RemediesEnd: e.RemediesEnd}
	}
	a := &act{s: s, ctx: ctx, tx: tx, sc: sc, c: c, in: &in, on: on, at: at, now: now, today: civil.DateOf(now), to: c.State}
	if parentID != "" {
		a.record("parent", parentID)
	}
	if err := a.backfill(); err != nil {
		return nil, nil, err
	}
	input, err := canonical(in)
	if err != nil {
		return nil, nil, err
	}
	if c.NextDueOn, c.CalendarWait, err = s.nextDue(a); err != nil {
		return nil, nil, err
	}
	ev, err := newEvent(c, sc, ActCreate, "", c.State, on, at, now, input, a.derived, nil, a.late)
	if err != nil {
		return nil, nil, err
	}
	c.LastSeq, c.ChainHead = ev.Seq, ev.Hash
	if err := insertCase(ctx, tx, sc, c, ev); err != nil {
		return nil, nil, err
	}
	if err := a.flush(); err != nil {
		return nil, nil, err
	}
	return c, ev, nil
}

// officersExist refuses IDs that name no officer of the scope's tenant.
func officersExist(ctx context.Context, tx bun.IDB, sc tenants.Scope, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	n, err := tenants.Own(sc, tx.NewSelect().Model((*elements.Officer)(nil))).Where("o.id IN (?)", bun.In(ids)).Count(ctx)
	if err != nil {
		return err
	}
	if int(n) != len(ids) {
		return errs.E(errs.Invalid, "执法人员不存在", "no such officer").WithFields(errs.Field("officer_ids", "含有不是本租户执法人员的 ID", "includes IDs of no officer of this tenant"))
	}
	return nil
}

// backfill records a step handled on paper (补录): the backfill deadline counts from the day the
// obstacle ended (the tenant's setting: Fujian 5, Guangdong 3 working days); a backfill after it
// is recorded late and warned.
func (a *act) backfill() error {
	p := a.in.base().Paper
	if p == nil {
		return nil
	}
	if p.ObstacleEndedOn.After(a.today) {
		return errs.E(errs.Invalid, "障碍消除之日不能晚于今天", "the obstacle cannot end in the future").WithFields(errs.Field("paper.obstacle_ended_on", "晚于今天", "after today"))
	}
	if a.on.After(p.ObstacleEndedOn) {
		return errs.E(errs.Invalid, "纸质办理的步骤应发生在障碍消除之前", "a step handled on paper happened before the obstacle ended").
			WithFields(errs.Field("paper.obstacle_ended_on", "早于该步骤", "before the step"))
	}
	d, err := a.dueOn(rules.CasesBackfill, p.ObstacleEndedOn)
	if err != nil {
		return err
	}
	b := Backfill{Seq: a.c.LastSeq + 1, ObstacleEndedOn: p.ObstacleEndedOn, Due: day(d.Due), EnteredOn: a.today, Late: a.today.After(day(d.Due))}
	a.c.Facts.Backfills = append(a.c.Facts.Backfills, b)
	a.record("backfill_due", b.Due)
	if b.Late {
		a.late, a.c.LateBackfill = true, true
		a.warn("late_backfill", d.Rule.Ref(), "纸质办案信息逾期补录（应于 "+string(b.Due)+" 前）", "a paper-handled step was backfilled late (due "+string(b.Due)+")")
	}
	return nil
}

// commit writes a transition: the children it opened, the case at its next version (or Conflict),
// the event chained to the last one, the team, and the outbox rows, all in the caller's
// transaction.
func (s *Service) commit(a *act) (*ActResult, error) {
	c, f := a.c, &a.c.Facts
	if err := a.backfill(); err != nil {
		return nil, err
	}
	if err := a.issueDocuments(); err != nil {
		return nil, err
	}
	input, err := canonical(a.in)
	if err != nil {
		return nil, err
	}
	for _, ch := range a.children {
		cc, _, err := s.open(a.ctx, a.tx, a.sc, ch.in, a.now, c.ID)
		if err != nil {
			return nil, err
		}
		ch.c = cc
		f.Children = append(f.Children, cc.ID)
		a.record("opened", cc.Code)
	}
	if a.on.After(f.LastOn) {
		f.LastOn = a.on
	}
	version := c.Version
	c.State, c.Version, c.UpdatedAt = a.to, c.Version+1, a.now
	if c.NextDueOn, c.CalendarWait, err = s.nextDue(a); err != nil {
		return nil, err
	}
	ev, err := newEvent(c, a.sc, a.def.Action, a.from, a.to, a.on, a.at, a.now, input, a.derived, a.evidence, a.late)
	if err != nil {
		return nil, err
	}
	c.LastSeq, c.ChainHead = ev.Seq, ev.Hash
	if a.to == StateClosed && a.from != StateClosed {
		enqueue(a, exchangetask.Sync, &exchangetask.SyncCase{CaseID: c.ID, CaseCode: c.Code, BodyID: c.BodyID, Kind: string(c.Kind),
			State: string(a.to), Version: c.Version, ChainHead: c.ChainHead, ClosedOn: a.on})
	}
	if err := updateCase(a.ctx, a.tx, a.sc, c, version); err != nil {
		return nil, err
	}
	if _, err := a.tx.NewInsert().Model(ev).Exec(a.ctx); err != nil {
		if dbx.IsUniqueViolation(err) {
			return nil, errConcurrent.WithCause(err)
		}
		return nil, err
	}
	if a.team != nil {
		if err := writeTeam(a.ctx, a.tx, a.sc, c, true); err != nil {
			return nil, err
		}
	}
	if err := a.flush(); err != nil {
		return nil, err
	}
	return &ActResult{Case: c, Event: ev}, nil
}

// flush writes the transition's outbox rows.
func (a *act) flush() error {
	for _, write := range a.tasks {
		if err := write(); err != nil {
			return err
		}
	}
	a.tasks = nil
	return nil
}

// decodeInput decodes body strictly into in (httpx.DecodeJSON); no body is an empty object.
func decodeInput(body any, in Input) error {
	var raw []byte
	switch b := body.(type) {
	case nil:
	case json.RawMessage:
		raw = b
	case []byte:
		raw = b
	case string:
		raw = []byte(b)
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			return errs.E(errs.Invalid, "无法解析请求体", "cannot encode the body").WithCause(err)
		}
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		raw = []byte("{}")
	}
	return httpx.DecodeJSON(bytes.NewReader(raw), in)
}

// Find returns a case with its running deadlines, its record, its evidence and the actions that
// may follow, the party's identity number masked (Reveal gives it in full, logged). Any staff
// role. Returns Invalid (malformed ID) or NotFound.
func (s *Service) Find(ctx context.Context, sc tenants.Scope, id string) (*Detail, error) {
	if err := mayRead(sc, id); err != nil {
		return nil, err
	}
	var d *Detail
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		c, err := findCase(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		d, err = s.detail(ctx, tx, sc, c)
		return err
	})
	if err != nil {
		return nil, err
	}
	d.Case = maskedCase(d.Case)
	for i := range d.History {
		d.History[i] = maskedEvent(d.History[i])
	}
	d.Documents = []documents.Document{}
	if s.docs != nil && sc.Can(authz.DocumentsRead) {
		if d.Documents, err = s.docs.List(ctx, sc, id); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// List returns a page of the scope's cases, most recently changed first, and how many match.
// Any staff role. Returns Invalid for a bad filter.
func (s *Service) List(ctx context.Context, sc tenants.Scope, f Filter) ([]Summary, int, error) {
	if !sc.Valid() {
		return nil, 0, tenants.ErrNoScope
	}
	if !sc.Can(authz.CasesRead) {
		return nil, 0, errs.ErrForbidden
	}
	var p problems
	if f.State != "" && !knownState(f.State) {
		p.add("state", "未知状态", "unknown state")
	}
	if f.Kind != "" && !f.Kind.Valid() {
		p.add("kind", "未知案件类型", "unknown kind")
	}
	if f.BodyID != "" && !dbx.ValidID(f.BodyID) {
		p.add("body_id", "须为 UUID", "must be a UUID")
	}
	if len(f.Q) > 100 {
		p.add("q", "不超过100字", "at most 100 characters")
	}
	if err := p.err(); err != nil {
		return nil, 0, err
	}
	if f.Limit <= 0 {
		f.Limit = DefaultLimit
	}
	f.Limit, f.Offset = min(f.Limit, MaxLimit), min(max(f.Offset, 0), MaxOffset)
	var out []Summary
	var n int
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		var err error
		out, n, err = listCases(ctx, tx, sc, f, civil.DateOf(s.now()))
		return err
	})
	return out, n, err
}

// knownState reports whether some machine uses s.
func knownState(s State) bool {
	for _, edges := range machines {
		for _, e := range edges {
			if e.To == s || slices.Contains(e.From, s) || slices.Contains(e.Alt, s) {
				return true
			}
		}
	}
	return false
}
