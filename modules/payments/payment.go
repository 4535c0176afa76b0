package payments

import (
	"time"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/payments/paymenttask"
)

// Payment is one checkout of what was due on a day: its amounts as quoted, the provider's session
// and payment references, and the fiscal e-receipt issued once it was paid.
type Payment struct {
	bun.BaseModel `bun:"table:payments,alias:p"`

	ID           string `bun:"id,pk"`
	TenantID     string `bun:"tenant_id,notnull"`
	CaseID       string `bun:"case_id,notnull"`
	CaseCode     string `bun:"case_code,notnull"`
	BodyID       string `bun:"body_id,notnull"`
	Instalment   int    `bun:"instalment,notnull"`
	PrincipalFen int64  `bun:"principal_fen,notnull"`
	SurchargeFen int64  `bun:"surcharge_fen,notnull"`
	TotalFen     int64  `bun:"total_fen,notnull"`
	Currency     string `bun:"currency,notnull"`
	Status       Status `bun:"status,notnull"`
	Simulated    bool   `bun:"simulated,notnull"`
	// SessionID is the provider's Checkout Session (cs_...; cs_sim_<id> when simulated).
	SessionID   string `bun:"session_id,notnull"`
	CheckoutURL string `bun:"checkout_url,notnull"`
	SuccessURL  string `bun:"success_url,notnull"`
	CancelURL   string `bun:"cancel_url,notnull"`
	// Reference is the provider's payment (the PaymentIntent, pi_...), known once paid.
	Reference      string     `bun:"reference,notnull"`
	IdempotencyKey string     `bun:"idempotency_key,notnull"`
	QuotedOn       civil.Date `bun:"quoted_on,notnull"`
	DueOn          civil.Date `bun:"due_on,notnull"`
	LateDays       int        `bun:"late_days,notnull"`
	PausedDays     int        `bun:"paused_days,notnull"`
	ExpiresAt      time.Time  `bun:"expires_at,notnull"`
	PaidAt         *time.Time `bun:"paid_at"`
	// PaidFen is what the provider reported as received (amount_total).
	PaidFen           int64     `bun:"paid_fen,notnull"`
	RefundedFen       int64     `bun:"refunded_fen,notnull"`
	ReceiptDocumentID string    `bun:"receipt_document_id,notnull"`
	ReceiptNumber     string    `bun:"receipt_number,notnull"`
	LastError         string    `bun:"last_error,notnull"`
	CreatedBy         string    `bun:"created_by,notnull"`
	CreatedAt         time.Time `bun:"created_at,notnull"`
	UpdatedAt         time.Time `bun:"updated_at,notnull"`
}

// View returns the payment as the party and staff see it.
func (p *Payment) View() PaymentView {
	return PaymentView{ID: p.ID, CaseID: p.CaseID, Status: p.Status, Instalment: p.Instalment, PrincipalFen: p.PrincipalFen,
		SurchargeFen: p.SurchargeFen, TotalFen: p.TotalFen, RefundedFen: p.RefundedFen, Simulated: p.Simulated,
		CreatedAt: p.CreatedAt, PaidAt: p.PaidAt, ReceiptID: p.ReceiptDocumentID, ReceiptNumber: p.ReceiptNumber}
}

// settled reports whether money was received for the payment (paid, possibly refunded since).
func (p *Payment) settled() bool { return p.Status == StatusPaid || p.Status == StatusRefunded }

// refundable is what may still be refunded of the payment, given what refunds in flight hold.
func (p *Payment) refundable(inFlight int64) int64 {
	if !p.settled() {
		return 0
	}
	return max(p.TotalFen-p.RefundedFen-inFlight, 0)
}

// Refund is money returned to the party for a payment: a decision revoked or its fine reduced.
type Refund struct {
	bun.BaseModel `bun:"table:payment_refunds,alias:r"`

	ID        string       `bun:"id,pk"`
	TenantID  string       `bun:"tenant_id,notnull"`
	PaymentID string       `bun:"payment_id,notnull"`
	CaseID    string       `bun:"case_id,notnull"`
	AmountFen int64        `bun:"amount_fen,notnull"`
	Reason    string       `bun:"reason,notnull"`
	Status    RefundStatus `bun:"status,notnull"`
	Reference string       `bun:"reference,notnull"` // the provider's refund (re_...)
	// Source makes a refund once: "task:<task ID>:<payment ID>" or "key:<Idempotency-Key>".
	Source    string     `bun:"source,notnull"`
	LastError string     `bun:"last_error,notnull"`
	CreatedBy string     `bun:"created_by,notnull"`
	CreatedAt time.Time  `bun:"created_at,notnull"`
	DoneAt    *time.Time `bun:"done_at"`
}

// View returns the refund as staff see it.
func (r *Refund) View() RefundView {
	return RefundView{ID: r.ID, PaymentID: r.PaymentID, AmountFen: r.AmountFen, Reason: r.Reason, Status: r.Status,
		Reference: r.Reference, Error: r.LastError, CreatedAt: r.CreatedAt, DoneAt: r.DoneAt}
}

// The reasons of a refund (paymenttask.RefundCase.Reason, RefundInput.Reason).
const (
	ReasonRevoked = paymenttask.ReasonRevoked // the decision was revoked
	ReasonReduced = paymenttask.ReasonReduced // the fine was reduced
)

// event is a provider event processed (or deliberately ignored) once.
type event struct {
	bun.BaseModel `bun:"table:payment_events,alias:e"`

	TenantID   string    `bun:"tenant_id,pk"`
	EventID    string    `bun:"event_id,pk"`
	Type       string    `bun:"type,notnull"`
	PaymentID  string    `bun:"payment_id,notnull"`
	Outcome    string    `bun:"outcome,notnull"`
	ReceivedAt time.Time `bun:"received_at,notnull"`
}

// warningRow is a stored reconciliation warning.
type warningRow struct {
	bun.BaseModel `bun:"table:payment_warnings,alias:w"`

	ID          string    `bun:"id,pk"`
	TenantID    string    `bun:"tenant_id,notnull"`
	PaymentID   string    `bun:"payment_id,notnull"`
	CaseID      string    `bun:"case_id,notnull"`
	Kind        string    `bun:"kind,notnull"`
	Local       string    `bun:"local,notnull"`
	Remote      string    `bun:"remote,notnull"`
	MessageZH   string    `bun:"message_zh,notnull"`
	MessageEN   string    `bun:"message_en,notnull"`
	FirstSeenAt time.Time `bun:"first_seen_at,notnull"`
	LastSeenAt  time.Time `bun:"last_seen_at,notnull"`
	Seen        int       `bun:"seen,notnull"`
}

func (w *warningRow) view() Warning {
	return Warning{ID: w.ID, PaymentID: w.PaymentID, CaseID: w.CaseID, Kind: w.Kind, Local: w.Local, Remote: w.Remote,
		Message: errs.Msg{ZH: w.MessageZH, EN: w.MessageEN}, FirstSeenAt: w.FirstSeenAt, LastSeenAt: w.LastSeenAt, Seen: w.Seen}
}
