package portal_test

import (
	"bytes"
	"net/http"
	"os/exec"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/app/testenv"
	"zhifa/modules/cases"
	"zhifa/modules/delivery"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/payments"
	"zhifa/modules/portal"
	"zhifa/tenants"
)

// TestConsent: the party signs the consent in the portal: its inbox is the signed-in account,
// the day today; the case's record gets EntryConsentSigned in the same transaction; a bad
// address is refused with its field named and records nothing; a second consent is a conflict.
func TestConsent(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		pc, acc := w.claimedCase(t)
		path := "/api/v1/portal/cases/" + pc.ID + "/consent"

		a := w.call("POST", path, acc, "", portal.ConsentInput{Channels: []delivery.Channel{delivery.ChannelInbox, delivery.ChannelEmail}, Email: "zhangsan@localhost"})
		if e := a.errorOf(t); a.status != http.StatusBadRequest || len(e.Fields) != 1 || e.Fields[0].Field != "email" {
			t.Fatalf("bad e-mail: %d %s", a.status, a.body)
		}
		if n := len(w.entries(t, pc.ID)); n != 0 {
			t.Fatalf("a refused consent recorded %d entries", n)
		}

		a = w.call("POST", path, acc, "", portal.ConsentInput{Channels: []delivery.Channel{delivery.ChannelInbox, delivery.ChannelEmail, delivery.ChannelSMS},
			Email: "ZhangSan@Example.CN", Mobile: "+86 138 0013 8000"})
		if a.status != http.StatusCreated {
			t.Fatalf("sign: %d %s", a.status, a.body)
		}
		var con delivery.Consent
		a.json(t, &con)
		if con.CitizenID != acc || con.SignedOn != "2025-10-29" || con.Email != "ZhangSan@example.cn" || con.Mobile != "13800138000" || len(con.Channels) != 3 {
			t.Fatalf("consent %+v", con)
		}
		ent := w.entries(t, pc.ID)
		if len(ent) != 1 || ent[0].Kind != cases.EntryConsentSigned || ent[0].Ref != con.ID || ent[0].On != "2025-10-29" {
			t.Fatalf("entries %+v", ent)
		}
		staff, err := w.del.Consents(ctx, dbtest.Scope(w.a, "officer", authz.Officer), pc.ID)
		noErr(t, err)
		if staff.Active == nil || staff.Active.ID != con.ID || staff.Active.RecordedBy != acc {
			t.Fatalf("the officer sees %+v", staff)
		}
		if a := w.call("POST", path, acc, "", portal.ConsentInput{Channels: []delivery.Channel{delivery.ChannelInbox}}); a.status != http.StatusConflict {
			t.Fatalf("second consent: %d %s", a.status, a.body)
		}
		var got portal.CaseReply
		w.call("GET", "/api/v1/portal/cases/"+pc.ID, acc, "", nil).json(t, &got)
		if got.Consent == nil || got.Consent.ID != con.ID || got.InboxURL != "/portal/inbox" {
			t.Fatalf("case reply %+v", got)
		}
	})
}

// TestEvaluation: a rating of 1 to 5 and a comment of at most 500 characters, once per case,
// entered on the case's record.
func TestEvaluation(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		pc, acc := w.claimedCase(t)
		path := "/api/v1/portal/cases/" + pc.ID + "/evaluation"
		for _, bad := range []portal.EvaluationInput{{Rating: 0}, {Rating: 6}, {Rating: 5, Comment: strings.Repeat("好", 501)}} {
			if a := w.call("POST", path, acc, "", bad); a.status != http.StatusBadRequest {
				t.Errorf("%d stars, %d characters: %d", bad.Rating, len([]rune(bad.Comment)), a.status)
			}
		}
		a := w.call("POST", path, acc, "", portal.EvaluationInput{Rating: 4, Comment: strings.Repeat("好", 500)})
		if a.status != http.StatusCreated {
			t.Fatalf("evaluate: %d %s", a.status, a.body)
		}
		var ev portal.Evaluation
		a.json(t, &ev)
		if ev.Rating != 4 || ev.EvaluatedOn != "2025-10-29" {
			t.Fatalf("evaluation %+v", ev)
		}
		ent := w.entries(t, pc.ID)
		if len(ent) != 1 || ent[0].Kind != cases.EntryEvaluated || ent[0].Ref != ev.ID || ent[0].Data["rating"] != float64(4) {
			t.Fatalf("entries %+v", ent)
		}
		// Once per case, whoever asks: a second account that proved too is refused.
		acc2 := uuid.NewString()
		w.claim(t, acc2, pc)
		for _, who := range []string{acc, acc2} {
			if a := w.call("POST", path, who, "", portal.EvaluationInput{Rating: 1}); a.status != http.StatusConflict {
				t.Errorf("again: %d %s", a.status, a.body)
			}
		}
		if n := len(w.entries(t, pc.ID)); n != 1 {
			t.Errorf("%d entries after the refusals", n)
		}
	})
}

