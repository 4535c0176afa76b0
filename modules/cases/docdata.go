package cases

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/uptrace/bun"

	"zhifa/modules/documents"
	"zhifa/modules/elements"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/money"
	"zhifa/modules/kernel/zhnum"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

// The data of a case's documents: the documents module's CaseSource. Each document type declares
// the fields its templates may use (documents.TypeInfo.Fields); docData fills them from the case's
// facts, record, evidence, team, matter and settings as far as they go, and the documents module
// names the required items still missing when it issues. A test (docdata_test.go) keeps every
// type's data within its declared fields.

// DocumentData returns the data of a document of the case for the documents module (its
// CaseSource): the fields typ declares, filled from the case's facts, record, evidence,
// team, matter and settings as far as they go; the documents module names what is missing. It
// runs in the caller's transaction tx, under sc. Any staff role that may read the case. Returns
// Invalid (malformed ID, unknown type) or NotFound.
func (s *Service) DocumentData(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string, typ documents.Type) (map[string]any, error) {
	if err := mayRead(sc, caseID); err != nil {
		return nil, err
	}
	if _, ok := documents.Lookup(typ); !ok {
		return nil, errs.E(errs.Invalid, "未知文书种类", "unknown document type").WithFields(errs.Field("type", "未知", "unknown"))
	}
	c, err := findCase(ctx, tx, sc, caseID)
	if err != nil {
		return nil, err
	}
	if !sc.ActsFor(c.BodyID) {
		return nil, errs.ErrNotFound
	}
	return s.documentData(ctx, tx, sc, c, typ, nil)
}

// docData assembles a document's data from a case inside a transaction. step is the transition
// issuing it, nil otherwise.
type docData struct {
	s        *Service
	ctx      context.Context
	tx       bun.IDB
	sc       tenants.Scope
	c        *Case
	f        *Facts
	step     *act
	officers map[string]elements.Officer
	events   []Event
}

// documentData returns the data of a document of type typ for case c (as a step may have just
// changed it).
func (s *Service) documentData(ctx context.Context, tx bun.IDB, sc tenants.Scope, c *Case, typ documents.Type, step *act) (map[string]any, error) {
	d := &docData{s: s, ctx: ctx, tx: tx, sc: sc, c: c, f: &c.Facts, step: step}
	ids := slices.Clone(c.Facts.Team)
	if h := c.Facts.Hearing; h != nil && h.PresiderID != "" {
		ids = append(ids, h.PresiderID)
	}
	if err := d.loadOfficers(ids); err != nil {
		return nil, err
	}
	m, err := d.common()
	if err != nil {
		return nil, err
	}
	own, err := d.build(typ)
	if err != nil {
		return nil, err
	}
	for k, v := range own {
		m[k] = v
	}
	return m, nil
}

// loadOfficers reads the named officers of the case's tenant.
func (d *docData) loadOfficers(ids []string) error {
	d.officers = map[string]elements.Officer{}
	if len(ids) == 0 {
		return nil
	}
	var os []elements.Officer
	if err := tenants.Own(d.sc, d.tx.NewSelect().Model(&os)).Where("o.id IN (?)", bun.In(ids)).Scan(d.ctx); err != nil {
		return err
	}
	for _, o := range os {
		d.officers[o.ID] = o
	}
	return nil
}

// officerName names an officer by ID, or by account (an event's actor); "" when unknown.
func (d *docData) officerName(id string) string {
	if o, ok := d.officers[id]; ok {
		return o.Name
	}
	var name string
	if err := tenants.Own(d.sc, d.tx.NewSelect().Model((*elements.Officer)(nil))).Column("o.name").
		Where("o.identity_id = ?", id).Limit(1).Scan(d.ctx, &name); err != nil {
		return ""
	}
	return name
}

// teamNames joins the names of the case's team.
func (d *docData) teamNames() string {
	var names []string
	for _, id := range d.f.Team {
		if o, ok := d.officers[id]; ok {
			names = append(names, o.Name)
		}
	}
	return strings.Join(names, "、")
}

// setting reads a setting of the case's body into v; without a settings reader v keeps its default.
func (d *docData) setting(key string, v any) error {
	if d.s.settings == nil {
		return nil
	}
	return d.s.settings.SettingValue(d.ctx, d.tx, d.sc, d.c.BodyID, key, v)
}

