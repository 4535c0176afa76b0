package disclosure_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/modules/disclosure"
	"zhifa/tenants"
)

// TestPublishOnce: a decision becomes one record, redacted (行政处罚结果信息网上公开暂行办法
// Art. 7), with its periods (福建 Art. 21: 60 days to 2 years from publication; the credit period
// of its heaviest category); the same task, or another task for the same decision, adds nothing.
func TestPublishOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		r := w.publish(t, w.countyOp, w.body, "task-1", person("case-1", "尤城管罚〔2025〕1号"))
		if r.State != disclosure.StatePublished || r.PublishedOn != "2025-09-30" {
			t.Fatalf("state %s published %s, want published on 2025-09-30", r.State, r.PublishedOn)
		}
		if r.PartyName != "王小明" || r.PartyKind != "person" || r.PartyUSCC != "" {
			t.Errorf("party %q %q %q", r.PartyName, r.PartyKind, r.PartyUSCC)
		}
		want := "当事人王小明（电话[已隐去]，身份证号[已隐去]）于[已隐去]占道经营，经证人张某证实。"
		if r.Facts != want {
			t.Errorf("facts %q\nwant  %q", r.Facts, want)
		}
		// 60 and 730 calendar days from 2025-09-30; the fine's credit period (一般) 3 and 12
		// months from the decision.
		if r.MinEndOn != "2025-12-29" || r.EndsOn != "2027-09-30" || r.CreditEndsOn != "2026-09-29" {
			t.Errorf("min end %s, ends %s, credit ends %s; want 2025-12-29, 2027-09-30, 2026-09-29", r.MinEndOn, r.EndsOn, r.CreditEndsOn)
		}
		if r.Content != "罚款人民币2000.00元" || !slices.Equal(r.Categories, []string{"fine"}) {
			t.Errorf("content %q categories %v", r.Content, r.Categories)
		}
		again := w.publish(t, w.countyOp, w.body, "task-1", person("case-1", "尤城管罚〔2025〕1号"))
		other := w.publish(t, w.countyOp, w.body, "task-2", person("case-1", "尤城管罚〔2025〕1号"))
		if again.ID != r.ID || other.ID != r.ID || other.Version != 1 {
			t.Errorf("republished: %s %s (version %d), want %s once", again.ID, other.ID, other.Version, r.ID)
		}
		rv, err := w.svc.Review(ctx, w.head, r.ID)
		noErr(t, err)
		if len(rv.History) != 1 || rv.History[0].To != disclosure.StatePublished {
			t.Errorf("history %+v, want one publication", rv.History)
		}
		if !strings.Contains(rv.Facts, "350102198503120016") {
			t.Errorf("the review lacks the original facts: %q", rv.Facts)
		}
	})
}

// TestPublishOrganisation: an organisation's name and USCC are shown, bank accounts removed; with
// a fine and a revocation (严重) the credit period is the longest: 36 months.
func TestPublishOrganisation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		r := w.publish(t, w.countyOp, w.body, "task-1", organisation("case-1", "尤城管罚〔2025〕2号"))
		if r.PartyKind != "organisation" || r.PartyUSCC != "91350426MA2XYZ1234" {
			t.Errorf("party %q %q", r.PartyKind, r.PartyUSCC)
		}
		if want := "当事人未取得许可从事餐饮服务，员工刘某称其工资转入账户[已隐去]。"; r.Facts != want {
			t.Errorf("facts %q, want %q", r.Facts, want)
		}
		if r.CreditEndsOn != "2028-09-29" || r.MinEndOn != "2026-09-29" || !r.LicenceRevoked || r.LicenceSuspended {
			t.Errorf("credit ends %s, min end %s, revoked %v suspended %v", r.CreditEndsOn, r.MinEndOn, r.LicenceRevoked, r.LicenceSuspended)
		}
		if r.Content != "罚款人民币150000.00元；吊销许可证件" || r.FineFen != 15000000 {
			t.Errorf("content %q fine %d", r.Content, r.FineFen)
		}
	})
}

// TestWithheld: a party under 18 on the day of the act (Art. 5(1)), and a warning only at a
// market-regulation body (总局令45号 Art. 2) or where the setting says so, are never published,
// the reason recorded.
func TestWithheld(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		minor := person("case-1", "尤城管罚〔2025〕3号")
		minor.Party.BornOn = "2007-09-21" // 17 on 2025-09-20, the act's day; 18 at the decision
		r := w.publish(t, w.countyOp, w.body, "task-1", minor)
		if r.State != disclosure.StateWithheld || r.WithheldReason != "minor" || r.PublishedOn != "" {
			t.Errorf("minor: %s %q published %q", r.State, r.WithheldReason, r.PublishedOn)
		}
		warning := organisation("case-2", "尤市监罚〔2025〕4号")
		warning.Penalty.Types, warning.Penalty.FineFen = []string{"warning"}, 0
		if r := w.publish(t, w.countyOp, w.samrBody, "task-2", warning); r.State != disclosure.StateWithheld || r.WithheldReason != "warning_only" {
			t.Errorf("SAMR warning: %s %q", r.State, r.WithheldReason)
		}
		warning.CaseID = "case-3"
		if r := w.publish(t, w.countyOp, w.body, "task-3", warning); r.State != disclosure.StatePublished {
			t.Errorf("warning elsewhere: %s, want published", r.State)
		}
		w.set(t, w.countyOp, disclosure.KeyWithholdWarningOnly, "true")
		warning.CaseID = "case-4"
		if r := w.publish(t, w.countyOp, w.body, "task-4", warning); r.State != disclosure.StateWithheld {
			t.Errorf("warning with the setting: %s, want withheld", r.State)
		}
		page, err := w.svc.Search(ctx, disclosure.Query{Tenant: w.county.ID})
		noErr(t, err)
		if page.Total != 1 || page.Items[0].DecisionNumber != "尤市监罚〔2025〕4号" {
			t.Errorf("public: %+v, want the warning published elsewhere only", page)
		}
	})
}

