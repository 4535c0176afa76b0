package cases

import (
	"slices"

	"zhifa/modules/kernel/errs"
)

// Action is a transition of a case (or a step recorded without changing its state).
type Action string

// The actions. Each is one endpoint, POST /api/v1/cases/{id}/actions/{action}.
const (
	ActCreate Action = "create" // the first event of every case

	// penalty, general procedure (普通程序)
	ActVerify             Action = "verify"              // 核查案源
	ActDismiss            Action = "dismiss"             // 不予立案
	ActFile               Action = "file"                // 立案 (Art. 54, head approval)
	ActInvestigate        Action = "investigate"         // 调查取证 (Art. 42, 55)
	ActPreserve           Action = "preserve"            // 先行登记保存 (Art. 56)
	ActDecidePreservation Action = "decide_preservation" // 先行登记保存处理决定 (Art. 56, 7 working days)
	ActReport             Action = "report"              // 调查终结报告
	ActPropose            Action = "propose"             // 拟处罚，适用裁量基准 (Art. 34)
	ActNotify             Action = "notify"              // 告知 (Art. 44, 63)
	ActStatement          Action = "statement"           // 陈述、申辩 (Art. 45; 强制法 Art. 36)
	ActRequestHearing     Action = "request_hearing"     // 申请听证 (Art. 64, 5 working days)
	ActWaiveHearing       Action = "waive_hearing"       // 书面放弃听证 (with the signed waiver)
	ActScheduleHearing    Action = "schedule_hearing"    // 听证通知 (Art. 64, 7 working days before)
	ActHoldHearing        Action = "hold_hearing"        // 举行听证 (Art. 64, 65)
	ActSubmitReview       Action = "submit_review"       // 提交法制审核 (Art. 58)
	ActPassReview         Action = "pass_review"         // 法制审核通过
	ActReturnReview       Action = "return_review"       // 法制审核退回补充调查
	ActDiscuss            Action = "discuss"             // 集体讨论 (Art. 57)
	ActDecide             Action = "decide"              // 处罚决定 (Art. 57, 59, 60, 62)
	ActNotPenalise        Action = "not_penalise"        // 不予处罚 (Art. 30, 31, 33)
	ActServe              Action = "serve"               // 送达 (Art. 61; 强制法 Art. 24, 31)
	ActPay                Action = "pay"                 // 缴纳罚款 / 履行 (Art. 67)
	ActReferEnforcement   Action = "refer_enforcement"   // 转入强制执行 (Art. 72)
	// arrange_payment, record_remedy and revise_decision are in revision.go; the platform's and the
	// party's entries (payment_received, receipt_issued, refunded; consent_signed, evaluated,
	// reconsideration_applied, reconsideration_sent) in platform.go and party.go.

	// penalty, summary procedure (简易程序)
	ActDecideOnSite Action = "decide_on_site" // 当场处罚 (Art. 51, 52)
	ActHandOverCash Action = "hand_over_cash" // 当场收缴罚款交至行政机关 (Art. 71)

	// inspection (行政检查)
	ActInspect          Action = "inspect"           // 实施检查
	ActConclude         Action = "conclude"          // 检查结论：无问题 / 责令整改 / 转立案线索
	ActVerifyCorrection Action = "verify_correction" // 整改复查

	// coercive measures (查封、扣押、冻结)
	ActApprove          Action = "approve"           // 批准实施 (强制法 Art. 18(1))
	ActEmergencyTake    Action = "emergency_take"    // 情况紧急当场实施 (强制法 Art. 19)
	ActApproveEmergency Action = "approve_emergency" // 24小时内补办批准 (强制法 Art. 19)
	ActTake             Action = "take"              // 实施 (强制法 Art. 18, 24)
	ActExtendTerm       Action = "extend_term"       // 延长期限 (强制法 Art. 25, 32)
	ActHandle           Action = "handle"            // 处理决定 (强制法 Art. 27)
	ActRelease          Action = "release"           // 解除 (强制法 Art. 19, 28, 33)

	// enforcement of a decision (强制执行)
	ActDemand          Action = "demand"           // 催告 (强制法 Art. 35, 54)
	ActAssessSurcharge Action = "assess_surcharge" // 加处罚款 (处罚法 Art. 72; 强制法 Art. 45)
	ActExecute         Action = "execute"          // 强制执行决定并执行 (强制法 Art. 37, 43)
	ActApplyCourt      Action = "apply_court"      // 申请人民法院强制执行 (强制法 Art. 53, 54)
	ActRecordRuling    Action = "record_ruling"    // 法院裁定

	// common
	ActAddEvidence Action = "add_evidence"   // 证据 (upload; Art. 46, 47)
	ActFlag        Action = "flag"           // 重大/复杂/须法制审核 (Art. 57, 58)
	ActExtend      Action = "extend"         // 延长办案期限 (Art. 60)
	ActExclude     Action = "exclude_period" // 检测、检验、公告等不计入期限 (Art. 60; 强制法 Art. 25)
	ActRecuse      Action = "recuse"         // 回避 (Art. 43)
	ActSuspend     Action = "suspend"        // 中止 (enforcement: 强制法 Art. 39; elsewhere a ground, uncited: halt.go)
	ActResume      Action = "resume"         // 恢复
	ActTerminate   Action = "terminate"      // 终止 (enforcement: 强制法 Art. 40; elsewhere a ground, uncited: halt.go)
	ActTransfer    Action = "transfer"       // 移送 / 行刑衔接 (Art. 27)
	ActClose       Action = "close"          // 结案
	ActArchive     Action = "archive"        // 归档 (Art. 47)
)

