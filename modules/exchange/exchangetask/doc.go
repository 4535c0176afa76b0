// Package exchangetask is the contract of the tasks the exchange module (数据交换, to be built) will
// handle: exchange:sync_case (Sync), sync a closed case upward, and exchange:transfer_case
// (Transfer), hand a transferred case to its receiver (移送).
//
// Both are produced by the case engine in the step's transaction: Sync by every transition that
// closes a case, Transfer by the transfer step. Handled by modules/exchange; until that module is
// deployed, the outbox relay holds these rows and relays them once a worker handles the types.
//
// Idempotency: a sync carries the case's version and chain head, so the handler must keep the
// latest and ignore a repeat; a transfer is keyed by the case, which is transferred once.
//
// The package imports only jobs and the kernel, so that the case engine depends on the contract
// and not on the exchange module. Type strings and JSON field names are persisted in the outbox:
// never rename them.
package exchangetask
