// Package casetask is the contract of the task the case engine handles for other modules:
// rules:calendar_loaded (CalendarLoaded), a year's holiday notice was loaded.
//
// Produced by the rules engine (LoadCalendar by a tenant's operator, in the load's transaction, at
// the operator's tenant; a load by a system scope writes none, and the case engine's periodic
// cases:recompute_waiting finds those deadlines). Handled by modules/cases, which counts again the
// deadlines of every case that waited for the year.
//
// Idempotency: the handler recomputes from the cases as they are, so a task run twice changes
// nothing more.
//
// The package imports only jobs, so that the rules engine depends on the contract and not on the
// case engine. Type strings and JSON field names are persisted in the outbox: never rename them.
package casetask