// history returns the case's recorded events (read once).
func (d *docData) history() ([]Event, error) {
	if d.events == nil {
		evs, err := caseEvents(d.ctx, d.tx, d.sc, d.c.ID)
		if err != nil {
			return nil, err
		}
		d.events = evs
	}
	return d.events, nil
}

// lastInput decodes the input of the case's last event of action into v; false when there is none.
func (d *docData) lastInput(action Action, v any) (bool, error) {
	evs, err := d.history()
	if err != nil {
		return false, err
	}
	for i := len(evs) - 1; i >= 0; i-- {
		if evs[i].Action != action {
			continue
		}
		var body content
		if err := json.Unmarshal(evs[i].Content, &body); err != nil {
			return false, err
		}
		return true, json.Unmarshal(body.Input, v)
	}
	return false, nil
}

// common is the data every document has: the party, the officers, the case, the body's contact.
func (d *docData) common() (map[string]any, error) {
	p := d.f.Party
	var officers []any
	for _, id := range d.f.Team {
		if o, ok := d.officers[id]; ok {
			officers = append(officers, map[string]any{"name": o.Name, "certificate": o.Certificate.Number})
		}
	}
	cs := map[string]any{"title": d.c.Title} // filed_on only when the case was filed: a document claims no filing that did not happen
	if d.f.FiledOn != "" {
		cs["filed_on"] = dateCN(d.f.FiledOn)
	}
	if d.f.Lead != nil {
		cs["source"] = leadSourceZH[d.f.Lead.Source]
	}
	body := map[string]any{}
	if len(d.f.Team) > 0 {
		if o, ok := d.officers[d.f.Team[0]]; ok {
			body["contact"], body["phone"] = o.Name, o.Phone
		}
	}
	return map[string]any{
		"party": map[string]any{"kind": string(p.Kind), "name": p.Name, "id_number": p.IDNumber, "uscc": p.USCC,
			"address": p.Address, "phone": p.Phone},
		"officers": officers,
		"case":     cs,
		"body":     body,
	}, nil
}

// build is the data of typ's own fields.
func (d *docData) build(typ documents.Type) (map[string]any, error) {
	f := d.f
	switch typ {
	case documents.TypePenaltyDecision, documents.TypeSummaryDecision:
		return d.decision(typ)
	case documents.TypePriorNotice:
		return d.priorNotice()
	case documents.TypeHearingNotice:
		return d.hearingNotice()
	case documents.TypeNotPenalised:
		return d.notPenalised()
	case documents.TypeCorrectionOrder:
		return d.correctionOrder()
	case documents.TypeSeizureDecision, documents.TypeFreezeDecision, documents.TypeMeasureExtension, documents.TypeMeasureRelease:
		return d.measure(typ)
	case documents.TypeDemandNotice, documents.TypeSurchargeDecision:
		return d.enforcement(typ)
	case documents.TypeCaseFiling:
		return d.filing()
	case documents.TypeInspectionRecord:
		return d.inspectionRecord()
	case documents.TypeHearingRecord:
		out := map[string]any{}
		if h := f.Hearing; h != nil {
			out["hearing"] = map[string]any{"held_at": dateCN(h.HeldOn), "place": h.Place, "presider": d.officerName(h.PresiderID),
				"investigators": d.teamNames(), "attendees": f.Party.Name, "record": h.Summary}
		}
		return out, nil
	case documents.TypeLegalReview:
		out := map[string]any{"facts": d.reportFacts()}
		if n := f.Notice; n != nil {
			out["penalty"] = d.penalty(n.Penalty)
		}
		if r := f.Review; r != nil && r.ReviewedOn != "" {
			out["review"] = map[string]any{"items": "执法主体、管辖、程序、事实、证据、法律适用、裁量基准", "opinion": r.Opinion,
				"reviewer": firstNonEmpty(d.officerName(r.Reviewer), r.Reviewer), "reviewed_on": dateCN(r.ReviewedOn)}
		}
		return out, nil
	case documents.TypeClosingReport:
		return d.closing()
	case documents.TypeCaseTransfer:
		out := map[string]any{}
		if t := f.Transfer; t != nil {
			out["transfer"] = map[string]any{"to": t.To, "reason": t.Reason, "basis": rules.Art(rules.LawPenalty, 27).Document()}
		}
		return out, nil
	case documents.TypeDeliveryReceipt:
		return d.deliveryReceipt()
	case documents.TypeEDeliveryConsent:
		return d.consent()
	case documents.TypePreservationNotice:
		return d.preservation()
	}
	return map[string]any{}, nil // 询问笔录 and the like: the case's facts hold no questions and answers
}

