package disclosure

import (
	"context"
	"errors"
	"fmt"

	"github.com/hibiken/asynq"
	"github.com/uptrace/bun"

	"zhifa/jobs"
	"zhifa/modules/disclosure/disclosuretask"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// Expire is the periodic task that takes down every public record past its end (expired) and
// warns of every record not public by its publish_by, tenant by tenant, batch by batch.
var Expire = jobs.Periodic{Type: "disclosure:expire", Queue: jobs.QueueLow, Spec: "@every 1h", Reason: "disclosure: records past their end"}

// Tasks registers the disclosure module's task handlers on mux, its periodic task with them.
func (s *Service) Tasks(mux *jobs.Mux) {
	jobs.Handle(mux, disclosuretask.Publish, s.HandlePublish)
	jobs.Handle(mux, disclosuretask.Withdraw, s.HandleWithdraw)
	jobs.HandlePeriodic(mux, Expire, s.HandleExpire)
}

// HandlePublish records a decision (Publish) in the task's transaction, once per task and per
// decision.
func (s *Service) HandlePublish(ctx context.Context, sc tenants.Scope, p disclosuretask.PublishDecision) error {
	body, err := s.bodies.FindBody(ctx, sc, p.BodyID)
	if err != nil {
		return fmt.Errorf("disclosure: %s: body %s: %w", disclosuretask.Publish.Type, p.BodyID, err)
	}
	taskID, _ := asynq.GetTaskID(ctx)
	return tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		_, err := s.Publish(ctx, tx, sc, taskID, body, p)
		return err
	})
}

// HandleWithdraw withdraws the record of a revoked decision (Withdraw). A decision with no record
// is retried (its disclosure:publish may not have run yet); a withdrawal the record refuses (a
// bad payload, a record ended or expired already) is not; one that lost a race is.
func (s *Service) HandleWithdraw(ctx context.Context, sc tenants.Scope, p disclosuretask.WithdrawDecision) error {
	return tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		var r Record
		if err := tenants.Own(sc, tx.NewSelect().Model(&r)).Where("dr.case_id = ? AND dr.decision_number = ?", p.CaseID, p.DecisionNumber).
			Limit(1).Scan(ctx); err != nil {
			return fmt.Errorf("disclosure: %s: decision %s of case %s: %w", disclosuretask.Withdraw.Type, p.DecisionNumber, p.CaseID, err)
		}
		err := s.Withdraw(ctx, tx, sc, &r, WithdrawInput{RevokedOn: p.RevokedOn, Explanation: p.Explanation})
		if errs.Is(err, errs.Invalid) || errs.Is(err, errs.Conflict) && !errors.Is(err, errConcurrent) {
			return fmt.Errorf("disclosure: %s: %w: %w", disclosuretask.Withdraw.Type, err, asynq.SkipRetry)
		}
		return err
	})
}

// expireBatch bounds one transaction of the expiry.
const expireBatch = 500

// HandleExpire finds the tenants with public records past their end or records late to be
// published, and for each, as its operator, expires the former and warns of the latter in
// transactions of at most expireBatch records. Each record moves once (the move is conditional on
// its state and version), so a run restarted midway neither skips nor doubles one. It runs under
// a system scope (the periodic envelope).
func (s *Service) HandleExpire(ctx context.Context, sc tenants.Scope) error {
	if !sc.IsSystem() {
		return fmt.Errorf("disclosure: %s needs a system scope: %w", Expire.Type, asynq.SkipRetry)
	}
	today := s.today()
	var ids []string
	if err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		return tx.NewSelect().Model((*Record)(nil)).ColumnExpr("DISTINCT dr.tenant_id").
			Where("(dr.state IN (?) AND dr.ends_on < ?) OR (dr.state = ? AND dr.publish_by < ? AND dr.late_warned_at IS NULL)",
				bun.In(PublicStates), today, StatePending, today).Scan(ctx, &ids)
	}); err != nil {
		return err
	}
	for _, id := range ids {
		t, err := s.tenants.Lookup(ctx, id)
		if err != nil {
			return err
		}
		tsc := tenants.NewScope(t, "job:"+Expire.Type, []authz.Role{authz.TenantOperator}, nil)
		if err := s.expireTenant(ctx, tsc); err != nil {
			return fmt.Errorf("disclosure: %s: tenant %s: %w", Expire.Type, id, err)
		}
	}
	return nil
}

// expireTenant expires the scope's tenant's records past their end, and warns of its records
// late to be published, batch by batch.
func (s *Service) expireTenant(ctx context.Context, sc tenants.Scope) error {
	today := s.today()
	for {
		var n int
		err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
			var due []Record
			if err := tenants.Own(sc, tx.NewSelect().Model(&due)).
				Where("(dr.state IN (?) AND dr.ends_on < ?) OR (dr.state = ? AND dr.publish_by < ? AND dr.late_warned_at IS NULL)",
					bun.In(PublicStates), today, StatePending, today).
				OrderExpr("dr.id").Limit(expireBatch).Scan(ctx); err != nil {
				return err
			}
			n = len(due)
			for i := range due {
				r := &due[i]
				if r.State == StatePending {
					if err := s.warnIfLate(ctx, tx, sc, r); err != nil {
						return err
					}
					continue
				}
				if err := s.move(ctx, tx, sc, r, StateExpired, "公示期满，停止公示 / the display period ended"); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil || n < expireBatch {
			return err
		}
	}
}