// TestApproval: with disclosure.require_head_approval the record waits, invisible to the public,
// until the body head approves it with the names to mask; an officer may not approve.
func TestApproval(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		w.set(t, w.countyOp, disclosure.KeyRequireHeadApproval, "true")
		p := person("case-1", "尤城管罚〔2025〕5号")
		p.Facts = "当事人王小明向李四华出售过期食品。"
		r := w.publish(t, w.countyOp, w.body, "task-1", p)
		if r.State != disclosure.StatePending {
			t.Fatalf("state %s, want pending", r.State)
		}
		if _, err := w.svc.Find(ctx, r.ID); err == nil {
			t.Error("a pending record is public")
		}
		_, err := w.svc.Approve(ctx, w.officer, r.ID, disclosure.ApproveInput{})
		wantCode(t, err, "forbidden")
		w.clock.Set("2025-10-09")
		got, err := w.svc.Approve(ctx, w.head, r.ID, disclosure.ApproveInput{MaskNames: []string{"李四华"}})
		noErr(t, err)
		if got.State != disclosure.StatePublished || got.Facts != "当事人王小明向李某出售过期食品。" || got.PublishedOn != "2025-10-09" {
			t.Errorf("approved: %s %q %s", got.State, got.Facts, got.PublishedOn)
		}
		d, err := w.svc.Find(ctx, r.ID)
		noErr(t, err)
		if len(d.History) != 2 || d.History[0].To != disclosure.StatePending || d.History[1].To != disclosure.StatePublished {
			t.Errorf("history %+v", d.History)
		}
		_, err = w.svc.Approve(ctx, w.head, r.ID, disclosure.ApproveInput{})
		wantCode(t, err, "conflict")
	})
}

// TestPendingRevised: a decision revised while its record waits for approval replaces the
// content the head will approve, without a transition; a withheld record stays withheld.
func TestPendingRevised(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		w.set(t, w.countyOp, disclosure.KeyRequireHeadApproval, "true")
		p := organisation("case-1", "尤城管罚〔2025〕8号")
		r := w.publish(t, w.countyOp, w.body, "task-1", p)
		p.Facts = "当事人未取得许可从事餐饮服务（经复核）。"
		got := w.publish(t, w.countyOp, w.body, "task-2", p)
		if got.ID != r.ID || got.State != disclosure.StatePending || got.Facts != p.Facts || got.Version != 2 {
			t.Errorf("revised pending: %s %s %q v%d", got.ID, got.State, got.Facts, got.Version)
		}
		rv, err := w.svc.Review(ctx, w.head, r.ID)
		noErr(t, err)
		if rv.Facts != p.Facts || len(rv.History) != 1 {
			t.Errorf("review: %q, %d events", rv.Facts, len(rv.History))
		}
		minor := person("case-2", "尤城管罚〔2025〕9号")
		minor.Party.BornOn = "2010-01-01"
		w.publish(t, w.countyOp, w.body, "task-3", minor)
		minor.Facts = "改"
		if got := w.publish(t, w.countyOp, w.body, "task-4", minor); got.State != disclosure.StateWithheld || got.Facts == "改" {
			t.Errorf("withheld revised: %s %q", got.State, got.Facts)
		}
	})
}

// TestPersonWithoutBirthDate: a person's decision written before the payload carried the birth
// date waits for the head, who can see whether the party was a minor.
func TestPersonWithoutBirthDate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		p := person("case-1", "尤城管罚〔2025〕6号")
		p.Party.BornOn = ""
		if r := w.publish(t, w.countyOp, w.body, "task-1", p); r.State != disclosure.StatePending {
			t.Errorf("state %s, want pending", r.State)
		}
	})
}

// TestPublishIsolation: a county's records are its own: the sibling county's operator neither
// finds nor reviews them.
func TestPublishIsolation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		w.set(t, w.countyOp, disclosure.KeyRequireHeadApproval, "true")
		r := w.publish(t, w.countyOp, w.body, "task-1", person("case-1", "尤城管罚〔2025〕7号"))
		_, err := w.svc.Review(ctx, w.siblingOp, r.ID)
		wantCode(t, err, "not_found")
		_, err = w.svc.Approve(ctx, w.siblingOp, r.ID, disclosure.ApproveInput{})
		wantCode(t, err, "not_found")
		var n int64
		noErr(t, tenants.RunInTx(ctx, db, w.siblingOp, func(ctx context.Context, tx bun.Tx) error {
			var err error
			n, err = tenants.Own(w.siblingOp, tx.NewSelect().Model((*disclosure.Record)(nil))).Count(ctx)
			return err
		}))
		if n != 0 {
			t.Errorf("the sibling sees %d records", n)
		}
	})
}
