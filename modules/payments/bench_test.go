package payments_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/app/testenv"
	"zhifa/migrations"
	"zhifa/modules/cases"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/payments"
	"zhifa/tenants"
)

const (
	benchClients = 16 // concurrent webhook deliveries
	benchConns   = 16
)

// BenchmarkWebhook measures checkout.session.completed events processed per second on
// PostgreSQL through HandleWebhook, 16 at a time, each a distinct paid payment: the signature
// verified with the account's webhook secret (decrypted from the settings), the event recorded
// once, the payment locked and marked paid, the chain entry (the package's map-backed Cases) and
// the receipt task written, in one transaction. It reports events/s, p50/p99 latency, and the
// ratio of its time per event to the same writes sent raw (the event row, the locked read and
// update of the payment, the event's outcome and the outbox row, in one transaction with the
// row-level-security settings, from 16 clients).
func BenchmarkWebhook(b *testing.B) {
	_, info := dbtest.PostgresInfo(b)
	db, err := tenants.Open("postgres", info.AppDSN, benchConns, migrations.TenantTables())
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	w := newWorld(b, db, worldOpts{account: true})
	c := w.newCase(b, 500000, "2025-09-19", "2025-10-09")
	ids := seedPending(b, w, c, 2*b.N)
	testenv.Analyze(b, info.OwnerDSN)
	events := make([][]byte, b.N)
	for i := range events {
		events[i] = sessionEvent(fmt.Sprintf("evt_bench_%d", i), payments.EventSessionCompleted, "", w.county.ID, c.CaseID, ids[i], true, int64(100000+i))
	}
	sigs := make([]string, b.N)
	for i := range events {
		sigs[i] = signed(events[i], whsec, time.Now()) // Stripe's work, not ours
	}

	b.ResetTimer()
	elapsed, lat := parallel(b, b.N, func(i int) error {
		r, err := w.svc.HandleWebhook(ctx, w.prov.ID, events[i], sigs[i])
		if err == nil && r.Outcome != "paid" {
			err = fmt.Errorf("event %d: %s", i, r.Outcome)
		}
		return err
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "events/s")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")

	raw := ids[b.N:]
	sc := dbtest.Scope(w.county, "bench")
	rawElapsed, rawLat := parallel(b, b.N, func(i int) error {
		return tenants.RunInTx(ctx, db, sc, func(ctx context.Context, tx bun.Tx) error {
			now := dbx.Stamp(w.clock.Now())
			evID := fmt.Sprintf("evt_raw_%d", i)
			if _, err := tx.ExecContext(ctx, `INSERT INTO payment_events (tenant_id, event_id, type, payment_id, outcome, received_at)
				VALUES (?, ?, 'checkout.session.completed', '', 'processing', ?) ON CONFLICT (tenant_id, event_id) DO NOTHING`, w.county.ID, evID, now); err != nil {
				return err
			}
			var status string
			if err := tx.QueryRowContext(ctx, `SELECT status FROM payments WHERE tenant_id = ? AND id = ? FOR UPDATE`, w.county.ID, raw[i]).Scan(&status); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE payments SET status = 'paid', paid_at = ?, reference = 'pi_raw', paid_fen = total_fen, updated_at = ?
				WHERE tenant_id = ? AND id = ?`, now, now, w.county.ID, raw[i]); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE payment_events SET outcome = 'paid', payment_id = ? WHERE tenant_id = ? AND event_id = ?`,
				raw[i], w.county.ID, evID); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO outbox (id, tenant_id, task_type, queue, payload, created_at, attempts, last_error)
				VALUES (?, ?, 'payments:issue_receipt', 'default', '{}', ?, 0, '')`, dbx.NewID(), w.county.ID, now)
			return err
		})
	})
	b.ReportMetric(float64(rawLat[len(rawLat)*99/100].Microseconds())/1000, "raw-p99-ms")
	b.ReportMetric(elapsed.Seconds()/rawElapsed.Seconds(), "x-raw")
}

// parallel runs f(0..n-1) from benchClients goroutines and returns the elapsed time and the
// sorted latencies.
func parallel(b *testing.B, n int, f func(i int) error) (time.Duration, []time.Duration) {
	work := make(chan int, n)
	for i := range n {
		work <- i
	}
	close(work)
	var mu sync.Mutex
	lat := make([]time.Duration, 0, n)
	var wg sync.WaitGroup
	start := time.Now()
	for range benchClients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				t0 := time.Now()
				if err := f(i); err != nil {
					b.Error(err)
					return
				}
				mu.Lock()
				lat = append(lat, time.Since(t0))
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if len(lat) != n {
		b.Fatalf("%d of %d done", len(lat), n)
	}
	slices.Sort(lat)
	return elapsed, lat
}

// seedPending writes n pending payments of case c (distinct amounts: one pending payment per
// amount) in batches and returns their IDs.
func seedPending(b *testing.B, w *world, c *cases.PaymentTerms, n int) []string {
	b.Helper()
	now := dbx.Stamp(w.clock.Now())
	ids := make([]string, 0, n)
	for lo := 0; lo < n; lo += 1000 {
		rows := make([]payments.Payment, 0, 1000)
		for i := lo; i < min(n, lo+1000); i++ {
			p := payments.Payment{ID: dbx.NewID(), TenantID: w.county.ID, CaseID: c.CaseID, CaseCode: c.CaseCode, BodyID: c.BodyID,
				PrincipalFen: int64(100000 + i), TotalFen: int64(100000 + i), Currency: "cny", Status: payments.StatusPending,
				QuotedOn: "2025-10-09", DueOn: "2025-10-09", ExpiresAt: now.Add(time.Hour), CreatedBy: "bench", CreatedAt: now, UpdatedAt: now}
			rows = append(rows, p)
			ids = append(ids, p.ID)
		}
		noErr(b, tenants.RunInTx(ctx, w.db, w.countyOp, func(ctx context.Context, tx bun.Tx) error {
			_, err := tx.NewInsert().Model(&rows).Exec(ctx)
			return err
		}))
	}
	return ids
}
