package cases

import (
	"strings"
	"time"

	"github.com/uptrace/bun"

	"zhifa/modules/elements"
	"zhifa/modules/kernel/civil"
)

// Kind is the kind of a case; each kind has its own state machine (see machine.go).
type Kind string

// The kinds of cases.
const (
	KindInspection  Kind = "inspection"      // 行政检查
	KindSummary     Kind = "penalty_summary" // 行政处罚 简易程序（当场处罚）
	KindGeneral     Kind = "penalty_general" // 行政处罚 普通程序
	KindCoercion    Kind = "coercion"        // 行政强制措施：查封、扣押、冻结
	KindEnforcement Kind = "enforcement"     // 行政强制执行：催告、加处罚款、申请法院强制执行
)

// Kinds lists every kind.
var Kinds = []Kind{KindInspection, KindSummary, KindGeneral, KindCoercion, KindEnforcement}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// State is where a case stands in its kind's state machine.
type State string

// The states. Not every kind uses every state; machine.go says which.
const (
	StateLead             State = "lead"              // 案源
	StateVerified         State = "verified"          // 已核查
	StateFiled            State = "filed"             // 已立案
	StateInvestigating    State = "investigating"     // 调查取证
	StateReported         State = "reported"          // 调查终结
	StateProposed         State = "proposed"          // 拟处罚（裁量）
	StateNotified         State = "notified"          // 已告知（陈述、申辩、听证）
	StateHearingRequested State = "hearing_requested" // 已申请听证
	StateHearingScheduled State = "hearing_scheduled" // 已通知听证
	StateHearingHeld      State = "hearing_held"      // 已听证
	StateInReview         State = "in_review"         // 法制审核中
	StateReviewed         State = "reviewed"          // 法制审核通过
	StateDiscussed        State = "discussed"         // 已集体讨论
	StateDecided          State = "decided"           // 已决定
	StateServed           State = "served"            // 已送达
	StatePaid             State = "paid"              // 已缴纳/已履行
	StateEnforcing        State = "enforcing"         // 强制执行中
	StateNotPenalised     State = "not_penalised"     // 不予处罚
	StateSuspended        State = "suspended"         // 中止
	StateTerminated       State = "terminated"        // 终止
	StateTransferred      State = "transferred"       // 已移送
	StateClosed           State = "closed"            // 结案
	StateArchived         State = "archived"          // 归档

	StateOnSite State = "on_site" // 简易程序：现场

	StatePlanned    State = "planned"    // 行政检查：已计划
	StateInspected  State = "inspected"  // 行政检查：已检查
	StateCorrecting State = "correcting" // 行政检查：责令整改中

	StateRequested State = "requested" // 强制措施：待批准
	StateApproved  State = "approved"  // 强制措施：已批准
	StateEmergency State = "emergency" // 强制措施：当场实施，待补批（24小时）
	StateInForce   State = "in_force"  // 强制措施：实施中（期限）
	StateHandled   State = "handled"   // 强制措施：已作处理决定
	StateReleased  State = "released"  // 强制措施：已解除

	StatePending      State = "pending"       // 强制执行：待催告
	StateDemanded     State = "demanded"      // 强制执行：已催告
	StateCourtApplied State = "court_applied" // 强制执行：已申请法院强制执行
	StateExecuted     State = "executed"      // 强制执行：已执行
)

// Open reports whether a case in s may still change (it is neither closed nor at an end).
func (s State) Open() bool {
	switch s {
	case StateClosed, StateArchived, StateTerminated, StateTransferred:
		return false
	}
	return true
}

// PartyKind says whether a party is a person or an organisation.
type PartyKind string

// The kinds of parties.
const (
	PartyPerson       PartyKind = "person"       // 公民
	PartyOrganisation PartyKind = "organisation" // 法人或者其他组织
)

