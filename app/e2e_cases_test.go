package app_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/uptrace/bun"

	"zhifa/app/browsertest"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

// The case tests drive the officer pages in headless Chromium against the whole platform with
// its demo: a general-procedure penalty walked from lead to archive by the people whose roles
// each step needs, the refusals of the law with their articles, the verification of the record;
// and the pages at a phone's width.

const (
	officer1 = "youxi.officer1@demo.zhifa"
	bodyHead = "youxi.head@demo.zhifa"
	reviewer = "youxi.reviewer@demo.zhifa"
)

// chinaDay returns the day n days from today in China, as YYYY-MM-DD.
func chinaDay(n int) string { return rules.FormatDate(rules.Day(time.Now()).AddDate(0, 0, n)) }

// ensureCalendarAhead loads a minimal holiday notice for the year the walk's deadlines reach when
// that year's notice is not out yet (late in a year), so that the walk does not depend on the day
// it runs. The embedded notices are the real ones; this one exists only in the test's database.
func ensureCalendarAhead(t *testing.T, p *platform) {
	t.Helper()
	ensureCalendarAheadAs(t, p, p.login(operator))
}

// ensureCalendarAheadAs is ensureCalendarAhead as the root tenant's operator signed in with op.
func ensureCalendarAheadAs(t *testing.T, p *platform, op string) {
	t.Helper()
	year := rules.Day(time.Now()).AddDate(0, 0, 45).Year()
	r := p.do(http.MethodGet, fmt.Sprintf("/api/v1/calendar/%d", year), op, "35", nil)
	if known, _ := r.Body["known"].(bool); known {
		return
	}
	body := fmt.Sprintf(`{"notice":"国办发明电〔%d〕99号","notice_date":"%d-11-01","papers":[],"holidays":[{"name":"元旦","first":"%d-01-01","last":"%d-01-01"}],"makeup_workdays":[]}`,
		year-1, year-1, year, year)
	if r := p.do(http.MethodPut, fmt.Sprintf("/api/v1/calendar/%d", year), op, "35", body); r.Status != http.StatusOK {
		t.Fatalf("load the %d calendar: %d %s", year, r.Status, r.Raw)
	}
}

// allowLocation lets the pages read a fixed position in 尤溪县, as a phone that allows it would.
func allowLocation(t *testing.T, b *browsertest.Browser) {
	t.Helper()
	b.Do("allow location", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		lat, lng, acc := 26.1702, 118.1898, 12.0
		if _, err := cdp.Call(ctx, tg, emulation.SetGeolocationOverride, emulation.SetGeolocationOverrideParams{Latitude: &lat, Longitude: &lng, Accuracy: &acc}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, cdpbrowser.SetPermission, cdpbrowser.SetPermissionParams{
			Permission: &cdpbrowser.PermissionDescriptor{Name: "geolocation"}, Setting: cdpbrowser.PermissionSettingGranted, Origin: b.Base()})
		return err
	}))
}

// switchTo signs in as another demo account through the login page and comes back to next.
func switchTo(t *testing.T, b *browsertest.Browser, email, next, page string) {
	t.Helper()
	b.Open("/login?next="+url.QueryEscape(next), "login")
	b.Click(fmt.Sprintf(`button[data-email=%q]`, email))
	b.WaitFor("back at "+next, fmt.Sprintf(`location.pathname === %q && document.body.dataset.page === %q && document.body.dataset.ready === "true"`,
		strings.SplitN(next, "?", 2)[0], page))
}

// verifyChain presses the case page's chain verification and returns its verdict once shown
// ("true" or "false").
func verifyChain(b *browsertest.Browser) string {
	b.Click("#verify-chain")
	b.WaitFor("the chain verified", `document.getElementById('chain-result').dataset.valid !== undefined`)
	return browsertest.Eval[string](b, `document.getElementById('chain-result').dataset.valid`)
}

// casePage is the case detail page open in a browser.
type casePage struct {
	t  *testing.T
	b  *browsertest.Browser
	id string
}

func (c casePage) version() int {
	v, _ := strconv.Atoi(browsertest.Eval[string](c.b, `document.body.dataset.caseVersion || "0"`))
	return v
}

func (c casePage) state() string {
	return browsertest.Eval[string](c.b, `document.body.dataset.caseState || ""`)
}

