package app_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/uuid"

	"zhifa/app"
	"zhifa/app/browsertest"
	"zhifa/app/testenv"
	"zhifa/config"
	"zhifa/jobs"
)

// The documents test is issue 4's "done means" in a browser, against the whole platform with its
// demo, a real SMTP server on loopback as the platform's mail server, and a real worker on a real
// Redis: the market regulation body's admin customises the penalty decision template and
// publishes it; an officer serves the prior notice and the body head decides, in the browser; the
// decision is issued with the customised wording (HTML and PDF); the party, who consented to
// delivery by inbox and e-mail, finds it in the portal inbox and receives it by e-mail with the
// PDF attached; the case shows it served with the time of arrival on its verified chain; the
// public verification page confirms the document, and a copy with one byte changed fails.

const (
	bodyAdmin   = "youxi.admin@demo.zhifa"
	citizenDemo = "citizen@demo.zhifa"
	// e2eHeader is the wording the admin adds to the decision's header in the test.
	e2eHeader = "尤溪县市场监督管理局　文书样式二〇二六版"
)

// pdfToText extracts a PDF's text with pdftotext, without white space.
func pdfToText(t *testing.T, pdf []byte) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(f, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(testenv.Tool(t, "pdftotext"), "-raw", "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), "")
}

// startWorker runs the platform's worker (the outbox relay and the task server) until the test ends.
func startWorker(t *testing.T, a *app.App) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	w := jobs.NewWorker(jobs.WorkerConfig{Backend: a.Jobs, DB: a.DB, Mux: a.Mux, Concurrency: 4, RelayEvery: 100 * time.Millisecond,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx, jobs.RunOptions{Worker: true}) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("worker: %v", err)
		}
	})
}

// startMailingPlatform starts the platform on SQLite with a worker on a real Redis and a real SMTP
// server on loopback as its mail server, and returns both.
func startMailingPlatform(t *testing.T) (*platform, *testenv.SMTPServer) {
	t.Helper()
	sink := testenv.SMTPSink(t)
	redisAddr := testenv.Redis(t)
	p := startPlatform(t, "sqlite", func(c *config.Config) {
		c.Redis.Addr = redisAddr
		c.Delivery.SMTP = config.SMTP{Host: sink.Host, Port: sink.Port, From: "songda@scjg.yx.gov.cn", TLSMode: config.SMTPNoTLS, Timeout: 5 * time.Second}
	})
	startWorker(t, p.App)
	return p, sink
}