// TestReconsideration: the draft is pre-filled from the decision; the party must write its
// facts and reasons; the submission writes the application, its PDF, the entry (from which the
// surcharge stops) and, with a mailbox, the task, in one transaction; the task sends the PDF to
// the mailbox through a real SMTP exchange and records the server's acceptance on the case; a
// second application is refused.
func TestReconsideration(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		key := residentID()
		pc := w.newCase(t, w.a, key)
		acc := uuid.NewString()
		w.claim(t, acc, pc)
		w.setMailbox(t, w.a, "FuYi@YX.gov.test")
		base := "/api/v1/portal/cases/" + pc.ID + "/reconsideration"

		var d portal.Draft
		a := w.call("GET", base+"/draft", acc, "", nil)
		a.json(t, &d)
		if a.status != http.StatusOK || d.Applicant != "张三" || d.Respondent != "尤溪县市场监督管理局" || d.DecisionNumber != "尤市监罚〔2025〕12号" ||
			d.DecisionDate != "2025年10月9日" || d.Authority != "尤溪县人民政府" || !d.Open || d.Due != "2025-12-08" ||
			!strings.HasPrefix(d.Request, "请求依法撤销") || len(d.RequestOptions) != 2 || !strings.Contains(d.RequestOptions[1].Text, "变更") ||
			!strings.Contains(d.FactsReasons, "（警告，罚款人民币5000元）") || d.ApplicantAddress != "尤溪县城关镇水东路88号" || strings.Contains(d.ApplicantID, key[6:14]) || !strings.HasSuffix(d.ApplicantID, key[14:]) {
			t.Fatalf("draft %d %+v", a.status, d)
		}
		in := portal.ApplicationInput{Applicant: d.Applicant, ApplicantAddress: "尤溪县城关镇水东路88号", ApplicantPhone: "13800138000",
			Respondent: d.Respondent, DecisionNumber: d.DecisionNumber, Request: d.RequestOptions[1].Text, FactsReasons: d.FactsReasons, Authority: d.Authority}
		a = w.call("POST", base, acc, "", in)
		if e := a.errorOf(t); a.status != http.StatusBadRequest || e.Fields[0].Field != "facts_reasons" {
			t.Fatalf("the prompt alone: %d %s", a.status, a.body)
		}
		in.FactsReasons = d.FactsReasons + "申请人系初次违法，且已及时改正，危害后果轻微，依法应当不予行政处罚。"
		a = w.call("POST", base, acc, "", in)
		if a.status != http.StatusCreated {
			t.Fatalf("apply: %d %s", a.status, a.body)
		}
		var app portal.Application
		a.json(t, &app)
		if app.Status != portal.AppQueued || app.Mailbox != "FuYi@yx.gov.test" || app.AppliedOn != "2025-10-29" || app.DocumentID == "" || app.Warning != nil {
			t.Fatalf("application %+v", app)
		}
		ent := w.entries(t, pc.ID)
		if len(ent) != 1 || ent[0].Kind != cases.EntryReconsiderationApplied || ent[0].Ref != app.ID || ent[0].On != "2025-10-29" ||
			ent[0].Data["authority"] != "尤溪县人民政府" {
			t.Fatalf("entries %+v", ent)
		}
		pdf := w.call("GET", base+"/pdf", acc, "", nil)
		if pdf.status != http.StatusOK || !bytes.HasPrefix(pdf.body, []byte("%PDF-")) {
			t.Fatalf("the application's PDF: %d", pdf.status)
		}
		text := strings.ReplaceAll(pdfText(t, pdf.body), "\n", "")
		for _, want := range []string{"行政复议申请书", "张三", "尤溪县市场监督管理局", "尤市监罚〔2025〕12号", "请求依法变更", "初次违法", "尤溪县人民政府", "2025年10月29日", pc.Code} {
			if !strings.Contains(text, want) {
				t.Errorf("the PDF lacks %q", want)
			}
		}
		if a := w.call("POST", base, acc, "", in); a.status != http.StatusConflict {
			t.Fatalf("second application: %d %s", a.status, a.body)
		}

		if errs := w.drain(t); len(errs) != 0 {
			t.Fatalf("task errors %v", errs)
		}
		msgs := w.sink.Messages()
		if len(msgs) != 1 || msgs[0].To[0] != "FuYi@yx.gov.test" || msgs[0].From != "fuyi-noreply@zhifa.example" {
			t.Fatalf("the mail server got %+v", msgs)
		}
		m := msgs[0].Parse(t)
		if !bytes.Equal(m.PDF, pdf.body) || !strings.Contains(m.FileName, pc.Code) || !strings.Contains(m.Text, "尤溪县人民政府") ||
			m.Header.Get("Message-Id") != "<"+app.ID+".reconsideration@zhifa.example>" {
			t.Fatalf("the message: %d bytes attached (want the application's PDF), %q, %q", len(m.PDF), m.FileName, m.Header.Get("Message-Id"))
		}
		var got portal.Application
		w.call("GET", base, acc, "", nil).json(t, &got)
		if got.Status != portal.AppSent || got.SentAt == nil || !strings.HasPrefix(got.Reply, "250 ") || got.Decision != nil {
			t.Fatalf("after sending %+v", got)
		}
		ent = w.entries(t, pc.ID)
		if len(ent) != 2 || ent[1].Kind != cases.EntryReconsiderationSent || ent[1].Ref != app.ID || ent[1].Data["reply"] != got.Reply {
			t.Fatalf("entries %+v", ent)
		}
		// Sent once: the task again sends nothing.
		noErr(t, w.svc.HandleSendReconsideration(ctx, dbtest.Scope(w.a, "job:portal", authz.TenantOperator), portal.SendTask{ApplicationID: app.ID}))
		if n := len(w.sink.Messages()); n != 1 {
			t.Fatalf("%d messages after a repeated task", n)
		}

		// Decided: the case's remedies say so.
		w.edit(pc, func(c *cases.PartyView) {
			c.Remedies = []cases.PartyRemedy{{Kind: "reconsideration", From: "2025-10-29", To: "2025-12-20", Outcome: "changed", Body: "尤溪县人民政府"}}
		})
		w.call("GET", base, acc, "", nil).json(t, &got)
		if got.Decision == nil || got.Decision.Outcome != "changed" {
			t.Fatalf("decided %+v", got)
		}
	})
}

