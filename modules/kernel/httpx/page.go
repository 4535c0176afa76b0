package httpx

import (
	"fmt"
	"html"
	"strings"

	"github.com/labstack/echo/v4"

	"zhifa/modules/kernel/errs"
)

// PageCSP is the Content-Security-Policy of every page the platform serves (console, portal,
// verification, the error pages): scripts, styles, fonts and requests from this site only, no
// inline script or style, images from this site or data: URIs (a document's seals), no plugins
// and no framing, forms posted only to this site, no <base>.
const PageCSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; " +
	"object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"

// wantsHTML reports whether the caller is a browser asking for a page rather than the JSON API.
func wantsHTML(c echo.Context) bool {
	p := c.Request().URL.Path
	if strings.HasPrefix(p, "/api/") {
		return false
	}
	return strings.Contains(c.Request().Header.Get(echo.HeaderAccept), "text/html")
}

func errorPage(status int, e *errs.Error, rid string) string {
	return fmt.Sprintf(`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>%d</title>
<link rel="stylesheet" href="/static/app.css"></head><body><main class="narrow">
<h1>%d</h1><p class="error">%s</p><p class="muted">%s</p><p class="muted">request_id: %s</p>
<p><a href="/">返回首页 / Home</a></p></main></body></html>`,
		status, status, html.EscapeString(e.Message.ZH), html.EscapeString(e.Message.EN), html.EscapeString(rid))
}