// stay marks an action that records a step without changing the state; resume and a few others
// compute their target (see the action's apply).
const stay State = ""

// edge is one row of a state machine: in any of From, Action leads to To (stay: no change).
type edge struct {
	From   []State
	Action Action
	To     State
	Alt    []State // other targets apply may choose (documented)
}

// openGeneral are the states of a general-procedure case before its decision.
var openGeneral = []State{StateLead, StateVerified, StateFiled, StateInvestigating, StateReported, StateProposed,
	StateNotified, StateHearingRequested, StateHearingScheduled, StateHearingHeld, StateInReview, StateReviewed, StateDiscussed}

// investigatingGeneral are the states after filing and before the decision: the 90-day clock runs.
var investigatingGeneral = []State{StateFiled, StateInvestigating, StateReported, StateProposed,
	StateNotified, StateHearingRequested, StateHearingScheduled, StateHearingHeld, StateInReview, StateReviewed, StateDiscussed}

// evidenceGeneral are the states of a general-procedure case that take evidence: from filing to the
// decision's service (the party's statements and waivers after the notice, the record of service).
var evidenceGeneral = []State{StateFiled, StateInvestigating, StateReported, StateProposed, StateNotified, StateHearingRequested,
	StateHearingScheduled, StateHearingHeld, StateInReview, StateReviewed, StateDiscussed, StateDecided}

var decidable = []State{StateNotified, StateHearingHeld, StateReviewed, StateDiscussed}

var ended = []State{StateClosed, StateTerminated, StateTransferred}

