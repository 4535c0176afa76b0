package delivery_test

import (
	"bytes"
	"context"
	"errors"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/app/testenv"
	"zhifa/modules/delivery"
)

// TestEmailAccepted delivers a decision by inbox, e-mail and SMS through a real SMTP exchange: the
// receiving server gets the PDF attached, byte for byte; the route records the server's reply and
// time; the inbox stores the document; the SMS points to the inbox; each serving arrival is
// recorded on the case once, the first one as the delivery.
func TestEmailAccepted(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		c := w.newCase(w.a)
		con := w.consent(t, w.officer, c, delivery.ChannelEmail, delivery.ChannelInbox, delivery.ChannelSMS)
		w.deliverDocument(t, w.a, c, "penalty_decision", "2025-10-20")
		if warns := w.drain(t); len(warns) != 0 || len(w.taskErrs) != 0 {
			t.Fatalf("warnings %v, task errors %v", warns, w.taskErrs)
		}
		d := w.only(t, c)
		if d.Status != delivery.StatusServed || d.ServedAt == nil || d.ServedOn != "2025-10-09" || d.Late {
			t.Fatalf("delivery %+v, want served on 2025-10-09", d)
		}
		em := route(t, d, delivery.ChannelEmail)
		if em.Status != delivery.RouteDelivered || !strings.HasPrefix(em.Reply, "250 ") || em.DeliveredAt == nil || em.Address != "zhangsan@example.cn" ||
			em.MessageID != "<"+em.ID+".delivery@scjg.fj.gov.cn>" || em.Attempts != 1 {
			t.Fatalf("e-mail route %+v", em)
		}
		msgs := w.sink.Messages()
		if len(msgs) != 1 || msgs[0].From != "songda@scjg.fj.gov.cn" || len(msgs[0].To) != 1 || msgs[0].To[0] != "zhangsan@example.cn" {
			t.Fatalf("the server got %d messages: %+v", len(msgs), msgs)
		}
		m := msgs[0].Parse(t)
		if !bytes.Equal(m.PDF, w.docs.pdfOf(d.DocumentID)) || !bytes.HasPrefix(m.PDF, []byte("%PDF-1.7")) {
			t.Fatalf("the attachment is not the document's PDF (%d bytes)", len(m.PDF))
		}
		if m.FileName != "闽尤市监罚〔2025〕12号.pdf" || m.Header.Get("Message-Id") != em.MessageID || m.Header.Get("X-Zhifa-Delivery") != em.ID {
			t.Errorf("headers: file %q, Message-ID %q, X-Zhifa-Delivery %q", m.FileName, m.Header.Get("Message-Id"), m.Header.Get("X-Zhifa-Delivery"))
		}
		if !strings.Contains(m.Subject, c.Code) || !strings.Contains(m.Subject, "行政处罚决定书") {
			t.Errorf("subject %q", m.Subject)
		}
		if !strings.Contains(m.Text, "第六十一条") || !strings.Contains(m.Text, c.Code) {
			t.Errorf("text %q", m.Text)
		}

		in := route(t, d, delivery.ChannelInbox)
		if in.Status != delivery.RouteDelivered || in.Address != con.CitizenID || !strings.HasPrefix(in.Reply, "stored as inbox item ") {
			t.Fatalf("inbox route %+v", in)
		}
		page, err := w.svc.Inbox(ctx, citizen(con.CitizenID), 20, 0)
		noErr(t, err)
		if page.Total != 1 || page.Unread != 1 || page.Items[0].CaseCode != c.Code || page.Items[0].Title != "行政处罚决定书" {
			t.Fatalf("inbox %+v", page)
		}
		item, err := w.svc.InboxItem(ctx, citizen(con.CitizenID), page.Items[0].ID, true)
		noErr(t, err)
		if !bytes.Equal(item.Content, w.docs.pdfOf(d.DocumentID)) || item.ReadAt == nil {
			t.Errorf("inbox item: %d bytes, read %v", len(item.Content), item.ReadAt)
		}

		sms := route(t, d, delivery.ChannelSMS)
		got := w.sms.notices()
		if sms.Status != delivery.RouteDelivered || !strings.HasPrefix(sms.Reply, "202 ") || len(got) != 1 || got[0].To != "13800138000" ||
			got[0].Reference != sms.ID || !strings.Contains(got[0].Text, "https://zhifa.example/portal/inbox") {
			t.Fatalf("sms route %+v, gateway got %+v", sms, got)
		}

		recs := w.cases.recordsOf(c.ID)
		if len(recs) != 2 {
			t.Fatalf("%d arrivals recorded on the case, want 2 (inbox and e-mail; SMS only notifies): %+v", len(recs), recs)
		}
		serves := 0
		for _, r := range recs {
			if r.Serves {
				serves++
				if r.RouteID != d.ServedRoute || !r.At.Equal(*d.ServedAt) {
					t.Errorf("the serving record %+v is not the delivery's first arrival %s at %v", r, d.ServedRoute, d.ServedAt)
				}
			}
			if r.Channel == string(delivery.ChannelEmail) && (!strings.HasPrefix(r.Reply, "250 ") || r.MessageID != em.MessageID || r.ServedOn != "2025-10-09") {
				t.Errorf("e-mail record %+v", r)
			}
		}
		if serves != 1 {
			t.Errorf("%d records serve the document, want 1", serves)
		}
		for _, ch := range []delivery.Channel{delivery.ChannelEmail, delivery.ChannelInbox} {
			if r := route(t, w.only(t, c), ch); r.RecordedAt == nil {
				t.Errorf("the %s route is not marked recorded", ch)
			}
		}
	})
}

