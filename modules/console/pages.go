package console

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/webassets"
)

//go:embed templates/*.html
var templateFS embed.FS

// page is one console page: where it is served, its template and its title.
type page struct {
	Name    string // template file (without .html) and the script static/<name>.js
	Path    string
	TitleZH string
	TitleEN string
	// Section is the navigation entry a page belongs to (default: its own); a page with a
	// Section is not listed in the navigation itself.
	Section string
	// Action is what the navigation entry needs: the page lists it only when GET /api/v1/me
	// allows it at the current tenant ("": every signed-in user).
	Action authz.Action
}

// section returns the navigation entry the page belongs to.
func (p page) section() string {
	if p.Section != "" {
		return p.Section
	}
	return p.Name
}

const loginPage = "login"

// consolePages are the signed-in pages, in the order of the navigation bar.
var consolePages = []page{
	{Name: "dashboard", Path: "/console", TitleZH: "概览", TitleEN: "Overview"},
	{Name: "cases", Path: "/console/cases", TitleZH: "我的案件", TitleEN: "My cases", Action: authz.CasesRead},
	{Name: "case", Path: "/console/cases/:id", TitleZH: "案件详情", TitleEN: "Case", Section: "cases"},
	{Name: "tenants", Path: "/console/tenants", TitleZH: "租户管理", TitleEN: "Tenants", Action: authz.TenantsRead},
	{Name: "disclosures", Path: "/console/disclosures", TitleZH: "公示管理", TitleEN: "Disclosures", Action: authz.CasesRead},
	{Name: "accounts", Path: "/console/accounts", TitleZH: "人员与权限", TitleEN: "People and roles", Action: authz.GrantsWrite},
	{Name: "settings", Path: "/console/settings", TitleZH: "参数设置", TitleEN: "Settings", Action: authz.SettingsRead},
	{Name: "elements", Path: "/console/elements", TitleZH: "要素库", TitleEN: "Element databases", Action: authz.ElementsRead},
	{Name: "import", Path: "/console/import", TitleZH: "批量导入", TitleEN: "Bulk import", Action: authz.ElementsWrite},
	{Name: "deadlines", Path: "/console/deadlines", TitleZH: "期限计算", TitleEN: "Deadlines"},
	{Name: "templates", Path: "/console/templates", TitleZH: "文书模板", TitleEN: "Document templates", Action: authz.DocumentsRead},
	{Name: "document", Path: "/console/documents/:id", TitleZH: "执法文书", TitleEN: "Document", Section: "cases"},
}

var allPages = append([]page{{Name: loginPage, Path: "/login", TitleZH: "登录", TitleEN: "Sign in"}}, consolePages...)

// pageData is what a page template sees.
type pageData struct {
	Page        string
	Section     string // the navigation entry marked current
	Title       page
	Nav         []page
	User        *authz.Principal
	DevLogin    bool
	SignIn      string // login: the self-service sign-in, when the dev login is off
	Next        string
	SignedOut   bool
	CitizenHome string // login: where a party signing in goes
	ImportKinds []ImportKind
	Cites       map[string]string // the legal bases the page states (pageCites)
}

// pages holds one parsed template set per page: the layout plus the page's own content.
type pages struct {
	byName map[string]*template.Template
}

func mustParsePages(a *webassets.Server) *pages {
	funcs := template.FuncMap{"asset": webassets.URLs(a, webassets.Shared()), "join": strings.Join, "json": toJSON}
	p := &pages{byName: map[string]*template.Template{}}
	for _, pg := range allPages {
		t := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+pg.Name+".html"))
		p.byName[pg.Name] = t
	}
	return p
}

// render executes the page's template into a buffer first, so that a template error becomes a
// clean 500 rather than half a page.
func (p *pages) render(ec echo.Context, d pageData) error {
	t, ok := p.byName[d.Page]
	if !ok {
		return fmt.Errorf("console: no page %q", d.Page)
	}
	for _, pg := range allPages {
		if pg.Name == d.Page {
			d.Title = pg
		}
	}
	d.Section = d.Title.section()
	d.Cites = pageCites
	d.Nav = nil
	for _, pg := range consolePages {
		if pg.Section == "" && !citizen(d.User) {
			d.Nav = append(d.Nav, pg)
		}
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, d); err != nil {
		return fmt.Errorf("console: render %s: %w", d.Page, err)
	}
	h := ec.Response().Header()
	h.Set("Cache-Control", "no-store")
	return ec.HTMLBlob(http.StatusOK, buf.Bytes())
}

// render returns the handler of a signed-in page.
func (c *Console) render(pg page) echo.HandlerFunc {
	return func(ec echo.Context) error {
		p, _ := ec.Get(principalKey).(*authz.Principal)
		return c.pages.render(ec, pageData{Page: pg.Name, User: p, DevLogin: c.cfg.DevLogin, ImportKinds: ImportKinds})
	}
}

// toJSON writes v as JSON, for a page's data attribute.
func toJSON(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

// citizen reports whether p is a party signed in to the portal (who sees no staff navigation).
func citizen(p *authz.Principal) bool { return p != nil && p.Kind == "citizen" }
