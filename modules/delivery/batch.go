package delivery

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/uptrace/bun"

	"zhifa/tenants"
)

// group commits the small writes of concurrent tasks together (group commit): each of its
// workers takes the items waiting (up to maxBatch) and runs them through run in one transaction
// per tenant, with statements that handle every item at once. A busy worker pays for BEGIN, the
// row-level-security settings, the statements and COMMIT once per batch instead of once per task;
// an idle one runs each item alone, at once. run writes each item's own result into the item; its
// error means the transaction failed, and then each item of the batch is run again alone, so that
// one bad item fails only itself (run must therefore set its results afresh). A caller returns once
// its item has committed or failed: batching changes when a write commits, never whether it is
// durable before the task goes on.
//
// Workers start when items wait and stop after workerIdleTime: there is nothing to close.
type group[T any] struct {
	db      *bun.DB
	run     func(ctx context.Context, tx bun.Tx, sc tenants.Scope, items []T) error
	ops     chan *groupOp[T]
	workers atomic.Int32
}

// The limits of a group.
const (
	maxBatch       = 64
	workerIdleTime = 2 * time.Second
	spawnAfter     = 50 * time.Millisecond
	maxWorkers     = 4
)

// groupOp is one item waiting for its batch.
type groupOp[T any] struct {
	ctx  context.Context
	sc   tenants.Scope
	item T
	done chan error
}

func newGroup[T any](db *bun.DB, run func(ctx context.Context, tx bun.Tx, sc tenants.Scope, items []T) error) *group[T] {
	return &group[T]{db: db, run: run, ops: make(chan *groupOp[T])}
}

// do runs item under sc's tenant, possibly in a batch with others, and returns the error of the
// transaction it committed in (nil: committed). A worker is added only when the running ones have
// been busy for spawnAfter, so that a steady load makes large batches and a stuck transaction does
// not hold the others up.
func (g *group[T]) do(ctx context.Context, sc tenants.Scope, item T) error {
	if !sc.Valid() || sc.IsSystem() {
		return tenants.ErrNoScope
	}
	o := &groupOp[T]{ctx: ctx, sc: sc, item: item, done: make(chan error, 1)}
	for {
		if g.workers.Load() == 0 {
			g.spawn()
		}
		select {
		case g.ops <- o:
			return <-o.done
		case <-time.After(spawnAfter):
			g.spawn()
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// spawn starts a worker unless maxWorkers run.
func (g *group[T]) spawn() {
	if n := g.workers.Add(1); n <= maxWorkers {
		go g.work()
		return
	}
	g.workers.Add(-1)
}

// work takes batches until it has been idle for workerIdleTime.
func (g *group[T]) work() {
	defer g.workers.Add(-1)
	idle := time.NewTimer(workerIdleTime)
	defer idle.Stop()
	for {
		select {
		case o := <-g.ops:
			batch := []*groupOp[T]{o}
		more:
			for len(batch) < maxBatch {
				select {
				case o := <-g.ops:
					batch = append(batch, o)
				default:
					break more
				}
			}
			g.flush(batch)
			idle.Reset(workerIdleTime)
		case <-idle.C:
			return
		}
	}
}

// flush commits a batch, one transaction per tenant.
func (g *group[T]) flush(batch []*groupOp[T]) {
	byTenant := map[string][]*groupOp[T]{}
	var order []string
	for _, o := range batch {
		t := o.sc.TenantID()
		if byTenant[t] == nil {
			order = append(order, t)
		}
		byTenant[t] = append(byTenant[t], o)
	}
	var wg sync.WaitGroup
	for _, t := range order {
		ops := byTenant[t]
		items := make([]T, len(ops))
		for i, o := range ops {
			items[i] = o.item
		}
		sc := ops[0].sc
		err := tenants.RunInTx(context.WithoutCancel(ops[0].ctx), g.db, sc, func(ctx context.Context, tx bun.Tx) error {
			return g.run(ctx, tx, sc, items)
		})
		if err == nil || len(ops) == 1 {
			for _, o := range ops {
				o.done <- err
			}
			continue
		}
		for _, o := range ops {
			wg.Add(1)
			go func() {
				defer wg.Done()
				o.done <- tenants.RunInTx(o.ctx, g.db, o.sc, func(ctx context.Context, tx bun.Tx) error {
					return g.run(ctx, tx, o.sc, []T{o.item})
				})
			}()
		}
	}
	wg.Wait()
}
