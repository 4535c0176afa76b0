// Package disclosuretask is the contract of the tasks the disclosure module (公示) handles:
// disclosure:publish (Publish), publish a penalty decision (双公示, 行政处罚法 Art. 48), and
// disclosure:withdraw (Withdraw), take a published decision down (Art. 48).
//
// Publish is produced by the case engine (decide, for every decision not made on the spot), in
// the step's transaction, with the decision's number as the issued document gives it. Withdraw is
// meant for the case engine's revision of a decision, which is not built yet; until it is, a body
// head withdraws through the disclosure module's API. A deployment without a type's handler holds
// its outbox rows and relays them once a worker handles the type.
//
// Idempotency: the handler keys the publication by the case and the decision number, so a task
// run twice publishes once. The party's identity number is masked by the producer (its birth date
// travels beside it, for the minors' rule); the disclosure module applies its own redaction rules.
//
// The package imports only jobs and the kernel, so that the case engine depends on the contract
// and not on the disclosure module. Type strings and JSON field names are persisted in the
// outbox: never rename them.
package disclosuretask
