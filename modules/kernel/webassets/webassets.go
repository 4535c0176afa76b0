package webassets

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"maps"
	"net/http"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// contentTypes are the types of the files a Server serves, by extension.
var contentTypes = map[string]string{
	".css":   "text/css; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".ico":   "image/x-icon",
	".woff2": "font/woff2",
}

// immutable is the Cache-Control of a file asked for at its hashed address.
const immutable = "public, max-age=31536000, immutable"

// Server serves the files of one file system under a URL prefix.
type Server struct {
	prefix string
	files  map[string]file
}

// file is one served file with its content hash.
type file struct {
	body        []byte
	hash        string // the first 12 hex digits of the SHA-256 of body
	contentType string
}

// New reads every file of fsys (its root is the prefix) into a Server for prefix, which begins
// and ends with "/". It refuses a file whose type it does not know.
func New(prefix string, fsys fs.FS) (*Server, error) {
	files := map[string][]byte{}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, name)
		files[name] = b
		return err
	})
	if err != nil {
		return nil, err
	}
	return NewFiles(prefix, files)
}

// NewFiles is New for files held in memory, by name (a slash-separated path below the prefix,
// "css/look.css"): the files a module builds when it starts, such as a stylesheet completed by
// generated rules. The server keeps copies of the contents. It refuses a name that is not such
// a path and a file whose type it does not know.
func NewFiles(prefix string, files map[string][]byte) (*Server, error) {
	if !strings.HasPrefix(prefix, "/") || !strings.HasSuffix(prefix, "/") {
		return nil, fmt.Errorf("webassets: prefix %q must begin and end with /", prefix)
	}
	s := &Server{prefix: prefix, files: map[string]file{}}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		if !fs.ValidPath(name) || name == "." {
			return nil, fmt.Errorf("webassets: %q is not a file name below the prefix", name)
		}
		ct, ok := contentTypes[path.Ext(name)]
		if !ok {
			return nil, fmt.Errorf("webassets: %s: no content type for %q files", name, path.Ext(name))
		}
		b := bytes.Clone(files[name])
		sum := sha256.Sum256(b)
		s.files[name] = file{body: b, hash: hex.EncodeToString(sum[:6]), contentType: ct}
	}
	return s, nil
}

// MustNew is New for embedded files, whose failure is a programming error: it panics.
func MustNew(prefix string, fsys fs.FS) *Server {
	s, err := New(prefix, fsys)
	if err != nil {
		panic(err)
	}
	return s
}

// Prefix is where the server's files are served.
func (s *Server) Prefix() string { return s.prefix }

// URL returns the content-hashed address of a file, for templates. It panics on a name the
// server does not hold, so that a typo fails the package's tests rather than a user's page.
func (s *Server) URL(name string) string {
	u, ok := s.url(name)
	if !ok {
		panic("webassets: no file " + name + " under " + s.prefix)
	}
	return u
}

func (s *Server) url(name string) (string, bool) {
	f, ok := s.files[name]
	if !ok {
		return "", false
	}
	return s.prefix + name + "?v=" + f.hash, true
}

// URLs returns the URL function of pages that link the files of several servers (a module's
// own and Shared): the address of name on the one server that holds it. It panics on a name
// none holds, or more than one (which address would be meant is unclear).
func URLs(servers ...*Server) func(name string) string {
	return func(name string) string {
		var found []string
		for _, s := range servers {
			if u, ok := s.url(name); ok {
				found = append(found, u)
			}
		}
		if len(found) != 1 {
			panic(fmt.Sprintf("webassets: %d servers hold %s", len(found), name))
		}
		return found[0]
	}
}

// Mount serves the files on e at the prefix, for GET and HEAD.
func (s *Server) Mount(e *echo.Echo) {
	e.Match([]string{http.MethodGet, http.MethodHead}, s.prefix+"*", s.Serve)
}

// Serve answers a request for one of the files: 404 for a name it does not hold, 405 for a
// method other than GET or HEAD; else the file, with its type, its ETag and the Cache-Control
// its address allows, or 304 when the browser's copy is current (conditional and range
// requests as net/http's ServeContent answers them).
func (s *Server) Serve(c echo.Context) error {
	r := c.Request()
	name, ok := strings.CutPrefix(r.URL.Path, s.prefix)
	f, held := s.files[name]
	if !ok || !held {
		return echo.ErrNotFound
	}
	h := c.Response().Header()
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		return echo.ErrMethodNotAllowed
	}
	h.Set(echo.HeaderContentType, f.contentType)
	h.Set("ETag", `"`+f.hash+`"`)
	if c.QueryParam("v") == f.hash {
		h.Set("Cache-Control", immutable)
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	http.ServeContent(c.Response(), r, name, time.Time{}, bytes.NewReader(f.body))
	return nil
}