// TestEmailRefused: a 550 on RCPT fails the route at once (no retry: SkipRetry), keeps the
// server's reply, never marks it delivered, and warns so that the officer chooses another way.
func TestEmailRefused(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		w.sink.RefuseAll(testenv.SMTPNoSuchUser)
		c := w.newCase(w.a)
		w.consent(t, w.officer, c, delivery.ChannelEmail)
		w.deliverDocument(t, w.a, c, "penalty_decision", "2025-10-20")
		warns := w.drain(t)
		errsSend := w.taskErrs[delivery.SendEmail.Type]
		if len(errsSend) != 1 || !errors.Is(errsSend[0], asynq.SkipRetry) {
			t.Fatalf("send_email errors %v, want one SkipRetry", errsSend)
		}
		d := w.only(t, c)
		em := route(t, d, delivery.ChannelEmail)
		if em.Status != delivery.RouteFailed || em.DeliveredAt != nil || !strings.HasPrefix(em.Reply, "550 5.1.1") || em.FailedAt == nil {
			t.Fatalf("route %+v, want failed with the 550 reply", em)
		}
		if d.Status != delivery.StatusNeedsAction || d.ServedAt != nil || !hasOptions(d, delivery.ChannelPaper, delivery.ChannelPublicNotice) {
			t.Fatalf("delivery %+v, want needs_action offering paper and public notice", d)
		}
		if len(warns) != 1 || warns[0].w.Point != "delivery_failed" || warns[0].w.CaseID != c.ID || warns[0].w.Rule.Article != "61" || warns[0].tenant != w.a.ID {
			t.Fatalf("warnings %+v", warns)
		}
		if len(w.sink.Messages()) != 0 || len(w.cases.recordsOf(c.ID)) != 0 {
			t.Error("a refused message was delivered or recorded")
		}
		// Running the task again (a stray retry) sends nothing.
		w.sink.Accept()
		if err := w.runRoute(delivery.SendEmail, w.a, d, em); err != nil || len(w.sink.Messages()) != 0 {
			t.Fatalf("a failed route was sent again: %v, %d messages", err, len(w.sink.Messages()))
		}
	})
}

func hasOptions(d delivery.Delivery, want ...delivery.Channel) bool {
	for _, c := range want {
		found := false
		for _, o := range d.Options {
			found = found || o == c
		}
		if !found {
			return false
		}
	}
	return true
}

