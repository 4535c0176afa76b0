package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"zhifa/app/browsertest"
	"zhifa/modules/elements"
	"zhifa/modules/kernel/civil"
)

// The console tests drive the real pages in headless Chromium against the whole platform
// (SQLite, demo data, dev login). Set ZHIFA_SCREENSHOTS to a directory to keep a screenshot of
// every page they visit.

const operator = "province.operator@demo.zhifa"

// loginAs opens the site's address as a visitor, who is shown the login page, and signs in with
// the dev login's one-click button.
func loginAs(t *testing.T, b *browsertest.Browser, email string) {
	t.Helper()
	b.Open("/", "login")
	if p := b.Path(); p != "/login" {
		t.Fatalf("the site's address shows %s to a visitor, want /login", p)
	}
	b.Click(fmt.Sprintf(`button[data-email=%q]`, email))
	b.WaitReady("dashboard")
}

// apiTotal answers the total of an element list, read through the API as the operator.
func apiTotal(t *testing.T, p *platform, token, path string) int {
	t.Helper()
	r := p.do(http.MethodGet, path, token, "35", nil)
	if r.Status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, r.Status, r.Raw)
	}
	n, ok := r.Body["total"].(float64)
	if !ok {
		t.Fatalf("GET %s: no total in %s", path, r.Raw)
	}
	return int(n)
}

