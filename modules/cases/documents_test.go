package cases_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hibiken/asynq"
	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/jobs"
	"zhifa/modules/cases"
	"zhifa/modules/delivery"
	"zhifa/modules/delivery/deliverytask"
	"zhifa/modules/disclosure/disclosuretask"
	"zhifa/modules/documents"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

// wired is a world whose case engine issues its documents through the documents module and is
// served through the delivery module (inbox and e-mail; e-mail accepted by a logging mailer),
// its tasks run from the outbox by drain.
type wired struct {
	*world
	docs    *documents.Service
	dlv     *delivery.Service
	mux     *jobs.Mux
	citizen string // the party's portal account
}

func newWired(t testing.TB, db *bun.DB) *wired {
	t.Helper()
	w := &wired{citizen: uuid.NewString()}
	var engine *rules.Engine
	w.world = newWorld(t, db, func(c *cases.Config) {
		engine = c.Rules
		w.docs = documents.New(documents.Config{DB: db, SecretKey: []byte("0123456789abcdef0123456789abcdef"),
			PublicURL: "https://zhifa.example.gov.cn", Now: func() time.Time { return w.clock.Now() }})
		c.Documents = w.docs
		c.Settings = tenants.NewService(db, rules.Settings(), cases.Settings())
	})
	w.docs.SetCaseSource(w.svc)
	w.clock.Set("2025-09-30") // the steps of the helpers are dated up to the prior notice
	w.dlv = delivery.New(delivery.Config{DB: db, Rules: engine, Cases: w.svc, Documents: delivery.CaseDocuments(w.docs, w.svc),
		Mailer: delivery.LogMailer{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, Now: w.clock.Now})
	w.svc.SetConsents(w.dlv)
	w.mux = jobs.NewMux(tenants.NewStore(db))
	w.dlv.Tasks(w.mux)
	return w
}

// consent records the party's consent to delivery by inbox and e-mail.
func (w *wired) consent(t testing.TB, id, signedOn string) {
	t.Helper()
	_, err := w.dlv.RecordConsent(ctx, w.officer, id, delivery.ConsentInput{Channels: []delivery.Channel{delivery.ChannelInbox, delivery.ChannelEmail},
		Email: "wangxm@example.cn", CitizenID: w.citizen, SignedOn: elementsDate(signedOn)})
	noErr(t, err)
}

// drain runs the outbox's delivery tasks as the relay and worker would, until none is left, and
// returns their errors.
func (w *wired) drain(t testing.TB) []error {
	t.Helper()
	var failed []error
	sys := tenants.System("test: drain the outbox")
	for range 20 {
		var rows []jobs.OutboxRow
		noErr(t, tenants.RunInTx(ctx, w.db, sys, func(ctx context.Context, tx bun.Tx) error {
			if err := tx.NewSelect().Model(&rows).Where("relayed_at IS NULL").OrderExpr("created_at, id").Scan(ctx); err != nil {
				return err
			}
			_, err := tx.NewUpdate().Model((*jobs.OutboxRow)(nil)).Set("relayed_at = ?", dbx.Stamp(w.clock.Now())).Where("relayed_at IS NULL").Exec(ctx)
			return err
		}))
		if len(rows) == 0 {
			return failed
		}
		for _, r := range rows {
			if strings.HasPrefix(r.TaskType, "delivery:") {
				if err := w.mux.ProcessTask(ctx, asynq.NewTask(r.TaskType, []byte(r.Payload))); err != nil {
					failed = append(failed, err)
				}
			}
		}
	}
	t.Fatal("the outbox did not drain")
	return nil
}

// decided walks a case with a ¥5,000 fine (the hearing right waived) to its decision on
// 2025-10-20, with the clock on that day, without giving a number.
func (w *wired) decided(t testing.TB) *cases.Case {
	t.Helper()
	c := w.notified(t, person(), 5000, "2025-09-30", nil)
	w.waive(t, c.ID, cases.ActWaiveHearing, "2025-09-30")
	w.clock.Set("2025-10-20")
	w.act(t, w.head, c.ID, cases.ActDecide, m{"on": "2025-10-20", "penalty": fine(5000), "facts": "经查，当事人未取得营业执照从事食品零售经营活动。",
		"payment_how": "到指定银行或者通过电子缴款缴纳"})
	return c
}

// ref returns the case's latest document of kind.
func ref(t testing.TB, d *cases.Detail, kind string) cases.DocumentRef {
	t.Helper()
	for i := len(d.Facts.Documents) - 1; i >= 0; i-- {
		if d.Facts.Documents[i].Kind == kind {
			return d.Facts.Documents[i]
		}
	}
	t.Fatalf("the case has no %s among %+v", kind, d.Facts.Documents)
	return cases.DocumentRef{}
}

// lastEvent returns the derived values of a case's last event of action.
func lastDerived(t testing.TB, d *cases.Detail, a cases.Action) map[string]any {
	t.Helper()
	for i := len(d.History) - 1; i >= 0; i-- {
		if d.History[i].Action == a {
			var c struct {
				Derived map[string]any `json:"derived"`
			}
			noErr(t, json.Unmarshal(d.History[i].Content, &c))
			return c.Derived
		}
	}
	t.Fatalf("no %s event", a)
	return nil
}

// TestDocumentsIssuedWithSteps: the prior notice and the decision are issued inside their steps,
// numbered, sealed and signed; the decision takes its document's number; the delivery tasks and
// the disclosure name them; the events record their numbers and digests; the decision states the
// six items of Art. 59; the case lists its documents and its chain verifies.
func TestDocumentsIssuedWithSteps(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWired(t, db)
		c := w.decided(t)
		d := w.find(t, c.ID)
		if d.State != cases.StateDecided {
			t.Fatalf("state %s", d.State)
		}
		notice, decision := ref(t, d, "prior_notice"), ref(t, d, "penalty_decision")
		if !strings.Contains(notice.Number, "罚告〔2025〕1号") || !strings.Contains(decision.Number, "罚〔2025〕1号") || decision.PDFSM3 == "" {
			t.Errorf("numbers %q %q, digest %q", notice.Number, decision.Number, decision.PDFSM3)
		}
		if d.Facts.Decision.Number != decision.Number {
			t.Errorf("the decision's number %q, its document's %q", d.Facts.Decision.Number, decision.Number)
		}
		if len(d.Documents) != 3 || d.Documents[0].Type != documents.TypeCaseFiling || ref(t, d, "case_filing").ServedOn != "" ||
			d.Documents[2].ID != decision.ID || d.Documents[2].Number != decision.Number {
			t.Errorf("the case lists %+v", d.Documents)
		}
		der := lastDerived(t, d, cases.ActDecide)
		issued, _ := der["documents"].([]any)
		if len(issued) != 1 || der["decision_number"] != decision.Number {
			t.Fatalf("the decision's event records %v", der)
		}
		if doc := issued[0].(map[string]any); doc["id"] != decision.ID || doc["number"] != decision.Number || doc["pdf_sm3"] != decision.PDFSM3 || doc["pdf_sha256"] == "" {
			t.Errorf("the event records %v", doc)
		}
		var deliver []deliverytask.DeliverDocument
		for _, row := range w.outbox(t, w.officer, deliverytask.Deliver.Type) {
			deliver = append(deliver, payload[deliverytask.DeliverDocument](t, row))
		}
		if len(deliver) != 2 || deliver[0].DocumentID != notice.ID || deliver[1].DocumentID != decision.ID || deliver[1].Document != "penalty_decision" {
			t.Errorf("delivery tasks %+v", deliver)
		}
		pub := w.outbox(t, w.officer, disclosuretask.Publish.Type)
		if len(pub) != 1 || payload[disclosuretask.PublishDecision](t, pub[0]).DecisionNumber != decision.Number {
			t.Errorf("the disclosure does not carry the number")
		}
		html, _, err := w.docs.Rerender(ctx, w.officer, decision.ID)
		noErr(t, err)
		for _, want := range []string{"王小明", residentID(900), "经查，当事人未取得营业执照从事食品零售经营活动。", "现场检查（勘验）笔录",
			"《无证无照经营查处办法》第十三条", "罚款人民币伍仟元整", "自收到本决定书之日起十五日内", "到指定银行或者通过电子缴款缴纳",
			"六十日内", "人民政府", "六个月内", "有管辖权的人民法院", "A县市场监督管理局", "2025年10月20日", decision.Number, c.Code,
			// the provision violated and the one the penalty rests on, each from the law database, each once
			"当事人的上述行为违反了《无证无照经营查处办法》第二条的规定。依据《无证无照经营查处办法》第十三条第一款的规定，本机关决定"} {
			if !strings.Contains(html, want) {
				t.Errorf("the decision lacks %q", want)
			}
		}
		if n := strings.Count(html, "自收到本决定书之日起十五日内"); n != 1 {
			t.Errorf("the payment period is stated %d times", n)
		}
		// the filing approval form was issued with the filing, naming the head's approval
		filing, _, err := w.docs.Rerender(ctx, w.officer, d.Documents[0].ID)
		noErr(t, err)
		for _, want := range []string{"立案审批表", "群众举报无照经营", "属实", "同意立案", "2025年9月3日"} {
			if !strings.Contains(filing, want) {
				t.Errorf("the filing form lacks %q", want)
			}
		}
		rep, err := w.svc.VerifyChain(ctx, w.officer, c.ID)
		noErr(t, err)
		if !rep.Valid {
			t.Errorf("chain %+v", rep.Broken)
		}
	})
}

