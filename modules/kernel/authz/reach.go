package authz

import (
	"slices"
	"sort"
)

// Held is one role a principal holds at a tenant and how far it reaches there: the whole tenant
// (its own affairs and every one of its enforcement bodies) when Bodies is empty, else only the
// bodies named.
type Held struct {
	Role   Role     `json:"role"`
	Bodies []string `json:"bodies,omitempty"`
}

// reaches reports whether h reaches body; bodyID "" stands for the tenant itself, which only a
// tenant-wide role reaches.
func (h Held) reaches(bodyID string) bool {
	return len(h.Bodies) == 0 || (bodyID != "" && slices.Contains(h.Bodies, bodyID))
}

// Reach is everything a principal holds at one tenant, one Held per role. It is the one place
// that answers "may this caller act for this body?" and "is it the tenant operator or this body's
// admin?"; the rule:
//
//   - Each role reaches as far as its own grants do. A grant made without a body, or a subtree
//     role granted at a tenant above (tenant operator, supervisor, procurator), reaches the whole
//     tenant; a grant naming a body reaches only that body. Grants of the same role add up, and a
//     tenant-wide one wins.
//   - A caller may take action a for body b (AllowedFor) when a role that the table allows a
//     reaches b. Grants only add: holding one more grant never narrows what the others allow,
//     and never lends one role's reach to another. So a tenant operator who also holds a body
//     head grant for body A manages every body's elements, officers, settings and templates and
//     reads every body's cases (the operator's actions, tenant-wide), but approves only A's cases
//     (the head's action, bound to A). A caller sees a body's records at all (ActsFor) when any
//     of its roles reaches the body; what it may do there is AllowedFor's.
//   - The tenant itself (its settings, templates and grants without a body) is administered by
//     tenant-wide tenant operators only (Administers("")); a body is administered by a tenant
//     operator or a body admin reaching it (Administers(b)), so a body admin granted without a
//     body administers every body of the tenant, never the tenant. An action for the tenant as a
//     whole (AllowedFor(a, ""), such as creating a body) needs a tenant-wide role allowing it.
//
// Read-only scopes and system scopes are the scope's business (tenants.Scope), not the reach's.
type Reach []Held

// Bind returns the reach of roles, each bound to bodies (none: the whole tenant).
func Bind(roles []Role, bodies []string) Reach {
	var r Reach
	for _, role := range roles {
		if len(bodies) == 0 {
			r = r.add(role, "")
		}
		for _, b := range bodies {
			r = r.add(role, b)
		}
	}
	return r
}

// add returns r holding role for bodyID too ("": the whole tenant).
func (r Reach) add(role Role, bodyID string) Reach {
	i := slices.IndexFunc(r, func(h Held) bool { return h.Role == role })
	switch {
	case i < 0 && bodyID == "":
		return append(r, Held{Role: role})
	case i < 0:
		return append(r, Held{Role: role, Bodies: []string{bodyID}})
	case bodyID == "":
		r[i].Bodies = nil
	case len(r[i].Bodies) > 0 && !slices.Contains(r[i].Bodies, bodyID):
		r[i].Bodies = append(r[i].Bodies, bodyID)
	}
	return r
}

// ReachAt returns what p holds at the tenant tenantID, whose ancestors are given root first:
// grants made at that tenant (bound to their body, if they name one), plus subtree roles granted
// at any of its ancestors (tenant-wide there: the body such a grant names is the ancestor's).
func (p *Principal) ReachAt(tenantID string, ancestors []string) Reach {
	var r Reach
	for _, g := range p.Grants {
		switch {
		case g.TenantID == tenantID:
			r = r.add(g.Role, g.BodyID)
		case g.Role.Subtree() && slices.Contains(ancestors, g.TenantID):
			r = r.add(g.Role, "")
		}
	}
	return r
}

// Roles lists the roles held, in the order of the grants.
func (r Reach) Roles() []Role {
	out := make([]Role, len(r))
	for i, h := range r {
		out[i] = h.Role
	}
	return out
}

// AllowedFor reports whether a role that may take action a reaches bodyID ("": the tenant itself).
func (r Reach) AllowedFor(a Action, bodyID string) bool {
	return slices.ContainsFunc(r, func(h Held) bool { return slices.Contains(table[a], h.Role) && h.reaches(bodyID) })
}