// TestConsoleScenario is the "done means": sign in as the provincial operator, see the
// tenant tree, create a county under a city, import matters (a file with a bad row is refused
// whole and its report names the row; a good file is imported), and use the settings and
// element pages, all in a real browser that asks nothing of any other host.
func TestConsoleScenario(t *testing.T) {
	p := startPlatform(t, "sqlite")
	b := browsertest.New(t, p.URL)

	// The login page: the dev-login panel, clearly marked, with the demo accounts.
	b.Open("/", "login")
	panel := b.Text(".devlogin")
	for _, want := range []string{"开发登录，仅限演示", "dev login, demo only", operator, "省平台运维 林建华"} {
		if !strings.Contains(panel, want) {
			t.Errorf("the dev-login panel lacks %q:\n%s", want, panel)
		}
	}
	b.Shot("01-login")

	b.Click(fmt.Sprintf(`button[data-email=%q]`, operator))
	b.WaitReady("dashboard")
	if got := b.Path(); got != "/console" {
		t.Errorf("after login the browser is at %s, want /console", got)
	}
	who, where := b.Text("#whoami"), b.Text("#where")
	if !strings.Contains(who, "省平台运维 林建华") || !strings.Contains(where, "福建省") || !strings.Contains(where, "平台运维") {
		t.Errorf("dashboard: who %q, where %q", who, where)
	}
	if h := b.Text(".topbar"); !strings.Contains(h, "执法监督一体化平台") || !strings.Contains(h, "林建华") || !strings.Contains(h, "福建省") {
		t.Errorf("header %q lacks the platform, the user or the tenant", h)
	}
	b.Shot("02-dashboard")

	// The tenant tree, indented by depth.
	b.Open("/console/tenants", "tenants")
	tree := b.Text("#tenant-tree")
	for _, name := range []string{"福建省", "福州市", "鼓楼区", "三明市", "尤溪县", "沙县区", "城关镇"} {
		if !strings.Contains(tree, name) {
			t.Errorf("the tenant tree lacks %s: %s", name, tree)
		}
	}
	depths := browsertest.Eval[map[string]string](b, `Object.fromEntries([...document.querySelectorAll('#tenant-tree li')].map(li => [li.dataset.id, li.dataset.depth]))`)
	for id, want := range map[string]string{"35": "0", "3504": "1", "350426": "2", "350426100": "3"} {
		if depths[id] != want {
			t.Errorf("tenant %s at depth %q, want %s", id, depths[id], want)
		}
	}
	if tier := b.Text(`#tenant-tree li[data-id="350426100"] .badge-tier`); tier != "乡镇" {
		t.Errorf("township tier label %q, want 乡镇", tier)
	}

	// A bad code is refused by the API and shown under its field.
	b.SetValue("#t-parent", "3504")
	b.SetValue("#t-id", "35042X")
	b.SetValue("#t-name", "将乐县")
	b.SetValue("#t-tier", "county")
	b.Click(`#tenant-form button[type="submit"]`)
	b.WaitFor("the field error", `!document.getElementById('t-id-err').hidden`)
	if msg := b.Text("#t-id-err"); !strings.Contains(msg, "行政区划代码") {
		t.Errorf("the code's error reads %q", msg)
	}
	if inv := browsertest.Eval[string](b, `document.getElementById('t-id').getAttribute('aria-invalid') || ''`); inv != "true" {
		t.Errorf("the code field is not marked invalid")
	}

	// A county under the city Sanming appears in the tree, below it.
	b.SetValue("#t-id", "350428")
	b.Click(`#tenant-form button[type="submit"]`)
	b.WaitFor("the new county in the tree", `!!document.querySelector('#tenant-tree li[data-id="350428"]')`)
	if d := b.Text(`#tenant-tree li[data-id="350428"]`); !strings.Contains(d, "将乐县") || !strings.Contains(d, "县") {
		t.Errorf("new tenant row %q", d)
	}
	if got := browsertest.Eval[string](b, `document.querySelector('#tenant-tree li[data-id="350428"]').dataset.depth`); got != "2" {
		t.Errorf("the new county is at depth %s, want 2", got)
	}
	if ok := b.Text("#tenant-form .form-ok"); !strings.Contains(ok, "已创建") {
		t.Errorf("no confirmation after creating: %q", ok)
	}
	if r := p.do(http.MethodGet, "/api/v1/tenants/350428", p.login(operator), "35", nil); r.Status != http.StatusOK || r.Body["parent_id"] != "3504" {
		t.Errorf("the API has the county as %d %s", r.Status, r.Raw)
	}
	b.Shot("03-tenants")

	// Import matters: one bad row refuses the whole file, and the report names it.
	b.Open("/console/import#matters", "import")
	if k := browsertest.Eval[string](b, `document.getElementById('i-kind').value`); k != "matters" {
		t.Fatalf("the import kind is %q, want matters", k)
	}
	if href := browsertest.Eval[string](b, `document.getElementById('template-link').getAttribute('href')`); href != "/console/import/templates/matters.csv" {
		t.Errorf("template link %q", href)
	}
	bad := "code,name,kind,sector\n" +
		"FJ-SC-001,未取得营业执照从事经营活动,penalty,market_regulation\n" +
		"FJ-SC-002,销售不符合食品安全标准的食品,fine,market_regulation\n" +
		"FJ-SC-003,对食品生产经营者的监督检查,inspection,market_regulation\n"
	token := p.login(operator)
	before := apiTotal(t, p, token, "/api/v1/matters") // the demo data's
	b.SetValue("#i-text", bad)
	b.Click("#import-submit")
	b.WaitFor("the error report", `!!document.getElementById('import-errors')`)
	result := b.Text("#import-result")
	for _, want := range []string{"未导入任何数据", "Nothing was imported", "第 2 行", "kind"} {
		if !strings.Contains(result, want) {
			t.Errorf("the import report lacks %q:\n%s", want, result)
		}
	}
	rows := browsertest.Eval[[]string](b, `[...document.querySelectorAll('#import-errors tbody tr')].map(tr => tr.dataset.row)`)
	if len(rows) == 0 || slices.ContainsFunc(rows, func(r string) bool { return r != "2" }) {
		t.Errorf("the report names rows %v, want only row 2", rows)
	}
	if n := apiTotal(t, p, token, "/api/v1/matters"); n != before {
		t.Errorf("a refused import changed the matters from %d to %d", before, n)
	}
	b.Shot("04-import-refused")

	good := strings.Replace(bad, ",fine,", ",penalty,", 1)
	b.SetValue("#i-text", good)
	b.Click("#import-submit")
	b.WaitFor("the imported count", `!!document.getElementById('imported-count')`)
	if n := b.Text("#imported-count"); n != "3" {
		t.Errorf("the page says %s imported, want 3", n)
	}
	if b.Text("#import-result") == "" || strings.Contains(b.Text("#import-result"), "未导入") {
		t.Errorf("the success report still says nothing was imported")
	}
	if n := apiTotal(t, p, token, "/api/v1/matters"); n != before+3 {
		t.Errorf("the API has %d matters after importing 3 to %d", n, before)
	}
	b.Shot("05-import-done")

	// A file saved by Excel on Chinese Windows (GB18030, CRLF) is read and imported as UTF-8.
	gbk := filepath.Join(t.TempDir(), "laws.csv")
	lawsCSV := "name,short_name,level,issuer,promulgated_on,effective_from\r\n" +
		"\xd6\xd0\xbb\xaa\xc8\xcb\xc3\xf1\xb9\xb2\xba\xcd\xb9\xfa\xb0\xb2\xc8\xab\xc9\xfa\xb2\xfa\xb7\xa8," + // 中华人民共和国安全生产法
		"\xb0\xb2\xc8\xab\xc9\xfa\xb2\xfa\xb7\xa8,law," + // 安全生产法
		"\xc8\xab\xb9\xfa\xc8\xcb\xc3\xf1\xb4\xfa\xb1\xed\xb4\xf3\xbb\xe1\xb3\xa3\xce\xf1\xce\xaf\xd4\xb1\xbb\xe1," + // 全国人民代表大会常务委员会
		"2021-06-10,2021-09-01\r\n"
	if err := os.WriteFile(gbk, []byte(lawsCSV), 0o644); err != nil {
		t.Fatal(err)
	}
	b.SetValue("#i-kind", "laws")
	b.Do("choose the file", chromedp.SetUploadFiles(chromedp.CSS("#i-file"), []string{gbk}))
	b.WaitFor("the file in the text box", `document.getElementById('i-text').value.includes('中华人民共和国安全生产法')`)
	if h := b.Text("#i-file-hint"); !strings.Contains(h, "GB18030") {
		t.Errorf("the file hint reads %q, want the GB18030 notice", h)
	}
	b.Click("#import-submit")
	b.WaitFor("the imported law", `(document.getElementById('imported-count') || {}).textContent === '1'`)
	if r := p.do(http.MethodGet, "/api/v1/laws?q="+url.QueryEscape("安全生产法"), token, "35", nil); r.Status != http.StatusOK || !strings.Contains(string(r.Raw), "中华人民共和国安全生产法") {
		t.Errorf("the API does not have the imported law: %d %s", r.Status, r.Raw)
	}

	// The CSV template is the header row of the API's columns.
	tpl := p.do(http.MethodGet, "/console/import/templates/matters.csv", "", "", nil)
	cols := elements.ImportColumns[elements.ImportMatters]
	if want := strings.Join(append(append([]string{}, cols.Required...), cols.Optional...), ",") + "\r\n"; string(tpl.Raw) != want {
		t.Errorf("matters template %q, want %q", tpl.Raw, want)
	}

	// Settings: set a value final at the province; it is audited, and the city below sees it locked.
	b.Open("/console/settings", "settings")
	const key = `article[data-key="cases.backfill_working_days"]`
	if src := b.Text(key + " .source"); !strings.Contains(src, "平台默认") {
		t.Errorf("the default's source reads %q", src)
	}
	b.SetValue(key+` input[name="value"]`, "3")
	b.Click(key + ` input[name="final"]`)
	b.Click(key + ` button[type="submit"]`)
	b.WaitFor("the saved setting", fmt.Sprintf(`(document.querySelector(%q) || {textContent: ''}).textContent.includes('下级不得修改 final for tenants below')`, key))
	if v := b.Text(key + " .value"); v != "3" {
		t.Errorf("the value shows %q after saving 3", v)
	}
	b.WaitFor("the audit row", `document.querySelector('#audit-table tbody').textContent.includes('林建华')`)
	if a := b.Text("#audit-table tbody tr"); !strings.Contains(a, "cases.backfill_working_days") || !strings.Contains(a, "3") {
		t.Errorf("the audit row reads %q", a)
	}
	b.Shot("06-settings")

	// The tenant switcher: acting at Sanming, the locked value cannot be changed.
	b.SetValue("#tenant-select", "3504")
	b.WaitFor("the switch to 三明市", `document.body.dataset.ready === "true" && document.getElementById('current-tenant').textContent.includes('三明市')`)
	if l := b.Text(key); !strings.Contains(l, "已被上级锁定") || !strings.Contains(l, "福建省") {
		t.Errorf("at Sanming the locked setting reads %q", l)
	}
	if n := browsertest.Eval[int](b, fmt.Sprintf(`document.querySelectorAll(%q).length`, key+" form")); n != 0 {
		t.Errorf("a locked setting offers a form")
	}
	b.Shot("07-settings-locked")
	b.SetValue("#tenant-select", "35")
	b.WaitFor("the switch back", `document.body.dataset.ready === "true" && document.getElementById('current-tenant').textContent.includes('福建省')`)

	// The element databases: the imported matters are listed and searchable; a body is created.
	b.Open("/console/elements#matters", "elements")
	b.WaitFor("the matters", `document.querySelector('#list-table tbody').textContent.includes('FJ-SC-001')`)
	b.SetValue("#q", "FJ-SC")
	b.Click(`#search-form button[type="submit"]`)
	b.WaitFor("the search", `document.querySelectorAll('#list-table tbody tr[data-id]').length === 3`)
	b.SetValue("#q", "食品安全标准")
	b.Click(`#search-form button[type="submit"]`)
	b.WaitFor("the narrower search", `[...document.querySelectorAll('#list-table tbody tr[data-id]')].every(tr => tr.textContent.includes('食品安全标准')) && document.querySelector('#list-table tbody').textContent.includes('FJ-SC-002')`)
	b.Shot("08-elements-matters")
	b.Click("#tab-bodies")
	b.WaitFor("the bodies tab", `document.getElementById('tab-bodies').getAttribute('aria-selected') === 'true' && !document.getElementById('create-bodies').hidden`)
	b.Click("#create-bodies summary")
	b.SetValue("#b-name", "福建省生态环境厅")
	b.SetValue("#b-code", validUSCC("11350000MB0000001"))
	b.SetValue("#b-kind", "administrative_organ")
	b.SetValue("#b-sector", "market_regulation")
	b.Click(`#body-form button[type="submit"]`)
	b.WaitFor("the new body", `document.querySelector('#list-table tbody').textContent.includes('福建省生态环境厅')`)
	b.Shot("09-elements-bodies")
	for i, tab := range []string{"laws", "benchmarks"} {
		b.Click("#tab-" + tab)
		b.WaitFor("the "+tab+" list", `document.getElementById('list-status').textContent.startsWith('共')`)
		b.Shot(fmt.Sprintf("%02d-elements-%s", 10+i, tab))
	}
	// Officers belong to their tenant: Sanming's are listed when acting at Sanming.
	b.SetValue("#tenant-select", "3504")
	b.WaitFor("the switch to 三明市", `document.body.dataset.ready === "true" && document.getElementById('current-tenant').textContent.includes('三明市')`)
	b.Click("#tab-officers")
	b.WaitFor("Sanming's officers", `document.querySelector('#list-table thead').textContent.includes('执法证') && document.querySelectorAll('#list-table tbody tr[data-id]').length > 0`)
	if ids := b.Text("#list-table tbody"); !strings.Contains(ids, "********") {
		t.Errorf("officers' identity numbers are not shown masked: %q", ids)
	}
	b.Shot("12-elements-officers")

	// Signing out ends the session: the console sends the browser back to the login page.
	b.Open("/logout", "login")
	if got := b.Path(); got != "/login?signed_out=1" {
		t.Errorf("after signing out the browser is at %s", got)
	}
	b.Open("/console/import", "login")
	if got := b.Path(); got != "/login?next=%2Fconsole%2Fimport" {
		t.Errorf("a signed-out visit to the console lands at %s", got)
	}

	b.CheckClean()
}

