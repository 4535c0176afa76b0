package disclosure

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/rules"
	"zhifa/modules/supervision/supervisiontask"
	"zhifa/tenants"
)

// PointLate is the warning point of a decision not published by its publish_by (双公示: 7
// working days from the decision) or withdrawn after its 3 working days (行政处罚法 Art. 48).
const PointLate = "disclosure_late"

// warnIfLate raises supervision:warn once for r when it became public after its publish_by, or
// was withdrawn after its withdraw_due: in tx, marking r warned (late_warned_at) in the same
// transaction, so that no scan raises it again.
func (s *Service) warnIfLate(ctx context.Context, tx bun.IDB, sc tenants.Scope, r *Record) error {
	today := s.today()
	switch {
	case r.LateWarnedAt != nil:
		return nil
	case r.State == StateWithdrawn && r.WithdrawDue != "" && today.After(r.WithdrawDue):
		rule, _ := rules.Lookup(rules.PenaltyDisclosureWithdrawn)
		return s.warn(ctx, tx, sc, r, rule, r.WithdrawDue,
			fmt.Sprintf("处罚决定 %s 未在撤销后三个工作日内（%s 前）撤回公示", r.DecisionNumber, r.WithdrawDue),
			fmt.Sprintf("decision %s was not withdrawn within 3 working days of its revocation (by %s)", r.DecisionNumber, r.WithdrawDue))
	case r.State != StateWithheld && r.State != StateWithdrawn && today.After(r.PublishBy) && (r.PublishedOn == "" || r.PublishedOn.After(r.PublishBy)):
		rule, _ := rules.Lookup(rules.DisclosurePublication)
		return s.warn(ctx, tx, sc, r, rule, r.PublishBy,
			fmt.Sprintf("处罚决定 %s 未在 %s 前公示", r.DecisionNumber, r.PublishBy),
			fmt.Sprintf("decision %s was not published by %s", r.DecisionNumber, r.PublishBy))
	}
	return nil
}

// warn writes the supervision:warn of r and marks r warned.
func (s *Service) warn(ctx context.Context, tx bun.IDB, sc tenants.Scope, r *Record, rule rules.Rule, due civil.Date, zh, en string) error {
	now := s.now()
	res, err := tx.NewUpdate().Model((*Record)(nil)).Set("late_warned_at = ?", now).
		Where("id = ? AND tenant_id = ? AND late_warned_at IS NULL", r.ID, r.TenantID).Exec(ctx)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil // another run warned of it
	}
	r.LateWarnedAt = &now
	_, err = supervisiontask.Warn.Enqueue(ctx, tx, sc, supervisiontask.Warning{CaseID: r.CaseID, CaseCode: r.CaseCode, BodyID: r.BodyID,
		Point: PointLate, Rule: *rule.Ref(), Message: errs.Msg{ZH: zh, EN: en}, On: s.today(), Due: due})
	return err
}
