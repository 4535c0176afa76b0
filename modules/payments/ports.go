package payments

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/civil"
	"zhifa/tenants"
)

// What the payments module needs from the case engine, and what it records there. The case engine
// (package cases) implements Cases; this package never imports it.

// Terms are what a penalty decision says is to be paid, as the case's record stands: the fine,
// the payment deadline of Art. 67 counted from the day the decision was served, an approved
// deferral or instalments (Art. 66), the periods the surcharge does not accrue (a reconsideration
// or litigation pending, Art. 72), and what was paid so far.
type Terms struct {
	CaseID         string     `json:"case_id"`
	CaseCode       string     `json:"case_code"`
	TenantID       string     `json:"tenant_id"`
	BodyID         string     `json:"body_id"`
	BodyName       string     `json:"body_name"`
	State          string     `json:"state"`
	DecisionNumber string     `json:"decision_number"`
	DecidedOn      civil.Date `json:"decided_on"`
	// FineFen is the fine as it stands (a reduction by a later decision lowers it; a revoked
	// decision leaves 0).
	FineFen  int64      `json:"fine_fen"`
	ServedOn civil.Date `json:"served_on,omitempty"` // empty: not served yet, nothing is due
	PayDue   civil.Date `json:"payment_due,omitempty"`
	Plan     *Plan      `json:"plan,omitempty"`
	Paused   []Pause    `json:"paused,omitempty"`
	// PaidFen and PaidSurchargeFen are the principal and surcharge paid so far (instalments, or
	// the whole fine once paid), RefundedFen what was refunded.
	PaidFen          int64 `json:"paid_fen"`
	PaidSurchargeFen int64 `json:"paid_surcharge_fen"`
	RefundedFen      int64 `json:"refunded_fen"`
	Revoked          bool  `json:"revoked,omitempty"`
	Party            Party `json:"party"`
}

// Party is who pays: the case's party.
type Party struct {
	Kind     string `json:"kind"` // person, organisation
	Name     string `json:"name"`
	IDNumber string `json:"-"`
	USCC     string `json:"-"`
}

// PlanKind is the kind of an approved arrangement (Art. 66 ¶2).
type PlanKind string

// The arrangements.
const (
	PlanDeferral    PlanKind = "deferral"    // 暂缓缴纳: one payment by a later day
	PlanInstalments PlanKind = "instalments" // 分期缴纳
)

// Plan is a deferral or instalments the body approved on the party's application (Art. 66 ¶2). A
// deferral is one instalment of the whole fine due on the deferred day.
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

// Pause is a period in which the surcharge does not accrue: a reconsideration or litigation
// pending (行政处罚法 Art. 72 ¶2... "not accrued during reconsideration/litigation"). To is empty while
// it is pending; the day it ends is the last day not accrued.
type Pause struct {
	Kind string     `json:"kind"` // reconsideration, litigation
	From civil.Date `json:"from"`
	To   civil.Date `json:"to,omitempty"`
}

// PaymentRecord is a payment the platform received, entered on the case's chain. RecordPayment is
// idempotent per PaymentID.
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

// ReceiptRecord is the fiscal e-receipt (财政电子票据) issued for a payment.
type ReceiptRecord struct {
	PaymentID  string `json:"payment_id"`
	DocumentID string `json:"document_id"`
	Number     string `json:"number"`
}

// RefundRecord is a refund made to the party.
type RefundRecord struct {
	PaymentID string    `json:"payment_id"`
	RefundID  string    `json:"refund_id"`
	AmountFen int64     `json:"amount_fen"`
	Reason    string    `json:"reason"` // revoked, reduced
	Reference string    `json:"reference"`
	At        time.Time `json:"at"`
}

// Cases is the case engine as the payments module sees it. Each method runs inside the caller's
// transaction tx under sc: a scope with payments.settle (the platform processing a verified
// payment), party.act (the proven party, through the portal) or payments.read (staff). Returns
// NotFound for a case sc may not see.
type Cases interface {
	// Terms returns what is to be paid on a penalty case. FailedPrecondition when the case has no
	// decision with a fine.
	Terms(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string) (*Terms, error)
	// RecordPayment enters a received payment on the case's chain: the whole fine (or the last
	// instalment) moves the case from served to paid; an instalment is recorded and the case stays.
	// Once per PaymentID: a repeated call adds nothing.
	RecordPayment(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string, rec PaymentRecord) error
	// RecordReceipt enters the fiscal e-receipt issued for a payment (a document of the case). Once
	// per PaymentID.
	RecordReceipt(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string, rec ReceiptRecord) error
	// RecordRefund enters a refund. Once per RefundID.
	RecordRefund(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string, rec RefundRecord) error
}