// open opens the form of action and runs fill on it.
func (c casePage) open(action string) {
	c.t.Helper()
	c.b.WaitFor("the step "+action, fmt.Sprintf(`!!document.querySelector('li.next-action[data-action=%q] .na-open:not([disabled])')`, action))
	if !browsertest.Eval[bool](c.b, fmt.Sprintf(`!!document.getElementById('action-form-%s')`, action)) {
		c.b.Click(fmt.Sprintf(`li.next-action[data-action=%q] .na-open`, action))
	}
	c.b.WaitFor("the form of "+action, fmt.Sprintf(`!!document.getElementById('action-form-%s')`, action))
}

// submit submits the open form of action and waits for the case to move on.
func (c casePage) submit(action, wantState string) {
	c.t.Helper()
	v := c.version()
	c.b.Click(fmt.Sprintf(`#action-form-%s button[type="submit"]`, action))
	c.b.WaitFor(action+" recorded", fmt.Sprintf(`document.body.dataset.caseVersion === "%d" || !!document.querySelector('#action-form-%s .refusal')`, v+1, action))
	if r := browsertest.Eval[string](c.b, fmt.Sprintf(`(document.querySelector('#action-form-%s .refusal') || {}).textContent || ''`, action)); r != "" {
		c.t.Fatalf("%s was refused: %s", action, r)
	}
	if got := c.state(); wantState != "" && got != wantState {
		c.t.Fatalf("after %s the case is %s, want %s", action, got, wantState)
	}
	if got := browsertest.Eval[string](c.b, `document.getElementById('action-result').dataset.action || ''`); got != action {
		c.t.Errorf("the page confirms %q, want %s", got, action)
	}
}

// take opens the form of action, fills it and submits it.
func (c casePage) take(action, wantState string, fill func()) {
	c.t.Helper()
	c.open(action)
	if fill != nil {
		fill()
	}
	c.submit(action, wantState)
}

// refused submits the open form of action, expects a refusal naming article, and returns its text.
func (c casePage) refused(action, article string) string {
	c.t.Helper()
	v := c.version()
	c.b.Click(fmt.Sprintf(`#action-form-%s button[type="submit"]`, action))
	c.b.WaitFor("the refusal of "+action, fmt.Sprintf(`!!document.querySelector('#action-form-%s .refusal')`, action))
	txt := c.b.Text(fmt.Sprintf(`#action-form-%s .refusal`, action))
	// The rule's one citation, as the refusal's rule cites it (《行政处罚法》第42条).
	if cites := pageCites(c.b.Text(fmt.Sprintf(`#action-form-%s .refusal .refusal-rule`, action))); !strings.HasPrefix(cites, "《") ||
		!strings.HasSuffix(cites, article) || strings.Contains(cites, " | ") {
		c.t.Errorf("the refusal of %s does not name %s first: %s", action, article, txt)
	}
	en := browsertest.Eval[string](c.b, fmt.Sprintf(`(document.querySelector('#action-form-%s .refusal .refusal-en') || {}).textContent || ''`, action))
	if en == "" {
		c.t.Errorf("the refusal of %s has no English message: %s", action, txt)
	}
	if c.version() != v {
		c.t.Errorf("a refused %s changed the case", action)
	}
	return txt
}

// deadline returns the rule's deadline as the page shows it: its article and its due date. The
// article must be the one the API's deadline cites, as the rules catalogue writes it.
func (c casePage) deadline(rule string) (article, due string) {
	c.t.Helper()
	sel := fmt.Sprintf(`#deadlines li.deadline[data-rule=%q]`, rule)
	c.b.WaitFor("the deadline "+rule, fmt.Sprintf(`!!document.querySelector(%q)`, sel))
	article = c.b.Text(sel + " .dl-article")
	if want := rules.MustLookup(rule).Cite().Screen(); article != want {
		c.t.Errorf("the deadline %s cites %q, the API %q", rule, article, want)
	}
	return article, browsertest.Eval[string](c.b, fmt.Sprintf(`(document.querySelector(%q) || {dataset: {}}).dataset.due || ''`, sel+" .dl-due"))
}

func (c casePage) setChecked(sel string, on bool) {
	c.t.Helper()
	browsertest.Eval[bool](c.b, fmt.Sprintf(`(() => { const e = document.querySelector(%q); e.checked = %t; e.dispatchEvent(new Event('change', {bubbles: true})); return true })()`, sel, on))
}

