package cases

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
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
	"zhifa/modules/rules"
	"zhifa/tenants"
)

// The documents a case produces (执法文书). A step that produces one (the prior notice, the hearing
// notice, the decision, the order to correct, the decisions of coercive measures, the demand
// notice) issues it through the documents module inside its own transaction, under the acting
// officer's scope, after its guards and before its event is written: the document sees the facts
// the step recorded; its number (文号) becomes the decision's; its ID rides in the
// delivery:deliver_document task; the event records its ID, number and the digests of its PDF. A
// document the case's facts cannot fill refuses the step (FailedPrecondition naming the missing
// items), and nothing is written. The case engine is also the documents module's CaseSource: the
// data of any platform document type, as far as the case's facts go.

// The settings the documents of a case state, per tenant and per body (tenants.DefineSetting).
const (
	// SettingReconsiderationAuthority is the authority a party applies to for reconsideration
	// (复议机关); empty: the people's government of the tenant's level (行政复议法 Art. 24).
	SettingReconsiderationAuthority = "cases.reconsideration_authority"
	// SettingCourt is the court a party sues in; empty: the people's court with jurisdiction.
	SettingCourt = "cases.court"
	// SettingPaymentBank and SettingPaymentAccount are where fines are paid (the decision's
	// payment instruction); empty: the decision states only how the officer wrote it.
	SettingPaymentBank    = "cases.payment_bank"
	SettingPaymentAccount = "cases.payment_account"
	// SettingStatementWorkingDays is the period, in working days from receipt, that a prior notice
	// and a demand notice give the party to state a defence.
	SettingStatementWorkingDays = "cases.statement_working_days"
)

func init() {
	str := func(key, zh, en string) {
		tenants.DefineSetting(tenants.SettingDef{Key: key, Kind: tenants.KindString, Default: "", Title: msg(zh, en)})
	}
	str(SettingReconsiderationAuthority, "行政复议机关（空：本级人民政府）", "the reconsideration authority (empty: the people's government of this level)")
	str(SettingCourt, "行政诉讼管辖法院（空：有管辖权的人民法院）", "the court for litigation (empty: the people's court with jurisdiction)")
	str(SettingPaymentBank, "罚款收缴银行", "the bank that collects fines")
	str(SettingPaymentAccount, "罚款收缴账号", "the account fines are paid into")
	tenants.DefineSetting(tenants.SettingDef{Key: SettingStatementWorkingDays, Kind: tenants.KindInt, Default: 5, Min: tenants.Int64(3), Max: tenants.Int64(30),
		Title: msg("陈述、申辩期限（工作日，自收到告知书、催告书之日起）", "time to state a defence (working days from receipt of a prior or demand notice)"),
		Basis: "《行政处罚法》第44条、第45条；《行政强制法》第36条"})
}

// pendingDocument is a document a step issues with its transition.
type pendingDocument struct {
	kind     string
	delivery *DeliverDocument // the task that serves it; nil when it is served at once
	servedBy string           // served at once: how (on_the_spot)
}

// deliver issues a document of kind with the transition and writes the delivery:deliver_document
// task that serves it on the party, naming the document issued (without the documents module the
// task names only the kind, and the delivery module finds the document). A document the officer
// handed over in person or left at the party's address (method) is served with the step; one
// sent by post, by public notice or electronically is served when the delivery module records
// its arrival.
func (a *act) deliver(kind, method string, due civil.Date, queue string) {
	f := a.facts()
	p := &DeliverDocument{CaseID: a.c.ID, CaseCode: a.c.Code, BodyID: a.c.BodyID, Document: kind, Party: f.Party,
		Method: method, EDeliveryConsent: f.Party.EDeliveryConsent, Due: due}
	doc := &pendingDocument{kind: kind, delivery: p}
	if servedInPerson[method] {
		doc.servedBy = method
	}
	a.docs = append(a.docs, doc)
	a.enqueue(TypeDeliverDocument, queue, p)
}

// servedInPerson are the methods by which the officer serves a document with the step itself.
var servedInPerson = map[string]bool{"direct": true, "on_the_spot": true, "left_at_address": true}

// issueInternal issues a document of kind with the transition that is the body's own record,
// served on nobody (the filing approval form).
func (a *act) issueInternal(kind string) {
	a.docs = append(a.docs, &pendingDocument{kind: kind})
}

// issueServed issues a document of kind with the transition, served at once (handed over on the
// spot: an on-the-spot decision, a seizure's decision and list).
func (a *act) issueServed(kind, how string) {
	a.docs = append(a.docs, &pendingDocument{kind: kind, servedBy: how})
}

// needConsent refuses electronic service without the party's consent (Art. 61): a consent in
// force in the delivery module when it is connected, else the party's flag.
func (a *act) needConsent() error {
	ok, err := a.consented()
	if err != nil {
		return err
	}
	if !ok {
		return refuse(ruleEDelivery, "当事人未签署电子送达确认书，不能电子送达", "the party has not consented to electronic delivery")
	}
	return nil
}

