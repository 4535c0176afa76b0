package cases

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"zhifa/modules/documents"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/money"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

// A case as its proven party may see it (PartyView, partyview.go: the public status, the
// deadlines that run against the party with their articles, the documents served or issued to the
// party, the steps and their days — never officers' notes, evidence or internal records), the
// PDFs of those documents, and the party's entries on the record (RecordPartyEntry). The citizen
// portal, which consumes them, builds the party scope (authz.Citizen) only after the party proved
// who they are; every method here needs party.act.

// The party's entries on the record, each an event taken by the party through the portal.
const (
	ActConsentSigned          Action = Action(EntryConsentSigned)          // 签署电子送达确认书
	ActEvaluated              Action = Action(EntryEvaluated)              // 公众评议
	ActReconsiderationApplied Action = Action(EntryReconsiderationApplied) // 申请行政复议
	ActReconsiderationSent    Action = Action(EntryReconsiderationSent)    // 复议申请已送达复议机关
)

// partySteps defines the party's entries from the portal.
func partySteps() []*actionDef {
	var s steps
	s.define(&actionDef{Action: ActConsentSigned, Title: msg("当事人签署电子送达确认书", "the party consented to electronic delivery"), Rule: ruleEDelivery})
	s.define(&actionDef{Action: ActEvaluated, Title: msg("当事人评议执法", "the party evaluated the enforcement")})
	s.define(&actionDef{Action: ActReconsiderationApplied, Title: msg("当事人申请行政复议", "the party applied for reconsideration"), Rule: catalogueRef(rules.RemedyReconsideration)})
	s.define(&actionDef{Action: ActReconsiderationSent, Title: msg("复议申请已送达复议机关", "the application reached the reconsideration authority")})
	return s
}

// partyEntryInput is what the event of a party's entry records.
type partyEntryInput struct {
	Common
	Entry PartyEntry `json:"entry"`
}

// Validate accepts the entry as RecordPartyEntry checked it.
func (in *partyEntryInput) Validate() error { return nil }

// stateTitles name the states for the party.
var stateTitles = map[State]errs.Msg{
	StateLead: msg("案源核查中", "lead under review"), StateVerified: msg("已核查", "lead verified"), StateFiled: msg("已立案", "case filed"),
	StateInvestigating: msg("调查取证中", "under investigation"), StateReported: msg("调查终结", "investigation concluded"),
	StateProposed: msg("拟作出处罚", "penalty proposed"), StateNotified: msg("已告知拟处罚及权利", "told of the proposed penalty and rights"),
	StateHearingRequested: msg("已申请听证", "hearing requested"), StateHearingScheduled: msg("已通知听证", "hearing scheduled"),
	StateHearingHeld: msg("已举行听证", "hearing held"), StateInReview: msg("法制审核中", "in legal review"), StateReviewed: msg("法制审核通过", "legal review passed"),
	StateDiscussed: msg("已集体讨论", "discussed"), StateDecided: msg("已作出处罚决定（待送达）", "decided, to be served"),
	StateServed: msg("处罚决定已送达", "decision served"), StatePaid: msg("已缴纳 / 已履行", "paid / performed"), StateEnforcing: msg("强制执行中", "under enforcement"),
	StateNotPenalised: msg("不予行政处罚", "not penalised"), StateSuspended: msg("中止", "suspended"), StateTerminated: msg("终止", "terminated"),
	StateTransferred: msg("已移送", "transferred"), StateClosed: msg("已结案", "closed"), StateArchived: msg("已归档", "archived"),
	StateOnSite: msg("现场处置中", "on site"), StatePlanned: msg("已计划检查", "inspection planned"), StateInspected: msg("已检查", "inspected"),
	StateCorrecting: msg("责令整改中", "correction ordered"), StateRequested: msg("强制措施待批准", "measure requested"),
	StateApproved: msg("强制措施已批准", "measure approved"), StateEmergency: msg("当场实施强制措施", "measure taken in an emergency"),
	StateInForce: msg("强制措施实施中", "measure in force"), StateHandled: msg("强制措施已处理", "measure handled"), StateReleased: msg("强制措施已解除", "measure released"),
	StatePending: msg("待催告", "awaiting the demand"), StateDemanded: msg("已催告履行", "performance demanded"),
	StateCourtApplied: msg("已申请法院强制执行", "court enforcement applied for"), StateExecuted: msg("已强制执行", "enforced"),
}

