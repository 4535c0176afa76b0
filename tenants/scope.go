package tenants

import (
	"context"
	"slices"

	"zhifa/modules/kernel/authz"
)

// Scope is the tenant (and actor) a store or service call acts for. It is made only by the HTTP
// middleware (NewScope), the job middleware (NewScope from a payload), or System, so that every
// query on tenant data says whose data it is. The zero Scope is invalid and refused everywhere.
type Scope struct {
	tenantID string
	path     string
	subtree  bool // read across the subtree at path (the central tenant's views)
	readOnly bool
	system   string // non-empty: a system scope, with the reason
	actor    string
	roles    []authz.Role
	reach    authz.Reach
}

// NewScope returns the scope of actor (an identity ID or a job name) acting at tenant t with roles,
// every one of them bound to bodyIDs (none: the whole tenant). Jobs, the platform and the citizen
// portal build it; the HTTP middleware builds GrantScope from the principal's grants.
func NewScope(t *Tenant, actor string, roles []authz.Role, bodyIDs []string) Scope {
	return GrantScope(t, actor, authz.Bind(roles, bodyIDs))
}

// GrantScope returns the scope of actor acting at tenant t with what it holds there, each role
// reaching as far as its grants (authz.Reach).
func GrantScope(t *Tenant, actor string, reach authz.Reach) Scope {
	reach = slices.Clone(reach)
	return Scope{tenantID: t.ID, path: t.Path, actor: actor, roles: reach.Roles(), reach: reach}
}

// SubtreeScope returns the read-only scope of the central tenant t reading across its subtree, for
// the shared supervision and disclosure views. Writes through it fail.
func SubtreeScope(t *Tenant, actor string, roles []authz.Role) Scope {
	reach := authz.Bind(roles, nil)
	return Scope{tenantID: t.ID, path: t.Path, subtree: true, readOnly: true, actor: actor, roles: reach.Roles(), reach: reach}
}

// System returns a scope for platform work that spans tenants (the outbox relay, migrations,
// seeding). why says what for; grep for tenants.System to audit every use.
func System(why string) Scope {
	if why == "" {
		panic("tenants.System needs a reason")
	}
	return Scope{system: why, actor: "system:" + why}
}

// Valid reports whether s was made by one of the constructors.
func (s Scope) Valid() bool { return s.tenantID != "" || s.system != "" }

// TenantID is the tenant the scope acts at ("" for a system scope).
func (s Scope) TenantID() string { return s.tenantID }

// Path is the materialised path of the scope's tenant.
func (s Scope) Path() string { return s.path }

// Ancestors returns the IDs of the tenants above the scope's tenant, root first.
func (s Scope) Ancestors() []string {
	if s.path == "" {
		return nil
	}
	return Ancestors(s.path)
}

// Subtree reports whether the scope reads across its tenant's subtree.
func (s Scope) Subtree() bool { return s.subtree }

// ReadOnly reports whether writes through the scope are refused.
func (s Scope) ReadOnly() bool { return s.readOnly }

// IsSystem reports whether this is a system scope.
func (s Scope) IsSystem() bool { return s.system != "" }

// Actor is who acts: an identity ID, or "system:<why>".
func (s Scope) Actor() string { return s.actor }

// Roles are the actor's roles at the scope's tenant.
func (s Scope) Roles() []authz.Role { return s.roles }

// Reach is what the actor holds at the scope's tenant, each role with the bodies it reaches.
func (s Scope) Reach() authz.Reach { return s.reach }

// Can reports whether the actor's roles allow action a (for some body, at least).
func (s Scope) Can(a authz.Action) bool { return s.IsSystem() || authz.Allowed(s.roles, a) }

// CanFor reports whether the actor may take action a for the body bodyID ("": for the tenant
// itself): a role allowing a reaches it (authz.Reach.AllowedFor). A system scope may everything.
// Whether the scope may write at all is ReadOnly's.
func (s Scope) CanFor(a authz.Action, bodyID string) bool {
	return s.IsSystem() || s.reach.AllowedFor(a, bodyID)
}

// ActsFor reports whether any of the actor's roles reaches the body bodyID, so that it may see the
// body's records; what it may do there is CanFor's. A system scope acts for every body.
func (s Scope) ActsFor(bodyID string) bool { return s.IsSystem() || s.reach.ActsFor(bodyID) }

// Administers reports whether the actor is the tenant operator or the admin of body bodyID (""
// asks about the tenant itself: tenant operators only), as authz.Reach.Administers says. A system
// scope administers everything. Whether the scope may write at all is ReadOnly's.
func (s Scope) Administers(bodyID string) bool { return s.IsSystem() || s.reach.Administers(bodyID) }

type scopeKey struct{}

// WithScope returns ctx marked as acting under s. The query guard refuses tenant-table queries
// whose context carries no scope. RunInTx sets it; code rarely needs to call it directly.
func WithScope(ctx context.Context, s Scope) context.Context {
	return context.WithValue(ctx, scopeKey{}, s)
}

// FromContext returns the scope ctx acts under, if any.
func FromContext(ctx context.Context) (Scope, bool) {
	s, ok := ctx.Value(scopeKey{}).(Scope)
	return s, ok && s.Valid()
}
