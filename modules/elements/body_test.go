package elements_test

import (
	"testing"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/modules/elements"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
)

func TestBodies(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		market, err := w.svc.CreateBody(ctx, w.aOp, bodyInput("某县市场监督管理局", 1))
		noErr(t, err)
		if !market.Active || market.TenantID != w.a.ID {
			t.Fatalf("CreateBody = %+v", market)
		}
		in := bodyInput("某县综合行政执法局", 2)
		in.Sector, in.Kind, in.Code = elements.SectorUrbanManagement, elements.BodyAuthorisedOrganisation, " "+lower(uscc(2))+" "
		urban, err := w.svc.CreateBody(ctx, w.aOp, in)
		noErr(t, err)
		if urban.Code != uscc(2) {
			t.Fatalf("code not normalised: %q", urban.Code)
		}

		for _, tc := range []struct {
			name string
			f    elements.BodyFilter
			want int
		}{
			{"all", elements.BodyFilter{}, 2},
			{"name", elements.BodyFilter{Q: "市场监督"}, 1},
			{"code", elements.BodyFilter{Q: uscc(2)[:12]}, 2},
			{"code lower-case", elements.BodyFilter{Q: lower(uscc(2))}, 1},
			{"sector", elements.BodyFilter{Sector: elements.SectorUrbanManagement}, 1},
			{"kind", elements.BodyFilter{Kind: elements.BodyAdministrativeOrgan}, 1},
			{"inactive", elements.BodyFilter{Active: ptr(false)}, 0},
		} {
			bs, n, err := w.svc.Bodies(ctx, w.aOfficer, tc.f)
			noErr(t, err)
			if n != tc.want || len(bs) != tc.want {
				t.Errorf("%s: %d bodies, want %d", tc.name, n, tc.want)
			}
		}
		_, _, err = w.svc.Bodies(ctx, w.aOp, elements.BodyFilter{Sector: "police"})
		wantField(t, err, errs.Invalid, "sector")

		in = bodyInput("某县市场监督管理局（更名）", 1)
		in.Active = ptr(false)
		upd, err := w.svc.UpdateBody(ctx, w.aOp, market.ID, in)
		noErr(t, err)
		if upd.Active || upd.Name != in.Name {
			t.Fatalf("UpdateBody = %+v", upd)
		}
		got, err := w.svc.FindBodyByCode(ctx, w.aOfficer, uscc(1))
		noErr(t, err)
		if got.ID != market.ID || got.Active {
			t.Fatalf("FindBodyByCode = %+v", got)
		}

		// The code is unique on the platform: in the same tenant, in another, and on update.
		_, err = w.svc.CreateBody(ctx, w.aOp, bodyInput("重复", 1))
		wantField(t, err, errs.Conflict, "code")
		_, err = w.svc.CreateBody(ctx, w.bOp, bodyInput("重复", 1))
		wantField(t, err, errs.Conflict, "code")
		_, err = w.svc.UpdateBody(ctx, w.aOp, urban.ID, bodyInput("重复", 1))
		wantField(t, err, errs.Conflict, "code")

		bad := bodyInput("坏代码", 3)
		bad.Code = bad.Code[:17] + "0"
		if bad.Code == uscc(3) {
			bad.Code = bad.Code[:17] + "1"
		}
		_, err = w.svc.CreateBody(ctx, w.aOp, bad)
		wantField(t, err, errs.Invalid, "code")
		_, err = w.svc.CreateBody(ctx, w.aOp, elements.BodyInput{})
		for _, f := range []string{"name", "code", "kind", "sector"} {
			wantField(t, err, errs.Invalid, f)
		}

		// A body with officers cannot be deleted; without, it can.
		_, err = w.svc.CreateOfficer(ctx, w.aOp, officerInput(urban.ID, "张三", 1))
		noErr(t, err)
		wantCode(t, w.svc.DeleteBody(ctx, w.aOp, urban.ID), errs.Conflict)
		noErr(t, w.svc.DeleteBody(ctx, w.aOp, market.ID))
		_, err = w.svc.FindBody(ctx, w.aOp, market.ID)
		wantCode(t, err, errs.NotFound)
	})
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// TestTenantIsolation checks that tenant B cannot find, read, change or delete tenant A's body,
// officer and matter, and that a sibling county and the province above do not see them either.
func TestTenantIsolation(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		body, err := w.svc.CreateBody(ctx, w.aOp, bodyInput("A县市场监督管理局", 1))
		noErr(t, err)
		off, err := w.svc.CreateOfficer(ctx, w.aOp, officerInput(body.ID, "李四", 1))
		noErr(t, err)
		matter, err := w.svc.CreateMatter(ctx, w.aOp, elements.MatterInput{Code: "A-001", Name: "A县事项",
			Kind: elements.MatterInspection, Sector: elements.SectorMarketRegulation, BodyIDs: []string{body.ID}})
		noErr(t, err)
		otherBody, err := w.svc.CreateBody(ctx, w.bOp, bodyInput("B县市场监督管理局", 2))
		noErr(t, err)

		for _, other := range []struct {
			name string
			op   func() error
		}{
			{"find body", func() error { _, err := w.svc.FindBody(ctx, w.bOp, body.ID); return err }},
			{"find body by code", func() error { _, err := w.svc.FindBodyByCode(ctx, w.bOp, body.Code); return err }},
			{"update body", func() error { _, err := w.svc.UpdateBody(ctx, w.bOp, body.ID, bodyInput("x", 1)); return err }},
			{"delete body", func() error { return w.svc.DeleteBody(ctx, w.bOp, body.ID) }},
			{"find officer", func() error { _, err := w.svc.FindOfficer(ctx, w.bOp, off.ID); return err }},
			{"update officer", func() error {
				_, err := w.svc.UpdateOfficer(ctx, w.bOp, off.ID, officerInput(otherBody.ID, "x", 1))
				return err
			}},
			{"delete officer", func() error { return w.svc.DeleteOfficer(ctx, w.bOp, off.ID) }},
			{"certificate", func() error { _, err := w.svc.CertificateValidOn(ctx, w.bOp, off.ID, "2025-01-01"); return err }},
			{"find matter", func() error { _, err := w.svc.FindMatter(ctx, w.bOp, matter.ID); return err }},
			{"find matter by code", func() error { _, err := w.svc.FindMatterByCode(ctx, w.bOp, "A-001"); return err }},
			{"update matter", func() error {
				_, err := w.svc.UpdateMatter(ctx, w.bOp, matter.ID, elements.MatterInput{Code: "B", Name: "x", Kind: elements.MatterOther, Sector: elements.SectorOther})
				return err
			}},
			{"delete matter", func() error { return w.svc.DeleteMatter(ctx, w.bOp, matter.ID) }},
			{"province finds body", func() error { _, err := w.svc.FindBody(ctx, w.provOp, body.ID); return err }},
			{"province finds officer", func() error { _, err := w.svc.FindOfficer(ctx, w.provOp, off.ID); return err }},
			{"province finds matter", func() error { _, err := w.svc.FindMatter(ctx, w.provOp, matter.ID); return err }},
			{"province updates body", func() error { _, err := w.svc.UpdateBody(ctx, w.provOp, body.ID, bodyInput("x", 1)); return err }},
		} {
			if err := other.op(); errs.CodeOf(err) != errs.NotFound {
				t.Errorf("%s: %v, want NotFound", other.name, err)
			}
		}
		bs, _, err := w.svc.Bodies(ctx, w.bOp, elements.BodyFilter{})
		noErr(t, err)
		os, _, err := w.svc.Officers(ctx, w.bOp, elements.OfficerFilter{})
		noErr(t, err)
		ms, _, err := w.svc.Matters(ctx, w.bOp, elements.MatterFilter{})
		noErr(t, err)
		if len(bs) != 1 || bs[0].ID != otherBody.ID || len(os) != 0 || len(ms) != 0 {
			t.Fatalf("B sees bodies %v, officers %v, matters %v", bs, os, ms)
		}
		// A's rows are intact.
		if _, err := w.svc.FindOfficer(ctx, w.aOp, off.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.FindMatter(ctx, w.aOp, matter.ID); err != nil {
			t.Fatal(err)
		}
	})
}

