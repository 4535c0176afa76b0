package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"zhifa/app/testenv"
	"zhifa/modules/elements"
)

// The console tests drive the real pages in headless Chromium against the whole platform
// (SQLite, demo data, dev login). Set ZHIFA_SCREENSHOTS to a directory to keep a screenshot of
// every page they visit.

const operator = "province.operator@demo.zhifa"

// browser is one headless Chromium tab. It records every request its pages make and every
// script error or Content-Security-Policy violation they cause.
type browser struct {
	t    *testing.T
	ctx  context.Context
	base string

	mu       sync.Mutex
	requests []string
	problems []string
}

func newBrowser(t *testing.T, base string) *browser {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(testenv.Chromium(t)), // fails with "chromium not found: run make tools"
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-features", "Translate,OptimizationHints,MediaRouter"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	b := &browser{t: t, ctx: ctx, base: base}
	// The first Do starts the browser and binds its life to the context it gets: ctx, not one
	// with a time limit.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	if err := chromedp.Listen(ctx, b.record); err != nil {
		t.Fatal(err)
	}
	return b
}

func (b *browser) record(ev any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent:
		b.requests = append(b.requests, e.Request.URL)
	case *runtime.EventExceptionThrown:
		d := e.ExceptionDetails
		msg := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			msg += " " + d.Exception.Description
		}
		b.problems = append(b.problems, fmt.Sprintf("script error at %s:%d: %s", d.URL, d.LineNumber, msg))
	case *log.EventEntryAdded:
		en := e.Entry
		if en.Source == log.EntrySourceSecurity || en.Source == log.EntrySourceViolation ||
			(en.Source == log.EntrySourceJavascript && en.Level == log.EntryLevelError) ||
			strings.Contains(en.Text, "Content Security Policy") {
			b.problems = append(b.problems, fmt.Sprintf("%s %s: %s (%s)", en.Source, en.Level, en.Text, en.URL))
		}
	}
}

// do runs actions with a time limit, failing the test on an error.
func (b *browser) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v%s", what, err, b.problemText())
	}
}

// eval evaluates a JavaScript expression and returns its value.
func eval[T any](b *browser, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// waitFor waits until a JavaScript condition holds. It evaluates the condition again and again
// rather than with one Poll, so that it survives the navigations a click may cause.
func (b *browser) waitFor(what, cond string) {
	b.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var last error
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](cond))
		cancel()
		if err == nil && ok {
			return
		}
		last = err
		time.Sleep(50 * time.Millisecond)
	}
	b.t.Fatalf("waiting for %s: timed out (last error: %v)%s", what, last, b.problemText())
}

// text returns the text of the first element matching a CSS selector.
func (b *browser) text(sel string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v%s", sel, err, b.problemText())
	}
	return s
}

// open navigates to a console page and waits until its script has finished loading its data.
func (b *browser) open(path, page string) {
	b.t.Helper()
	b.do("open "+path, chromedp.Navigate(b.base+path))
	b.waitReady(page)
}

// waitReady waits until page (its body's data-page) has loaded its data.
func (b *browser) waitReady(page string) {
	b.t.Helper()
	b.waitFor(page+" ready", fmt.Sprintf(`document.body && document.body.dataset.page === %q && document.body.dataset.ready === "true"`, page))
}

// path returns the path and query of the page shown.
func (b *browser) path() string {
	u, err := url.Parse(eval[string](b, `location.href`))
	if err != nil {
		b.t.Fatal(err)
	}
	return u.RequestURI()
}

// setValue sets a form control's value and fires the events a person's input would.
func (b *browser) setValue(sel, value string) {
	b.t.Helper()
	eval[bool](b, fmt.Sprintf(`(() => { const e = document.querySelector(%q); e.value = %q;
		e.dispatchEvent(new Event('input', {bubbles: true})); e.dispatchEvent(new Event('change', {bubbles: true})); return true })()`, sel, value))
}

func (b *browser) click(sel string) {
	b.t.Helper()
	b.do("click "+sel, chromedp.Click(chromedp.CSS(sel)))
}

