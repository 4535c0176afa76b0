// Package paymenttask is the contract of the task the payments module handles for other modules:
// payments:refund (Refund), refund what was paid online on a case beyond what its decision still
// demands.
//
// Produced by the case engine (revise_decision, when a decision is revoked or its fine reduced
// after money was paid online), in the step's transaction. Handled by modules/payments.
//
// Idempotency: the amount is the total to be refunded on the case, not an increment, and each
// payment's share is unique per total, so a task run twice refunds nothing more.
//
// The package imports only jobs, so that the case engine depends on the contract and not on the
// payments module. Type strings and JSON field names are persisted in the outbox: never rename
// them.
package paymenttask
