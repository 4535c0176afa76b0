package testkit

import (
	"net/http"
	"strings"

	"zhifa/app/apitest"
	"zhifa/modules/kernel/authz"
	"zhifa/tenants"
)

// Caller is who sends a scenario's request: staff or a party acting at a tenant (sent as the
// X-Test-* headers apitest's stand-in authentication reads), or a session named by headers of
// the package's own stand-in. The zero Caller sends no credentials.
type Caller struct {
	Tenant  string       // the ID of the tenant the caller acts at ("": none)
	Actor   string       // the actor ("": apitest's default)
	Roles   []authz.Role // the caller's roles at that tenant
	Bodies  []string     // the bodies the roles are bound to
	Headers map[string]string
}

// Role is a caller acting at tn with one role, bound to bodies.
func Role(tn *tenants.Tenant, role authz.Role, bodies ...string) Caller {
	return Caller{Tenant: tn.ID, Roles: []authz.Role{role}, Bodies: bodies}
}

// Session is a caller named by one header (a session token, or a stand-in's citizen header).
func Session(header, value string) Caller {
	return Caller{Headers: map[string]string{header: value}}
}

// sign sets the caller's headers on r.
func (c Caller) sign(r *http.Request) {
	if c.Tenant != "" {
		r.Header.Set(apitest.HeaderTenant, c.Tenant)
		roles := make([]string, len(c.Roles))
		for i, x := range c.Roles {
			roles[i] = string(x)
		}
		r.Header.Set(apitest.HeaderRoles, strings.Join(roles, ","))
		if len(c.Bodies) > 0 {
			r.Header.Set(apitest.HeaderBodies, strings.Join(c.Bodies, ","))
		}
		if c.Actor != "" {
			r.Header.Set(apitest.HeaderActor, c.Actor)
		}
	}
	for k, v := range c.Headers {
		r.Header.Set(k, v)
	}
}
