package cases

import (
	"time"

	"zhifa/modules/kernel/civil"
)

// The engine's vocabulary of money, as its facts hold it and as the payments module reads and
// enters it: the approved deferral or instalments (Plan, in Facts.Plan), what a decision demands
// (PaymentTerms, returned by Terms), and the records the platform enters (PaymentRecord,
// ReceiptRecord, RefundRecord, kept in the content of their events as "record"). The JSON names
// are those of the stored facts and events: old cases read as they were written.

// PlanKind is the kind of an approved arrangement (Art. 66 ¶2).
type PlanKind string

// The arrangements.
const (
	PlanDeferral    PlanKind = "deferral"    // 暂缓缴纳: one payment by a later day
	PlanInstalments PlanKind = "instalments" // 分期缴纳
)

// Plan is a deferral or instalments the body approved on the party's application (Art. 66 ¶2;
// arrange_payment). A deferral is one instalment of the whole fine due on the deferred day.
type Plan struct {
	Kind        PlanKind     `json:"kind"`
	ApprovedOn  civil.Date   `json:"approved_on"`
	Reason      string       `json:"reason"`
	Instalments []Instalment `json:"instalments"`
}

// Instalment is one part of a plan: its amount, the day it is due, and when it was paid.
type Instalment struct {
	Seq       int        `json:"seq"` // 1-based
	DueOn     civil.Date `json:"due_on"`
	AmountFen int64      `json:"amount_fen"`
	PaidOn    civil.Date `json:"paid_on,omitempty"`
}

// Pause is a period in which the late surcharge does not accrue: a reconsideration or
// litigation pending (Art. 73 ¶3). To is empty while it is pending; the day it ends is the last
// day not accrued.
type Pause struct {
	Kind string     `json:"kind"` // reconsideration, litigation
	From civil.Date `json:"from"`
	To   civil.Date `json:"to,omitempty"`
}

// PaymentTerms are what a penalty decision (or an enforcement case's demand) says is to be paid,
// as the case's record stands: the fine, the payment deadline of Art. 67 counted from the day the
// decision was served, an approved plan (Art. 66), the periods the surcharge does not accrue, and
// what was paid and refunded so far.
type PaymentTerms struct {
	CaseID         string
	CaseCode       string
	TenantID       string
	BodyID         string
	BodyName       string
	State          string
	DecisionNumber string
	DecidedOn      civil.Date
	// FineFen is the fine as it stands (a reduction by a later decision lowers it; a revoked
	// decision leaves 0).
	FineFen  int64
	ServedOn civil.Date // empty: not served yet, nothing is due
	PayDue   civil.Date
	Plan     *Plan // a copy: changing it changes nothing on the case
	Paused   []Pause
	// PaidFen and PaidSurchargeFen are the principal and surcharge paid so far (instalments, or
	// the whole fine once paid), RefundedFen what was refunded.
	PaidFen          int64
	PaidSurchargeFen int64
	RefundedFen      int64
	Revoked          bool
	Party            Party // who pays
}

// PaymentRecord is a payment the platform received, entered on the case's chain by
// RecordPayment, once per PaymentID.
type PaymentRecord struct {
	PaymentID    string    `json:"payment_id"`
	Provider     string    `json:"provider"`            // stripe
	Simulated    bool      `json:"simulated,omitempty"` // the embedded default's simulated payment
	Reference    string    `json:"reference"`           // the provider's payment reference (PaymentIntent ID)
	PaidAt       time.Time `json:"paid_at"`
	PrincipalFen int64     `json:"principal_fen"`
	SurchargeFen int64     `json:"surcharge_fen"`
	Instalment   int       `json:"instalment,omitempty"` // the instalment paid; 0: the whole fine
}

// ReceiptRecord is the fiscal e-receipt (财政电子票据) issued for a payment, entered by
// RecordReceipt.
type ReceiptRecord struct {
	PaymentID  string `json:"payment_id"`
	DocumentID string `json:"document_id"`
	Number     string `json:"number"`
}

// RefundRecord is a refund made to the party, entered by RecordRefund.
type RefundRecord struct {
	PaymentID string    `json:"payment_id"`
	RefundID  string    `json:"refund_id"`
	AmountFen int64     `json:"amount_fen"`
	Reason    string    `json:"reason"` // revoked, reduced
	Reference string    `json:"reference"`
	At        time.Time `json:"at"`
}
