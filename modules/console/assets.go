package console

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/labstack/echo/v4"
)

//go:embed static
var staticFS embed.FS

// DOMScript is static/dom.js, the DOM helpers the citizen portal's pages share with the
// console's; the portal serves it among its own files.
//
//go:embed static/dom.js
var DOMScript []byte

// asset is one embedded static file with its content hash.
type asset struct {
	body        []byte
	hash        string
	contentType string
}

// assets serves the embedded static files under /static/. Pages link them as
// /static/<name>?v=<hash>, which may be cached for a year; the bare URL (the shared error page
// links /static/app.css) must be revalidated, which the ETag makes cheap.
type assets struct {
	files map[string]asset
}

func newAssets() *assets {
	a := &assets{files: map[string]asset{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		ct := mime.TypeByExtension(path.Ext(p))
		switch path.Ext(p) { // the system's MIME table may lack or mislabel these
		case ".js":
			ct = "text/javascript; charset=utf-8"
		case ".css":
			ct = "text/css; charset=utf-8"
		case ".svg":
			ct = "image/svg+xml"
		}
		if ct == "" {
			ct = "application/octet-stream"
		}
		a.files[strings.TrimPrefix(p, "static/")] = asset{body: b, hash: hex.EncodeToString(sum[:6]), contentType: ct}
		return nil
	})
	if err != nil {
		panic("console: static files: " + err.Error())
	}
	return a
}

// url returns the versioned address of a static file, for templates. It panics on a name that
// is not embedded, so a typo fails the package's tests rather than a user's page.
func (a *assets) url(name string) string {
	f, ok := a.files[name]
	if !ok {
		panic("console: no static file " + name)
	}
	return "/static/" + name + "?v=" + f.hash
}

func (a *assets) serve(ec echo.Context) error {
	name := ec.Param("*")
	f, ok := a.files[name]
	if !ok {
		return echo.ErrNotFound
	}
	h := ec.Response().Header()
	etag := `"` + f.hash + `"`
	h.Set("ETag", etag)
	if ec.QueryParam("v") == f.hash {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	if match := ec.Request().Header.Get("If-None-Match"); match == etag {
		return ec.NoContent(http.StatusNotModified)
	}
	return ec.Blob(http.StatusOK, f.contentType, f.body)
}