// TestDocumentsRefuseTheStep: a number the officer gives that is not the platform's, and a
// document the case's facts cannot fill, refuse the step with the field named, and nothing is
// written (no event, no document, no number taken, no task).
func TestDocumentsRefuseTheStep(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWired(t, db)
		c := w.notified(t, person(), 100, "2025-09-30", nil)
		w.clock.Set("2025-10-20")
		before := w.find(t, c.ID)
		err := w.try(w.head, c.ID, cases.ActDecide, decision("2025-10-20", 100))
		e := errs.As(err)
		if e.Code != errs.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != "number" || !strings.Contains(e.Message.ZH, "罚〔2025〕1号") {
			t.Fatalf("a number of the officer's: %v %+v", err, e.Fields)
		}
		after := w.find(t, c.ID)
		if after.Version != before.Version || len(after.Documents) != 2 || len(w.outbox(t, w.officer, disclosuretask.Publish.Type)) != 0 {
			t.Errorf("a refused decision wrote something: version %d, %d documents", after.Version, len(after.Documents))
		}
		body := decision("2025-10-20", 100)
		delete(body, "number")
		w.act(t, w.head, c.ID, cases.ActDecide, body)
		if n := ref(t, w.find(t, c.ID), "penalty_decision").Number; !strings.HasSuffix(n, "〔2025〕1号") {
			t.Errorf("after a refusal the decision is %s: a number was lost", n)
		}

		// An order to correct must name the provisions violated: the inspection has no matter.
		res, err := w.svc.Create(ctx, w.officer, cases.NewCase{Common: cases.Common{On: "2025-10-20"}, Kind: cases.KindInspection, BodyID: w.body.ID,
			Title: "日常检查", Party: organisation(), OfficerIDs: []string{w.o1.ID, w.o2.ID}, Inspection: &cases.NewInspection{Basis: "random"}, IdempotencyKey: key()})
		noErr(t, err)
		insp := res.Case
		w.act(t, w.officer, insp.ID, cases.ActInspect, m{"on": "2025-10-20", "officer_ids": []string{w.o1.ID, w.o2.ID}, "record": "检查记录"})
		deliveries := len(w.outbox(t, w.officer, deliverytask.Deliver.Type))
		conclude := m{"on": "2025-10-20", "outcome": "correction_ordered", "findings": "从业人员健康证明过期", "correct_by": "2025-10-30"}
		err = w.try(w.officer, insp.ID, cases.ActConclude, conclude)
		e = errs.As(err)
		if e.Code != errs.FailedPrecondition || len(e.Fields) == 0 || e.Fields[0].Field != "violated" {
			t.Fatalf("an order without the provisions: %v %+v", err, e.Fields)
		}
		if d := w.find(t, insp.ID); d.State != cases.StateInspected || len(d.Documents) != 0 || len(w.outbox(t, w.officer, deliverytask.Deliver.Type)) != deliveries {
			t.Errorf("the refused step wrote something: %s, %d documents", d.State, len(d.Documents))
		}
		conclude["violated"] = "《中华人民共和国食品安全法》第四十五条第一款"
		w.act(t, w.officer, insp.ID, cases.ActConclude, conclude)
		if r := ref(t, w.find(t, insp.ID), "correction_order"); !strings.Contains(r.Number, "责改〔2025〕1号") {
			t.Errorf("the order %+v", r)
		}
	})
}