// consented reports whether the party consented to electronic delivery.
func (a *act) consented() (bool, error) {
	if a.s.consents == nil {
		return a.facts().Party.EDeliveryConsent, nil
	}
	c, err := a.s.consents.ActiveConsent(a.ctx, a.tx, a.sc, a.c.ID)
	if err != nil {
		return false, err
	}
	return c.Active(), nil
}

// issueDocuments issues the step's documents in its transaction (when the documents module is
// connected): each from the case as the step left it, numbered, sealed and signed; their IDs go
// into the delivery tasks, the decision's number into the decision, and their IDs, numbers and
// digests into the event. The first failure refuses the step.
func (a *act) issueDocuments() error {
	if len(a.docs) == 0 {
		return nil
	}
	consent, err := a.consented()
	if err != nil {
		return err
	}
	var issued []map[string]any
	for _, p := range a.docs {
		if p.delivery != nil {
			p.delivery.EDeliveryConsent = consent
		}
		if a.s.docs == nil {
			continue
		}
		typ, ok := documents.TypeFor(p.kind)
		if !ok {
			return fmt.Errorf("cases: no document type for %s", p.kind)
		}
		data, err := a.s.documentData(a.ctx, a.tx, a.sc, a.c, typ, a)
		if err != nil {
			return err
		}
		doc, err := a.s.docs.Issue(a.ctx, a.tx, a.sc, documents.IssueRequest{CaseID: a.c.ID, Type: typ, Data: data})
		if err != nil {
			return err
		}
		if err := a.numberDecision(typ, doc.Number); err != nil {
			return err
		}
		ref := DocumentRef{ID: doc.ID, Kind: string(typ), Number: doc.Number, PDFSM3: doc.PDFSM3,
			IssuedOn: civil.DateOf(doc.IssuedAt), Action: a.def.Action}
		if p.servedBy != "" {
			ref.ServedOn, ref.ServedBy = a.on, p.servedBy
		}
		if p.delivery != nil {
			p.delivery.DocumentID = doc.ID
		}
		a.facts().Documents = append(a.facts().Documents, ref)
		sum := sha256.Sum256(doc.PDF)
		issued = append(issued, map[string]any{"id": doc.ID, "type": string(typ), "number": doc.Number,
			"template": doc.TemplateRef, "template_version": doc.TemplateVersion,
			"pdf_sm3": doc.PDFSM3, "pdf_sha256": hex.EncodeToString(sum[:])})
	}
	if len(issued) > 0 {
		a.record("documents", issued)
	}
	return nil
}

// numberDecision gives a decision the number of its document: the platform allocates document
// numbers per body, series and year without gaps or duplicates, so a number the officer gave must
// be that one.
func (a *act) numberDecision(typ documents.Type, number string) error {
	dec := a.facts().Decision
	if dec == nil || (typ != documents.TypePenaltyDecision && typ != documents.TypeSummaryDecision) {
		return nil
	}
	if dec.Number != "" && dec.Number != number {
		return errs.E(errs.Invalid, fmt.Sprintf("决定书文号由平台按执法主体、年度顺序编号（本决定书为 %s），请勿自行填写", number),
			fmt.Sprintf("the platform numbers decisions per body and year (this one is %s): leave the number empty", number)).
			WithFields(errs.Field("number", "由平台编号："+number, "numbered by the platform: "+number))
	}
	dec.Number = number
	if a.publish != nil {
		a.publish.DecisionNumber = number
	}
	a.record("decision_number", number)
	return nil
}

