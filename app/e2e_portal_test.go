package app_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"
	"github.com/uptrace/bun"

	"zhifa/app"
	"zhifa/app/browsertest"
	"zhifa/app/testenv"
	"zhifa/config"
	"zhifa/modules/payments"
	"zhifa/modules/portal"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

// The portal tests are the citizen portal's "done means" in headless Chromium at a phone's width,
// against the whole platform with its demo: the party opens the case code of a decision (the
// verification page's link, which the decision's QR code carries), proves to be the party,
// follows the case, consents to e-delivery, pays (simulated), downloads the fiscal e-receipt,
// evaluates the enforcement and applies for reconsideration of its other case; the officer sees
// each of these on the case; another citizen sees nothing. And the same payment through Stripe
// Checkout (stripe-mock), the browser stopped at Stripe's door and the signed webhook delivered
// by the test.

const (
	// citizenOther is a citizen who is not the party of the demo citizen's cases.
	citizenOther = "citizen2@demo.zhifa"
	// partyProof is the demo citizen's proof: the last six characters of 王小明's resident ID.
	partyProof        = "152318"
	portalPayTitle    = "未经登记从事食品摊贩经营" // ¥2,000, handed over in person, no consent
	portalAppealTitle = "销售超过保质期的饮料"   // ¥5,000, delivered to the inbox
	portalCounty      = "350426"
	// portalMailbox is where the demo body's applications for reconsideration go (a body setting).
	portalMailbox = "xzfy@youxi.demo.zhifa"
)

// portalCase is one of the demo citizen's cases as the officer's API reads it.
type portalCase struct {
	ID, Code, DecisionID, DecisionNumber, PayDue string
}

// demoCitizenCases finds the demo citizen's two cases through the officer's API, by title.
func demoCitizenCases(t *testing.T, p *platform, officerTok string) map[string]portalCase {
	t.Helper()
	found := p.do(http.MethodGet, "/api/v1/cases?q=王小明", officerTok, "", nil)
	list, _ := found.Body["cases"].([]any)
	out := map[string]portalCase{}
	for _, x := range list {
		m := x.(map[string]any)
		d := p.do(http.MethodGet, "/api/v1/cases/"+m["id"].(string), officerTok, "", nil)
		facts, _ := d.Body["facts"].(map[string]any)
		c := portalCase{ID: m["id"].(string)}
		c.Code, _ = d.Body["code"].(string)
		if dec, ok := facts["decision"].(map[string]any); ok {
			c.DecisionNumber, _ = dec["number"].(string)
		}
		if del, ok := facts["delivery"].(map[string]any); ok {
			c.PayDue, _ = del["payment_due"].(string)
		}
		docs, _ := facts["documents"].([]any)
		for _, doc := range docs {
			if dm := doc.(map[string]any); dm["kind"] == "penalty_decision" {
				c.DecisionID, _ = dm["id"].(string)
			}
		}
		out[m["title"].(string)] = c
	}
	for _, title := range []string{portalPayTitle, portalAppealTitle} {
		if c := out[title]; c.Code == "" || c.DecisionID == "" || c.DecisionNumber == "" || c.PayDue == "" {
			t.Fatalf("the demo citizen's case %s: %+v (found %s)", title, c, found.Raw)
		}
	}
	return out
}

// portalSignIn signs in on the portal's dev login page, shown in place of the page asked for,
// and waits until the browser is back at next with page ready.
func portalSignIn(t *testing.T, b *browsertest.Browser, email, next, page string) {
	t.Helper()
	b.WaitReady("login")
	if got := b.Path(); got != "/portal/login?next="+url.QueryEscape(next) {
		t.Fatalf("signed out, %s shows %s, want the portal's sign-in page", next, got)
	}
	if !strings.Contains(b.Text("#devlogin-title"), "开发登录 DEV") {
		t.Errorf("the dev login is not marked: %q", b.Text("#devlogin-title"))
	}
	b.Click(fmt.Sprintf(`#dev-citizens button[data-email=%q]`, email))
	b.WaitFor("back at "+next, fmt.Sprintf(`location.pathname + location.search === %q && document.body.dataset.page === %q && document.body.dataset.ready === "true"`, next, page))
}

// portalLookUp submits the lookup form with code and proof. It returns "" when the case opened,
// or the refusal shown.
func portalLookUp(t *testing.T, b *browsertest.Browser, code, proof string) string {
	t.Helper()
	b.SetValue("#lookup-code", code)
	b.SetValue("#lookup-proof", proof)
	browsertest.Eval[bool](b, `(() => { const s = document.getElementById('lookup-status'); s.textContent = ''; s.className = 'status'; return true })()`)
	b.Click("#lookup-submit")
	b.WaitFor("the lookup's answer", `document.body.dataset.page === 'case' && document.body.dataset.ready === 'true' ||
		!!document.querySelector('#lookup-status.form-error')`)
	if browsertest.Eval[string](b, `document.body.dataset.page`) == "case" {
		return ""
	}
	return b.Text("#lookup-status")
}