// decision is the data of a penalty decision (Art. 59: the party; the facts and the evidence; the
// penalty and its basis; how and by when to pay; the remedies with their periods and where to seek
// them; the agency and the date, which the documents module adds with the seal) and of an
// on-the-spot decision (Art. 52).
func (d *docData) decision(typ documents.Type) (map[string]any, error) {
	f := d.f
	dec := f.Decision
	if dec == nil {
		return map[string]any{}, nil
	}
	remedies, err := d.remedies()
	if err != nil {
		return nil, err
	}
	payment, err := d.payment(dec)
	if err != nil {
		return nil, err
	}
	out := map[string]any{"facts": dec.Facts, "violated": elements.CiteProvisions(dec.Penalty.Violated),
		"penalty": d.penalty(dec.Penalty), "payment": payment, "remedies": remedies}
	if typ == documents.TypePenaltyDecision { // the on-the-spot decision states no evidence list or statements (Art. 52)
		evidence, err := d.evidence()
		if err != nil {
			return nil, err
		}
		opinion := dec.StatementOpinion
		if opinion == "" {
			opinion = f.statementOpinion()
		}
		out["evidence"], out["statements"], out["statement_opinion"] = evidence, d.statements(), opinion
	}
	if typ == documents.TypeSummaryDecision {
		place := dec.Place
		if place == "" && d.step != nil {
			if l := d.step.in.base().Location; l != nil {
				place = fmt.Sprintf("北纬%.5f°，东经%.5f°", l.Lat, l.Lng)
			}
		}
		at := dateCN(dec.On)
		if d.step != nil {
			at = documents.DateTimeCN(d.step.at)
		}
		out["spot"] = map[string]any{"place": place, "at": at}
	}
	return out, nil
}

// priorNotice is the data of the prior notice (Art. 44, 45, 63, 64).
func (d *docData) priorNotice() (map[string]any, error) {
	f := d.f
	var pen Penalty
	hearing := false
	if n := f.Notice; n != nil {
		pen, hearing = n.Penalty, n.HearingRight
	} else if f.Proposal != nil {
		pen = f.Proposal.Penalty
	}
	violated := elements.CiteProvisions(pen.Violated)
	evidence, err := d.evidence()
	if err != nil {
		return nil, err
	}
	statement := 5
	if n := f.Notice; n != nil && n.StatementDays > 0 {
		statement = n.StatementDays // the period the notice gave when it was served
	} else if err := d.setting(SettingStatementWorkingDays, &statement); err != nil {
		return nil, err
	}
	r, _ := rules.Lookup(rules.PenaltyHearingRequest)
	notice := map[string]any{"statement_days": statement, "hearing_right": hearing}
	if hearing {
		notice["hearing_days"] = r.Amount
	}
	return map[string]any{"facts": d.reportFacts(), "evidence": evidence, "violated": violated, "penalty": d.penalty(pen), "notice": notice}, nil
}

// hearingNotice is the data of the hearing notice (Art. 63, 64).
func (d *docData) hearingNotice() (map[string]any, error) {
	f := d.f
	out := map[string]any{}
	if n := f.Notice; n != nil {
		out["penalty"] = d.penalty(n.Penalty)
	}
	r, _ := rules.Lookup(rules.PenaltyHearingRequest)
	hearing := map[string]any{"request_days": r.Amount}
	if h := f.Hearing; h != nil && h.RequestedOn != "" {
		hearing["requested_on"] = dateCN(h.RequestedOn)
	}
	if h := f.Hearing; h != nil && h.ScheduledOn != "" {
		hearing["scheduled_at"], hearing["place"], hearing["presider"] = dateCN(h.ScheduledOn), h.Place, d.officerName(h.PresiderID)
	}
	out["hearing"] = hearing
	return out, nil
}

