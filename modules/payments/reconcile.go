package payments

import (
	"context"
	"fmt"
	"time"

	"github.com/hibiken/asynq"
	"github.com/uptrace/bun"

	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// Reconciliation: every hour the payments:reconcile task compares the payments of the recent
// window (ReconcileWindow; simulated ones excepted) with Stripe's record of their Checkout
// Sessions and raises a warning for each disagreement: a row in payment_warnings (one per payment
// and kind, counted each time it is seen again) and a line in the log. Staff list them with
// payments.read.

// ReconcileWindow is how far back reconciliation looks: payments created or changed since.
const ReconcileWindow = 48 * time.Hour

// reconcileBatch bounds one run.
const reconcileBatch = 1000

// Remote is what the provider records of a checkout.
type Remote struct {
	Found         bool   // false: the provider does not know the session
	Status        string // open, complete, expired
	PaymentStatus string // paid, unpaid, no_payment_required
	AmountTotal   *int64 // nil when the provider reports none
	Currency      string
}

// KindUnapplied is the warning of a payment received for a case that did not take it (see
// settle): the money is to be refunded.
const KindUnapplied = "unapplied"

// Mismatch is one way a payment and the provider's record disagree.
type Mismatch struct {
	Kind    string // missing, status, amount, unapplied
	Local   string
	Remote  string
	Message errs.Msg
}

// Compare returns how a payment and the provider's record of its checkout disagree; nothing when
// they agree: a paid (or refunded) payment is a complete, paid session of the same amount and
// currency; a pending or failed one an open session; an expired one an expired session (or an
// open one past its expiry, which the provider closes within the hour).
func Compare(p Payment, r Remote, now time.Time) []Mismatch {
	if !r.Found {
		return []Mismatch{{Kind: "missing", Local: string(p.Status), Remote: "not found",
			Message: errs.Msg{ZH: "支付服务商没有该缴款的记录", EN: "the provider has no record of the payment"}}}
	}
	var out []Mismatch
	remote := r.Status + "/" + r.PaymentStatus
	status := func(zh, en string) {
		out = append(out, Mismatch{Kind: "status", Local: string(p.Status), Remote: remote, Message: errs.Msg{ZH: zh, EN: en}})
	}
	switch p.Status {
	case StatusPaid, StatusRefunded:
		if r.Status != "complete" || r.PaymentStatus != "paid" {
			status("本地已支付，支付服务商记录未支付", "paid here, not paid at the provider")
		}
		switch {
		case r.AmountTotal == nil || *r.AmountTotal != p.TotalFen:
			got := "none"
			if r.AmountTotal != nil {
				got = fmt.Sprint(*r.AmountTotal)
			}
			out = append(out, Mismatch{Kind: "amount", Local: fmt.Sprintf("%d %s", p.TotalFen, p.Currency), Remote: got + " " + r.Currency,
				Message: errs.Msg{ZH: "实收金额与应缴金额不符", EN: "the amount received differs from the amount due"}})
		case r.Currency != p.Currency:
			out = append(out, Mismatch{Kind: "amount", Local: fmt.Sprintf("%d %s", p.TotalFen, p.Currency), Remote: fmt.Sprintf("%d %s", *r.AmountTotal, r.Currency),
				Message: errs.Msg{ZH: "币种不符", EN: "the currency differs"}})
		}
	case StatusPending, StatusFailed:
		if r.PaymentStatus == "paid" {
			status("支付服务商记录已支付，本地未收到支付通知", "paid at the provider, but no notice of it arrived here")
		} else if r.Status != "open" {
			status("本地待支付，支付服务商的付款页已关闭", "pending here, closed at the provider")
		}
	case StatusExpired:
		// closing: expired here at its expiry, which the provider reaches on its own within the hour
		closing := r.Status == "open" && now.Before(p.ExpiresAt.Add(time.Hour))
		if r.PaymentStatus == "paid" {
			status("支付服务商记录已支付，本地记为已过期", "paid at the provider, expired here")
		} else if r.Status != "expired" && !closing {
			status("本地已过期，支付服务商的付款页仍未关闭", "expired here, still open at the provider")
		}
	}
	return out
}

// raise records a warning of p (once per payment and kind; seen again: counted) and logs it.
func (s *Service) raise(ctx context.Context, tx bun.IDB, sc tenants.Scope, p *Payment, m Mismatch, now time.Time) error {
	s.log.WarnContext(ctx, "payments: reconciliation warning", "tenant", p.TenantID, "payment", p.ID, "case", p.CaseID,
		"kind", m.Kind, "local", m.Local, "remote", m.Remote, "message", m.Message.EN)
	w := &warningRow{ID: dbx.NewID(), TenantID: p.TenantID, PaymentID: p.ID, CaseID: p.CaseID, Kind: m.Kind, Local: m.Local, Remote: m.Remote,
		MessageZH: m.Message.ZH, MessageEN: m.Message.EN, FirstSeenAt: now, LastSeenAt: now, Seen: 1}
	_, err := tx.NewInsert().Model(w).On("CONFLICT (tenant_id, payment_id, kind) DO UPDATE").
		Set("local = EXCLUDED.local, remote = EXCLUDED.remote, message_zh = EXCLUDED.message_zh, message_en = EXCLUDED.message_en").
		Set("last_seen_at = EXCLUDED.last_seen_at, seen = w.seen + 1").Exec(ctx)
	return err
}

// HandleReconcile compares the recent window's payments of every tenant with Stripe (see above).
// It runs under a system scope (the periodic envelope) to find them, then under each tenant's
// platform scope to read its account and record warnings. A payment the provider cannot be asked
// about now (unavailable) is logged and left for the next run.
func (s *Service) HandleReconcile(ctx context.Context, sc tenants.Scope) error {
	if !sc.IsSystem() {
		return fmt.Errorf("payments: %s needs a system scope: %w", Reconcile.Type, asynq.SkipRetry)
	}
	now := dbx.Stamp(s.now())
	var ps []Payment
	if err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		return tx.NewSelect().Model(&ps).Where("p.simulated = ? AND p.session_id <> '' AND p.updated_at >= ?", false, now.Add(-ReconcileWindow)).
			OrderExpr("p.tenant_id, p.updated_at").Limit(reconcileBatch).Scan(ctx)
	}); err != nil {
		return err
	}
	for lo := 0; lo < len(ps); {
		hi := lo
		for hi < len(ps) && ps[hi].TenantID == ps[lo].TenantID {
			hi++
		}
		if err := s.reconcileTenant(ctx, ps[lo:hi], now); err != nil {
			s.log.ErrorContext(ctx, "payments: reconciliation of a tenant failed", "tenant", ps[lo].TenantID, "err", err.Error())
		}
		lo = hi
	}
	return nil
}

