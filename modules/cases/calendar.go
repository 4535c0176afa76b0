package cases

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/hibiken/asynq"
	"github.com/uptrace/bun"

	"zhifa/jobs"
	"zhifa/modules/cases/casetask"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

// RecomputeWaiting is the case engine's periodic pass over the cases whose deadlines waited for a
// holiday notice that is loaded now: a load by a system scope writes no task, and a step counted
// by another process with the calendar it cached before a load can record a wait after the load's
// task ran.
var RecomputeWaiting = jobs.Periodic{Type: "cases:recompute_waiting", Queue: jobs.QueueLow, Spec: "@every 1h",
	Reason: "case deadline waiting for a loaded holiday notice"}

// waitScope finds, across tenants, the cases waiting for a notice; each is computed again under
// its own tenant's scope.
var waitScope = tenants.System("cases: find the deadlines waiting for a holiday notice")

// HandleCalendarLoaded handles rules:calendar_loaded: the deadlines of every case that waited for
// the year's notice are counted again and the case's next due day and wait are stored. The task
// is written at the loading operator's root tenant; the calendar is the platform's, so the cases of
// every tenant are computed. Until this process reads the loaded year, the task fails and is retried.
func (s *Service) HandleCalendarLoaded(ctx context.Context, _ tenants.Scope, p casetask.Calendar) error {
	if p.Year < rules.MinYear || p.Year > rules.MaxYear {
		return fmt.Errorf("cases: %s: bad payload %+v: %w", casetask.CalendarLoaded.Type, p, asynq.SkipRetry)
	}
	s.rules.Refresh()
	cal, err := s.rules.Calendar(ctx)
	if err != nil {
		return err
	}
	if !cal.Known(p.Year) {
		return fmt.Errorf("cases: the loaded %d holiday notice is not readable yet", p.Year)
	}
	return s.recomputeWaiting(ctx, []int{p.Year})
}

// HandleRecomputeWaiting computes again the cases waiting for any notice that is loaded now. It
// runs under a system scope (the periodic envelope).
func (s *Service) HandleRecomputeWaiting(ctx context.Context, sc tenants.Scope) error {
	if !sc.IsSystem() {
		return fmt.Errorf("cases: %s needs a system scope: %w", RecomputeWaiting.Type, asynq.SkipRetry)
	}
	cal, err := s.rules.Calendar(ctx)
	if err != nil {
		return err
	}
	var waiting []int
	if err := tenants.RunInTx(ctx, s.db, waitScope, func(ctx context.Context, tx bun.Tx) error {
		return tx.NewSelect().Model((*Case)(nil)).ColumnExpr("DISTINCT c.calendar_wait").
			Where("c.calendar_wait IS NOT NULL").Scan(ctx, &waiting)
	}); err != nil {
		return err
	}
	waiting = slices.DeleteFunc(waiting, func(y int) bool { return !cal.Known(y) })
	if len(waiting) == 0 {
		return nil
	}
	return s.recomputeWaiting(ctx, waiting)
}

// waitingRow is a case waiting for a notice.
type waitingRow struct {
	bun.BaseModel `bun:"table:cases,alias:c"`

	ID       string `bun:"id"`
	TenantID string `bun:"tenant_id"`
	Version  int    `bun:"version"`
}

// recomputeWaiting counts again the deadlines of the cases waiting for one of years, in batches by
// case ID, one transaction per tenant and batch.
func (s *Service) recomputeWaiting(ctx context.Context, years []int) error {
	store := tenants.NewStore(s.db)
	after := ""
	for {
		var rows []waitingRow
		if err := tenants.RunInTx(ctx, s.db, waitScope, func(ctx context.Context, tx bun.Tx) error {
			return tx.NewSelect().Model(&rows).Where("c.calendar_wait IN (?) AND c.id > ?", bun.In(years), after).
				OrderExpr("c.id").Limit(scanBatch).Scan(ctx)
		}); err != nil || len(rows) == 0 {
			return err
		}
		after = rows[len(rows)-1].ID
		byTenant := map[string][]waitingRow{}
		for _, r := range rows {
			byTenant[r.TenantID] = append(byTenant[r.TenantID], r)
		}
		for _, tid := range slices.Sorted(maps.Keys(byTenant)) {
			t, err := store.Lookup(ctx, tid)
			if err != nil {
				return err
			}
			tsc := tenants.NewScope(t, "job:"+casetask.CalendarLoaded.Type, []authz.Role{authz.TenantOperator}, nil)
			if err := tenants.RunInTx(ctx, s.db, tsc, func(ctx context.Context, tx bun.Tx) error {
				for _, r := range byTenant[tid] {
					if err := s.recompute(ctx, tx, tsc, r); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				return err
			}
		}
		if len(rows) < scanBatch {
			return nil
		}
	}
}

// recompute stores one case's next due day and wait as the calendar counts them now, unless a
// step changed the case meanwhile (the step counted them itself).
func (s *Service) recompute(ctx context.Context, tx bun.Tx, sc tenants.Scope, r waitingRow) error {
	c, err := findCase(ctx, tx, sc, r.ID)
	if err != nil {
		return err
	}
	due, wait, err := s.nextDue(s.probe(ctx, tx, sc, c))
	if err != nil {
		return err
	}
	_, err = tenants.Own(sc, tx.NewUpdate().Model((*Case)(nil))).Set("next_due_on = ?", due).Set("calendar_wait = ?", wait).
		Where("c.id = ? AND c.version = ?", r.ID, r.Version).Exec(ctx)
	return err
}
