// Package app is the composition root: it turns a config.Config into a running platform
// (database, job backend, identity, modules, HTTP server, worker) and holds the CLI. The binary
// and the end-to-end tests both start it through New. The platform keeps one clock (App.Now,
// time.Now unless WithClock pins it): every service, the outbox relay and prune, and the demo data
// are given that clock, none reads the wall clock beside it.
package app
