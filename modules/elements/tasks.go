package elements

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/hibiken/asynq"
	"github.com/uptrace/bun"

	"zhifa/jobs"
	"zhifa/modules/authz"
	"zhifa/tenants"
)

// TypeScanCertificates is the daily task that writes, per tenant, each body's certificate notice
// of the day (RecordCertificateNotices). It is scheduled every hour: the notice of a day is
// written once, so that a day is not skipped when the scheduler restarts.
const TypeScanCertificates = "elements:scan_certificates"

// Tasks registers the element databases' task handlers on mux and returns their periodic tasks.
func (s *Service) Tasks(mux *jobs.Mux) []jobs.Periodic {
	mux.Handle(TypeScanCertificates, s.HandleScanCertificates)
	return []jobs.Periodic{{Spec: "@every 1h", Type: TypeScanCertificates, Reason: "elements: certificates expiring or expired", Queue: jobs.QueueLow}}
}

// HandleScanCertificates writes today's certificate notices of every tenant that has an officer
// whose certificate, recorded as valid, expires within the longest warning window a tenant may
// set (or has expired), one transaction per tenant acting as its operator. It runs under a
// system scope (the periodic envelope).
func (s *Service) HandleScanCertificates(ctx context.Context, sc tenants.Scope, _ json.RawMessage) error {
	if !sc.IsSystem() {
		return fmt.Errorf("elements: %s needs a system scope: %w", TypeScanCertificates, asynq.SkipRetry)
	}
	on := Today()
	var ids []string
	if err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		return tx.NewSelect().Model((*Officer)(nil)).ColumnExpr("DISTINCT o.tenant_id").
			Where(lapsing, lapsingArgs(on, MaxExpiryWarnDays)...).
			Scan(ctx, &ids)
	}); err != nil {
		return err
	}
	store := tenants.NewStore(s.db)
	for _, id := range ids {
		t, err := store.Lookup(ctx, id)
		if err != nil {
			return err
		}
		tsc := tenants.NewScope(t, "job:"+TypeScanCertificates, []authz.Role{authz.TenantOperator}, nil)
		if _, err := s.RecordCertificateNotices(ctx, tsc, on); err != nil {
			return fmt.Errorf("elements: %s: tenant %s: %w", TypeScanCertificates, id, err)
		}
	}
	return nil
}