// Party is the party (当事人) of a case: a person with a resident identity number, or an
// organisation with a unified social credit code.
type Party struct {
	Kind     PartyKind `json:"kind"`
	Name     string    `json:"name"`
	IDNumber string    `json:"id_number,omitempty"` // person: 公民身份号码
	USCC     string    `json:"uscc,omitempty"`      // organisation: 统一社会信用代码
	Phone    string    `json:"phone,omitempty"`
	Address  string    `json:"address,omitempty"`
	// EDeliveryConsent: the party signed consent to electronic delivery (行政处罚法 Art. 61).
	EDeliveryConsent bool `json:"e_delivery_consent,omitempty"`
}

// masked returns p with its identity number hidden.
func (p Party) masked() Party {
	if p.IDNumber != "" {
		p.IDNumber = elements.MaskResidentID(p.IDNumber)
	}
	return p
}

// Location is where an officer stood when acting in the field, as the device reported it.
type Location struct {
	Lat       float64 `json:"lat"`
	Lng       float64 `json:"lng"`
	AccuracyM float64 `json:"accuracy_m,omitempty"`
}

// Case is one enforcement case. State and Version change together in every transition; Facts
// holds what the transitions recorded; the hash-chained events are the whole-process record.
type Case struct {
	bun.BaseModel `bun:"table:cases,alias:c"`

	ID           string      `bun:"id,pk" json:"id"`
	TenantID     string      `bun:"tenant_id,notnull" json:"tenant_id"`
	BodyID       string      `bun:"body_id,notnull" json:"body_id"`
	Code         string      `bun:"code,notnull" json:"code"` // 案件编码 (public, with a check character)
	Kind         Kind        `bun:"kind,notnull" json:"kind"`
	State        State       `bun:"state,notnull" json:"state"`
	Version      int         `bun:"version,notnull" json:"version"`
	Title        string      `bun:"title,notnull" json:"title"`
	PartyKind    PartyKind   `bun:"party_kind,notnull" json:"-"`
	PartyName    string      `bun:"party_name,notnull" json:"-"`
	MatterID     *string     `bun:"matter_id" json:"matter_id,omitempty"`
	ParentID     *string     `bun:"parent_id" json:"parent_id,omitempty"`
	Facts        Facts       `bun:"facts,notnull,type:text" json:"facts"`
	NextDueOn    *civil.Date `bun:"next_due_on" json:"next_due_on,omitempty"`
	CalendarWait *int        `bun:"calendar_wait" json:"calendar_wait,omitempty"` // a deadline waits for this year's holiday notice
	// NoticeDueOn is the earliest day a pending public notice serves its document, for the
	// periodic cases:serve_notices (kept from Facts.PublicNotices with every change).
	NoticeDueOn  *civil.Date `bun:"notice_due_on" json:"-"`
	WarnedDueOn  *civil.Date `bun:"warned_due_on" json:"-"`
	LateBackfill bool        `bun:"late_backfill,notnull" json:"late_backfill"`
	LastSeq      int         `bun:"last_seq,notnull" json:"last_seq"`
	ChainHead    string      `bun:"chain_head,notnull" json:"chain_head"`
	CreatedBy    string      `bun:"created_by,notnull" json:"created_by"`
	CreatedAt    time.Time   `bun:"created_at,notnull" json:"created_at"`
	UpdatedAt    time.Time   `bun:"updated_at,notnull" json:"updated_at"`
}

// caseOfficer assigns an officer to a case's team.
type caseOfficer struct {
	bun.BaseModel `bun:"table:case_officers,alias:co"`

	TenantID  string `bun:"tenant_id,notnull"`
	CaseID    string `bun:"case_id,pk"`
	OfficerID string `bun:"officer_id,pk"`
}

