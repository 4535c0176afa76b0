package payments

import (
	"context"
	"fmt"

	"github.com/hibiken/asynq"
	"github.com/stripe/stripe-go/v76"
	"github.com/uptrace/bun"

	"zhifa/modules/cases"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/money"
	"zhifa/modules/payments/paymenttask"
	"zhifa/tenants"
)

// Refunds return money paid online when a decision is revoked or its fine reduced: by the case
// engine's payments:refund task (the total to refund on the case) or by a body head's request
// (payments.refund, with an Idempotency-Key). A refund row is written first (pending, unique per
// source), then Stripe is asked with the row's ID as idempotency key, then the outcome, the
// payment's refunded amount and the entry on the case's chain (Cases.RecordRefund, under the
// platform's scope) commit together. A payment never refunds more than was paid: what pending
// refunds hold counts as refunded. A provider that does not answer leaves the refund pending, and
// the retry asks again with the same idempotency key, so the money goes back once.

// RefundInput is a refund asked for by hand.
type RefundInput struct {
	AmountFen int64  `json:"amount_fen"`
	Reason    string `json:"reason"` // revoked, reduced
	// IdempotencyKey (the Idempotency-Key header) makes a retried request return the same refund.
	IdempotencyKey string `json:"-"`
}

// Validate checks the request's own fields.
func (in RefundInput) Validate() error {
	var f []errs.FieldError
	if in.AmountFen <= 0 {
		f = append(f, errs.Field("amount_fen", "须为正整数（分）", "must be a positive number of fen"))
	}
	if in.Reason != ReasonRevoked && in.Reason != ReasonReduced {
		f = append(f, errs.Field("reason", "须为 revoked（决定撤销）或 reduced（罚款减少）", "must be revoked or reduced"))
	}
	if len(f) > 0 {
		return errs.E(errs.Invalid, "退款申请有误", "invalid refund").WithFields(f...)
	}
	return nil
}