// DocumentData returns the data of a document of the case for the documents module (its
// CaseSource): the fields docType declares, filled from the case's facts, record, evidence,
// team, matter and settings as far as they go; the documents module names what is missing. It
// runs in the caller's transaction tx, under sc. Any staff role that may read the case. Returns
// Invalid (malformed ID, unknown type) or NotFound.
func (s *Service) DocumentData(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID, docType string) (map[string]any, error) {
	if err := mayRead(sc, caseID); err != nil {
		return nil, err
	}
	typ := documents.Type(docType)
	if _, ok := documents.Lookup(typ); !ok {
		return nil, errs.E(errs.Invalid, "未知文书种类", "unknown document type").WithFields(errs.Field("type", "未知", "unknown"))
	}
	c, err := findCase(ctx, tx, sc, caseID)
	if err != nil {
		return nil, err
	}
	if !bodyAllowed(sc, c.BodyID) {
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
			out["transfer"] = map[string]any{"to": t.To, "reason": t.Reason, "basis": "《中华人民共和国行政处罚法》第二十七条"}
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
	violated := elements.CiteProvisions(dec.Penalty.Violated)
	evidence, err := d.evidence()
	if err != nil {
		return nil, err
	}
	remedies, err := d.remedies()
	if err != nil {
		return nil, err
	}
	payment, err := d.payment(dec)
	if err != nil {
		return nil, err
	}
	opinion := dec.StatementOpinion
	if opinion == "" {
		opinion = f.statementOpinion()
	}
	out := map[string]any{"facts": dec.Facts, "evidence": evidence, "violated": violated, "statements": d.statements(), "statement_opinion": opinion,
		"penalty": d.penalty(dec.Penalty), "payment": payment, "remedies": remedies}
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
		basis = "《中华人民共和国行政处罚法》第二十八条第一款"
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
	item := map[MeasureType]string{MeasureSeal: "（二）", MeasureSeize: "（三）", MeasureFreeze: "（四）"}[m.Type]
	basis := firstNonEmpty(articles, "《中华人民共和国行政强制法》第九条第"+item+"项")
	ends := measureEnds(d.f, civil.DateOf(d.s.now()))
	original := "本机关作出的" + kindText + "决定（案件编码 " + d.c.Code + "）"
	origKind := string(documents.TypeSeizureDecision)
	if m.Type == MeasureFreeze {
		origKind = string(documents.TypeFreezeDecision)
	}
	if ref := d.f.document(origKind); ref != nil && ref.Number != "" {
		original = ref.Number
	}
	items := []any{map[string]any{"name": m.Items}}
	switch typ {
	case documents.TypeSeizureDecision, documents.TypeFreezeDecision:
		remedies, err := d.remedies()
		if err != nil {
			return nil, err
		}
		mm := map[string]any{"kind_text": kindText, "reason": m.Reason, "basis": basis, "term_days": m.TermDays,
			"from": dateCN(m.TakenOn), "to": dateCN(ends)}
		if m.Type == MeasureFreeze {
			mm["account"], mm["amount_text"] = m.Items, "人民币"+money.Fen(m.AmountFen).Capital()
		}
		return map[string]any{"measure": mm, "items": items, "remedies": remedies}, nil
	case documents.TypeMeasureExtension:
		article := "第二十五条第一款"
		if m.Type == MeasureFreeze {
			article = "第三十二条第一款"
		}
		return map[string]any{"measure": map[string]any{"kind_text": kindText, "original_ref": original, "reason": m.ExtensionReason,
			"extension_days": m.ExtendedDays, "to": dateCN(ends), "basis": "《中华人民共和国行政强制法》" + article}}, nil
	default: // release
		article := "第二十八条第一款"
		if m.Type == MeasureFreeze {
			article = "第三十三条第一款"
		}
		items[0].(map[string]any)["note"] = "解除" + kindText
		return map[string]any{"measure": map[string]any{"kind_text": kindText, "original_ref": original, "reason": m.ReleaseReason,
			"basis": "《中华人民共和国行政强制法》" + article}, "items": items}, nil
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
			"basis": "《中华人民共和国行政处罚法》第七十二条第一款第（一）项"}
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
	c, err := d.s.consents.ActiveConsent(d.ctx, d.tx, d.sc, d.c.ID)
	if err != nil || c == nil {
		return map[string]any{}, err
	}
	var channels []any
	if c.CitizenID != "" {
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
	return map[string]any{"preservation": map[string]any{"reason": "证据可能灭失或者以后难以取得", "basis": "《中华人民共和国行政处罚法》第五十六条",
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
	deadline := "自收到本决定书之日起" + documents.CNNum(r.Amount) + "日内"
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

// matterArticles writes the articles of the case's enforcement matter, e.g. 《中华人民共和国食品安全法》第一百二十四条.
func (d *docData) matterArticles() (string, error) {
	if d.c.MatterID == nil {
		return "", nil
	}
	var rows []struct {
		Law    string `bun:"law"`
		Number string `bun:"number"`
	}
	err := tenants.Inherited(d.sc, d.tx.NewSelect().Model((*elements.Article)(nil))).
		ColumnExpr("l.name AS law, a.number").Join("JOIN laws AS l ON l.id = a.law_id").
		Where("a.id IN (SELECT ma.article_id FROM matter_articles AS ma WHERE ma.matter_id = ?)", *d.c.MatterID).
		OrderExpr("l.name, a.seq").Scan(d.ctx, &rows)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	last := ""
	for i, r := range rows {
		if r.Law != last {
			if i > 0 {
				b.WriteString("、")
			}
			b.WriteString("《" + r.Law + "》")
			last = r.Law
		} else {
			b.WriteString("、")
		}
		b.WriteString(r.Number)
	}
	return b.String(), nil
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
		"minor":           "《中华人民共和国行政处罚法》第三十三条第一款",
		"first_violation": "《中华人民共和国行政处罚法》第三十三条第一款",
		"no_fault":        "《中华人民共和国行政处罚法》第三十三条第二款",
		"under_14":        "《中华人民共和国行政处罚法》第三十条",
		"mental":          "《中华人民共和国行政处罚法》第三十一条",
		"not_established": "《中华人民共和国行政处罚法》第五十七条第一款第（三）项",
		"limitation":      "《中华人民共和国行政处罚法》第三十六条",
	}
)
