package httpx

import (
	"github.com/labstack/echo/v4"

	"zhifa/modules/kernel/authz"
)

const principalKey = "zhifa.principal"

// SetPrincipal records the authenticated principal on the request.
func SetPrincipal(c echo.Context, p *authz.Principal) { c.Set(principalKey, p) }

// PrincipalOf returns the request's authenticated principal, or nil.
func PrincipalOf(c echo.Context) *authz.Principal {
	p, _ := c.Get(principalKey).(*authz.Principal)
	return p
}
