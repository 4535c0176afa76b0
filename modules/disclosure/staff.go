package disclosure

import (
	"context"
	"slices"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// RecordsPage is a page of the records a body's staff see.
type RecordsPage struct {
	Items []Record `json:"items"`
	Total int      `json:"total"`
}

// States is every state of a record, for filters.
var States = []State{StatePending, StatePublished, StateUpdated, StateWithdrawn, StateEndedEarly, StateExpired, StateWithheld}

// Records lists the records of the scope's tenant whose bodies' cases the scope reads
// (authz.CasesRead), in state (""), the publication due soonest first, page from 1 (PageSize
// each). Returns Invalid for an unknown state.
func (s *Service) Records(ctx context.Context, sc tenants.Scope, state State, page int) (*RecordsPage, error) {
	if state != "" && !slices.Contains(States, state) {
		return nil, errs.E(errs.Invalid, "未知的公示状态", "unknown disclosure state").WithFields(errs.Field("state", "未知状态", "unknown state"))
	}
	where := readable(sc)
	out := &RecordsPage{Items: []Record{}}
	if !where.AllBodies && len(where.Bodies) == 0 {
		return out, nil
	}
	err := tenants.RunInSnapshot(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		q := tenants.Own(sc, tx.NewSelect().Model(&out.Items))
		if !where.AllBodies {
			q = q.Where("dr.body_id IN (?)", bun.In(where.Bodies))
		}
		if state != "" {
			q = q.Where("dr.state = ?", state)
		}
		n, err := q.OrderExpr("dr.publish_by, dr.id").Limit(PageSize).Offset(int64((max(page, 1) - 1) * PageSize)).ScanAndCount(ctx)
		out.Total = int(n)
		return err
	})
	return out, err
}

// readable is where the scope reads cases: the bodies (or all) its roles allow authz.CasesRead.
func readable(sc tenants.Scope) authz.Where {
	if sc.IsSystem() {
		return authz.Where{AllBodies: true}
	}
	for _, p := range sc.Reach().Permits() {
		if p.Action == authz.CasesRead {
			return p.Where
		}
	}
	return authz.Where{}
}
