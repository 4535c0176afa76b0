package elements_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/modules/elements"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// TestCertificateStateOn is the state a certificate is shown in on a day, across the boundaries
// of its period and of the 30-day warning window, including a window across a leap February.
func TestCertificateStateOn(t *testing.T) {
	t.Parallel()
	cert := func(issued, expires civil.Date, status elements.CertStatus) elements.Certificate {
		return elements.Certificate{Number: "FJ350426-2020-000150", IssuedOn: issued, ExpiresOn: expires, Status: status}
	}
	fj := cert("2020-05-01", "2025-04-30", elements.CertValid)
	leap := cert("2020-03-02", "2024-03-01", elements.CertValid)
	for _, tc := range []struct {
		name     string
		c        elements.Certificate
		on       civil.Date
		want     elements.CertState
		daysLeft int
	}{
		{"the day before issue", fj, "2020-04-30", elements.StateNotYet, 1826},
		{"the day of issue", fj, "2020-05-01", elements.StateValid, 1825},
		{"31 days before expiry", fj, "2025-03-30", elements.StateValid, 31},
		{"30 days before expiry", fj, "2025-03-31", elements.StateExpiring, 30},
		{"the expiry day itself", fj, "2025-04-30", elements.StateExpiring, 0},
		{"the day after expiry, a May Day holiday: calendar days, no shift", fj, "2025-05-01", elements.StateExpired, -1},
		{"years after expiry", fj, "2026-12-07", elements.StateExpired, -586},
		{"leap year: 2024-01-31 is 30 days before 2024-03-01", leap, "2024-01-31", elements.StateExpiring, 30},
		{"leap year: 2024-01-30 is 31 days before", leap, "2024-01-30", elements.StateValid, 31},
		{"leap day", leap, "2024-02-29", elements.StateExpiring, 1},
		{"suspended within its period", cert("2020-05-01", "2025-04-30", elements.CertSuspended), "2023-01-01", elements.StateSuspended, 850},
		{"revoked wins over expired", cert("2020-05-01", "2025-04-30", elements.CertRevoked), "2025-06-01", elements.StateRevoked, -32},
		{"suspended wins over not yet valid", cert("2020-05-01", "2025-04-30", elements.CertSuspended), "2020-01-01", elements.StateSuspended, 1946},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.c.StateOn(tc.on, elements.DefaultExpiryWarnDays)
			if got != tc.want {
				t.Errorf("StateOn(%s) = %s, want %s", tc.on, got, tc.want)
			}
			if tc.c.ValidOn(tc.on) != got.Usable() {
				t.Errorf("ValidOn(%s) = %v, but the state is %s", tc.on, tc.c.ValidOn(tc.on), got)
			}
			s := tc.c.Standing(tc.on, elements.DefaultExpiryWarnDays)
			if s.State != tc.want || s.On != tc.on || s.DaysLeft == nil || *s.DaysLeft != tc.daysLeft {
				t.Errorf("Standing(%s) = %s on %s, %v days left; want %s, %d", tc.on, s.State, s.On, s.DaysLeft, tc.want, tc.daysLeft)
			}
		})
	}
	if (elements.Certificate{}).StateOn("2025-01-01", 30) != elements.StateNone {
		t.Error("no certificate is not in state none")
	}
	if !fj.ValidOn("2025-04-30") || fj.ValidOn("2025-05-01") {
		t.Error("the expiry day must be the last valid day")
	}
	// What a refusal says of each state.
	for _, tc := range []struct {
		c      elements.Certificate
		on     civil.Date
		zh, en string
	}{
		{fj, "2025-05-01", "执法证 FJ350426-2020-000150 已于 2025-04-30 到期", "certificate FJ350426-2020-000150 expired on 2025-04-30"},
		{fj, "2020-04-30", "执法证 FJ350426-2020-000150 自 2020-05-01 起有效", "certificate FJ350426-2020-000150 is valid only from 2020-05-01"},
		{fj, "2025-04-30", "执法证 FJ350426-2020-000150 有效至 2025-04-30", "certificate FJ350426-2020-000150 is valid until 2025-04-30"},
		{cert("2020-05-01", "2025-04-30", elements.CertSuspended), "2023-01-01", "执法证 FJ350426-2020-000150 已暂扣", "certificate FJ350426-2020-000150 is suspended"},
		{cert("2020-05-01", "2025-04-30", elements.CertRevoked), "2023-01-01", "执法证 FJ350426-2020-000150 已吊销或注销", "certificate FJ350426-2020-000150 is revoked"},
		{elements.Certificate{}, "2023-01-01", "未持执法证", "holds no certificate"},
	} {
		if m := tc.c.Explain(tc.on); m.ZH != tc.zh || m.EN != tc.en {
			t.Errorf("Explain(%s, %s) = %+v, want %q / %q", tc.c.Status, tc.on, m, tc.zh, tc.en)
		}
	}
}