// ActsFor reports whether any role held reaches bodyID: whether the caller may see a body's
// records at all. What it may do there is AllowedFor's.
func (r Reach) ActsFor(bodyID string) bool {
	return slices.ContainsFunc(r, func(h Held) bool { return h.reaches(bodyID) })
}

// Administers reports whether the caller is the tenant operator or the admin of bodyID; bodyID ""
// asks about the tenant itself, which only a tenant-wide tenant operator administers.
func (r Reach) Administers(bodyID string) bool {
	return slices.ContainsFunc(r, func(h Held) bool { return h.administers(bodyID) })
}

// administers reports whether h is a tenant operator's or a body admin's grant reaching bodyID;
// bodyID "" (the tenant itself) only a tenant-wide tenant operator's.
func (h Held) administers(bodyID string) bool {
	return (h.Role == TenantOperator || (h.Role == BodyAdmin && bodyID != "")) && h.reaches(bodyID)
}

// Where says for which bodies of a tenant something holds: AllBodies, or only the Bodies named.
type Where struct {
	AllBodies bool     `json:"all_bodies"`       // the tenant's own affairs and every body of it
	Bodies    []string `json:"bodies,omitempty"` // else only these bodies
}

// within adds h's reach to w.
func (w *Where) within(h Held) {
	if len(h.Bodies) == 0 {
		w.AllBodies, w.Bodies = true, nil
		return
	}
	if w.AllBodies {
		return
	}
	for _, b := range h.Bodies {
		if !slices.Contains(w.Bodies, b) {
			w.Bodies = append(w.Bodies, b)
		}
	}
	sort.Strings(w.Bodies)
}

// Permit is an action the caller may take at a tenant, and where.
type Permit struct {
	Action Action `json:"action"`
	Where
}

// Permits lists the actions r allows, by name, each with the bodies it applies to: what
// AllowedFor answers, for a page that shows only what the caller may do.
func (r Reach) Permits() []Permit {
	out := []Permit{}
	for a, roles := range table {
		p := Permit{Action: a}
		for _, h := range r {
			if slices.Contains(roles, h.Role) {
				p.within(h)
			}
		}
		if p.AllBodies || len(p.Bodies) > 0 {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Action < out[j].Action })
	return out
}

// Administration says what the caller administers at a tenant: the tenant itself (a tenant-wide
// tenant operator) and the bodies (Where), as Administers answers it.
type Administration struct {
	Tenant bool `json:"tenant"`
	Where
}

// Administration returns what r administers.
func (r Reach) Administration() Administration {
	var out Administration
	for _, h := range r {
		if h.Role == TenantOperator || h.Role == BodyAdmin {
			out.within(h)
			out.Tenant = out.Tenant || (h.Role == TenantOperator && len(h.Bodies) == 0)
		}
	}
	return out
}

// Me is the caller's principal with what it may do at one tenant: the reply of GET /api/v1/me,
// from which pages show only the menus and buttons the caller may use.
type Me struct {
	Principal
	Tenant      string         `json:"tenant"`      // the tenant asked about; "" when the caller holds no role there
	Roles       []Role         `json:"roles"`       // the roles held there (granted there, or subtree roles from above)
	Actions     []Permit       `json:"actions"`     // the actions allowed there, each with its bodies
	Administers Administration `json:"administers"` // the tenant itself and the bodies the caller administers
	// SubtreeRoles are the roles whose grant at a tenant also applies to the tenants below it.
	SubtreeRoles []Role `json:"subtree_roles"`
	// Grantable are the roles the caller may give there, and where (Reach.MayGive).
	Grantable []GrantableRole `json:"grantable"`
}

// MeAt returns p as it stands at the tenant tenantID (ancestors root first); tenantID "" or a
// tenant where p holds no role gives no roles and no actions.
func (p *Principal) MeAt(tenantID string, ancestors []string) Me {
	me := Me{Principal: *p, Roles: []Role{}, Actions: []Permit{}, Grantable: []GrantableRole{}, SubtreeRoles: slices.DeleteFunc(slices.Clone(Roles), func(r Role) bool { return !r.Subtree() })}
	if tenantID == "" {
		return me
	}
	r := p.ReachAt(tenantID, ancestors)
	if len(r) == 0 {
		return me
	}
	me.Tenant, me.Roles, me.Actions, me.Administers, me.Grantable = tenantID, r.Roles(), r.Permits(), r.Administration(), r.MayGive()
	return me
}
