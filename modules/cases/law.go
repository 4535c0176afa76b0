package cases

import (
	"fmt"

	"zhifa/modules/kernel/errs"
	"zhifa/modules/rules"
)

// The rules the guards cite that are not periods of the rules catalogue (those carry their own
// references, from rules.Lookup). IDs follow the catalogue's naming.
var (
	ruleOfficers      = ref("penalty.officers", rules.LawPenalty, 42)         // ≥ 2 certified officers
	ruleFiling        = ref("penalty.filing", rules.LawPenalty, 54)           // filing with the head's approval
	rulePriorNotice   = ref("penalty.prior_notice", rules.LawPenalty, 62)     // no decision without the prior notice
	ruleNoHeavier     = ref("penalty.no_heavier", rules.LawPenalty, 45)       // no heavier penalty than notified
	ruleHearing       = ref(rules.GateHearing, rules.LawPenalty, 63)          // the hearing right
	ruleHearingPresid = ref("penalty.hearing_presider", rules.LawPenalty, 64) // the presider is not an investigator
	ruleLegalReview   = ref("penalty.legal_review", rules.LawPenalty, 58)     // 法制审核
	ruleDiscussion    = ref("penalty.collective_discussion", rules.LawPenalty, 57)
	ruleDiscretion    = ref("penalty.discretion", rules.LawPenalty, 34)    // 裁量基准
	ruleEDelivery     = ref("penalty.e_delivery", rules.LawPenalty, 61)    // e-delivery needs consent
	ruleNotPenalised  = ref("penalty.not_penalised", rules.LawPenalty, 33) // 不予处罚; education
	ruleUnder14       = ref("penalty.minor_age", rules.LawPenalty, 30)     // under 14 at the act
	ruleRecusal       = ref("penalty.recusal", rules.LawPenalty, 43)
	ruleSurchargeP    = ref(rules.GateSurcharge, rules.LawPenalty, 72)
	ruleCoercionTeam  = ref("coercion.officers", rules.LawCoercion, 18)       // ≥ 2 officers, prior approval
	ruleExtendOnce    = ref("coercion.extension_once", rules.LawCoercion, 25) // one extension, ≤ 30 days, in term
	ruleDemandFirst   = ref("coercion.demand", rules.LawCoercion, 35)         // demand notice before enforcement
	rulePerformFirst  = ref("coercion.perform_period", rules.LawCoercion, 37) // enforcement after the period given
	ruleCourtWindow   = ref(rules.CoercionCourtApplication, rules.LawCoercion, 53)
	ruleExtendDecide  = ref("penalty.decide_extension", rules.LawPenalty, 60) // an extension before the limit passes
)

func ref(id, law string, article int) *errs.Rule {
	return rules.Art(law, article).Ref(id)
}

// catalogueRef returns the reference of a catalogue rule (falling back to its ID alone).
func catalogueRef(id string) *errs.Rule {
	if r, ok := rules.Lookup(id); ok {
		return r.Ref()
	}
	return &errs.Rule{ID: id}
}

// refuse is the FailedPrecondition of a guard: the law refuses the transition.
func refuse(rule *errs.Rule, zh, en string, args ...any) *errs.Error {
	return rules.Refusal(rule, fmt.Sprintf(zh, args...), fmt.Sprintf(en, args...))
}

// outOfOrder is the Conflict of an action the machine does not allow in the case's state.
func outOfOrder(a Action, s State) *errs.Error {
	return errs.E(errs.Conflict, fmt.Sprintf("案件当前状态（%s）不能执行“%s”", s, a), fmt.Sprintf("action %s is not allowed while the case is %s", a, s)).
		WithFields(errs.Field("state", "当前状态为 "+string(s), "the case is "+string(s)))
}

// errConcurrent is the Conflict of a transition that lost a race with another one.
var errConcurrent = errs.E(errs.Conflict, "案件已被他人同时修改，请刷新后重试", "the case was changed concurrently; reload and try again")