// Facts is everything the transitions of a case recorded, by step. Absent steps are nil.
type Facts struct {
	Party      Party      `json:"party"`
	Team       []string   `json:"team"` // officer IDs assigned to the case (承办人员)
	OpenedOn   civil.Date `json:"opened_on"`
	Lead       *Lead      `json:"lead,omitempty"`
	ActEndedOn civil.Date `json:"act_ended_on,omitempty"` // end of the illegal act (Art. 36)
	// Limitation5: the act endangered life, health or financial security with harm (5 years, Art. 36).
	Limitation5 bool  `json:"limitation_5y,omitempty"`
	Flags       Flags `json:"flags"`

	VerifiedOn     civil.Date     `json:"verified_on,omitempty"`
	FiledOn        civil.Date     `json:"filed_on,omitempty"`
	InvestigatedOn civil.Date     `json:"investigated_on,omitempty"`
	Report         *Report        `json:"report,omitempty"`
	Preservations  []Preservation `json:"preservations,omitempty"`
	Proposal       *Proposal      `json:"proposal,omitempty"`
	Notice         *Notice        `json:"notice,omitempty"`
	Statements     []Statement    `json:"statements,omitempty"`
	Hearing        *Hearing       `json:"hearing,omitempty"`
	Review         *Review        `json:"review,omitempty"`
	Discussion     *Discussion    `json:"discussion,omitempty"`
	Decision       *Decision      `json:"decision,omitempty"`
	Delivery       *Delivery      `json:"delivery,omitempty"`
	// PublicNotices are the documents served by public notice (民事诉讼法 Art. 95), pending or done.
	PublicNotices []PublicNotice `json:"public_notices,omitempty"`
	Payment       *Payment       `json:"payment,omitempty"`
	NotPenalised  *NotPenalised  `json:"not_penalised,omitempty"`

	Extensions []Extension `json:"extensions,omitempty"` // 延长办案期限 (Art. 60)
	Excluded   []Period    `json:"excluded,omitempty"`   // periods not counted (testing, public notice)
	Suspension []Period    `json:"suspensions,omitempty"`
	PriorState State       `json:"prior_state,omitempty"` // the state to resume to
	Recusals   []Recusal   `json:"recusals,omitempty"`
	Transfer   *Transfer   `json:"transfer,omitempty"`
	Ending     *Ending     `json:"ending,omitempty"` // termination or dismissal

	Inspection  *Inspection  `json:"inspection,omitempty"`
	Measure     *Measure     `json:"measure,omitempty"`
	Enforcement *Enforcement `json:"enforcement,omitempty"`

	// Documents are the documents the steps issued (through the documents module), with how and
	// when each was served.
	Documents []DocumentRef `json:"documents,omitempty"`

	// Plan is the deferral or instalments the body approved (Art. 66 ¶2; arrange_payment).
	Plan *Plan `json:"plan,omitempty"`
	// Remedies are the reconsiderations and lawsuits over the decision (record_remedy, or the
	// party's application through the portal).
	Remedies []Remedy `json:"remedies,omitempty"`
	// Payments are the payments received online (RecordPayment), Refunds the refunds made.
	Payments []OnlinePayment `json:"payments,omitempty"`
	Refunds  []Refund        `json:"refunds,omitempty"`
	// Revision is the decision revoked or its fine reduced (revise_decision).
	Revision *Revision `json:"revision,omitempty"`
	// Evaluation is the party's evaluation of the enforcement (公众评议), once per case.
	Evaluation *Evaluation `json:"evaluation,omitempty"`
	// PartyEntries are the portal's entries on the record, each once per kind and reference.
	PartyEntries []PartyEntryRef `json:"party_entries,omitempty"`

	Children   []string   `json:"children,omitempty"` // cases opened from this one
	ClosedOn   civil.Date `json:"closed_on,omitempty"`
	ArchivedOn civil.Date `json:"archived_on,omitempty"`
	Backfills  []Backfill `json:"backfills,omitempty"`
	Evidence   int        `json:"evidence_count"`
	LastOn     civil.Date `json:"last_on,omitempty"` // the day of the last recorded step
}

// Flags are the case's characteristics that gates depend on.
type Flags struct {
	Major          bool `json:"major"`           // 重大案件 (Art. 57, 58)
	Complex        bool `json:"complex"`         // 情节复杂 (Art. 57, 58)
	ReviewRequired bool `json:"review_required"` // a law requires legal review (Art. 58(4))
}

