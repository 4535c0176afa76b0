package delivery_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/modules/delivery"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

func TestNormalizeEmail(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"zhangsan@example.cn":          "zhangsan@example.cn",
		"Zhang.San+fj@Mail.Example.CN": "Zhang.San+fj@mail.example.cn",
		"li_si@Example.XN--fiqs8s":     "li_si@example.xn--fiqs8s",
		"wang@例子.中国":                   "wang@例子.中国",
	} {
		if got, ok := delivery.NormalizeEmail(in); !ok || got != want {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "zhangsan", "zhangsan@", "@example.cn", "zhangsan@localhost", "zhangsan@example",
		"zhang san@example.cn", "张三 <zhangsan@example.cn>", "zhangsan@example.c", "zhangsan@example.123", "zhangsan@-example.cn",
		"zhangsan@example-.cn", "zhangsan@exa_mple.cn", "zhangsan@example..cn", ".zhangsan@example.cn", "zhang..san@example.cn",
		"zhangsan@example.cn\r\nBcc: x@y.cn", strings.Repeat("a", 65) + "@example.cn", "zhangsan@" + strings.Repeat("a", 64) + ".cn"} {
		if got, ok := delivery.NormalizeEmail(bad); ok {
			t.Errorf("NormalizeEmail(%q) = %q, accepted", bad, got)
		}
	}
}

func TestNormalizeMobile(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"13800138000": "13800138000", "+86 138-0013-8000": "13800138000", "008619912345678": "19912345678"} {
		if got, ok := delivery.NormalizeMobile(in); !ok || got != want {
			t.Errorf("NormalizeMobile(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "1380013800", "138001380001", "12800138000", "23800138000", "0591-87654321", "+1 415 555 0100", "1380013800a"} {
		if _, ok := delivery.NormalizeMobile(bad); ok {
			t.Errorf("NormalizeMobile(%q) accepted", bad)
		}
	}
}

// TestConsent records, refuses and revokes consents: each invalid address or choice is refused
// with its field named, a second consent in force is a conflict, and revoking stops electronic
// delivery from then on.
func TestConsent(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		c := w.newCase(w.a)
		good := func() delivery.ConsentInput {
			return delivery.ConsentInput{Channels: []delivery.Channel{delivery.ChannelInbox, delivery.ChannelEmail, delivery.ChannelSMS},
				Email: "zhangsan@example.cn", Mobile: "13800138000", CitizenID: uuid.NewString(), SignedOn: "2025-09-20"}
		}
		for _, tc := range []struct {
			name  string
			edit  func(*delivery.ConsentInput)
			field string
		}{
			{"e-mail without a domain", func(in *delivery.ConsentInput) { in.Email = "zhangsan@localhost" }, "email"},
			{"e-mail with a display name", func(in *delivery.ConsentInput) { in.Email = "张三 <zhangsan@example.cn>" }, "email"},
			{"e-mail missing for the email channel", func(in *delivery.ConsentInput) { in.Email = "" }, "email"},
			{"mobile too short", func(in *delivery.ConsentInput) { in.Mobile = "1380013800" }, "mobile"},
			{"landline for SMS", func(in *delivery.ConsentInput) { in.Mobile = "0591-87654321" }, "mobile"},
			{"inbox without a portal account", func(in *delivery.ConsentInput) { in.CitizenID = "" }, "citizen_id"},
			{"SMS without the inbox", func(in *delivery.ConsentInput) { in.Channels = []delivery.Channel{delivery.ChannelSMS} }, "channels"},
			{"paper is not a consent channel", func(in *delivery.ConsentInput) { in.Channels = []delivery.Channel{delivery.ChannelPaper} }, "channels"},
			{"no channel", func(in *delivery.ConsentInput) { in.Channels = nil }, "channels"},
			{"signed in the future", func(in *delivery.ConsentInput) { in.SignedOn = "2999-01-01" }, "signed_on"},
			{"signed the day after today by the service's clock", func(in *delivery.ConsentInput) { in.SignedOn = "2025-10-10" }, "signed_on"},
			{"no signing day", func(in *delivery.ConsentInput) { in.SignedOn = "" }, "signed_on"},
		} {
			in := good()
			tc.edit(&in)
			_, err := w.svc.RecordConsent(ctx, w.officer, c.ID, in)
			e := wantCode(t, err, errs.Invalid)
			if len(e.Fields) == 0 || e.Fields[0].Field != tc.field {
				t.Errorf("%s: fields %+v, want %s", tc.name, e.Fields, tc.field)
			}
		}
		_, err := w.svc.RecordConsent(ctx, w.reviewer, c.ID, good())
		wantCode(t, err, errs.Forbidden)
		_, err = w.svc.RecordConsent(ctx, w.otherBody, c.ID, good())
		wantCode(t, err, errs.NotFound)

		in := good()
		in.Email, in.Mobile = "Zhang.San@Example.CN", "+86 138 0013 8000"
		con, err := w.svc.RecordConsent(ctx, w.officer, c.ID, in)
		noErr(t, err)
		if con.Email != "Zhang.San@example.cn" || con.Mobile != "13800138000" || con.RecordedBy != "officer-a" || con.PartyName != "张三" ||
			!strings.Contains(con.PartyID, "****") || len(con.Channels) != 3 {
			t.Fatalf("consent %+v", con)
		}
		_, err = w.svc.RecordConsent(ctx, w.head, c.ID, good())
		wantCode(t, err, errs.Conflict)

		got, err := w.svc.Consents(ctx, w.supervisor, c.ID)
		noErr(t, err)
		if got.Active == nil || got.Active.ID != con.ID || len(got.History) != 1 {
			t.Fatalf("consents %+v", got)
		}
		_, err = w.svc.RevokeConsent(ctx, w.officer, c.ID, delivery.RevokeInput{})
		wantCode(t, err, errs.Invalid)
		rev, err := w.svc.RevokeConsent(ctx, w.officer, c.ID, delivery.RevokeInput{Reason: "当事人书面撤回"})
		noErr(t, err)
		if rev.RevokedAt == nil || rev.RevokedBy != "officer-a" || rev.Active() {
			t.Fatalf("revoked %+v", rev)
		}
		_, err = w.svc.RevokeConsent(ctx, w.officer, c.ID, delivery.RevokeInput{Reason: "again"})
		wantCode(t, err, errs.NotFound)
		_, err = w.svc.Deliver(ctx, w.officer, c.ID, delivery.DeliverInput{Document: "penalty_decision", Channels: []delivery.Channel{delivery.ChannelEmail}})
		wantArt61(t, err)
		con2, err := w.svc.RecordConsent(ctx, w.officer, c.ID, good())
		noErr(t, err)
		if got, _ := w.svc.Consents(ctx, w.officer, c.ID); got.Active.ID != con2.ID || len(got.History) != 2 {
			t.Fatalf("after a new consent: %+v", got)
		}
	})
}