// TestConsoleMobile checks every page at a phone's width (375 px), the tenants page first:
// nothing is wider than the screen, so nothing needs sideways scrolling. Tables may scroll inside
// their own box; on a phone they turn into labelled cards.
func TestConsoleMobile(t *testing.T) {
	p := startPlatform(t, "sqlite")
	b := browsertest.New(t, p.URL)
	b.EmulatePhone()
	loginAs(t, b, operator)
	check := func(name string) {
		t.Helper()
		b.CheckPhoneWidth(name, "mobile-"+name)
	}
	for _, pg := range []struct{ path, page string }{
		{"/console/tenants", "tenants"}, {"/console", "dashboard"}, {"/console/settings", "settings"},
		{"/console/elements", "elements"}, {"/console/import#matters", "import"},
	} {
		b.Open(pg.path, pg.page)
		check(pg.page)
	}

	// The import report and a filled list, which hold the widest content.
	csv := "code,name,kind,sector\nFJ-CG-001,违反城市市容和环境卫生管理规定的行为,penalty,urban_management\n" +
		"FJ-CG-002,擅自占用城市道路,unknown,urban_management\nFJ-CG-003,查封违法建设施工现场,coercion,urban_management\n"
	b.SetValue("#i-text", csv)
	b.Click("#import-submit")
	b.WaitFor("the error report", `!!document.getElementById('import-errors')`)
	check("import-report")
	b.SetValue("#i-text", strings.Replace(csv, ",unknown,", ",penalty,", 1))
	b.Click("#import-submit")
	b.WaitFor("the imported count", `!!document.getElementById('imported-count')`)
	b.Open("/console/elements#matters", "elements")
	b.WaitFor("the matters", `document.querySelector('#list-table tbody').textContent.includes('FJ-CG-001')`)
	check("elements-matters")

	b.Open("/login", "login")
	check("login")
	b.CheckClean()
}

// validUSCC completes 17 characters of a unified social credit code with its check character.
func validUSCC(prefix string) string {
	for _, c := range "0123456789ABCDEFGHJKLMNPQRTUWXY" {
		if s := prefix + string(c); civil.ValidUSCC(s) {
			return s
		}
	}
	panic("no check character completes " + prefix)
}
