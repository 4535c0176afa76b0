package documents

import (
	"bytes"
	"embed"
	"fmt"
	"html"
	"html/template"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/webassets"
	"zhifa/modules/rules"
)

// The public verification pages (no sign-in, Chinese and English, no script, nothing from
// another host) and the stylesheets of documents rendered as HTML:
//
//	GET  /verify                 upload a PDF to verify
//	POST /verify                 the verdict on the uploaded PDF
//	GET  /verify/{id}            the verdict on a document (the address its QR code carries)
//	POST /verify/{id}            the verdict on an uploaded copy of that document
//	GET  /documents/static/...   zdoc.css, verify.css (webassets: content-hashed addresses)

// StaticPrefix is where the module's stylesheets are served. Pages of other modules that show a
// document (the console's) may link the bare address /documents/static/zdoc.css, revalidated on
// every use.
const StaticPrefix = "/documents/static/"

//go:embed web/*
var webFS embed.FS

// static serves the stylesheets, with zdoc.css completed by the column-width rules of tables.
var static = func() *webassets.Server {
	files := map[string][]byte{}
	for _, name := range []string{"zdoc.css", "verify.css"} {
		b, err := webFS.ReadFile("web/" + name)
		if err != nil {
			panic(err)
		}
		files[name] = b
	}
	var w strings.Builder
	w.Write(files["zdoc.css"])
	for i := 1; i <= 100; i++ {
		fmt.Fprintf(&w, ".zdoc [data-width=\"%d\"]{width:%d%%}\n", i, i)
	}
	files["zdoc.css"] = []byte(w.String())
	s, err := webassets.NewFiles(StaticPrefix, files)
	if err != nil {
		panic(err)
	}
	return s
}()

var verifyPage = template.Must(template.New("verify.html").Funcs(template.FuncMap{"asset": static.URL}).ParseFS(webFS, "web/verify.html"))

func htmlEscape(s string) string { return html.EscapeString(s) }

// pageData is what the verification page shows.
type pageData struct {
	ID      string
	Verdict *Verdict
	Error   *errs.Msg
	// CaseCode is the case code the QR code carries (?case=), for the link to the citizen portal,
	// where the party looks the case up; the page echoes it and looks nothing up.
	CaseCode string
}

// caseCodeRE is the form of a public case code (ZF + division code + year + 11 characters): a
// query parameter not of this form is not echoed.
var caseCodeRE = regexp.MustCompile(`^ZF[0-9]{2,12}-[0-9]{4}-[0-9A-Z]{11}$`)

// Time formats a signing time in China's civil time.
func (pageData) Time(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.In(rules.Location).Format("2006年1月2日 15:04:05") + "（UTC+8）"
}

// PublicRoutes mounts the verification pages and the stylesheets on e. They need no session.
func (s *Service) PublicRoutes(e *echo.Echo) {
	static.Mount(e)
	e.GET("/verify", func(c echo.Context) error { return s.page(c, http.StatusOK, pageData{}) })
	e.POST("/verify", func(c echo.Context) error { return s.verifyUpload(c, "") })
	e.GET("/verify/:id", func(c echo.Context) error {
		id := c.Param("id")
		v, err := s.VerifyByID(c.Request().Context(), id)
		if err != nil {
			return s.pageError(c, err, "")
		}
		d := pageData{ID: id, Verdict: v}
		if code := strings.ToUpper(c.QueryParam("case")); caseCodeRE.MatchString(code) && v.Valid {
			d.CaseCode = code
		}
		return s.page(c, http.StatusOK, d)
	})
	e.POST("/verify/:id", func(c echo.Context) error { return s.verifyUpload(c, c.Param("id")) })
}

func (s *Service) verifyUpload(c echo.Context, id string) error {
	b, err := readUpload(c)
	if err != nil {
		return s.pageError(c, err, id)
	}
	v, err := s.VerifyPDF(c.Request().Context(), id, b)
	if err != nil {
		return s.pageError(c, err, id)
	}
	return s.page(c, http.StatusOK, pageData{ID: id, Verdict: v})
}

// pageError shows a failure on the page: the message of a platform error, a generic one for
// anything else (whose text is logged by the error handler, never shown).
func (s *Service) pageError(c echo.Context, err error, id string) error {
	e := errs.As(err)
	if e.Code == errs.Internal {
		return err
	}
	m := e.Message
	if e.Code == errs.NotFound {
		m = msg("未找到该文书：本平台没有签发过这个编号的文书。", "no such document: the platform did not issue a document with this ID.")
		id = ""
	}
	return s.page(c, e.Code.HTTPStatus(), pageData{ID: id, Error: &m})
}

func (s *Service) page(c echo.Context, status int, d pageData) error {
	var buf bytes.Buffer
	if err := verifyPage.Execute(&buf, d); err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.HTMLBlob(status, buf.Bytes())
}
