package cases

import (
	"fmt"
	"slices"

	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/money"
	"zhifa/modules/payments/paymenttask"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

// The steps after a decision is served that change what it demands: a deferral or instalments
// approved on the party's application (Art. 66 ¶2), a reconsideration or lawsuit recorded (the
// surcharge does not accrue while it is pending, Art. 73 ¶3), and the decision revoked or its fine
// reduced (on reconsideration, by a court, or by the body's own correction, Art. 75 ¶2), with the
// refund of what was paid online beyond what it still demands.

// The actions.
const (
	ActArrangePayment Action = "arrange_payment" // 批准暂缓或者分期缴纳罚款 (Art. 66 ¶2)
	ActRecordRemedy   Action = "record_remedy"   // 记录行政复议、行政诉讼
	ActReviseDecision Action = "revise_decision" // 变更、撤销处罚决定 (Art. 75 ¶2)
)

var (
	ruleRevision    = ref("penalty.revision", rules.LawPenalty, 75)
	ruleTermination = ref("coercion.termination", rules.LawCoercion, 40)
)

// revisionSteps defines the steps after a decision's service: payment arrangements, remedies and
// revisions.
func revisionSteps() []*actionDef {
	var s steps
	s.define(&actionDef{Action: ActArrangePayment, Title: msg("批准暂缓或分期缴纳", "approve deferred or instalment payment"), Perm: authz.CasesApprove,
		Rule: ruleArrangement, Input: func() Input { return new(ArrangePaymentInput) }, Due: []string{rules.PenaltyPayment},
		check: func(a *act) error {
			f := a.facts()
			if f.Delivery == nil || f.Delivery.PayDue == "" || f.outstanding() == 0 {
				return refuse(ruleArrangement, "本决定没有待缴的罚款，无须暂缓或分期", "the decision leaves no fine to pay: nothing to defer or divide")
			}
			if p := f.Plan; p != nil && slices.ContainsFunc(p.Instalments, func(in Instalment) bool { return in.PaidOn != "" }) {
				return errs.E(errs.Conflict, fmt.Sprintf("已按 %s 批准的计划缴纳部分罚款，不能另行批准", p.ApprovedOn),
					fmt.Sprintf("part of the fine was paid under the plan approved on %s: it cannot be replaced", p.ApprovedOn))
			}
			return nil
		},
		apply: applyArrangePayment})

	s.define(&actionDef{Action: ActRecordRemedy, Title: msg("记录复议、诉讼", "record a reconsideration or lawsuit"), Perm: authz.CasesWrite,
		Rule: catalogueRef(rules.RemedyReconsideration), Input: func() Input { return new(RecordRemedyInput) },
		check: func(a *act) error {
			if f := a.facts(); f.Decision == nil || f.Delivery == nil {
				return errs.E(errs.FailedPrecondition, "处罚决定尚未送达", "the decision was not served")
			}
			return nil
		},
		apply: applyRecordRemedy})

	s.define(&actionDef{Action: ActReviseDecision, Title: msg("变更、撤销处罚决定", "revoke the decision or reduce the fine"), Perm: authz.CasesApprove,
		Rule: ruleRevision, Input: func() Input { return new(ReviseDecisionInput) },
		check: checkRevise, apply: applyRevise})
	return s
}

// applyArrangePayment approves a plan on the party's application made after the decision was
// served: a deferral to a day after the payment deadline, or instalments each due on or after it,
// strictly increasing and summing to the fine outstanding. An approved plan none of whose parts
// was paid is replaced by a new approval; once a part is paid the plan stands (Conflict).
func applyArrangePayment(a *act) error {
	in, f := input[*ArrangePaymentInput](a), a.facts()
	del, due := f.Delivery, f.outstanding()
	if in.AppliedOn.Before(del.ServedOn) || in.AppliedOn.After(a.on) {
		return refuse(ruleArrangement, "暂缓或分期缴纳须经当事人在收到决定书后申请、行政机关批准：申请日须在送达日 %s 与批准日 %s 之间",
			"deferral or instalments need the party's application after the decision was served, then approval: the application must fall between %s and %s",
			del.ServedOn, a.on).WithFields(errs.Field("applied_on", "不在送达日与批准日之间", "not between service and approval"))
	}
	plan := &Plan{Kind: PlanKind(in.Kind), ApprovedOn: a.on, Reason: in.Reason}
	if in.Kind == "deferral" {
		if !in.DeferredTo.After(del.PayDue) {
			return refuse(ruleArrangement, "暂缓缴纳的期限须晚于原缴款期限 %s", "a deferral must run past the payment deadline, %s", del.PayDue).
				WithFields(errs.Field("deferred_to", "须晚于 "+string(del.PayDue), "must be after "+string(del.PayDue)))
		}
		plan.Instalments = []Instalment{{Seq: 1, DueOn: in.DeferredTo, AmountFen: due}}
	} else {
		var sum int64
		for i, x := range in.Instalments {
			if x.DueOn.Before(del.PayDue) {
				return refuse(ruleArrangement, "分期缴纳的各期缴款日不得早于原缴款期限 %s（第%d期为 %s）", "no instalment may fall before the payment deadline, %s (instalment %d: %s)",
					del.PayDue, i+1, x.DueOn).WithFields(errs.Field(fmt.Sprintf("instalments[%d].due_on", i), "早于原缴款期限", "before the payment deadline"))
			}
			sum += x.AmountFen
			plan.Instalments = append(plan.Instalments, Instalment{Seq: i + 1, DueOn: x.DueOn, AmountFen: x.AmountFen})
		}
		if sum != due {
			return refuse(ruleArrangement, "各期金额合计 %s 须等于应缴罚款 %s", "the instalments add up to %s, not the fine due, %s", money.Fen(sum), money.Fen(due)).
				WithFields(errs.Field("instalments", "合计应为 "+money.Fen(due).String(), "should add up to "+money.Fen(due).String()))
		}
	}
	if f.Plan != nil {
		a.record("replaces_plan_of", f.Plan.ApprovedOn)
	}
	f.Plan = plan
	a.record("payment_due", f.payDue())
	return nil
}

// applyRecordRemedy records a reconsideration or lawsuit filed (one pending of each kind at a
// time) or decided (closing the pending one). A decision that revokes or changes the penalty is
// carried out by revise_decision.
func applyRecordRemedy(a *act) error {
	in, f := input[*RecordRemedyInput](a), a.facts()
	i := f.pendingRemedy(in.Kind)
	if in.Event == "filed" {
		if i >= 0 {
			return errs.E(errs.Conflict, fmt.Sprintf("已有未决的%s（%s 提出）", remedyName(in.Kind), f.Remedies[i].From),
				fmt.Sprintf("a %s filed on %s is pending", in.Kind, f.Remedies[i].From))
		}
		if a.on.Before(f.Delivery.ServedOn) {
			return errs.E(errs.Invalid, "不能早于决定送达之日", "cannot be before the decision was served").WithFields(errs.Field("on", "早于送达日", "before service"))
		}
		f.Remedies = append(f.Remedies, Remedy{Kind: in.Kind, From: a.on, Ref: in.Ref, Body: in.Body, By: "officer"})
		return nil
	}
	if i < 0 {
		return errs.E(errs.FailedPrecondition, fmt.Sprintf("没有未决的%s", remedyName(in.Kind)), fmt.Sprintf("no %s is pending", in.Kind))
	}
	r := &f.Remedies[i]
	r.To, r.Outcome = a.on, in.Outcome
	r.Ref, r.Body = firstNonEmpty(in.Ref, r.Ref), firstNonEmpty(in.Body, r.Body)
	if in.Outcome == OutcomeChanged || in.Outcome == OutcomeRevoked {
		a.record("revision_needed", true)
	}
	return nil
}

// remedyName is a remedy kind's Chinese name.
func remedyName(kind string) string {
	if kind == RemedyLitigation {
		return "行政诉讼"
	}
	return "行政复议"
}

// checkRevise refuses a revision of a case under enforcement while its enforcement case is open:
// the enforcement of a decision revoked or changed ends first (行政强制法 Art. 40).
func checkRevise(a *act) error {
	f := a.facts()
	if f.Decision == nil {
		return errs.E(errs.FailedPrecondition, "本案没有处罚决定", "the case has no decision")
	}
	if a.from != StateEnforcing {
		return nil
	}
	for _, id := range f.Children {
		var st State
		if err := tenants.Own(a.sc, a.tx.NewSelect().Model((*Case)(nil))).Column("state").Where("c.id = ?", id).Scan(a.ctx, &st); err != nil {
			return err
		}
		if st.Open() {
			return refuse(ruleTermination, "强制执行案件尚未终止：据以执行的决定被撤销或变更的，先终止执行", "the enforcement case is still open: end the enforcement of a decision revoked or changed first")
		}
	}
	return nil
}

// applyRevise revokes the decision (the fine becomes 0 and the case is closed) or reduces its fine
// (the unpaid instalments of a plan shrink from the last; a fine now paid in full moves the case to
// paid; a case whose enforcement ended returns to served for the reduced fine). What was paid
// online beyond what the revised decision still demands (the fine and a surcharge no higher than
// it) is refunded: payments:refund is written with the step, with the total to refund on the case.
func applyRevise(a *act) error {
	in, f := input[*ReviseDecisionInput](a), a.facts()
	prior := f.fineFen()
	if in.Outcome == RevisionReduced {
		if prior == 0 {
			return errs.E(errs.FailedPrecondition, "本决定没有罚款可减少", "the decision has no fine to reduce")
		}
		if in.FineFen >= prior {
			return errs.E(errs.Invalid, fmt.Sprintf("变更后的罚款须低于现罚款 %s", money.Fen(prior)), fmt.Sprintf("the new fine must be below the current one, %s", money.Fen(prior))).
				WithFields(errs.Field("fine_fen", "须低于 "+money.Fen(prior).String(), "must be below "+money.Fen(prior).String()))
		}
	}
	f.Revision = &Revision{On: a.on, Outcome: in.Outcome, FineFen: in.FineFen, PriorFineFen: prior, Basis: in.Basis, Ref: in.Ref, Reason: in.Reason}
	paidPrincipal, paidSurcharge := f.paid()
	still := in.FineFen + min(paidSurcharge, in.FineFen)
	if refund := min(f.paidOnline(), paidPrincipal+paidSurcharge-still); refund > 0 {
		f.Revision.RefundFen = refund
		a.record("refund_fen", refund)
		enqueue(a, paymenttask.Refund, &paymenttask.RefundCase{CaseID: a.c.ID, AmountFen: refund, Reason: in.Outcome})
	}
	if in.Outcome == RevisionRevoked {
		a.to, f.ClosedOn = StateClosed, a.on
		return nil
	}
	if f.Plan != nil {
		shrinkPlan(f.Plan, f.outstanding(), a.on)
	}
	switch {
	case a.from == StatePaid:
	case f.outstanding() == 0:
		f.settle(a.on, "")
		a.to = StatePaid
	case a.from == StateEnforcing:
		a.to = StateServed
	}
	a.record("fine_fen", in.FineFen)
	return nil
}

// shrinkPlan lowers the unpaid instalments of p, from the last, until they add up to remaining;
// an instalment lowered to nothing is settled on the day of the revision.
func shrinkPlan(p *Plan, remaining int64, on civil.Date) {
	var unpaid int64
	for _, in := range p.Instalments {
		if in.PaidOn == "" {
			unpaid += in.AmountFen
		}
	}
	excess := unpaid - remaining
	for i := len(p.Instalments) - 1; i >= 0 && excess > 0; i-- {
		in := &p.Instalments[i]
		if in.PaidOn != "" {
			continue
		}
		cut := min(excess, in.AmountFen)
		in.AmountFen -= cut
		excess -= cut
		if in.AmountFen == 0 {
			in.PaidOn = on
		}
	}
}

// planName is a plan kind's Chinese name.
func planName(k PlanKind) string {
	if k == PlanInstalments {
		return "分期缴纳"
	}
	return "暂缓缴纳"
}
