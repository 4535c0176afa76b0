package delivery_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/modules/delivery"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/rules"
)

// TestSMSGateway: a gateway that does not answer in time is retried and the notice is not marked
// sent; once it accepts, its answer is recorded; a permanent refusal fails the notice (no retry)
// and warns; the document stays served through the inbox either way.
func TestSMSGateway(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		w.sms.delay.Store(int64(3 * time.Second))
		c := w.newCase(w.a)
		w.consent(t, w.officer, c, delivery.ChannelInbox, delivery.ChannelSMS)
		w.deliverDocument(t, w.a, c, "penalty_decision", "2025-10-20")
		start := time.Now()
		w.drain(t)
		if el := time.Since(start); el > 2500*time.Millisecond {
			t.Errorf("the gateway timeout (1 s) took %v", el)
		}
		errsSMS := w.taskErrs[delivery.SendSMS.Type]
		if len(errsSMS) != 1 || errors.Is(errsSMS[0], asynq.SkipRetry) {
			t.Fatalf("send_sms errors %v, want one retryable", errsSMS)
		}
		d := w.only(t, c)
		sms := route(t, d, delivery.ChannelSMS)
		if sms.Status != delivery.RouteSending || sms.DeliveredAt != nil || sms.Attempts != 1 || !strings.Contains(sms.LastError, "no reply came") {
			t.Fatalf("sms after a timeout: %+v", sms)
		}
		if d.Status != delivery.StatusServed || route(t, d, delivery.ChannelInbox).Status != delivery.RouteDelivered {
			t.Fatalf("the inbox delivery must not wait for the SMS: %+v", d)
		}
		w.sms.delay.Store(0)
		noErr(t, w.runRoute(delivery.SendSMS, w.a, d, sms))
		sms = route(t, w.only(t, c), delivery.ChannelSMS)
		if sms.Status != delivery.RouteDelivered || sms.Reply != "202 Accepted id=sms-1" || len(w.sms.notices()) != 1 {
			t.Fatalf("sms after the gateway accepts: %+v", sms)
		}
		w.sms.mu.Lock()
		key := w.sms.keys[0]
		w.sms.mu.Unlock()
		if key != sms.ID {
			t.Errorf("Idempotency-Key %q, want the route ID", key)
		}

		c2 := w.newCase(w.a)
		w.consent(t, w.officer, c2, delivery.ChannelInbox, delivery.ChannelSMS)
		w.sms.status.Store(http.StatusBadRequest)
		w.deliverDocument(t, w.a, c2, "penalty_decision", "2025-10-20")
		warns := w.drain(t)
		d2 := w.only(t, c2)
		if r := route(t, d2, delivery.ChannelSMS); r.Status != delivery.RouteFailed || !strings.HasPrefix(r.Reply, "400 ") {
			t.Fatalf("sms refused: %+v", r)
		}
		if n := len(w.taskErrs[delivery.SendSMS.Type]); n != 2 || !errors.Is(w.taskErrs[delivery.SendSMS.Type][1], asynq.SkipRetry) {
			t.Fatalf("send_sms errors %v", w.taskErrs[delivery.SendSMS.Type])
		}
		if len(warns) != 1 || d2.Status != delivery.StatusServed {
			t.Fatalf("warnings %+v, delivery %s", warns, d2.Status)
		}
	})
}

// dueOf is the last day of Art. 61's 7 working days from a decision on day.
func dueOf(t testing.TB, w *world, day civil.Date) civil.Date {
	t.Helper()
	d, err := w.rules.Due(ctx, nil, dbtest.Scope(w.a, "test"), rules.PenaltyDelivery, day.Time().Add(10*time.Hour))
	noErr(t, err)
	return civil.DateOf(d.Due)
}

