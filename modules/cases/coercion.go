package cases

import (
	"zhifa/jobs"
	"zhifa/modules/documents"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/money"
	"zhifa/modules/rules"
)

// coercionSteps defines the steps of coercive measures (查封、扣押、冻结, 行政强制法 Chapter 3).
func coercionSteps() []*actionDef {
	var s steps
	s.define(&actionDef{Action: ActApprove, Title: msg("批准实施强制措施", "approve the measure"), Perm: authz.CasesApprove, Rule: ruleCoercionTeam,
		Input: func() Input { return new(ReasonInput) },
		apply: func(a *act) error {
			a.facts().Measure.ApprovedOn = a.on
			return nil
		}})

	s.define(&actionDef{Action: ActTake, Title: msg("实施强制措施", "take the measure"), Perm: authz.CasesWrite, Rule: ruleCoercionTeam,
		Input: func() Input { return new(FieldInput) }, Field: true,
		apply: func(a *act) error {
			in := input[*FieldInput](a)
			if err := a.officers(in.OfficerIDs, ruleCoercionTeam); err != nil {
				return err
			}
			return a.taken(in, false)
		}})

	s.define(&actionDef{Action: ActEmergencyTake, Title: msg("情况紧急，当场实施", "take the measure in an emergency"), Perm: authz.CasesWrite,
		Rule: catalogueRef(rules.CoercionEmergencyApproval), Input: func() Input { return new(FieldInput) }, Field: true,
		apply: func(a *act) error {
			in := input[*FieldInput](a)
			if err := a.officers(in.OfficerIDs, ruleCoercionTeam); err != nil {
				return err
			}
			if err := a.taken(in, true); err != nil {
				return err
			}
			due, err := a.emergencyDue()
			if err != nil {
				return err
			}
			a.facts().Measure.EmergencyDue = &due
			a.record("approve_by", due)
			return nil
		}})

	s.define(&actionDef{Action: ActApproveEmergency, Title: msg("补办批准手续", "approve the emergency measure"), Perm: authz.CasesApprove,
		Rule: catalogueRef(rules.CoercionEmergencyApproval), Input: func() Input { return new(ReasonInput) }, Due: []string{rules.CoercionEmergencyApproval},
		check: func(a *act) error {
			due, err := a.emergencyDue()
			if err != nil {
				return err
			}
			if a.at.After(due) {
				return refuse(catalogueRef(rules.CoercionEmergencyApproval), "当场实施的强制措施须在24小时内补办批准手续（至 %s），已逾期，应当立即解除", "an emergency measure must be approved within 24 hours (by %s): too late, release it now",
					due.In(rules.Location).Format("2006-01-02 15:04"))
			}
			return nil
		},
		apply: func(a *act) error {
			a.facts().Measure.ApprovedOn = a.on
			return nil
		}})

	s.define(&actionDef{Action: ActExtendTerm, Title: msg("延长强制措施期限", "extend the measure's term"), Perm: authz.CasesApprove, Rule: ruleExtendOnce,
		Input: func() Input { return new(DaysInput) }, Due: []string{rules.CoercionSeizureTerm, rules.CoercionFreezeTerm},
		check: func(a *act) error {
			m := a.facts().Measure
			if m.Extended {
				return refuse(ruleExtendOnce, "强制措施期限只能延长一次", "a measure's term may be extended only once")
			}
			if ends := measureEnds(a.facts(), a.on); a.on.After(ends) {
				return refuse(ruleExtendOnce, "期限已于 %s 届满，不能再延长，应当解除或作出处理决定", "the term ended on %s: it cannot be extended; release or decide", ends)
			}
			return nil
		},
		apply: func(a *act) error {
			in, m := input[*DaysInput](a), a.facts().Measure
			_, ext := termRules(m)
			r, err := a.dueOn(ext, a.on)
			if err != nil {
				return err
			}
			if in.Days > r.Amount {
				return refuse(r.Rule.Ref(), "延长不得超过 %d 日", "an extension may not exceed %d days", r.Amount)
			}
			m.Extended, m.ExtendedDays, m.ExtensionReason = true, in.Days, in.Reason
			m.Ends = measureEnds(a.facts(), a.on)
			a.record("ends", m.Ends)
			a.deliver(documents.TypeMeasureExtension, "", a.on, jobs.QueueDefault)
			return nil
		}})

	s.define(&actionDef{Action: ActHandle, Title: msg("作出处理决定", "decide on the seized things"), Perm: authz.CasesApprove,
		Rule: catalogueRef(rules.CoercionSeizureTerm), Input: func() Input { return new(HandleInput) },
		Due: []string{rules.CoercionSeizureTerm, rules.CoercionFreezeTerm}, check: inTerm,
		apply: func(a *act) error {
			a.facts().Measure.Handling = input[*HandleInput](a).Handling
			return nil
		}})

	s.define(&actionDef{Action: ActRelease, Title: msg("解除强制措施", "release the measure"), Perm: authz.CasesWrite,
		Rule: ref("coercion.release", rules.LawCoercion, 28), Input: func() Input { return new(ReasonInput) }, Field: true,
		apply: func(a *act) error {
			m := a.facts().Measure
			m.ReleasedOn, m.ReleaseReason = a.on, input[*ReasonInput](a).Reason
			a.deliver(documents.TypeMeasureRelease, "", a.on, jobs.QueueDefault)
			return nil
		}})
	return s
}