// notPenalised is the data of a decision not to penalise (Art. 30, 31, 33, 36, 57).
func (d *docData) notPenalised() (map[string]any, error) {
	np := d.f.NotPenalised
	evidence, err := d.evidence()
	if err != nil {
		return nil, err
	}
	remedies, err := d.remedies()
	if err != nil {
		return nil, err
	}
	out := map[string]any{"facts": d.reportFacts(), "evidence": evidence, "remedies": remedies}
	if np != nil {
		if out["facts"] == "" {
			out["facts"] = np.Reason
		}
		out["not_penalised"] = map[string]any{"ground": np.Ground, "reason": np.Reason, "basis": notPenalisedBasis[np.Ground], "education": np.Education}
	}
	return out, nil
}

// correctionOrder is the data of an order to correct after an inspection (行政处罚法 Art. 28).
func (d *docData) correctionOrder() (map[string]any, error) {
	insp := d.f.Inspection
	if insp == nil {
		return map[string]any{}, nil
	}
	articles, err := d.matterArticles()
	if err != nil {
		return nil, err
	}
	basis := articles
	if basis == "" {
		basis = rules.Art(rules.LawPenalty, 28, 1).Document()
	}
	return map[string]any{"facts": insp.Findings, "violated": firstNonEmpty(insp.Violated, articles),
		"correction": map[string]any{"requirement": "改正上述违法行为", "deadline": dateCN(insp.CorrectBy), "basis": basis}}, nil
}

// measure is the data of the decisions of a coercive measure: to seal up or seize (with the list,
// 行政强制法 Art. 24), to freeze (Art. 31), to extend its term (Art. 25, 32), to release it (Art. 28, 33).
func (d *docData) measure(typ documents.Type) (map[string]any, error) {
	m := d.f.Measure
	if m == nil {
		return map[string]any{}, nil
	}
	kindText := map[MeasureType]string{MeasureSeal: "查封", MeasureSeize: "扣押", MeasureFreeze: "冻结"}[m.Type]
	articles, err := d.matterArticles()
	if err != nil {
		return nil, err
	}
	item := map[MeasureType]int{MeasureSeal: 2, MeasureSeize: 3, MeasureFreeze: 4}[m.Type] // 行政强制法 Art. 9's kinds of measures
	basis := firstNonEmpty(articles, rules.Art(rules.LawCoercion, 9, 0, item).Document())
	ends := measureEnds(d.f, civil.DateOf(d.s.now()))
	original := "本机关作出的" + kindText + "决定（案件编码 " + d.c.Code + "）"
	origType := documents.TypeSeizureDecision
	if m.Type == MeasureFreeze {
		origType = documents.TypeFreezeDecision
	}
	if ref := d.f.document(string(origType)); ref != nil && ref.Number != "" {
		original = ref.Number
	}
	items := []any{map[string]any{"name": m.Items}}
	switch typ {
	case documents.TypeSeizureDecision, documents.TypeFreezeDecision:
		remedies, err := d.remedies()
		if err != nil {
			return nil, err
		}
		mm := map[string]any{"reason": m.Reason, "basis": basis, "term_days": m.TermDays, "from": dateCN(m.TakenOn), "to": dateCN(ends)}
		out := map[string]any{"measure": mm, "remedies": remedies}
		if m.Type == MeasureFreeze { // a freeze names the account and the amount, not a list of things
			mm["account"], mm["amount_text"] = m.Items, "人民币"+money.Fen(m.AmountFen).Capital()
		} else {
			mm["kind_text"], out["items"] = kindText, items
		}
		return out, nil
	case documents.TypeMeasureExtension:
		article := rules.Art(rules.LawCoercion, 25, 1)
		if m.Type == MeasureFreeze {
			article = rules.Art(rules.LawCoercion, 32, 1)
		}
		return map[string]any{"measure": map[string]any{"kind_text": kindText, "original_ref": original, "reason": m.ExtensionReason,
			"extension_days": m.ExtendedDays, "to": dateCN(ends), "basis": article.Document()}}, nil
	default: // release
		article := rules.Art(rules.LawCoercion, 28, 1)
		if m.Type == MeasureFreeze {
			article = rules.Art(rules.LawCoercion, 33, 1)
		}
		items[0].(map[string]any)["note"] = "解除" + kindText
		return map[string]any{"measure": map[string]any{"kind_text": kindText, "original_ref": original, "reason": m.ReleaseReason,
			"basis": article.Document()}, "items": items}, nil
	}
}

