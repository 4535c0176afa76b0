package webassets_test

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/labstack/echo/v4"

	"zhifa/modules/kernel/webassets"
)

var files = fstest.MapFS{
	"app.js":        {Data: []byte("'use strict';\n")},
	"look.css":      {Data: []byte("body { color: #111; }\n")},
	"img/logo.svg":  {Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`)},
	"img/photo.png": {Data: []byte("\x89PNG\r\n\x1a\n")},
}

// hash is the address hash of a file: the first 12 hex digits of its SHA-256.
func hash(name string) string {
	sum := sha256.Sum256(files[name].Data)
	return hex.EncodeToString(sum[:6])
}

func serve(e *echo.Echo, method, target string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

// TestServe: hashed addresses are immutable, bare and stale ones revalidated by the ETag; every
// file has its type; HEAD has no body; a directory, an unknown name and a path out of the prefix
// are 404; other methods 405.
func TestServe(t *testing.T) {
	s := webassets.MustNew("/m/static/", files)
	e := echo.New()
	s.Mount(e)
	etag := `"` + hash("app.js") + `"`
	for _, c := range []struct {
		name, method, target string
		header               []string
		status               int
		contentType, cache   string
		body                 string
	}{
		{"hashed", "GET", s.URL("app.js"), nil, 200, "text/javascript; charset=utf-8", "public, max-age=31536000, immutable", "'use strict';\n"},
		{"bare", "GET", "/m/static/app.js", nil, 200, "text/javascript; charset=utf-8", "no-cache", "'use strict';\n"},
		{"stale hash", "GET", "/m/static/app.js?v=0123456789ab", nil, 200, "text/javascript; charset=utf-8", "no-cache", "'use strict';\n"},
		{"stylesheet", "GET", s.URL("look.css"), nil, 200, "text/css; charset=utf-8", "public, max-age=31536000, immutable", "body { color: #111; }\n"},
		{"svg in a folder", "GET", s.URL("img/logo.svg"), nil, 200, "image/svg+xml", "public, max-age=31536000, immutable", `<svg xmlns="http://www.w3.org/2000/svg"/>`},
		{"png", "GET", "/m/static/img/photo.png", nil, 200, "image/png", "no-cache", "\x89PNG\r\n\x1a\n"},
		{"head", "HEAD", s.URL("app.js"), nil, 200, "text/javascript; charset=utf-8", "public, max-age=31536000, immutable", ""},
		{"current copy", "GET", "/m/static/app.js", []string{"If-None-Match", etag}, 304, "", "no-cache", ""},
		{"current copy among others", "GET", s.URL("app.js"), []string{"If-None-Match", `"abc", ` + etag}, 304, "", "public, max-age=31536000, immutable", ""},
		{"current copy, head", "HEAD", "/m/static/app.js", []string{"If-None-Match", etag}, 304, "", "no-cache", ""},
		{"old copy", "GET", "/m/static/app.js", []string{"If-None-Match", `"0123456789ab"`}, 200, "text/javascript; charset=utf-8", "no-cache", "'use strict';\n"},
		{"range", "GET", "/m/static/app.js", []string{"Range", "bytes=1-3"}, 206, "text/javascript; charset=utf-8", "no-cache", "use"},
		{"the prefix itself: no listing", "GET", "/m/static/", nil, 404, "", "", ""},
		{"a folder: no listing", "GET", "/m/static/img", nil, 404, "", "", ""},
		{"a folder with a slash", "GET", "/m/static/img/", nil, 404, "", "", ""},
		{"unknown", "GET", "/m/static/nope.js", nil, 404, "", "", ""},
		{"a case mismatch", "GET", "/m/static/APP.js", nil, 404, "", "", ""},
		{"out of the prefix", "GET", "/m/static/../static/app.js", nil, 404, "", "", ""},
		{"post", "POST", "/m/static/app.js", nil, 405, "", "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := serve(e, c.method, c.target, c.header...)
			if rec.Code != c.status {
				t.Fatalf("%s %s: %d, want %d", c.method, c.target, rec.Code, c.status)
			}
			if got := rec.Header().Get("Content-Type"); c.contentType != "" && got != c.contentType {
				t.Errorf("Content-Type %q, want %q", got, c.contentType)
			}
			if got := rec.Header().Get("Cache-Control"); got != c.cache {
				t.Errorf("Cache-Control %q, want %q", got, c.cache)
			}
			body := rec.Body.String()
			if c.status >= 400 {
				if strings.Contains(body, "app.js") || strings.Contains(body, "logo.svg") {
					t.Errorf("a refusal lists the files: %q", body)
				}
				return
			}
			if body != c.body {
				t.Errorf("body %q, want %q", body, c.body)
			}
			if name := strings.TrimPrefix(strings.SplitN(c.target, "?", 2)[0], "/m/static/"); rec.Header().Get("ETag") != `"`+hash(name)+`"` {
				t.Errorf("ETag %q, want the hash of %s", rec.Header().Get("ETag"), name)
			}
		})
	}
	if got := serve(e, "HEAD", "/m/static/look.css").Header().Get("Content-Length"); got != "22" {
		t.Errorf("HEAD Content-Length %q, want 22", got)
	}
}

// TestURL: a page's address for a file carries its hash; a name not held, or held by two of the
// servers a page links, is a programming error.
func TestURL(t *testing.T) {
	own := webassets.MustNew("/m/static/", files)
	shared := webassets.MustNew("/static/", fstest.MapFS{"dom.js": {Data: []byte("//")}, "look.css": {Data: []byte("x")}})
	if got, want := own.URL("img/logo.svg"), "/m/static/img/logo.svg?v="+hash("img/logo.svg"); got != want {
		t.Errorf("URL %q, want %q", got, want)
	}
	url := webassets.URLs(own, shared)
	if got := url("app.js"); !strings.HasPrefix(got, "/m/static/app.js?v=") {
		t.Errorf("own file at %q", got)
	}
	if got := url("dom.js"); !strings.HasPrefix(got, "/static/dom.js?v=") {
		t.Errorf("shared file at %q", got)
	}
	for name, f := range map[string]func(){
		"not held":         func() { own.URL("nope.js") },
		"held by none":     func() { url("nope.js") },
		"held by both":     func() { url("look.css") },
		"a folder is none": func() { own.URL("img") },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

// TestNew refuses a prefix that is not a folder and a file of a type it does not know.
func TestNew(t *testing.T) {
	for _, c := range []struct {
		name, prefix string
		fsys         fstest.MapFS
		want         string
	}{
		{"no leading slash", "static/", files, "must begin and end with /"},
		{"no trailing slash", "/static", files, "must begin and end with /"},
		{"unknown type", "/static/", fstest.MapFS{"app.js": files["app.js"], "notes.txt": {Data: []byte("x")}}, `notes.txt: no content type for ".txt"`},
		{"no extension", "/static/", fstest.MapFS{"LICENSE": {Data: []byte("x")}}, "LICENSE: no content type"},
	} {
		if _, err := webassets.New(c.prefix, c.fsys); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
}

// TestNewFiles: files built in memory are served as embedded ones are (type, hashed address,
// ETag, 304, HEAD, 404 beside them), from the contents as given when the server was built.
func TestNewFiles(t *testing.T) {
	css := []byte(".doc{margin:0}\n.doc [data-width=\"30\"]{width:30%}\n")
	sum := sha256.Sum256(css)
	h := hex.EncodeToString(sum[:6])
	s, err := webassets.NewFiles("/docs/static/", map[string][]byte{"doc.css": css, "print/page.css": []byte("@page{size:A4}")})
	if err != nil {
		t.Fatal(err)
	}
	copy(css, "XXXX") // the caller's later change is not served
	e := echo.New()
	s.Mount(e)
	if got, want := s.URL("doc.css"), "/docs/static/doc.css?v="+h; got != want {
		t.Errorf("URL %q, want %q", got, want)
	}
	for _, c := range []struct {
		name, method, target string
		header               []string
		status               int
		cache, body          string
	}{
		{"hashed", "GET", "/docs/static/doc.css?v=" + h, nil, 200, "public, max-age=31536000, immutable", ".doc{margin:0}\n.doc [data-width=\"30\"]{width:30%}\n"},
		{"bare", "GET", "/docs/static/doc.css", nil, 200, "no-cache", ".doc{margin:0}\n.doc [data-width=\"30\"]{width:30%}\n"},
		{"in a folder", "GET", s.URL("print/page.css"), nil, 200, "public, max-age=31536000, immutable", "@page{size:A4}"},
		{"head", "HEAD", "/docs/static/doc.css", nil, 200, "no-cache", ""},
		{"current copy", "GET", "/docs/static/doc.css", []string{"If-None-Match", `"` + h + `"`}, 304, "no-cache", ""},
		{"the folder", "GET", "/docs/static/print/", nil, 404, "", ""},
		{"unknown", "GET", "/docs/static/verify.css", nil, 404, "", ""},
	} {
		rec := serve(e, c.method, c.target, c.header...)
		if rec.Code != c.status || rec.Header().Get("Cache-Control") != c.cache || rec.Body.String() != c.body && c.status < 400 {
			t.Errorf("%s: %d %q %q, want %d %q %q", c.name, rec.Code, rec.Header().Get("Cache-Control"), rec.Body.String(), c.status, c.cache, c.body)
		}
		if c.status == 200 && (rec.Header().Get("Content-Type") != "text/css; charset=utf-8" || rec.Header().Get("ETag") == "") {
			t.Errorf("%s: Content-Type %q, ETag %q", c.name, rec.Header().Get("Content-Type"), rec.Header().Get("ETag"))
		}
	}
	if got := serve(e, "GET", "/docs/static/doc.css").Header().Get("ETag"); got != `"`+h+`"` {
		t.Errorf("ETag %q, want the hash of the contents as given", got)
	}
}

// TestNewFilesRefuses a name that is not a path below the prefix, a type it does not know and a
// prefix that is not a folder, naming the file.
func TestNewFilesRefuses(t *testing.T) {
	for _, c := range []struct {
		name, prefix string
		files        map[string][]byte
		want         string
	}{
		{"a leading slash", "/s/", map[string][]byte{"/a.css": nil}, `"/a.css" is not a file name below the prefix`},
		{"a way up", "/s/", map[string][]byte{"../a.css": nil}, `"../a.css" is not a file name below the prefix`},
		{"an empty segment", "/s/", map[string][]byte{"css//a.css": nil}, `"css//a.css" is not a file name`},
		{"the root", "/s/", map[string][]byte{".": nil}, `"." is not a file name`},
		{"no name", "/s/", map[string][]byte{"": nil}, `"" is not a file name`},
		{"unknown type", "/s/", map[string][]byte{"a.css": nil, "z.html": nil}, `z.html: no content type for ".html"`},
		{"no trailing slash", "/s", map[string][]byte{"a.css": nil}, "must begin and end with /"},
	} {
		if _, err := webassets.NewFiles(c.prefix, c.files); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	if s, err := webassets.NewFiles("/s/", map[string][]byte{"empty.css": nil}); err != nil || s.URL("empty.css") != "/s/empty.css?v=e3b0c44298fc" {
		t.Errorf("an empty file: %v", err)
	}
}

// TestShared: the shared files are served once at /static/, as what they are.
func TestShared(t *testing.T) {
	s := webassets.Shared()
	if s != webassets.Shared() || s.Prefix() != webassets.SharedPrefix {
		t.Fatal("Shared is not one server at /static/")
	}
	e := echo.New()
	s.Mount(e)
	for name, want := range map[string]struct{ contentType, body string }{
		"app.css":     {"text/css; charset=utf-8", "--blue"},
		"dom.js":      {"text/javascript; charset=utf-8", "DOM.el = function"},
		"favicon.svg": {"image/svg+xml", "<svg"},
	} {
		u := s.URL(name)
		if !strings.HasPrefix(u, "/static/"+name+"?v=") {
			t.Errorf("%s at %q", name, u)
		}
		rec := serve(e, "GET", u)
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != want.contentType || !strings.Contains(rec.Body.String(), want.body) ||
			rec.Header().Get("Cache-Control") != "public, max-age=31536000, immutable" {
			t.Errorf("%s: %d %v %.40q", name, rec.Code, rec.Header(), rec.Body.String())
		}
	}
}
