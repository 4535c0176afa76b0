package elements

import (
	"context"
	"fmt"
	"slices"

	"github.com/hibiken/asynq"
	"github.com/uptrace/bun"

	"zhifa/jobs"
	"zhifa/modules/kernel/authz"
	"zhifa/tenants"
)

// ScanCertificates is the daily task that writes, per tenant, each body's certificate notice of
// the day (RecordCertificateNotices). It is scheduled every hour, so that a day is not skipped
// when the scheduler restarts and a certificate renewed during the day leaves the day's notice;
// a body keeps one notice a day however often it runs.
var ScanCertificates = jobs.Periodic{Type: "elements:scan_certificates", Queue: jobs.QueueLow, Spec: "@every 1h",
	Reason: "elements: certificates expiring or expired"}

// Tasks registers the element databases' task handlers on mux, their periodic tasks with them.
func (s *Service) Tasks(mux *jobs.Mux) {
	jobs.HandlePeriodic(mux, ScanCertificates, s.HandleScanCertificates)
}

// HandleScanCertificates writes today's certificate notices (RecordCertificateNotices) of every
// tenant that has an officer whose certificate, recorded as valid, expires within the longest
// warning window a tenant may set (or has expired), or that has notices of the day already; one
// transaction per tenant, acting as its operator. It runs under a system scope (the periodic
// envelope).
func (s *Service) HandleScanCertificates(ctx context.Context, sc tenants.Scope) error {
	if !sc.IsSystem() {
		return fmt.Errorf("elements: %s needs a system scope: %w", ScanCertificates.Type, asynq.SkipRetry)
	}
	on := s.today()
	// The tenants with certificates to name, and those whose notices of the day may have nothing
	// left to name.
	var ids, noticed []string
	if err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		if err := tx.NewSelect().Model((*Officer)(nil)).ColumnExpr("DISTINCT o.tenant_id").
			Where(lapsing, lapsingArgs(on, MaxExpiryWarnDays)...).Scan(ctx, &ids); err != nil {
			return err
		}
		return tx.NewSelect().Model((*CertificateNotice)(nil)).ColumnExpr("DISTINCT cn.tenant_id").
			Where("cn.notice_on = ?", on).Scan(ctx, &noticed)
	}); err != nil {
		return err
	}
	for _, id := range noticed {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	store := tenants.NewStore(s.db)
	for _, id := range ids {
		t, err := store.Lookup(ctx, id)
		if err != nil {
			return err
		}
		tsc := tenants.NewScope(t, "job:"+ScanCertificates.Type, []authz.Role{authz.TenantOperator}, nil)
		if _, err := s.RecordCertificateNotices(ctx, tsc, on); err != nil {
			return fmt.Errorf("elements: %s: tenant %s: %w", ScanCertificates.Type, id, err)
		}
	}
	return nil
}