// poll calls f until it reports true or the time is up.
func poll(t *testing.T, what string, within time.Duration, f func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !f() {
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: timed out", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestDocumentsDeliveryScenario(t *testing.T) {
	p, sink := startMailingPlatform(t)
	ensureCalendarAhead(t, p)
	officerTok, headTok, citizenTok := p.login(officer1), p.login(bodyHead), p.login(citizenDemo)
	me := p.do(http.MethodGet, "/api/v1/me", citizenTok, "", nil)
	citizenID, _ := me.Body["identity_id"].(string)
	bodies := p.do(http.MethodGet, "/api/v1/bodies?q=1135042609960308UA", officerTok, "", nil)
	bodyList, _ := bodies.Body["bodies"].([]any)
	if citizenID == "" || len(bodyList) != 1 {
		t.Fatalf("the citizen %s, the body %s", me.Raw, bodies.Raw)
	}
	bodyID := bodyList[0].(map[string]any)["id"].(string)

	// The body admin customises the penalty decision template: a draft of the version in effect
	// with the body's own header wording, previewed with a real case, published as a new version.
	b := browsertest.New(t, p.URL)
	loginAs(t, b, bodyAdmin)
	b.Open("/console/templates?type=penalty_decision&body_id="+bodyID, "templates")
	b.WaitFor("the versions", `document.querySelectorAll('#versions tbody tr').length > 0 && !document.getElementById('copy-effective').hidden`)
	before := browsertest.Eval[int](b, `document.querySelectorAll('#versions tbody tr').length`)
	b.Click("#copy-effective")
	b.WaitFor("the draft", `!document.getElementById('editor-card').hidden && document.getElementById('tpl-source').value.includes('{{.party.name}}')`)
	browsertest.Eval[bool](b, fmt.Sprintf(`(() => { const s = document.getElementById('tpl-source');
		s.value = s.value.replace('<hr class="red">', '<p class="center bold">%s</p>\n<hr class="red">'); return true })()`, e2eHeader))
	b.SetValue("#tpl-title", "行政处罚决定书（二〇二六版）")
	b.Click("#save")
	b.WaitFor("the draft saved", `!document.querySelector('#editor .form-ok').hidden`)
	b.WaitFor("a case to preview with", `document.querySelectorAll('#preview-case option').length > 1`)
	served := browsertest.Eval[string](b, `[...document.querySelectorAll('#preview-case option')].find(o => o.textContent.includes('王建国')).value`)
	b.SetValue("#preview-case", served)
	b.Click("#preview-html")
	b.WaitFor("the preview", `!document.getElementById('preview-card').hidden && document.getElementById('preview').textContent.includes('王建国')`)
	if txt := b.Text("#preview"); !strings.Contains(txt, e2eHeader) {
		t.Errorf("the preview lacks the new header: %s", txt)
	}
	b.Shot("documents-01-template-preview")
	browsertest.Eval[bool](b, `(() => { window.confirm = () => true; return true })()`)
	b.Click("#publish")
	b.WaitFor("the new version", fmt.Sprintf(`document.getElementById('page-status').textContent.includes('已发布') &&
		document.querySelectorAll('#versions tbody tr').length === %d && !document.querySelector('#versions tbody tr .badge-draft')`, before+1))
	if first := b.Text("#versions tbody tr"); !strings.Contains(first, "二〇二六版") || !strings.Contains(first, "生效中") {
		t.Errorf("the newest version reads %q", first)
	}
	b.Shot("documents-02-template-published")

	// An officer opens a case of the demo citizen (through the API: the browser walk of a new case
	// is the case tests'), and takes it to the decision in the browser with the body head; the
	// citizen consents to delivery by inbox and e-mail before the prior notice.
	key := func() []string { return []string{"Idempotency-Key", uuid.NewString()} }
	team := []string{}
	offs := p.do(http.MethodGet, "/api/v1/officers?body_id="+bodyID+"&limit=200", officerTok, "", nil)
	for _, o := range offs.Body["officers"].([]any) {
		if n := o.(map[string]any)["name"]; n == "李明辉" || n == "张丽萍" {
			team = append(team, o.(map[string]any)["id"].(string))
		}
	}
	matters := p.do(http.MethodGet, "/api/v1/matters?q=SC-FS-0004", officerTok, "", nil).Body["matters"].([]any)
	if len(matters) != 1 {
		t.Fatalf("the demo matter SC-FS-0004: %v", matters)
	}
	created := p.do(http.MethodPost, "/api/v1/cases", officerTok, "", map[string]any{"kind": "penalty_general", "body_id": bodyID,
		"title": "销售无中文标签的进口食品", "officer_ids": team, "matter_id": matters[0].(map[string]any)["id"], "on": chinaDay(0), "act_ended_on": chinaDay(-3),
		"party": map[string]any{"kind": "person", "name": "王小明", "id_number": validResidentID("35042619880315231"),
			"address": "福建省三明市尤溪县城关镇水东路88号", "phone": "13905981234"},
		"lead": map[string]any{"source": "complaint", "received_on": chinaDay(0), "summary": "消费者投诉当事人销售无中文标签的进口饼干。"}}, key()...)
	caseID, _ := created.Body["case"].(map[string]any)["id"].(string)
	if created.Status != http.StatusCreated || caseID == "" || len(team) != 2 {
		t.Fatalf("the case: %d %s (team %v)", created.Status, created.Raw, team)
	}
	casePath := "/console/cases/" + caseID
	allowLocation(t, b)
	switchTo(t, b, officer1, casePath, "case")
	c := casePage{t: t, b: b, id: caseID}
	c.take("verify", "verified", func() {
		b.SetValue("#a-verify-findings", "现场核实：货架上有无中文标签的进口饼干 20 盒。")
	})
	switchTo(t, b, bodyHead, casePath, "case")
	c.take("file", "filed", nil)
	switchTo(t, b, officer1, casePath, "case")
	c.open("investigate")
	b.WaitFor("the position", `document.querySelector('#action-form-investigate .geo-status').dataset.geo !== 'pending'`)
	b.SetValue("#a-investigate-record", "现场检查：无中文标签的进口饼干 20 盒，货值 300 元，当事人在场。")
	c.submit("investigate", "investigating")
	c.take("report", "reported", func() {
		b.SetValue("#a-report-facts", "当事人销售无中文标签的进口预包装食品 20 盒，货值 300 元。")
		b.SetValue("#a-report-evidence", "现场检查笔录、询问笔录、进货单据")
	})
	c.take("propose", "proposed", func() {
		b.SetValue("#a-propose-penalty-fine_fen", "1000")
		// the matter's provisions, from the law database, pre-fill the violated provision and the basis
		b.WaitFor("the provisions", `(() => { const t = document.querySelector('#action-form-propose fieldset.penalty').textContent;
			return t.includes('《中华人民共和国食品安全法》第九十七条') && t.includes('《中华人民共和国食品安全法》第一百二十五条第一款第（四）项') })()`)
		b.SetValue("#a-propose-outside_reason", "货值较小，初次违法，从轻处罚。")
	})
	if r := p.do(http.MethodPost, "/api/v1/cases/"+caseID+"/delivery-consent", officerTok, "", map[string]any{"channels": []string{"inbox", "email"},
		"email": app.DemoCitizenEmail, "citizen_id": citizenID, "signed_on": chinaDay(0)}); r.Status != http.StatusCreated {
		t.Fatalf("the consent: %d %s", r.Status, r.Raw)
	}
	b.Open(casePath, "case")
	c.take("notify", "notified", nil)
	b.WaitFor("the prior notice listed", `!!document.querySelector('#document-list li.document[data-type="prior_notice"]')`)
	// the party waives its statement in writing, so that the decision may follow at once (Art. 44, 45)
	waiver := uploadDocument(t, p, officerTok, caseID, chinaDay(0), "当事人放弃陈述、申辩的书面声明")
	takeStep(t, p, officerTok, caseID, "waive_statement", map[string]any{"evidence_id": waiver})
	switchTo(t, b, bodyHead, casePath, "case")
	c.open("decide")
	if browsertest.Eval[bool](b, `!!document.getElementById('a-decide-number')`) {
		t.Error("the decision form asks for a number: the platform numbers decisions")
	}
	c.submit("decide", "decided")
	b.WaitFor("the decision listed", `!!document.querySelector('#document-list li.document[data-type="penalty_decision"]')`)
	b.Shot("documents-03-decided")
	docID := browsertest.Eval[string](b, `document.querySelector('#document-list li.document[data-type="penalty_decision"]').dataset.id`)
	doc := p.do(http.MethodGet, "/api/v1/documents/"+docID, headTok, "", nil)
	number, _ := doc.Body["number"].(string)
	if !strings.HasPrefix(number, "尤市监罚〔") || doc.Body["template_version"] != float64(2) || doc.Body["case_id"] != caseID {
		t.Fatalf("the decision document: %s", doc.Raw)
	}
	detail := p.do(http.MethodGet, "/api/v1/cases/"+caseID, headTok, "", nil)
	if dec := detail.Body["facts"].(map[string]any)["decision"].(map[string]any); dec["number"] != number {
		t.Errorf("the decision's number %v, its document's %s", dec["number"], number)
	}

	// The document renders with the customised wording: the page, the HTML and the PDF.
	b.Click(`#document-list li.document[data-type="penalty_decision"] a`)
	b.WaitReady("document")
	b.WaitFor("the rendered document", `!!document.querySelector('#doc-view article.zdoc')`)
	view := b.Text("#doc-view")
	for _, want := range []string{e2eHeader, "王小明", number, "罚款人民币壹仟元整", "自收到本决定书之日起十五日内", "尤溪县人民政府", "尤溪县人民法院", "中国农业银行尤溪县支行"} {
		if !strings.Contains(view, want) {
			t.Errorf("the document page lacks %q", want)
		}
	}
	b.Shot("documents-04-document")
	pdfReply := p.do(http.MethodGet, "/api/v1/documents/"+docID+"/pdf", headTok, "", nil)
	pdf := pdfReply.Raw
	text := pdfToText(t, pdf)
	for _, want := range []string{e2eHeader, "行政处罚决定书", number, "王小明", "《中华人民共和国食品安全法》第一百二十五条第一款第（四）项", "六十日", "六个月"} {
		if !strings.Contains(text, strings.Join(strings.Fields(want), "")) {
			t.Errorf("pdftotext lacks %q in %s", want, text)
		}
	}

	// The party receives it: in the portal inbox, and by e-mail with the PDF attached.
	var item map[string]any
	poll(t, "the inbox item", 30*time.Second, func() bool {
		r := p.do(http.MethodGet, "/api/v1/portal/inbox", citizenTok, "", nil)
		items, _ := r.Body["items"].([]any)
		for _, it := range items {
			if m := it.(map[string]any); m["document_id"] == docID {
				item = m
				return true
			}
		}
		return false
	})
	sum := sha256.Sum256(pdf)
	if item["sha256"] != hex.EncodeToString(sum[:]) || item["number"] != number {
		t.Errorf("the inbox item %v", item)
	}
	inboxPDF := p.do(http.MethodGet, "/api/v1/portal/inbox/"+item["id"].(string)+"/pdf", citizenTok, "", nil)
	if !bytes.Equal(inboxPDF.Raw, pdf) {
		t.Errorf("the inbox's PDF is not the document (%d bytes, want %d)", len(inboxPDF.Raw), len(pdf))
	}
	switchTo(t, b, citizenDemo, "/portal/inbox", "inbox")
	b.WaitFor("the decision in the portal inbox", fmt.Sprintf(`!!document.querySelector('li.inbox-item[data-document=%q]')`, docID))
	if txt := b.Text(fmt.Sprintf(`li.inbox-item[data-document=%q]`, docID)); !strings.Contains(txt, number) || !strings.Contains(txt, "行政处罚决定书") {
		t.Errorf("the inbox shows %q", txt)
	}
	if browsertest.Eval[bool](b, `!document.body.classList.contains('portal') || !!document.querySelector('a[href^="/console"]')`) {
		t.Error("the party's inbox is not the portal's page, or links the staff console")
	}
	b.Click(fmt.Sprintf(`li.inbox-item[data-document=%q] button`, docID))
	b.WaitFor("the downloaded copy checked", fmt.Sprintf(`(document.querySelector('li.inbox-item[data-document=%q] .verify-status') || {dataset: {}}).dataset.match === 'true'`, docID))
	b.Shot("documents-04b-portal-inbox")
	var attached []byte
	poll(t, "the e-mail", 30*time.Second, func() bool {
		for _, m := range sink.Messages() {
			if len(m.To) == 1 && m.To[0] == app.DemoCitizenEmail {
				if p := m.Parse(t); strings.Contains(p.Subject, "行政处罚决定书") && bytes.Equal(p.PDF, pdf) {
					attached = p.PDF
					return true
				}
			}
		}
		return false
	})
	if len(attached) == 0 {
		t.Fatal("no e-mail carries the decision")
	}

	// The case is served, with the arrival on its chain, and the chain verifies.
	var facts map[string]any
	poll(t, "the case served", 30*time.Second, func() bool {
		r := p.do(http.MethodGet, "/api/v1/cases/"+caseID, officerTok, "", nil)
		facts, _ = r.Body["facts"].(map[string]any)
		return r.Body["state"] == "served"
	})
	del := facts["delivery"].(map[string]any)
	if del["method"] != "electronic" || del["document_id"] != docID || del["at"] == nil || del["served_on"] != chinaDay(0) || del["payment_due"] == nil {
		t.Errorf("the service %v", del)
	}
	switchTo(t, b, officer1, casePath, "case")
	b.WaitFor("the arrivals in the record", `document.querySelectorAll('#history li.event[data-action="delivered"]').length >= 1`)
	if ev := b.Text(`#history li.event[data-action="delivered"]`); !strings.Contains(ev, "文书送达到达") || !strings.Contains(ev, "到达时间") {
		t.Errorf("the arrival reads %q", ev)
	}
	if c.state() != "served" {
		t.Errorf("the page shows the case %s", c.state())
	}
	b.Click("#verify-chain")
	b.WaitFor("the chain verified", `document.getElementById('chain-result').dataset.valid === 'true'`)
	b.Shot("documents-05-served")

	// The public verification page confirms the document; a copy with one byte changed fails.
	b.Navigate("/verify/" + docID)
	b.WaitFor("the verdict", `!!document.getElementById('verdict')`)
	if st := browsertest.Eval[string](b, `document.getElementById('verdict').dataset.status`); st != "authentic" {
		t.Errorf("the verification page says %q", b.Text("#verdict"))
	}
	if v := b.Text("#verdict"); !strings.Contains(v, "真实有效") || !strings.Contains(v, number) || strings.Contains(v, "王小明") {
		t.Errorf("the verdict reads %q", v)
	}
	b.Shot("documents-06-verified")
	tampered := bytes.Clone(pdf)
	tampered[len(tampered)/2] ^= 0x01
	file := filepath.Join(t.TempDir(), "收到的决定书.pdf")
	if err := os.WriteFile(file, tampered, 0o600); err != nil {
		t.Fatal(err)
	}
	b.Do("choose the copy", chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{file}))
	b.Click(`form button[type="submit"]`)
	b.WaitFor("the verdict on the copy", `!!document.getElementById('verdict') && document.getElementById('verdict').dataset.status !== 'authentic'`)
	if v := b.Text("#verdict"); !strings.Contains(v, "已被改动") {
		t.Errorf("the tampered copy's verdict reads %q", v)
	}
	b.Shot("documents-07-tampered")
	if r := p.do(http.MethodPost, "/api/v1/verify?id="+docID, "", "", attached, "Content-Type", "application/pdf"); r.Body["valid"] != true {
		t.Errorf("the e-mailed copy does not verify: %s", r.Raw)
	}
	if r := p.do(http.MethodPost, "/api/v1/verify?id="+docID, "", "", tampered, "Content-Type", "application/pdf"); r.Body["valid"] != false || r.Body["status"] != "altered" {
		t.Errorf("the tampered copy: %s", r.Raw)
	}
	b.CheckClean()
}