// TestReconsiderationRefused: after the period the case engine refuses the application (行政复议
// 法 Art. 20) and the API answers its refusal: 422 with the rule; nothing is kept, no task waits.
// A case without a decision has nothing to apply against.
func TestReconsiderationRefused(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		pc, acc := w.claimedCase(t)
		w.setMailbox(t, w.a, "fuyi@yx.gov.test")
		w.clock.Set("2025-12-09")
		base := "/api/v1/portal/cases/" + pc.ID + "/reconsideration"
		in := portal.ApplicationInput{Applicant: "张三", Respondent: "尤溪县市场监督管理局", DecisionNumber: "尤市监罚〔2025〕12号",
			Request: "请求撤销", FactsReasons: "事实和理由：处罚过重。", Authority: "尤溪县人民政府"}
		a := w.call("POST", base, acc, "", in)
		e := a.errorOf(t)
		if a.status != http.StatusUnprocessableEntity || e.Code != errs.FailedPrecondition || e.Rule == nil || e.Rule.Article != "20" ||
			!strings.Contains(e.Message.ZH, "60日") {
			t.Fatalf("after the period: %d %s", a.status, a.body)
		}
		if a := w.call("GET", base, acc, "", nil); a.status != http.StatusNotFound {
			t.Errorf("a refused application was kept: %d %s", a.status, a.body)
		}
		if n := w.pending(t); n != 0 || len(w.entries(t, pc.ID)) != 0 {
			t.Errorf("%d tasks and %d entries after the refusal", n, len(w.entries(t, pc.ID)))
		}

		undecided := w.newCase(t, w.a, residentID())
		w.edit(undecided, func(c *cases.PartyView) { c.Decision = nil })
		w.claim(t, acc, undecided)
		if a := w.call("GET", "/api/v1/portal/cases/"+undecided.ID+"/reconsideration/draft", acc, "", nil); a.status != http.StatusUnprocessableEntity {
			t.Errorf("draft without a decision: %d %s", a.status, a.body)
		}
	})
}