// checkPhoneWidth checks the page at the phone width the test emulates (375 px): nothing is wider
// than the screen, except inside a .table-wrap box; then it takes the screenshot shot.
func (b *browser) checkPhoneWidth(name, shot string) {
	b.t.Helper()
	type widths struct {
		Scroll int      `json:"scroll"`
		Client int      `json:"client"`
		Inner  int      `json:"inner"`
		Wide   []string `json:"wide"`
	}
	w := eval[widths](b, `(() => { const d = document.documentElement;
		const wide = [...document.querySelectorAll('body *')].filter(e => { const r = e.getBoundingClientRect();
			return r.width > 0 && r.right > d.clientWidth + 1 && !e.closest('.table-wrap'); })
			.slice(0, 5).map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className + ' right=' + Math.round(e.getBoundingClientRect().right));
		return {scroll: d.scrollWidth, client: d.clientWidth, inner: window.innerWidth, wide}; })()`)
	if w.Inner != 375 {
		b.t.Fatalf("%s: the viewport is %d px wide, want 375", name, w.Inner)
	}
	if w.Scroll > w.Client || len(w.Wide) > 0 {
		b.t.Errorf("%s overflows at 375 px: scrollWidth %d > clientWidth %d; too wide: %v", name, w.Scroll, w.Client, w.Wide)
	}
	b.shot(shot)
}

// shot saves a full-page screenshot as $ZHIFA_SCREENSHOTS/name.png when that is set.
func (b *browser) shot(name string) {
	b.t.Helper()
	dir := os.Getenv("ZHIFA_SCREENSHOTS")
	if dir == "" {
		return
	}
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

func (b *browser) problemText() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.problems) == 0 {
		return ""
	}
	return "\npage problems:\n  " + strings.Join(b.problems, "\n  ")
}

// checkClean fails the test for any script error or CSP violation, and for any request that
// left this machine: the console must work on an intranet without Internet access.
func (b *browser) checkClean() {
	b.t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.problems {
		b.t.Errorf("page problem: %s", p)
	}
	if len(b.requests) == 0 {
		b.t.Error("no request was recorded: the network listener is not working")
	}
	for _, raw := range b.requests {
		u, err := url.Parse(raw)
		if err != nil {
			b.t.Errorf("unparsable request URL %q", raw)
			continue
		}
		if u.Scheme == "data" || u.Scheme == "blob" {
			continue
		}
		if h := u.Hostname(); h != "127.0.0.1" && h != "localhost" && h != "::1" {
			b.t.Errorf("request to a non-local host: %s", raw)
		}
	}
}

