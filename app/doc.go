// Package app is the composition root: it turns a config.Config into a running platform
// (database, job backend, identity, modules, HTTP server, worker) and holds the CLI. The binary
// and the end-to-end tests both start it through New.
package app
