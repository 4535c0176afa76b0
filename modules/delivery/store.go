package delivery

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// The queries of the delivery tables. Each takes the caller's transaction (opened by
// tenants.RunInTx under sc) and limits every statement with tenants.Own: another tenant's row is
// NotFound.

// activeConsent returns the case's consent in force, or nil.
func activeConsent(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string) (*Consent, error) {
	c := new(Consent)
	err := tenants.Own(sc, tx.NewSelect().Model(c)).Where("dc.case_id = ? AND dc.revoked_at IS NULL", caseID).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	c.view()
	return c, nil
}

// findConsent returns a consent by ID. Returns NotFound.
func findConsent(ctx context.Context, tx bun.IDB, sc tenants.Scope, id string) (*Consent, error) {
	c := new(Consent)
	if err := tenants.Own(sc, tx.NewSelect().Model(c)).Where("dc.id = ?", id).Scan(ctx); err != nil {
		return nil, dbx.NotFound(err)
	}
	c.view()
	return c, nil
}

// caseConsents returns every consent of a case, newest first.
func caseConsents(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string) ([]Consent, error) {
	out := []Consent{}
	err := tenants.Own(sc, tx.NewSelect().Model(&out)).Where("dc.case_id = ?", caseID).OrderExpr("dc.recorded_at DESC, dc.id DESC").Scan(ctx)
	for i := range out {
		out[i].view()
	}
	return out, err
}

// findDelivery returns a delivery with its routes. Returns NotFound.
func findDelivery(ctx context.Context, tx bun.IDB, sc tenants.Scope, id string) (*Delivery, error) {
	d := new(Delivery)
	if err := tenants.Own(sc, tx.NewSelect().Model(d)).Where("d.id = ?", id).Scan(ctx); err != nil {
		return nil, dbx.NotFound(err)
	}
	return d, loadRoutes(ctx, tx, sc, []*Delivery{d})
}

// findDeliveryWhere returns the delivery matching a column, with its routes, or nil.
func findDeliveryWhere(ctx context.Context, tx bun.IDB, sc tenants.Scope, column, value string) (*Delivery, error) {
	d := new(Delivery)
	err := tenants.Own(sc, tx.NewSelect().Model(d)).Where("? = ?", bun.Ident("d."+column), value).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return d, loadRoutes(ctx, tx, sc, []*Delivery{d})
}

// caseDeliveries returns a case's deliveries with their routes, oldest first.
func caseDeliveries(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string) ([]Delivery, error) {
	out := []Delivery{}
	if err := tenants.Own(sc, tx.NewSelect().Model(&out)).Where("d.case_id = ?", caseID).OrderExpr("d.created_at, d.id").Scan(ctx); err != nil {
		return nil, err
	}
	ptrs := make([]*Delivery, len(out))
	for i := range out {
		ptrs[i] = &out[i]
	}
	return out, loadRoutes(ctx, tx, sc, ptrs)
}

// loadRoutes fills the routes of ds in the order of Channels.
func loadRoutes(ctx context.Context, tx bun.IDB, sc tenants.Scope, ds []*Delivery) error {
	if len(ds) == 0 {
		return nil
	}
	ids := make([]string, len(ds))
	byID := make(map[string]*Delivery, len(ds))
	for i, d := range ds {
		ids[i] = d.ID
		byID[d.ID] = d
		d.Routes = []Route{}
	}
	var rs []Route
	if err := tenants.Own(sc, tx.NewSelect().Model(&rs)).Where("r.delivery_id IN (?)", bun.In(ids)).OrderExpr("r.created_at, r.id").Scan(ctx); err != nil {
		return err
	}
	for _, r := range rs {
		d := byID[r.DeliveryID]
		d.Routes = append(d.Routes, r)
	}
	return nil
}

// findRoute returns a route. Returns NotFound.
func findRoute(ctx context.Context, tx bun.IDB, sc tenants.Scope, id string) (*Route, error) {
	r := new(Route)
	if err := tenants.Own(sc, tx.NewSelect().Model(r)).Where("r.id = ?", id).Scan(ctx); err != nil {
		return nil, dbx.NotFound(err)
	}
	return r, nil
}

// uncertainNote marks a route claimed while an earlier attempt had left it "sending": that
// attempt crashed (or lost the reply) and whether its message arrived is unknown.
const uncertainNote = "an earlier attempt's outcome is unknown (it stopped while sending); this copy carries the same Message-ID"

// findDeliveryOnly returns a delivery without its routes. Returns NotFound.
func findDeliveryOnly(ctx context.Context, tx bun.IDB, sc tenants.Scope, id string) (*Delivery, error) {
	d := new(Delivery)
	if err := tenants.Own(sc, tx.NewSelect().Model(d)).Where("d.id = ?", id).Scan(ctx); err != nil {
		return nil, dbx.NotFound(err)
	}
	return d, nil
}

// findRouteOf returns a delivery's route through channel c, or nil.
func findRouteOf(ctx context.Context, tx bun.IDB, sc tenants.Scope, deliveryID string, c Channel) (*Route, error) {
	r := new(Route)
	err := tenants.Own(sc, tx.NewSelect().Model(r)).Where("r.delivery_id = ? AND r.channel = ?", deliveryID, c).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

// releaseRoute lets a route held by a failed attempt be claimed again at once: pending, or, when
// the attempt's message may have arrived (uncertain), sending without a lease.
func releaseRoute(ctx context.Context, tx bun.IDB, sc tenants.Scope, id, lastError string, uncertain bool, now time.Time) error {
	status := RoutePending
	if uncertain {
		status = RouteSending
	}
	_, err := tenants.Own(sc, tx.NewUpdate().Model((*Route)(nil))).
		Set("status = ?", status).Set("lease_until = NULL").Set("last_error = ?", clip(lastError, 1000)).Set("updated_at = ?", now).
		Where("r.id = ? AND r.status = ?", id, RouteSending).Exec(ctx)
	return err
}

// unfinished limits an update to a route that is neither delivered nor failed.
func unfinished(q *bun.UpdateQuery) *bun.UpdateQuery {
	return q.Where("r.status NOT IN (?)", bun.In([]RouteStatus{RouteDelivered, RouteFailed}))
}

// rowsAffected returns how many rows res changed.
func rowsAffected(res sql.Result) int64 {
	n, _ := res.RowsAffected()
	return n
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

// insert inserts a row, turning a unique violation into Conflict with msg.
func insert(ctx context.Context, tx bun.IDB, model any, zh, en string) error {
	if _, err := tx.NewInsert().Model(model).Exec(ctx); err != nil {
		if dbx.IsUniqueViolation(err) {
			return errs.E(errs.Conflict, zh, en).WithCause(err)
		}
		return err
	}
	return nil
}