func wantArt61(t testing.TB, err error) {
	t.Helper()
	e := wantCode(t, err, errs.FailedPrecondition)
	if e.Rule == nil || e.Rule.Article != "61" || e.Rule.Law != "行政处罚法" || !strings.Contains(e.Message.ZH, "第61条") ||
		!strings.Contains(e.Message.EN, "public notice") {
		t.Fatalf("refusal %+v (rule %+v), want Art. 61 offering paper and public notice", e, e.Rule)
	}
}

// TestNoConsent: without consent, electronic delivery is refused naming Art. 61 and paper or
// public notice is offered; the case engine's task opens a delivery that needs the officer's
// choice; a consent revoked after the task was queued stops the send.
func TestNoConsent(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		c := w.newCase(w.a)
		for _, ch := range []delivery.Channel{delivery.ChannelEmail, delivery.ChannelInbox, delivery.ChannelSMS} {
			_, err := w.svc.Deliver(ctx, w.officer, c.ID, delivery.DeliverInput{Document: "penalty_decision", Channels: []delivery.Channel{ch}})
			wantArt61(t, err)
		}
		w.deliverDocument(t, w.a, c, "penalty_decision", "2025-10-20")
		w.drain(t)
		d := w.only(t, c)
		if d.Status != delivery.StatusNeedsAction || len(d.Routes) != 0 || !hasOptions(d, delivery.ChannelPaper, delivery.ChannelPublicNotice) || hasOptions(d, delivery.ChannelEmail) {
			t.Fatalf("delivery without consent %+v", d)
		}
		// Paper is always possible.
		d2, err := w.svc.Deliver(ctx, w.officer, c.ID, delivery.DeliverInput{Document: "penalty_decision", Channels: []delivery.Channel{delivery.ChannelPaper}, Method: "post"})
		noErr(t, err)
		if d2.ID != d.ID || route(t, *d2, delivery.ChannelPaper).Status != delivery.RoutePending || route(t, *d2, delivery.ChannelPaper).Method != "post" || d2.Status != delivery.StatusInProgress {
			t.Fatalf("paper chosen: %+v", d2)
		}

		// Consent given, then revoked before the queued e-mail is sent.
		c2 := w.newCase(w.a)
		w.consent(t, w.officer, c2, delivery.ChannelEmail)
		d3, err := w.svc.Deliver(ctx, w.officer, c2.ID, delivery.DeliverInput{Document: "penalty_decision", Channels: []delivery.Channel{delivery.ChannelEmail}})
		noErr(t, err)
		_, err = w.svc.Deliver(ctx, w.officer, c2.ID, delivery.DeliverInput{Document: "penalty_decision", Channels: []delivery.Channel{delivery.ChannelInbox}})
		e := wantCode(t, err, errs.FailedPrecondition)
		if e.Rule == nil || e.Rule.Article != "61" {
			t.Errorf("a channel not consented: %+v", e)
		}
		_, err = w.svc.RevokeConsent(ctx, w.officer, c2.ID, delivery.RevokeInput{Reason: "撤回"})
		noErr(t, err)
		warns := w.drain(t)
		r := route(t, w.only(t, c2), delivery.ChannelEmail)
		if r.Status != delivery.RouteFailed || !strings.Contains(r.LastError, "revoked") || len(w.sink.Messages()) != 0 || len(warns) != 1 {
			t.Fatalf("after revocation: route %+v, %d messages, %d warnings", r, len(w.sink.Messages()), len(warns))
		}
		if d3.Routes[0].ID != r.ID {
			t.Error("another route")
		}
	})
}

