package delivery

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/dbx"
	"zhifa/tenants"
)

// The writes around one attempt to send (claim the route, then record its arrival) are the hot
// path of delivery: they go through groups (batch.go), whose statements handle a whole batch.

// loaded is a route with its delivery.
type loaded struct {
	r       *Route
	d       *Delivery // without its routes
	claimed bool      // the route is held for this attempt
}

// finished reports whether the route needs no more work.
func (l *loaded) finished() bool { return l.r.Status == RouteDelivered || l.r.Status == RouteFailed }

// loadItem asks for a route of a channel with its delivery, claimed for an attempt when claim is
// set. l is the result: nil when there is no such route.
type loadItem struct {
	routeID string
	channel Channel
	claim   bool
	l       *loaded
}

// loadBatch reads the routes of items with their deliveries inside tx, claiming those asked to
// be (see claimRoute): one UPDATE ... RETURNING for the claims, one SELECT for the other routes,
// one for the deliveries. When a batch names a route twice, only the first item holds the claim.
func (s *Service) loadBatch(ctx context.Context, tx bun.Tx, sc tenants.Scope, items []*loadItem) error {
	now := s.now()
	routes := map[string]*Route{}
	claimed := map[string]bool{}
	byChannel := map[Channel][]string{}
	var channels []Channel
	for _, it := range items {
		it.l = nil
		if it.claim {
			if byChannel[it.channel] == nil {
				channels = append(channels, it.channel)
			}
			byChannel[it.channel] = append(byChannel[it.channel], it.routeID)
		}
	}
	if len(channels) > 0 {
		var rs []Route
		err := tenants.Own(sc, tx.NewUpdate().Model((*Route)(nil))).
			Set("status = ?", RouteSending).Set("attempts = r.attempts + 1").Set("lease_until = ?", now.Add(s.lease)).Set("updated_at = ?", now).
			Set("last_error = CASE WHEN r.status = ? THEN ? ELSE r.last_error END", RouteSending, uncertainNote).
			WhereGroup(" AND ", func(q *bun.UpdateQuery) *bun.UpdateQuery {
				for _, c := range channels {
					q = q.WhereOr("r.id IN (?) AND r.channel = ?", bun.In(byChannel[c]), c)
				}
				return q
			}).
			Where("(r.status = ? OR (r.status = ? AND (r.lease_until IS NULL OR r.lease_until < ?)))", RoutePending, RouteSending, now).
			Returning("*").Scan(ctx, &rs)
		if err != nil {
			return err
		}
		for i := range rs {
			routes[rs[i].ID], claimed[rs[i].ID] = &rs[i], true
		}
	}
	var rest []string
	for _, it := range items {
		if routes[it.routeID] == nil {
			rest = append(rest, it.routeID)
		}
	}
	if len(rest) > 0 {
		var rs []Route
		if err := tenants.Own(sc, tx.NewSelect().Model(&rs)).Where("r.id IN (?)", bun.In(rest)).Scan(ctx); err != nil {
			return err
		}
		for i := range rs {
			routes[rs[i].ID] = &rs[i]
		}
	}
	var dids []string
	seen := map[string]bool{}
	for _, r := range routes {
		if !seen[r.DeliveryID] {
			seen[r.DeliveryID] = true
			dids = append(dids, r.DeliveryID)
		}
	}
	deliveries := map[string]*Delivery{}
	if len(dids) > 0 {
		var ds []Delivery
		if err := tenants.Own(sc, tx.NewSelect().Model(&ds)).Where("d.id IN (?)", bun.In(dids)).Scan(ctx); err != nil {
			return err
		}
		for i := range ds {
			deliveries[ds[i].ID] = &ds[i]
		}
	}
	for _, it := range items {
		r, ok := routes[it.routeID]
		if !ok || deliveries[r.DeliveryID] == nil {
			continue
		}
		rc, dc := *r, *deliveries[r.DeliveryID]
		it.l = &loaded{r: &rc, d: &dc, claimed: claimed[r.ID] && r.Channel == it.channel && it.claim}
		if it.l.claimed {
			claimed[r.ID] = false
		}
	}
	return nil
}

