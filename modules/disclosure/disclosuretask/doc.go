// Package disclosuretask is the contract of the task the disclosure module (公示, to be built) will
// handle: disclosure:publish (Publish), publish a penalty decision (双公示, 行政处罚法 Art. 48).
//
// Produced by the case engine (decide, for every decision not made on the spot), in the step's
// transaction, with the decision's number as the issued document gives it. Handled by
// modules/disclosure; until that module is deployed, the outbox relay holds these rows (a
// deployment without the handler never hands them to Asynq) and relays them once a worker
// handles the type.
//
// Idempotency: the handler must key the publication by the case and the decision number, so a task
// run twice publishes once. The party's identity number is masked by the producer; the
// disclosure module applies its own redaction rules.
//
// The package imports only jobs and the kernel, so that the case engine depends on the contract
// and not on the disclosure module. Type strings and JSON field names are persisted in the
// outbox: never rename them.
package disclosuretask