// taken records a measure taken (Art. 24: decision and list delivered on the spot for a seal or a
// seizure; a freeze's decision within 3 working days, Art. 31), with its term (Art. 25, 32).
func (a *act) taken(in *FieldInput, emergency bool) error {
	m := a.facts().Measure
	term, _ := termRules(m)
	d, err := a.dueOn(term, a.on)
	if err != nil {
		return err
	}
	days := in.TermDays
	if days == 0 {
		days = d.Amount
	}
	if days > d.Amount {
		return refuse(d.Rule.Ref(), "期限不得超过 %d 日", "the term may not exceed %d days", d.Amount)
	}
	at := a.at
	m.TakenAt, m.TakenOn, m.TermDays, m.Emergency = &at, a.on, days, emergency
	if in.Items != "" {
		m.Items = in.Items
	}
	m.Ends = measureEnds(a.facts(), a.on)
	a.record("ends", m.Ends)
	if m.Type == MeasureFreeze {
		fd, err := a.dueOn(rules.CoercionFreezeDelivery, a.on)
		if err != nil {
			return err
		}
		a.record("deliver_by", day(fd.Due))
		a.deliver(documents.TypeFreezeDecision, "", day(fd.Due), jobs.QueueCritical)
	} else {
		m.ServedOn = a.on
		a.issueServed(documents.TypeSeizureDecision, "on_the_spot") // the decision and its list are handed over on the spot (Art. 24)
	}
	return nil
}

// inTerm refuses a handling decision after the measure's term ended: the measure must then be
// released (行政强制法 Art. 25, 27, 28).
func inTerm(a *act) error {
	ends := measureEnds(a.facts(), a.on)
	if ends != "" && a.on.After(ends) {
		term, _ := termRules(a.facts().Measure)
		return refuse(catalogueRef(term), "强制措施期限已于 %s 届满，应当解除", "the measure's term ended on %s: release it", ends)
	}
	return nil
}

