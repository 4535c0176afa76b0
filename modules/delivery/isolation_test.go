package delivery_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/modules/delivery"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// TestTenantIsolation: county B cannot find, read, change or record anything of county A's
// deliveries, consents or inbox items; an officer of another body of A cannot either (an operator
// holding such a grant reads them, and changes nothing); a citizen
// reads only the items addressed to their own account. On PostgreSQL, row-level security hides
// A's rows from B even for a query that forgets the tenant filter.
func TestTenantIsolation(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		c := w.newCase(w.a)
		con := w.consent(t, w.officer, c, delivery.ChannelInbox, delivery.ChannelEmail)
		w.deliverDocument(t, w.a, c, "penalty_decision", "2025-10-20")
		w.drain(t)
		d := w.only(t, c)
		page, err := w.svc.Inbox(ctx, citizen(con.CitizenID), 20, 0)
		noErr(t, err)
		if page.Total != 1 {
			t.Fatalf("the party's inbox has %d items", page.Total)
		}
		item := page.Items[0]

		for name, sc := range map[string]tenants.Scope{"county B": w.bOfficer, "another body of A": w.otherBody} {
			_, err := w.svc.Deliveries(ctx, sc, c.ID)
			wantCode(t, err, errs.NotFound)
			_, err = w.svc.Consents(ctx, sc, c.ID)
			wantCode(t, err, errs.NotFound)
			_, err = w.svc.RecordConsent(ctx, sc, c.ID, delivery.ConsentInput{Channels: []delivery.Channel{delivery.ChannelEmail}, Email: "x@example.cn", SignedOn: "2025-09-01"})
			wantCode(t, err, errs.NotFound)
			_, err = w.svc.RevokeConsent(ctx, sc, c.ID, delivery.RevokeInput{Reason: "x"})
			wantCode(t, err, errs.NotFound)
			_, err = w.svc.Deliver(ctx, sc, c.ID, delivery.DeliverInput{Document: "penalty_decision", Channels: []delivery.Channel{delivery.ChannelPaper}})
			wantCode(t, err, errs.NotFound)
			_, err = w.svc.RecordPaper(ctx, sc, c.ID, d.ID, delivery.PaperInput{ServedOn: "2025-10-09", Method: "direct", Receiver: "x"}, "a.pdf", bytes.NewReader(fakePDF("x")))
			wantCode(t, err, errs.NotFound)
			_, err = w.svc.RecordPublicNotice(ctx, sc, c.ID, d.ID, delivery.NoticeInput{PublishedOn: "2025-10-09", Medium: "m", Reference: "r", Reason: "x"})
			wantCode(t, err, errs.NotFound)
			_, _, err = w.svc.OpenReceipt(ctx, sc, c.ID, d.ID)
			wantCode(t, err, errs.NotFound)
			t.Logf("%s: refused everywhere", name)
		}
		// A tenant operator who is also an officer of another body reads A's deliveries (the
		// operator's delivery.read reaches every body) but delivers nothing there (the officer's
		// delivery.write reaches only its own body): each role as far as its grant (authz.Reach).
		opOfficer := dbtest.GrantScope(w.a, "op-officer", authz.Grant{Role: authz.TenantOperator, TenantID: w.a.ID},
			authz.Grant{Role: authz.Officer, TenantID: w.a.ID, BodyID: dbx.NewID()})
		if ds, err := w.svc.Deliveries(ctx, opOfficer, c.ID); err != nil || len(ds) != 1 {
			t.Errorf("the operator reads %d deliveries, %v; want the one", len(ds), err)
		}
		_, err = w.svc.RevokeConsent(ctx, opOfficer, c.ID, delivery.RevokeInput{Reason: "x"})
		wantCode(t, err, errs.NotFound)
		_, err = w.svc.Deliver(ctx, opOfficer, c.ID, delivery.DeliverInput{Document: "penalty_decision", Channels: []delivery.Channel{delivery.ChannelPaper}})
		wantCode(t, err, errs.NotFound)

		// B's own case cannot reach A's delivery through its ID either.
		cb := w.newCase(w.b)
		_, err = w.svc.RecordPublicNotice(ctx, w.bOfficer, cb.ID, d.ID, delivery.NoticeInput{PublishedOn: "2025-10-09", Medium: "m", Reference: "r", Reason: "x"})
		wantCode(t, err, errs.NotFound)
		// A's route task run under B's scope finds nothing and is dropped.
		if err := w.runRoute(delivery.SendEmail, w.b, d, d.Routes[0]); err == nil {
			t.Error("A's route ran under B's scope")
		}

		// Citizens: another account sees nothing of it; an officer is not a citizen.
		other := citizen(uuid.NewString())
		if p, err := w.svc.Inbox(ctx, other, 20, 0); err != nil || p.Total != 0 {
			t.Fatalf("another citizen's inbox: %+v, %v", p, err)
		}
		_, err = w.svc.InboxItem(ctx, other, item.ID, true)
		wantCode(t, err, errs.NotFound)
		officer := &citizenLike{}
		_, err = w.svc.Inbox(ctx, officer.principal(), 20, 0)
		wantCode(t, err, errs.Forbidden)
		_, err = w.svc.Inbox(ctx, nil, 20, 0)
		wantCode(t, err, errs.Unauthenticated)

		// The stores fail closed: no scope, no rows.
		if err := tenants.RunInTx(ctx, db, tenants.Scope{}, func(context.Context, bun.Tx) error { return nil }); err == nil {
			t.Error("a transaction without a scope ran")
		}
		if _, err := db.NewSelect().Table("deliveries").Count(ctx); err == nil {
			t.Error("a query on deliveries without a scope ran")
		}
		// Row-level security (PostgreSQL): B's transaction sees none of A's rows even without a filter.
		if dbx.IsPostgres(db) {
			for _, table := range []string{"deliveries", "delivery_routes", "delivery_consents", "delivery_inbox"} {
				var n int
				noErr(t, tenants.RunInTx(ctx, db, w.bOfficer, func(ctx context.Context, tx bun.Tx) error {
					return tx.NewRaw("SELECT count(*) FROM "+table).Scan(ctx, &n)
				}))
				if n != 0 {
					t.Errorf("row-level security: B sees %d rows of %s", n, table)
				}
				noErr(t, tenants.RunInTx(ctx, db, w.bOfficer, func(ctx context.Context, tx bun.Tx) error {
					res, err := tx.NewRaw("UPDATE " + table + " SET tenant_id = tenant_id WHERE id IS NOT NULL").Exec(ctx)
					if err != nil {
						return err
					}
					if k, _ := res.RowsAffected(); k != 0 {
						t.Errorf("row-level security: B changed %d rows of %s", k, table)
					}
					return nil
				}))
			}
		}
	})
}

// citizenLike builds a principal that is an officer, not a citizen.
type citizenLike struct{}

func (citizenLike) principal() *authz.Principal {
	return &authz.Principal{IdentityID: uuid.NewString(), Kind: "officer", Grants: []authz.Grant{{Role: authz.Officer, TenantID: "35"}}}
}