// TestArrivalServesTheDecision: the decision reaches the party's inbox and mailbox through the
// delivery module; the first arrival serves it (decided -> served, the payment deadline counted
// from that day), each arrival is one event on the chain, a retried record adds nothing, and the
// officer can no longer serve it by hand.
func TestArrivalServesTheDecision(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWired(t, db)
		c := w.notified(t, person(), 5000, "2025-09-30", nil)
		w.consent(t, c.ID, "2025-09-30")
		w.waive(t, c.ID, cases.ActWaiveHearing, "2025-09-30")
		w.clock.Set("2025-10-20")
		w.act(t, w.head, c.ID, cases.ActDecide, m{"on": "2025-10-20", "penalty": fine(5000), "facts": "无照经营", "payment_how": "到指定银行缴纳"})
		w.clock.Set("2025-10-21")
		if errs := w.drain(t); len(errs) > 0 {
			t.Fatalf("tasks failed: %v", errs)
		}
		d := w.find(t, c.ID)
		dec := ref(t, d, "penalty_decision")
		if d.State != cases.StateServed || d.Facts.Delivery == nil || d.Facts.Delivery.ServedOn != "2025-10-21" || d.Facts.Delivery.Method != "electronic" ||
			d.Facts.Delivery.DocumentID != dec.ID || d.Facts.Delivery.At == nil || d.Facts.Delivery.PayDue != "2025-11-05" {
			t.Fatalf("after the arrival: %s %+v", d.State, d.Facts.Delivery)
		}
		if dec.ServedOn != "2025-10-21" || len(dec.Arrivals) != 2 {
			t.Errorf("the decision %+v", dec)
		}
		var arrivals []cases.Event
		for _, ev := range d.History {
			if ev.Action == cases.ActDelivered {
				arrivals = append(arrivals, ev)
			}
		}
		if len(arrivals) != 2 || arrivals[0].FromState != cases.StateDecided || arrivals[0].ToState != cases.StateServed ||
			arrivals[1].FromState != cases.StateServed || arrivals[1].ToState != cases.StateServed {
			t.Fatalf("arrival events %+v", arrivals)
		}
		if !strings.Contains(string(arrivals[1].Content), `"already_served_on":"2025-10-21"`) || !strings.Contains(string(arrivals[0].Content), dec.ID) {
			t.Errorf("the arrivals record %s\n%s", arrivals[0].Content, arrivals[1].Content)
		}
		if deadline(t, d, "penalty.payment").Due != "2025-11-05" {
			t.Errorf("payment deadline %+v", deadline(t, d, "penalty.payment"))
		}
		page, err := w.dlv.Inbox(ctx, &authz.Principal{IdentityID: w.citizen, Kind: "citizen", Grants: []authz.Grant{{Role: authz.Citizen}}}, 10, 0)
		noErr(t, err)
		pdf, _, err := w.docs.PDF(ctx, w.officer, dec.ID)
		noErr(t, err)
		if len(page.Items) != 1 || page.Items[0].DocumentID != dec.ID || page.Items[0].SHA256 != sha(pdf) || page.Items[0].Number != dec.Number {
			t.Errorf("the inbox %+v", page.Items)
		}

		// A retried record of a route adds nothing; the officer cannot serve it again.
		job := dbtest.Scope(w.a, "job:delivery:record_served", authz.TenantOperator)
		rec := cases.Arrival{RouteID: dec.Arrivals[0], DocumentID: dec.ID, DocumentKind: "penalty_decision", Channel: string(delivery.ChannelInbox),
			At: w.clock.Now(), ServedOn: "2025-10-21", Serves: true}
		noErr(t, tenants.RunInTx(ctx, db, job, func(ctx context.Context, tx bun.Tx) error { return w.svc.RecordDelivery(ctx, tx, job, c.ID, rec) }))
		if n := w.events(t, c.ID); n != len(d.History) {
			t.Errorf("a retried record added events: %d, was %d", n, len(d.History))
		}
		wantCode(t, w.try(w.officer, c.ID, cases.ActServe, m{"on": "2025-10-21", "method": "direct"}), errs.Conflict)
		rep, err := w.svc.VerifyChain(ctx, w.officer, c.ID)
		noErr(t, err)
		if !rep.Valid {
			t.Errorf("chain %+v", rep.Broken)
		}

		// The case engine refuses another tenant's recorder, and shows it no case.
		bJob := dbtest.Scope(w.b, "job:delivery:record_served", authz.TenantOperator)
		err = tenants.RunInTx(ctx, db, bJob, func(ctx context.Context, tx bun.Tx) error {
			rec.RouteID = uuid.NewString()
			return w.svc.RecordDelivery(ctx, tx, bJob, c.ID, rec)
		})
		wantCode(t, err, errs.NotFound)
		err = tenants.RunInTx(ctx, db, bJob, func(ctx context.Context, tx bun.Tx) error {
			_, err := w.svc.CaseForDelivery(ctx, tx, bJob, c.ID)
			return err
		})
		wantCode(t, err, errs.NotFound)
	})
}