// reconcileTenant reconciles one tenant's payments with its account.
func (s *Service) reconcileTenant(ctx context.Context, ps []Payment, now time.Time) error {
	psc, err := s.platformScope(ctx, ps[0].TenantID)
	if err != nil {
		return err
	}
	var acct *account
	if err := tenants.RunInTx(ctx, s.db, psc, func(ctx context.Context, tx bun.Tx) error {
		acct, err = s.accountOf(ctx, tx, psc)
		return err
	}); err != nil {
		return err
	}
	if acct.simulated {
		return nil
	}
	for i := range ps {
		p := &ps[i]
		r, err := s.remote(acct.secretKey, p.SessionID)
		if err != nil {
			s.log.WarnContext(ctx, "payments: the provider could not be asked", "payment", p.ID, "err", err.Error())
			continue
		}
		ms := Compare(*p, r, now)
		if len(ms) == 0 {
			continue
		}
		if err := tenants.RunInTx(ctx, s.db, psc, func(ctx context.Context, tx bun.Tx) error {
			for _, m := range ms {
				if err := s.raise(ctx, tx, psc, p, m, now); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return err
		}
	}
	return nil
}

// remote retrieves the provider's record of a session.
func (s *Service) remote(key, sessionID string) (Remote, error) {
	cs, err := s.stripe.session(key, sessionID)
	if errs.Is(err, errs.NotFound) {
		return Remote{}, nil
	}
	if err != nil {
		return Remote{}, err
	}
	r := Remote{Found: true, Status: string(cs.Status), PaymentStatus: string(cs.PaymentStatus), Currency: string(cs.Currency)}
	if cs.AmountTotal != 0 {
		r.AmountTotal = &cs.AmountTotal
	}
	return r, nil
}

// Warnings lists the tenant's reconciliation warnings, most recently seen first. Staff
// (payments.read).
func (s *Service) Warnings(ctx context.Context, sc tenants.Scope, limit int) ([]Warning, error) {
	if !sc.Valid() {
		return nil, tenants.ErrNoScope
	}
	if !sc.Can(authz.PaymentsRead) {
		return nil, errs.ErrForbidden.WithOp(string(authz.PaymentsRead))
	}
	var rows []warningRow
	if err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		return tenants.Own(sc, tx.NewSelect().Model(&rows)).OrderExpr("w.last_seen_at DESC, w.id DESC").Limit(int64(limit)).Scan(ctx)
	}); err != nil {
		return nil, err
	}
	out := make([]Warning, len(rows))
	for i := range rows {
		out[i] = rows[i].view()
	}
	return out, nil
}