// evidencePNG writes a small photo and returns its path and SHA-256.
// evidenceFile writes a document to upload, returning its path and SHA-256.
func evidenceFile(t *testing.T, name, content string) (string, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(content))
	return path, hex.EncodeToString(sum[:])
}

func evidencePNG(t *testing.T) (string, string) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 48, 32))
	for x := range 48 {
		for y := range 32 {
			img.Set(x, y, color.RGBA{uint8(x * 5), uint8(y * 7), 120, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "现场照片.png")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(buf.Bytes())
	return path, hex.EncodeToString(sum[:])
}

// fillLeadCase opens the new-case form and fills it for a lead reported on 尤溪县醇香酒业商行
// (matter SC-FS-0002), the act ended five days ago; the officers are left as the form ticks them.
func fillLeadCase(b *browsertest.Browser) {
	b.Open("/console/cases#new-case", "cases")
	b.WaitFor("the form", `document.getElementById('new-case').open && document.querySelectorAll('#n-officers input').length >= 2`)
	matter := browsertest.Eval[string](b, `[...document.querySelectorAll('#n-matter option')].find(o => o.textContent.includes('SC-FS-0002')).value`)
	b.SetValue("#n-matter", matter)
	b.SetValue("#n-title", "未查验散装白酒的供货者许可证")
	b.SetValue("#n-party-name", "尤溪县醇香酒业商行")
	b.SetValue("#n-party-uscc", validUSCC("92350426MA2Y9J8K7"))
	b.SetValue("#n-lead-source", "report")
	b.SetValue("#n-lead-summary", "群众举报该商行销售来源不明的散装白酒。")
	b.SetValue("#n-act-ended", chinaDay(-5))
}

// TestCasesScenario is the "done means" in a browser: an officer of 尤溪县市场监督管理局
// opens a case from a lead and walks it by the general procedure to the archive, with the body head
// filing and deciding and the legal reviewer reviewing; each deadline shows with its article; the
// law refuses a team of one, a fine outside the benchmark without a reason, a decision inside the
// hearing window and a penalty heavier than notified, each naming its article; the record's chain
// verifies, and after a row is edited beneath the application it names the broken event.
func TestCasesScenario(t *testing.T) {
	p := startPlatform(t, "sqlite")
	ensureCalendarAhead(t, p)
	b := browsertest.New(t, p.URL)
	allowLocation(t, b)
	loginAs(t, b, officer1)

	// My cases: the demo's cases, with state, next deadline and search.
	b.Open("/console/cases", "cases")
	b.WaitFor("the demo cases", `document.querySelectorAll('#case-list li.case-row').length >= 6`)
	if !browsertest.Eval[bool](b, `document.getElementById('f-mine').checked`) {
		t.Error("an officer's list does not start with his own cases")
	}
	list := b.Text("#case-list")
	for _, want := range []string{"尤溪县惠民超市有限公司", "已告知", "下一期限", "扣押涉嫌超过保质期的食品原料", "行政检查"} {
		if !strings.Contains(list, want) {
			t.Errorf("the list lacks %q:\n%s", want, list)
		}
	}
	b.Shot("cases-01-list")
	b.SetValue("#f-q", "惠民")
	b.Click(`#case-filters button[type="submit"]`)
	b.WaitFor("the search", `document.querySelectorAll('#case-list li.case-row').length === 1 && document.getElementById('case-list').textContent.includes('惠民')`)
	if !strings.Contains(b.Path(), "q=") {
		t.Errorf("the filter is not kept in the address: %s", b.Path())
	}
	b.SetValue("#f-state", "notified")
	b.SetValue("#f-q", "")
	b.Click(`#case-filters button[type="submit"]`)
	b.WaitFor("the state filter", `[...document.querySelectorAll('#case-list li.case-row')].length === 1 && document.querySelector('#case-list li.case-row').dataset.state === 'notified'`)

	// The demo case under investigation shows its evidence-preservation deadline (Art. 56).
	b.Click(`#case-filters button[type="reset"]`)
	b.WaitFor("the reset", `document.querySelectorAll('#case-list li.case-row').length >= 6`)
	b.Click(`#case-list li.case-row[data-state="investigating"] a`)
	b.WaitReady("case")
	demo := casePage{t: t, b: b}
	if art, due := demo.deadline("penalty.evidence_preservation"); !strings.Contains(art, "第56条") || due == "" {
		t.Errorf("the preservation deadline reads %q due %q", art, due)
	}
	if n := browsertest.Eval[int](b, `document.querySelectorAll('#evidence-list li.evidence').length`); n != 1 {
		t.Errorf("the demo case shows %d evidence files, want 1", n)
	}

	// A new case from a lead.
	fillLeadCase(b)
	if n := browsertest.Eval[int](b, `document.querySelectorAll('#n-officers input:checked').length`); n != 1 {
		t.Errorf("%d officers are ticked at first, want the signed-in one", n)
	}
	b.Shot("cases-02-new")
	b.Click("#case-submit")
	b.WaitFor("the new case", `location.pathname.startsWith('/console/cases/') && document.body.dataset.page === 'case' && document.body.dataset.ready === 'true'`)
	c := casePage{t: t, b: b, id: strings.TrimPrefix(browsertest.Eval[string](b, `location.pathname`), "/console/cases/")}
	casePath := "/console/cases/" + c.id
	if c.state() != "lead" || !strings.HasPrefix(b.Text("#case-code"), "ZF350426-") {
		t.Fatalf("the new case is %s, code %s", c.state(), b.Text("#case-code"))
	}
	if head := b.Text("#case-head"); !strings.Contains(head, "尤溪县醇香酒业商行") || !strings.Contains(head, "尤溪县市场监督管理局") {
		t.Errorf("the head reads %q", head)
	}

	// Verify the lead; filing is for the head.
	c.take("verify", "verified", func() {
		b.SetValue("#a-verify-findings", "现场核实：货架上有散装白酒 20 斤，无法提供供货者许可证。")
	})
	if browsertest.Eval[string](b, `document.querySelector('li.next-action[data-action="file"]').dataset.allowed`) != "false" ||
		!strings.Contains(b.Text(`li.next-action[data-action="file"]`), "执法主体负责人") {
		t.Errorf("an officer is offered the filing: %s", b.Text(`li.next-action[data-action="file"]`))
	}
	b.Shot("cases-03-verified")

	// The head files: a team of one is refused (Art. 42); with two certified officers it is filed.
	switchTo(t, b, bodyHead, casePath, "case")
	c.open("file")
	if n := browsertest.Eval[int](b, `document.querySelectorAll('#action-form-file input[name="officer_ids"]:checked').length`); n != 1 {
		t.Fatalf("the filing form starts with %d officers, want the case's team of one", n)
	}
	msg := c.refused("file", "第42条")
	if !strings.Contains(msg, "执法人员不得少于两人") {
		t.Errorf("the refusal reads %q", msg)
	}
	b.Shot("cases-04-refused-officers")
	browsertest.Eval[bool](b, `(() => { for (const i of document.querySelectorAll('#action-form-file input[name="officer_ids"]')) { if (i.closest('label').textContent.includes('张丽萍')) { i.checked = true; i.dispatchEvent(new Event('change', {bubbles: true})); } } return true })()`)
	c.submit("file", "filed")
	if art, due := c.deadline("penalty.decide"); !strings.Contains(art, "行政处罚法") || !strings.Contains(art, "第60条") || due != chinaDay(90) {
		t.Errorf("the time limit reads %q due %q, want Art. 60 due %s", art, due, chinaDay(90))
	}
	if how := b.Text(`li.deadline[data-rule="penalty.decide"]`); !strings.Contains(how, "不顺延") {
		t.Errorf("the time limit does not say how it was counted: %s", how)
	}
	b.Shot("cases-05-filed")

	// The officer investigates on site (the position is recorded), uploads a photo, reports.
	switchTo(t, b, officer1, casePath, "case")
	c.open("investigate")
	b.WaitFor("the position", `document.querySelector('#action-form-investigate .geo-status').dataset.geo !== 'pending'`)
	geo := browsertest.Eval[string](b, `document.querySelector('#action-form-investigate .geo-status').dataset.geo`)
	b.SetValue("#a-investigate-record", "现场检查：散装白酒 20 斤，当事人无法提供供货者许可证和合格证明。")
	c.submit("investigate", "investigating")
	if geo == "ok" {
		if ev := b.Text(`#history li.event[data-action="investigate"]`); !strings.Contains(ev, "26.1702") {
			t.Errorf("the investigation's record lacks the position: %s", ev)
		}
	} else {
		t.Logf("the browser gave no position (%s): the step was recorded without it", geo)
	}
	photo, photoSHA := evidencePNG(t)
	b.Do("choose the photo", chromedp.SetUploadFiles(chromedp.CSS("#ev-file"), []string{photo}))
	b.WaitFor("the title from the file", `document.getElementById('ev-title').value === '现场照片'`)
	b.Click("#ev-submit")
	b.WaitFor("the uploaded photo", fmt.Sprintf(`!!document.querySelector('#evidence-list li.evidence[data-sha=%q]')`, photoSHA))
	if !strings.Contains(b.Text("#evidence-list"), photoSHA) {
		t.Errorf("the evidence list does not show the SHA-256")
	}
	b.Click(`#evidence-list li.evidence[data-sha="` + photoSHA + `"] button.download`)
	b.WaitFor("the downloaded file checked", `!!document.querySelector('#evidence-list .verify-status[data-match]')`)
	if m := browsertest.Eval[string](b, `document.querySelector('#evidence-list .verify-status').dataset.match`); m != "true" {
		t.Errorf("the downloaded file's hash does not match the record")
	}
	b.Shot("cases-06-evidence")
	// The report's answer is lost on the way back: the page says so, and the retry sends the same
	// Idempotency-Key, so the platform records the report once.
	browsertest.Eval[bool](b, `(() => { const real = window.fetch; let lose = true;
		window.fetch = async function (u, o) { const r = await real(u, o);
			if (lose && o && o.method === 'POST' && String(u).endsWith('/actions/report')) { lose = false; throw new TypeError('the answer was lost'); }
			return r; }; return true })()`)
	v := c.version()
	c.open("report")
	b.SetValue("#a-report-facts", "当事人销售的散装白酒未查验供货者许可证和产品合格证明文件，违法事实清楚。")
	b.Click(`#action-form-report button[type="submit"]`)
	b.WaitFor("the lost answer", `(document.querySelector('#action-form-report .refusal') || {dataset: {}}).dataset.status === '0'`)
	key := browsertest.Eval[string](b, `document.getElementById('action-form-report').dataset.idemKey || ''`)
	if key == "" {
		t.Fatal("the form forgot its Idempotency-Key after a lost answer")
	}
	b.Shot("cases-06b-answer-lost")
	b.Click(`#action-form-report button[type="submit"]`)
	b.WaitFor("the retried report", fmt.Sprintf(`document.body.dataset.caseVersion === "%d"`, v+1))
	if res := b.Text("#action-result"); !strings.Contains(res, "重复提交，未重复记录") {
		t.Errorf("the retry is not shown as a replay: %s", res)
	}
	if n := browsertest.Eval[int](b, `document.querySelectorAll('#history li.event[data-action="report"]').length`); n != 1 || c.state() != "reported" {
		t.Errorf("%d report events, state %s: want one, reported", n, c.state())
	}

	// The discretion benchmark: a fine outside its range needs a reason (Art. 34).
	c.open("propose")
	b.WaitFor("the benchmark", `document.getElementById('a-propose-benchmark_id').value !== '' && document.querySelectorAll('#a-propose-circumstance option').length > 1`)
	b.SetValue("#a-propose-circumstance", "一般")
	b.SetValue("#a-propose-penalty-fine_fen", "30000")
	b.WaitFor("the matter's provisions", `document.querySelector('#action-form-propose fieldset.penalty').textContent.includes('《中华人民共和国食品安全法》第一百二十六条第一款第（三）项')`)
	b.WaitFor("the range check", `document.querySelector('#action-form-propose .range').classList.contains('out')`)
	c.refused("propose", "第34条")
	b.Shot("cases-07-refused-benchmark")
	b.SetValue("#a-propose-penalty-fine_fen", "8000")
	b.WaitFor("inside the range", `document.querySelector('#action-form-propose .range').classList.contains('ok')`)
	c.submit("propose", "proposed")

	// The prior notice with the hearing right: its 5-working-day window (Art. 64).
	c.take("notify", "notified", func() { c.setChecked("#a-notify-hearing_right", true) })
	art, hearingDue := c.deadline("penalty.hearing_request")
	if !strings.Contains(art, "第64条") || hearingDue == "" {
		t.Errorf("the hearing window reads %q due %q", art, hearingDue)
	}
	b.Shot("cases-08-notified")

	// The party's written statement and its signed waiver of the hearing are uploaded as evidence:
	// a statement or a waiver is recorded with its document (Art. 44, 45), never by a click.
	statement, statementSHA := evidenceFile(t, "陈述申辩书.txt", "陈述申辩书\n本人系初次违法，已主动下架，请求从轻处罚。\n王某 2025年\n")
	waiver, waiverSHA := evidenceFile(t, "放弃听证声明.pdf", "%PDF-1.4\n本人放弃听证权利。\n")
	for _, f := range []struct{ path, sha string }{{statement, statementSHA}, {waiver, waiverSHA}} {
		b.Do("choose the document", chromedp.SetUploadFiles(chromedp.CSS("#ev-file"), []string{f.path}))
		b.Click("#ev-submit")
		b.WaitFor("the uploaded document", fmt.Sprintf(`!!document.querySelector('#evidence-list li.evidence[data-sha=%q]')`, f.sha))
	}
	statementID := browsertest.Eval[string](b, fmt.Sprintf(`document.querySelector('#evidence-list li.evidence[data-sha=%q]').dataset.id`, statementSHA))

	// A step without a hand-written form gets one from its request schema in the OpenAPI
	// document, with a raw JSON body besides: the party's statement, taken that way.
	browsertest.Eval[bool](b, `(() => { delete ZC.forms.specs.statement; return true })()`)
	c.open("statement")
	if !browsertest.Eval[bool](b, `!!document.querySelector('#action-form-statement textarea[name="raw"]') && !!document.getElementById('a-statement-adopted')`) {
		t.Fatal("the generic form lacks the schema's fields or the raw JSON body")
	}
	b.SetValue("#a-statement-summary", "当事人称系初次违法，已主动下架，请求从轻处罚。")
	b.SetValue("#a-statement-reason", "违法事实清楚，拟处罚款已在裁量基准幅度内，不予采纳。")
	// without its document the statement is refused, naming the field
	b.Click(`#action-form-statement button[type="submit"]`)
	b.WaitFor("the missing document", `(() => { const p = document.querySelector('#action-form-statement [data-field="evidence_id"] .field-error'); return !!p && !p.hidden })()`)
	b.SetValue("#a-statement-evidence_id", statementID)
	c.submit("statement", "notified")
	if ev := b.Text(`#history li.event[data-action="statement"]`); !strings.Contains(ev, "陈述、申辩") {
		t.Errorf("the statement's record reads %q", ev)
	}

	// The head may not decide while the party may still ask for a hearing (Art. 64).
	switchTo(t, b, bodyHead, casePath, "case")
	if blocked := b.Text(`li.next-action[data-action="decide"]`); !strings.Contains(blocked, "今日不能办理") || !strings.Contains(blocked, hearingDue) {
		t.Errorf("the decision is not shown as blocked until %s: %s", hearingDue, blocked)
	}
	c.open("decide")
	c.refused("decide", "第64条")
	b.Shot("cases-09-refused-hearing-window")

	// The party waives the hearing in writing (the signed waiver chosen among the documents); the
	// case goes to legal review.
	switchTo(t, b, officer1, casePath, "case")
	c.take("waive_hearing", "notified", func() {
		if got := browsertest.Eval[string](b, `document.getElementById('a-waive_hearing-evidence_id').selectedOptions[0].textContent`); !strings.Contains(got, "放弃听证声明") {
			t.Errorf("the waiver form offers %q, want the signed waiver", got)
		}
	})
	c.take("submit_review", "in_review", nil)
	switchTo(t, b, reviewer, casePath, "case")
	// The opinion starts empty: the reviewer writes it.
	c.open("pass_review")
	if v := browsertest.Eval[string](b, `document.getElementById('a-pass_review-reason').value`); v != "" {
		t.Errorf("the reviewer's opinion is pre-filled: %q", v)
	}
	b.SetValue("#a-pass_review-reason", "事实清楚，证据确凿，程序合法，适用依据正确，同意。")
	c.submit("pass_review", "reviewed")

	// The head decides: heavier than notified is refused (Art. 45); as notified it is decided.
	switchTo(t, b, bodyHead, casePath, "case")
	c.open("decide")
	if fine := browsertest.Eval[string](b, `document.getElementById('a-decide-penalty-fine_fen').value`); fine != "8000" {
		t.Errorf("the decision starts from a fine of %q, want the notified 8000", fine)
	}
	b.SetValue("#a-decide-penalty-fine_fen", "9000")
	if msg := c.refused("decide", "第45条"); !strings.Contains(msg, "重于告知") {
		t.Errorf("the refusal reads %q", msg)
	}
	b.Shot("cases-10-refused-heavier")
	b.SetValue("#a-decide-penalty-fine_fen", "8000")
	c.submit("decide", "decided")
	if art, due := c.deadline("penalty.delivery"); !strings.Contains(art, "第61条") || due == "" {
		t.Errorf("the delivery deadline reads %q due %q", art, due)
	}
	if d := b.Text(`li.next-action[data-action="serve"]`); !strings.Contains(d, "第61条") {
		t.Errorf("the next step does not show its deadline and article: %s", d)
	}
	b.Shot("cases-11-decided")

	// The officer serves the decision, records the payment, closes and archives. The serve form
	// asks, by method, what the Civil Procedure Law needs: for a public notice its reason,
	// attempts, day and place (Art. 95), for post the return receipt's date (Art. 91).
	switchTo(t, b, officer1, casePath, "case")
	c.open("serve")
	visible := func(field string) bool {
		return browsertest.Eval[bool](b, fmt.Sprintf(`(() => { const e = document.querySelector('#action-form-serve [data-field=%q]'); return !!e && !e.closest('[hidden]') })()`, field))
	}
	b.SetValue("#a-serve-method", "public_notice")
	browsertest.Eval[bool](b, `(() => { document.getElementById('a-serve-method').dispatchEvent(new Event('change', {bubbles: true})); return true })()`)
	if !visible("public_notice.published_on") || !visible("public_notice.attempts") || visible("receipt_on") || visible("witnesses") {
		t.Error("the public notice form does not show its own fields only")
	}
	b.Shot("cases-11b-serve-public-notice")
	b.SetValue("#a-serve-method", "direct")
	browsertest.Eval[bool](b, `(() => { document.getElementById('a-serve-method').dispatchEvent(new Event('change', {bubbles: true})); return true })()`)
	if visible("public_notice.published_on") || !visible("receipt") {
		t.Error("the direct service form shows the public notice's fields")
	}
	c.submit("serve", "served")
	if art, due := c.deadline("penalty.payment"); !strings.Contains(art, "第67条") || due == "" {
		t.Errorf("the payment deadline reads %q due %q", art, due)
	}
	b.Shot("cases-12-served")
	c.take("pay", "paid", func() { b.SetValue("#a-pay-receipt", "财政电子票据 3504260000123") })
	c.take("close", "closed", nil)
	c.take("archive", "archived", nil)
	steps := browsertest.Eval[[]string](b, `[...document.querySelectorAll('#history li.event')].map(e => e.dataset.action).reverse()`)
	want := []string{"create", "verify", "file", "investigate", "add_evidence", "report", "propose", "notify", "add_evidence", "add_evidence", "statement", "waive_hearing", "submit_review", "pass_review", "decide", "serve", "pay", "close", "archive"}
	if strings.Join(steps, " ") != strings.Join(want, " ") {
		t.Errorf("the record holds %v, want %v", steps, want)
	}

	// The chain verifies; after an event is edited beneath the application, it names that event.
	if v := verifyChain(b); v != "true" || !strings.Contains(b.Text("#chain-result"), "记录完整") {
		t.Errorf("the chain of the walked case: %s", b.Text("#chain-result"))
	}
	b.Shot("cases-13-archived-verified")
	err := tenants.RunInTx(context.Background(), p.App.DB, tenants.System("test: tamper with the record"), func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE case_events SET content = replace(content, '20 斤', '2 斤') WHERE case_id = ? AND seq = 2`, c.id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	browsertest.Eval[bool](b, `(() => { delete document.getElementById('chain-result').dataset.valid; return true })()`)
	b.Click("#verify-chain")
	b.WaitFor("the second verification", `document.getElementById('chain-result').dataset.valid === 'false'`)
	if seq := browsertest.Eval[string](b, `document.getElementById('chain-result').dataset.brokenSeq`); seq != "2" {
		t.Errorf("the broken event is #%s, want #2: %s", seq, b.Text("#chain-result"))
	}
	b.Shot("cases-14-chain-broken")

	// The archived case is found by its code.
	code := b.Text("#case-code")
	b.Open("/console/cases?mine=0&q="+url.QueryEscape(code), "cases")
	b.WaitFor("the case by its code", fmt.Sprintf(`document.querySelectorAll('#case-list li.case-row').length === 1 && document.querySelector('#case-list li.case-row').dataset.code === %q`, code))
	b.CheckClean()
}

// TestCasesMobile checks the case pages at a phone's width (375 px): the list, the new-case form, a
// case's detail with an action form open and the evidence form; nothing is wider than the screen.
func TestCasesMobile(t *testing.T) {
	p := startPlatform(t, "sqlite")
	b := browsertest.New(t, p.URL)
	b.EmulatePhone()
	loginAs(t, b, officer1)
	check := func(name string) {
		t.Helper()
		b.CheckPhoneWidth(name, "cases-mobile-"+name)
	}

	b.Open("/console/cases", "cases")
	b.WaitFor("the demo cases", `document.querySelectorAll('#case-list li.case-row').length >= 6`)
	check("list")
	b.Click("#new-case summary")
	b.WaitFor("the new-case form", `document.getElementById('new-case').open && document.querySelectorAll('#n-officers input').length > 0`)
	check("new-case")

	for _, st := range []string{"lead", "in_force", "inspected", "served", "notified", "investigating"} {
		b.Open("/console/cases?state="+st+"&mine=0", "cases")
		b.WaitFor("the "+st+" case", `document.querySelectorAll('#case-list li.case-row').length >= 1`)
		b.Click(`#case-list li.case-row a`)
		b.WaitReady("case")
		b.WaitFor("the deadlines", `document.querySelectorAll('#deadlines li').length > 0`)
		check("case-" + st)
	}
	// The notified case: the statement with its document, and the written waiver.
	c := casePage{t: t, b: b}
	b.Open("/console/cases?state=notified&mine=0", "cases")
	b.Click(`#case-list li.case-row a`)
	b.WaitReady("case")
	c.open("statement")
	check("case-statement-form")
	c.open("waive_statement")
	check("case-waiver-form")
	b.Open("/console/cases?state=investigating&mine=0", "cases")
	b.Click(`#case-list li.case-row a`)
	b.WaitReady("case")
	// The investigating case: an action form and the evidence form, open.
	c.open("report")
	check("case-report-form")
	if browsertest.Eval[bool](b, `document.getElementById('evidence-form').hidden`) {
		t.Error("the evidence form is hidden while evidence may be added")
	}

	// On the phone: the inspection is concluded with an order to correct, and the seizure is
	// handled by the head and closed by the officer.
	b.Open("/console/cases?state=inspected&mine=0", "cases")
	b.Click(`#case-list li.case-row a`)
	b.WaitReady("case")
	c.take("conclude", "correcting", func() {
		b.SetValue("#a-conclude-outcome", "correction_ordered")
		b.SetValue("#a-conclude-findings", "两名从业人员健康证明过期，责令限期办理。")
		b.SetValue("#a-conclude-correct_by", chinaDay(10))
		b.SetValue("#a-conclude-violated", "《中华人民共和国食品安全法》第四十五条第一款")
	})
	check("case-correcting")
	b.Open("/console/cases?state=in_force&mine=0", "cases")
	b.Click(`#case-list li.case-row a`)
	b.WaitReady("case")
	seizure := browsertest.Eval[string](b, `location.pathname`)
	if art, due := c.deadline("coercion.seizure_term"); !strings.Contains(art, "行政强制法") || !strings.Contains(art, "第25条") || due == "" {
		t.Errorf("the seizure term reads %q due %q", art, due)
	}
	switchTo(t, b, bodyHead, seizure, "case")
	c.take("handle", "handled", func() {
		b.SetValue("#a-handle-handling", "confiscate")
		b.SetValue("#a-handle-reason", "经检验不符合食品安全标准，予以没收。")
	})
	switchTo(t, b, officer1, seizure, "case")
	c.take("close", "closed", func() { b.SetValue("#a-close-reason", "已作出没收处理决定，案件办结。") })
	check("case-closed")
	b.CheckClean()
}