// TestRoles checks that only element writers write, in the service itself.
func TestRoles(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		body, err := w.svc.CreateBody(ctx, w.aOp, bodyInput("某局", 1))
		noErr(t, err)
		other, err := w.svc.CreateBody(ctx, w.aOp, bodyInput("另一局", 2))
		noErr(t, err)
		off, err := w.svc.CreateOfficer(ctx, w.aOp, officerInput(body.ID, "王五", 1))
		noErr(t, err)
		for name, sc := range map[string]func() error{
			"officer creates body": func() error { _, err := w.svc.CreateBody(ctx, w.aOfficer, bodyInput("x", 3)); return err },
			"officer updates body": func() error { _, err := w.svc.UpdateBody(ctx, w.aOfficer, body.ID, bodyInput("x", 1)); return err },
			"officer deletes body": func() error { return w.svc.DeleteBody(ctx, w.aOfficer, other.ID) },
			"officer creates officer": func() error {
				_, err := w.svc.CreateOfficer(ctx, w.aOfficer, officerInput(body.ID, "x", 2))
				return err
			},
			"officer deletes officer": func() error { return w.svc.DeleteOfficer(ctx, w.aOfficer, off.ID) },
			"officer creates matter": func() error {
				_, err := w.svc.CreateMatter(ctx, w.aOfficer, elements.MatterInput{Code: "x", Name: "x", Kind: elements.MatterOther, Sector: elements.SectorOther})
				return err
			},
			"citizen creates body": func() error { _, err := w.svc.CreateBody(ctx, w.aVisitor, bodyInput("x", 3)); return err },
			"reviewer creates law": func() error {
				_, err := w.svc.CreateLaw(ctx, dbtest.Scope(w.a, "r", authz.LegalReviewer, authz.BodyHead), lawInput("x"))
				return err
			},
		} {
			if err := sc(); errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("%s: %v, want Forbidden", name, err)
			}
		}

		// A body admin bound to one body manages that body's officers only.
		admin := dbtest.BodyScope(w.a, "admin", []string{body.ID}, authz.BodyAdmin)
		mine, err := w.svc.CreateOfficer(ctx, admin, officerInput(body.ID, "赵六", 3))
		noErr(t, err)
		_, err = w.svc.CreateOfficer(ctx, admin, officerInput(other.ID, "钱七", 4))
		wantCode(t, err, errs.Forbidden)
		_, err = w.svc.UpdateOfficer(ctx, admin, mine.ID, officerInput(other.ID, "赵六", 3))
		wantCode(t, err, errs.Forbidden)
		_, err = w.svc.CreateBody(ctx, admin, bodyInput("新局", 5))
		wantCode(t, err, errs.Forbidden)
		_, err = w.svc.UpdateBody(ctx, admin, other.ID, bodyInput("另一局", 2))
		wantCode(t, err, errs.Forbidden)
		_, err = w.svc.UpdateBody(ctx, admin, body.ID, bodyInput("某局（新名）", 1))
		noErr(t, err)
		// An unbound body admin manages every body of the tenant.
		tenantAdmin := dbtest.Scope(w.a, "admin2", authz.BodyAdmin)
		_, err = w.svc.CreateOfficer(ctx, tenantAdmin, officerInput(other.ID, "钱七", 4))
		noErr(t, err)
	})
}