// TestManualServiceThenArrival: the officer served the decision by hand first; the electronic
// arrival is entered in the record but serves nothing again.
func TestManualServiceThenArrival(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWired(t, db)
		c := w.notified(t, person(), 5000, "2025-09-30", nil)
		w.consent(t, c.ID, "2025-09-30")
		w.waive(t, c.ID, cases.ActWaiveHearing, "2025-09-30")
		w.clock.Set("2025-10-20")
		w.act(t, w.head, c.ID, cases.ActDecide, m{"on": "2025-10-20", "penalty": fine(5000), "facts": "无照经营", "payment_how": "到指定银行缴纳"})
		err := w.try(w.officer, c.ID, cases.ActServe, m{"on": "2025-10-20", "method": "electronic"})
		wantRule(t, err, "penalty.e_delivery", "61")
		w.act(t, w.officer, c.ID, cases.ActServe, m{"on": "2025-10-20", "method": "direct", "receipt": "送达回证"})
		w.clock.Set("2025-10-22")
		if errs := w.drain(t); len(errs) > 0 {
			t.Fatalf("tasks failed: %v", errs)
		}
		d := w.find(t, c.ID)
		dec := ref(t, d, "penalty_decision")
		if d.State != cases.StateServed || d.Facts.Delivery.Method != "direct" || d.Facts.Delivery.ServedOn != "2025-10-20" ||
			dec.ServedOn != "2025-10-20" || dec.ServedBy != "direct" || len(dec.Arrivals) != 2 {
			t.Fatalf("after a manual service and the arrivals: %s %+v %+v", d.State, d.Facts.Delivery, dec)
		}
		if der := lastDerived(t, d, cases.ActDelivered); der["already_served_on"] != "2025-10-20" || der["served"] != nil {
			t.Errorf("the arrival records %v", der)
		}
	})
}

