// Package jobs wires the platform's background work on Asynq: the Redis backend (a real server,
// or in-process miniredis for the embedded default), the client, the worker with its tenant
// middleware, the periodic scheduler, and the transactional outbox that turns rows written in a
// business transaction into tasks exactly once (task ID = outbox ID).
//
// A task is declared once, as a typed Task[P] (or a Periodic, without payload) package variable
// with a literal type named module:verb_noun, by the module that handles it (in its contract
// package modules/<m>/<m>task when other modules write it): producers Enqueue through it, the
// handler is registered with Handle (HandlePeriodic), which decodes the body strictly. Every
// payload is an Envelope naming the tenant it acts for (or, for platform-wide scans, a system
// reason); a payload with neither, or a body that does not decode, is refused without retry. The
// relay hands Asynq only the types its worker's mux handles: a row of another type is held in the
// outbox (held_at), alarmed once, and relayed by a later deployment that handles it.
//
// Clocks: the relay stamps relayed_at and held_at by the clock it is given (RelayConfig.Now,
// WorkerConfig.Now: the platform's), and Prune's cutoff is read on that clock. An outbox row's
// created_at, the relay's order, is the instant its ID carries (dbx.IDTime), so that Enqueue needs
// no clock and the outbox keeps the order rows were written in whatever clock, pinned or not, the
// enqueuing service keeps.
//
// Tables: outbox (tenant-owned).
package jobs
