// Package supervisiontask is the contract of the task the supervision module (监督, to be built)
// will handle: supervision:warn (Warn), raise a warning (预警) on a case.
//
// Produced by the case engine (a step's warning points: deadline, late_backfill, major_case,
// criminal_transfer; the periodic overdue scan: overdue) and by the delivery module (delivery_late,
// delivery_failed, naming the delivery and route), each in the transaction that found it. Handled
// by modules/supervision; until that module is deployed, the outbox relay holds these rows and
// relays them once a worker handles the type.
//
// Idempotency: producers write a warning once (a step writes it with its transition; the scans
// mark what they warned of in the same transaction), and the handler must key a warning by its outbox
// ID (the task ID), so a task run twice raises one warning.
//
// The package imports only jobs and the kernel, so that producers depend on the contract and not
// on the supervision module. Type strings and JSON field names are persisted in the outbox: never
// rename them.
package supervisiontask
