// Package jobs wires the platform's background work on Asynq: the Redis backend (a real server,
// or in-process miniredis for the embedded default), the client, the worker with its tenant
// middleware, the periodic scheduler, and the transactional outbox that turns rows written in a
// business transaction into tasks exactly once (task ID = outbox ID).
//
// Task types are named module:verb_noun. Every payload is an Envelope naming the tenant it acts
// for (or, for platform-wide scans, a system reason); a payload with neither is refused without
// retry.
//
// Tables: outbox (tenant-owned).
package jobs
