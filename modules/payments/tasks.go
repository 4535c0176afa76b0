package payments

import (
	"zhifa/jobs"
	"zhifa/modules/payments/paymenttask"
)

// The payments module's own tasks. Each payload is the body of a jobs.Envelope naming the tenant
// (the periodic one names a system reason). The task it handles for the case engine,
// payments:refund, is declared in its contract package, paymenttask.
var (
	// IssueReceipt issues a paid payment's fiscal e-receipt and writes its delivery. Written by the
	// webhook in the transaction that marks the payment paid.
	IssueReceipt = jobs.Task[ReceiptTask]{Type: "payments:issue_receipt", Queue: jobs.QueueDefault}
	// Reconcile is the hourly comparison of recent payments with Stripe's records.
	Reconcile = jobs.Periodic{Type: "payments:reconcile", Queue: jobs.QueueLow, Spec: "@every 1h",
		Reason: "payments: reconcile recent payments with Stripe"}
)

// Tasks registers the payment task handlers on mux (payments:issue_receipt, payments:refund
// written by the case engine, and the periodic payments:reconcile).
func (s *Service) Tasks(mux *jobs.Mux) {
	jobs.Handle(mux, IssueReceipt, s.HandleIssueReceipt)
	jobs.Handle(mux, paymenttask.Refund, s.HandleRefund)
	jobs.HandlePeriodic(mux, Reconcile, s.HandleReconcile)
}