// ReviewNeeded reports whether Art. 58 requires legal review before the decision: major, complex,
// a hearing held, or another law requires it.
func (f *Facts) ReviewNeeded() bool {
	return f.Flags.Major || f.Flags.Complex || f.Flags.ReviewRequired || (f.Hearing != nil && f.Hearing.HeldOn != "")
}

// DiscussionNeeded reports whether Art. 57 requires the heads' collective discussion.
func (f *Facts) DiscussionNeeded() bool { return f.Flags.Major || f.Flags.Complex }

// Lead is the case source (案源).
type Lead struct {
	Source     string     `json:"source"` // complaint, inspection, transfer, monitoring, report, other
	ReceivedOn civil.Date `json:"received_on"`
	Summary    string     `json:"summary"`
}

// Report is the investigation report (调查终结报告).
type Report struct {
	On       civil.Date `json:"on"`
	Facts    string     `json:"facts"`
	Evidence string     `json:"evidence,omitempty"`
}

// Preservation is an evidence preservation (先行登记保存, Art. 56), decided within 7 working days.
type Preservation struct {
	On        civil.Date `json:"on"`
	Items     string     `json:"items"`
	DecidedOn civil.Date `json:"decided_on,omitempty"`
	Outcome   string     `json:"outcome,omitempty"`
}

// PenaltyType is a kind of administrative penalty (行政处罚法 Art. 9).
type PenaltyType string

// The penalty types.
const (
	PenaltyWarning      PenaltyType = "warning"      // 警告、通报批评
	PenaltyFine         PenaltyType = "fine"         // 罚款
	PenaltyConfiscation PenaltyType = "confiscation" // 没收违法所得、没收非法财物
	PenaltyLicenceSusp  PenaltyType = "licence_susp" // 暂扣许可证件
	PenaltyDowngrade    PenaltyType = "downgrade"    // 降低资质等级
	PenaltyRevocation   PenaltyType = "revocation"   // 吊销许可证件
	PenaltyRestriction  PenaltyType = "restriction"  // 限制开展生产经营活动、限制从业
	PenaltyClosure      PenaltyType = "closure"      // 责令停产停业、责令关闭
	PenaltyDetention    PenaltyType = "detention"    // 行政拘留
)

var penaltyRank = map[PenaltyType]int{
	PenaltyWarning: 1, PenaltyFine: 2, PenaltyConfiscation: 3, PenaltyLicenceSusp: 4, PenaltyDowngrade: 5,
	PenaltyRestriction: 6, PenaltyClosure: 7, PenaltyRevocation: 8, PenaltyDetention: 9,
}

// Valid reports whether t is a known penalty type.
func (t PenaltyType) Valid() bool { return penaltyRank[t] > 0 }

// heavy reports whether t always carries the hearing right (Art. 63), whatever the fine.
func (t PenaltyType) heavy() bool {
	switch t {
	case PenaltyDowngrade, PenaltyRevocation, PenaltyClosure, PenaltyRestriction:
		return true
	}
	return false
}

// Penalty is a penalty proposed, notified or decided. Amounts are in fen.
type Penalty struct {
	Types           []PenaltyType `json:"types"`
	FineFen         int64         `json:"fine_fen,omitempty"`
	ConfiscationFen int64         `json:"confiscation_fen,omitempty"` // value of what is confiscated
	// Violated are the provisions the act breaks (违法依据), from the law database.
	Violated []elements.Provision `json:"violated,omitempty"`
	// Provisions are the provisions the penalty rests on (处罚依据), from the law database.
	Provisions []elements.Provision `json:"provisions,omitempty"`
	// Basis is the penalty basis as documents print it: the citation of Provisions when there
	// are any, else as written.
	Basis string `json:"basis"`
}

// has reports whether p includes type t.
func (p Penalty) has(t PenaltyType) bool {
	for _, x := range p.Types {
		if x == t {
			return true
		}
	}
	return false
}

// heavierThan reports why p would be heavier than q (a type q lacks, a higher fine or
// confiscation), or "" when it is not. Art. 62: no heavier penalty than notified; Art. 45: no
// heavier penalty because the party defended itself.
func (p Penalty) heavierThan(q Penalty) string {
	for _, t := range p.Types {
		if !q.has(t) {
			return "type:" + string(t)
		}
	}
	if p.FineFen > q.FineFen {
		return "fine"
	}
	if p.ConfiscationFen > q.ConfiscationFen {
		return "confiscation"
	}
	return ""
}

