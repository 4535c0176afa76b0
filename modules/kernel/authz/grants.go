package authz

import (
	"slices"

	"zhifa/modules/kernel/errs"
)

// grantable is who grants what: for each granter role, the roles it may give. It is the one table
// of grants; MayGrant applies it, and revoking a grant follows it too. The rule:
//
//   - A tenant operator gives any staff role (officer, legal reviewer, body head, body admin,
//     supervisor, procurator, tenant operator) at its tenant, and through a subtree grant at the
//     tenants below; bound to bodies, only at those bodies.
//   - A body admin gives only the officer and legal reviewer roles, and only at a body it
//     administers: never body head, body admin or tenant operator, never at the tenant itself.
//   - No other role grants anything; no role gives a role above its own.
//   - Nobody grants to, or revokes from, itself.
var grantable = map[Role][]Role{
	TenantOperator: {Officer, LegalReviewer, BodyHead, BodyAdmin, Supervisor, Procurator, TenantOperator},
	BodyAdmin:      {Officer, LegalReviewer},
}

// Grantable returns a copy of the grant table (granter role -> roles it may give), for
// documentation pages and tests.
func Grantable() map[Role][]Role {
	m := make(map[Role][]Role, len(grantable))
	for g, rs := range grantable {
		m[g] = slices.Clone(rs)
	}
	return m
}

// The refusals of the grant table, each naming the rule it applies.
var (
	errGrantSelf = errs.E(errs.Forbidden, "授权规则：不得给自己授予或撤销角色",
		"grant rule: no one grants a role to, or revokes one from, themselves")
	errGrantRole = errs.E(errs.Forbidden, "授权规则：平台运维可授予任何工作人员角色；执法主体管理员只能授予执法人员、法制审核人员角色，不得授予执法主体负责人、执法主体管理员或平台运维角色",
		"grant rule: a tenant operator gives any staff role; a body admin gives only the officer and legal reviewer roles, never body head, body admin or tenant operator")
	errGrantReach = errs.E(errs.Forbidden, "授权规则：只能在自己管辖的范围内授权（执法主体管理员仅限本主体，本级租户的授权须由本级平台运维作出）",
		"grant rule: grants are made only within the granter's own reach (a body admin at its own bodies; a grant for the whole tenant by a tenant-wide operator)")
)

// MayGrant reports, as nil or a Forbidden error naming the rule broken, whether the caller actor
// holding r may give (or take back) role at bodyID ("": the whole tenant) to grantee ("": a new
// account): a role r holds gives it (grantable) and administers bodyID (Administers), and
// grantee is not actor.
func (r Reach) MayGrant(actor, grantee string, role Role, bodyID string) error {
	if grantee != "" && grantee == actor {
		return errGrantSelf
	}
	gives := func(h Held) bool { return slices.Contains(grantable[h.Role], role) }
	switch {
	case slices.ContainsFunc(r, func(h Held) bool { return gives(h) && h.administers(bodyID) }):
		return nil
	case slices.ContainsFunc(r, gives):
		return errGrantReach
	}
	return errGrantRole
}

// GrantableRole is a role the caller may give at a tenant, and where: for the tenant itself
// (Tenant) and at the bodies (Where), as MayGrant answers for anyone but the caller.
type GrantableRole struct {
	Role Role `json:"role"`
	Administration
}

// MayGive lists the roles r may give, in the order of Roles, each with where MayGrant allows it.
func (r Reach) MayGive() []GrantableRole {
	out := []GrantableRole{}
	for _, role := range Roles {
		g := GrantableRole{Role: role}
		for _, h := range r {
			if slices.Contains(grantable[h.Role], role) {
				g.within(h)
				g.Tenant = g.Tenant || (len(h.Bodies) == 0 && h.administers(""))
			}
		}
		if g.AllBodies || len(g.Bodies) > 0 {
			out = append(out, g)
		}
	}
	return out
}