// certWorld is a body of county A whose officers hold certificates in every state on 2025-05-06,
// and a second body whose only officer is valid.
type certWorld struct {
	*world
	body, body2 *elements.Body
	byName      map[string]*elements.Officer
}

func newCertWorld(t *testing.T, db *bun.DB) *certWorld {
	t.Helper()
	w := &certWorld{world: newWorld(t, db), byName: map[string]*elements.Officer{}}
	var err error
	w.body, err = w.svc.CreateBody(ctx, w.aOp, bodyInput("A县城市管理局", 1))
	noErr(t, err)
	w.body2, err = w.svc.CreateBody(ctx, w.aOp, bodyInput("A县交通运输局", 2))
	noErr(t, err)
	for i, o := range []struct {
		name    string
		body    *elements.Body
		expires civil.Date
		status  elements.CertStatus
	}{
		{"valid", w.body, "2028-12-31", elements.CertValid},
		{"expiring-14", w.body, "2025-05-20", elements.CertValid},
		{"expired-6", w.body, "2025-04-30", elements.CertValid},
		{"suspended", w.body, "2028-12-31", elements.CertSuspended},
		{"expiring-4", w.body, "2025-05-10", elements.CertValid},
		{"none", w.body, "", ""},
		{"expired-95", w.body, "2025-01-31", elements.CertValid},
		{"revoked-expired", w.body, "2025-01-31", elements.CertRevoked},
		{"other-body-valid", w.body2, "2028-12-31", elements.CertValid},
	} {
		in := officerInput(o.body.ID, o.name, i+1)
		if o.expires == "" {
			in.Certificate = nil
		} else {
			in.Certificate.IssuedOn, in.Certificate.ExpiresOn, in.Certificate.Status = "2020-05-01", o.expires, o.status
		}
		off, err := w.svc.CreateOfficer(ctx, w.aOp, in)
		noErr(t, err)
		w.byName[o.name] = off
	}
	return w
}

// names returns the officers' names in order.
func names(os []elements.Officer) []string {
	out := make([]string, len(os))
	for i, o := range os {
		out[i] = o.Name
	}
	return out
}