// partyDocumentKinds are the documents addressed to the party; the others (the filing form, the
// records, the legal review, the closing report, the transfer) are internal.
var partyDocumentKinds = []string{string(documents.TypePriorNotice), string(documents.TypeHearingNotice), string(documents.TypePenaltyDecision),
	string(documents.TypeSummaryDecision), string(documents.TypeNotPenalised), string(documents.TypeCorrectionOrder),
	string(documents.TypePreservationNotice), string(documents.TypeSeizureDecision), string(documents.TypeFreezeDecision),
	string(documents.TypeMeasureExtension), string(documents.TypeMeasureRelease), string(documents.TypeDemandNotice),
	string(documents.TypeSurchargeDecision), string(documents.TypeEDeliveryConsent), KindFiscalReceipt}

// partyHiddenSteps are the steps the public history leaves out: the body's internal deliberation.
var partyHiddenSteps = []Action{ActAddEvidence, ActFlag, ActSubmitReview, ActPassReview, ActReturnReview, ActDiscuss, ActRecuse,
	ActExtend, ActExclude}

// mayParty refuses a scope that is not the proven party's.
func mayParty(sc tenants.Scope) error { return mayEnter(sc, false, authz.PartyAct) }

// CaseByCode returns the case with the public code in the scope's tenant (the code names its
// tenant: another tenant's code is NotFound), as its party sees it, inside tx. party.act. Returns
// NotFound (no such case, a malformed code).
func (s *Service) CaseByCode(ctx context.Context, tx bun.IDB, sc tenants.Scope, code string) (*PartyView, error) {
	if err := mayParty(sc); err != nil {
		return nil, err
	}
	code = strings.ToUpper(strings.TrimSpace(code))
	if !ValidCode(code) || !strings.HasPrefix(code, "ZF"+sc.TenantID()+"-") {
		return nil, errs.ErrNotFound
	}
	ctx = tenants.WithScope(ctx, sc)
	c := new(Case)
	if err := tenants.Own(sc, tx.NewSelect().Model(c)).Where("c.code = ?", code).Scan(ctx); err != nil {
		return nil, dbx.NotFound(err)
	}
	return s.partyView(ctx, tx, sc, c)
}

// PartyCase returns a case as its party sees it, inside tx. party.act. Returns Invalid (malformed
// ID) or NotFound.
func (s *Service) PartyCase(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string) (*PartyView, error) {
	if err := mayParty(sc); err != nil {
		return nil, err
	}
	if err := checkID("case_id", caseID); err != nil {
		return nil, err
	}
	ctx = tenants.WithScope(ctx, sc)
	c, err := findCase(ctx, tx, sc, caseID)
	if err != nil {
		return nil, err
	}
	return s.partyView(ctx, tx, sc, c)
}

