package disclosure_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/modules/disclosure"
	"zhifa/modules/kernel/civil"
	"zhifa/tenants"
)

// TestUpdateKeepsEnds: a revised decision republishes its record (福建 Art. 21 ¶2: updated, the
// history public) and never moves its publication day or ends by itself, even when the window's
// settings changed meanwhile.
func TestUpdateKeepsEnds(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		p := person("case-1", "尤城管罚〔2025〕1号")
		r := w.publish(t, w.countyOp, w.body, "task-1", p)
		w.set(t, w.countyOp, "disclosure.max_days", "365")
		w.clock.Set("2025-11-03")
		p.Penalty.FineFen, p.Penalty.Types = 100000, []string{"fine", "confiscation"}
		got := w.publish(t, w.countyOp, w.body, "task-2", p)
		if got.ID != r.ID || got.State != disclosure.StateUpdated || got.Content != "罚款人民币1000.00元；没收违法所得、没收非法财物" {
			t.Fatalf("revised: %s %s %q", got.ID, got.State, got.Content)
		}
		if got.PublishedOn != r.PublishedOn || got.EndsOn != r.EndsOn || got.MinEndOn != r.MinEndOn || got.CreditEndsOn != r.CreditEndsOn {
			t.Errorf("ends moved: published %s→%s ends %s→%s min %s→%s credit %s→%s", r.PublishedOn, got.PublishedOn, r.EndsOn, got.EndsOn,
				r.MinEndOn, got.MinEndOn, r.CreditEndsOn, got.CreditEndsOn)
		}
		d, err := w.svc.Find(ctx, r.ID)
		noErr(t, err)
		if len(d.History) != 2 || d.History[1].From != disclosure.StatePublished || d.History[1].To != disclosure.StateUpdated || d.EndsOn != "2027-09-30" {
			t.Errorf("public record: history %+v ends %s", d.History, d.EndsOn)
		}
	})
}

// TestWithdrawDue: a revoked decision is withdrawn within 3 working days (行政处罚法 Art. 48;
// Art. 85: working days), counted on the holiday calendar: across the 2025 National Day
// (10-01..10-08 off, 09-28 and 10-11 make-up workdays) and the 2026 Spring Festival (02-15..02-23
// off, 02-14 and 02-28 make-up workdays).
func TestWithdrawDue(t *testing.T) {
	for _, c := range []struct{ revoked, today, due string }{
		{"2025-09-26", "2025-09-30", "2025-09-30"}, // Sat 27 off, Sun 28 worked, 29, 30
		{"2025-09-30", "2025-09-30", "2025-10-11"}, // 10-09, 10-10, Sat 10-11 worked
		{"2025-10-08", "2025-10-10", "2025-10-11"}, // 09, 10, 11
		{"2026-02-13", "2026-02-13", "2026-02-25"}, // Sat 02-14 worked, 02-24, 02-25
		{"2026-02-26", "2026-02-26", "2026-03-02"}, // 27, Sat 28 worked, Mon 03-02
	} {
		t.Run(c.revoked, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *bun.DB) {
				w := newWorld(t, db)
				w.clock.Set(c.revoked)
				p := person("case-1", "尤城管罚〔2025〕1号")
				p.DecidedOn, p.PublishBy = civil.Date(c.revoked), "2027-01-01"
				r := w.publish(t, w.countyOp, w.body, "task-1", p)
				w.clock.Set(c.today)
				got, err := w.svc.WithdrawRecord(ctx, w.head, r.ID, disclosure.WithdrawInput{RevokedOn: civil.Date(c.revoked), Explanation: "该处罚决定已被复议机关撤销"})
				noErr(t, err)
				if got.State != disclosure.StateWithdrawn || got.WithdrawDue != civil.Date(c.due) || got.Explanation != "该处罚决定已被复议机关撤销" {
					t.Errorf("withdrawn: %s due %s %q, want due %s", got.State, got.WithdrawDue, got.Explanation, c.due)
				}
				if _, err := w.svc.Find(ctx, r.ID); err == nil {
					t.Error("a withdrawn record is public")
				}
				if n := slices.Index(w.outbox(t, w.countyOp), "supervision:warn"); n >= 0 {
					t.Error("a withdrawal in time raised a warning")
				}
			})
		})
	}
}

// TestWithdrawLate: a withdrawal after its 3 working days raises supervision:warn once; a
// withdrawal needs its public explanation and a revocation day not after today.
func TestWithdrawLate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		r := w.publish(t, w.countyOp, w.body, "task-1", person("case-1", "尤城管罚〔2025〕1号"))
		_, err := w.svc.WithdrawRecord(ctx, w.head, r.ID, disclosure.WithdrawInput{RevokedOn: "2025-09-30", Explanation: "  "})
		wantField(t, err, "invalid", "explanation")
		_, err = w.svc.WithdrawRecord(ctx, w.head, r.ID, disclosure.WithdrawInput{RevokedOn: "2025-10-01", Explanation: "撤销"})
		wantField(t, err, "invalid", "revoked_on")
		_, err = w.svc.WithdrawRecord(ctx, w.officer, r.ID, disclosure.WithdrawInput{RevokedOn: "2025-09-30", Explanation: "撤销"})
		wantCode(t, err, "forbidden")
		w.clock.Set("2025-10-12") // due 2025-10-11
		got, err := w.svc.WithdrawRecord(ctx, w.head, r.ID, disclosure.WithdrawInput{RevokedOn: "2025-09-30", Explanation: "撤销"})
		noErr(t, err)
		if got.WithdrawDue != "2025-10-11" {
			t.Errorf("due %s", got.WithdrawDue)
		}
		_, err = w.svc.WithdrawRecord(ctx, w.head, r.ID, disclosure.WithdrawInput{RevokedOn: "2025-09-30", Explanation: "撤销"})
		noErr(t, err)
		if got := w.outbox(t, w.countyOp); !slices.Equal(got, []string{"supervision:warn"}) {
			t.Errorf("outbox %v, want one supervision:warn", got)
		}
	})
}