func TestOfficerListStanding(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newCertWorld(t, db)
		list := func(f elements.OfficerFilter) []elements.Officer {
			t.Helper()
			os, _, err := w.svc.Officers(ctx, w.aOfficer, f)
			noErr(t, err)
			return os
		}
		os := list(elements.OfficerFilter{BodyID: w.body.ID, On: "2025-05-06"})
		// Expired first (longest ago first), then expiring (soonest first), then those who cannot
		// enforce for another reason, then the valid ones; by name within a group.
		if got, want := names(os), []string{"expired-95", "expired-6", "expiring-4", "expiring-14", "none", "revoked-expired", "suspended", "valid"}; !slices.Equal(got, want) {
			t.Fatalf("order = %v, want %v", got, want)
		}
		want := map[string]struct {
			state elements.CertState
			left  int
		}{
			"expired-95": {elements.StateExpired, -95}, "expired-6": {elements.StateExpired, -6},
			"expiring-4": {elements.StateExpiring, 4}, "expiring-14": {elements.StateExpiring, 14},
			"suspended": {elements.StateSuspended, 1335}, "revoked-expired": {elements.StateRevoked, -95},
			"valid": {elements.StateValid, 1335},
		}
		for _, o := range os {
			c := o.Certificate
			if o.Name == "none" {
				if c.State != elements.StateNone || c.DaysLeft != nil {
					t.Errorf("none: %+v", c)
				}
				continue
			}
			if w := want[o.Name]; c.State != w.state || c.On != "2025-05-06" || c.DaysLeft == nil || *c.DaysLeft != w.left {
				t.Errorf("%s: state %s on %s, %v days left; want %s, %d", o.Name, c.State, c.On, c.DaysLeft, w.state, w.left)
			}
			if c.Status == "" {
				t.Errorf("%s: the stored status is not shown", o.Name)
			}
		}
		// The stored status stays what the authority set: the expired one is still "valid".
		if o := os[1]; o.Certificate.Status != elements.CertValid || o.Certificate.State != elements.StateExpired {
			t.Errorf("expired-6: status %s, state %s", o.Certificate.Status, o.Certificate.State)
		}

		// A shorter window, set by the tenant: 14 days left is no longer expiring.
		_, err := tenants.NewService(db, elements.Settings()).Set(ctx, w.aOp, elements.SettingExpiryWarnDays, tenants.SetSetting{Value: json.RawMessage("10")})
		noErr(t, err)
		os = list(elements.OfficerFilter{BodyID: w.body.ID, On: "2025-05-06"})
		if got, want := names(os), []string{"expired-95", "expired-6", "expiring-4", "none", "revoked-expired", "suspended", "expiring-14", "valid"}; !slices.Equal(got, want) {
			t.Errorf("with a 10-day window the order is %v, want %v", got, want)
		}
		for _, o := range os {
			if o.Name == "expiring-14" && o.Certificate.State != elements.StateValid {
				t.Errorf("14 days left with a 10-day window: %s", o.Certificate.State)
			}
		}

		// Another day: on 2025-04-30 the certificate that expires that day is still valid.
		for _, o := range list(elements.OfficerFilter{Q: "expired-6", On: "2025-04-30"}) {
			if o.Certificate.State != elements.StateExpiring || *o.Certificate.DaysLeft != 0 {
				t.Errorf("on its expiry day: %+v", o.Certificate)
			}
		}
		// Without a day: today by the service's clock.
		if o := list(elements.OfficerFilter{Q: "expired-6"})[0]; o.Certificate.On != "2025-06-30" || o.Certificate.State != elements.StateExpired || *o.Certificate.DaysLeft != -61 {
			t.Errorf("today: %+v", o.Certificate)
		}
		found, err := w.svc.FindOfficer(ctx, w.aOfficer, w.byName["expired-6"].ID)
		noErr(t, err)
		if found.Certificate.State != elements.StateExpired || found.Certificate.On != "2025-06-30" {
			t.Errorf("FindOfficer: %+v", found.Certificate)
		}
		_, _, err = w.svc.Officers(ctx, w.aOfficer, elements.OfficerFilter{On: "2025-02-30"})
		wantField(t, err, errs.Invalid, "on")
	})
}