// PinnedBenchmark is the discretion benchmark version applied to a proposal (裁量基准).
type PinnedBenchmark struct {
	BenchmarkID  string `json:"benchmark_id"`
	Version      int    `json:"version"`
	Circumstance string `json:"circumstance"`
	MinFineFen   int64  `json:"min_fine_fen"`
	MaxFineFen   int64  `json:"max_fine_fen"`
}

// Proposal is the proposed penalty with the discretion applied.
type Proposal struct {
	On        civil.Date       `json:"on"`
	Penalty   Penalty          `json:"penalty"`
	Benchmark *PinnedBenchmark `json:"benchmark,omitempty"`
	// OutsideReason explains a fine outside the benchmark range (required then).
	OutsideReason string `json:"outside_reason,omitempty"`
}

// Notice is the prior notice of the proposed penalty and the party's rights (告知, Art. 44, 63).
// ServedOn is empty while a public notice of it runs (Facts.PublicNotices); the windows to state a
// defence (StatementDue, Art. 44, 45) and to ask for a hearing (HearingDue, Art. 64) run from it.
type Notice struct {
	NotifiedOn    civil.Date `json:"notified_on,omitempty"` // the day of the notify step
	ServedOn      civil.Date `json:"served_on"`
	ServedBy      string     `json:"served_by,omitempty"` // the method; electronic: served on arrival
	Penalty       Penalty    `json:"penalty"`
	HearingRight  bool       `json:"hearing_right"`
	HearingDue    civil.Date `json:"hearing_request_due,omitempty"`
	HearingWaived bool       `json:"hearing_waived,omitempty"`
	// StatementDue is the last day of the period to state and defend, StatementDays working days
	// from the day served (the body's setting, which the notice prints).
	StatementDue  civil.Date `json:"statement_due,omitempty"`
	StatementDays int        `json:"statement_days,omitempty"`
	// StatementWaiver and HearingWaiver are the party's written waivers, each an attached document.
	StatementWaiver *Waiver `json:"statement_waiver,omitempty"`
	HearingWaiver   *Waiver `json:"hearing_waiver,omitempty"`
}

// Waiver is the party's written waiver of a right (书面放弃), recorded with the signed document
// uploaded as the case's evidence.
type Waiver struct {
	On         civil.Date `json:"on"`          // the day the party signed it
	EvidenceID string     `json:"evidence_id"` // the uploaded document (case_evidence)
	Title      string     `json:"title"`       // the document's title as uploaded
}

// Statement is a statement or defence by the party (陈述、申辩, Art. 45), received on ReceivedOn
// (the written statement, or the record of an oral one, attached as evidence), with whether the
// body adopted it and why.
type Statement struct {
	On         civil.Date `json:"on"`
	ReceivedOn civil.Date `json:"received_on,omitempty"`
	Summary    string     `json:"summary"`
	Accepted   bool       `json:"adopted"`
	Reason     string     `json:"reason,omitempty"`
	EvidenceID string     `json:"evidence_id,omitempty"`
}

// PublicNotice is a document served by public notice (公告送达, 民事诉讼法 Art. 95): the last
// resort, when the party's whereabouts are unknown or the other methods failed (Attempts), with
// where and when it was published. The document is served on ServedOn, when 30 days have passed
// since publication; Served turns true when the case records it (cases:serve_notices), or Closed
// when the document reached the party otherwise first.
type PublicNotice struct {
	Document    string     `json:"document"` // the document's kind: penalty_decision, prior_notice
	DocumentID  string     `json:"document_id,omitempty"`
	Reason      string     `json:"reason"` // whereabouts_unknown, other_methods_failed
	Attempts    []Attempt  `json:"attempts,omitempty"`
	PublishedOn civil.Date `json:"published_on"`
	Place       string     `json:"place"`
	ServedOn    civil.Date `json:"served_on"` // the day it serves the document
	Served      bool       `json:"served,omitempty"`
	Closed      bool       `json:"closed,omitempty"`
}