// enforcement is the data of the demand notice (行政强制法 Art. 35) and of the late surcharge's
// decision (行政处罚法 Art. 72).
func (d *docData) enforcement(typ documents.Type) (map[string]any, error) {
	e := d.f.Enforcement
	if e == nil {
		return map[string]any{}, nil
	}
	amount := "人民币" + money.Fen(e.PrincipalFen).Capital() + "（¥" + money.Fen(e.PrincipalFen).Figure() + "）"
	if typ == documents.TypeSurchargeDecision {
		remedies, err := d.remedies()
		if err != nil {
			return nil, err
		}
		s := map[string]any{"decision_ref": e.DecisionRef, "principal_text": "人民币" + money.Fen(e.PrincipalFen).Capital(),
			"rate": "每日按罚款数额的百分之三", "from": dateCN(addDays(e.PayDue, 1)),
			"basis": rules.Art(rules.LawPenalty, 72, 1, 1).Document()}
		if e.SurchargeFen > 0 {
			s["amount_text"] = "人民币" + money.Fen(e.SurchargeFen).Capital()
		}
		return map[string]any{"surcharge": s, "remedies": remedies}, nil
	}
	how := "按原行政处罚决定书载明的方式缴纳"
	var bank, account string
	if err := d.setting(SettingPaymentBank, &bank); err != nil {
		return nil, err
	}
	if err := d.setting(SettingPaymentAccount, &account); err != nil {
		return nil, err
	}
	if account != "" {
		how = fmt.Sprintf("缴入%s（账号：%s）", bank, account)
	}
	statement := 5
	if err := d.setting(SettingStatementWorkingDays, &statement); err != nil {
		return nil, err
	}
	by := ""
	if e.PerformBy != "" {
		by = dateCN(e.PerformBy) + "前"
	}
	return map[string]any{"enforcement": map[string]any{"decision_ref": e.DecisionRef, "obligation": "缴纳罚款", "amount_text": amount,
		"perform_by": by, "how": how, "statement_days": statement}}, nil
}

// filing is the data of the filing approval form (Art. 54): the officers' findings and the head's
// approval, from the record.
func (d *docData) filing() (map[string]any, error) {
	f := d.f
	out := map[string]any{}
	if l := f.Lead; l != nil {
		out["lead"] = map[string]any{"summary": l.Summary, "received_on": dateCN(l.ReceivedOn)}
	}
	var verify VerifyInput
	if _, err := d.lastInput(ActVerify, &verify); err != nil {
		return nil, err
	}
	filing := map[string]any{"opinion": verify.Findings}
	var file FileInput
	found, approver := false, ""
	if st := d.step; st != nil && st.def.Action == ActFile {
		// issued by the filing itself: its input and actor, before its event is written
		file, found, approver = *input[*FileInput](st), true, st.sc.Actor()
	} else {
		var err error
		if found, err = d.lastInput(ActFile, &file); err != nil {
			return nil, err
		}
		evs, err := d.history()
		if err != nil {
			return nil, err
		}
		for _, ev := range evs {
			if ev.Action == ActFile {
				approver = ev.Actor
			}
		}
	}
	if found {
		filing["approval"] = firstNonEmpty(documents.Clause(file.Opinion), "同意立案")
		filing["approved_on"] = dateCN(f.FiledOn)
		filing["approver"] = d.officerName(approver)
	}
	out["filing"] = filing
	return out, nil
}

// inspectionRecord is the data of the on-site inspection record (Art. 55): the last inspection or
// investigation on site, as recorded.
func (d *docData) inspectionRecord() (map[string]any, error) {
	var in FieldInput
	found, err := d.lastInput(ActInspect, &in)
	if err != nil {
		return nil, err
	}
	if !found {
		if found, err = d.lastInput(ActInvestigate, &in); err != nil {
			return nil, err
		}
	}
	if !found {
		return map[string]any{}, nil
	}
	place := d.f.Party.Address
	if l := in.Location; l != nil {
		place = strings.TrimSpace(place + fmt.Sprintf("（北纬%.5f°，东经%.5f°）", l.Lat, l.Lng))
	}
	started := dateCN(in.On)
	if in.At != nil {
		started = documents.DateTimeCN(*in.At)
	}
	return map[string]any{"inspection": map[string]any{"place": place, "started_at": started, "record": in.Record}}, nil
}