func TestCertificateNotices(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newCertWorld(t, db)
		written, err := w.svc.RecordCertificateNotices(ctx, w.aOp, "2025-05-06")
		noErr(t, err)
		if len(written) != 1 {
			t.Fatalf("%d notices written, want 1 (the second body has nothing to say)", len(written))
		}
		n := written[0]
		var listed []string
		for _, o := range n.Officers {
			listed = append(listed, fmt.Sprintf("%s %s %d", o.Name, o.State, o.DaysLeft))
		}
		want := []string{"expired-95 expired -95", "expired-6 expired -6", "expiring-4 expiring 4", "expiring-14 expiring 14"}
		if n.BodyID != w.body.ID || n.On != "2025-05-06" || n.WarnDays != 30 || n.Expired != 2 || n.Expiring != 2 || !slices.Equal(listed, want) {
			t.Fatalf("notice = %+v %v, want %v", n, listed, want)
		}
		// Run again the same day: the body keeps its one notice.
		again, err := w.svc.RecordCertificateNotices(ctx, w.aOp, "2025-05-06")
		noErr(t, err)
		if len(again) != 1 || again[0].ID != n.ID || !again[0].CreatedAt.Equal(n.CreatedAt) {
			t.Fatalf("a second run wrote %+v, want the first notice again", again)
		}
		got, err := w.svc.CertificateNotices(ctx, w.aOp, "2025-05-06")
		noErr(t, err)
		if len(got.Notices) != 1 || got.Notices[0].ID != n.ID || got.Notices[0].Expired != 2 || len(got.Notices[0].Officers) != 4 {
			t.Fatalf("notices of the day = %+v", got)
		}
		// A certificate renewed during the day leaves the day's notice at the next run.
		renewed := officerInput(w.body.ID, "expired-6", 3)
		renewed.Certificate.IssuedOn, renewed.Certificate.ExpiresOn = "2025-05-01", "2030-04-30"
		_, err = w.svc.UpdateOfficer(ctx, w.aOp, w.byName["expired-6"].ID, renewed)
		noErr(t, err)
		_, err = w.svc.RecordCertificateNotices(ctx, w.aOp, "2025-05-06")
		noErr(t, err)
		got, err = w.svc.CertificateNotices(ctx, w.aOp, "2025-05-06")
		noErr(t, err)
		if len(got.Notices) != 1 || got.Notices[0].ID != n.ID || got.Notices[0].Expired != 1 || len(got.Notices[0].Officers) != 3 {
			t.Fatalf("after the renewal the day's notices = %+v", got)
		}
		// The next day has its own.
		next, err := w.svc.RecordCertificateNotices(ctx, w.aOp, "2025-05-07")
		noErr(t, err)
		if len(next) != 1 || next[0].ID == n.ID || next[0].Officers[1].Name != "expiring-4" || next[0].Officers[1].DaysLeft != 3 {
			t.Fatalf("next day = %+v", next)
		}

		// Who sees them: the body's administrators, not another body's, not officers.
		admin := dbtest.BodyScope(w.a, "admin", []string{w.body.ID}, authz.BodyAdmin)
		admin2 := dbtest.BodyScope(w.a, "admin2", []string{w.body2.ID}, authz.BodyAdmin)
		if l, err := w.svc.CertificateNotices(ctx, admin, "2025-05-06"); err != nil || len(l.Notices) != 1 {
			t.Errorf("the body's admin sees %+v, %v", l, err)
		}
		if l, err := w.svc.CertificateNotices(ctx, admin2, "2025-05-06"); err != nil || len(l.Notices) != 0 {
			t.Errorf("another body's admin sees %+v, %v", l, err)
		}
		_, err = w.svc.CertificateNotices(ctx, w.aOfficer, "2025-05-06")
		wantCode(t, err, errs.Forbidden)
		if l, err := w.svc.CertificateNotices(ctx, w.bOp, "2025-05-06"); err != nil || len(l.Notices) != 0 {
			t.Errorf("county B sees %+v, %v", l, err)
		}
		_, err = w.svc.CertificateNotices(ctx, w.aOp, "06/05/2025")
		wantField(t, err, errs.Invalid, "on")
		_, err = w.svc.RecordCertificateNotices(ctx, w.aOfficer, "2025-05-06")
		wantCode(t, err, errs.Forbidden)

		// The daily task: per tenant, today, once however often it runs; never for a tenant scope.
		in := officerInput(w.body2.ID, "expiring-soon", 50)
		in.Certificate.ExpiresOn = "2025-07-10" // ten days after the service's today, 2025-06-30
		_, err = w.svc.CreateOfficer(ctx, w.aOp, in)
		noErr(t, err)
		sys := tenants.System("test certificate scan")
		noErr(t, w.svc.HandleScanCertificates(ctx, sys))
		noErr(t, w.svc.HandleScanCertificates(ctx, sys))
		today, err := w.svc.CertificateNotices(ctx, w.aOp, "")
		noErr(t, err)
		perBody := map[string]int{}
		for _, n := range today.Notices {
			perBody[n.BodyID]++
		}
		if today.On != "2025-06-30" || len(today.Notices) != 2 || perBody[w.body.ID] != 1 || perBody[w.body2.ID] != 1 {
			t.Fatalf("today's notices after two runs = %+v", today)
		}
		for _, n := range today.Notices {
			if n.BodyID == w.body2.ID && (n.Expiring != 1 || n.Officers[0].Name != "expiring-soon" || n.Officers[0].DaysLeft != 10) {
				t.Errorf("body 2's notice = %+v", n)
			}
		}
		if err := w.svc.HandleScanCertificates(ctx, w.aOp); err == nil || !strings.Contains(err.Error(), "system scope") {
			t.Errorf("a tenant scope ran the scan: %v", err)
		}

		// With its officers gone, the body's notice of the day goes at the next run; the body can
		// be deleted with its other notices.
		for _, o := range w.byName {
			if o.BodyID == w.body.ID {
				noErr(t, w.svc.DeleteOfficer(ctx, w.aOp, o.ID))
			}
		}
		if none, err := w.svc.RecordCertificateNotices(ctx, w.aOp, "2025-05-06"); err != nil || len(none) != 0 {
			t.Fatalf("with no officers left: %+v, %v", none, err)
		}
		if l, err := w.svc.CertificateNotices(ctx, w.aOp, "2025-05-06"); err != nil || len(l.Notices) != 0 {
			t.Fatalf("the day's notices with no officers left: %+v, %v", l, err)
		}
		noErr(t, w.svc.DeleteBody(ctx, w.aOp, w.body.ID))
	})
}