// TestPriorNoticeServedOnArrival: a prior notice served electronically is served when it arrives:
// the party's window to ask for a hearing runs from that day.
func TestPriorNoticeServedOnArrival(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWired(t, db)
		c := w.proposed(t, person(), 5000, nil)
		err := w.try(w.officer, c.ID, cases.ActNotify, m{"on": "2025-09-30", "method": "electronic"})
		wantRule(t, err, "penalty.e_delivery", "61")
		w.consent(t, c.ID, "2025-09-29")
		w.act(t, w.officer, c.ID, cases.ActNotify, m{"on": "2025-09-30", "method": "electronic"})
		if n := w.find(t, c.ID).Facts.Notice; n.HearingDue != "2025-10-14" {
			t.Fatalf("hearing due %s", n.HearingDue) // 5 working days from 09-30 across the National Day holiday
		}
		w.clock.Set("2025-10-09")
		if errs := w.drain(t); len(errs) > 0 {
			t.Fatalf("tasks failed: %v", errs)
		}
		d := w.find(t, c.ID)
		// 5 working days from 10-09: 10-10, 10-11 (a make-up workday), 10-13, 10-14, 10-15
		if n := d.Facts.Notice; n.ServedOn != "2025-10-09" || n.HearingDue != "2025-10-15" || d.State != cases.StateNotified {
			t.Errorf("after the arrival: %s %+v", d.State, n)
		}
		if out := w.outbox(t, w.officer, deliverytask.Deliver.Type); len(out) != 1 || !payload[deliverytask.DeliverDocument](t, out[0]).EDeliveryConsent {
			t.Errorf("the delivery task does not carry the consent")
		}
	})
}

