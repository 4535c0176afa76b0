package cases

import (
	"slices"

	"zhifa/jobs"
	"zhifa/modules/documents"
	"zhifa/modules/exchange/exchangetask"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

// commonSteps defines the steps of inspections (行政检查) and the steps every kind shares (evidence,
// flags, extensions, halts, transfer, closing and archiving).
func commonSteps() []*actionDef {
	var s steps
	s.define(&actionDef{Action: ActInspect, Title: msg("实施检查", "inspect"), Perm: authz.CasesWrite, Rule: ruleOfficers,
		Input: func() Input { return new(FieldInput) }, Field: true,
		apply: func(a *act) error {
			in, insp := input[*FieldInput](a), a.facts().Inspection
			if err := a.officers(in.OfficerIDs, ruleOfficers); err != nil {
				return err
			}
			insp.InspectedOn, insp.Findings = a.on, in.Record
			insp.Remote = insp.Remote || in.Remote
			return nil
		}})

	s.define(&actionDef{Action: ActConclude, Title: msg("检查结论", "conclude the inspection"), Perm: authz.CasesWrite,
		Input: func() Input { return new(ConcludeInput) },
		apply: func(a *act) error {
			in, f := input[*ConcludeInput](a), a.facts()
			insp := f.Inspection
			insp.Outcome, insp.Findings = in.Outcome, in.Findings
			switch in.Outcome {
			case "correction_ordered":
				if !in.CorrectBy.After(a.on) {
					return errs.E(errs.Invalid, "整改期限须晚于检查结论之日", "the correction deadline must be after the conclusion").
						WithFields(errs.Field("correct_by", "须晚于今天", "must be later"))
				}
				insp.CorrectBy, insp.Violated = in.CorrectBy, in.Violated
				a.to = StateCorrecting
				a.deliver(documents.TypeCorrectionOrder, "", a.on, jobs.QueueDefault)
			case "lead_opened":
				a.openLead(in.Findings, in.ActEndedOn)
				f.ClosedOn = a.on
			default:
				f.ClosedOn = a.on
			}
			return nil
		}})

	s.define(&actionDef{Action: ActVerifyCorrection, Title: msg("整改复查", "check the correction"), Perm: authz.CasesWrite,
		Input: func() Input { return new(VerifyCorrectionInput) }, Field: true,
		apply: func(a *act) error {
			in, f := input[*VerifyCorrectionInput](a), a.facts()
			f.Inspection.VerifiedOn = a.on
			if !in.Corrected {
				f.Inspection.Outcome = "lead_opened"
				a.openLead("逾期未整改："+in.Findings, "")
			}
			f.ClosedOn = a.on
			return nil
		}})

	s.define(&actionDef{Action: ActAddEvidence, Title: msg("上传证据", "add evidence"), Perm: authz.CasesWrite,
		Rule: ref("penalty.evidence", rules.LawPenalty, 46), Field: true})

	s.define(&actionDef{Action: ActFlag, Title: msg("标记重大、复杂案件", "flag the case major or complex"), Perm: authz.CasesApprove, Rule: ruleLegalReview,
		Input: func() Input { return new(FlagInput) },
		apply: func(a *act) error {
			in, fl := input[*FlagInput](a), &a.facts().Flags
			was := fl.Major
			for _, p := range []struct {
				v   *bool
				dst *bool
			}{{in.Major, &fl.Major}, {in.Complex, &fl.Complex}, {in.ReviewRequired, &fl.ReviewRequired}} {
				if p.v != nil {
					*p.dst = *p.v
				}
			}
			if fl.Major && !was {
				a.warn("major_case", ruleDiscussion, "案件被标记为重大案件", "the case was flagged major")
			}
			return nil
		}})

	s.define(&actionDef{Action: ActExtend, Title: msg("延长办案期限", "extend the time to decide"), Perm: authz.CasesApprove, Rule: ruleExtendDecide,
		Input: func() Input { return new(DaysInput) }, Due: []string{rules.PenaltyDecide},
		check: func(a *act) error {
			if a.facts().FiledOn == "" {
				return errs.E(errs.FailedPrecondition, "立案后方有办案期限", "the time limit runs from filing")
			}
			l, err := a.decideLimit(a.on)
			if err != nil {
				return err
			}
			if a.on.After(l.Due) {
				return refuse(ruleExtendDecide, "办案期限已于 %s 届满，不能再批准延长", "the time to decide ended on %s: it can no longer be extended", l.Due)
			}
			return nil
		},
		apply: func(a *act) error {
			in, f := input[*DaysInput](a), a.facts()
			f.Extensions = append(f.Extensions, Extension{On: a.on, Days: in.Days, Reason: in.Reason, Approver: a.sc.Actor()})
			l, err := a.decideLimit(a.on)
			if err != nil {
				return err
			}
			a.record("decide_due", l.Due)
			return nil
		}})

	s.define(&actionDef{Action: ActExclude, Title: msg("不计入期限的期间", "record a period not counted"), Perm: authz.CasesWrite,
		Rule: catalogueRef(rules.PenaltyDecide), Input: func() Input { return new(ExcludeInput) },
		apply: func(a *act) error {
			in, f := input[*ExcludeInput](a), a.facts()
			start := f.FiledOn
			if a.c.Kind == KindCoercion {
				start = f.Measure.TakenOn
				if in.Kind == "public_notice" {
					return errs.E(errs.Invalid, "强制措施期限只扣除检测、检验、检疫、鉴定期间", "a measure's term excludes only testing, inspection, quarantine and appraisal").
						WithFields(errs.Field("kind", "不适用", "not applicable"))
				}
			}
			if in.From.Before(start) || in.To.After(a.on) {
				return errs.E(errs.Invalid, "期间须在立案（实施）之后，且已经结束", "the period must lie after the filing (or the measure) and have ended").
					WithFields(errs.Field("from", "超出范围", "out of range"))
			}
			f.Excluded = append(f.Excluded, Period{Kind: in.Kind, From: in.From, To: in.To, Reason: in.Reason})
			if a.c.Kind == KindCoercion {
				f.Measure.Ends = measureEnds(f, a.on)
				a.record("ends", f.Measure.Ends)
				return nil
			}
			l, err := a.decideLimit(a.on)
			if err != nil {
				return err
			}
			a.record("decide_due", l.Due)
			return nil
		}})

	s.define(&actionDef{Action: ActRecuse, Title: msg("回避", "recusal"), Perm: authz.CasesApprove, Rule: ruleRecusal,
		Input: func() Input { return new(RecuseInput) },
		apply: func(a *act) error {
			in, f := input[*RecuseInput](a), a.facts()
			if !slices.Contains(f.Team, in.OfficerID) {
				return errs.E(errs.Invalid, "该执法人员不在本案承办人员之中", "the officer is not on the case's team").
					WithFields(errs.Field("officer_id", "不在承办人员中", "not on the team"))
			}
			f.Recusals = append(f.Recusals, Recusal{On: a.on, OfficerID: in.OfficerID, AppliedBy: in.AppliedBy, Reason: in.Reason,
				Granted: in.Granted, Replacement: in.Replacement})
			if !in.Granted {
				return nil
			}
			team := slices.DeleteFunc(slices.Clone(f.Team), func(id string) bool { return id == in.OfficerID })
			for _, id := range in.Replacement {
				if id == in.OfficerID {
					return errs.E(errs.Invalid, "回避的执法人员不能作为替换人员", "the recused officer cannot replace themself").
						WithFields(errs.Field("replacement", "与回避人员相同", "the recused officer"))
				}
				if !slices.Contains(team, id) {
					team = append(team, id)
				}
			}
			if err := a.officers(team, ruleOfficers); err != nil {
				if !errs.Is(err, errs.FailedPrecondition) {
					return err
				}
				m := errs.As(err).Message
				return rules.Refusal(ruleRecusal, "回避后须有至少两名持有效执法证的承办人员："+m.ZH, "after the recusal at least two certified officers must handle the case: "+m.EN)
			}
			a.setTeam(team)
			return nil
		}})

	s.define(&actionDef{Action: ActSuspend, Title: msg("中止", "suspend"), Perm: authz.CasesApprove, KindRule: haltRules(ActSuspend),
		Input: func() Input { return new(HaltInput) },
		apply: func(a *act) error {
			in, f := input[*HaltInput](a), a.facts()
			if err := checkGround(a, in); err != nil {
				return err
			}
			f.PriorState = a.from
			f.Suspension = append(f.Suspension, Period{Kind: "suspension", Ground: in.Ground, From: a.on, Reason: in.Reason})
			return nil
		}})

	s.define(&actionDef{Action: ActResume, Title: msg("恢复", "resume"), Perm: authz.CasesApprove,
		Input: func() Input { return new(ReasonInput) },
		apply: func(a *act) error {
			f := a.facts()
			f.Suspension[len(f.Suspension)-1].To = a.on
			a.to, f.PriorState = f.PriorState, ""
			return nil
		}})

	s.define(&actionDef{Action: ActTerminate, Title: msg("终止", "terminate"), Perm: authz.CasesApprove, KindRule: haltRules(ActTerminate),
		Input: func() Input { return new(HaltInput) },
		apply: func(a *act) error {
			in, f := input[*HaltInput](a), a.facts()
			if err := checkGround(a, in); err != nil {
				return err
			}
			if n := len(f.Suspension); n > 0 && f.Suspension[n-1].To == "" {
				f.Suspension[n-1].To = a.on
			}
			f.Ending = &Ending{On: a.on, How: "terminated", Ground: in.Ground, Reason: in.Reason}
			f.ClosedOn = a.on
			return nil
		}})

	s.define(&actionDef{Action: ActTransfer, Title: msg("移送", "transfer"), Perm: authz.CasesApprove, Rule: ref("penalty.transfer", rules.LawPenalty, 27),
		Input: func() Input { return new(TransferInput) },
		apply: func(a *act) error {
			in, f := input[*TransferInput](a), a.facts()
			if in.ToBodyID == a.c.BodyID {
				return errs.E(errs.Invalid, "不能移送给本执法主体", "a case cannot be transferred to its own body").
					WithFields(errs.Field("to_body_id", "本主体", "the case's own body"))
			}
			f.Transfer = &Transfer{On: a.on, Target: in.Target, To: in.To, ToBodyID: in.ToBodyID, Reason: in.Reason}
			f.ClosedOn = a.on
			enqueue(a, exchangetask.Transfer, &exchangetask.TransferCase{CaseID: a.c.ID, CaseCode: a.c.Code, BodyID: a.c.BodyID,
				Target: in.Target, To: in.To, ToBodyID: in.ToBodyID, Reason: in.Reason, On: a.on})
			if in.Target == "criminal" {
				a.warn("criminal_transfer", ref("penalty.transfer", rules.LawPenalty, 27), "案件移送司法机关（行刑衔接）", "the case was transferred to criminal justice")
			}
			return nil
		}})

	s.define(&actionDef{Action: ActClose, Title: msg("结案", "close"), Perm: authz.CasesWrite,
		Input: func() Input { return new(ReasonInput) },
		check: checkClose,
		apply: func(a *act) error {
			a.facts().ClosedOn = a.on
			return nil
		}})

	s.define(&actionDef{Action: ActArchive, Title: msg("归档", "archive"), Perm: authz.CasesWrite, Rule: ref("penalty.record", rules.LawPenalty, 47),
		Input: func() Input { return new(StepInput) },
		apply: func(a *act) error {
			a.facts().ArchivedOn = a.on
			return nil
		}})
	return s
}

// checkClose refuses closing a case whose money is unpaid or whose enforcement case is open.
func checkClose(a *act) error {
	f := a.facts()
	switch a.from {
	case StateServed:
		if d := f.Decision; d != nil && (f.outstanding() > 0 || d.Penalty.ConfiscationFen > 0) {
			return errs.E(errs.FailedPrecondition, "罚款尚未缴纳，不能结案（缴纳或转入强制执行）", "the fine is unpaid: record the payment or refer it for enforcement first")
		}
	case StateEnforcing:
		for _, id := range f.Children {
			var st State
			if err := tenants.Own(a.sc, a.tx.NewSelect().Model((*Case)(nil))).Column("state").Where("c.id = ?", id).Scan(a.ctx, &st); err != nil {
				return err
			}
			if st.Open() {
				return errs.E(errs.FailedPrecondition, "强制执行案件尚未结案", "the enforcement case is still open")
			}
		}
	}
	return nil
}

// openLead opens a general-procedure case from an inspection's findings.
func (a *act) openLead(summary string, actEnded civil.Date) {
	f := a.facts()
	a.spawn(NewCase{Kind: KindGeneral, BodyID: a.c.BodyID, Title: "检查发现：" + a.c.Title, Party: f.Party, OfficerIDs: f.Team,
		MatterID: deref(a.c.MatterID), ActEndedOn: actEnded,
		Lead: &Lead{Source: "inspection", ReceivedOn: a.on, Summary: summary}})
}

// spawn opens a child case in the transition's transaction.
func (a *act) spawn(in NewCase) {
	in.Common = Common{On: a.on}
	in.parentID = a.c.ID
	a.children = append(a.children, &newChild{in: in})
}

// setTeam changes the case's team (case_officers is rewritten with the transition).
func (a *act) setTeam(ids []string) {
	a.facts().Team = slices.Clone(ids)
	a.team = slices.Clone(ids)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