// partyView assembles the party's view of c.
func (s *Service) partyView(ctx context.Context, tx bun.IDB, sc tenants.Scope, c *Case) (*PartyView, error) {
	f := &c.Facts
	v := &PartyView{ID: c.ID, TenantID: c.TenantID, Code: c.Code, Title: c.Title, Kind: string(c.Kind), State: string(c.State),
		StateTitle: stateTitles[c.State], BodyID: c.BodyID, PartyKind: string(f.Party.Kind), PartyName: f.Party.Name,
		PartyAddress: f.Party.Address, PartyPhone: f.Party.Phone,
		PartyKey:  strings.ToUpper(firstNonEmpty(f.Party.IDNumber, f.Party.USCC)),
		Deadlines: []PartyDeadline{}, Documents: []PartyDocumentView{}, History: []PartyHistoryEntry{}, Remedies: []PartyRemedy{}}
	var err error
	if v.BodyName, err = bodyName(ctx, tx, sc, c.BodyID); err != nil {
		return nil, err
	}
	if d := f.Decision; d != nil {
		dv := &PartyDecision{Number: d.Number, On: d.On, FineFen: d.Penalty.FineFen, Basis: d.Penalty.Basis, Facts: d.Facts, Types: []string{}, TypeTitles: []string{}}
		for _, t := range d.Penalty.Types {
			dv.Types = append(dv.Types, string(t))
			dv.TypeTitles = append(dv.TypeTitles, firstNonEmpty(penaltyZH[t], string(t)))
		}
		if del := f.Delivery; del != nil {
			dv.ServedOn, dv.PayDue = del.ServedOn, del.PayDue
		}
		if r := f.Revision; r != nil {
			dv.Revoked = r.Outcome == RevisionRevoked
			if r.Outcome == RevisionReduced {
				fine := r.FineFen
				dv.ReducedTo = &fine
			}
		}
		v.Decision = dv
	}
	a := s.probe(ctx, tx, sc, c)
	if v.Deadlines, err = a.partyDeadlines(); err != nil {
		return nil, err
	}
	for _, d := range f.Documents {
		if !slices.Contains(partyDocumentKinds, d.Kind) {
			continue
		}
		v.Documents = append(v.Documents, PartyDocumentView{ID: d.ID, Kind: d.Kind, Title: documents.Type(d.Kind).Name(), Number: d.Number,
			IssuedOn: d.IssuedOn, ServedOn: d.ServedOn})
	}
	evs, err := caseEvents(ctx, tx, sc, c.ID)
	if err != nil {
		return nil, err
	}
	for _, ev := range evs {
		if slices.Contains(partyHiddenSteps, ev.Action) {
			continue
		}
		title := openedTitles[c.Kind]
		if def, ok := s.steps[ev.Action]; ok {
			title = def.Title
		}
		v.History = append(v.History, PartyHistoryEntry{On: ev.OnDate, Title: title})
	}
	for _, r := range f.Remedies {
		v.Remedies = append(v.Remedies, PartyRemedy{Kind: r.Kind, Ref: r.Ref, From: r.From, To: r.To, Outcome: r.Outcome, Body: r.Body})
	}
	if e := f.Evaluation; e != nil {
		on := e.On
		v.Evaluated = &on
	}
	v.Payable = f.outstanding() > 0 && ((c.Kind == KindGeneral || c.Kind == KindSummary) && c.State == StateServed ||
		c.Kind == KindEnforcement && c.State == StateDemanded)
	if v.Reconsider, err = a.reconsiderInfo(); err != nil {
		return nil, err
	}
	return v, nil
}

