package disclosure

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"zhifa/modules/disclosure/redact"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

// ApproveInput is the body head's approval of a pending record, after reviewing the redaction.
type ApproveInput struct {
	// MaskNames are natural persons' names in the facts, besides the party's, that the reviewer
	// masks (行政处罚结果信息网上公开暂行办法 Art. 7).
	MaskNames []string `json:"mask_names,omitempty"`
}

// WithdrawInput takes a decision's record down: the decision was changed, revoked, annulled or
// held unlawful or void on RevokedOn (行政处罚法 Art. 48).
type WithdrawInput struct {
	RevokedOn   civil.Date `json:"revoked_on"`
	Explanation string     `json:"explanation"` // the public explanation (公开说明理由)
}

// EndInput ends a record's publication early (credit repair), with the public explanation.
type EndInput struct {
	Explanation string `json:"explanation"`
}

// maxExplanation bounds an explanation (characters).
const maxExplanation = 2000

// explanation checks a required public explanation.
func explanation(s string) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", errs.E(errs.Invalid, "须公开说明理由", "a public explanation is required").
			WithFields(errs.Field("explanation", "必填", "required"))
	case utf8.RuneCountInString(s) > maxExplanation:
		return "", errs.E(errs.Invalid, "说明理由过长", "the explanation is too long").
			WithFields(errs.Field("explanation", "不得超过2000字", "at most 2000 characters"))
	}
	return s, nil
}

// mayAct checks that sc may take the body head's decisions on r.
func mayAct(sc tenants.Scope, r *Record) error {
	if sc.ReadOnly() || !sc.CanFor(authz.CasesApprove, r.BodyID) {
		return errs.ErrForbidden
	}
	return nil
}

// Approve publishes a pending record on the body head's approval, the facts redacted again with
// the names the reviewer masks. Returns NotFound, Forbidden, Conflict (not pending).
func (s *Service) Approve(ctx context.Context, sc tenants.Scope, id string, in ApproveInput) (*Record, error) {
	return s.act(ctx, sc, id, func(ctx context.Context, tx bun.Tx, r *Record) error {
		if r.State != StatePending {
			return outOfOrder(r.State, StatePublished)
		}
		var o original
		if err := tx.NewSelect().Model(&o).Where("dor.record_id = ? AND dor.tenant_id = ?", r.ID, r.TenantID).Scan(ctx); err != nil {
			return err
		}
		party := redact.Party{Kind: o.Party.Kind, Name: o.Party.Name, IDNumber: o.Party.IDNumber, USCC: o.Party.USCC, Phone: o.Party.Phone, Address: o.Party.Address}
		r.Facts = redact.Text(o.Facts, party, in.MaskNames)
		if err := s.stamp(ctx, tx, sc, r); err != nil {
			return err
		}
		if in.MaskNames != nil {
			o.MaskedNames = in.MaskNames
			if _, err := tx.NewUpdate().Model(&o).Column("masked_names").
				Where("record_id = ? AND tenant_id = ?", o.RecordID, o.TenantID).Exec(ctx); err != nil {
				return err
			}
		}
		if err := s.move(ctx, tx, sc, r, StatePublished, "机关负责人批准公示 / approved by the body head",
			"facts", "published_on", "min_end_on", "ends_on", "credit_ends_on"); err != nil {
			return err
		}
		return s.warnIfLate(ctx, tx, sc, r)
	})
}

// Withdraw takes a record down because its decision was revoked (行政处罚法 Art. 48: within 3
// working days, with a public explanation), in tx under sc; a record withdrawn already stays as it
// is. Past the 3 working days it also raises supervision:warn. Returns Invalid, Conflict.
func (s *Service) Withdraw(ctx context.Context, tx bun.IDB, sc tenants.Scope, r *Record, in WithdrawInput) error {
	if r.State == StateWithdrawn {
		return nil
	}
	text, err := explanation(in.Explanation)
	if err != nil {
		return err
	}
	if !in.RevokedOn.Valid() || in.RevokedOn.After(s.today()) || in.RevokedOn.Before(r.DecidedOn) {
		return errs.E(errs.Invalid, "撤销日期有误", "invalid revocation day").
			WithFields(errs.Field("revoked_on", "须为决定之日至今天之间的日期", "a day from the decision's to today"))
	}
	due, err := s.due(ctx, tx, sc, r.BodyID, rules.PenaltyDisclosureWithdrawn, in.RevokedOn)
	if err != nil {
		return err
	}
	r.WithdrawDue, r.Explanation = due, text
	if err := s.move(ctx, tx, sc, r, StateWithdrawn, text, "withdraw_due", "explanation"); err != nil {
		return err
	}
	return s.warnIfLate(ctx, tx, sc, r)
}

// WithdrawRecord is Withdraw of record id by the body head, in a transaction of its own. Returns
// NotFound, Forbidden, Invalid, Conflict.
func (s *Service) WithdrawRecord(ctx context.Context, sc tenants.Scope, id string, in WithdrawInput) (*Record, error) {
	return s.act(ctx, sc, id, func(ctx context.Context, tx bun.Tx, r *Record) error { return s.Withdraw(ctx, tx, sc, r, in) })
}

// act runs fn on record id in a transaction of its own, once the scope may act on the record's
// body (mayAct), and answers the record as fn left it.
func (s *Service) act(ctx context.Context, sc tenants.Scope, id string, fn func(ctx context.Context, tx bun.Tx, r *Record) error) (*Record, error) {
	var out *Record
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		r, err := find(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		if err := mayAct(sc, r); err != nil {
			return err
		}
		out = r
		return fn(ctx, tx, r)
	})
	return out, err
}

// EndEarly ends a public record's publication after its minimum period (credit repair: the
// body decides on the party's application; 福建 Art. 21: at least 60 days). Returns NotFound,
// Forbidden, Invalid, Conflict, FailedPrecondition (the minimum period has not passed).
func (s *Service) EndEarly(ctx context.Context, sc tenants.Scope, id string, in EndInput) (*Record, error) {
	text, err := explanation(in.Explanation)
	if err != nil {
		return nil, err
	}
	return s.act(ctx, sc, id, func(ctx context.Context, tx bun.Tx, r *Record) error {
		if !r.State.Public() {
			return outOfOrder(r.State, StateEndedEarly)
		}
		if !s.today().After(r.MinEndOn) {
			rule, _ := rules.Lookup(rules.DisclosureMinPeriod)
			return rules.Refusal(rule.Ref(), "最短公示期至 "+string(r.MinEndOn)+" 届满，期满后方可提前结束公示（"+rule.Cite().Screen()+"）",
				"the minimum display period runs to "+string(r.MinEndOn)+": publication may end early only after it")
		}
		r.Explanation = text
		return s.move(ctx, tx, sc, r, StateEndedEarly, text, "explanation")
	})
}
