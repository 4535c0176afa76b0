package cases

import (
	"context"
	"fmt"
	"regexp"
	"slices"

	"zhifa/jobs"
	"zhifa/modules/disclosure/disclosuretask"
	"zhifa/modules/documents"
	"zhifa/modules/elements"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/money"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

// The steps of a penalty case by the general procedure (普通程序), and of the summary procedure.

func msg(zh, en string) errs.Msg { return errs.Msg{ZH: zh, EN: en} }

// penaltySteps defines the steps of the general and summary penalty procedures.
func penaltySteps() []*actionDef {
	var s steps
	s.define(&actionDef{Action: ActVerify, Title: msg("核查案源", "verify the lead"), Perm: authz.CasesWrite,
		Input: func() Input { return new(VerifyInput) }, Due: []string{rules.PenaltyLimitation},
		apply: func(a *act) error {
			in, f := input[*VerifyInput](a), a.facts()
			f.VerifiedOn = a.on
			if in.ActEndedOn != "" {
				f.ActEndedOn = in.ActEndedOn
			}
			if in.Limitation5 != nil {
				f.Limitation5 = *in.Limitation5
			}
			return nil
		}})

	s.define(&actionDef{Action: ActDismiss, Title: msg("不予立案", "dismiss the lead"), Perm: authz.CasesApprove,
		Input: func() Input { return new(ReasonInput) },
		apply: func(a *act) error {
			a.facts().Ending = &Ending{On: a.on, How: "dismissed", Reason: input[*ReasonInput](a).Reason}
			a.facts().ClosedOn = a.on
			return nil
		}})

	s.define(&actionDef{Action: ActFile, Title: msg("立案", "file the case"), Perm: authz.CasesApprove, Rule: ruleFiling,
		Input: func() Input { return new(FileInput) }, Due: []string{rules.PenaltyLimitation},
		check: func(a *act) error {
			f := a.facts()
			if a.in != nil || f.ActEndedOn == "" || f.Lead == nil {
				return nil // apply checks with the body's dates and flag
			}
			return a.limitation(f.ActEndedOn, f.Lead.ReceivedOn, f.Limitation5)
		},
		apply: func(a *act) error {
			in, f := input[*FileInput](a), a.facts()
			if in.ActEndedOn != "" {
				f.ActEndedOn = in.ActEndedOn
			}
			if in.Limitation5 != nil {
				f.Limitation5 = *in.Limitation5
			}
			if f.ActEndedOn == "" {
				return errs.E(errs.Invalid, "立案须写明违法行为发生（或终了）之日", "filing needs the day the act happened (or ended)").
					WithFields(errs.Field("act_ended_on", "必填", "required"))
			}
			if f.ActEndedOn.After(a.on) {
				return errs.E(errs.Invalid, "违法行为之日不能晚于立案之日", "the act cannot end after the filing").
					WithFields(errs.Field("act_ended_on", "晚于立案日", "after the filing day"))
			}
			if err := a.limitation(f.ActEndedOn, f.Lead.ReceivedOn, f.Limitation5); err != nil {
				return err
			}
			team := f.Team
			if len(in.OfficerIDs) > 0 {
				team = in.OfficerIDs
			}
			if err := a.officers(team, ruleOfficers); err != nil {
				return err
			}
			a.setTeam(team)
			f.FiledOn = a.on
			a.issueInternal(documents.TypeCaseFiling)
			f.Flags = Flags{Major: in.Major, Complex: in.Complex, ReviewRequired: in.ReviewRequired}
			l, err := a.decideLimit(a.on)
			if err != nil {
				return err
			}
			a.record("decide_due", l.Due)
			if f.Flags.Major {
				a.warn("major_case", ruleDiscussion, "重大案件已立案", "a major case was filed")
			}
			return nil
		}})

	s.define(&actionDef{Action: ActInvestigate, Title: msg("调查取证", "investigate"), Perm: authz.CasesWrite, Rule: ruleOfficers,
		Input: func() Input { return new(FieldInput) }, Field: true, Due: []string{rules.PenaltyDecide},
		apply: func(a *act) error {
			in := input[*FieldInput](a)
			if err := a.officers(in.OfficerIDs, ruleOfficers); err != nil {
				return err
			}
			a.facts().InvestigatedOn = a.on
			return nil
		}})

	s.define(&actionDef{Action: ActPreserve, Title: msg("先行登记保存证据", "register evidence for preservation"), Perm: authz.CasesWrite,
		Rule: catalogueRef(rules.PenaltyEvidencePreserved), Input: func() Input { return new(FieldInput) }, Field: true,
		apply: func(a *act) error {
			in := input[*FieldInput](a)
			if err := a.officers(in.OfficerIDs, ruleOfficers); err != nil {
				return err
			}
			if in.Items == "" {
				return errs.E(errs.Invalid, "须写明登记保存的物品", "list the things registered").WithFields(errs.Field("items", "必填", "required"))
			}
			d, err := a.dueOn(rules.PenaltyEvidencePreserved, a.on)
			if err != nil {
				return err
			}
			a.record("decide_by", day(d.Due))
			a.facts().Preservations = append(a.facts().Preservations, Preservation{On: a.on, Items: in.Items})
			return nil
		}})

	s.define(&actionDef{Action: ActDecidePreservation, Title: msg("先行登记保存处理决定", "decide on preserved evidence"), Perm: authz.CasesApprove,
		Rule: catalogueRef(rules.PenaltyEvidencePreserved), Input: func() Input { return new(ReasonInput) }, Due: []string{rules.PenaltyEvidencePreserved},
		check: func(a *act) error {
			if openPreservation(a.facts()) < 0 {
				return errs.E(errs.FailedPrecondition, "没有待处理的先行登记保存", "no registered evidence awaits a decision")
			}
			return nil
		},
		apply: func(a *act) error {
			p := &a.facts().Preservations[openPreservation(a.facts())]
			p.DecidedOn, p.Outcome = a.on, input[*ReasonInput](a).Reason
			d, err := a.dueOn(rules.PenaltyEvidencePreserved, p.On)
			if err != nil {
				return err
			}
			if a.on.After(day(d.Due)) {
				a.late = true
				a.warn("deadline", d.Rule.Ref(), fmt.Sprintf("先行登记保存处理决定逾期（应于 %s 前）", day(d.Due)),
					fmt.Sprintf("decision on preserved evidence late (due %s)", day(d.Due)))
			}
			return nil
		}})

	s.define(&actionDef{Action: ActReport, Title: msg("调查终结报告", "investigation report"), Perm: authz.CasesWrite,
		Input: func() Input { return new(ReportInput) }, Due: []string{rules.PenaltyDecide},
		apply: func(a *act) error {
			in := input[*ReportInput](a)
			a.facts().Report = &Report{On: a.on, Facts: in.Facts, Evidence: in.Evidence}
			return nil
		}})

	s.define(&actionDef{Action: ActPropose, Title: msg("拟处罚意见（裁量）", "propose the penalty (discretion)"), Perm: authz.CasesWrite, Rule: ruleDiscretion,
		Input: func() Input { return new(ProposeInput) }, Due: []string{rules.PenaltyDecide},
		prepare: prepareBenchmark, apply: applyPropose})

	s.define(&actionDef{Action: ActNotify, Title: msg("告知拟处罚及权利", "serve the prior notice"), Perm: authz.CasesWrite, Rule: ruleHearing,
		Input: func() Input { return new(NotifyInput) }, Due: []string{rules.PenaltyDecide}, apply: applyNotify})

	s.define(&actionDef{Action: ActStatement, Title: msg("陈述、申辩", "statement and defence"), Perm: authz.CasesWrite, Rule: catalogueRef(rules.PenaltyStatement),
		Input: func() Input { return new(StatementInput) }, apply: applyStatement})

	s.define(&actionDef{Action: ActRequestHearing, Title: msg("当事人申请听证", "the party asks for a hearing"), Perm: authz.CasesWrite,
		Rule: catalogueRef(rules.PenaltyHearingRequest), Input: func() Input { return new(StepInput) }, Due: []string{rules.PenaltyHearingRequest},
		check: func(a *act) error {
			n := a.facts().Notice
			if n == nil || !n.HearingRight {
				return refuse(ruleHearing, "告知书未告知听证权利，当事人不能申请听证", "the prior notice offered no hearing right")
			}
			if n.HearingWaived {
				return refuse(ruleHearing, "当事人已放弃听证", "the party waived the hearing")
			}
			if a.on.After(n.HearingDue) {
				return refuse(catalogueRef(rules.PenaltyHearingRequest), "听证申请已逾期：应在告知后5个工作日内（%s 前）提出", "the hearing request is late: it was due within 5 working days of the notice (by %s)", n.HearingDue)
			}
			return nil
		},
		apply: func(a *act) error {
			a.facts().Hearing = &Hearing{RequestedOn: a.on}
			return nil
		}})

	s.define(&actionDef{Action: ActWaiveHearing, Title: msg("当事人书面放弃听证", "the party waives the hearing in writing"), Perm: authz.CasesWrite,
		Rule: catalogueRef(rules.PenaltyHearingRequest), Input: func() Input { return new(WaiverInput) },
		check: func(a *act) error {
			if n := a.facts().Notice; n == nil || !n.HearingRight || n.HearingWaived {
				return errs.E(errs.FailedPrecondition, "没有可放弃的听证权利", "there is no hearing right to waive")
			}
			return nil
		},
		apply: func(a *act) error {
			n := a.facts().Notice
			w, err := a.waiver(n)
			if err != nil {
				return err
			}
			n.HearingWaived, n.HearingWaiver = true, w
			return nil
		}})

	s.define(&actionDef{Action: ActScheduleHearing, Title: msg("听证通知", "schedule the hearing"), Perm: authz.CasesWrite,
		Rule: catalogueRef(rules.PenaltyHearingNotice), Input: func() Input { return new(ScheduleHearingInput) },
		apply: func(a *act) error {
			in, h := input[*ScheduleHearingInput](a), a.facts().Hearing
			d, err := a.dueOn(rules.PenaltyHearingNotice, in.HearingOn)
			if err != nil {
				return err
			}
			if a.on.After(day(d.Due)) {
				return refuse(d.Rule.Ref(), "听证通知须在举行听证的7个工作日前送达：听证日 %s 的通知最迟 %s", "the hearing notice must reach the party 7 working days before the hearing: for %s, by %s", in.HearingOn, day(d.Due))
			}
			if slices.Contains(a.facts().Team, in.PresiderID) {
				return refuse(ruleHearingPresid, "听证主持人不得由本案调查人员担任", "the presider may not be one of the case's investigators")
			}
			if _, err := a.officerExists("presider_id", in.PresiderID); err != nil {
				return err
			}
			h.NoticeOn, h.ScheduledOn, h.PresiderID, h.Place = a.on, in.HearingOn, in.PresiderID, in.Place
			a.record("notice_latest", day(d.Due))
			a.deliver(documents.TypeHearingNotice, "", a.on, jobs.QueueDefault)
			return nil
		}})

	s.define(&actionDef{Action: ActHoldHearing, Title: msg("举行听证", "hold the hearing"), Perm: authz.CasesWrite,
		Input: func() Input { return new(HearingInput) },
		check: func(a *act) error {
			if h := a.facts().Hearing; h != nil && a.on.Before(h.ScheduledOn) {
				return errs.E(errs.FailedPrecondition, fmt.Sprintf("听证定于 %s 举行", h.ScheduledOn), fmt.Sprintf("the hearing is set for %s", h.ScheduledOn))
			}
			return nil
		},
		apply: func(a *act) error {
			h := a.facts().Hearing
			h.HeldOn, h.Summary = a.on, input[*HearingInput](a).Summary
			h.ExcludedDays = daysBetween(h.RequestedOn, h.HeldOn)
			return nil
		}})

	s.define(&actionDef{Action: ActSubmitReview, Title: msg("提交法制审核", "submit for legal review"), Perm: authz.CasesWrite, Rule: ruleLegalReview,
		Input: func() Input { return new(StepInput) },
		apply: func(a *act) error {
			a.facts().Review = &Review{SubmittedOn: a.on}
			return nil
		}})

	s.define(&actionDef{Action: ActPassReview, Title: msg("法制审核通过", "pass the legal review"), Perm: authz.CasesReview, Rule: ruleLegalReview,
		Input: func() Input { return new(ReasonInput) },
		apply: func(a *act) error {
			r := a.facts().Review
			r.ReviewedOn, r.Reviewer, r.Passed, r.Opinion = a.on, a.sc.Actor(), true, input[*ReasonInput](a).Reason
			return nil
		}})

	s.define(&actionDef{Action: ActReturnReview, Title: msg("法制审核退回", "return from legal review"), Perm: authz.CasesReview, Rule: ruleLegalReview,
		Input: func() Input { return new(ReasonInput) },
		apply: func(a *act) error {
			r := a.facts().Review
			r.ReviewedOn, r.Reviewer, r.Passed, r.Opinion = a.on, a.sc.Actor(), false, input[*ReasonInput](a).Reason
			return nil
		}})

	s.define(&actionDef{Action: ActDiscuss, Title: msg("负责人集体讨论", "collective discussion"), Perm: authz.CasesApprove, Rule: ruleDiscussion,
		Input: func() Input { return new(DiscussInput) }, Due: []string{rules.PenaltyDecide},
		apply: func(a *act) error {
			in := input[*DiscussInput](a)
			a.facts().Discussion = &Discussion{On: a.on, Participants: in.Participants, Conclusion: in.Conclusion}
			return nil
		}})

	s.define(&actionDef{Action: ActDecide, Title: msg("作出处罚决定", "decide the penalty"), Perm: authz.CasesApprove, Rule: rulePriorNotice,
		Input: func() Input { return new(DecideInput) }, Due: []string{rules.PenaltyDecide, rules.PenaltyStatement, rules.PenaltyHearingRequest},
		check: checkDecide, apply: applyDecide})

	s.define(&actionDef{Action: ActNotPenalise, Title: msg("不予处罚", "decide not to penalise"), Perm: authz.CasesApprove, Rule: ruleNotPenalised,
		Input: func() Input { return new(NotPenaliseInput) }, apply: applyNotPenalise})

	s.define(&actionDef{Action: ActServe, Title: msg("送达", "serve"), Perm: authz.CasesWrite, Rule: ruleEDelivery,
		Input: func() Input { return new(ServeInput) }, Field: true,
		Due: []string{rules.PenaltyDelivery, rules.ServicePublicNotice, rules.CoercionFreezeDelivery}, apply: applyServe})

	s.define(&actionDef{Action: ActPay, Title: msg("缴纳罚款 / 履行", "record the payment"), Perm: authz.CasesWrite,
		Rule: catalogueRef(rules.PenaltyPayment), Input: func() Input { return new(PayInput) }, Due: []string{rules.PenaltyPayment},
		apply: applyPay})

	s.define(&actionDef{Action: ActHandOverCash, Title: msg("当场收缴罚款上交", "hand collected cash to the agency"), Perm: authz.CasesWrite,
		Rule: catalogueRef(rules.PenaltyCashHandover), Input: func() Input { return new(StepInput) }, Due: []string{rules.PenaltyCashHandover},
		check: func(a *act) error {
			if p := a.facts().Payment; p == nil || !p.OnTheSpot || p.HandedOverOn != "" {
				return errs.E(errs.FailedPrecondition, "没有待上交的当场收缴罚款", "no cash collected on the spot awaits handing over")
			}
			return nil
		},
		apply: func(a *act) error {
			p := a.facts().Payment
			p.HandedOverOn = a.on
			d, err := a.dueOn(rules.PenaltyCashHandover, p.PaidOn)
			if err != nil {
				return err
			}
			if a.on.After(day(d.Due)) {
				a.late = true
				a.warn("deadline", d.Rule.Ref(), fmt.Sprintf("当场收缴的罚款逾期上交（应于 %s 前）", day(d.Due)),
					fmt.Sprintf("cash collected on the spot handed over late (due %s)", day(d.Due)))
			}
			return nil
		}})

	s.define(&actionDef{Action: ActReferEnforcement, Title: msg("转入强制执行", "refer for enforcement"), Perm: authz.CasesApprove,
		Rule: catalogueRef(rules.PenaltyPayment), Input: func() Input { return new(ReasonInput) }, Due: []string{rules.PenaltyPayment},
		check: func(a *act) error {
			f := a.facts()
			if f.Delivery == nil || f.Delivery.PayDue == "" || f.outstanding() == 0 {
				return errs.E(errs.FailedPrecondition, "本决定没有待缴的罚款", "the decision imposes no fine to collect")
			}
			if due := f.payDue(); !a.on.After(due) {
				return refuse(catalogueRef(rules.PenaltyPayment), "缴款期限（%s）届满前不能转入强制执行", "enforcement may start only after the payment deadline (%s)", due)
			}
			return nil
		},
		apply: applyReferEnforcement})

	s.define(&actionDef{Action: ActDecideOnSite, Title: msg("当场作出处罚决定", "decide on the spot"), Perm: authz.CasesWrite,
		Rule: ref(rules.GateSummary, rules.LawPenalty, 51), Input: func() Input { return new(DecideInput) }, Field: true,
		apply: applyDecideOnSite})
	return s
}

// limitation refuses filing an act discovered after the limitation period (行政处罚法 Art. 36).
func (a *act) limitation(actEnded, discovered civil.Date, safety bool) error {
	d, err := a.s.rules.Limitation(a.ctx, a.tx, a.sc, actEnded.Time(), discovered.Time(), safety)
	if d != nil {
		a.record("limitation_ends", day(d.Due))
	}
	return err
}

// openPreservation returns the index of the oldest preservation awaiting a decision, or -1.
func openPreservation(f *Facts) int {
	return slices.IndexFunc(f.Preservations, func(p Preservation) bool { return p.DecidedOn == "" })
}

// pinned is what prepareBenchmark found: the benchmark's matter and the version to pin.
type pinned struct {
	matterID string
	version  *elements.BenchmarkVersion
}

// prepareBenchmark looks up the discretion benchmark a proposal applies, before the transaction:
// the version named, or the one in force on the proposal's day.
func prepareBenchmark(ctx context.Context, s *Service, sc tenants.Scope, in Input) (any, error) {
	p := in.(*ProposeInput)
	if p.BenchmarkID == "" {
		return nil, nil
	}
	b, err := s.elements.FindBenchmark(ctx, sc, p.BenchmarkID)
	if err != nil {
		if errs.Is(err, errs.NotFound) {
			return nil, errs.E(errs.Invalid, "裁量基准不存在", "no such discretion benchmark").WithFields(errs.Field("benchmark_id", "不存在", "does not exist"))
		}
		return nil, err
	}
	on, _ := when(&p.Common, s.now())
	var v *elements.BenchmarkVersion
	for i := range b.Versions {
		bv := &b.Versions[i]
		switch {
		case p.BenchmarkVersion != 0 && bv.Version == p.BenchmarkVersion:
			v = bv
		case p.BenchmarkVersion == 0 && !bv.EffectiveFrom.After(on) && (v == nil || bv.Version > v.Version):
			v = bv
		}
	}
	if v == nil {
		return nil, errs.E(errs.Invalid, "该裁量基准没有适用的版本", "the benchmark has no applicable version").
			WithFields(errs.Field("benchmark_version", "无此版本，或在该日尚未生效", "no such version, or none in force on that day"))
	}
	return &pinned{matterID: b.MatterID, version: v}, nil
}

// applyPropose records the proposed penalty and pins the benchmark version (Art. 34): a fine
// outside the benchmark's range, or a fine without a benchmark, needs a recorded reason.
func applyPropose(a *act) error {
	in, f := input[*ProposeInput](a), a.facts()
	if err := a.cite("penalty", &in.Penalty, nil); err != nil {
		return err
	}
	prop := &Proposal{On: a.on, Penalty: in.Penalty, OutsideReason: in.OutsideReason}
	if pin, ok := a.pre.(*pinned); ok && pin != nil {
		if a.c.MatterID != nil && *a.c.MatterID != pin.matterID {
			return errs.E(errs.Invalid, "裁量基准不属于本案的执法事项", "the benchmark belongs to another enforcement matter").
				WithFields(errs.Field("benchmark_id", "事项不符", "another matter"))
		}
		i := slices.IndexFunc(pin.version.Items, func(it elements.BenchmarkItem) bool { return it.Circumstance == in.Circumstance })
		if i < 0 {
			return errs.E(errs.Invalid, "裁量基准中没有该情节", "the benchmark has no such circumstance").
				WithFields(errs.Field("circumstance", "不在基准之中", "not in the benchmark"))
		}
		it := pin.version.Items[i]
		prop.Benchmark = &PinnedBenchmark{BenchmarkID: pin.version.BenchmarkID, Version: pin.version.Version,
			Circumstance: it.Circumstance, MinFineFen: it.MinFine, MaxFineFen: it.MaxFine}
		if in.Penalty.has(PenaltyFine) && !it.Fine(in.Penalty.FineFen) && in.OutsideReason == "" {
			return refuse(ruleDiscretion, "拟罚款 %s 超出裁量基准“%s”的幅度（%s 至 %s），须说明理由", "the fine %s is outside the range of circumstance %q (%s to %s): give the reason",
				money.Fen(in.Penalty.FineFen), it.Circumstance, money.Fen(it.MinFine), money.Fen(it.MaxFine))
		}
		a.record("benchmark", prop.Benchmark)
	} else if in.Penalty.has(PenaltyFine) && in.OutsideReason == "" {
		return refuse(ruleDiscretion, "罚款须适用裁量基准，未适用的须说明理由", "a fine must apply a discretion benchmark, or give the reason why none applies")
	}
	f.Proposal = prop
	return nil
}

// hearingRequired reports whether penalty carries the hearing right (Art. 63): a heavy kind of
// penalty, or a fine or confiscation at or above the tenant's threshold for the party.
func (a *act) hearingRequired(p Penalty) (bool, error) {
	for _, t := range p.Types {
		if t.heavy() {
			return true, nil
		}
	}
	kind := rules.PartyKind(a.facts().Party.Kind)
	for _, amount := range []int64{p.FineFen, p.ConfiscationFen} {
		if amount == 0 {
			continue
		}
		ok, _, err := a.s.rules.HearingRequiredAt(a.ctx, a.tx, a.sc, a.c.BodyID, kind, amount)
		if err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}

// applyNotify records the prior notice (Art. 44): the proposed penalty, and the hearing right when
// Art. 63 requires it; the windows to state a defence (Art. 44, 45) and to ask for a hearing
// (Art. 64) run from the day the notice is served: the step's day, the return receipt's by post,
// or the end of a public notice's period.
func applyNotify(a *act) error {
	in, f := input[*NotifyInput](a), a.facts()
	if in.Method == "electronic" {
		if err := a.needConsent(); err != nil {
			return err
		}
	}
	required, err := a.hearingRequired(f.Proposal.Penalty)
	if err != nil {
		return err
	}
	a.record("hearing_required", required)
	served, pn, err := a.serviceOf("prior_notice", in.Method, &in.Served, f.Proposal.On)
	if err != nil {
		return err
	}
	n := &Notice{NotifiedOn: a.on, Penalty: f.Proposal.Penalty, HearingRight: required || in.HearingRight}
	f.Notice, f.Hearing, f.Review, f.Discussion = n, nil, nil, nil
	if pn != nil {
		f.PublicNotices = append(f.PublicNotices, *pn)
	} else if err := a.noticeServed(n, served, in.Method); err != nil {
		return err
	}
	a.deliver(documents.TypePriorNotice, in.Method, a.on, jobs.QueueDefault)
	return nil
}

// checkDecide holds the gates before a decision that depend only on the case: the prior notice
// (Art. 62), the hearing window (Art. 64), legal review (Art. 58), collective discussion
// (Art. 57) and the time limit (Art. 60).
func checkDecide(a *act) error {
	f := a.facts()
	n := f.Notice
	if n == nil {
		return refuse(rulePriorNotice, "作出处罚决定前须告知拟处罚内容及陈述、申辩（听证）权利", "the party must be told of the proposed penalty and its rights before a decision")
	}
	if n.ServedOn != "" && n.HearingRight && !n.HearingWaived && f.Hearing == nil && !a.on.After(n.HearingDue) {
		return refuse(catalogueRef(rules.PenaltyHearingRequest), "听证申请期限至 %s 届满，届满前不能作出决定（当事人书面放弃的除外）", "the party may ask for a hearing until %s: no decision before then unless the party waives it in writing", n.HearingDue)
	}
	if err := a.statementGate(n); err != nil {
		return err
	}
	if f.ReviewNeeded() && (f.Review == nil || !f.Review.Passed) {
		return refuse(ruleLegalReview, "本案须经法制审核通过后方可作出决定（重大、复杂、经听证或法律规定）", "the case needs a passed legal review before the decision (major, complex, heard, or required by law)")
	}
	if f.DiscussionNeeded() && f.Discussion == nil {
		return refuse(ruleDiscussion, "情节复杂或重大违法行为须经负责人集体讨论决定", "a complex or major case must be decided by the heads' collective discussion")
	}
	l, err := a.decideLimit(a.on)
	if err != nil {
		return err
	}
	if a.on.After(l.Due) {
		return refuse(catalogueRef(rules.PenaltyDecide), "已超过办案期限（%s；立案 %s，扣除 %d 日，延长 %d 日）", "the time to decide has passed (%s; filed %s, %d days excluded, %d days extended)",
			l.Due, f.FiledOn, l.Excluded, l.Extension)
	}
	a.record("decide_due", l.Due)
	return nil
}

// applyDecide records the decision: no heavier than notified (Art. 45, 62), with the document's
// mandatory items (Art. 59); it is served and disclosed through the outbox.
func applyDecide(a *act) error {
	in, f := input[*DecideInput](a), a.facts()
	if err := a.cite("penalty", &in.Penalty, &f.Notice.Penalty); err != nil {
		return err
	}
	if why := in.Penalty.heavierThan(f.Notice.Penalty); why != "" {
		return refuse(ruleNoHeavier, "决定的处罚（%s）重于告知的拟处罚，须重新告知；不得因当事人陈述、申辩而加重处罚", "the decided penalty is heavier than notified (%s): notify again; defending may not make it heavier", why)
	}
	if deadlineWords.MatchString(in.PaymentHow) {
		return errs.E(errs.Invalid, "履行方式只写缴纳的方式：缴纳期限由决定书按"+rules.MustLookup(rules.PenaltyPayment).Cite().Screen()+"载明", "write only how the fine is paid: the decision states the period of Art. 67 itself").
			WithFields(errs.Field("payment_how", "不含期限", "without the period"))
	}
	if err := a.decided(in, false); err != nil {
		return err
	}
	f.Decision.StatementOpinion = f.statementOpinion()
	return nil
}

// onTheSpotArticles cite when a fine may be collected on the spot (行政处罚法 Art. 68, 69).
var onTheSpotArticles = rules.Cites{rules.Art(rules.LawPenalty, 68), rules.Art(rules.LawPenalty, 69)}

// DefaultPaymentHow is how a decision's fine is paid when the decision names no other way
// (行政处罚法 Art. 67 ¶1: to the designated bank, or through the electronic payment system).
const DefaultPaymentHow = "到指定银行或者通过电子支付系统缴纳罚款"

// deadlineWords find a period written into the manner of payment, which the decision states
// once itself.
var deadlineWords = regexp.MustCompile(`日内|之日起|[0-9一二三四五六七八九十]+日|期限`)

// decided records a decision (both procedures) with its outbox rows.
func (a *act) decided(in *DecideInput, onTheSpot bool) error {
	f := a.facts()
	recon, _ := rules.Lookup(rules.RemedyReconsideration)
	lit, _ := rules.Lookup(rules.RemedyLitigation)
	if in.Number == "" && a.s.docs == nil {
		return errs.E(errs.Invalid, "须填写决定书文号", "the decision needs its document number").
			WithFields(errs.Field("number", "必填", "required"))
	}
	f.Decision = &Decision{On: a.on, Number: in.Number, Penalty: in.Penalty, Facts: in.Facts, PaymentHow: in.PaymentHow,
		OnTheSpot: onTheSpot, DecidedBy: a.sc.Actor(), Place: in.Place,
		Reconsider: fmt.Sprintf("可自知道本决定之日起%d日内申请行政复议（%s）", recon.Amount, recon.Cite().Screen()),
		Litigation: fmt.Sprintf("可自知道本决定之日起%d个月内提起行政诉讼（%s）", lit.Amount, lit.Cite().Screen())}
	if v, ok := a.derived["decide_due"].(civil.Date); ok {
		f.Decision.DecideDue = v
	}
	if !onTheSpot {
		d, err := a.dueOn(rules.PenaltyDelivery, a.on)
		if err != nil {
			return err
		}
		a.record("delivery_due", day(d.Due))
		a.deliver(documents.TypePenaltyDecision, "", day(d.Due), jobs.QueueCritical)
		pub, err := a.dueOn(rules.DisclosurePublication, a.on)
		if err != nil {
			return err
		}
		a.publish = publication(a.c, f.Party, in, a.on, day(pub.Due))
		enqueue(a, disclosuretask.Publish, a.publish)
	}
	return nil
}

// publishSummary writes the disclosure:publish of an on-the-spot decision where the body's
// setting asks for it (SettingPublishSummary), due like a general decision's.
func publishSummary(a *act, f *Facts, in *DecideInput) error {
	var on bool
	if a.s.settings != nil {
		if err := a.s.settings.SettingValue(a.ctx, a.tx, a.sc, a.c.BodyID, SettingPublishSummary, &on); err != nil {
			return err
		}
	}
	if !on {
		return nil
	}
	pub, err := a.dueOn(rules.DisclosurePublication, a.on)
	if err != nil {
		return err
	}
	a.publish = publication(a.c, f.Party, in, a.on, day(pub.Due))
	enqueue(a, disclosuretask.Publish, a.publish)
	return nil
}

// applyNotPenalise records a decision not to penalise: education recorded for minor and first
// violations (Art. 33), the age for a party under 14 at the act (Art. 30).
func applyNotPenalise(a *act) error {
	in, f := input[*NotPenaliseInput](a), a.facts()
	if (in.Ground == "minor" || in.Ground == "first_violation") && in.Education == "" {
		return refuse(ruleNotPenalised, "对轻微或初次违法不予处罚的，应当对当事人进行教育并记录", "not penalising a minor or first violation needs the party's education recorded").
			WithFields(errs.Field("education", "必填", "required"))
	}
	if in.Ground == "under_14" {
		born, ok := birthDate(f.Party)
		if !ok || f.ActEndedOn == "" || !addYears(born, 14).After(f.ActEndedOn) {
			return refuse(ruleUnder14, "不满十四周岁须以当事人身份证件的出生日期与违法行为之日证明", "under 14 must follow from the party's birth date and the day of the act")
		}
	}
	f.NotPenalised = &NotPenalised{On: a.on, Ground: in.Ground, Education: in.Education, Reason: in.Reason}
	a.deliver(documents.TypeNotPenalised, "", a.on, jobs.QueueDefault)
	return nil
}

// birthDate reads a person's birth date from the identity number.
func birthDate(p Party) (civil.Date, bool) {
	if p.Kind != PartyPerson || len(p.IDNumber) != 18 {
		return "", false
	}
	return civil.ParseDate(p.IDNumber[6:10] + "-" + p.IDNumber[10:12] + "-" + p.IDNumber[12:14])
}

func addYears(d civil.Date, n int) civil.Date { return day(rules.YearsAfter(d.Time(), n)) }

// applyServe records a document served: the penalty decision (Art. 61: on the spot or within 7
// working days; e-delivery with consent; the other methods by the Civil Procedure Law, see
// serviceOf), or a coercive measure's decision (a freeze's within 3 working days, 行政强制法 Art.
// 31). Late service is recorded and warned, not refused: the document must still be served. A
// public notice (公告送达, 民事诉讼法 Art. 95) keeps the case decided: the decision is served when
// its period has passed (cases:serve_notices), and its publication is what Art. 61's 7 working
// days judge.
func applyServe(a *act) error {
	in, f := input[*ServeInput](a), a.facts()
	if in.Method == "electronic" {
		if a.s.consents != nil {
			return refuse(ruleEDelivery, "电子送达以文书到达当事人指定的系统为送达，由平台在到达时自动记录，不能手工登记",
				"electronic delivery is served on arrival in the designated system and the platform records it when the document arrives: it cannot be entered by hand")
		}
		if err := a.needConsent(); err != nil {
			return err
		}
	}
	kind, issued := "penalty_decision", civil.Date("")
	switch {
	case a.c.Kind == KindCoercion:
		kind, issued = "freeze_decision", f.Measure.TakenOn
		if f.Measure.Type != MeasureFreeze {
			kind = "seizure_decision"
		}
		if in.Method == "public_notice" {
			return errs.E(errs.Invalid, "强制措施决定书应当场交付或直接送达，不适用公告送达", "a coercive measure's decision is handed over, not served by public notice").
				WithFields(errs.Field("method", "不适用公告送达", "public notice not applicable"))
		}
	case f.Decision != nil:
		issued = f.Decision.On
	}
	ref := f.document(kind)
	if ref != nil && ref.ServedOn != "" {
		return errs.E(errs.Conflict, fmt.Sprintf("决定书已于 %s 送达（%s）", ref.ServedOn, ref.ServedBy),
			fmt.Sprintf("the decision was already served on %s (%s)", ref.ServedOn, ref.ServedBy))
	}
	served, pn, err := a.serviceOf(kind, in.Method, &in.Served, issued)
	if err != nil {
		return err
	}
	docID := ""
	if ref != nil {
		docID = ref.ID
		a.record("document_id", ref.ID)
	}
	if pn != nil {
		pn.DocumentID = docID
		f.PublicNotices = append(f.PublicNotices, *pn)
		a.to = a.from
		d, err := a.dueOn(rules.PenaltyDelivery, issued)
		if err != nil {
			return err
		}
		a.lateOn(d, pn.PublishedOn, "处罚决定书逾期公告送达", "penalty decision published late")
		return nil
	}
	if ref != nil {
		ref.ServedOn, ref.ServedBy = served, in.Method
	}
	f.settleNotices(kind, in.Method)
	if a.c.Kind == KindCoercion {
		return a.serveMeasure()
	}
	return a.serveDecision(&Delivery{Method: in.Method, DocumentID: docID, Receipt: in.Receipt, Witnesses: in.Witnesses, EvidenceIDs: in.EvidenceIDs}, served, served)
}

// serveMeasure records a coercive measure's decision served on the step's day (a freeze's within
// 3 working days of the freeze, 行政强制法 Art. 31).
func (a *act) serveMeasure() error {
	m := a.facts().Measure
	if m.ServedOn != "" {
		return errs.E(errs.Conflict, "决定书已送达", "the decision was already served")
	}
	m.ServedOn = a.on
	if m.Type == MeasureFreeze {
		d, err := a.dueOn(rules.CoercionFreezeDelivery, m.TakenOn)
		if err != nil {
			return err
		}
		a.lateIf(d, "冻结决定书逾期交付", "freeze decision delivered late")
	}
	return nil
}

// serveDecision records the penalty decision served on the day served, as del says how: late when
// sent after Art. 61's 7 working days (recorded and warned), and the payment deadline of Art. 67
// (15 days) counted from the day served.
func (a *act) serveDecision(del *Delivery, served, sent civil.Date) error {
	f := a.facts()
	dec := f.Decision
	d, err := a.dueOn(rules.PenaltyDelivery, dec.On)
	if err != nil {
		return err
	}
	del.ServedOn, del.Due = served, day(d.Due)
	del.Late = a.lateOn(d, sent, "处罚决定书逾期送达", "penalty decision served late")
	if dec.Penalty.FineFen > 0 {
		p, err := a.dueOn(rules.PenaltyPayment, served)
		if err != nil {
			return err
		}
		del.PayDue = day(p.Due)
		a.record("payment_due", del.PayDue)
	}
	a.record("served_on", served)
	f.Delivery = del
	return nil
}

// lateIf flags the step late (and warns) when it happened after deadline d.
func (a *act) lateIf(d *rules.Due, zh, en string) bool { return a.lateOn(d, a.on, zh, en) }

// lateOn flags the step late (and warns) when what it records happened on a day after deadline d.
func (a *act) lateOn(d *rules.Due, on civil.Date, zh, en string) bool {
	if !on.After(day(d.Due)) {
		return false
	}
	a.late = true
	a.warn("deadline", d.Rule.Ref(), fmt.Sprintf("%s（应于 %s 前）", zh, day(d.Due)), fmt.Sprintf("%s (due %s)", en, day(d.Due)))
	return true
}

// applyPay records a payment of the fine (or, for enforcement, of the obligation): the amount
// decided, a surcharge no higher than the principal (处罚法 Art. 72; 强制法 Art. 45), and cash
// collected on the spot only within Art. 68 and 69.
func applyPay(a *act) error {
	in, f := input[*PayInput](a), a.facts()
	// the principal due is what the online payments (instalments) left; the surcharge cap is the whole
	principal := f.outstanding()
	_, surchargePaid := f.paid()
	switch a.c.Kind {
	case KindEnforcement:
		if err := rules.CheckSurcharge(f.fineFen(), surchargePaid+in.SurchargeFen); err != nil {
			return err
		}
	default:
		if principal == 0 {
			return errs.E(errs.FailedPrecondition, "本决定没有待缴的罚款", "the decision leaves no fine to pay")
		}
		if surchargePaid+in.SurchargeFen > rules.SurchargeCap(f.fineFen()) {
			return refuse(ruleSurchargeP, "加处罚款的数额不得超出罚款的数额", "the late surcharge may not exceed the fine")
		}
	}
	if in.AmountFen != principal {
		return errs.E(errs.Invalid, fmt.Sprintf("缴纳金额须等于应缴金额 %s", money.Fen(principal)), fmt.Sprintf("the amount paid must equal the amount due, %s", money.Fen(principal))).
			WithFields(errs.Field("amount_fen", "与应缴金额不符", "does not match the amount due"))
	}
	if in.OnTheSpot {
		if a.c.Kind != KindSummary {
			return errs.E(errs.Invalid, "只有简易程序可以当场收缴罚款", "only the summary procedure collects fines on the spot").
				WithFields(errs.Field("on_the_spot", "不适用", "not applicable"))
		}
		if ok, rule := rules.OnTheSpotCollectionAllowed(principal, in.HardToCollect); !ok && !in.RemoteArea {
			return refuse(rule, "当场收缴限于100元以下罚款、事后难以执行或边远地区当事人提出（"+onTheSpotArticles.Screen()+"）", "fines may be collected on the spot only up to ¥100, when hard to collect later, or in remote areas on request (Art. 68, 69)")
		}
		d, err := a.dueOn(rules.PenaltyCashHandover, a.on)
		if err != nil {
			return err
		}
		a.record("hand_over_by", day(d.Due))
	}
	f.Payment = &Payment{PaidOn: a.on, AmountFen: in.AmountFen, SurchargeFen: in.SurchargeFen, Receipt: in.Receipt, OnTheSpot: in.OnTheSpot}
	return nil
}

// applyReferEnforcement opens the enforcement case of an unpaid fine, as a child of the decision.
func applyReferEnforcement(a *act) error {
	f := a.facts()
	remedies, err := a.remediesEnd(f.Delivery.ServedOn)
	if err != nil {
		return err
	}
	number := f.Decision.Number
	a.spawn(NewCase{Kind: KindEnforcement, BodyID: a.c.BodyID, Title: "强制执行：" + a.c.Title, Party: f.Party, OfficerIDs: f.Team,
		Enforcement: &NewEnforcement{DecisionRef: number, PrincipalFen: f.outstanding(), PayDue: f.payDue(), RemediesEnd: remedies}})
	return nil
}

// remediesEnd is the last day the party may seek reconsideration or sue over a decision served
// on served (the later of the two periods, 行政复议法 Art. 20, 行政诉讼法 Art. 46).
func (a *act) remediesEnd(served civil.Date) (civil.Date, error) {
	r, err := a.dueOn(rules.RemedyReconsideration, served)
	if err != nil {
		return "", err
	}
	l, err := a.dueOn(rules.RemedyLitigation, served)
	if err != nil {
		return "", err
	}
	end := day(r.Due)
	if day(l.Due).After(end) {
		end = day(l.Due)
	}
	a.record("remedies_end", end)
	return end, nil
}

// applyDecideOnSite decides a summary-procedure penalty on the spot (Art. 51, 52): within the
// thresholds, by two certified officers, after telling the party, served at once.
func applyDecideOnSite(a *act) error {
	in, f := input[*DecideInput](a), a.facts()
	warningOnly := len(in.Penalty.Types) == 1 && in.Penalty.Types[0] == PenaltyWarning
	for _, t := range in.Penalty.Types {
		if t != PenaltyWarning && t != PenaltyFine {
			return refuse(ref(rules.GateSummary, rules.LawPenalty, 51), "简易程序只能处以警告或小额罚款", "the summary procedure imposes only warnings and small fines")
		}
	}
	if err := a.cite("penalty", &in.Penalty, nil); err != nil {
		return err
	}
	if ok, rule := rules.SummaryAllowed(rules.PartyKind(f.Party.Kind), in.Penalty.FineFen, warningOnly); !ok {
		return refuse(rule, "当场处罚限于对公民200元以下、对单位3000元以下罚款或警告，本案 %s 须适用普通程序", "on-the-spot penalties are limited to ¥200 for a person, ¥3,000 for an organisation, or a warning: %s needs the general procedure", money.Fen(in.Penalty.FineFen))
	}
	if !in.NoticeGiven {
		return refuse(rulePriorNotice, "当场处罚前须告知当事人拟作出处罚的事实、理由和依据，并听取陈述、申辩", "before an on-the-spot penalty the party must be told the facts, reasons and basis, and heard").
			WithFields(errs.Field("notice_given", "必须告知", "the notice is required"))
	}
	ids := in.OfficerIDs
	if len(ids) == 0 {
		ids = f.Team
	}
	if err := a.officers(ids, ruleOfficers); err != nil {
		return err
	}
	if err := a.decided(in, true); err != nil {
		return err
	}
	a.issueServed(documents.TypeSummaryDecision, "on_the_spot")
	f.Delivery = &Delivery{ServedOn: a.on, Method: "on_the_spot", Due: a.on}
	if err := publishSummary(a, f, in); err != nil {
		return err
	}
	if in.Penalty.FineFen > 0 {
		p, err := a.dueOn(rules.PenaltyPayment, a.on)
		if err != nil {
			return err
		}
		f.Delivery.PayDue = day(p.Due)
		a.record("payment_due", f.Delivery.PayDue)
	}
	return nil
}
