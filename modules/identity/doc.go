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
// Staff accounts are created by an operator or a body admin, never self-registered: with Kratos,
// an identity without a password whose address is verified, and an invitation (task
// identity:invite, written in the account's transaction) e-mailing a Kratos recovery link and code
// through the platform's mail server (modules/kernel/mailer). Suspending an account (who may: the
// grant table for each of its roles, never oneself) refuses its credentials at once, sets its
// Kratos identity inactive and ends its sessions; reinstating reverses it. Accounts are listed and
// searched per tenant (GET /accounts), and every change of who holds what is audited in its
// transaction (GET /grants/audit, the tenant's operator).
//
// Tables: accounts (not tenant-owned: an identity may hold grants in several tenants), grants
// and grants_audit (tenant-owned), dev_sessions (embedded default only).
//
// Terms: 执法人员 officer, 当事人 citizen, 平台运维 tenant operator; roles are in package authz.
package identity