// machines is each kind's state machine: the only place that says which action may follow which
// state. doc.go renders it in words.
var machines = map[Kind][]edge{
	KindGeneral: {
		{[]State{StateLead}, ActVerify, StateVerified, nil},
		{[]State{StateLead, StateVerified}, ActDismiss, StateClosed, nil},
		{[]State{StateVerified}, ActFile, StateFiled, nil},
		{[]State{StateFiled}, ActInvestigate, StateInvestigating, nil},
		{[]State{StateFiled, StateInvestigating}, ActPreserve, stay, nil},
		{[]State{StateFiled, StateInvestigating, StateReported}, ActDecidePreservation, stay, nil},
		{evidenceGeneral, ActAddEvidence, stay, nil},
		{[]State{StateInvestigating}, ActReport, StateReported, nil},
		{[]State{StateReported}, ActPropose, StateProposed, nil},
		{[]State{StateProposed}, ActNotify, StateNotified, nil},
		{[]State{StateNotified, StateHearingRequested, StateHearingScheduled, StateHearingHeld}, ActStatement, stay, nil},
		{[]State{StateNotified}, ActRequestHearing, StateHearingRequested, nil},
		{[]State{StateNotified}, ActWaiveHearing, stay, nil},
		{[]State{StateNotified, StateHearingRequested, StateHearingScheduled, StateHearingHeld}, ActWaiveStatement, stay, nil},
		{[]State{StateHearingRequested}, ActScheduleHearing, StateHearingScheduled, nil},
		{[]State{StateHearingScheduled}, ActHoldHearing, StateHearingHeld, nil},
		{[]State{StateNotified, StateHearingHeld}, ActSubmitReview, StateInReview, nil},
		{[]State{StateInReview}, ActPassReview, StateReviewed, nil},
		{[]State{StateInReview}, ActReturnReview, StateInvestigating, nil},
		{[]State{StateNotified, StateHearingHeld, StateReviewed}, ActDiscuss, StateDiscussed, nil},
		{decidable, ActDecide, StateDecided, nil},
		{[]State{StateReported, StateNotified, StateHearingHeld, StateReviewed, StateDiscussed}, ActNotPenalise, StateNotPenalised, nil},
		{[]State{StateDecided}, ActServe, StateServed, nil},
		{[]State{StateServed}, ActPay, StatePaid, nil},
		{[]State{StateServed}, ActArrangePayment, stay, nil},
		{[]State{StateServed}, ActReferEnforcement, StateEnforcing, nil},
		{[]State{StateServed, StatePaid, StateEnforcing, StateClosed}, ActRecordRemedy, stay, nil},
		{[]State{StateServed, StatePaid, StateEnforcing}, ActReviseDecision, stay, []State{StateClosed, StatePaid, StateServed}},
		{[]State{StateServed, StatePaid, StateNotPenalised, StateEnforcing}, ActClose, StateClosed, nil},
		{ended, ActArchive, StateArchived, nil},
		{openGeneral, ActFlag, stay, nil},
		{investigatingGeneral, ActExtend, stay, nil},
		{investigatingGeneral, ActExclude, stay, nil},
		{openGeneral, ActRecuse, stay, nil},
		{openGeneral, ActSuspend, StateSuspended, nil},
		{[]State{StateSuspended}, ActResume, stay, openGeneral},
		{append(slices.Clone(openGeneral), StateSuspended), ActTerminate, StateTerminated, nil},
		{openGeneral, ActTransfer, StateTransferred, nil},
	},
	KindSummary: {
		{[]State{StateOnSite}, ActDecideOnSite, StateServed, nil},
		{[]State{StateServed}, ActPay, StatePaid, nil},
		{[]State{StatePaid}, ActHandOverCash, stay, nil},
		{[]State{StateServed}, ActArrangePayment, stay, nil},
		{[]State{StateServed}, ActReferEnforcement, StateEnforcing, nil},
		{[]State{StateServed, StatePaid, StateEnforcing, StateClosed}, ActRecordRemedy, stay, nil},
		{[]State{StateServed, StatePaid, StateEnforcing}, ActReviseDecision, stay, []State{StateClosed, StatePaid, StateServed}},
		{[]State{StateServed, StatePaid, StateEnforcing}, ActClose, StateClosed, nil},
		{[]State{StateOnSite}, ActTransfer, StateTransferred, nil},
		{[]State{StateOnSite}, ActAddEvidence, stay, nil},
		{ended, ActArchive, StateArchived, nil},
	},
	KindInspection: {
		{[]State{StatePlanned}, ActInspect, StateInspected, nil},
		{[]State{StatePlanned, StateInspected, StateCorrecting}, ActAddEvidence, stay, nil},
		{[]State{StateInspected}, ActConclude, StateClosed, []State{StateCorrecting}},
		{[]State{StateCorrecting}, ActVerifyCorrection, StateClosed, nil},
		{[]State{StatePlanned, StateInspected}, ActRecuse, stay, nil},
		{[]State{StatePlanned}, ActTerminate, StateTerminated, nil},
		{[]State{StateInspected, StateCorrecting}, ActTransfer, StateTransferred, nil},
		{ended, ActArchive, StateArchived, nil},
	},
	KindCoercion: {
		{[]State{StateRequested}, ActApprove, StateApproved, nil},
		{[]State{StateRequested}, ActEmergencyTake, StateEmergency, nil},
		{[]State{StateApproved}, ActTake, StateInForce, nil},
		{[]State{StateEmergency}, ActApproveEmergency, StateInForce, nil},
		{[]State{StateInForce}, ActServe, stay, nil},
		{[]State{StateInForce}, ActExtendTerm, stay, nil},
		{[]State{StateInForce}, ActExclude, stay, nil},
		{[]State{StateApproved, StateEmergency, StateInForce}, ActAddEvidence, stay, nil},
		{[]State{StateInForce}, ActHandle, StateHandled, nil},
		{[]State{StateEmergency, StateInForce}, ActRelease, StateReleased, nil},
		{[]State{StateHandled, StateReleased}, ActClose, StateClosed, nil},
		{[]State{StateRequested, StateApproved}, ActRecuse, stay, nil},
		{[]State{StateRequested, StateApproved}, ActTerminate, StateTerminated, nil},
		{ended, ActArchive, StateArchived, nil},
	},
	KindEnforcement: {
		{[]State{StatePending}, ActDemand, StateDemanded, nil},
		{[]State{StateDemanded}, ActStatement, stay, nil},
		{[]State{StateDemanded}, ActAssessSurcharge, stay, nil},
		{[]State{StateDemanded}, ActPay, StatePaid, nil},
		{[]State{StateDemanded}, ActExecute, StateExecuted, nil},
		{[]State{StateDemanded}, ActApplyCourt, StateCourtApplied, nil},
		{[]State{StateCourtApplied}, ActRecordRuling, StateExecuted, []State{StateClosed}},
		{[]State{StatePending, StateDemanded}, ActAddEvidence, stay, nil},
		{[]State{StatePending, StateDemanded}, ActSuspend, StateSuspended, nil},
		{[]State{StateSuspended}, ActResume, stay, []State{StatePending, StateDemanded}},
		{[]State{StatePending, StateDemanded, StateSuspended}, ActTerminate, StateTerminated, nil},
		{[]State{StatePaid, StateExecuted}, ActClose, StateClosed, nil},
		{ended, ActArchive, StateArchived, nil},
	},
}

