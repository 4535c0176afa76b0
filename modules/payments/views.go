package payments

import (
	"time"

	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/errs"
)

// The payments module as the portal (and the staff pages) see it.

// Quote is what a payment on a case would charge on a day: the principal due (the whole fine, or
// the next instalment of an approved plan) and the late surcharge of Art. 72 accrued on it.
type Quote struct {
	CaseID       string     `json:"case_id"`
	On           civil.Date `json:"on"`
	DueOn        civil.Date `json:"due_on"`               // the deadline the principal is due by
	Instalment   int        `json:"instalment,omitempty"` // the instalment quoted; 0: the whole fine
	PrincipalFen int64      `json:"principal_fen"`
	SurchargeFen int64      `json:"surcharge_fen"`
	TotalFen     int64      `json:"total_fen"`
	LateDays     int        `json:"late_days"`   // days the surcharge accrued
	PausedDays   int        `json:"paused_days"` // late days not accrued: reconsideration or litigation pending
	Capped       bool       `json:"capped"`      // the surcharge reached the principal (Art. 72)
	Paid         bool       `json:"paid"`        // nothing is left to pay
	Basis        string     `json:"basis"`       // how it was computed, with the articles (zh)
	BasisEN      string     `json:"basis_en"`
}

// CheckoutInput starts a payment of what is due now.
type CheckoutInput struct {
	// SuccessURL and CancelURL are where the payer returns after the payment page: same-origin
	// portal addresses.
	SuccessURL string `json:"success_url"`
	CancelURL  string `json:"cancel_url"`
	// IdempotencyKey makes a retried request return the same checkout.
	IdempotencyKey string `json:"-"`
}

// Checkout is a started payment: the page the payer goes to (Stripe Checkout, or the embedded
// default's simulated payment page) and the amount it charges.
type Checkout struct {
	PaymentID string `json:"payment_id"`
	URL       string `json:"url"`
	Simulated bool   `json:"simulated"`
	Quote     Quote  `json:"quote"`
}

// Status is where a payment stands.
type Status string

// The statuses of a payment.
const (
	StatusPending  Status = "pending"  // checkout started, not paid
	StatusPaid     Status = "paid"     // paid (the webhook confirmed it)
	StatusExpired  Status = "expired"  // the checkout expired unpaid
	StatusFailed   Status = "failed"   // the payment attempt failed, or the checkout could not be started; a later completion still pays it
	StatusRefunded Status = "refunded" // refunded in full (partly: paid with RefundedFen > 0)
)

// PaymentView is a payment as the party and the officer see it, with its receipt and refunds.
type PaymentView struct {
	ID            string     `json:"id"`
	CaseID        string     `json:"case_id"`
	Status        Status     `json:"status"`
	Instalment    int        `json:"instalment,omitempty"`
	PrincipalFen  int64      `json:"principal_fen"`
	SurchargeFen  int64      `json:"surcharge_fen"`
	TotalFen      int64      `json:"total_fen"`
	RefundedFen   int64      `json:"refunded_fen"`
	Simulated     bool       `json:"simulated"`
	CreatedAt     time.Time  `json:"created_at"`
	PaidAt        *time.Time `json:"paid_at,omitempty"`
	ReceiptID     string     `json:"receipt_document_id,omitempty"`
	ReceiptNumber string     `json:"receipt_number,omitempty"`
}

// RefundStatus is where a refund stands.
type RefundStatus string

// The statuses of a refund.
const (
	RefundPending   RefundStatus = "pending"   // written; the provider was not asked yet, or did not answer
	RefundSucceeded RefundStatus = "succeeded" // the provider accepted it
	RefundFailed    RefundStatus = "failed"    // the provider refused it
)

// RefundView is a refund as staff see it.
type RefundView struct {
	ID        string       `json:"id"`
	PaymentID string       `json:"payment_id"`
	AmountFen int64        `json:"amount_fen"`
	Reason    string       `json:"reason"`
	Status    RefundStatus `json:"status"`
	Reference string       `json:"reference,omitempty"`
	Error     string       `json:"error,omitempty"`
	CreatedAt time.Time    `json:"created_at"`
	DoneAt    *time.Time   `json:"done_at,omitempty"`
}

// PaymentDetail is a payment with its refunds, for staff.
type PaymentDetail struct {
	PaymentView
	Reference string       `json:"reference,omitempty"` // the provider's payment reference
	Refunds   []RefundView `json:"refunds"`
}

// Warning is a reconciliation warning: the provider's record of a payment disagrees with ours.
type Warning struct {
	ID          string    `json:"id"`
	PaymentID   string    `json:"payment_id"`
	CaseID      string    `json:"case_id"`
	Kind        string    `json:"kind"` // status, amount, currency, missing
	Local       string    `json:"local"`
	Remote      string    `json:"remote"`
	Message     errs.Msg  `json:"message"`
	FirstSeenAt time.Time `json:"first_seen_at"`
	LastSeenAt  time.Time `json:"last_seen_at"`
	Seen        int       `json:"seen"`
}