// TestEmailRetried: a 451, a refused connection, a connection dropped after the message, and a
// server that does not answer in time are each retried (never SkipRetry) and never mark the
// route delivered; once the server accepts, the route is delivered. The copy read by the server
// before it dropped the connection has the same Message-ID as the one accepted.
func TestEmailRetried(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		c := w.newCase(w.a)
		w.consent(t, w.officer, c, delivery.ChannelEmail)
		w.sink.RefuseAll(testenv.SMTPTryLater)
		w.deliverDocument(t, w.a, c, "penalty_decision", "2025-10-20")
		w.drain(t)
		d := w.only(t, c)
		em := route(t, d, delivery.ChannelEmail)
		// A refusal leaves the route pending; a message written in full without a reply leaves it
		// "sending" (it may have arrived), ready for the next attempt.
		retried := func(what string, err error, attempts int, status delivery.RouteStatus) {
			t.Helper()
			if err == nil || errors.Is(err, asynq.SkipRetry) {
				t.Fatalf("%s: %v, want a retryable error", what, err)
			}
			r := route(t, w.only(t, c), delivery.ChannelEmail)
			if r.Status != status || r.DeliveredAt != nil || r.Attempts != attempts || r.LastError == "" {
				t.Fatalf("%s: route %+v, want %s after %d attempts", what, r, status, attempts)
			}
			if dd := w.only(t, c); dd.Status != delivery.StatusInProgress || dd.ServedAt != nil {
				t.Fatalf("%s: delivery %+v, want in progress", what, dd)
			}
		}
		retried("451", w.taskErrs[delivery.SendEmail.Type][0], 1, delivery.RoutePending)

		w.sink.HangUpAfterData(0)
		retried("dropped", w.runRoute(delivery.SendEmail, w.a, d, em), 2, delivery.RouteSending)
		if r := route(t, w.only(t, c), delivery.ChannelEmail); !strings.Contains(r.LastError, "no reply came") {
			t.Errorf("a drop after the message is not marked uncertain: %q", r.LastError)
		}

		w.sink.HangUpAfterData(2 * time.Second)
		hung := delivery.New(delivery.Config{DB: db, Rules: w.rules, Cases: w.cases, Documents: w.docs, Now: w.clock.Now,
			Mailer: delivery.NewSMTPMailer(delivery.SMTPConfig{Host: "127.0.0.1", Port: w.sink.Port, From: "songda@scjg.fj.gov.cn",
				TLSMode: "none", Timeout: 300 * time.Millisecond})})
		start := time.Now()
		err := hung.HandleSendEmail(ctx, w.officer, routeBody(d, em))
		if time.Since(start) > 1500*time.Millisecond {
			t.Errorf("the timeout took %v", time.Since(start))
		}
		retried("timeout", err, 3, delivery.RouteSending)

		// Nothing listens on a free port: the connection is refused.
		refused := delivery.New(delivery.Config{DB: db, Rules: w.rules, Cases: w.cases, Documents: w.docs, Now: w.clock.Now,
			Mailer: delivery.NewSMTPMailer(delivery.SMTPConfig{Host: "127.0.0.1", Port: testenv.FreePort(t), From: "songda@scjg.fj.gov.cn", TLSMode: "none"})})
		retried("connection refused", refused.HandleSendEmail(ctx, w.officer, routeBody(d, em)), 4, delivery.RouteSending)

		w.sink.Accept()
		noErr(t, w.runRoute(delivery.SendEmail, w.a, d, em))
		w.drain(t)
		d = w.only(t, c)
		em = route(t, d, delivery.ChannelEmail)
		if em.Status != delivery.RouteDelivered || em.Attempts != 5 || d.Status != delivery.StatusServed || !strings.Contains(em.LastError, "same Message-ID") {
			t.Fatalf("after the server accepts: route %+v, delivery %s", em, d.Status)
		}
		acc, drop := w.sink.Messages(), w.sink.Unanswered()
		if len(acc) != 1 || len(drop) != 2 {
			t.Fatalf("accepted %d, read but unanswered %d; want 1 and 2", len(acc), len(drop))
		}
		for _, m := range drop {
			if m.Parse(t).Header.Get("Message-Id") != em.MessageID {
				t.Error("an unanswered copy has another Message-ID")
			}
		}
	})
}

func routeBody(d delivery.Delivery, r delivery.Route) delivery.RouteTask {
	return delivery.RouteTask{DeliveryID: d.ID, RouteID: r.ID}
}

// TestEmailOutOfAttempts: a route that keeps failing for temporary reasons fails after its last
// attempt, without retry, and warns.
func TestEmailOutOfAttempts(t *testing.T) {
	t.Parallel()
	db := dbtest.SQLite(t)
	w := newWorld(t, db, func(c *delivery.Config) { c.MaxAttempts = 2 })
	w.sink.RefuseAll(testenv.SMTPTryLater)
	c := w.newCase(w.a)
	w.consent(t, w.officer, c, delivery.ChannelEmail)
	w.deliverDocument(t, w.a, c, "penalty_decision", "2025-10-20")
	w.drain(t)
	d := w.only(t, c)
	err := w.runRoute(delivery.SendEmail, w.a, d, route(t, d, delivery.ChannelEmail))
	if !errors.Is(err, asynq.SkipRetry) {
		t.Fatalf("second temporary failure with MaxAttempts 2: %v, want SkipRetry", err)
	}
	warns := w.drain(t)
	d = w.only(t, c)
	if r := route(t, d, delivery.ChannelEmail); r.Status != delivery.RouteFailed || r.Attempts != 2 || !strings.HasPrefix(r.Reply, "451 4.3.0") {
		t.Fatalf("route %+v", r)
	}
	if len(warns) != 1 || warns[0].w.Point != "delivery_failed" || d.Status != delivery.StatusNeedsAction {
		t.Fatalf("warnings %+v, delivery %s", warns, d.Status)
	}
}

