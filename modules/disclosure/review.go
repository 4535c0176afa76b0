package disclosure

import (
	"context"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/authz"
	"zhifa/tenants"
)

// Review is a record beside its originals, for the body that reviews the redaction: never public.
type Review struct {
	Record      *Record  `json:"record"`
	Facts       string   `json:"original_facts"` // unredacted
	MaskedNames []string `json:"masked_names"`
	History     []Event  `json:"history"`
}

// Review returns a record of the scope's tenant with its original facts, for a reader of its
// body's cases. Returns NotFound (also for a body the scope does not reach).
func (s *Service) Review(ctx context.Context, sc tenants.Scope, id string) (*Review, error) {
	var out *Review
	err := tenants.RunInSnapshot(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		r, err := find(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		if !sc.CanFor(authz.CasesRead, r.BodyID) {
			return errNotFound
		}
		var o original
		if err := tx.NewSelect().Model(&o).Where("dor.record_id = ? AND dor.tenant_id = ?", r.ID, r.TenantID).Scan(ctx); err != nil {
			return err
		}
		out = &Review{Record: r, Facts: o.Facts, MaskedNames: o.MaskedNames}
		return tx.NewSelect().Model(&out.History).Where("de.tenant_id = ? AND de.record_id = ?", r.TenantID, r.ID).OrderExpr("de.at, de.id").Scan(ctx)
	})
	return out, err
}
