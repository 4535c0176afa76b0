package payments

import "zhifa/jobs"

// The task types of the payments module. Each payload is the body of a jobs.Envelope naming the
// tenant (the periodic one names a system reason).
const (
	// TaskIssueReceipt issues a paid payment's fiscal e-receipt and writes its delivery. Written
	// by the webhook in the transaction that marks the payment paid. Payload ReceiptTask.
	TaskIssueReceipt = "payments:issue_receipt"
	// TaskReconcile is the hourly comparison of recent payments with Stripe's records.
	TaskReconcile = "payments:reconcile"
)

// Tasks registers the payment task handlers on mux (payments:issue_receipt, payments:refund
// written by the case engine, payments:reconcile) and returns the periodic reconciliation.
func (s *Service) Tasks(mux *jobs.Mux) []jobs.Periodic {
	mux.Handle(TaskIssueReceipt, s.HandleIssueReceipt)
	mux.Handle(TaskRefund, s.HandleRefund)
	mux.Handle(TaskReconcile, s.HandleReconcile)
	return []jobs.Periodic{{Spec: "@every 1h", Type: TaskReconcile, Reason: "payments: reconcile recent payments with Stripe", Queue: jobs.QueueLow}}
}