// enforcementSteps defines the steps of enforcing a decision (行政强制法 Chapter 4 and 5; 行政处罚法 Art. 72).
func enforcementSteps() []*actionDef {
	var s steps
	s.define(&actionDef{Action: ActDemand, Title: msg("催告", "serve the demand notice"), Perm: authz.CasesWrite, Rule: ruleDemandFirst,
		Input: func() Input { return new(DemandInput) },
		check: func(a *act) error {
			if e := a.facts().Enforcement; !a.on.After(e.PayDue) {
				return refuse(ruleDemandFirst, "履行期限（%s）届满前不能催告", "a demand may be served only after the payment deadline (%s)", e.PayDue)
			}
			return nil
		},
		apply: func(a *act) error {
			in, e := input[*DemandInput](a), a.facts().Enforcement
			if !in.PerformBy.After(a.on) {
				return errs.E(errs.Invalid, "催告须给予履行期限", "a demand must give time to perform").
					WithFields(errs.Field("perform_by", "须晚于催告之日", "must be after the demand"))
			}
			if in.Method == "electronic" {
				if err := a.needConsent(); err != nil {
					return err
				}
			}
			e.DemandedOn, e.PerformBy = a.on, in.PerformBy
			wait, err := a.dueOn(rules.CoercionDemandBeforeCourt, a.on)
			if err != nil {
				return err
			}
			a.record("court_not_before", addDays(day(wait.Due), 1))
			a.deliver(documents.TypeDemandNotice, in.Method, a.on, jobs.QueueDefault)
			return nil
		}})

	s.define(&actionDef{Action: ActAssessSurcharge, Title: msg("加处罚款", "assess the late surcharge"), Perm: authz.CasesWrite, Rule: ruleSurchargeP,
		Input: func() Input { return new(SurchargeInput) },
		apply: func(a *act) error {
			in, e := input[*SurchargeInput](a), a.facts().Enforcement
			days := daysBetween(e.PayDue, a.on)
			computed := rules.Surcharge(e.PrincipalFen, days)
			amount := computed
			if in.AmountFen != nil {
				amount = *in.AmountFen
				if err := rules.CheckSurcharge(e.PrincipalFen, amount); err != nil {
					return err
				}
				if amount > computed {
					return refuse(ruleSurchargeP, "加处罚款按每日3%%计算，至 %s 最多 %s", "the surcharge is 3%% a day: at most %s by %s", money.Fen(computed), a.on)
				}
			}
			e.SurchargeFen, e.SurchargeOn = amount, a.on
			a.record("surcharge_days", days)
			a.record("surcharge_fen", amount)
			a.record("cap_fen", rules.SurchargeCap(e.PrincipalFen))
			return nil
		}})

	s.define(&actionDef{Action: ActExecute, Title: msg("强制执行", "enforce"), Perm: authz.CasesApprove,
		Rule: ref(rules.GateNoNightOrHoliday, rules.LawCoercion, 43), Input: func() Input { return new(ExecuteInput) }, Field: true,
		check: func(a *act) error {
			if e := a.facts().Enforcement; !a.on.After(e.PerformBy) {
				return refuse(rulePerformFirst, "催告书确定的履行期限（%s）届满前不能强制执行", "enforcement may happen only after the time the demand gave (%s)", e.PerformBy)
			}
			return nil
		},
		apply: func(a *act) error {
			in, e := input[*ExecuteInput](a), a.facts().Enforcement
			if err := a.s.rules.CheckEnforcementTime(a.ctx, a.at, in.Emergency); err != nil {
				return err
			}
			for _, id := range in.OfficerIDs {
				if _, err := a.officerExists("officer_ids", id); err != nil {
					return err
				}
			}
			at := a.at
			e.ExecutedAt, e.Means = &at, in.Means
			a.record("emergency", in.Emergency)
			return nil
		}})

	s.define(&actionDef{Action: ActApplyCourt, Title: msg("申请人民法院强制执行", "apply to the court for enforcement"), Perm: authz.CasesApprove,
		Rule: ruleCourtWindow, Input: func() Input { return new(CourtInput) },
		Due: []string{rules.CoercionDemandBeforeCourt, rules.CoercionCourtApplication}, check: checkCourt,
		apply: func(a *act) error {
			e := a.facts().Enforcement
			e.CourtOn, e.Court = a.on, input[*CourtInput](a).Court
			return nil
		}})

	s.define(&actionDef{Action: ActRecordRuling, Title: msg("记录法院裁定", "record the court's ruling"), Perm: authz.CasesWrite,
		Input: func() Input { return new(RulingInput) },
		apply: func(a *act) error {
			in, e := input[*RulingInput](a), a.facts().Enforcement
			e.Ruling = in.Ruling + ": " + in.Summary
			if in.Ruling == "refused" {
				a.to = StateClosed
				a.facts().ClosedOn = a.on
			}
			return nil
		}})
	return s
}

// checkCourt holds the gates of an application to the court: the demand served at least 10
// working days before (Art. 54), and within 3 months after the remedy periods expired (Art. 53).
func checkCourt(a *act) error {
	e := a.facts().Enforcement
	wait, err := a.dueOn(rules.CoercionDemandBeforeCourt, e.DemandedOn)
	if err != nil {
		return err
	}
	if !a.on.After(day(wait.Due)) {
		return refuse(wait.Rule.Ref(), "催告书送达（%s）10个工作日后方可申请法院强制执行，最早 %s", "the court may be asked only 10 working days after the demand (%s): from %s on",
			e.DemandedOn, addDays(day(wait.Due), 1))
	}
	if e.RemediesEnd == "" {
		return nil
	}
	if !a.on.After(e.RemediesEnd) {
		return refuse(ruleCourtWindow, "复议、诉讼期限（%s）届满前不能申请法院强制执行", "the court may be asked only after the periods for reconsideration and litigation end (%s)", e.RemediesEnd)
	}
	w, err := a.dueOn(rules.CoercionCourtApplication, e.RemediesEnd)
	if err != nil {
		return err
	}
	if a.on.After(day(w.Due)) {
		return refuse(w.Rule.Ref(), "申请法院强制执行的期限已于 %s 届满（复议、诉讼期限届满后3个月）", "the time to apply to the court ended on %s (3 months after the remedy periods)", day(w.Due))
	}
	return nil
}
