package console

import (
	"embed"
	"io/fs"

	"zhifa/modules/kernel/webassets"
)

//go:embed static
var staticFS embed.FS

// StaticPrefix is where the console's own scripts and stylesheets are served; the shared ones
// (app.css, dom.js, favicon.svg) are webassets.Shared's, at /static/.
const StaticPrefix = "/console/static/"

// newAssets returns the server of the console's own static files.
func newAssets() *webassets.Server {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err)
	}
	return webassets.MustNew(StaticPrefix, sub)
}