// closing is the data of the closing report.
func (d *docData) closing() (map[string]any, error) {
	f := d.f
	result, execution := "", ""
	switch {
	case f.Decision != nil:
		result = penaltyText(f.Decision.Penalty)
		if f.Decision.Number != "" {
			result = f.Decision.Number + "：" + result
		}
	case f.NotPenalised != nil:
		result = "不予行政处罚：" + f.NotPenalised.Reason
	case f.Ending != nil:
		result = map[string]string{"terminated": "终止调查：", "dismissed": "不予立案："}[f.Ending.How] + f.Ending.Reason
	case f.Transfer != nil:
		result = "移送" + f.Transfer.To
	case f.Inspection != nil:
		result = "检查结论：" + f.Inspection.Findings
	case f.Measure != nil && f.Measure.Handling != "":
		result = "处理决定：" + f.Measure.Handling
	}
	if p := f.Payment; p != nil {
		execution = fmt.Sprintf("当事人已于%s缴纳人民币%s", dateCN(p.PaidOn), money.Fen(p.AmountFen+p.SurchargeFen).Capital())
	}
	return map[string]any{"closing": map[string]any{"summary": d.c.Title, "result": result, "execution": execution,
		"approved_on": dateCN(f.ClosedOn)}}, nil
}

// deliveryReceipt is the data of the proof of delivery of the documents served.
func (d *docData) deliveryReceipt() (map[string]any, error) {
	var served []any
	var last *DocumentRef
	for i := range d.f.Documents {
		r := &d.f.Documents[i]
		if r.ServedOn == "" {
			continue
		}
		name := r.Kind
		if ti, ok := documents.Lookup(documents.Type(r.Kind)); ok {
			name = ti.Name.ZH
		}
		served = append(served, map[string]any{"name": name, "number": r.Number})
		last = r
	}
	out := map[string]any{"served": served}
	if last != nil {
		out["delivery"] = map[string]any{"method": methodZH[last.ServedBy], "place": d.f.Party.Address, "served_at": dateCN(last.ServedOn),
			"recipient": d.f.Party.Name, "server": d.teamNames()}
	}
	return out, nil
}

// consent is the data of the consent to electronic delivery, from the delivery module's record.
func (d *docData) consent() (map[string]any, error) {
	if d.s.consents == nil {
		return map[string]any{}, nil
	}
	c, err := d.s.consents.ConsentInForce(d.ctx, d.tx, d.sc, d.c.ID)
	if err != nil || c == nil {
		return map[string]any{}, err
	}
	var channels []any
	if c.Inbox {
		channels = append(channels, map[string]any{"channel": "执法平台电子送达收件箱", "address": "当事人门户账号"})
	}
	if c.Email != "" {
		channels = append(channels, map[string]any{"channel": "电子邮箱", "address": c.Email})
	}
	if c.Mobile != "" {
		channels = append(channels, map[string]any{"channel": "手机短信提醒", "address": c.Mobile})
	}
	return map[string]any{"channels": channels, "consent": map[string]any{"signed_on": dateCN(c.SignedOn), "scope": "本案行政执法文书"}}, nil
}

// preservation is the data of the notice of the last evidence preservation (Art. 56).
func (d *docData) preservation() (map[string]any, error) {
	ps := d.f.Preservations
	if len(ps) == 0 {
		return map[string]any{}, nil
	}
	p := ps[len(ps)-1]
	by := ""
	if due, err := d.s.rules.DueAt(d.ctx, d.tx, d.sc, d.c.BodyID, rules.PenaltyEvidencePreserved, p.On.Time()); err == nil {
		by = dateCN(day(due.Due))
	}
	return map[string]any{"preservation": map[string]any{"reason": "证据可能灭失或者以后难以取得", "basis": rules.Art(rules.LawPenalty, 56).Document(),
		"decide_by": by}, "items": []any{map[string]any{"name": p.Items}}}, nil
}

// reportFacts are the facts the investigation report found.
func (d *docData) reportFacts() string {
	if r := d.f.Report; r != nil {
		return r.Facts
	}
	return ""
}

