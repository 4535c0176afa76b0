package elements_test

import (
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/modules/elements"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/errs"
)

func TestOfficersAndCertificates(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		body, err := w.svc.CreateBody(ctx, w.aOp, bodyInput("某县市场监督管理局", 1))
		noErr(t, err)
		body2, err := w.svc.CreateBody(ctx, w.aOp, bodyInput("某县交通运输局", 2))
		noErr(t, err)
		bBody, err := w.svc.CreateBody(ctx, w.bOp, bodyInput("B县市场监督管理局", 3))
		noErr(t, err)

		identity := "0190c0de-0000-7000-8000-00000000abcd"
		in := officerInput(body.ID, "张三", 1)
		in.IdentityID = identity
		in.IDNumber = strings.ToLower(in.IDNumber) // a lower-case x is accepted and stored upper-case
		zhang, err := w.svc.CreateOfficer(ctx, w.aOp, in)
		noErr(t, err)
		if zhang.IDNumber != residentID(1) || zhang.Certificate.Status != elements.CertValid || zhang.Certificate.Number != "闽A00000001" {
			t.Fatalf("CreateOfficer = %+v", zhang)
		}
		noCert := officerInput(body2.ID, "李四", 2)
		noCert.Certificate = nil
		li, err := w.svc.CreateOfficer(ctx, w.aOp, noCert)
		noErr(t, err)
		if !li.Certificate.IsZero() {
			t.Fatalf("officer without certificate = %+v", li)
		}
		in = officerInput(body2.ID, "王五", 3)
		in.Certificate.Status = elements.CertSuspended
		wang, err := w.svc.CreateOfficer(ctx, w.aOp, in)
		noErr(t, err)

		// Lists mask identity numbers; the detail shows it in full only to officer managers.
		os, n, err := w.svc.Officers(ctx, w.aOp, elements.OfficerFilter{})
		noErr(t, err)
		if n != 3 {
			t.Fatalf("%d officers", n)
		}
		for _, o := range os {
			if strings.Count(o.IDNumber, "*") != 8 || o.IDNumber[:6] != "350102" {
				t.Errorf("list shows identity number %q", o.IDNumber)
			}
		}
		full, err := w.svc.FindOfficer(ctx, w.aOp, zhang.ID)
		noErr(t, err)
		masked, err := w.svc.FindOfficer(ctx, w.aOfficer, zhang.ID)
		noErr(t, err)
		if full.IDNumber != residentID(1) || masked.IDNumber != elements.MaskResidentID(residentID(1)) {
			t.Fatalf("detail: manager sees %q, officer sees %q", full.IDNumber, masked.IDNumber)
		}
		mine, err := w.svc.FindOfficerByIdentity(ctx, w.aOfficer, identity)
		noErr(t, err)
		if mine.ID != zhang.ID {
			t.Fatalf("FindOfficerByIdentity = %+v", mine)
		}

		for _, tc := range []struct {
			name string
			f    elements.OfficerFilter
			want int
		}{
			{"name", elements.OfficerFilter{Q: "张"}, 1},
			{"certificate number", elements.OfficerFilter{Q: "a0000000"}, 2},
			{"body", elements.OfficerFilter{BodyID: body2.ID}, 2},
			{"status", elements.OfficerFilter{CertStatus: elements.CertSuspended}, 1},
			{"valid on", elements.OfficerFilter{ValidOn: "2025-06-01"}, 1},
			{"valid before issue", elements.OfficerFilter{ValidOn: "2023-12-31"}, 0},
			{"valid on expiry day", elements.OfficerFilter{ValidOn: "2028-12-31"}, 1},
		} {
			_, n, err := w.svc.Officers(ctx, w.aOfficer, tc.f)
			noErr(t, err)
			if n != tc.want {
				t.Errorf("%s: %d officers, want %d", tc.name, n, tc.want)
			}
		}

		// CertificateValidOn: status valid and the day within issued..expires.
		for _, tc := range []struct {
			officer string
			day     civil.Date
			want    bool
		}{
			{zhang.ID, "2024-01-01", true},
			{zhang.ID, "2028-12-31", true},
			{zhang.ID, "2023-12-31", false},
			{zhang.ID, "2029-01-01", false},
			{li.ID, "2025-01-01", false},   // no certificate
			{wang.ID, "2025-01-01", false}, // suspended
		} {
			ok, err := w.svc.CertificateValidOn(ctx, w.aOfficer, tc.officer, tc.day)
			noErr(t, err)
			if ok != tc.want {
				t.Errorf("CertificateValidOn(%s, %s) = %v, want %v", tc.officer, tc.day, ok, tc.want)
			}
		}
		_, err = w.svc.CertificateValidOn(ctx, w.aOp, zhang.ID, "2025-02-30")
		wantField(t, err, errs.Invalid, "date")
		_, err = w.svc.CertificateValidOn(ctx, w.aOp, "nope", "2025-01-01")
		wantCode(t, err, errs.Invalid)

		// One person, one certificate: identity number, certificate number and account are unique
		// on the whole platform.
		dupID := officerInput(body.ID, "张三", 1)
		dupID.Certificate.Number = "闽A99999999"
		_, err = w.svc.CreateOfficer(ctx, w.aOp, dupID)
		wantField(t, err, errs.Conflict, "id_number")
		dupIDb := officerInput(bBody.ID, "张三", 1)
		dupIDb.Certificate.Number = "闽B99999999"
		_, err = w.svc.CreateOfficer(ctx, w.bOp, dupIDb)
		wantField(t, err, errs.Conflict, "id_number")
		dupCert := officerInput(bBody.ID, "赵六", 10)
		dupCert.Certificate.Number = "闽a00000001"
		_, err = w.svc.CreateOfficer(ctx, w.bOp, dupCert)
		wantField(t, err, errs.Conflict, "certificate.number")
		dupAccount := officerInput(body.ID, "钱七", 11)
		dupAccount.IdentityID = identity
		_, err = w.svc.CreateOfficer(ctx, w.aOp, dupAccount)
		wantField(t, err, errs.Conflict, "identity_id")
		sameID := officerInput(body2.ID, "李四", 1)
		sameID.Certificate.Number = "闽A77777777"
		_, err = w.svc.UpdateOfficer(ctx, w.aOp, li.ID, sameID)
		wantField(t, err, errs.Conflict, "id_number")

		// Validation.
		bad := officerInput(body.ID, "", 12)
		bad.IDNumber = "350102199002290035"
		bad.Phone = "12345"
		bad.Certificate.ExpiresOn = "2023-01-01"
		bad.Certificate.Status = "lost"
		bad.Certificate.Sectors = []elements.Sector{"police"}
		_, err = w.svc.CreateOfficer(ctx, w.aOp, bad)
		for _, f := range []string{"name", "id_number", "phone", "certificate.expires_on", "certificate.status", "certificate.sectors"} {
			wantField(t, err, errs.Invalid, f)
		}
		_, err = w.svc.CreateOfficer(ctx, w.aOp, officerInput(bBody.ID, "孙八", 13))
		wantField(t, err, errs.Invalid, "body_id")

		// Update: move to another body, suspend the certificate.
		up := officerInput(body2.ID, "张三", 1)
		up.Certificate.Status = elements.CertRevoked
		upd, err := w.svc.UpdateOfficer(ctx, w.aOp, zhang.ID, up)
		noErr(t, err)
		if upd.BodyID != body2.ID || upd.IdentityID != nil || upd.Certificate.Status != elements.CertRevoked {
			t.Fatalf("UpdateOfficer = %+v", upd)
		}
		ok, err := w.svc.CertificateValidOn(ctx, w.aOp, zhang.ID, "2025-01-01")
		noErr(t, err)
		if ok {
			t.Fatal("a revoked certificate is valid")
		}
		noErr(t, w.svc.DeleteOfficer(ctx, w.aOp, li.ID))
		_, err = w.svc.FindOfficer(ctx, w.aOp, li.ID)
		wantCode(t, err, errs.NotFound)
		// The deleted officer's identity number may be registered again.
		_, err = w.svc.CreateOfficer(ctx, w.bOp, func() elements.OfficerInput {
			in := officerInput(bBody.ID, "李四", 2)
			in.Certificate = nil
			return in
		}())
		noErr(t, err)
	})
}