// TestPartySignsConsent: the proven party signs its own consent through the portal (party.act):
// the inbox is the signed-in account's and the day signed is today, whatever the request says; a
// scope that is neither staff who record consents nor the party is refused; inside the caller's
// transaction, the consent rolls back with it.
func TestPartySignsConsent(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		c := w.newCase(w.a)
		account := uuid.NewString()
		party := dbtest.Scope(w.a, account, authz.Citizen)
		in := delivery.ConsentInput{Channels: []delivery.Channel{delivery.ChannelInbox, delivery.ChannelEmail},
			Email: "zhangsan@example.cn", CitizenID: uuid.NewString(), SignedOn: "2025-01-02"}

		_, err := w.svc.RecordConsent(ctx, dbtest.Scope(w.a, account), c.ID, in)
		wantCode(t, err, errs.Forbidden)

		err = tenants.RunInTx(ctx, db, party, func(ctx context.Context, tx bun.Tx) error {
			if _, err := w.svc.RecordConsentTx(ctx, tx, party, c.ID, in); err != nil {
				return err
			}
			return errors.New("the caller's next write failed")
		})
		if err == nil || err.Error() != "the caller's next write failed" {
			t.Fatalf("transaction: %v", err)
		}
		if got, err := w.svc.Consents(ctx, w.officer, c.ID); err != nil || got.Active != nil || len(got.History) != 0 {
			t.Fatalf("a rolled-back consent was kept: %+v, %v", got, err)
		}

		var con *delivery.Consent
		noErr(t, tenants.RunInTx(ctx, db, party, func(ctx context.Context, tx bun.Tx) error {
			var err error
			con, err = w.svc.RecordConsentTx(ctx, tx, party, c.ID, in)
			return err
		}))
		if con.CitizenID != account || con.SignedOn != "2025-10-09" || con.RecordedBy != account || con.Email != "zhangsan@example.cn" {
			t.Fatalf("party's consent %+v: want the account %s's inbox, signed today 2025-10-09", con, account)
		}
		got, err := w.svc.Consents(ctx, w.officer, c.ID)
		noErr(t, err)
		if got.Active == nil || got.Active.ID != con.ID {
			t.Fatalf("consents %+v", got)
		}
		_, err = w.svc.RecordConsent(ctx, party, c.ID, in)
		wantCode(t, err, errs.Conflict)

		other := w.newCase(w.b)
		_, err = w.svc.RecordConsent(ctx, party, other.ID, in)
		wantCode(t, err, errs.NotFound)
	})
}
