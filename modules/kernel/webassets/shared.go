package webassets

import (
	"embed"
	"io/fs"
	"sync"
)

//go:embed shared
var sharedFS embed.FS

// SharedPrefix is where the files every page shares are served.
const SharedPrefix = "/static/"

// Shared returns the server of the files every page shares (app.css, dom.js, favicon.svg), at
// SharedPrefix; the application mounts it once and each module's pages link its files.
var Shared = sync.OnceValue(func() *Server {
	sub, err := fs.Sub(sharedFS, "shared")
	if err != nil {
		panic(err)
	}
	return MustNew(SharedPrefix, sub)
})