// TestReconsiderationWaits: without the reconsideration body's mailbox the application is saved
// but not sent, with a warning; once the tenant sets one, the periodic task queues it and it is
// sent. A mail server that refuses the mailbox for good fails it, with the reply kept.
func TestReconsiderationWaits(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		pc, acc := w.claimedCase(t)
		base := "/api/v1/portal/cases/" + pc.ID + "/reconsideration"
		in := portal.ApplicationInput{Applicant: "张三", Respondent: "尤溪县市场监督管理局", DecisionNumber: "尤市监罚〔2025〕12号",
			Request: "请求撤销", FactsReasons: "事实和理由：处罚过重。", Authority: "尤溪县人民政府"}
		var app portal.Application
		a := w.call("POST", base, acc, "", in)
		a.json(t, &app)
		if a.status != http.StatusCreated || app.Status != portal.AppWaiting || app.Warning == nil || w.pending(t) != 0 {
			t.Fatalf("without a mailbox: %d %+v", a.status, app)
		}
		sys := tenants.System("portal: applications waiting for the reconsideration body's mailbox")
		noErr(t, w.svc.HandleSendWaiting(ctx, sys))
		if w.pending(t) != 0 {
			t.Fatal("queued without a mailbox")
		}
		w.setMailbox(t, w.a, "fuyi@yx.gov.test")
		noErr(t, w.svc.HandleSendWaiting(ctx, sys))
		noErr(t, w.svc.HandleSendWaiting(ctx, sys))
		if n := w.pending(t); n != 1 {
			t.Fatalf("%d tasks queued, want 1", n)
		}
		if errs := w.drain(t); len(errs) != 0 {
			t.Fatal(errs)
		}
		var sent portal.Application
		w.call("GET", base, acc, "", nil).json(t, &sent)
		if sent.Status != portal.AppSent || sent.Warning != nil || len(w.sink.Messages()) != 1 {
			t.Fatalf("after the mailbox was set: %+v", sent)
		}

		// A permanent refusal fails the application.
		pc2 := w.newCase(t, w.a, residentID())
		w.claim(t, acc, pc2)
		w.sink.RefuseAll(testenv.SMTPNoSuchUser)
		if a := w.call("POST", "/api/v1/portal/cases/"+pc2.ID+"/reconsideration", acc, "", in); a.status != http.StatusCreated {
			t.Fatalf("apply: %d %s", a.status, a.body)
		}
		if errs := w.drain(t); len(errs) != 1 {
			t.Fatalf("task errors %v, want the refusal", errs)
		}
		var failed portal.Application
		w.call("GET", "/api/v1/portal/cases/"+pc2.ID+"/reconsideration", acc, "", nil).json(t, &failed)
		if failed.Status != portal.AppFailed || !strings.Contains(failed.LastError, "550") {
			t.Fatalf("refused: %+v", failed)
		}
		if ent := w.entries(t, pc2.ID); len(ent) != 1 {
			t.Fatalf("a refused message was recorded as sent: %+v", ent)
		}
	})
}

// TestPayment: the quote passes through; the checkout returns the payment page and sends the
// party back to the case's payment page on this site; a retried request keeps its key; the
// payments list with their receipts.
func TestPayment(t *testing.T) {
	t.Parallel()
	w := newWorld(t, dbtest.SQLite(t))
	pc, acc := w.claimedCase(t)
	base := "/api/v1/portal/cases/" + pc.ID
	var q payments.Quote
	w.call("GET", base+"/quote", acc, "", nil).json(t, &q)
	if q.TotalFen != 545000 || q.LateDays != 5 || q.PausedDays != 2 {
		t.Fatalf("quote %+v", q)
	}
	a := w.call("POST", base+"/checkout", acc, "", nil, "Idempotency-Key", "k1")
	var co payments.Checkout
	a.json(t, &co)
	if a.status != http.StatusOK || co.URL != "/portal/pay/simulate/pay-k1" {
		t.Fatalf("checkout %d %s", a.status, a.body)
	}
	in := w.pay.checkouts[0]
	if in.SuccessURL != "https://zhifa.example/portal/cases/"+pc.ID+"/payment?result=success" || in.CancelURL != "https://zhifa.example/portal/cases/"+pc.ID+"/payment?result=cancel" || in.IdempotencyKey != "k1" {
		t.Fatalf("checkout input %+v", in)
	}
	var ps portal.PaymentsReply
	w.call("GET", base+"/payments", acc, "", nil).json(t, &ps)
	if len(ps.Payments) != 1 || ps.Payments[0].ReceiptID == "" {
		t.Fatalf("payments %+v", ps)
	}

	off := newWorld(t, dbtest.SQLite(t), func(c *portal.Config) { c.Payments = nil })
	pc2 := off.newCase(t, off.a, residentID())
	off.claim(t, acc, pc2)
	if a := off.call("GET", "/api/v1/portal/cases/"+pc2.ID+"/quote", acc, "", nil); a.status != http.StatusServiceUnavailable {
		t.Errorf("without payments: %d", a.status)
	}
}

// pdfText extracts a PDF's text with pdftotext (poppler-utils).
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	cmd := exec.Command(testenv.Tool(t, "pdftotext"), "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	noErr(t, err)
	return string(out)
}
