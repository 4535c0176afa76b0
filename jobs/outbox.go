package jobs

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"time"

	"github.com/hibiken/asynq"
	"github.com/uptrace/bun"

	"zhifa/modules/kernel/dbx"
	"zhifa/tenants"
)

// Queues, by weight.
const (
	QueueCritical = "critical"
	QueueDefault  = "default"
	QueueLow      = "low"
)

// Queues maps each queue to its weight for the worker.
var Queues = map[string]int{QueueCritical: 6, QueueDefault: 3, QueueLow: 1}

// OutboxRow is a task waiting to be handed to Asynq, written in the business transaction.
type OutboxRow struct {
	bun.BaseModel `bun:"table:outbox,alias:o"`

	ID       string `bun:"id,pk"`
	TenantID string `bun:"tenant_id,notnull"`
	TaskType string `bun:"task_type,notnull"`
	Queue    string `bun:"queue,notnull"`
	Payload  string `bun:"payload,notnull"`
	// CreatedAt is the instant the row's ID carries (dbx.IDTime): the outbox keeps its own order,
	// the order its rows were written in, whatever clock the enqueuing service keeps (a test's
	// pinned day included).
	CreatedAt time.Time  `bun:"created_at,notnull"`
	RelayedAt *time.Time `bun:"relayed_at"`
	Attempts  int        `bun:"attempts,notnull"`
	LastError string     `bun:"last_error,notnull"`
	// HeldAt is when a relay found no handler for the row's type in its deployment and held the
	// row instead of handing it to Asynq (alarmed once); a relay whose mux handles the type
	// releases it. Held rows are never counted as attempts.
	HeldAt *time.Time `bun:"held_at"`
}

// enqueue writes a task to the outbox inside the caller's transaction tx (which must act under
// sc); Task.Enqueue is its typed form.
func enqueue(ctx context.Context, tx bun.IDB, sc tenants.Scope, typ, queue string, body any) (string, error) {
	if sc.IsSystem() || sc.TenantID() == "" {
		return "", fmt.Errorf("jobs: enqueue %s: the outbox needs a tenant scope", typ)
	}
	if _, ok := Queues[queue]; !ok {
		return "", fmt.Errorf("jobs: enqueue %s: unknown queue %q", typ, queue)
	}
	payload, err := envelope(sc, body)
	if err != nil {
		return "", err
	}
	id := dbx.NewID()
	row := OutboxRow{ID: id, TenantID: sc.TenantID(), TaskType: typ, Queue: queue, Payload: string(payload), CreatedAt: dbx.IDTime(id)}
	if _, err := tx.NewInsert().Model(&row).Exec(ctx); err != nil {
		return "", fmt.Errorf("jobs: enqueue %s: %w", typ, err)
	}
	return row.ID, nil
}

// Relay moves outbox rows into Asynq: only the rows whose type its mux handles. A row of a type
// no handler serves (its module is not deployed yet, or not any more) is held in the outbox:
// marked once (held_at, last_error) and alarmed once at error level, never handed to Asynq to be
// retried and archived, and relayed by the first relay whose mux handles it.
type Relay struct {
	db     *bun.DB
	client *asynq.Client
	mux    *Mux
	log    *slog.Logger
	now    func() time.Time
	batch  int
}

// RelayConfig wires a relay.
type RelayConfig struct {
	DB     *bun.DB       // the outbox's database
	Client *asynq.Client // where the rows go
	Mux    *Mux          // the types it relays: those the mux handles
	Log    *slog.Logger  // where it alarms
	// Now is the clock (default time.Now) that stamps relayed_at and held_at.
	Now func() time.Time
}

// NewRelay returns the relay c describes.
func NewRelay(c RelayConfig) *Relay {
	r := &Relay{db: c.DB, client: c.Client, mux: c.Mux, log: c.Log, now: c.Now, batch: 200}
	if r.now == nil {
		r.now = time.Now
	}
	return r
}

var relayScope = tenants.System("outbox relay: hand every tenant's pending tasks to Asynq")

// RetentionAfterRelay keeps a finished task's ID in Redis so a re-relayed row is recognised.
const RetentionAfterRelay = 7 * 24 * time.Hour

// noHandler is the error recorded on a held row.
const noHandler = "held: no handler for this task type in this deployment"

