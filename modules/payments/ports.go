package payments

import (
	"context"

	"github.com/uptrace/bun"

	"zhifa/modules/cases"
	"zhifa/tenants"
)

// What the payments module needs from the case engine, and what it records there, in the
// engine's own vocabulary (cases.PaymentTerms, cases.Plan, cases.Pause, cases.Party and the
// payment, receipt and refund records): *cases.Service implements Cases as it is.

// Cases is the case engine as the payments module sees it. Each method runs inside the caller's
// transaction tx under sc: a scope with payments.settle (the platform processing a verified
// payment), party.act (the proven party, through the portal) or payments.read (staff). Returns
// NotFound for a case sc may not see.
type Cases interface {
	// Terms returns what is to be paid on a penalty case. FailedPrecondition when the case has no
	// decision with a fine.
	Terms(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string) (*cases.PaymentTerms, error)
	// RecordPayment enters a received payment on the case's chain: the whole fine (or the last
	// instalment) moves the case from served to paid; an instalment is recorded and the case stays.
	// Once per PaymentID: a repeated call adds nothing.
	RecordPayment(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string, rec cases.PaymentRecord) error
	// RecordReceipt enters the fiscal e-receipt issued for a payment (a document of the case). Once
	// per PaymentID.
	RecordReceipt(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string, rec cases.ReceiptRecord) error
	// RecordRefund enters a refund. Once per RefundID.
	RecordRefund(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string, rec cases.RefundRecord) error
}
