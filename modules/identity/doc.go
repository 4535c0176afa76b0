// Package identity turns a request's credentials into a Principal: an Ory Kratos session (cookie
// or X-Session-Token, checked with whoami) or, in the embedded default only, a dev-login token.
// It owns local accounts (a Kratos identity's platform profile), role grants at tenants and
// bodies, and the HTTP middlewares that authenticate a request and build its tenant Scope.
//
// Tables: accounts (not tenant-owned: an identity may hold grants in several tenants), grants
// (tenant-owned), dev_sessions (embedded default only).
//
// Terms: 执法人员 officer, 当事人 citizen, 平台运维 tenant operator; roles are in package authz.
package identity
