package delivery_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/app/testenv"
	"zhifa/config"
	"zhifa/jobs"
	"zhifa/modules/delivery"
	"zhifa/modules/delivery/deliverytask"
	"zhifa/modules/supervision/supervisiontask"
	"zhifa/tenants"
)

// TestWorkerEndToEnd runs the jobs on a real redis-server through the outbox relay and the Asynq
// worker, from the rows the case engine writes: a decision served by inbox, e-mail (a real SMTP
// exchange) and SMS, recorded on the case; and a decision whose e-mail the server refuses, failed
// and warned without retry.
func TestWorkerEndToEnd(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		backend, err := jobs.Connect(config.Redis{Addr: testenv.Redis(t)})
		noErr(t, err)
		defer backend.Close()
		w := newWorld(t, db)
		ok := w.newCase(w.a)
		okConsent := w.consent(t, w.officer, ok, delivery.ChannelInbox, delivery.ChannelEmail, delivery.ChannelSMS)
		refused := w.newCase(w.a)
		w.sink.RefuseRecipient("nobody@example.cn", testenv.SMTPNoSuchUser)
		_, err = w.svc.RecordConsent(ctx, w.officer, refused.ID, delivery.ConsentInput{Channels: []delivery.Channel{delivery.ChannelEmail},
			Email: "nobody@example.cn", SignedOn: "2025-09-20"})
		noErr(t, err)

		var mu sync.Mutex
		var warns []supervisiontask.Warning
		jobs.Handle(w.mux, supervisiontask.Warn, func(_ context.Context, sc tenants.Scope, wn supervisiontask.Warning) error {
			mu.Lock()
			warns = append(warns, wn)
			mu.Unlock()
			return nil
		})

		// The case engine's outbox rows, written in its transaction.
		outboxIDs := map[string]string{}
		for _, c := range []delivery.CaseInfo{ok, refused} {
			noErr(t, tenants.RunInTx(ctx, db, w.head, func(ctx context.Context, tx bun.Tx) error {
				id, err := deliverytask.Deliver.On(jobs.QueueCritical).Enqueue(ctx, tx, w.head, deliverytask.DeliverDocument{CaseID: c.ID,
					CaseCode: c.Code, BodyID: c.BodyID, Document: "penalty_decision", Due: "2025-10-20",
					Party: deliverytask.Party{Kind: "person", Name: c.Party.Name, IDNumber: c.Party.IDNumber, EDeliveryConsent: true}, EDeliveryConsent: true})
				outboxIDs[c.ID] = id
				return err
			}))
		}

		done := func() bool {
			mu.Lock()
			nw := len(warns)
			mu.Unlock()
			ds, err := w.svc.Deliveries(ctx, w.officer, ok.ID)
			if err != nil || len(ds) != 1 || len(ds[0].Routes) != 3 {
				return false
			}
			for _, r := range ds[0].Routes {
				if r.Status != delivery.RouteDelivered || (r.Channel != delivery.ChannelSMS && r.RecordedAt == nil) {
					return false
				}
			}
			return nw == 1
		}
		ctxRun, cancel := context.WithCancel(ctx)
		wk := jobs.NewWorker(jobs.WorkerConfig{Backend: backend, DB: db, Mux: w.mux, Concurrency: 4, RelayEvery: 50 * time.Millisecond,
			Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
		errc := make(chan error, 1)
		go func() { errc <- wk.Run(ctxRun, jobs.RunOptions{Worker: true}) }()
		deadline := time.Now().Add(30 * time.Second)
		for !done() && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		cancel()
		noErr(t, <-errc)
		if !done() {
			t.Fatalf("not done in 30 s: %+v; warnings %+v", w.deliveries(t, w.officer, ok), warns)
		}

		d := w.only(t, ok)
		if d.Status != delivery.StatusServed || d.Source != outboxIDs[ok.ID] {
			t.Errorf("delivery %s from task %q, want served from %s", d.Status, d.Source, outboxIDs[ok.ID])
		}
		if n := len(w.sink.Messages()); n != 1 {
			t.Errorf("%d e-mails, want 1", n)
		}
		if page, err := w.svc.Inbox(ctx, citizen(okConsent.CitizenID), 10, 0); err != nil || page.Total != 1 {
			t.Errorf("inbox %+v %v", page, err)
		}
		if n := len(w.sms.notices()); n != 1 {
			t.Errorf("%d SMS, want 1", n)
		}
		if n := len(w.cases.recordsOf(ok.ID)); n != 2 {
			t.Errorf("%d records on the case, want 2", n)
		}
		dr := w.only(t, refused)
		if r := route(t, dr, delivery.ChannelEmail); r.Status != delivery.RouteFailed || r.Attempts != 1 || dr.Status != delivery.StatusNeedsAction {
			t.Errorf("refused: route %+v, delivery %s", r, dr.Status)
		}
		if warns[0].CaseID != refused.ID || warns[0].Point != "delivery_failed" {
			t.Errorf("warning %+v", warns[0])
		}
		// The archived task is the refused e-mail, not retried.
		ins := backend.Inspector()
		defer ins.Close()
		if q, err := ins.GetQueueInfo(jobs.QueueCritical); err == nil && (q.Retry != 0 || q.Archived != 1) {
			t.Errorf("critical queue: %d to retry, %d archived; want 0 and 1 (the 550)", q.Retry, q.Archived)
		}
	})
}