// fetchInPage downloads href in the page, with the page's session, as a person's click on the link
// would, and returns the PDF and its Content-Disposition.
func fetchInPage(t *testing.T, b *browsertest.Browser, href string) ([]byte, string) {
	t.Helper()
	var got struct {
		B64         string `json:"b64"`
		Disposition string `json:"disposition"`
	}
	expr := fmt.Sprintf(`fetch(%q, {credentials: 'same-origin'}).then(async r => {
		if (!r.ok || r.headers.get('Content-Type') !== 'application/pdf') throw new Error('HTTP ' + r.status + ' ' + r.headers.get('Content-Type'));
		let s = ''; for (const x of new Uint8Array(await r.arrayBuffer())) s += String.fromCharCode(x);
		return JSON.stringify({b64: btoa(s), disposition: r.headers.get('Content-Disposition') || ''}); })`, href)
	b.Do("download "+href, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		s, err := chromedp.Evaluate[string](expr, chromedp.EvalAwaitPromise)(ctx, tg)
		if err != nil {
			return err
		}
		return json.Unmarshal([]byte(s), &got)
	}))
	pdf, err := base64.StdEncoding.DecodeString(got.B64)
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("%s is not a PDF (%d bytes): %v", href, len(pdf), err)
	}
	return pdf, got.Disposition
}

// paymentRow reads a payment's row as the platform keeps it (the provider's session and
// address, which no API shows), beneath the application.
func paymentRow(t *testing.T, p *platform, id string) *payments.Payment {
	t.Helper()
	row := new(payments.Payment)
	err := tenants.RunInTx(context.Background(), p.App.DB, tenants.System("test: read the payment's Checkout Session"), func(ctx context.Context, tx bun.Tx) error {
		return tx.NewSelect().Model(row).Where("p.id = ?", id).Scan(ctx)
	})
	if err != nil {
		t.Fatalf("the payment %s: %v", id, err)
	}
	return row
}

// partyPayments lists a case's payments as the party sees them.
func partyPayments(t *testing.T, p *platform, tok, caseID string) []map[string]any {
	t.Helper()
	r := p.do(http.MethodGet, "/api/v1/portal/cases/"+caseID+"/payments", tok, "", nil)
	if r.Status != http.StatusOK {
		t.Fatalf("the case's payments: %d %s", r.Status, r.Raw)
	}
	var out []map[string]any
	for _, x := range r.Body["payments"].([]any) {
		out = append(out, x.(map[string]any))
	}
	return out
}

// mailFor returns the subject and PDF attachment of the first message to addr whose subject
// contains want, waiting for it; on a time-out it names the messages that did arrive.
func mailFor(t *testing.T, sink *testenv.SMTPServer, addr, want string) (string, []byte) {
	t.Helper()
	p := sink.Await(t, "e-mail to "+addr+" about "+want, 30*time.Second, func(m testenv.SMTPMessage) bool {
		p := m.Parse(t)
		return len(m.To) == 1 && m.To[0] == addr && strings.Contains(p.Subject, want) && len(p.PDF) > 0
	}).Parse(t)
	return p.Subject, p.PDF
}