// loginAs opens the site's address and signs in with the dev login's one-click button.
func (b *browser) loginAs(email string) {
	b.t.Helper()
	b.do("open the site", chromedp.Navigate(b.base+"/"))
	b.waitReady("login")
	if p := b.path(); p != "/login" {
		b.t.Fatalf("the site's address shows %s to a visitor, want /login", p)
	}
	b.click(fmt.Sprintf(`button[data-email=%q]`, email))
	b.waitReady("dashboard")
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
	b := newBrowser(t, p.URL)

	// The login page: the dev-login panel, clearly marked, with the demo accounts.
	b.do("open the site", chromedp.Navigate(p.URL+"/"))
	b.waitReady("login")
	panel := b.text(".devlogin")
	for _, want := range []string{"开发登录，仅限演示", "dev login, demo only", operator, "省平台运维 林建华"} {
		if !strings.Contains(panel, want) {
			t.Errorf("the dev-login panel lacks %q:\n%s", want, panel)
		}
	}
	b.shot("01-login")

	b.click(fmt.Sprintf(`button[data-email=%q]`, operator))
	b.waitReady("dashboard")
	if got := b.path(); got != "/console" {
		t.Errorf("after login the browser is at %s, want /console", got)
	}
	who, where := b.text("#whoami"), b.text("#where")
	if !strings.Contains(who, "省平台运维 林建华") || !strings.Contains(where, "福建省") || !strings.Contains(where, "平台运维") {
		t.Errorf("dashboard: who %q, where %q", who, where)
	}
	if h := b.text(".topbar"); !strings.Contains(h, "执法监督一体化平台") || !strings.Contains(h, "林建华") || !strings.Contains(h, "福建省") {
		t.Errorf("header %q lacks the platform, the user or the tenant", h)
	}
	b.shot("02-dashboard")

	// The tenant tree, indented by depth.
	b.open("/console/tenants", "tenants")
	tree := b.text("#tenant-tree")
	for _, name := range []string{"福建省", "福州市", "鼓楼区", "三明市", "尤溪县", "沙县区", "城关镇"} {
		if !strings.Contains(tree, name) {
			t.Errorf("the tenant tree lacks %s: %s", name, tree)
		}
	}
	depths := eval[map[string]string](b, `Object.fromEntries([...document.querySelectorAll('#tenant-tree li')].map(li => [li.dataset.id, li.dataset.depth]))`)
	for id, want := range map[string]string{"35": "0", "3504": "1", "350426": "2", "350426100": "3"} {
		if depths[id] != want {
			t.Errorf("tenant %s at depth %q, want %s", id, depths[id], want)
		}
	}
	if tier := b.text(`#tenant-tree li[data-id="350426100"] .badge-tier`); tier != "乡镇" {
		t.Errorf("township tier label %q, want 乡镇", tier)
	}

	// A bad code is refused by the API and shown under its field.
	b.setValue("#t-parent", "3504")
	b.setValue("#t-id", "35042X")
	b.setValue("#t-name", "将乐县")
	b.setValue("#t-tier", "county")
	b.click(`#tenant-form button[type="submit"]`)
	b.waitFor("the field error", `!document.getElementById('t-id-err').hidden`)
	if msg := b.text("#t-id-err"); !strings.Contains(msg, "行政区划代码") {
		t.Errorf("the code's error reads %q", msg)
	}
	if inv := eval[string](b, `document.getElementById('t-id').getAttribute('aria-invalid') || ''`); inv != "true" {
		t.Errorf("the code field is not marked invalid")
	}

	// A county under the city Sanming appears in the tree, below it.
	b.setValue("#t-id", "350428")
	b.click(`#tenant-form button[type="submit"]`)
	b.waitFor("the new county in the tree", `!!document.querySelector('#tenant-tree li[data-id="350428"]')`)
	if d := b.text(`#tenant-tree li[data-id="350428"]`); !strings.Contains(d, "将乐县") || !strings.Contains(d, "县") {
		t.Errorf("new tenant row %q", d)
	}
	if got := eval[string](b, `document.querySelector('#tenant-tree li[data-id="350428"]').dataset.depth`); got != "2" {
		t.Errorf("the new county is at depth %s, want 2", got)
	}
	if ok := b.text("#tenant-form .form-ok"); !strings.Contains(ok, "已创建") {
		t.Errorf("no confirmation after creating: %q", ok)
	}
	if r := p.do(http.MethodGet, "/api/v1/tenants/350428", p.login(operator), "35", nil); r.Status != http.StatusOK || r.Body["parent_id"] != "3504" {
		t.Errorf("the API has the county as %d %s", r.Status, r.Raw)
	}
	b.shot("03-tenants")

	// Import matters: one bad row refuses the whole file, and the report names it.
	b.open("/console/import#matters", "import")
	if k := eval[string](b, `document.getElementById('i-kind').value`); k != "matters" {
		t.Fatalf("the import kind is %q, want matters", k)
	}
	if href := eval[string](b, `document.getElementById('template-link').getAttribute('href')`); href != "/console/import/templates/matters.csv" {
		t.Errorf("template link %q", href)
	}
	bad := "code,name,kind,sector\n" +
		"FJ-SC-001,未取得营业执照从事经营活动,penalty,market_regulation\n" +
		"FJ-SC-002,销售不符合食品安全标准的食品,fine,market_regulation\n" +
		"FJ-SC-003,对食品生产经营者的监督检查,inspection,market_regulation\n"
	token := p.login(operator)
	before := apiTotal(t, p, token, "/api/v1/matters") // the demo data's
	b.setValue("#i-text", bad)
	b.click("#import-submit")
	b.waitFor("the error report", `!!document.getElementById('import-errors')`)
	result := b.text("#import-result")
	for _, want := range []string{"未导入任何数据", "Nothing was imported", "第 2 行", "kind"} {
		if !strings.Contains(result, want) {
			t.Errorf("the import report lacks %q:\n%s", want, result)
		}
	}
	rows := eval[[]string](b, `[...document.querySelectorAll('#import-errors tbody tr')].map(tr => tr.dataset.row)`)
	if len(rows) == 0 || slices.ContainsFunc(rows, func(r string) bool { return r != "2" }) {
		t.Errorf("the report names rows %v, want only row 2", rows)
	}
	if n := apiTotal(t, p, token, "/api/v1/matters"); n != before {
		t.Errorf("a refused import changed the matters from %d to %d", before, n)
	}
	b.shot("04-import-refused")

	good := strings.Replace(bad, ",fine,", ",penalty,", 1)
	b.setValue("#i-text", good)
	b.click("#import-submit")
	b.waitFor("the imported count", `!!document.getElementById('imported-count')`)
	if n := b.text("#imported-count"); n != "3" {
		t.Errorf("the page says %s imported, want 3", n)
	}
	if b.text("#import-result") == "" || strings.Contains(b.text("#import-result"), "未导入") {
		t.Errorf("the success report still says nothing was imported")
	}
	if n := apiTotal(t, p, token, "/api/v1/matters"); n != before+3 {
		t.Errorf("the API has %d matters after importing 3 to %d", n, before)
	}
	b.shot("05-import-done")

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
	b.setValue("#i-kind", "laws")
	b.do("choose the file", chromedp.SetUploadFiles(chromedp.CSS("#i-file"), []string{gbk}))
	b.waitFor("the file in the text box", `document.getElementById('i-text').value.includes('中华人民共和国安全生产法')`)
	if h := b.text("#i-file-hint"); !strings.Contains(h, "GB18030") {
		t.Errorf("the file hint reads %q, want the GB18030 notice", h)
	}
	b.click("#import-submit")
	b.waitFor("the imported law", `(document.getElementById('imported-count') || {}).textContent === '1'`)
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
	b.open("/console/settings", "settings")
	const key = `article[data-key="cases.backfill_working_days"]`
	if src := b.text(key + " .source"); !strings.Contains(src, "平台默认") {
		t.Errorf("the default's source reads %q", src)
	}
	b.setValue(key+` input[name="value"]`, "3")
	b.click(key + ` input[name="final"]`)
	b.click(key + ` button[type="submit"]`)
	b.waitFor("the saved setting", fmt.Sprintf(`(document.querySelector(%q) || {textContent: ''}).textContent.includes('下级不得修改 final for tenants below')`, key))
	if v := b.text(key + " .value"); v != "3" {
		t.Errorf("the value shows %q after saving 3", v)
	}
	b.waitFor("the audit row", `document.querySelector('#audit-table tbody').textContent.includes('林建华')`)
	if a := b.text("#audit-table tbody tr"); !strings.Contains(a, "cases.backfill_working_days") || !strings.Contains(a, "3") {
		t.Errorf("the audit row reads %q", a)
	}
	b.shot("06-settings")

	// The tenant switcher: acting at Sanming, the locked value cannot be changed.
	b.setValue("#tenant-select", "3504")
	b.waitFor("the switch to 三明市", `document.body.dataset.ready === "true" && document.getElementById('current-tenant').textContent.includes('三明市')`)
	if l := b.text(key); !strings.Contains(l, "已被上级锁定") || !strings.Contains(l, "福建省") {
		t.Errorf("at Sanming the locked setting reads %q", l)
	}
	if n := eval[int](b, fmt.Sprintf(`document.querySelectorAll(%q).length`, key+" form")); n != 0 {
		t.Errorf("a locked setting offers a form")
	}
	b.shot("07-settings-locked")
	b.setValue("#tenant-select", "35")
	b.waitFor("the switch back", `document.body.dataset.ready === "true" && document.getElementById('current-tenant').textContent.includes('福建省')`)

	// The element databases: the imported matters are listed and searchable; a body is created.
	b.open("/console/elements#matters", "elements")
	b.waitFor("the matters", `document.querySelector('#list-table tbody').textContent.includes('FJ-SC-001')`)
	b.setValue("#q", "FJ-SC")
	b.click(`#search-form button[type="submit"]`)
	b.waitFor("the search", `document.querySelectorAll('#list-table tbody tr[data-id]').length === 3`)
	b.setValue("#q", "食品安全标准")
	b.click(`#search-form button[type="submit"]`)
	b.waitFor("the narrower search", `[...document.querySelectorAll('#list-table tbody tr[data-id]')].every(tr => tr.textContent.includes('食品安全标准')) && document.querySelector('#list-table tbody').textContent.includes('FJ-SC-002')`)
	b.shot("08-elements-matters")
	b.click("#tab-bodies")
	b.waitFor("the bodies tab", `document.getElementById('tab-bodies').getAttribute('aria-selected') === 'true' && !document.getElementById('create-bodies').hidden`)
	b.click("#create-bodies summary")
	b.setValue("#b-name", "福建省生态环境厅")
	b.setValue("#b-code", validUSCC("11350000MB0000001"))
	b.setValue("#b-kind", "administrative_organ")
	b.setValue("#b-sector", "market_regulation")
	b.click(`#body-form button[type="submit"]`)
	b.waitFor("the new body", `document.querySelector('#list-table tbody').textContent.includes('福建省生态环境厅')`)
	b.shot("09-elements-bodies")
	for i, tab := range []string{"laws", "benchmarks"} {
		b.click("#tab-" + tab)
		b.waitFor("the "+tab+" list", `document.getElementById('list-status').textContent.startsWith('共')`)
		b.shot(fmt.Sprintf("%02d-elements-%s", 10+i, tab))
	}
	// Officers belong to their tenant: Sanming's are listed when acting at Sanming.
	b.setValue("#tenant-select", "3504")
	b.waitFor("the switch to 三明市", `document.body.dataset.ready === "true" && document.getElementById('current-tenant').textContent.includes('三明市')`)
	b.click("#tab-officers")
	b.waitFor("Sanming's officers", `document.querySelector('#list-table thead').textContent.includes('执法证') && document.querySelectorAll('#list-table tbody tr[data-id]').length > 0`)
	if ids := b.text("#list-table tbody"); !strings.Contains(ids, "********") {
		t.Errorf("officers' identity numbers are not shown masked: %q", ids)
	}
	b.shot("12-elements-officers")

	// Signing out ends the session: the console sends the browser back to the login page.
	b.do("sign out", chromedp.Navigate(p.URL+"/logout"))
	b.waitReady("login")
	if got := b.path(); got != "/login?signed_out=1" {
		t.Errorf("after signing out the browser is at %s", got)
	}
	b.do("open the console", chromedp.Navigate(p.URL+"/console/import"))
	b.waitReady("login")
	if got := b.path(); got != "/login?next=%2Fconsole%2Fimport" {
		t.Errorf("a signed-out visit to the console lands at %s", got)
	}

	b.checkClean()
}