// TestLateAcrossNationalDay: the 7 working days of Art. 61 skip the 2025 National Day holiday
// (1-8 October) and count the make-up workdays (28 September, 11 October); the periodic check
// flags exactly the deliveries not served by their day, once each.
func TestLateAcrossNationalDay(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		for day, want := range map[civil.Date]civil.Date{"2025-09-25": "2025-10-11", "2025-09-26": "2025-10-13",
			"2025-09-29": "2025-10-15", "2025-09-30": "2025-10-16"} {
			if got := dueOf(t, w, day); got != want {
				t.Fatalf("decided %s: due %s, want %s", day, got, want)
			}
		}
		type decision struct {
			name    string
			decided civil.Date
			late    bool
			act     func(c delivery.CaseInfo, d delivery.Delivery)
		}
		paper := func(on civil.Date) func(delivery.CaseInfo, delivery.Delivery) {
			return func(c delivery.CaseInfo, d delivery.Delivery) {
				_, err := w.svc.RecordPaper(ctx, w.officer, c.ID, d.ID, delivery.PaperInput{ServedOn: on, Method: "direct", Receiver: "张三"},
					"scan.pdf", bytes.NewReader(fakePDF("送达回证")))
				noErr(t, err)
			}
		}
		notice := func(on civil.Date) func(delivery.CaseInfo, delivery.Delivery) {
			return func(c delivery.CaseInfo, d delivery.Delivery) {
				_, err := w.svc.RecordPublicNotice(ctx, w.officer, c.ID, d.ID, delivery.NoticeInput{PublishedOn: on, Medium: "本机关门户网站",
					Reference: "https://scjg.example/gg/1", Reason: "当事人下落不明"})
				noErr(t, err)
			}
		}
		cases := []decision{
			{"due 11 Oct, not served", "2025-09-25", true, nil},
			{"due 13 Oct, not served", "2025-09-26", true, nil},
			{"due 15 Oct, not served", "2025-09-29", false, nil},
			{"due 16 Oct, not served", "2025-09-30", false, nil},
			{"due 11 Oct, served on paper 10 Oct", "2025-09-25", false, paper("2025-10-10")},
			{"due 11 Oct, served on paper 13 Oct (late, but served)", "2025-09-25", false, paper("2025-10-13")},
			{"due 11 Oct, public notice 10 Oct", "2025-09-25", false, notice("2025-10-10")},
			{"due 11 Oct, public notice 12 Oct", "2025-09-25", true, notice("2025-10-12")},
		}
		w.clock.Set("2025-10-09")
		ids := map[string]string{}
		for _, dc := range cases {
			c := w.newCase(w.a)
			w.deliverDocument(t, w.a, c, "penalty_decision", dueOf(t, w, dc.decided))
			ids[c.ID] = dc.name
			w.clock.Set("2025-10-14")
			if dc.act != nil {
				dc.act(c, w.only(t, c))
			}
			w.clock.Set("2025-10-09")
		}
		other := w.newCase(w.b)
		w.deliverDocument(t, w.b, other, "penalty_decision", "2025-10-10")
		w.drain(t)

		w.clock.Set("2025-10-14")
		scan := func() []warning {
			task, err := delivery.ScanLate.NewTask()
			noErr(t, err)
			noErr(t, w.mux.ProcessTask(ctx, task))
			return w.drain(t)
		}
		warns := scan()
		got := map[string]bool{}
		for _, wn := range warns {
			if name, ok := ids[wn.w.CaseID]; ok {
				got[name] = true
			} else if wn.w.CaseID != other.ID || wn.tenant != w.b.ID {
				t.Errorf("a warning for an unknown case %+v", wn)
			}
			if wn.w.Point != "delivery_late" || wn.w.Rule.Article != "61" || wn.w.Rule.ID != rules.PenaltyDelivery || wn.w.On != "2025-10-14" {
				t.Errorf("warning %+v", wn.w)
			}
		}
		for _, dc := range cases {
			if got[dc.name] != dc.late {
				t.Errorf("%s: warned %v, want %v", dc.name, got[dc.name], dc.late)
			}
		}
		if len(warns) != 4 {
			t.Errorf("%d warnings, want 4 (3 in A, 1 in B)", len(warns))
		}
		if again := scan(); len(again) != 0 {
			t.Errorf("a second scan warned again: %+v", again)
		}
		for id, name := range ids {
			d := w.only(t, delivery.CaseInfo{ID: id})
			if name == cases[0].name && (d.WarnedLateOn != "2025-10-14" || !d.Late) {
				t.Errorf("%s: %+v", name, d)
			}
		}
		// Opening a delivery without a due day counts 7 working days from today.
		w.clock.Set("2025-09-29")
		c := w.newCase(w.a)
		d, err := w.svc.Deliver(ctx, w.officer, c.ID, delivery.DeliverInput{Document: "penalty_decision", Channels: []delivery.Channel{delivery.ChannelPaper}})
		noErr(t, err)
		if d.DueOn != "2025-10-15" {
			t.Errorf("due %s, want 2025-10-15", d.DueOn)
		}
	})
}