// TestDemoDocumentsDelivered: in the embedded default (no mail server: e-mail is written to the
// log), the demo's body has its own penalty decision template, and the demo citizen's decision
// was delivered to the inbox and by e-mail and served.
func TestDemoDocumentsDelivered(t *testing.T) {
	p := startPlatform(t, "sqlite")
	officer := p.login(officer1)
	admin := p.login(bodyAdmin)
	found := p.do(http.MethodGet, "/api/v1/cases?q=王小明", officer, "", nil)
	list, _ := found.Body["cases"].([]any)
	var c map[string]any
	for _, x := range list {
		if x.(map[string]any)["title"] == "销售超过保质期的饮料" {
			c = x.(map[string]any)
		}
	}
	if len(list) != 2 || c == nil {
		t.Fatalf("the demo citizen's cases (the inbox-delivered one and the one to pay in the portal): %s", found.Raw)
	}
	if c["state"] != "served" {
		t.Errorf("the demo citizen's case is %v", c["state"])
	}
	d := p.do(http.MethodGet, "/api/v1/cases/"+c["id"].(string)+"/deliveries", officer, "", nil)
	routes := map[string]map[string]any{}
	for _, dl := range d.Body["deliveries"].([]any) {
		if dl.(map[string]any)["document_kind"] != "penalty_decision" {
			continue
		}
		for _, r := range dl.(map[string]any)["routes"].([]any) {
			routes[r.(map[string]any)["channel"].(string)] = r.(map[string]any)
		}
	}
	if routes["inbox"]["status"] != "delivered" || routes["email"]["status"] != "delivered" || !strings.Contains(fmt.Sprint(routes["email"]["reply"]), "logged") {
		t.Errorf("the decision's routes %v", routes)
	}
	inbox := p.do(http.MethodGet, "/api/v1/portal/inbox", p.login(citizenDemo), "", nil)
	if items, _ := inbox.Body["items"].([]any); len(items) != 1 || items[0].(map[string]any)["document_kind"] != "penalty_decision" {
		t.Errorf("the citizen's inbox %s", inbox.Raw)
	}
	tpl := p.do(http.MethodGet, "/api/v1/document-templates?type=penalty_decision&body_id="+c["body_id"].(string), admin, "", nil)
	if !strings.Contains(string(tpl.Raw), `"level":"body"`) || tpl.Body["effective"] == "platform:penalty_decision:1" {
		t.Errorf("the body's template: %s", tpl.Raw)
	}
}