// TestSendOnce: the e-mail task run again after success, or twice at the same time, sends one
// message; the case engine's task run twice opens one delivery.
func TestSendOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		c := w.newCase(w.a)
		w.consent(t, w.officer, c, delivery.ChannelEmail)
		w.deliverDocument(t, w.a, c, "penalty_decision", "2025-10-20")
		w.deliverDocument(t, w.a, c, "penalty_decision", "2025-10-20")
		if ds := w.deliveries(t, w.officer, c); len(ds) != 1 || len(ds[0].Routes) != 1 {
			t.Fatalf("two runs of deliver_document made %d deliveries", len(ds))
		}
		d := w.only(t, c)
		em := route(t, d, delivery.ChannelEmail)
		var wg sync.WaitGroup
		errc := make(chan error, 4)
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errc <- w.runRoute(delivery.SendEmail, w.a, d, em)
			}()
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			if err != nil && !strings.Contains(err.Error(), "another attempt is in flight") && !strings.Contains(err.Error(), "locked") && !strings.Contains(err.Error(), "busy") {
				t.Errorf("concurrent run: %v", err)
			}
		}
		noErr(t, w.runRoute(delivery.SendEmail, w.a, d, em))
		w.drain(t)
		noErr(t, w.runRoute(delivery.SendEmail, w.a, d, em))
		if n := len(w.sink.Messages()); n != 1 {
			t.Fatalf("%d messages sent, want 1", n)
		}
		if r := route(t, w.only(t, c), delivery.ChannelEmail); r.Status != delivery.RouteDelivered || r.Attempts != 1 {
			t.Fatalf("route %+v", r)
		}
		if n := len(w.cases.recordsOf(c.ID)); n != 1 {
			t.Errorf("%d records, want 1", n)
		}
	})
}

// crashMailer sends through the real mailer, then ends its goroutine as a crashed worker would:
// the server accepted the message but the arrival is never written.
type crashMailer struct{ m delivery.Mailer }

func (c crashMailer) Send(ctx context.Context, m *delivery.Message) (*delivery.Receipt, error) {
	if _, err := c.m.Send(ctx, m); err != nil {
		return nil, err
	}
	runtime.Goexit()
	return nil, nil
}

// TestCrashAfterAcceptance: a worker that dies between the server's 250 and the database update
// leaves the route "sending"; while its lease holds, no other attempt sends; after it, the next
// attempt sends the same message again (same Message-ID) and records it. Never delivered twice
// without a recognisable duplicate; never recorded as delivered before a server accepted it.
func TestCrashAfterAcceptance(t *testing.T) {
	t.Parallel()
	db := dbtest.SQLite(t)
	w := newWorld(t, db)
	c := w.newCase(w.a)
	w.consent(t, w.officer, c, delivery.ChannelEmail)
	w.deliverDocument(t, w.a, c, "penalty_decision", "2025-10-20")
	w.discardOutbox(t)
	d := w.only(t, c)
	em := route(t, d, delivery.ChannelEmail)
	crashing := delivery.New(delivery.Config{DB: db, Rules: w.rules, Cases: w.cases, Documents: w.docs, Now: w.clock.Now,
		Mailer: crashMailer{w.mailer}, From: "songda@scjg.fj.gov.cn"})
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = crashing.HandleSendEmail(ctx, w.officer, routeBody(d, em))
	}()
	<-done
	r := route(t, w.only(t, c), delivery.ChannelEmail)
	if r.Status != delivery.RouteSending || r.DeliveredAt != nil || len(w.sink.Messages()) != 1 {
		t.Fatalf("after the crash: route %+v, %d messages", r, len(w.sink.Messages()))
	}
	err := w.runRoute(delivery.SendEmail, w.a, d, em)
	if err == nil || !strings.Contains(err.Error(), "another attempt is in flight") || len(w.sink.Messages()) != 1 {
		t.Fatalf("within the lease: %v, %d messages", err, len(w.sink.Messages()))
	}
	w.clock.Advance(delivery.DefaultLease + time.Second)
	noErr(t, w.runRoute(delivery.SendEmail, w.a, d, em))
	r = route(t, w.only(t, c), delivery.ChannelEmail)
	msgs := w.sink.Messages()
	if r.Status != delivery.RouteDelivered || r.Attempts != 2 || len(msgs) != 2 || !strings.Contains(r.LastError, "same Message-ID") {
		t.Fatalf("after the lease: route %+v, %d messages", r, len(msgs))
	}
	if a, b := msgs[0].Parse(t).Header.Get("Message-Id"), msgs[1].Parse(t).Header.Get("Message-Id"); a != b || a != r.MessageID {
		t.Errorf("Message-IDs %q and %q, want both %q", a, b, r.MessageID)
	}
}