// pending reports whether the notice still waits for its period to pass.
func (n PublicNotice) pending() bool { return !n.Served && !n.Closed }

// Attempt is a try to serve a document by another method before a public notice.
type Attempt struct {
	Method string     `json:"method"`
	On     civil.Date `json:"on"`
	Result string     `json:"result"`
}

// Hearing is a hearing the party requested (听证, Art. 64).
type Hearing struct {
	RequestedOn  civil.Date `json:"requested_on"`
	NoticeOn     civil.Date `json:"notice_on,omitempty"`
	ScheduledOn  civil.Date `json:"scheduled_on,omitempty"`
	PresiderID   string     `json:"presider_id,omitempty"`
	Place        string     `json:"place,omitempty"`
	HeldOn       civil.Date `json:"held_on,omitempty"`
	Summary      string     `json:"summary,omitempty"`
	ExcludedDays int        `json:"excluded_days,omitempty"`
}

// Review is the legal review (法制审核, Art. 58).
type Review struct {
	SubmittedOn civil.Date `json:"submitted_on"`
	ReviewedOn  civil.Date `json:"reviewed_on,omitempty"`
	Reviewer    string     `json:"reviewer,omitempty"`
	Passed      bool       `json:"passed"`
	Opinion     string     `json:"opinion,omitempty"`
}

// Discussion is the heads' collective discussion (集体讨论, Art. 57).
type Discussion struct {
	On           civil.Date `json:"on"`
	Participants []string   `json:"participants"`
	Conclusion   string     `json:"conclusion"`
}

// Decision is the penalty decision (处罚决定, Art. 59).
type Decision struct {
	On         civil.Date `json:"on"`
	Number     string     `json:"number"` // 文书编号
	Penalty    Penalty    `json:"penalty"`
	Facts      string     `json:"facts"`
	PaymentHow string     `json:"payment_how,omitempty"`
	DecideDue  civil.Date `json:"decide_due,omitempty"` // the Art. 60 limit it met
	OnTheSpot  bool       `json:"on_the_spot,omitempty"`
	DecidedBy  string     `json:"decided_by"`
	Reconsider string     `json:"reconsideration,omitempty"`
	Litigation string     `json:"litigation,omitempty"`
	Place      string     `json:"place,omitempty"` // on the spot: where it was decided
	// StatementOpinion is what the decision states of the party's statements and defences and
	// whether each was adopted (当事人陈述申辩意见及采纳情况, Art. 45), or that it made none.
	StatementOpinion string `json:"statement_opinion,omitempty"`
}

// Delivery is the service of a decision (送达, Art. 61): recorded by the officer's serve step, or
// by the delivery module when the decision reaches the party (electronic delivery is served on
// arrival in the designated system; At is then the moment of arrival and Channel its route).
type Delivery struct {
	ServedOn   civil.Date `json:"served_on"`
	Method     string     `json:"method"` // on_the_spot, direct, post, left_at_address, electronic, public_notice
	Due        civil.Date `json:"due,omitempty"`
	Late       bool       `json:"late,omitempty"`
	PayDue     civil.Date `json:"payment_due,omitempty"`
	At         *time.Time `json:"at,omitempty"`          // the arrival, for a delivery the platform recorded
	Channel    string     `json:"channel,omitempty"`     // inbox, email, paper, public_notice
	DocumentID string     `json:"document_id,omitempty"` // the document served
	Receipt    string     `json:"receipt,omitempty"`     // 送达回证 or the postal return receipt
	// Witnesses and EvidenceIDs record a document left at the address (留置送达, 民事诉讼法 Art. 89).
	Witnesses   []string `json:"witnesses,omitempty"`
	EvidenceIDs []string `json:"evidence_ids,omitempty"`
}

