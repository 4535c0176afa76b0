// Package apitest mounts a module's routes for HTTP tests without a login: stand-in middlewares
// build the caller's scope from X-Test-* headers, and the platform's own error handler and
// OpenAPI registry do the rest, as in the running platform.
package apitest

import (
	"io"
	"log/slog"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/uptrace/bun"

	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/httpx"
	"zhifa/tenants"
)

// The headers a test request names its caller with.
const (
	HeaderTenant = "X-Test-Tenant" // the tenant ID the request acts at
	HeaderActor  = "X-Test-Actor"  // the actor (default "tester")
	HeaderRoles  = "X-Test-Roles"  // comma-separated roles at that tenant
	HeaderBodies = "X-Test-Bodies" // comma-separated bodies the roles are bound to
)

// Auth returns stand-in middlewares: every request counts as signed in, and its scope is built
// from the X-Test-* headers. An unknown tenant answers NotFound, as the real middleware does.
func Auth(db *bun.DB) httpx.Auth {
	store := tenants.NewStore(db)
	return httpx.Auth{
		Session: func(next echo.HandlerFunc) echo.HandlerFunc { return next },
		Tenant: func(next echo.HandlerFunc) echo.HandlerFunc {
			return func(c echo.Context) error {
				h := c.Request().Header
				tn, err := store.Lookup(c.Request().Context(), h.Get(HeaderTenant))
				if err != nil {
					return err
				}
				var roles []authz.Role
				for _, r := range strings.Split(h.Get(HeaderRoles), ",") {
					roles = append(roles, authz.Role(r))
				}
				var bodies []string
				if b := h.Get(HeaderBodies); b != "" {
					bodies = strings.Split(b, ",")
				}
				actor := h.Get(HeaderActor)
				if actor == "" {
					actor = "tester"
				}
				tenants.SetScope(c, tenants.NewScope(tn, actor, roles, bodies))
				return next(c)
			}
		},
		Roles: func(c echo.Context) []authz.Role { return tenants.ScopeOf(c).Roles() },
	}
}

// NewAPI returns an echo server with the platform's error handler, its body limits (the default
// http.body_limit, 4 MiB, or the route's own) and an API at /api/v1 behind auth.
func NewAPI(auth httpx.Auth) (*echo.Echo, *httpx.API) {
	e := echo.New()
	e.HTTPErrorHandler = httpx.ErrorHandler(slog.New(slog.NewTextHandler(io.Discard, nil)))
	api := httpx.NewAPI(e, "/api/v1", "test", "0", auth)
	e.Use(httpx.LimitBody(DefaultBodyLimit, api.BodyLimit))
	return e, api
}

// DefaultBodyLimit is the platform's default http.body_limit.
const DefaultBodyLimit = 4 << 20