// load reads a route task's route and its delivery. With claim it takes the route for one attempt
// in the same transaction; a route another attempt holds is an error, so that the task is retried
// later. (A revoked consent fails its pending routes when it is revoked, so a pending route's
// consent is in force.)
func (s *Service) load(ctx context.Context, sc tenants.Scope, t RouteTask, typ string, want Channel, claim bool) (*loaded, error) {
	if !dbx.ValidID(t.RouteID) {
		return nil, skip("%s: bad payload", typ)
	}
	it := &loadItem{routeID: t.RouteID, channel: want, claim: claim}
	if err := s.loads.do(ctx, sc, it); err != nil {
		return nil, err
	}
	l := it.l
	switch {
	case l == nil:
		return nil, skip("%s: route %s: not found", typ, t.RouteID)
	case l.r.Channel != want:
		return nil, skip("%s: route %s is a %s route", typ, t.RouteID, l.r.Channel)
	case claim && !l.claimed && !l.finished():
		return nil, fmt.Errorf("delivery: route %s: another attempt is in flight", l.r.ID)
	}
	return l, nil
}

// arrival is a route that reached the designated system at `at`, with the receiving system's
// reply. ok is the result: the route was unfinished and is now delivered.
type arrival struct {
	r     *Route
	at    time.Time
	reply string
	note  string
	ok    bool
}

// arrivalRow is one arrival as the batch's VALUES list carries it.
type arrivalRow struct {
	ID        string    `bun:"id"`
	At        time.Time `bun:"at,type:timestamptz"`
	ServedOn  string    `bun:"served_on"`
	Reply     string    `bun:"reply"`
	Note      string    `bun:"note"`
	MessageID string    `bun:"message_id"`
}

// arriveBatch records arrivals inside tx: one UPDATE ... FROM (VALUES ...) marks the unfinished
// routes delivered with their times and replies, and one delivery:record_served task settles the
// serving ones and enters them in the cases' records.
func (s *Service) arriveBatch(ctx context.Context, tx bun.Tx, sc tenants.Scope, items []*arrival) error {
	rows := make([]arrivalRow, len(items))
	ids := make([]string, len(items))
	for i, a := range items {
		ids[i] = a.r.ID
		a.ok = false
		rows[i] = arrivalRow{ID: a.r.ID, At: a.at, ServedOn: string(civil.DateOf(a.at)), Reply: clip(a.reply, 1000), Note: a.note}
		if a.r.Channel == ChannelEmail {
			rows[i].MessageID = s.messageID(a.r.ID)
		}
	}
	var done []string
	err := unfinished(tenants.Own(sc, tx.NewUpdate().With("_data", tx.NewValues(&rows)).Model((*Route)(nil)).TableExpr("_data").
		Set("status = ?", RouteDelivered).Set("delivered_at = _data.at").Set("served_on = _data.served_on").Set("reply = _data.reply").
		Set("last_error = _data.note").Set("message_id = _data.message_id").Set("lease_until = NULL").Set("updated_at = ?", dbx.Stamp(s.now())).
		Set("attempts = CASE WHEN r.channel = ? THEN r.attempts + 1 ELSE r.attempts END", ChannelInbox).
		Where("r.id = _data.id AND r.id IN (?)", bun.In(ids)))).Returning(returningID(tx)).Scan(ctx, &done)
	if err != nil {
		return err
	}
	ok := make(map[string]bool, len(done))
	for _, id := range done {
		ok[id] = true
	}
	var record []string
	for _, a := range items {
		if ok[a.r.ID] {
			a.ok, ok[a.r.ID] = true, false
			a.r.Status, a.r.DeliveredAt, a.r.ServedOn = RouteDelivered, &a.at, civil.DateOf(a.at)
			if a.r.Channel.Serves() {
				record = append(record, a.r.ID)
			}
		}
	}
	return queueRecord(ctx, tx, sc, record...)
}

// arrive records one arrival through the arrivals group and reports whether it was new.
func (s *Service) arrive(ctx context.Context, sc tenants.Scope, l *loaded, at time.Time, reply, note string) error {
	return s.arrivals.do(ctx, sc, &arrival{r: l.r, at: at, reply: reply, note: note})
}

// RecordTask is the payload of delivery:record_served: serving routes that reached the party.
type RecordTask struct {
	RouteIDs []string `json:"route_ids"`
}

// queueRecord writes the delivery:record_served task of serving routes that reached the party.
func queueRecord(ctx context.Context, tx bun.IDB, sc tenants.Scope, routeIDs ...string) error {
	if len(routeIDs) == 0 {
		return nil
	}
	_, err := RecordServed.Enqueue(ctx, tx, sc, RecordTask{RouteIDs: routeIDs})
	return err
}

// returningID names the updated table's id in the RETURNING clause of an UPDATE ... FROM: SQLite
// returns only the updated table's columns and takes no qualifier; PostgreSQL needs one.
func returningID(tx bun.Tx) string {
	if dbx.IsPostgres(tx) {
		return "r.id"
	}
	return "id"
}
