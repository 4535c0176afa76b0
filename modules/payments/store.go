package payments

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/dbx"
	"zhifa/tenants"
)

// The queries of the payment tables. Each takes the caller's transaction (opened by
// tenants.RunInTx under sc) and limits every statement with tenants.Own: another tenant's row is
// NotFound.

// findPayment returns a payment by ID; forUpdate locks it on PostgreSQL until the transaction
// ends. Returns NotFound.
func findPayment(ctx context.Context, tx bun.IDB, sc tenants.Scope, id string, forUpdate bool) (*Payment, error) {
	if !dbx.ValidID(id) {
		return nil, errNotFound
	}
	p := new(Payment)
	q := tenants.Own(sc, tx.NewSelect().Model(p)).Where("p.id = ?", id)
	if forUpdate && dbx.IsPostgres(tx) {
		q = q.For("UPDATE")
	}
	if err := q.Scan(ctx); err != nil {
		return nil, dbx.NotFound(err)
	}
	return p, nil
}

// findPaymentWhere returns the payment matching cond, or nil.
func findPaymentWhere(ctx context.Context, tx bun.IDB, sc tenants.Scope, cond string, args ...any) (*Payment, error) {
	p := new(Payment)
	err := tenants.Own(sc, tx.NewSelect().Model(p)).Where(cond, args...).Limit(1).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return p, nil
}

// casePayments returns a case's payments, oldest first.
func casePayments(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string) ([]Payment, error) {
	out := []Payment{}
	err := tenants.Own(sc, tx.NewSelect().Model(&out)).Where("p.case_id = ?", caseID).OrderExpr("p.created_at, p.id").Scan(ctx)
	return out, err
}

// paymentRefunds returns the refunds of payments, oldest first.
func paymentRefunds(ctx context.Context, tx bun.IDB, sc tenants.Scope, paymentIDs []string) ([]Refund, error) {
	out := []Refund{}
	if len(paymentIDs) == 0 {
		return out, nil
	}
	err := tenants.Own(sc, tx.NewSelect().Model(&out)).Where("r.payment_id IN (?)", bun.In(paymentIDs)).
		OrderExpr("r.created_at, r.id").Scan(ctx)
	return out, err
}

// inFlight returns what a payment's pending refunds hold.
func inFlight(ctx context.Context, tx bun.IDB, sc tenants.Scope, paymentID string) (int64, error) {
	var n sql.NullInt64
	err := tenants.Own(sc, tx.NewSelect().Model((*Refund)(nil))).ColumnExpr("SUM(r.amount_fen)").
		Where("r.payment_id = ? AND r.status = ?", paymentID, RefundPending).Scan(ctx, &n)
	return n.Int64, err
}

// unapplied reports whether a payment was received for a case that did not take it (its
// KindUnapplied warning): it is on no chain, and neither are its refunds.
func unapplied(ctx context.Context, tx bun.IDB, sc tenants.Scope, paymentID string) (bool, error) {
	n, err := tenants.Own(sc, tx.NewSelect().Model((*warningRow)(nil))).Where("w.payment_id = ? AND w.kind = ?", paymentID, KindUnapplied).Count(ctx)
	return n > 0, err
}

// expireStale marks a case's pending payments whose checkout has run out as expired, so that they
// no longer stand in for a new checkout (the provider's expiry event, arriving later, then
// changes nothing).
func expireStale(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string, now time.Time) error {
	_, err := tenants.Own(sc, tx.NewUpdate().Model((*Payment)(nil))).Set("status = ?", StatusExpired).Set("updated_at = ?", now).
		Where("p.case_id = ? AND p.status = ? AND p.expires_at < ?", caseID, StatusPending, now).Exec(ctx)
	return err
}

// supersede marks every pending payment of a case expired, with the reason, because a checkout of
// another amount (or instalment) replaces it, and returns them: only one payment of a case is
// payable at a time, so the party cannot pay the same fine twice.
func supersede(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string, now time.Time) ([]Payment, error) {
	var old []Payment
	if err := tenants.Own(sc, tx.NewSelect().Model(&old)).Where("p.case_id = ? AND p.status = ?", caseID, StatusPending).Scan(ctx); err != nil {
		return nil, err
	}
	for _, p := range old {
		if _, err := setStatus(ctx, tx, sc, p.ID, StatusExpired, "superseded by a checkout of another amount", now, StatusPending); err != nil {
			return nil, err
		}
	}
	return old, nil
}

// setStatus moves a payment from one of the statuses from to status, and reports whether it did.
func setStatus(ctx context.Context, tx bun.IDB, sc tenants.Scope, id string, status Status, lastError string, now time.Time, from ...Status) (bool, error) {
	res, err := tenants.Own(sc, tx.NewUpdate().Model((*Payment)(nil))).Set("status = ?", status).Set("last_error = ?", clip(lastError, 1000)).
		Set("updated_at = ?", now).Where("p.id = ? AND p.status IN (?)", id, bun.In(from)).Exec(ctx)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// clip shortens s to at most n bytes on a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