// TestConsoleMobile checks every page at a phone's width (375 px), the tenants page first:
// nothing is wider than the screen, so nothing needs sideways scrolling. Tables may scroll inside
// their own box; on a phone they turn into labelled cards.
func TestConsoleMobile(t *testing.T) {
	p := startPlatform(t, "sqlite")
	b := newBrowser(t, p.URL)
	b.do("emulate a phone", chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile, chromedp.EmulateTouch))
	b.loginAs(operator)
	check := func(name string) {
		t.Helper()
		b.checkPhoneWidth(name, "mobile-"+name)
	}
	for _, pg := range []struct{ path, page string }{
		{"/console/tenants", "tenants"}, {"/console", "dashboard"}, {"/console/settings", "settings"},
		{"/console/elements", "elements"}, {"/console/import#matters", "import"},
	} {
		b.open(pg.path, pg.page)
		check(pg.page)
	}

	// The import report and a filled list, which hold the widest content.
	csv := "code,name,kind,sector\nFJ-CG-001,违反城市市容和环境卫生管理规定的行为,penalty,urban_management\n" +
		"FJ-CG-002,擅自占用城市道路,unknown,urban_management\nFJ-CG-003,查封违法建设施工现场,coercion,urban_management\n"
	b.setValue("#i-text", csv)
	b.click("#import-submit")
	b.waitFor("the error report", `!!document.getElementById('import-errors')`)
	check("import-report")
	b.setValue("#i-text", strings.Replace(csv, ",unknown,", ",penalty,", 1))
	b.click("#import-submit")
	b.waitFor("the imported count", `!!document.getElementById('imported-count')`)
	b.open("/console/elements#matters", "elements")
	b.waitFor("the matters", `document.querySelector('#list-table tbody').textContent.includes('FJ-CG-001')`)
	check("elements-matters")

	b.open("/login", "login")
	check("login")
	b.checkClean()
}

// validUSCC completes 17 characters of a unified social credit code with its check character.
func validUSCC(prefix string) string {
	for _, c := range "0123456789ABCDEFGHJKLMNPQRTUWXY" {
		if s := prefix + string(c); elements.ValidUSCC(s) {
			return s
		}
	}
	panic("no check character completes " + prefix)
}