// DocumentRef is a document issued with a step of the case (through the documents module): its
// number, the SM3 digest of its signed PDF, and when and how it was served. Served once: the
// officer's serve step, the spot, or its first arrival recorded by the delivery module, whichever
// comes first; later arrivals are entered in the record without serving it again.
type DocumentRef struct {
	ID       string     `json:"id"`
	Kind     string     `json:"kind"` // the document type: prior_notice, penalty_decision, ...
	Number   string     `json:"number,omitempty"`
	PDFSM3   string     `json:"pdf_sm3"`
	IssuedOn civil.Date `json:"issued_on"`
	Action   Action     `json:"action"` // the step that issued it
	ServedOn civil.Date `json:"served_on,omitempty"`
	ServedBy string     `json:"served_by,omitempty"` // the method of the serve step, on_the_spot, or the arriving channel
	// Arrivals are the delivery routes whose arrival the record holds, each once.
	Arrivals []string `json:"arrivals,omitempty"`
}

// document returns the case's latest document of kind, or nil.
func (f *Facts) document(kind string) *DocumentRef {
	for i := len(f.Documents) - 1; i >= 0; i-- {
		if f.Documents[i].Kind == kind {
			return &f.Documents[i]
		}
	}
	return nil
}

// documentByID returns the case's document id, or nil.
func (f *Facts) documentByID(id string) *DocumentRef {
	for i := range f.Documents {
		if f.Documents[i].ID == id {
			return &f.Documents[i]
		}
	}
	return nil
}

// Payment records a paid fine (or a performed obligation).
type Payment struct {
	PaidOn       civil.Date `json:"paid_on"`
	AmountFen    int64      `json:"amount_fen"`
	SurchargeFen int64      `json:"surcharge_fen,omitempty"`
	Receipt      string     `json:"receipt,omitempty"`
	OnTheSpot    bool       `json:"on_the_spot,omitempty"`
	// Online: the fine was paid online (AmountFen and SurchargeFen are then the sums of Facts.Payments).
	Online       bool       `json:"online,omitempty"`
	HandedOverOn civil.Date `json:"handed_over_on,omitempty"` // cash to the agency (Art. 71)
}

// NotPenalised is a decision not to penalise (不予处罚, Art. 30, 31, 33, 36, 57).
type NotPenalised struct {
	On        civil.Date `json:"on"`
	Ground    string     `json:"ground"`
	Education string     `json:"education,omitempty"` // 教育 recorded (Art. 33)
	Reason    string     `json:"reason"`
}

// Extension is an approved extension of the case deadline (Art. 60).
type Extension struct {
	On       civil.Date `json:"on"`
	Days     int        `json:"days"`
	Reason   string     `json:"reason"`
	Approver string     `json:"approver"`
}

// Period is a span of days, To empty while it runs.
type Period struct {
	Kind   string     `json:"kind"`             // testing, public_notice, suspension, hearing
	Ground string     `json:"ground,omitempty"` // a suspension's ground (see HaltInput)
	From   civil.Date `json:"from"`
	To     civil.Date `json:"to,omitempty"`
	Reason string     `json:"reason,omitempty"`
}

// Recusal is an officer's withdrawal from a case (回避, Art. 43).
type Recusal struct {
	On          civil.Date `json:"on"`
	OfficerID   string     `json:"officer_id"`
	AppliedBy   string     `json:"applied_by"` // officer or party
	Reason      string     `json:"reason"`
	Granted     bool       `json:"granted"`
	Replacement []string   `json:"replacement,omitempty"`
}

// Transfer is a transfer out of the case (移送): to another body or tier, or to criminal justice.
type Transfer struct {
	On       civil.Date `json:"on"`
	Target   string     `json:"target"` // body, tier, criminal
	To       string     `json:"to"`
	ToBodyID string     `json:"to_body_id,omitempty"`
	Reason   string     `json:"reason"`
}

// Ending records why a case ended without a decision: termination (终止) or dismissal (不予立案).
type Ending struct {
	On     civil.Date `json:"on"`
	How    string     `json:"how"`              // terminated, dismissed
	Ground string     `json:"ground,omitempty"` // a termination's ground (see HaltInput)
	Reason string     `json:"reason"`
}

