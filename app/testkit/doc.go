// Package testkit is what the packages' tests share above the databases of dbtest and the
// stand-in authentication of apitest: the assertion helpers (NoErr, WantCode, WantField), valid
// identification codes, the world builders every bounded context starts from (a tenant tree,
// enforcement bodies, certified officers and the scope of each role), and HTTP tests as
// scenario tables (Scenario, Server.Run).
//
// It imports modules/elements to create bodies and officers, so it serves external test
// packages (package x_test) only: an internal test of elements, or of a package elements
// imports, cannot use it.
package testkit
