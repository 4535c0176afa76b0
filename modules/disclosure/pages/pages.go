// Package pages is the disclosure platform's public pages (no sign-in): /public/disclosures, the
// search and list of published records, /public/disclosures/{id}, a record with its public
// history, and /public/bodies, the directory of a tenant's enforcement bodies with their
// certified officers and matters (事前公开; never an officer's identity number). They are rendered on the server from the disclosure service's public reads (Search,
// Find: published records only) as plain HTML with a GET form, so that they work on any phone
// without a script, and are cacheable for a minute like the public API.
package pages

import (
	"bytes"
	"context"
	"embed"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"zhifa/modules/disclosure"
	"zhifa/modules/disclosure/cfset"
	"zhifa/modules/disclosure/redact"
	"zhifa/modules/elements"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/money"
	"zhifa/modules/kernel/webassets"
)

// ListPath is the public list; a record's page is ListPath + "/" + its ID.
const ListPath = "/public/disclosures"

// Public is what the pages read: the disclosure service's public reads.
type Public interface {
	Search(ctx context.Context, q disclosure.Query) (*disclosure.Page, error)
	Find(ctx context.Context, id string) (*disclosure.Detail, error)
	// LimitPublic counts a public read against its address's limit (RateLimited past it).
	LimitPublic(c echo.Context) error
}

// Config wires the pages.
type Config struct {
	Public    Public
	Directory Directory
	Tenants   Tenants
	// Root is the deployment's root tenant: the directory's default.
	Root string
	Now  func() time.Time
}

// Pages serves the public pages.
type Pages struct {
	public  Public
	dir     Directory
	tenants Tenants
	root    string
	now     func() time.Time
	list    *template.Template
	record  *template.Template
	bodies  *template.Template
}

//go:embed templates/*.html
var templateFS embed.FS

// New returns the pages. It panics when the embedded templates do not parse (a programming error
// the package's tests catch).
func New(c Config) *Pages {
	funcs := template.FuncMap{"asset": webassets.URLs(webassets.Shared()), "category": categoryName,
		"kind": kindName, "yuan": func(f int64) string { return money.Fen(f).String() }, "state": stateName,
		"beijing": func(t time.Time) string { return civil.InChina(t).Format("2006-01-02 15:04") },
		"sector":  func(s elements.Sector) string { return sectorNames[s] }, "bodyKind": func(k elements.BodyKind) string { return bodyKindNames[k] }}
	parse := func(name string) *template.Template {
		return template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+name))
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return &Pages{public: c.Public, dir: c.Directory, tenants: c.Tenants, root: c.Root, now: c.Now,
		list: parse("list.html"), record: parse("record.html"), bodies: parse("bodies.html")}
}

// Routes mounts the pages.
func (p *Pages) Routes(e *echo.Echo) {
	e.GET(ListPath, p.listPage)
	e.GET(ListPath+"/:id", p.recordPage)
	e.GET(BodiesPath, p.directoryPage)
}

// listData is what the list template sees.
type listData struct {
	Title      string
	Query      disclosure.Query
	Categories []option
	Page       *disclosure.Page
	Error      *errs.Error
	Prev, Next string // the neighbouring pages' addresses ("": none)
	First      int    // the number of the page's first record
	Last       int
}

type option struct{ Value, Label string }

// listPage renders a page of the search. A refused query (bad dates or page, a term too long) is
// the page with its message, answered 400.
func (p *Pages) listPage(c echo.Context) error {
	if err := p.public.LimitPublic(c); err != nil {
		return err
	}
	query, err := disclosure.QueryOf(c)
	query.Q = strings.TrimSpace(query.Q)
	d := listData{Title: "行政执法公示", Query: query}
	for _, k := range categoryOrder {
		d.Categories = append(d.Categories, option{k, disclosure.CategoryZH[k]})
	}
	var res *disclosure.Page
	if err == nil {
		res, err = p.public.Search(c.Request().Context(), query)
	}
	q := c.QueryParams()
	status := http.StatusOK
	switch {
	case errs.Is(err, errs.Invalid):
		d.Error, status = errs.As(err), http.StatusBadRequest
	case err != nil:
		return err
	default:
		d.Page = res
		d.First, d.Last = (query.Page-1)*disclosure.PageSize+1, (query.Page-1)*disclosure.PageSize+len(res.Items)
		if query.Page > 1 {
			d.Prev = pageURL(q, query.Page-1)
		}
		if d.Last < res.Total {
			d.Next = pageURL(q, query.Page+1)
		}
	}
	return render(c, p.list, status, d)
}

// recordPage renders a published record; any other (unknown, never or no longer public) is 404.
func (p *Pages) recordPage(c echo.Context) error {
	if err := p.public.LimitPublic(c); err != nil {
		return err
	}
	r, err := p.public.Find(c.Request().Context(), c.Param("id"))
	if err != nil {
		if errs.Is(err, errs.NotFound) || errs.Is(err, errs.Invalid) {
			return render(c, p.record, http.StatusNotFound, recordData{Title: "公示记录不存在"})
		}
		return err
	}
	return render(c, p.record, http.StatusOK, recordData{Title: r.PartyName + " " + r.DecisionNumber, Record: r})
}

type recordData struct {
	Title  string
	Record *disclosure.Detail
}

// pageURL is the list's address with q and page n.
func pageURL(q url.Values, n int) string {
	v := url.Values{}
	for k, vs := range q {
		if k != "page" && len(vs) > 0 && vs[0] != "" {
			v.Set(k, vs[0])
		}
	}
	v.Set("page", strconv.Itoa(n))
	return ListPath + "?" + v.Encode()
}

// render writes a page, rendered whole first; public pages may be cached for a minute.
func render(c echo.Context, t *template.Template, status int, d any) error {
	var buf bytes.Buffer
	if err := t.Execute(&buf, d); err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", disclosure.PublicCache)
	return c.HTMLBlob(status, buf.Bytes())
}

// categoryOrder lists the penalty types lightest first (OVERSIGHT.md §1.3's seriousness order).
var categoryOrder = []string{"warning", "fine", "confiscation", "licence_susp", "downgrade", "restriction", "closure", "revocation", "detention"}

func categoryName(k string) string {
	if n, ok := disclosure.CategoryZH[k]; ok {
		return n
	}
	return k
}

// partyKinds are the kinds of party as the 双公示 set names them (cfset.PartyKind).
var partyKinds = map[redact.Kind]cfset.PartyKind{redact.Person: cfset.NaturalPerson,
	redact.IndividualBusiness: cfset.IndividualBusiness, redact.Organisation: cfset.Organisation}

func kindName(k string) string {
	if pk, ok := partyKinds[redact.Kind(k)]; ok {
		return pk.String()
	}
	return k
}

func stateName(s disclosure.State) string {
	switch s {
	case disclosure.StatePublished:
		return "公示"
	case disclosure.StateUpdated:
		return "更新后重新公示"
	case disclosure.StatePending:
		return "待审核"
	}
	return string(s)
}