// TestDocumentDataOfEveryType: the case engine fills the data of every platform document type as
// far as a case's facts go, and a case of another tenant is not found.
func TestDocumentDataOfEveryType(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWired(t, db)
		c := w.decided(t)
		w.act(t, w.officer, c.ID, cases.ActServe, m{"on": "2025-10-20", "method": "direct"})
		var data map[string]any
		run := func(sc tenants.Scope, typ documents.Type) error {
			return tenants.RunInTx(ctx, db, sc, func(ctx context.Context, tx bun.Tx) error {
				var err error
				data, err = w.svc.DocumentData(ctx, tx, sc, c.ID, typ)
				return err
			})
		}
		for _, ti := range documents.Types() {
			noErr(t, run(w.officer, ti.Type))
			if p, _ := data["party"].(map[string]any); p["name"] != "王小明" {
				t.Errorf("%s: party %v", ti.Type, data["party"])
			}
		}
		noErr(t, run(w.officer, documents.TypeCaseFiling))
		if f := data["filing"].(map[string]any); f["opinion"] != "属实" || f["approved_on"] != "2025年9月3日" {
			t.Errorf("filing %v", f)
		}
		noErr(t, run(w.officer, documents.TypeDeliveryReceipt))
		if served, _ := data["served"].([]any); len(served) != 2 {
			t.Errorf("receipt %v", data)
		}
		wantCode(t, run(w.bHead, documents.TypePenaltyDecision), errs.NotFound)
		wantCode(t, run(w.officer, "no_such_type"), errs.Invalid)
	})
}