// RefundPayment refunds part or all of a paid payment. Body heads (payments.refund) of the
// payment's body. in.IdempotencyKey is required; a repeated key returns the refund it made.
// Returns Invalid, NotFound (including another tenant's or body's payment), FailedPrecondition
// (not paid, or more than is left to refund; the provider refused), Conflict (the key was used
// for another refund), Unavailable (the provider did not answer: the refund stays pending and
// repeating the request completes it).
func (s *Service) RefundPayment(ctx context.Context, sc tenants.Scope, paymentID string, in RefundInput) (*RefundView, error) {
	if !sc.Valid() {
		return nil, tenants.ErrNoScope
	}
	if !sc.Can(authz.PaymentsRefund) {
		return nil, errs.ErrForbidden.WithOp(string(authz.PaymentsRefund))
	}
	if !dbx.ValidID(paymentID) {
		return nil, errNotFound
	}
	if in.IdempotencyKey == "" || len(in.IdempotencyKey) > 200 {
		return nil, errs.E(errs.Invalid, "退款须带 Idempotency-Key 请求头（不超过200字符）", "a refund needs an Idempotency-Key header (at most 200 characters)")
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var r *Refund
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		p, err := findPayment(ctx, tx, sc, paymentID, true)
		if err != nil {
			return err
		}
		if !sc.CanFor(authz.PaymentsRefund, p.BodyID) {
			return errNotFound
		}
		r, err = s.openRefund(ctx, tx, sc, p, in.AmountFen, in.Reason, "key:"+in.IdempotencyKey)
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := s.execute(ctx, r); err != nil {
		return nil, err
	}
	v := r.View()
	return &v, nil
}

// openRefund writes a pending refund of amount on p, or returns the refund source made before
// (Conflict when that one is of another payment or amount). FailedPrecondition when p is not
// paid or amount exceeds what is left to refund.
func (s *Service) openRefund(ctx context.Context, tx bun.IDB, sc tenants.Scope, p *Payment, amount int64, reason, source string) (*Refund, error) {
	old := new(Refund)
	err := tenants.Own(sc, tx.NewSelect().Model(old)).Where("r.source = ?", source).Scan(ctx)
	if err == nil {
		if old.PaymentID != p.ID || old.AmountFen != amount {
			return nil, errs.E(errs.Conflict, "该 Idempotency-Key 已用于另一笔退款", "the Idempotency-Key was used for another refund")
		}
		return old, nil
	}
	if dbx.NotFound(err) != errNotFound {
		return nil, err
	}
	held, err := inFlight(ctx, tx, sc, p.ID)
	if err != nil {
		return nil, err
	}
	if !p.settled() {
		return nil, errs.E(errs.FailedPrecondition, "该缴款未支付，无可退款项", "the payment was not paid: nothing to refund")
	}
	if left := p.refundable(held); amount > left {
		return nil, errs.Ef(errs.FailedPrecondition, "退款金额超过可退金额（%s）", "the refund exceeds what is left to refund (%s)", money.Fen(left)).
			WithFields(errs.Field("amount_fen", "不得超过已缴金额减已退金额", "at most what was paid less what was refunded"))
	}
	now := dbx.Stamp(s.now())
	r := &Refund{ID: dbx.NewID(), TenantID: p.TenantID, PaymentID: p.ID, CaseID: p.CaseID, AmountFen: amount, Reason: reason,
		Status: RefundPending, Source: source, CreatedBy: sc.Actor(), CreatedAt: now}
	if _, err := tx.NewInsert().Model(r).Exec(ctx); err != nil {
		if dbx.IsUniqueViolation(err) {
			return nil, errs.E(errs.Conflict, "同一退款正在处理，请稍后重试", "the same refund is being made; try again shortly").WithCause(err)
		}
		return nil, err
	}
	return r, nil
}

// execute asks the provider for a pending refund and records the outcome under the platform's
// scope. r is updated to what was recorded.
func (s *Service) execute(ctx context.Context, r *Refund) error {
	if r.Status != RefundPending {
		return nil
	}
	psc, err := s.platformScope(ctx, r.TenantID)
	if err != nil {
		return err
	}
	var p *Payment
	var acct *account
	if err := tenants.RunInTx(ctx, s.db, psc, func(ctx context.Context, tx bun.Tx) error {
		if p, err = findPayment(ctx, tx, psc, r.PaymentID, false); err != nil {
			return err
		}
		if p.Simulated {
			acct = &account{simulated: true}
			return nil
		}
		acct, err = s.accountOf(ctx, tx, psc)
		return err
	}); err != nil {
		return err
	}
	ref := "re_sim_" + r.ID
	var perr error
	if !acct.simulated {
		params := &stripe.RefundParams{PaymentIntent: stripe.String(p.Reference), Amount: stripe.Int64(r.AmountFen),
			Reason:   stripe.String(string(stripe.RefundReasonRequestedByCustomer)),
			Metadata: map[string]string{"tenant_id": r.TenantID, "case_id": r.CaseID, "payment_id": r.PaymentID, "refund_id": r.ID, "reason": r.Reason}}
		params.SetIdempotencyKey("zhifa-refund-" + r.ID)
		var re *stripe.Refund
		if re, perr = s.stripe.refund(acct.secretKey, params); perr == nil {
			ref = re.ID
		} else if errs.Is(perr, errs.Unavailable) {
			return perr // stays pending; the retry asks again with the same idempotency key
		}
	}
	now := dbx.Stamp(s.now())
	return tenants.RunInTx(ctx, s.db, psc, func(ctx context.Context, tx bun.Tx) error {
		q := tenants.Own(psc, tx.NewUpdate().Model((*Refund)(nil))).Set("done_at = ?", now).Where("r.id = ? AND r.status = ?", r.ID, RefundPending)
		if perr != nil {
			q = q.Set("status = ?", RefundFailed).Set("last_error = ?", clip(perr.Error(), 1000))
		} else {
			q = q.Set("status = ?", RefundSucceeded).Set("reference = ?", ref)
		}
		res, err := q.Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // finished by a concurrent attempt
		}
		r.DoneAt = &now
		if perr != nil {
			r.Status, r.LastError = RefundFailed, perr.Error()
			return nil
		}
		r.Status, r.Reference = RefundSucceeded, ref
		if _, err := tenants.Own(psc, tx.NewUpdate().Model((*Payment)(nil))).Set("refunded_fen = refunded_fen + ?", r.AmountFen).
			Set("status = CASE WHEN refunded_fen + ? >= total_fen THEN ? ELSE status END", r.AmountFen, StatusRefunded).
			Set("updated_at = ?", now).Where("p.id = ?", r.PaymentID).Exec(ctx); err != nil {
			return err
		}
		if off, err := unapplied(ctx, tx, psc, r.PaymentID); err != nil || off {
			return err // a payment the case did not take: its refund is not the case's either
		}
		return s.cases.RecordRefund(ctx, tx, psc, r.CaseID, cases.RefundRecord{PaymentID: r.PaymentID, RefundID: r.ID, AmountFen: r.AmountFen,
			Reason: r.Reason, Reference: ref, At: now})
	})
}

