package delivery

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/modules/kernel/dbx"
	"zhifa/tenants"
)

// item is a write of the group test: it inserts a row of a tenant table and fails when bad is set.
type item struct {
	id    string
	bad   bool
	runs  atomic.Int32
	saved bool
}

// TestGroupCommitsTogetherAndIsolatesFailures: concurrent items are committed in shared
// transactions, every good item is committed exactly once even when a bad one shares its batch
// (the batch is rolled back and its items run again alone), and the bad one alone fails.
func TestGroupCommitsTogetherAndIsolatesFailures(t *testing.T) {
	db := dbtest.SQLite(t)
	tn := dbtest.NewTenant(t, db, nil)
	sc := dbtest.Scope(tn, "test")
	var largest atomic.Int32
	bad := errors.New("bad item")
	g := newGroup(db, func(ctx context.Context, tx bun.Tx, sc tenants.Scope, items []*item) error {
		for n := int32(len(items)); ; {
			if old := largest.Load(); n <= old || largest.CompareAndSwap(old, n) {
				break
			}
		}
		time.Sleep(5 * time.Millisecond) // let the others queue up behind this batch
		for _, it := range items {
			it.runs.Add(1)
			it.saved = false
			if it.bad {
				return bad
			}
			c := &Consent{ID: it.id, TenantID: sc.TenantID(), CaseID: dbx.NewID(), PartyKind: "person", PartyName: "x", PartyKey: "k",
				Channels: ChannelSet{ChannelEmail}, SignedOn: "2025-01-01", RecordedBy: "t", RecordedAt: dbx.Stamp(time.Now())}
			if _, err := tx.NewInsert().Model(c).Exec(ctx); err != nil {
				return err
			}
			it.saved = true
		}
		return nil
	})
	const n = 60
	items := make([]*item, n)
	errsOut := make([]error, n)
	var wg sync.WaitGroup
	for i := range items {
		items[i] = &item{id: dbx.NewID(), bad: i == 17}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errsOut[i] = g.do(context.Background(), sc, items[i])
		}()
	}
	wg.Wait()
	for i, err := range errsOut {
		if items[i].bad != (err != nil) || (err != nil && !errors.Is(err, bad)) {
			t.Errorf("item %d (bad %v): %v", i, items[i].bad, err)
		}
	}
	var stored int
	if err := tenants.RunInTx(context.Background(), db, sc, func(ctx context.Context, tx bun.Tx) error {
		c, err := tenants.Own(sc, tx.NewSelect().Model((*Consent)(nil))).Count(ctx)
		stored = int(c)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if stored != n-1 {
		t.Errorf("%d rows stored, want %d: a good item was lost or written twice", stored, n-1)
	}
	if largest.Load() < 2 {
		t.Error("nothing was batched")
	}
	for i, it := range items {
		if !it.bad && it.runs.Load() > 1 && !it.saved {
			t.Errorf("item %d was run again but not saved", i)
		}
	}
	if err := newGroup(db, func(context.Context, bun.Tx, tenants.Scope, []*item) error { return nil }).do(context.Background(), tenants.Scope{}, &item{}); err == nil {
		t.Error("an item without a scope ran")
	}
}