// partyDeadlines are the periods that run against the party now, computed by the rules engine as
// on the officer's page: the hearing request and the statement after a prior notice; the payment
// (Art. 67, or the approved plan's instalments, Art. 66 ¶2) while the fine is unpaid; the
// statement after a demand; reconsideration and litigation once the decision is served.
func (a *act) partyDeadlines() ([]PartyDeadline, error) {
	f, st := a.facts(), a.c.State
	out := []PartyDeadline{}
	add := func(key, id string, from civil.Date, title *errs.Msg) error {
		d, err := a.deadline(id, from.Time(), "")
		if err != nil {
			return err
		}
		pd := PartyDeadline{Key: key, Title: d.Title, Due: civil.Date(d.Due), Article: d.Cite, How: d.Counted.Explanation.ZH}
		if title != nil {
			pd.Title = *title
		}
		if d.Status == DueUnknown {
			pd.How = d.Adjusted.ZH
			if raw := rawPartyEnd(id, from); raw != "" {
				// the end-day shift can only lengthen the period: the raw end is surely in time
				pd.Due = raw
				pd.How = fmt.Sprintf("至少至 %s；%s，届满日如逢法定休假日将顺延（%s）", raw, d.Adjusted.ZH, rules.EndDayShift.Screen())
			}
		}
		pd.Passed = pd.Due != "" && a.today.After(pd.Due)
		out = append(out, pd)
		return nil
	}
	if n := f.Notice; st == StateNotified && n != nil && n.ServedOn != "" {
		if n.HearingRight && !n.HearingWaived && f.Hearing == nil {
			if err := add("hearing_request", rules.PenaltyHearingRequest, n.ServedOn, nil); err != nil {
				return nil, err
			}
		}
		d, err := a.statementDeadline(n.ServedOn, rules.StatementRight.Screen())
		if err != nil {
			return nil, err
		}
		out = append(out, *d)
	}
	if e := f.Enforcement; a.c.Kind == KindEnforcement && st == StateDemanded && e.DemandedOn != "" {
		d, err := a.statementDeadline(e.DemandedOn, rules.DemandStatement.Screen())
		if err != nil {
			return nil, err
		}
		out = append(out, *d)
	}
	del := f.Delivery
	if del == nil || f.Decision == nil || f.Revision != nil && f.Revision.Outcome == RevisionRevoked {
		return out, nil
	}
	if st == StateServed && f.outstanding() > 0 {
		if p := f.Plan; p != nil {
			for _, in := range p.Instalments {
				if in.PaidOn != "" {
					continue
				}
				title := msg("暂缓缴纳罚款", "deferred payment of the fine")
				if p.Kind == PlanInstalments {
					title = msg(fmt.Sprintf("分期缴纳罚款（第%d期，共%d期）%s", in.Seq, len(p.Instalments), money.Fen(in.AmountFen)),
						fmt.Sprintf("instalment %d of %d, %s", in.Seq, len(p.Instalments), money.Fen(in.AmountFen)))
				}
				out = append(out, PartyDeadline{Key: "payment", Title: title, Due: in.DueOn, Article: rules.PaymentPlan.Screen(),
					How: fmt.Sprintf("经当事人申请，行政机关于 %s 批准", p.ApprovedOn), Passed: a.today.After(in.DueOn)})
			}
		} else if del.PayDue != "" {
			if err := add("payment", rules.PenaltyPayment, del.ServedOn, nil); err != nil {
				return nil, err
			}
		}
	}
	if f.pendingRemedy(RemedyReconsideration) < 0 && !slices.ContainsFunc(f.Remedies, func(r Remedy) bool { return r.Kind == RemedyReconsideration }) {
		if err := add("reconsideration", rules.RemedyReconsideration, del.ServedOn, nil); err != nil {
			return nil, err
		}
	}
	if f.pendingRemedy(RemedyLitigation) < 0 {
		if err := add("litigation", rules.RemedyLitigation, del.ServedOn, nil); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// statementDeadline is the period to state a defence after a notice served on from: the body's
// setting in working days (rules.PenaltyStatement), counted on the rules engine's calendar.
func (a *act) statementDeadline(from civil.Date, basis string) (*PartyDeadline, error) {
	st, err := a.dueOn(rules.PenaltyStatement, from)
	if err != nil {
		return nil, err
	}
	d := day(st.Due)
	return &PartyDeadline{Key: "statement", Title: msg("陈述、申辩", "statement and defence"), Due: d, Article: basis,
		How: fmt.Sprintf("自 %s 收到之日起 %d 个工作日（法定节假日不计，调休上班日计入）", from, st.Amount), Passed: a.today.After(d)}, nil
}

// rawPartyEnd is the end of a calendar-day or month period counted from from, before any end-day
// shift, or "" for another unit.
func rawPartyEnd(id string, from civil.Date) civil.Date {
	r, ok := rules.Lookup(id)
	switch {
	case !ok:
		return ""
	case r.Unit == rules.CalendarDay:
		return day(rules.CalendarDaysAfter(from.Time(), r.Amount))
	case r.Unit == rules.Month:
		return day(rules.MonthsAfter(from.Time(), r.Amount))
	}
	return ""
}

// reconsiderDue is the last day to apply for reconsideration of the served decision (行政复议法
// Art. 20), or "" when no decision was served. When the year the period ends in has no holiday
// notice loaded yet, it is the raw end (60 calendar days, not moved off a rest day) and exact is
// false: the end-day shift of 民法典 Art. 203 can only lengthen the period, so a day up to the raw
// end is surely in time, and a later one cannot be decided yet.
func (a *act) reconsiderDue() (due civil.Date, exact bool, err error) {
	f := a.facts()
	if f.Decision == nil || f.Delivery == nil || f.Delivery.ServedOn == "" {
		return "", true, nil
	}
	d, err := a.dueOn(rules.RemedyReconsideration, f.Delivery.ServedOn)
	if _, unknown := rules.UnknownYear(err); unknown {
		return rawPartyEnd(rules.RemedyReconsideration, f.Delivery.ServedOn), false, nil
	}
	if err != nil {
		return "", false, err
	}
	return day(d.Due), true, nil
}

// reconsiderInfo says whether the party may still apply for reconsideration: a served decision,
// within the period, none applied for yet; and to whom (the body's setting, else the people's
// government of the tenant, 行政复议法 Art. 24).
func (a *act) reconsiderInfo() (ReconsiderInfo, error) {
	out := ReconsiderInfo{Article: rules.MustLookup(rules.RemedyReconsideration).Cite().Screen()}
	due, _, err := a.reconsiderDue()
	if err != nil || due == "" {
		return out, err
	}
	f := a.facts()
	out.Due = due
	revoked := f.Revision != nil && f.Revision.Outcome == RevisionRevoked
	out.Open = !a.today.After(due) && !revoked && !slices.ContainsFunc(f.Remedies, func(r Remedy) bool { return r.Kind == RemedyReconsideration })
	dd := &docData{s: a.s, ctx: a.ctx, tx: a.tx, sc: a.sc, c: a.c, f: f}
	m, err := dd.remedies()
	if err != nil {
		return out, err
	}
	out.Authority, _ = m["reconsideration_to"].(string)
	return out, nil
}

// PartyDocument returns the signed PDF of a document addressed to the party of the case (listed
// on the case, not an internal record), read from the documents module under a platform scope
// this method derives after checking the document belongs to the case. party.act. Returns
// Invalid (malformed IDs), NotFound (no such case or document, another case's or an internal
// one), Unavailable (no documents module).
func (s *Service) PartyDocument(ctx context.Context, sc tenants.Scope, caseID, documentID string) ([]byte, DocumentFile, error) {
	var file DocumentFile
	if err := mayParty(sc); err != nil {
		return nil, file, err
	}
	if err := checkID("case_id", caseID); err != nil {
		return nil, file, err
	}
	if err := checkID("document_id", documentID); err != nil {
		return nil, file, err
	}
	if s.docs == nil {
		return nil, file, errs.E(errs.Unavailable, "文书服务未启用", "documents are not available")
	}
	var ref *DocumentRef
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		c, err := findCase(ctx, tx, sc, caseID)
		if err != nil {
			return err
		}
		ref = c.Facts.documentByID(documentID)
		if ref == nil || !slices.Contains(partyDocumentKinds, ref.Kind) {
			return errs.ErrNotFound
		}
		return nil
	})
	if err != nil {
		return nil, file, err
	}
	platform := tenants.NewScope(&tenants.Tenant{ID: sc.TenantID(), Path: sc.Path()}, "party:"+sc.Actor(), []authz.Role{authz.Platform}, nil)
	pdf, doc, err := s.docs.PDF(ctx, platform, documentID)
	if err != nil {
		return nil, file, err
	}
	if doc.CaseID != caseID {
		return nil, file, errs.ErrNotFound
	}
	title := documents.Type(ref.Kind).Name()
	file = DocumentFile{FileName: firstNonEmpty(doc.Number, title) + ".pdf", Title: title, Number: doc.Number}
	return pdf, file, nil
}