// TestPortalScenario is the "done means" on the embedded default (SQLite, simulated
// payments, the dev login), with a real worker on a real Redis for the tasks (the receipt, its
// delivery, the application's e-mail) and a real SMTP server on loopback: the demo citizen opens
// the code on the decision handed over in person, is refused with a wrong proof exactly as with
// an unknown code, proves, follows the case, signs the consent (inbox and e-mail), pays on the
// simulated page, downloads the receipt and finds it in the inbox and the mailbox, evaluates
// once; applies for reconsideration of the other case, which is sent and tracked; the officer
// sees all of it on the two cases, whose chains verify; the other citizen sees nothing.
func TestPortalScenario(t *testing.T) {
	p, sink := startMailingPlatform(t) // the receipt, its delivery and the application's e-mail are tasks
	if !p.App.Config.Payments.Simulate || !p.App.Config.Identity.DevLogin {
		t.Fatal("the embedded default pays by simulation and has the dev login")
	}
	officerTok, citizenTok := p.login(officer1), p.login(citizenDemo)
	cs := demoCitizenCases(t, p, officerTok)
	pay, appeal := cs[portalPayTitle], cs[portalAppealTitle]

	// The party scans the QR code of the decision handed over in person: the verification page
	// confirms the decision and links the portal with the case code.
	b := browsertest.New(t, p.URL)
	b.EmulatePhone()
	b.Navigate("/verify/" + pay.DecisionID + "?case=" + pay.Code)
	b.WaitFor("the verdict", `!!document.getElementById('verdict') && !!document.querySelector('#portal-link a')`)
	if st := browsertest.Eval[string](b, `document.getElementById('verdict').dataset.status`); st != "authentic" {
		t.Errorf("the decision verifies as %q", st)
	}
	if href := browsertest.Eval[string](b, `document.querySelector('#portal-link a').getAttribute('href')`); href != "/portal/c/"+pay.Code {
		t.Errorf("the verification page links %q, want /portal/c/%s", href, pay.Code)
	}
	b.Shot("portal-00-verify")
	b.Click("#portal-link a")
	portalSignIn(t, b, citizenDemo, "/portal/c/"+pay.Code, "lookup")
	if got := browsertest.Eval[string](b, `document.getElementById('lookup-code').value`); got != pay.Code {
		t.Errorf("the lookup shows the code %q, want %s", got, pay.Code)
	}
	if n := browsertest.Eval[int](b, `document.querySelectorAll('#my-cases .case-item').length`); n != 0 {
		t.Errorf("before any proof the citizen has %d cases", n)
	}
	b.CheckPhoneWidth("the lookup page", "portal-01-lookup")

	// A wrong proof is refused with the very answer an unknown code gets; the right one opens the case.
	wrong := portalLookUp(t, b, pay.Code, "152319")
	if !strings.Contains(wrong, "案件不存在或身份信息不符") || !strings.Contains(wrong, "identity does not match") || strings.Contains(wrong, "王小明") {
		t.Errorf("a wrong proof reads %q", wrong)
	}
	b.Shot("portal-02-wrong-proof")
	unknown := portalLookUp(t, b, "ZF350426-2025-7K3M9QXA2BR", partyProof)
	if unknown != wrong {
		t.Errorf("an unknown code reads %q, a wrong proof %q: the answers must not tell them apart", unknown, wrong)
	}
	if portalLookUp(t, b, strings.ToLower(pay.Code), strings.ToLower(partyProof)) != "" {
		t.Fatal("the right proof did not open the case")
	}
	if got := b.Path(); got != "/portal/cases/"+pay.ID {
		t.Fatalf("the proof opened %s, want /portal/cases/%s", got, pay.ID)
	}

	// The case: its status, the decision, the deadline to pay (Art. 67) and the documents.
	if b.Text("#case-title") != portalPayTitle || b.Text("#case-code") != pay.Code || b.Text("#case-party") != "王小明" {
		t.Errorf("the case reads %q %q %q", b.Text("#case-title"), b.Text("#case-code"), b.Text("#case-party"))
	}
	if st := b.Text("#case-state"); !strings.Contains(st, "送达") {
		t.Errorf("the case's state reads %q", st)
	}
	if dec := b.Text("#decision"); !strings.Contains(dec, pay.DecisionNumber) || !strings.Contains(dec, "Penalties罚款") || !strings.Contains(dec, "¥2,000.00") || !strings.Contains(dec, pay.PayDue) {
		t.Errorf("the decision reads %q (number %s, due %s)", dec, pay.DecisionNumber, pay.PayDue)
	}
	if dl := b.Text(`#deadlines li.deadline[data-key="payment"]`); !strings.Contains(dl, pay.PayDue) || !strings.Contains(dl, "行政处罚法") || !strings.Contains(dl, "67") {
		t.Errorf("the deadline to pay reads %q, want %s under Art. 67", dl, pay.PayDue)
	}
	if doc := b.Text(fmt.Sprintf(`#documents li.document[data-id=%q]`, pay.DecisionID)); !strings.Contains(doc, pay.DecisionNumber) || !strings.Contains(doc, "下载") {
		t.Errorf("the decision in the documents reads %q", doc)
	}
	decisionPDF, disposition := fetchInPage(t, b, browsertest.Eval[string](b, fmt.Sprintf(`document.querySelector('#documents a.doc-download[data-id=%q]').getAttribute('href')`, pay.DecisionID)))
	if !strings.Contains(pdfToText(t, decisionPDF), "行政处罚决定书") || !strings.HasPrefix(disposition, "attachment") {
		t.Errorf("the decision downloads as %q and does not read as a decision", disposition)
	}

	// The consent to e-delivery: inbox and e-mail.
	if s := browsertest.Eval[string](b, `document.getElementById('consent-current').dataset.signed`); s != "false" {
		t.Errorf("the consent shows signed=%s before it is signed", s)
	}
	b.Click("#consent-ch-email")
	b.SetValue("#consent-email", app.DemoCitizenEmail)
	b.Click("#consent-submit")
	b.WaitFor("the consent signed", `document.getElementById('consent-current').dataset.signed === 'true'`)
	if c := b.Text("#consent-current"); !strings.Contains(c, "门户收件箱") || !strings.Contains(c, app.DemoCitizenEmail) || !strings.Contains(c, chinaDay(0)) {
		t.Errorf("the consent reads %q", c)
	}

	// The quote: the fine, no surcharge before the deadline, with its basis.
	b.WaitFor("the quote", `!document.getElementById('quote').hidden`)
	if pr, su, to, ba := b.Text("#quote-principal"), b.Text("#quote-surcharge"), b.Text("#quote-total"), b.Text("#quote-basis"); pr != "¥2,000.00" || su != "¥0.00" || to != "¥2,000.00" ||
		!strings.Contains(ba, pay.PayDue) || !strings.Contains(ba, "《行政处罚法》第67条") {
		t.Errorf("the quote reads %s + %s = %s (%s)", pr, su, to, ba)
	}
	b.CheckPhoneWidth("the case page", "portal-03-case")

	// Pay: the simulated payment page is plainly marked, confirm, and back on the payment page.
	b.Click("#pay-submit")
	b.WaitFor("the simulated payment page", `location.pathname.startsWith('/portal/pay/simulate/') && !!document.querySelector('button.confirm')`)
	if banner := b.Text(".banner"); !strings.Contains(banner, "模拟支付 SIMULATION") || !strings.Contains(banner, "不会真实扣款") {
		t.Errorf("the simulated page's banner reads %q", banner)
	}
	if total := b.Text("tr.total"); !strings.Contains(total, "2,000.00") {
		t.Errorf("the simulated page charges %q", total)
	}
	if code := b.Text("table"); !strings.Contains(code, pay.Code) {
		t.Errorf("the simulated page does not name the case: %q", code)
	}
	b.Shot("portal-04-simulated")
	b.Click("button.confirm")
	b.WaitReady("payment")
	if got := b.Path(); got != "/portal/cases/"+pay.ID+"/payment?result=success" {
		t.Errorf("the payment returned to %s", got)
	}
	b.WaitFor("the payment confirmed", `document.getElementById('payment').dataset.paid === 'true' && document.getElementById('payment-result').hidden`)
	if li := b.Text(`#payment-list li.payment[data-status="paid"]`); !strings.Contains(li, "¥2,000.00") || !strings.Contains(li, "已缴纳") || !strings.Contains(li, "模拟") {
		t.Errorf("the payment reads %q", li)
	}
	b.WaitFor("the receipt", `document.getElementById('payment').dataset.receipt === 'true' && !!document.querySelector('#payment-list a.receipt-download')`)
	b.CheckPhoneWidth("the payment page", "portal-05-paid")

	// The fiscal e-receipt downloads as a PDF that says what it is, how much, and that it is simulated.
	paid := partyPayments(t, p, citizenTok, pay.ID)
	if len(paid) != 1 || paid[0]["status"] != "paid" || paid[0]["simulated"] != true || paid[0]["receipt_document_id"] == nil {
		t.Fatalf("the case's payments: %v", paid)
	}
	receiptID, receiptNumber := paid[0]["receipt_document_id"].(string), paid[0]["receipt_number"].(string)
	if link := b.Text("#payment-list a.receipt-download"); !strings.Contains(link, receiptNumber) {
		t.Errorf("the receipt's link reads %q, want its number %s", link, receiptNumber)
	}
	receipt, disposition := fetchInPage(t, b, browsertest.Eval[string](b, `document.querySelector('#payment-list a.receipt-download').getAttribute('href')`))
	if !strings.HasPrefix(disposition, "attachment") {
		t.Errorf("the receipt is sent as %q", disposition)
	}
	text := pdfToText(t, receipt)
	for _, want := range []string{"财政电子票据", "2,000.00", "贰仟元整", "王小明", "模拟", receiptNumber} {
		if !strings.Contains(text, want) {
			t.Errorf("the receipt lacks %q: %s", want, text)
		}
	}

	// The receipt is served under the consent (a task after the one that issued it): in the
	// portal inbox and by e-mail.
	poll(t, "the receipt served to the inbox", 30*time.Second, func() bool {
		r := p.do(http.MethodGet, "/api/v1/portal/inbox", citizenTok, "", nil)
		items, _ := r.Body["items"].([]any)
		return slices.ContainsFunc(items, func(it any) bool { return it.(map[string]any)["document_id"] == receiptID })
	})
	b.Open("/portal/inbox", "inbox")
	b.WaitFor("the receipt in the inbox", fmt.Sprintf(`!!document.querySelector('li.inbox-item[data-document=%q]')`, receiptID))
	if it := b.Text(fmt.Sprintf(`li.inbox-item[data-document=%q]`, receiptID)); !strings.Contains(it, receiptNumber) || !strings.Contains(it, pay.Code) {
		t.Errorf("the inbox item reads %q", it)
	}
	b.Click(fmt.Sprintf(`li.inbox-item[data-document=%q] button`, receiptID))
	b.WaitFor("the inbox copy checked", fmt.Sprintf(`(document.querySelector('li.inbox-item[data-document=%q] .verify-status') || {dataset: {}}).dataset.match === 'true'`, receiptID))
	b.CheckPhoneWidth("the inbox", "portal-06-inbox")
	if _, mailed := mailFor(t, sink, app.DemoCitizenEmail, "财政电子票据"); !bytes.Equal(mailed, receipt) {
		t.Errorf("the e-mailed receipt is not the downloaded one (%d bytes, want %d)", len(mailed), len(receipt))
	}

	// The evaluation: a rating and a comment, once.
	b.Open("/portal/cases/"+pay.ID, "case")
	if !browsertest.Eval[bool](b, `document.getElementById('pay-submit').hidden`) || !strings.Contains(b.Text("#pay-status"), "罚款已缴清") {
		t.Errorf("the paid case reads %q", b.Text("#pay-status"))
	}
	if li := b.Text(`#payments li.payment[data-status="paid"]`); !strings.Contains(li, receiptNumber) {
		t.Errorf("the case's payment reads %q", li)
	}
	if doc := b.Text(fmt.Sprintf(`#documents li.document[data-id=%q]`, receiptID)); !strings.Contains(doc, receiptNumber) {
		t.Errorf("the receipt among the documents reads %q", doc)
	}
	const comment = "执法人员态度规范，告知清楚。"
	b.Click("#rating-4")
	b.SetValue("#evaluate-comment", comment)
	b.Click("#evaluate-submit")
	b.WaitFor("the evaluation recorded", `!document.getElementById('evaluation-done').hidden`)
	if done := b.Text("#evaluation-done"); !strings.Contains(done, "4 分") || !strings.Contains(done, comment) {
		t.Errorf("the evaluation reads %q", done)
	}
	b.Open("/portal/cases/"+pay.ID, "case")
	if !browsertest.Eval[bool](b, `document.getElementById('evaluate-form').hidden && !document.getElementById('evaluation-done').hidden`) {
		t.Error("the evaluated case offers a second evaluation")
	}
	if r := p.do(http.MethodPost, "/api/v1/portal/cases/"+pay.ID+"/evaluation", citizenTok, "", map[string]any{"rating": 1, "comment": "再评一次"}); r.Status != http.StatusConflict {
		t.Errorf("a second evaluation: %d %s", r.Status, r.Raw)
	}
	b.Shot("portal-07-evaluated")

	// The other case: proved as well, the application for reconsideration pre-filled from the
	// decision; the party adds its reason and submits; it is sent to the reconsideration body
	// and tracked; the surcharge does not accrue while it is pending.
	b.Open("/portal/c/"+appeal.Code, "lookup")
	if n := browsertest.Eval[int](b, fmt.Sprintf(`document.querySelectorAll('#my-cases .case-item[data-id=%q]').length`, pay.ID)); n != 1 {
		t.Errorf("my cases lists the paid case %d times", n)
	}
	if portalLookUp(t, b, appeal.Code, partyProof) != "" {
		t.Fatal("the proof did not open the other case")
	}
	b.WaitFor("the pre-filled application", `!document.getElementById('reconsider-form').hidden`)
	if open := browsertest.Eval[string](b, `document.getElementById('reconsider-open').dataset.open`); open != "true" {
		t.Errorf("the application is not open: %s", b.Text("#reconsider-open"))
	}
	// The page cites the period's article as the API gives it, and no other.
	view := p.do(http.MethodGet, "/api/v1/portal/cases/"+appeal.ID, citizenTok, "", nil)
	recon, _ := view.Body["case"].(map[string]any)["reconsideration"].(map[string]any)
	if art, _ := recon["article"].(string); art != rules.MustLookup(rules.RemedyReconsideration).Cite().Screen() ||
		pageCites(b.Text("#reconsider-open")) != art {
		t.Errorf("the reconsideration reads %q, the API's article %q", b.Text("#reconsider-open"), art)
	}
	form := browsertest.Eval[map[string]string](b, `Object.fromEntries(['rc-applicant', 'rc-respondent', 'rc-decision-number', 'rc-request', 'rc-reasons', 'rc-authority']
		.map(id => [id, document.getElementById(id).value]))`)
	if form["rc-applicant"] != "王小明" || !strings.Contains(form["rc-respondent"], "尤溪县市场监督管理局") || form["rc-decision-number"] != appeal.DecisionNumber ||
		form["rc-request"] == "" || form["rc-authority"] == "" {
		t.Errorf("the pre-filled application: %v", form)
	}
	if su, late := b.Text("#quote-surcharge"), b.Text("#quote-late-days"); su != "¥0.00" || late != "0" {
		t.Errorf("before applying the quote reads %s surcharge, %s days late", su, late)
	}
	const reason = "当事人已于发现当日将过期饮料下架，货值仅36元，且系初次违法，请求撤销处罚决定。"
	b.SetValue("#rc-reasons", form["rc-reasons"]+"\n"+reason)
	b.Click("#reconsider-submit")
	b.WaitFor("the application tracked", `!document.getElementById('reconsider-track').hidden && document.getElementById('reconsider-form').hidden`)
	if sub := b.Text("#track-submitted"); !strings.Contains(sub, "已提交") || !strings.Contains(sub, form["rc-authority"]) {
		t.Errorf("the application reads %q", sub)
	}
	subject, applicationPDF := mailFor(t, sink, portalMailbox, "行政复议申请")
	if at := pdfToText(t, applicationPDF); !strings.Contains(at, "行政复议申请书") || !strings.Contains(at, strings.Join(strings.Fields(reason), "")) || !strings.Contains(at, appeal.DecisionNumber) {
		t.Errorf("the application e-mailed (%s) reads %s", subject, at)
	}
	poll(t, "the application sent", 30*time.Second, func() bool {
		r := p.do(http.MethodGet, "/api/v1/portal/cases/"+appeal.ID+"/reconsideration", citizenTok, "", nil)
		return r.Body["status"] == "sent"
	})
	b.Open("/portal/cases/"+appeal.ID, "case")
	if st := browsertest.Eval[string](b, `document.getElementById('reconsider-track').dataset.status`); st != "sent" {
		t.Errorf("the application shows %q", st)
	}
	tracked := p.do(http.MethodGet, "/api/v1/portal/cases/"+appeal.ID+"/reconsideration", citizenTok, "", nil)
	pause, _ := tracked.Body["pause_article"].(string)
	if sent, dec := b.Text("#track-sent"), b.Text("#track-decided"); !strings.Contains(sent, "已发送") || !strings.Contains(sent, portalMailbox) ||
		!strings.Contains(dec, "审理中") || !strings.Contains(dec, "不计算加处罚款") || pause != "《行政处罚法》第72条第2款" || pageCites(dec) != pause {
		t.Errorf("the application's track reads %q / %q, the API's article %q", sent, dec, pause)
	}
	if !browsertest.Eval[bool](b, `!document.getElementById('reconsider-pdf').hidden`) {
		t.Error("the application cannot be downloaded")
	}
	if su, late := b.Text("#quote-surcharge"), b.Text("#quote-late-days"); su != "¥0.00" || late != "0" {
		t.Errorf("with the reconsideration pending the quote reads %s surcharge, %s days late", su, late)
	}
	b.Shot("portal-08-reconsideration")
	b.CheckClean()

	// At a desktop's width the portal's pages keep one reading column, the header and the
	// navigation lined up with it.
	b.Do("a desktop window", chromedp.EmulateViewport(1280, 900))
	for _, pg := range []struct{ path, page, shot string }{
		{"/portal/cases/" + pay.ID, "case", "portal-08b-case-1280"}, {portal.InboxPath, "inbox", "portal-08c-inbox-1280"}} {
		b.Open(pg.path, pg.page)
		cols := browsertest.Eval[[]int](b, `['main', '.topbar-inner', '.mainnav ul'].map(s => Math.round(document.querySelector(s).getBoundingClientRect().width))`)
		if cols[0] > 768 || cols[0] != cols[1] || cols[1] != cols[2] {
			t.Errorf("%s at 1280 px: page, header and navigation %v px wide, want one column of at most 768", pg.path, cols)
		}
		b.Shot(pg.shot)
	}

	// The officer sees each of these on the cases, and their records verify.
	o := browsertest.New(t, p.URL)
	loginAs(t, o, officer1)
	o.Open("/console/cases/"+pay.ID, "case")
	for _, action := range []string{"consent_signed", "payment_received", "receipt_issued", "evaluated"} {
		o.WaitFor("the record's "+action, fmt.Sprintf(`!!document.querySelector('#history li.event[data-action=%q]')`, action))
	}
	if on := o.Text(`#facts .online-payment`); !strings.Contains(on, "¥2,000.00") || !strings.Contains(on, "模拟") || !strings.Contains(on, receiptNumber) {
		t.Errorf("the officer sees the payment as %q", on)
	}
	if !browsertest.Eval[bool](o, fmt.Sprintf(`!!document.querySelector('#document-list li.document[data-id=%q]')`, receiptID)) {
		t.Error("the receipt is not among the case's documents")
	}
	facts := o.Text("#facts")
	for _, want := range []string{"当事人评议", "★★★★☆", comment, "在线缴纳"} {
		if !strings.Contains(facts, want) {
			t.Errorf("the case's facts lack %q: %s", want, facts)
		}
	}
	if st := browsertest.Eval[string](o, `document.body.dataset.caseState`); st != "paid" {
		t.Errorf("the officer sees the paid case %s", st)
	}
	if v := verifyChain(o); v != "true" {
		t.Errorf("the paid case's chain: %s", o.Text("#chain-result"))
	}
	o.Shot("portal-09-officer-paid")
	o.Open("/console/cases/"+appeal.ID, "case")
	for _, action := range []string{"reconsideration_applied", "reconsideration_sent"} {
		o.WaitFor("the record's "+action, fmt.Sprintf(`!!document.querySelector('#history li.event[data-action=%q]')`, action))
	}
	if facts := o.Text("#facts"); !strings.Contains(facts, "行政复议") || !strings.Contains(facts, "当事人在线申请") || !strings.Contains(facts, "加处罚款暂停计算") {
		t.Errorf("the officer does not see the pending reconsideration: %s", facts)
	}
	if v := verifyChain(o); v != "true" {
		t.Errorf("the appealed case's chain: %s", o.Text("#chain-result"))
	}
	o.Shot("portal-10-officer-reconsideration")
	o.CheckClean()

	// Another citizen opening the same code sees nothing of the case, without a proof or with a
	// wrong one.
	other := browsertest.New(t, p.URL)
	other.EmulatePhone()
	other.Navigate("/portal/c/" + pay.Code)
	portalSignIn(t, other, citizenOther, "/portal/c/"+pay.Code, "lookup")
	seen := func(when string) {
		t.Helper()
		shown := browsertest.Eval[string](other, `document.body.innerText`)
		for _, secret := range []string{portalPayTitle, "王小明", pay.DecisionNumber, "2,000"} {
			if strings.Contains(shown, secret) {
				t.Errorf("%s the other citizen sees %q", when, secret)
			}
		}
		if n := browsertest.Eval[int](other, `document.querySelectorAll('#my-cases .case-item').length`); n != 0 {
			t.Errorf("%s the other citizen has %d cases", when, n)
		}
	}
	seen("without a proof")
	// The same answer but for the attempts left, which count the code's failures: one more since
	// the first citizen's wrong proof.
	if refused, want := portalLookUp(t, other, pay.Code, "000000"), strings.NewReplacer("还可尝试 4 次", "还可尝试 3 次", "attempts left: 4", "attempts left: 3").Replace(wrong); refused != want {
		t.Errorf("the other citizen's wrong proof reads %q, want %q", refused, want)
	}
	seen("after a wrong proof")
	other.Shot("portal-11-other-citizen")
	otherTok := p.login(citizenOther)
	for _, path := range []string{"/api/v1/portal/cases/" + pay.ID, "/api/v1/portal/cases/" + pay.ID + "/payments",
		"/api/v1/portal/cases/" + pay.ID + "/documents/" + receiptID + "/pdf"} {
		if r := p.do(http.MethodGet, path, otherTok, "", nil); r.Status != http.StatusNotFound {
			t.Errorf("the other citizen GET %s: %d %s", path, r.Status, r.Raw)
		}
	}
	other.Navigate("/portal/cases/" + pay.ID)
	seen("at the case's address")
	other.CheckClean()
}