// next returns the edge for action from state s of kind k, if the machine has one.
func next(k Kind, s State, a Action) (edge, bool) {
	for _, e := range machines[k] {
		if e.Action == a && slices.Contains(e.From, s) {
			return e, true
		}
	}
	return edge{}, false
}

// actionsFrom lists the actions the machine of kind k allows in state s, in table order.
func actionsFrom(k Kind, s State) []edge {
	var out []edge
	for _, e := range machines[k] {
		if slices.Contains(e.From, s) {
			out = append(out, e)
		}
	}
	return out
}

// initial is the state a new case of each kind starts in.
var initial = map[Kind]State{
	KindGeneral:     StateLead,
	KindSummary:     StateOnSite,
	KindInspection:  StatePlanned,
	KindCoercion:    StateRequested,
	KindEnforcement: StatePending,
}

// openedTitles name each kind's first event (ActCreate) for the record: what the case's opening
// was. Only the file step (立案, 行政处罚法 Art. 54) files a penalty case; a case opened at its lead
// has registered a lead, not filed one.
var openedTitles = map[Kind]errs.Msg{
	KindGeneral:     {ZH: "登记案源", EN: "lead registered"},
	KindSummary:     {ZH: "登记当场处罚", EN: "on-the-spot case registered"},
	KindInspection:  {ZH: "检查计划", EN: "inspection planned"},
	KindCoercion:    {ZH: "申请实施强制措施", EN: "measure requested"},
	KindEnforcement: {ZH: "开立强制执行案件", EN: "enforcement case opened"},
}

// Transition is a row of a kind's state machine, for documentation and pages.
type Transition struct {
	From   []State `json:"from"`
	Action Action  `json:"action"`
	To     State   `json:"to,omitempty"`  // empty: the state does not change (or resume: back to the state left)
	Alt    []State `json:"alt,omitempty"` // other states the step may lead to
}

// Machine returns the state machine of kind k.
func Machine(k Kind) []Transition {
	out := make([]Transition, len(machines[k]))
	for i, e := range machines[k] {
		out[i] = Transition{From: slices.Clone(e.From), Action: e.Action, To: e.To, Alt: slices.Clone(e.Alt)}
	}
	return out
}

// MachineActions lists the actions of kind k's machine, each once.
func MachineActions(k Kind) []Action {
	var out []Action
	for _, e := range machines[k] {
		if !slices.Contains(out, e.Action) {
			out = append(out, e.Action)
		}
	}
	return out
}