// RecordPartyEntry enters the party's entry e on the case's record inside tx, once per kind and
// reference (a repeated entry adds nothing): consent_signed (the party's consent to electronic
// delivery), evaluated (once per case: another evaluation is Conflict), reconsideration_applied
// (opens a pending reconsideration from e.On, during which the surcharge does not accrue, Art. 73;
// refused after the 60 days of 行政复议法 Art. 20 counted from the day the decision was served,
// and while one is pending or decided), reconsideration_sent. party.act. Returns Invalid,
// NotFound, Conflict, FailedPrecondition.
func (s *Service) RecordPartyEntry(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string, e PartyEntry) error {
	if err := mayParty(sc); err != nil {
		return err
	}
	var p problems
	p.oneOf("kind", string(e.Kind), true, string(EntryConsentSigned), string(EntryEvaluated),
		string(EntryReconsiderationApplied), string(EntryReconsiderationSent))
	p.text("ref", &e.Ref, maxShort, true)
	p.date("on", e.On, e.At.IsZero())
	if e.On == "" && !e.At.IsZero() {
		e.On = civil.DateOf(e.At)
	}
	if err := p.err(); err != nil {
		return err
	}
	return s.enter(ctx, tx, sc, caseID, func(ctx context.Context, c *Case) (*act, error) {
		f := &c.Facts
		if f.partyEntered(string(e.Kind), e.Ref) {
			return nil, nil
		}
		a := s.entry(ctx, tx, sc, c, Action(e.Kind), &partyEntryInput{Entry: e}, e.On, e.At)
		a.at = a.at.UTC()
		if a.on.After(a.today) {
			return nil, errs.E(errs.Invalid, "日期不能晚于今天", "the entry cannot be dated in the future").WithFields(errs.Field("on", "晚于今天", "after today"))
		}
		var err error
		switch e.Kind {
		case EntryConsentSigned:
			f.Party.EDeliveryConsent = true
		case EntryEvaluated:
			err = a.evaluated(e)
		case EntryReconsiderationApplied:
			err = a.reconsiderationApplied(e)
		case EntryReconsiderationSent:
			if i := slices.IndexFunc(f.Remedies, func(r Remedy) bool { return r.Kind == RemedyReconsideration && r.Ref == e.Ref }); i >= 0 {
				f.Remedies[i].SentOn = a.on
			}
		}
		if err != nil {
			return nil, err
		}
		f.PartyEntries = append(f.PartyEntries, PartyEntryRef{Kind: string(e.Kind), Ref: e.Ref, On: a.on})
		return a, nil
	})
}