// TestLatePublication: a record public after its publish_by, or still pending past it when the
// periodic task runs, raises supervision:warn once (双公示: 7 working days).
func TestLatePublication(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		w.clock.Set("2025-10-15") // publish_by 2025-10-14
		w.publish(t, w.countyOp, w.body, "task-1", person("case-1", "尤城管罚〔2025〕1号"))
		if got := w.outbox(t, w.countyOp); !slices.Equal(got, []string{"supervision:warn"}) {
			t.Errorf("late publication: outbox %v", got)
		}
		w.set(t, w.siblingOp, disclosure.KeyRequireHeadApproval, "true")
		w.clock.Set("2025-10-14")
		w.publish(t, w.siblingOp, w.siblingBody, "task-2", person("case-2", "大城管罚〔2025〕1号"))
		noErr(t, w.svc.HandleExpire(ctx, tenants.System("test")))
		if got := w.outbox(t, w.siblingOp); len(got) != 0 {
			t.Errorf("pending in time: outbox %v", got)
		}
		w.clock.Set("2025-10-15")
		noErr(t, w.svc.HandleExpire(ctx, tenants.System("test")))
		noErr(t, w.svc.HandleExpire(ctx, tenants.System("test")))
		if got := w.outbox(t, w.siblingOp); !slices.Equal(got, []string{"supervision:warn"}) {
			t.Errorf("pending past due: outbox %v, want one warning", got)
		}
	})
}

// TestExpireAndEndEarly: publication ends early only after the minimum period (福建 Art. 21: 60
// days), and the periodic task expires every public record past its end, once, batch by batch,
// with each transition recorded; a tenant scope may not run it.
func TestExpireAndEndEarly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		a := w.publish(t, w.countyOp, w.body, "task-1", person("case-1", "尤城管罚〔2025〕1号"))
		b := w.publish(t, w.siblingOp, w.siblingBody, "task-2", person("case-2", "大城管罚〔2025〕1号"))
		w.clock.Set("2025-12-29") // the minimum period's last day
		_, err := w.svc.EndEarly(ctx, w.head, a.ID, disclosure.EndInput{Explanation: "当事人已履行处罚决定并完成信用修复"})
		e := wantCode(t, err, "failed_precondition")
		if e.Rule == nil || e.Rule.Article != "21" {
			t.Errorf("refusal cites %+v, want 福建 Art. 21", e.Rule)
		}
		w.clock.Set("2025-12-30")
		got, err := w.svc.EndEarly(ctx, w.head, a.ID, disclosure.EndInput{Explanation: "当事人已履行处罚决定并完成信用修复"})
		noErr(t, err)
		if got.State != disclosure.StateEndedEarly {
			t.Errorf("state %s", got.State)
		}
		_, err = w.svc.EndEarly(ctx, w.head, a.ID, disclosure.EndInput{Explanation: "再次"})
		wantCode(t, err, "conflict")
		w.clock.Set("2027-09-30") // b's last day
		noErr(t, w.svc.HandleExpire(ctx, tenants.System("test")))
		if d, err := w.svc.Find(ctx, b.ID); err != nil || d.State != disclosure.StatePublished {
			t.Fatalf("on its last day: %v %v", d, err)
		}
		w.clock.Set("2027-10-01")
		err = w.svc.HandleExpire(ctx, w.countyOp)
		if err == nil {
			t.Error("a tenant scope ran the expiry")
		}
		noErr(t, w.svc.HandleExpire(ctx, tenants.System("test")))
		noErr(t, w.svc.HandleExpire(ctx, tenants.System("test")))
		if _, err := w.svc.Find(ctx, b.ID); err == nil {
			t.Error("an expired record is public")
		}
		rv, err := w.svc.Review(ctx, dbtestSiblingHead(w), b.ID)
		noErr(t, err)
		if rv.Record.State != disclosure.StateExpired || len(rv.History) != 2 || rv.History[1].To != disclosure.StateExpired {
			t.Errorf("expired: %s, history %+v", rv.Record.State, rv.History)
		}
	})
}

// dbtestSiblingHead is the sibling body's head.
func dbtestSiblingHead(w *world) tenants.Scope {
	return dbtest.BodyScope(w.sibling, "sibling-head", []string{w.siblingBody.ID}, "body_head")
}

// TestExpireBatches: more records than one batch all expire, each once.
func TestExpireBatches(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		const n = 520
		for i := range n {
			w.publish(t, w.countyOp, w.body, "", organisation(fmt.Sprintf("case-%d", i), "尤城管罚〔2025〕1号"))
		}
		w.clock.Set("2027-10-01")
		noErr(t, w.svc.HandleExpire(ctx, tenants.System("test")))
		var expired, events int
		noErr(t, tenants.RunInTx(ctx, db, w.countyOp, func(ctx context.Context, tx bun.Tx) error {
			if err := tx.NewSelect().Model((*disclosure.Record)(nil)).ColumnExpr("COUNT(*)").Where("state = ?", disclosure.StateExpired).Scan(ctx, &expired); err != nil {
				return err
			}
			return tx.NewSelect().Model((*disclosure.Event)(nil)).ColumnExpr("COUNT(*)").Where("to_state = ?", disclosure.StateExpired).Scan(ctx, &events)
		}))
		if expired != n || events != n {
			t.Errorf("expired %d records with %d events, want %d", expired, events, n)
		}
	})
}