// HandleRefund refunds what the case engine asks (paymenttask.Refund: the total to be refunded on the
// case): it spreads what is not refunded yet (pending refunds count) over the case's paid
// payments, newest first, each at most what is left of it, then asks the provider for every
// pending refund of the case. Repeating the task refunds nothing more: the total is absolute, and
// each payment's share is unique per total.
func (s *Service) HandleRefund(ctx context.Context, sc tenants.Scope, task paymenttask.RefundCase) error {
	if !dbx.ValidID(task.CaseID) || task.AmountFen < 0 || (task.Reason != ReasonRevoked && task.Reason != ReasonReduced) {
		return fmt.Errorf("payments: %s: bad payload: %w", paymenttask.Refund.Type, asynq.SkipRetry)
	}
	psc, err := s.platformScope(ctx, sc.TenantID())
	if err != nil {
		return fmt.Errorf("payments: %s: %v: %w", paymenttask.Refund.Type, err, asynq.SkipRetry)
	}
	var pending []Refund
	err = tenants.RunInTx(ctx, s.db, psc, func(ctx context.Context, tx bun.Tx) error {
		all, err := casePayments(ctx, tx, psc, task.CaseID)
		if err != nil {
			return err
		}
		ps := all[:0] // the case's own: a payment the case did not take is refunded by hand
		for _, p := range all {
			if off, err := unapplied(ctx, tx, psc, p.ID); err != nil {
				return err
			} else if !off {
				ps = append(ps, p)
			}
		}
		ids := make([]string, len(ps))
		for i := range ps {
			ids[i] = ps[i].ID
		}
		rs, err := paymentRefunds(ctx, tx, psc, ids)
		if err != nil {
			return err
		}
		var done int64
		for _, r := range rs {
			if r.Status != RefundFailed {
				done += r.AmountFen
			}
		}
		left := task.AmountFen - done
		for i := len(ps) - 1; i >= 0 && left > 0; i-- {
			p := &ps[i]
			held, err := inFlight(ctx, tx, psc, p.ID)
			if err != nil {
				return err
			}
			amount := min(left, p.refundable(held))
			if amount <= 0 {
				continue
			}
			if _, err := s.openRefund(ctx, tx, psc, p, amount, task.Reason, fmt.Sprintf("task:%d:%s", task.AmountFen, p.ID)); err != nil {
				return err
			}
			left -= amount
		}
		if left > 0 {
			s.log.WarnContext(ctx, "payments: the refund asked exceeds what was paid online", "case", task.CaseID, "unrefunded_fen", left)
		}
		return tenants.Own(psc, tx.NewSelect().Model(&pending)).Where("r.case_id = ? AND r.status = ?", task.CaseID, RefundPending).
			OrderExpr("r.created_at, r.id").Scan(ctx)
	})
	if err != nil {
		return err
	}
	for i := range pending {
		if err := s.execute(ctx, &pending[i]); err != nil {
			return err
		}
	}
	return nil
}