// RunOnce holds the pending rows of types without a handler, then relays up to one batch of
// pending rows of handled types (held rows of a type handled now included), oldest first, and
// returns how many it handed over. Each task's ID is its row's ID: a row relayed again after a
// crash between enqueue and marking conflicts in Asynq and is only marked. On PostgreSQL
// concurrent relays skip each other's rows (FOR UPDATE SKIP LOCKED).
func (r *Relay) RunOnce(ctx context.Context) (int, error) {
	handled := r.mux.Types()
	var held []OutboxRow
	n := 0
	err := tenants.RunInTx(ctx, r.db, relayScope, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if held, err = r.hold(ctx, tx, handled); err != nil {
			return err
		}
		rows, err := r.pending(ctx, tx, handled)
		if err != nil {
			return err
		}
		now := dbx.Stamp(r.now())
		for i := range rows {
			row := &rows[i]
			t := asynq.NewTask(row.TaskType, []byte(row.Payload))
			_, err := r.client.EnqueueContext(ctx, t, asynq.TaskID(row.ID), asynq.Queue(row.Queue),
				asynq.MaxRetry(10), asynq.Retention(RetentionAfterRelay))
			if err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) {
				row.Attempts++
				row.LastError = err.Error()
				if _, uerr := tx.NewUpdate().Model(row).Column("attempts", "last_error").WherePK().Exec(ctx); uerr != nil {
					return uerr
				}
				continue
			}
			if row.HeldAt != nil {
				r.log.InfoContext(ctx, "outbox: held task released", "type", row.TaskType, "id", row.ID, "held_at", row.HeldAt.UTC())
				row.LastError = ""
			}
			row.RelayedAt = &now
			if _, err := tx.NewUpdate().Model(row).Column("relayed_at", "last_error").WherePK().Exec(ctx); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	r.alarm(ctx, held)
	return n, nil
}

// lock takes the selected rows for this relay on PostgreSQL, skipping those another relay holds.
func lock(tx bun.Tx, q *bun.SelectQuery) *bun.SelectQuery {
	if dbx.IsPostgres(tx) {
		return q.For("UPDATE SKIP LOCKED")
	}
	return q
}

// hold marks the pending rows of types not in handled that no relay held yet (held_at, the
// reason in last_error) and returns them. The rows never held are few (each is relayed or held
// by the next run), so that the rows held for long do not slow down the runs (outbox_fresh).
func (r *Relay) hold(ctx context.Context, tx bun.Tx, handled []string) ([]OutboxRow, error) {
	var rows []OutboxRow
	q := tx.NewSelect().Model(&rows).Column("id", "task_type").Where("relayed_at IS NULL AND held_at IS NULL")
	if len(handled) > 0 {
		q = q.Where("task_type NOT IN (?)", bun.In(handled))
	}
	if err := lock(tx, q.OrderExpr("created_at, id").Limit(int64(r.batch))).Scan(ctx); err != nil || len(rows) == 0 {
		return nil, err
	}
	ids := make([]string, len(rows))
	for i := range rows {
		ids[i] = rows[i].ID
	}
	_, err := tx.NewUpdate().Model((*OutboxRow)(nil)).Set("held_at = ?", dbx.Stamp(r.now())).Set("last_error = ?", noHandler).
		Where("id IN (?)", bun.In(ids)).Exec(ctx)
	return rows, err
}

// pending selects up to a batch of rows of handled types to relay, oldest first: the rows never
// held (outbox_fresh), and the held rows whose type is handled now (outbox_held, by type).
func (r *Relay) pending(ctx context.Context, tx bun.Tx, handled []string) ([]OutboxRow, error) {
	if len(handled) == 0 {
		return nil, nil
	}
	var fresh, released []OutboxRow
	for _, sel := range []struct {
		rows *[]OutboxRow
		held string
	}{{&fresh, "held_at IS NULL"}, {&released, "held_at IS NOT NULL"}} {
		q := tx.NewSelect().Model(sel.rows).Where("relayed_at IS NULL AND "+sel.held).Where("task_type IN (?)", bun.In(handled)).
			OrderExpr("created_at, id").Limit(int64(r.batch))
		if err := lock(tx, q).Scan(ctx); err != nil {
			return nil, err
		}
	}
	rows := append(fresh, released...)
	slices.SortFunc(rows, func(a, b OutboxRow) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	return rows[:min(len(rows), r.batch)], nil
}

// alarm logs, once per type, the rows a run held: each row is held, and so alarmed, once.
func (r *Relay) alarm(ctx context.Context, held []OutboxRow) {
	byType := map[string][]string{}
	for _, row := range held {
		byType[row.TaskType] = append(byType[row.TaskType], row.ID)
	}
	for _, typ := range slices.Sorted(maps.Keys(byType)) {
		r.log.ErrorContext(ctx, "outbox: tasks held: no handler for their type in this deployment; they are relayed once a worker handles it",
			"type", typ, "rows", len(byType[typ]), "ids", byType[typ])
	}
}

// Run relays every interval until ctx ends, logging failures through onErr.
func (r *Relay) Run(ctx context.Context, interval time.Duration, onErr func(error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		for {
			n, err := r.RunOnce(ctx)
			if err != nil && ctx.Err() == nil {
				onErr(err)
			}
			if n < r.batch || err != nil {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Prune deletes outbox rows relayed before cutoff (by the relay's clock, as relayed_at is) and
// returns how many.
func Prune(ctx context.Context, db *bun.DB, cutoff time.Time) (int64, error) {
	var n int64
	err := tenants.RunInTx(ctx, db, tenants.System("outbox prune: drop relayed rows past retention"), func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewDelete().Model((*OutboxRow)(nil)).Where("relayed_at IS NOT NULL AND relayed_at < ?", cutoff).Exec(ctx)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}