// evaluated records the party's evaluation: a rating of 1 to 5 and a comment, once per case.
func (a *act) evaluated(e PartyEntry) error {
	f := a.facts()
	if f.Evaluation != nil {
		return errs.E(errs.Conflict, fmt.Sprintf("本案已于 %s 评议，每案只能评议一次", f.Evaluation.On),
			fmt.Sprintf("the case was evaluated on %s: one evaluation per case", f.Evaluation.On))
	}
	rating, ok := wholeNumber(e.Data["rating"])
	if !ok || rating < 1 || rating > 5 {
		return errs.E(errs.Invalid, "评分须为1至5", "the rating is 1 to 5").WithFields(errs.Field("rating", "1至5", "1 to 5"))
	}
	comment, _ := e.Data["comment"].(string)
	comment = strings.TrimSpace(comment)
	if utf8.RuneCountInString(comment) > maxText {
		return errs.E(errs.Invalid, "评议内容过长", "the comment is too long").WithFields(errs.Field("comment", fmt.Sprintf("不超过 %d 字", maxText), fmt.Sprintf("at most %d characters", maxText)))
	}
	f.Evaluation = &Evaluation{Rating: rating, Comment: comment, On: a.on, Ref: e.Ref}
	a.record("rating", rating)
	return nil
}

// wholeNumber reads a JSON number (or an int) that is whole.
func wholeNumber(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		return int(n), true
	case float64:
		return int(n), n == math.Trunc(n) && math.Abs(n) < 1e6
	case json.Number:
		i, err := n.Int64()
		return int(i), err == nil
	}
	return 0, false
}

// reconsiderationApplied opens a pending reconsideration from the day applied: within 60 days of
// the day the decision was served (行政复议法 Art. 20), none pending or decided before.
func (a *act) reconsiderationApplied(e PartyEntry) error {
	f := a.facts()
	due, exact, err := a.reconsiderDue()
	if err != nil {
		return err
	}
	rule := catalogueRef(rules.RemedyReconsideration)
	if due == "" {
		return errs.E(errs.FailedPrecondition, "本案没有已送达的处罚决定，不能申请复议", "no decision was served on the case to seek reconsideration of")
	}
	if !exact && a.on.After(due) {
		_, err := a.dueOn(rules.RemedyReconsideration, f.Delivery.ServedOn)
		return err // the year's notice decides whether the period moved past a rest day
	}
	if a.on.After(due) {
		return refuse(rule, "申请行政复议的期限已于 %s 届满（自知道处罚决定之日 %s 起六十日）", "the time to apply for reconsideration ended on %s (60 days from %s, when the decision was served)", due, f.Delivery.ServedOn)
	}
	if i := slices.IndexFunc(f.Remedies, func(r Remedy) bool { return r.Kind == RemedyReconsideration }); i >= 0 {
		r := f.Remedies[i]
		if r.To == "" {
			return refuse(rule, "已于 %s 申请行政复议，尚在审理中", "a reconsideration applied for on %s is pending", r.From)
		}
		return refuse(rule, "本决定已经行政复议（%s 决定）", "the decision was reconsidered already (decided %s)", r.To)
	}
	body, _ := e.Data["body"].(string)
	f.Remedies = append(f.Remedies, Remedy{Kind: RemedyReconsideration, From: a.on, Ref: e.Ref, Body: strings.TrimSpace(body), By: "party"})
	a.record("reconsideration_due", due)
	return nil
}