// evidence lists the evidence of the case as a party reads it (行政处罚法 Art. 46): each item by
// its name, kind and the day it was obtained, with what it proves where the record says so: the
// record of the investigation on site, each evidence preservation, the evidence the report names,
// and the files recorded (by their titles: file names and digests stay in the record and on the
// verification page). An item the report names that is also a recorded file is listed once.
func (d *docData) evidence() ([]any, error) {
	f := d.f
	var out []any
	names := map[string]bool{}
	add := func(name, kind string, on civil.Date, proves string) {
		name = documents.Clause(name)
		if name == "" || names[name] {
			return
		}
		names[name] = true
		out = append(out, map[string]any{"name": name, "kind": kind, "date": dateCN(on), "detail": documents.Clause(proves)})
	}
	evs, err := caseEvidence(d.ctx, d.tx, d.sc, d.c.ID)
	if err != nil {
		return nil, err
	}
	if f.InvestigatedOn != "" {
		add("现场检查（勘验）笔录", evidenceKindZH["record"], f.InvestigatedOn, "现场检查查明的情况")
	}
	for _, p := range f.Preservations {
		add("先行登记保存证据通知书及物品清单", evidenceKindZH["documentary"], p.On, "先行登记保存的物品："+p.Items)
	}
	for _, e := range evs {
		add(e.Title, evidenceKindZH[e.Kind], e.CollectedOn, "")
	}
	if r := f.Report; r != nil {
		for _, name := range strings.FieldsFunc(r.Evidence, func(c rune) bool { return strings.ContainsRune("、，,；;\n", c) }) {
			add(name, "", "", "")
		}
	}
	return out, nil
}

// statements lists the party's statements and whether each was adopted.
func (d *docData) statements() []any {
	var out []any
	for _, s := range d.f.Statements {
		out = append(out, map[string]any{"summary": documents.Clause(s.Summary), "adopted": s.adoption()})
	}
	return out
}

// penalty is the data of a penalty: its wording, kinds, fine, basis, and the discretion applied.
func (d *docData) penalty(p Penalty) map[string]any {
	kinds := make([]any, 0, len(p.Types))
	for _, t := range p.Types {
		kinds = append(kinds, penaltyZH[t])
	}
	out := map[string]any{"text": penaltyText(p), "kinds": kinds, "fine_fen": p.FineFen, "basis": p.Basis}
	if p.FineFen > 0 {
		out["fine_text"] = money.Fen(p.FineFen).Capital()
	}
	// the discretion the party reads is the benchmark applied; why none applied, or why the fine
	// lies outside its range, is the officers' reasoning on the record, not the party's document
	if pr := d.f.Proposal; pr != nil && pr.Benchmark != nil {
		out["discretion"] = fmt.Sprintf("适用行政处罚裁量基准，情节为“%s”，罚款幅度为人民币%s元至%s元", documents.Clause(pr.Benchmark.Circumstance),
			money.Fen(pr.Benchmark.MinFineFen).Figure(), money.Fen(pr.Benchmark.MaxFineFen).Figure())
	}
	return out
}

// penaltyText words a penalty as a decision states it, e.g. 警告，并处罚款人民币伍仟元整.
func penaltyText(p Penalty) string {
	var parts []string
	for _, t := range p.Types {
		switch t {
		case PenaltyFine:
			parts = append(parts, "罚款人民币"+money.Fen(p.FineFen).Capital())
		case PenaltyConfiscation:
			s := "没收违法所得、非法财物"
			if p.ConfiscationFen > 0 {
				s += "（价值人民币" + money.Fen(p.ConfiscationFen).Capital() + "）"
			}
			parts = append(parts, s)
		default:
			parts = append(parts, penaltyZH[t])
		}
	}
	if len(parts) < 2 {
		return strings.Join(parts, "")
	}
	return parts[0] + "，并处" + strings.Join(parts[1:], "、")
}

// payment is how and by when a decision's fine is paid (Art. 67: within 15 days of receipt, to the
// designated bank or through electronic payment), with the body's bank and account.
func (d *docData) payment(dec *Decision) (map[string]any, error) {
	if dec.Penalty.FineFen == 0 {
		return map[string]any{}, nil
	}
	r, _ := rules.Lookup(rules.PenaltyPayment)
	var bank, account string
	if err := d.setting(SettingPaymentBank, &bank); err != nil {
		return nil, err
	}
	if err := d.setting(SettingPaymentAccount, &account); err != nil {
		return nil, err
	}
	how := documents.Clause(dec.PaymentHow)
	if how == "" {
		how = DefaultPaymentHow
	}
	deadline := "自收到本决定书之日起" + zhnum.Write(r.Amount) + "日内"
	return map[string]any{"how": how, "deadline": deadline, "within_days": r.Amount, "bank": bank, "account": account}, nil
}

