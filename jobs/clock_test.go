package jobs_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/app/testenv"
	"zhifa/config"
	"zhifa/jobs"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/dbx"
	"zhifa/tenants"
)

// TestRelayStampsByItsClock: the relay stamps relayed_at and held_at by the clock it is given
// (a pinned day here), Prune's cutoff is read against that clock, and the outbox keeps the order
// its rows were written in, whatever the day: each row's created_at is the instant of its ID.
func TestRelayStampsByItsClock(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		backend, err := jobs.Connect(config.Redis{Addr: testenv.Redis(t)})
		noErr(t, err)
		defer backend.Close()
		tn := dbtest.NewTenant(t, db, nil)
		sc := dbtest.Scope(tn, "officer", authz.Officer)
		orphan := jobs.Task[string]{Type: "test:orphan_clock_" + tn.ID, Queue: jobs.QueueDefault}
		var ids []string
		for i, task := range []jobs.Task[string]{echo, orphan, echo} {
			noErr(t, tenants.RunInTx(ctx, db, sc, func(ctx context.Context, tx bun.Tx) error {
				id, err := task.Enqueue(ctx, tx, sc, string(rune('a'+i)))
				ids = append(ids, id)
				return err
			}))
		}
		// 2025-10-01 09:00 in China: National Day, a day no test runs on by the wall clock.
		day := time.Date(2025, time.October, 1, 9, 0, 0, 123456789, time.FixedZone("CST", 8*3600))
		client := backend.Client()
		defer client.Close()
		mux := jobs.NewMux(tenants.NewStore(db))
		jobs.Handle(mux, echo, func(context.Context, tenants.Scope, string) error { return nil })
		relay := jobs.NewRelay(jobs.RelayConfig{DB: db, Client: client, Mux: mux, Log: discard, Now: func() time.Time { return day }})
		if n, err := relay.RunOnce(ctx); err != nil || n != 2 {
			t.Fatalf("relay: %d, %v; want the two echo rows", n, err)
		}
		rows := outboxRows(t, db, ids)
		got := make([]string, len(rows))
		for i, r := range rows {
			got[i] = r.ID
			if !r.CreatedAt.Equal(dbx.IDTime(r.ID)) {
				t.Errorf("row %s: created_at %v, want its ID's instant %v", r.ID, r.CreatedAt, dbx.IDTime(r.ID))
			}
		}
		if !slices.Equal(got, ids) {
			t.Errorf("the outbox orders its rows %v, want the order they were written in %v", got, ids)
		}
		stamp := dbx.Stamp(day)
		for _, r := range rows {
			at, want := r.RelayedAt, r.TaskType == echo.Type
			if !want {
				at = r.HeldAt
			}
			if at == nil || !at.Equal(stamp) {
				t.Errorf("row %s (%s): relayed %v held %v, want %v by the relay's clock", r.ID, r.TaskType, r.RelayedAt, r.HeldAt, stamp)
			}
		}
		for _, c := range []struct {
			cutoff time.Time
			want   int64
		}{{day, 0}, {day.Add(time.Microsecond), 2}, {day.Add(time.Hour), 0}} {
			if n, err := jobs.Prune(ctx, db, c.cutoff); err != nil || n != c.want {
				t.Errorf("prune before %v: %d, %v; want %d", c.cutoff, n, err, c.want)
			}
		}
		if left := outboxRows(t, db, ids[1:2]); left[0].RelayedAt != nil {
			t.Errorf("the held row was relayed: %v", left[0].RelayedAt)
		}
	})
}