// TestPortalStripeRedirect: with the county's own Stripe account (set by its operator, shown
// masked) and Stripe's API answered by stripe-mock, pressing pay sends the browser to the
// Checkout Session's page on checkout.stripe.com, which the test stops before it leaves the
// machine; Stripe's signed checkout.session.completed webhook marks the payment paid, once, and
// the success page shows it.
func TestPortalStripeRedirect(t *testing.T) {
	mock := testenv.StripeMock(t)
	p := startPlatform(t, "sqlite", func(c *config.Config) {
		c.Payments.Simulate = false
		c.Payments.StripeAPIURL = mock.URL
	})
	const (
		secretKey     = "sk_test_51ZhifaYouxiCountyAccount0000000000"
		publishable   = "pk_test_51ZhifaYouxiCountyAccount0000000000"
		webhookSecret = "whsec_ZhifaYouxiCountyWebhookSecret0000"
	)
	op := p.login(youxiOp)
	for key, value := range map[string]string{payments.SettingSecretKey: secretKey, payments.SettingPublishableKey: publishable, payments.SettingWebhookSecret: webhookSecret} {
		r := p.do(http.MethodPut, "/api/v1/settings/"+key, op, "", map[string]any{"value": value})
		if r.Status != http.StatusOK {
			t.Fatalf("set %s: %d %s", key, r.Status, r.Raw)
		}
		if secret := key != payments.SettingPublishableKey; secret && strings.Contains(string(r.Raw), value) {
			t.Errorf("setting %s answers it in clear: %s", key, r.Raw)
		}
	}
	settings := p.do(http.MethodGet, "/api/v1/settings", op, "", nil)
	shown := map[string]string{}
	for _, s := range settings.Body["settings"].([]any) {
		m := s.(map[string]any)
		if v, ok := m["value"].(string); ok && strings.HasPrefix(m["key"].(string), "payments.") {
			shown[m["key"].(string)] = v
			if m["source"] != portalCounty {
				t.Errorf("%s comes from %v, want the county", m["key"], m["source"])
			}
		}
	}
	if shown[payments.SettingSecretKey] != "sk_test_…0000" || shown[payments.SettingWebhookSecret] != "whsec_…0000" || shown[payments.SettingPublishableKey] != publishable ||
		strings.Contains(string(settings.Raw), secretKey) || strings.Contains(string(settings.Raw), webhookSecret) {
		t.Errorf("the settings show %v", shown)
	}
	citizenTok := p.login(citizenDemo)
	pay := demoCitizenCases(t, p, p.login(officer1))[portalPayTitle]

	var checkoutURL string // the Checkout page the browser was sent to, stopped before it was sent
	b := browsertest.New(stoppedRequest{TB: t, url: &checkoutURL}, p.URL)
	b.EmulatePhone()
	b.Navigate("/portal/c/" + pay.Code)
	portalSignIn(t, b, citizenDemo, "/portal/c/"+pay.Code, "lookup")
	if portalLookUp(t, b, pay.Code, partyProof) != "" {
		t.Fatal("the proof did not open the case")
	}
	b.WaitFor("the quote", `!document.getElementById('quote').hidden && !document.getElementById('pay-submit').hidden`)

	// Pressing pay sends the browser to Stripe Checkout: the navigation is stopped before it is
	// sent (Fetch domain, request stage), so nothing leaves the machine.
	b.Do("pay, and stop the browser at Stripe's door", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		paused, failed := cdp.Events(ctx, tg, fetch.RequestPaused), cdp.Events(ctx, tg, network.LoadingFailed)
		if _, err := cdp.Call(ctx, tg, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{
			{URLPattern: "https://checkout.stripe.com/*", RequestStage: fetch.RequestStageRequest}}}); err != nil {
			return err
		}
		if _, err := chromedp.Click(chromedp.CSS("#pay-submit"))(ctx, tg); err != nil {
			return err
		}
		var stopped network.RequestID
		for ev, err := range paused {
			if err != nil {
				return err
			}
			checkoutURL, stopped = ev.Request.URL, ev.NetworkID
			if _, err := cdp.Call(ctx, tg, fetch.FailRequest, fetch.FailRequestParams{RequestID: ev.RequestID, ErrorReason: network.ErrorReasonBlockedByClient}); err != nil {
				return err
			}
			break
		}
		for ev, err := range failed {
			if err != nil {
				return err
			}
			if ev.RequestID == stopped {
				if ev.ErrorText != "net::ERR_BLOCKED_BY_CLIENT" {
					return fmt.Errorf("the navigation to %s failed with %s, not as stopped", checkoutURL, ev.ErrorText)
				}
				break
			}
		}
		_, err := cdp.Call(ctx, tg, fetch.Disable, cdp.Empty{})
		return err
	}))
	list := partyPayments(t, p, citizenTok, pay.ID)
	if len(list) != 1 || list[0]["status"] != "pending" || list[0]["simulated"] != false || list[0]["total_fen"] != float64(200000) {
		t.Fatalf("after checkout the case's payments: %v", list)
	}
	paymentID := list[0]["id"].(string)
	row := paymentRow(t, p, paymentID)
	u, err := url.Parse(checkoutURL)
	if err != nil || u.Scheme != "https" || u.Host != "checkout.stripe.com" || checkoutURL != row.CheckoutURL || !strings.HasPrefix(row.SessionID, "cs_test_") {
		t.Fatalf("the browser was sent to %q; the Checkout Session %s is at %q", checkoutURL, row.SessionID, row.CheckoutURL)
	}
	if row.SuccessURL != p.URL+"/portal/cases/"+pay.ID+"/payment?result=success" || row.Currency != "cny" {
		t.Errorf("the session returns to %s in %s", row.SuccessURL, row.Currency)
	}

	// Stripe's webhook: the session completed and paid, signed with the county's secret.
	payload, err := json.Marshal(map[string]any{
		"id": "evt_test_" + strings.ReplaceAll(paymentID, "-", ""), "object": "event", "api_version": stripe.APIVersion, "created": time.Now().Unix(),
		"livemode": false, "type": "checkout.session.completed",
		"data": map[string]any{"object": map[string]any{
			"id": row.SessionID, "object": "checkout.session", "status": "complete", "payment_status": "paid", "mode": "payment",
			"amount_total": row.TotalFen, "currency": "cny", "client_reference_id": paymentID, "payment_intent": "pi_test_youxi0001",
			"metadata": map[string]string{"tenant_id": portalCounty, "case_id": pay.ID, "payment_id": paymentID},
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	deliver := func(secret string) reply {
		t.Helper()
		signed := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: secret, Timestamp: time.Now()})
		return p.do(http.MethodPost, "/api/v1/payments/webhook/"+portalCounty, "", "", signed.Payload, "Stripe-Signature", signed.Header)
	}
	if r := deliver("whsec_not_the_county_s"); r.Status != http.StatusBadRequest {
		t.Errorf("a webhook signed with another secret: %d %s", r.Status, r.Raw)
	}
	if r := deliver(webhookSecret); r.Status != http.StatusOK || r.Body["outcome"] != "paid" {
		t.Fatalf("the webhook: %d %s", r.Status, r.Raw)
	}
	if r := deliver(webhookSecret); r.Status != http.StatusOK || r.Body["outcome"] != "duplicate" {
		t.Errorf("the webhook delivered again: %d %s", r.Status, r.Raw)
	}

	// Back from Stripe at the success address: the page shows the payment paid, not simulated.
	b.Open(strings.TrimPrefix(row.SuccessURL, p.URL), "payment")
	b.WaitFor("the payment confirmed", `document.getElementById('payment').dataset.paid === 'true'`)
	if li := b.Text(`#payment-list li.payment[data-status="paid"]`); !strings.Contains(li, "¥2,000.00") || !strings.Contains(li, "已缴纳") || strings.Contains(li, "模拟") {
		t.Errorf("the payment reads %q", li)
	}
	if st := b.Text("#payment-status"); !strings.Contains(st, "已确认到账") {
		t.Errorf("the payment page says %q", st)
	}
	b.CheckPhoneWidth("the payment page", "portal-12-stripe-paid")
	if paid := paymentRow(t, p, paymentID); paid.Status != payments.StatusPaid || paid.Simulated || paid.Reference != "pi_test_youxi0001" {
		t.Errorf("the payment is %s (simulated %t, reference %s)", paid.Status, paid.Simulated, paid.Reference)
	}
	b.CheckClean()
}

// stoppedRequest is the test as a Browser sees it: every failure passes on, except CheckClean's
// report of the request to *url as one that left the machine. Chromium announces a request
// (Network.requestWillBeSent, which the Browser records) before the Fetch domain pauses it, so
// the navigation to Stripe Checkout is recorded although the test failed it before it was sent;
// that one request, and only it, is not counted.
type stoppedRequest struct {
	testing.TB
	url *string
}

func (s stoppedRequest) Errorf(format string, args ...any) {
	s.TB.Helper()
	msg := fmt.Sprintf(format, args...)
	if *s.url != "" && msg == "request to a non-local host: "+*s.url {
		s.TB.Logf("stopped before it was sent, not counted as leaving the machine: %s", *s.url)
		return
	}
	s.TB.Errorf("%s", msg)
}