// TestCorrectionOrderCitesTheMatter: an order to correct after an inspection of a matter cites
// the matter's articles as a decision cites its provisions, each law named once.
func TestCorrectionOrderCitesTheMatter(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWired(t, db)
		w.clock.Set("2025-10-20")
		res, err := w.svc.Create(ctx, w.officer, cases.NewCase{Common: cases.Common{On: "2025-10-20"}, Kind: cases.KindInspection, BodyID: w.body.ID,
			MatterID: w.matter.ID, Title: "日常检查", Party: organisation(), OfficerIDs: []string{w.o1.ID, w.o2.ID},
			Inspection: &cases.NewInspection{Basis: "random"}, IdempotencyKey: key()})
		noErr(t, err)
		w.act(t, w.officer, res.Case.ID, cases.ActInspect, m{"on": "2025-10-20", "officer_ids": []string{w.o1.ID, w.o2.ID}, "record": "检查记录"})
		var data map[string]any
		noErr(t, tenants.RunInTx(ctx, db, w.officer, func(ctx context.Context, tx bun.Tx) error {
			data, err = w.svc.DocumentData(ctx, tx, w.officer, res.Case.ID, documents.TypeCorrectionOrder)
			return err
		}))
		if b := data["correction"].(map[string]any)["basis"]; b != "《无证无照经营查处办法》第二条、第十三条" {
			t.Errorf("the order to correct cites %v", b)
		}
	})
}