// Inspection is what an inspection recorded.
type Inspection struct {
	Basis       string     `json:"basis"` // random (双随机), targeted, complaint
	PlannedOn   civil.Date `json:"planned_on"`
	Checklist   []string   `json:"checklist,omitempty"`
	InspectedOn civil.Date `json:"inspected_on,omitempty"`
	Findings    string     `json:"findings,omitempty"`
	Outcome     string     `json:"outcome,omitempty"`  // no_issue, correction_ordered, lead_opened
	Violated    string     `json:"violated,omitempty"` // the provisions violated, for the order to correct
	CorrectBy   civil.Date `json:"correct_by,omitempty"`
	VerifiedOn  civil.Date `json:"verified_on,omitempty"`
	Remote      bool       `json:"remote,omitempty"` // 非现场执法
}

// MeasureType is a coercive measure.
type MeasureType string

// The coercive measures (行政强制法 Art. 9).
const (
	MeasureSeal   MeasureType = "seal"   // 查封
	MeasureSeize  MeasureType = "seize"  // 扣押
	MeasureFreeze MeasureType = "freeze" // 冻结存款、汇款
)

// Measure is what a coercive measure recorded.
type Measure struct {
	Type         MeasureType `json:"type"`
	Items        string      `json:"items"`
	Reason       string      `json:"reason"`
	AmountFen    int64       `json:"amount_fen,omitempty"` // frozen amount
	ApprovedOn   civil.Date  `json:"approved_on,omitempty"`
	TakenAt      *time.Time  `json:"taken_at,omitempty"`
	TakenOn      civil.Date  `json:"taken_on,omitempty"`
	Emergency    bool        `json:"emergency,omitempty"`
	EmergencyDue *time.Time  `json:"emergency_due,omitempty"`
	ServedOn     civil.Date  `json:"served_on,omitempty"`
	TermDays     int         `json:"term_days,omitempty"`
	Extended     bool        `json:"extended,omitempty"`
	ExtendedDays int         `json:"extended_days,omitempty"`
	Ends         civil.Date  `json:"ends,omitempty"`
	Handling     string      `json:"handling,omitempty"` // confiscate, destroy, return, transfer
	ReleasedOn   civil.Date  `json:"released_on,omitempty"`
	// ExtensionReason and ReleaseReason are the reasons of the extension and the release, which
	// their decisions state.
	ExtensionReason string `json:"extension_reason,omitempty"`
	ReleaseReason   string `json:"release_reason,omitempty"`
}

// Enforcement is what the enforcement of a decision recorded.
type Enforcement struct {
	DecisionRef  string     `json:"decision_ref"`
	PrincipalFen int64      `json:"principal_fen"`
	PayDue       civil.Date `json:"payment_due"`
	// RemediesEnd is the day the periods for reconsideration and litigation end (Art. 53).
	RemediesEnd  civil.Date `json:"remedies_end,omitempty"`
	DemandedOn   civil.Date `json:"demanded_on,omitempty"`
	PerformBy    civil.Date `json:"perform_by,omitempty"`
	SurchargeFen int64      `json:"surcharge_fen,omitempty"`
	SurchargeOn  civil.Date `json:"surcharge_on,omitempty"`
	ExecutedAt   *time.Time `json:"executed_at,omitempty"`
	Means        string     `json:"means,omitempty"`
	CourtOn      civil.Date `json:"court_applied_on,omitempty"`
	Court        string     `json:"court,omitempty"`
	Ruling       string     `json:"ruling,omitempty"`
}

// Backfill is a record entered after the fact because the step was handled on paper (补录).
type Backfill struct {
	Seq             int        `json:"seq"`
	ObstacleEndedOn civil.Date `json:"obstacle_ended_on"`
	Due             civil.Date `json:"due"`
	EnteredOn       civil.Date `json:"entered_on"`
	Late            bool       `json:"late"`
}

// trimAll trims every string pointed to.
func trimAll(ss ...*string) {
	for _, s := range ss {
		*s = strings.TrimSpace(*s)
	}
}
