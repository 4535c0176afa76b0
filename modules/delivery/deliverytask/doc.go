// Package deliverytask is the contract of the task the delivery module handles for other modules:
// delivery:deliver_document (Deliver), serve a document of a case on its party.
//
// Produced by the case engine (a step that issues a notice or decision: prior_notice,
// hearing_notice, penalty_decision, not_penalised_decision, correction_order, freeze_decision,
// measure_extension, measure_release, demand_notice) and by the payments module (fiscal_receipt),
// each in the transaction that issued the document. Handled by modules/delivery.
//
// Idempotency: the outbox ID is the task ID and the delivery keeps it as its source, and a
// document has one delivery, so a task run twice opens one delivery.
//
// The package imports only jobs and the kernel, so that producers depend on the contract and not
// on the delivery module. Type strings and JSON field names are persisted in the outbox: never
// rename them.
package deliverytask