// remedies are the party's remedies (行政复议法 Art. 20; 行政诉讼法 Art. 46): the periods with the
// tenant's settings, the reconsideration authority (the body's setting, else the people's
// government of the tenant) and the court.
func (d *docData) remedies() (map[string]any, error) {
	recon, _ := rules.Lookup(rules.RemedyReconsideration)
	lit, _ := rules.Lookup(rules.RemedyLitigation)
	reconDays, litMonths := recon.Amount, lit.Amount
	if err := d.setting(rules.KeyReconsiderationDays, &reconDays); err != nil {
		return nil, err
	}
	if err := d.setting(rules.KeyLitigationMonths, &litMonths); err != nil {
		return nil, err
	}
	var authority, court string
	if err := d.setting(SettingReconsiderationAuthority, &authority); err != nil {
		return nil, err
	}
	if err := d.setting(SettingCourt, &court); err != nil {
		return nil, err
	}
	if authority == "" {
		var name string
		if err := d.tx.NewSelect().Model((*tenants.Tenant)(nil)).Column("name").Where("id = ?", d.c.TenantID).Scan(d.ctx, &name); err != nil {
			return nil, err
		}
		authority = name + "人民政府"
	}
	if court == "" {
		court = "有管辖权的人民法院"
	}
	return map[string]any{"reconsideration_days": reconDays, "reconsideration_to": authority, "litigation_months": litMonths, "court": court}, nil
}

// matterArticles writes the articles of the case's enforcement matter as a decision cites its
// provisions (elements.CiteProvisions), e.g. 《中华人民共和国食品安全法》第一百二十四条.
func (d *docData) matterArticles() (string, error) {
	if d.c.MatterID == nil {
		return "", nil
	}
	var rows []elements.Provision
	err := tenants.Inherited(d.sc, d.tx.NewSelect().Model((*elements.Article)(nil))).
		ColumnExpr("l.name AS law, a.number").Join("JOIN laws AS l ON l.id = a.law_id").
		Where("a.id IN (SELECT ma.article_id FROM matter_articles AS ma WHERE ma.matter_id = ?)", *d.c.MatterID).
		OrderExpr("l.name, a.seq").Scan(d.ctx, &rows)
	if err != nil {
		return "", err
	}
	return elements.CiteProvisions(rows), nil
}

// dateCN writes a day as documents do (2026年1月5日).
func dateCN(d civil.Date) string { return documents.DateCN(string(d)) }

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// The Chinese names the documents use.
var (
	penaltyZH = map[PenaltyType]string{PenaltyWarning: "警告", PenaltyFine: "罚款", PenaltyConfiscation: "没收违法所得、非法财物",
		PenaltyLicenceSusp: "暂扣许可证件", PenaltyDowngrade: "降低资质等级", PenaltyRevocation: "吊销许可证件",
		PenaltyRestriction: "限制开展生产经营活动", PenaltyClosure: "责令停产停业", PenaltyDetention: "行政拘留"}
	leadSourceZH = map[string]string{"complaint": "投诉举报", "report": "举报", "inspection": "监督检查", "transfer": "移送",
		"monitoring": "监测", "assignment": "上级交办", "other": "其他"}
	evidenceKindZH = map[string]string{"documentary": "书证", "physical": "物证", "audiovisual": "视听资料", "electronic": "电子数据",
		"witness": "证人证言", "statement": "当事人的陈述", "expert": "鉴定意见", "record": "勘验笔录、现场笔录"}
	methodZH = map[string]string{"on_the_spot": "当场交付", "direct": "直接送达", "post": "邮寄送达", "left_at_address": "留置送达",
		"electronic": "电子送达", "inbox": "电子送达（执法平台收件箱）", "email": "电子送达（电子邮件）", "paper": "直接送达",
		"public_notice": "公告送达"}
	notPenalisedBasis = map[string]string{
		"minor":           rules.Art(rules.LawPenalty, 33, 1).Document(),
		"first_violation": rules.Art(rules.LawPenalty, 33, 1).Document(),
		"no_fault":        rules.Art(rules.LawPenalty, 33, 2).Document(),
		"under_14":        rules.Art(rules.LawPenalty, 30).Document(),
		"mental":          rules.Art(rules.LawPenalty, 31).Document(),
		"not_established": rules.Art(rules.LawPenalty, 57, 1, 3).Document(),
		"limitation":      rules.Art(rules.LawPenalty, 36).Document(),
	}
)