// TestPublicNotice: a public notice is published, and deemed served at the end of the 30th day
// after publication: not before, and recorded on the case as deemed.
func TestPublicNotice(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		w.clock.Set("2025-09-01")
		c := w.newCase(w.a)
		w.deliverDocument(t, w.a, c, "penalty_decision", "2025-09-10")
		d := w.only(t, c)
		in := delivery.NoticeInput{PublishedOn: "2025-09-01", Medium: "本机关门户网站", Reference: "https://scjg.example/gg/2025-17", Reason: "当事人下落不明，其他方式无法送达"}
		_, err := w.svc.RecordPublicNotice(ctx, w.officer, c.ID, d.ID, delivery.NoticeInput{PublishedOn: "2025-09-02", Medium: "网站"})
		e := wantCode(t, err, errs.Invalid)
		if len(e.Fields) != 3 {
			t.Errorf("fields %+v, want published_on (future), reference, reason", e.Fields)
		}
		d2, err := w.svc.RecordPublicNotice(ctx, w.officer, c.ID, d.ID, in)
		noErr(t, err)
		r := route(t, *d2, delivery.ChannelPublicNotice)
		if r.Status != delivery.RoutePublished || r.PublishedOn != "2025-09-01" || r.DeemedOn != "2025-10-01" || d2.Status != delivery.StatusInProgress {
			t.Fatalf("published: %+v (delivery %s)", r, d2.Status)
		}
		_, err = w.svc.RecordPublicNotice(ctx, w.officer, c.ID, d.ID, in)
		wantCode(t, err, errs.Conflict)
		deem := func(at string) {
			w.clock.Set(at)
			task, err := delivery.DeemNotices.NewTask()
			noErr(t, err)
			noErr(t, w.mux.ProcessTask(ctx, task))
			w.drain(t)
		}
		deem("2025-10-01T23:59:00+08:00")
		if d := w.only(t, c); d.Status != delivery.StatusInProgress || d.ServedAt != nil {
			t.Fatalf("served before the 30 days passed: %+v", d)
		}
		deem("2025-10-02T00:30:00+08:00")
		d = w.only(t, c)
		want := time.Date(2025, 10, 2, 0, 0, 0, 0, china)
		if d.Status != delivery.StatusServed || d.ServedOn != "2025-10-01" || d.ServedAt == nil || !d.ServedAt.Equal(want) || d.Late {
			t.Fatalf("after 30 days: %+v", d)
		}
		recs := w.cases.recordsOf(c.ID)
		if len(recs) != 1 || !recs[0].Deemed || !recs[0].Serves || recs[0].ServedOn != "2025-10-01" || recs[0].Late || recs[0].Channel != string(delivery.ChannelPublicNotice) {
			t.Fatalf("records %+v", recs)
		}
	})
}

// TestPaper: a paper delivery stores the scanned receipt by its hash, serves the document on the
// day on the receipt, and is refused twice; a receipt that is not a scan is refused by field.
func TestPaper(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		c := w.newCase(w.a)
		w.deliverDocument(t, w.a, c, "penalty_decision", "2025-10-20")
		d := w.only(t, c)
		in := delivery.PaperInput{ServedOn: "2025-10-09", Method: "left_at_address", Receiver: "见证人 李四"}
		_, err := w.svc.RecordPaper(ctx, w.officer, c.ID, d.ID, in, "scan.txt", strings.NewReader("not a scan"))
		if e := wantCode(t, err, errs.Invalid); e.Fields[0].Field != "file" {
			t.Errorf("fields %+v", e.Fields)
		}
		_, err = w.svc.RecordPaper(ctx, w.officer, c.ID, d.ID, delivery.PaperInput{ServedOn: "2025-10-10", Method: "by pigeon"}, "a.pdf", bytes.NewReader(fakePDF("x")))
		if e := wantCode(t, err, errs.Invalid); len(e.Fields) != 3 {
			t.Errorf("fields %+v, want served_on, method, receiver", e.Fields)
		}
		_, err = w.svc.RecordPaper(ctx, w.officer, c.ID, d.ID, in, "big.pdf", bytes.NewReader(append(fakePDF("x"), make([]byte, 300<<10)...)))
		wantCode(t, err, errs.TooLarge)
		scan := fakePDF("送达回证 签收")
		d2, err := w.svc.RecordPaper(ctx, w.officer, c.ID, d.ID, in, "../../回证.pdf", bytes.NewReader(scan))
		noErr(t, err)
		r := route(t, *d2, delivery.ChannelPaper)
		if r.Status != delivery.RouteDelivered || r.ServedOn != "2025-10-09" || r.ReceiptSHA != sha256Hex(scan) || r.ReceiptName != "回证.pdf" ||
			r.Receiver != "见证人 李四" || d2.Status != delivery.StatusServed || d2.ServedOn != "2025-10-09" {
			t.Fatalf("paper: %+v, delivery %+v", r, d2)
		}
		_, err = w.svc.RecordPaper(ctx, w.officer, c.ID, d.ID, in, "again.pdf", bytes.NewReader(scan))
		wantCode(t, err, errs.Conflict)
		rt, f, err := w.svc.OpenReceipt(ctx, w.supervisor, c.ID, d.ID)
		noErr(t, err)
		defer f.Close()
		var buf bytes.Buffer
		_, _ = buf.ReadFrom(f)
		if !bytes.Equal(buf.Bytes(), scan) || rt.ReceiptType != "application/pdf" {
			t.Error("the stored receipt differs")
		}
		w.drain(t)
		if recs := w.cases.recordsOf(c.ID); len(recs) != 1 || recs[0].ReceiptSHA256 != sha256Hex(scan) || recs[0].Method != "left_at_address" || !recs[0].Serves {
			t.Fatalf("records %+v", recs)
		}
	})
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