// TestEveryStepIssuesItsDocument: the hearing notice, the decision not to penalise, the
// on-the-spot decision, the decisions of coercive measures and the demand notice are issued with
// their steps; the ones handed over on the spot are served with them.
func TestEveryStepIssuesItsDocument(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWired(t, db)
		kinds := func(id string) map[string]cases.DocumentRef {
			out := map[string]cases.DocumentRef{}
			for _, r := range w.find(t, id).Facts.Documents {
				out[r.Kind] = r
			}
			return out
		}

		// A hearing: its notice; then the decision not to penalise.
		c := w.notified(t, person(), 5000, "2025-09-30", nil)
		w.clock.Set("2025-10-27")
		w.act(t, w.officer, c.ID, cases.ActRequestHearing, m{"on": "2025-10-09"})
		w.act(t, w.officer, c.ID, cases.ActScheduleHearing, m{"on": "2025-10-09", "hearing_on": "2025-10-24", "presider_id": w.o3.ID, "place": "听证室"})
		w.act(t, w.officer, c.ID, cases.ActHoldHearing, m{"on": "2025-10-24", "summary": "当事人提出申辩"})
		w.act(t, w.officer, c.ID, cases.ActSubmitReview, m{"on": "2025-10-27"})
		w.act(t, w.reviewer, c.ID, cases.ActPassReview, m{"on": "2025-10-27", "reason": "同意"})
		w.act(t, w.head, c.ID, cases.ActNotPenalise, m{"on": "2025-10-27", "ground": "first_violation", "education": "已批评教育", "reason": "初次违法，危害后果轻微并及时改正"})
		docs := kinds(c.ID)
		if docs["hearing_notice"].Number == "" || docs["not_penalised_decision"].Number == "" || docs["prior_notice"].ServedBy != "direct" {
			t.Errorf("documents %+v", docs)
		}
		html, _, err := w.docs.Rerender(ctx, w.officer, docs["hearing_notice"].ID)
		noErr(t, err)
		if !strings.Contains(html, "2025年10月24日") || !strings.Contains(html, "听证室") || !strings.Contains(html, "执法人员3") {
			t.Errorf("the hearing notice lacks the day, place or presider")
		}

		// On the spot: the decision needs its place (Art. 52), and is served at once.
		id := w.summary(t, person())
		err = w.try(w.officer, id, cases.ActDecideOnSite, m{"on": "2025-10-27", "penalty": fine(150), "facts": "占道经营", "notice_given": true})
		if e := errs.As(err); e.Code != errs.FailedPrecondition || len(e.Fields) == 0 || e.Fields[0].Field != "spot.place" {
			t.Fatalf("an on-the-spot decision without its place: %v", err)
		}
		w.act(t, w.officer, id, cases.ActDecideOnSite, m{"on": "2025-10-27", "penalty": fine(150), "facts": "占道经营", "notice_given": true,
			"place": "尤溪县城关镇紫阳大道"})
		d := w.find(t, id)
		if r := kinds(id)["summary_decision"]; !strings.Contains(r.Number, "简罚〔2025〕1号") || r.ServedOn != "2025-10-27" || d.Facts.Decision.Number != r.Number {
			t.Errorf("the on-the-spot decision %+v, the decision's number %q", r, d.Facts.Decision.Number)
		}

		// A seizure: its decision and list handed over when taken; the extension and the release.
		mid := w.measure(t, cases.MeasureSeize, "2025-10-27")
		w.act(t, w.head, mid, cases.ActApprove, m{"on": "2025-10-27", "reason": "证据可能灭失"})
		w.act(t, w.officer, mid, cases.ActTake, m{"on": "2025-10-27", "officer_ids": []string{w.o1.ID, w.o2.ID}, "record": "扣押现场笔录"})
		w.act(t, w.head, mid, cases.ActExtendTerm, m{"on": "2025-10-27", "days": 30, "reason": "需检验检测"})
		w.act(t, w.officer, mid, cases.ActRelease, m{"on": "2025-10-27", "reason": "经检验合格"})
		md := kinds(mid)
		seizure := md["seizure_decision"]
		if seizure.ServedBy != "on_the_spot" || md["measure_extension"].Number == "" || md["measure_release"].Number == "" {
			t.Fatalf("measure documents %+v", md)
		}
		html, _, err = w.docs.Rerender(ctx, w.officer, md["measure_release"].ID)
		noErr(t, err)
		if !strings.Contains(html, seizure.Number) || !strings.Contains(html, "经检验合格") || !strings.Contains(html, "假冒商品200件") {
			t.Errorf("the release does not name the seizure %s, its reason or the things", seizure.Number)
		}
		wantCode(t, w.try(w.officer, mid, cases.ActServe, m{"on": "2025-10-27", "method": "direct"}), errs.Conflict)

		// A freeze: its decision is delivered, then served by hand.
		fid := w.measure(t, cases.MeasureFreeze, "2025-10-27")
		w.act(t, w.head, fid, cases.ActApprove, m{"on": "2025-10-27", "reason": "防止转移"})
		w.act(t, w.officer, fid, cases.ActTake, m{"on": "2025-10-27", "officer_ids": []string{w.o1.ID, w.o2.ID}, "record": "冻结"})
		if r := kinds(fid)["freeze_decision"]; r.Number == "" || r.ServedOn != "" {
			t.Errorf("the freeze's decision %+v", r)
		}
		w.clock.Set("2025-10-28")
		w.act(t, w.officer, fid, cases.ActServe, m{"on": "2025-10-28", "method": "direct"})
		if r := kinds(fid)["freeze_decision"]; r.ServedOn != "2025-10-28" {
			t.Errorf("the freeze's decision served %+v", r)
		}

		// Enforcement: the demand notice.
		res, err := w.svc.Create(ctx, w.officer, cases.NewCase{Common: cases.Common{On: "2025-10-27"}, Kind: cases.KindEnforcement, BodyID: w.body.ID,
			Title: "强制执行", Party: person(), OfficerIDs: []string{w.o1.ID, w.o2.ID}, IdempotencyKey: key(),
			Enforcement: &cases.NewEnforcement{DecisionRef: "A县市场监督管理局罚〔2025〕9号", PrincipalFen: 500000, PayDue: "2025-10-10"}})
		noErr(t, err)
		w.act(t, w.officer, res.Case.ID, cases.ActDemand, m{"on": "2025-10-27", "perform_by": "2025-11-10", "method": "direct"})
		r := kinds(res.Case.ID)["demand_notice"]
		html, _, err = w.docs.Rerender(ctx, w.officer, r.ID)
		noErr(t, err)
		if !strings.Contains(html, "A县市场监督管理局罚〔2025〕9号") || !strings.Contains(html, "伍仟元整") || !strings.Contains(html, "2025年11月10日前") || r.ServedBy != "direct" {
			t.Errorf("the demand notice %+v", r)
		}
	})
}
