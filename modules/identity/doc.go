// Package identity turns a request's credentials into a Principal: an Ory Kratos session (cookie
// or X-Session-Token, checked with whoami) or, in the embedded default only, a dev-login token.
// It owns local accounts (a Kratos identity's platform profile), role grants at tenants and
// bodies, and the HTTP middlewares that authenticate a request and build its tenant Scope (each
// role reaching as far as its grants: authz.Reach). GET /api/v1/me answers the principal with
// what it may do at the tenant asked (authz.Me: roles, the actions allowed with their bodies, what
// it administers), from which the console shows its menus and buttons. Granting, revoking and
// creating an account with roles follow the grant table (authz.Reach.MayGrant: who gives what,
// never to oneself), refused with the rule named.
//
// Tables: accounts (not tenant-owned: an identity may hold grants in several tenants), grants
// (tenant-owned), dev_sessions (embedded default only).
//
// Terms: 执法人员 officer, 当事人 citizen, 平台运维 tenant operator; roles are in package authz.
package identity
