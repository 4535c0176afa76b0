package cases

import (
	"fmt"
	"slices"
	"strings"

	"zhifa/modules/documents"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

// The party's statement and defence after the prior notice (陈述、申辩, 行政处罚法 Art. 44, 45).
// The notice gives the party a period to state and defend itself (the body's setting, default 5
// working days from its service, rules.PenaltyStatement), which the notice prints; no decision is
// made before it ends unless the party waived it in writing or stated its case, each recorded with
// its document attached (the signed waiver, the written statement or the record of an oral one,
// uploaded as the case's evidence and named by ID). A waiver of the hearing is likewise a
// document. The statements received are listed on the case with whether each was adopted and why,
// and the decision states them (Decision.StatementOpinion).

// ActWaiveStatement records the party's written waiver of its statement and defence.
const ActWaiveStatement Action = "waive_statement"

// statementSteps defines the party's written waiver of its statement.
func statementSteps() []*actionDef {
	var s steps
	s.define(&actionDef{Action: ActWaiveStatement, Title: msg("当事人书面放弃陈述、申辩", "the party waives its statement in writing"), Perm: authz.CasesWrite,
		Rule: catalogueRef(rules.PenaltyStatement), Input: func() Input { return new(WaiverInput) },
		check: func(a *act) error {
			if n := a.facts().Notice; n == nil || n.StatementWaiver != nil {
				return errs.E(errs.FailedPrecondition, "没有可放弃的陈述、申辩权利", "there is no statement right to waive")
			}
			return nil
		},
		apply: func(a *act) error {
			n := a.facts().Notice
			w, err := a.waiver(n)
			if err != nil {
				return err
			}
			n.StatementWaiver = w
			return nil
		}})
	return s
}

// noticeServed records the prior notice served on on by method: the period to state and defend
// (Art. 44, 45) and, with the hearing right, the 5 working days to ask for a hearing (Art. 64) run
// from it.
func (a *act) noticeServed(n *Notice, on civil.Date, method string) error {
	n.ServedOn, n.ServedBy = on, method
	a.record("notice_served_on", on)
	st, err := a.dueOn(rules.PenaltyStatement, on)
	if err != nil {
		return err
	}
	n.StatementDue, n.StatementDays = day(st.Due), st.Amount
	a.record("statement_due", n.StatementDue)
	if n.HearingRight {
		d, err := a.dueOn(rules.PenaltyHearingRequest, on)
		if err != nil {
			return err
		}
		n.HearingDue = day(d.Due)
		a.record("hearing_request_due", n.HearingDue)
	}
	return nil
}

// statementGate refuses a decision before the prior notice is served, and before its period to
// state and defend has ended unless the party's written waiver or its statement is on file
// (Art. 44, 45), naming the notice's number.
func (a *act) statementGate(n *Notice) error {
	f := a.facts()
	if n.ServedOn == "" {
		if pn := f.pendingNotice("prior_notice"); pn != nil {
			return refuse(rulePublicNotice, "行政处罚事先告知书于 %s 公告，公告期间至 %s，期满方视为送达：送达前不能作出处罚决定",
				"the prior notice was published on %s and is served when its notice period ends on %s: no decision before then", pn.PublishedOn, pn.ServedOn)
		}
		return refuse(rulePriorNotice, "行政处罚事先告知书尚未送达当事人", "the prior notice has not reached the party")
	}
	if n.StatementWaiver != nil || f.statementReceived(n) || a.on.After(n.StatementDue) {
		return nil
	}
	number := "" // the notice's number, as both languages print it
	if ref := f.document(string(documents.TypePriorNotice)); ref != nil && ref.Number != "" {
		number = "（" + ref.Number + "）"
	}
	return refuse(catalogueRef(rules.PenaltyStatement),
		"行政处罚事先告知书%s告知当事人可在收到之日起%d个工作日内陈述、申辩（"+rules.StatementRight.Screen()+"），期限至 %s 届满：届满前不能作出处罚决定，当事人书面放弃或已提出陈述、申辩（附书面材料）的除外",
		"the prior notice%s gave the party %d working days from its receipt to state and defend itself (Administrative Penalty Law Art. 44, 45), until %s: no decision before then unless the party waived it in writing or stated its case (with the document attached)",
		number, n.StatementDays, n.StatementDue)
}

// statementReceived reports whether a statement with its document was received since the notice
// was served.
func (f *Facts) statementReceived(n *Notice) bool {
	return slices.ContainsFunc(f.Statements, func(s Statement) bool { return s.EvidenceID != "" && !s.received().Before(n.ServedOn) })
}

// received is the day the statement reached the body.
func (s Statement) received() civil.Date {
	if s.ReceivedOn != "" {
		return s.ReceivedOn
	}
	return s.On
}

// waiver checks the party's written waiver after the served notice n: the signed document among
// the case's evidence (documentary), signed after the notice was served and not after the step.
func (a *act) waiver(n *Notice) (*Waiver, error) {
	in := input[*WaiverInput](a)
	if n.ServedOn == "" {
		return nil, refuse(rulePublicNotice, "行政处罚事先告知书尚未送达，当事人无从放弃其权利", "the prior notice has not been served: there is no right to waive yet")
	}
	signed := in.SignedOn
	if signed == "" {
		signed = a.on
	}
	if signed.Before(n.ServedOn) || signed.After(a.on) {
		return nil, errs.E(errs.Invalid, fmt.Sprintf("放弃声明的日期须在告知书送达（%s）之后、本步骤之前", n.ServedOn),
			fmt.Sprintf("the waiver must be signed after the notice was served (%s) and not after the step", n.ServedOn)).
			WithFields(errs.Field("signed_on", "不在告知书送达之后", "not after the notice was served"))
	}
	ev, err := a.attached("evidence_id", in.EvidenceID, "documentary")
	if err != nil {
		return nil, err
	}
	a.record("document_sha256", ev.SHA256)
	return &Waiver{On: signed, EvidenceID: ev.ID, Title: ev.Title}, nil
}

// attached returns the case's evidence id that a step names as its document, of one of kinds
// (any kind when none is given). Returns Invalid naming field when it is not the case's, or of
// another kind.
func (a *act) attached(field, id string, kinds ...string) (*Evidence, error) {
	ev := new(Evidence)
	err := tenants.Own(a.sc, a.tx.NewSelect().Model(ev)).Where("ev.id = ? AND ev.case_id = ?", id, a.c.ID).Scan(a.ctx)
	if err != nil {
		return nil, errs.E(errs.Invalid, "所附材料不是本案已上传的证据", "the document named is not evidence uploaded to this case").
			WithFields(errs.Field(field, "不是本案的证据，请先上传", "not this case's evidence: upload it first"))
	}
	if len(kinds) > 0 && !slices.Contains(kinds, ev.Kind) {
		names := make([]string, 0, len(kinds))
		for _, k := range kinds {
			names = append(names, evidenceKindZH[k])
		}
		return nil, errs.E(errs.Invalid, "所附材料的证据种类不符", "the document named is of another kind of evidence").
			WithFields(errs.Field(field, "须为"+strings.Join(names, "或"), "must be "+strings.Join(kinds, " or ")))
	}
	return ev, nil
}

// applyStatement records a statement or defence received: in a penalty case with the written
// statement (or the record of an oral one) attached, and why it was adopted or not (Art. 45: the
// body hears the party fully, reviews its facts, reasons and evidence, and adopts those that hold).
func applyStatement(a *act) error {
	in, f := input[*StatementInput](a), a.facts()
	received := in.ReceivedOn
	if received == "" {
		received = a.on
	}
	if received.After(a.on) {
		return errs.E(errs.Invalid, "收到日期不能晚于本步骤之日", "the statement cannot be received after the step").
			WithFields(errs.Field("received_on", "晚于本步骤之日", "after the step"))
	}
	if a.c.Kind == KindGeneral {
		var p problems
		if in.EvidenceID == "" {
			p.add("evidence_id", "须附当事人的书面陈述、申辩材料或陈述申辩笔录（先作为证据上传）", "attach the party's written statement or the record of its oral statement (upload it as evidence first)")
		}
		if in.Reason == "" {
			p.add("reason", "须写明采纳或不予采纳的理由（"+rules.MustLookup(rules.PenaltyStatement).Cite().Screen()+"）", "say why it was adopted or not (Art. 45)")
		}
		if err := p.err(); err != nil {
			return err
		}
		ev, err := a.attached("evidence_id", in.EvidenceID, "statement", "documentary", "audiovisual", "record")
		if err != nil {
			return err
		}
		a.record("document_sha256", ev.SHA256)
	}
	f.Statements = append(f.Statements, Statement{On: a.on, ReceivedOn: received, Summary: in.Summary, Accepted: in.Adopted,
		Reason: in.Reason, EvidenceID: in.EvidenceID})
	return nil
}

// adoption is how a decision states whether the body adopted the statement (Art. 45).
func (s Statement) adoption() string {
	if s.Accepted {
		return "予以采纳"
	}
	return "不予采纳"
}

// statementOpinion is what a decision states under 当事人陈述申辩意见及采纳情况: each statement
// received since the notice was served, with whether it was adopted and why; else the party's
// written waiver, or that it made none within the period.
func (f *Facts) statementOpinion() string {
	n := f.Notice
	if n == nil {
		return ""
	}
	var parts []string
	for _, s := range f.Statements {
		if n.ServedOn != "" && s.received().Before(n.ServedOn) {
			continue
		}
		part := fmt.Sprintf("当事人于%s提出陈述、申辩：%s。经复核，%s", dateCN(s.received()), documents.Clause(s.Summary), s.adoption())
		if s.Reason != "" {
			part += "，理由：" + documents.Clause(s.Reason)
		}
		parts = append(parts, part+"。")
	}
	switch {
	case len(parts) > 0:
		return strings.Join(parts, "")
	case n.StatementWaiver != nil:
		return fmt.Sprintf("当事人于%s书面放弃陈述、申辩权利。", dateCN(n.StatementWaiver.On))
	case n.StatementDue != "":
		return fmt.Sprintf("当事人在陈述、申辩期限内（至%s）未提出陈述、申辩。", dateCN(n.StatementDue))
	}
	return "当事人未提出陈述、申辩。"
}
