package httpx

import (
	"net"

	"github.com/labstack/echo/v4"
)

// ClientIP is the caller's address, for rate limits: the address the server was configured to
// trust (echo's IPExtractor, set where a proxy in front supplies it), else the connection's peer.
// Forwarding headers are not read otherwise: a client could write any address in them.
func ClientIP(c echo.Context) string {
	if c.Echo().IPExtractor != nil {
		return c.RealIP()
	}
	r := c.Request()
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
