package elements_test

import (
	"slices"
	"testing"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/modules/elements"
	"zhifa/modules/kernel/errs"
)

func matterInput(code, name string) elements.MatterInput {
	return elements.MatterInput{Code: code, Name: name, Kind: elements.MatterPenalty, Sector: elements.SectorMarketRegulation}
}

func TestMatters(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		law, art51 := penaltyLaw(t, w, w.provOp)
		art52, err := w.svc.CreateArticle(ctx, w.provOp, law.ID, elements.ArticleInput{Number: "第五十二条", Text: "执法人员当场作出行政处罚决定的……"})
		noErr(t, err)
		provBody, err := w.svc.CreateBody(ctx, w.provOp, bodyInput("省市场监督管理局", 1))
		noErr(t, err)
		aBody, err := w.svc.CreateBody(ctx, w.aOp, bodyInput("A县市场监督管理局", 2))
		noErr(t, err)
		bBody, err := w.svc.CreateBody(ctx, w.bOp, bodyInput("B县市场监督管理局", 3))
		noErr(t, err)

		in := matterInput("330217001000", "对销售不符合安全标准的食品的行政处罚")
		in.ArticleIDs, in.BodyIDs = []string{art51.ID, art52.ID, art51.ID}, []string{provBody.ID}
		prov, err := w.svc.CreateMatter(ctx, w.provOp, in)
		noErr(t, err)
		if len(prov.ArticleIDs) != 2 || len(prov.BodyIDs) != 1 {
			t.Fatalf("CreateMatter links = %+v", prov)
		}

		// The county sees the province's matter with its links, and cannot change it.
		got, err := w.svc.FindMatter(ctx, w.aOfficer, prov.ID)
		noErr(t, err)
		if !slices.Contains(got.ArticleIDs, art52.ID) || len(got.ArticleIDs) != 2 || got.BodyIDs[0] != provBody.ID {
			t.Fatalf("county's view of the matter = %+v", got)
		}
		byCode, err := w.svc.FindMatterByCode(ctx, w.aOfficer, "330217001000")
		noErr(t, err)
		if byCode.ID != prov.ID {
			t.Fatalf("FindMatterByCode = %+v", byCode)
		}
		_, err = w.svc.UpdateMatter(ctx, w.aOp, prov.ID, matterInput("330217001000", "改"))
		wantCode(t, err, errs.Forbidden)
		wantCode(t, w.svc.DeleteMatter(ctx, w.aOp, prov.ID), errs.Forbidden)
		_, err = w.svc.CreateMatter(ctx, w.aOp, matterInput("330217001000", "同编码"))
		wantField(t, err, errs.Conflict, "code")

		// The county's own matter rests on the province's article and its own body only.
		in = matterInput("A-INS-01", "食品经营许可检查")
		in.Kind, in.ArticleIDs, in.BodyIDs = elements.MatterInspection, []string{art51.ID}, []string{aBody.ID}
		own, err := w.svc.CreateMatter(ctx, w.aOp, in)
		noErr(t, err)
		in.Code, in.BodyIDs = "A-INS-02", []string{bBody.ID}
		_, err = w.svc.CreateMatter(ctx, w.aOp, in)
		wantField(t, err, errs.Invalid, "body_ids")
		in.BodyIDs = []string{provBody.ID}
		_, err = w.svc.CreateMatter(ctx, w.aOp, in)
		wantField(t, err, errs.Invalid, "body_ids")
		in.BodyIDs, in.ArticleIDs = nil, []string{"0190c0de-0000-7000-8000-000000000000"}
		_, err = w.svc.CreateMatter(ctx, w.aOp, in)
		wantField(t, err, errs.Invalid, "article_ids")
		in.ArticleIDs = []string{"bogus"}
		_, err = w.svc.CreateMatter(ctx, w.aOp, in)
		wantField(t, err, errs.Invalid, "article_ids")

		for _, tc := range []struct {
			name string
			f    elements.MatterFilter
			want []string
		}{
			{"all", elements.MatterFilter{}, []string{prov.ID, own.ID}},
			{"q code", elements.MatterFilter{Q: "a-ins"}, []string{own.ID}},
			{"q name", elements.MatterFilter{Q: "安全标准"}, []string{prov.ID}},
			{"kind", elements.MatterFilter{Kind: elements.MatterInspection}, []string{own.ID}},
			{"sector", elements.MatterFilter{Sector: elements.SectorTransport}, nil},
			{"body", elements.MatterFilter{BodyID: aBody.ID}, []string{own.ID}},
			{"article", elements.MatterFilter{ArticleID: art52.ID}, []string{prov.ID}},
			{"article 51", elements.MatterFilter{ArticleID: art51.ID}, []string{prov.ID, own.ID}},
		} {
			ms, n, err := w.svc.Matters(ctx, w.aOfficer, tc.f)
			noErr(t, err)
			var ids []string
			for _, m := range ms {
				ids = append(ids, m.ID)
			}
			if n != len(tc.want) || !slices.Equal(ids, tc.want) {
				t.Errorf("%s: matters %v (total %d), want %v", tc.name, ids, n, tc.want)
			}
		}
		_, _, err = w.svc.Matters(ctx, w.aOp, elements.MatterFilter{BodyID: "x"})
		wantField(t, err, errs.Invalid, "body_id")
		// The province does not see the county's matter.
		ms, _, err := w.svc.Matters(ctx, w.provOp, elements.MatterFilter{})
		noErr(t, err)
		if len(ms) != 1 {
			t.Fatalf("province sees %d matters", len(ms))
		}

		// Update replaces links.
		in = matterInput("A-INS-01", "食品经营许可检查（修订）")
		in.ArticleIDs = []string{art52.ID}
		upd, err := w.svc.UpdateMatter(ctx, w.aOp, own.ID, in)
		noErr(t, err)
		got, err = w.svc.FindMatter(ctx, w.aOp, own.ID)
		noErr(t, err)
		if upd.Name != in.Name || len(got.ArticleIDs) != 1 || got.ArticleIDs[0] != art52.ID || len(got.BodyIDs) != 0 {
			t.Fatalf("after update: %+v", got)
		}

		// Articles and laws that matters rest on cannot be deleted.
		wantCode(t, w.svc.DeleteArticle(ctx, w.provOp, art52.ID), errs.Conflict)
		wantCode(t, w.svc.DeleteLaw(ctx, w.provOp, law.ID), errs.Conflict)
		// Nor can a body that enforces a matter.
		in = matterInput("A-INS-03", "x")
		in.BodyIDs = []string{aBody.ID}
		third, err := w.svc.CreateMatter(ctx, w.aOp, in)
		noErr(t, err)
		wantCode(t, w.svc.DeleteBody(ctx, w.aOp, aBody.ID), errs.Conflict)

		// Deleting a matter removes its links; its body can then go.
		noErr(t, w.svc.DeleteMatter(ctx, w.aOp, third.ID))
		_, err = w.svc.FindMatter(ctx, w.aOp, third.ID)
		wantCode(t, err, errs.NotFound)
		noErr(t, w.svc.DeleteBody(ctx, w.aOp, aBody.ID))
		noErr(t, w.svc.DeleteMatter(ctx, w.aOp, own.ID))
		wantCode(t, w.svc.DeleteArticle(ctx, w.provOp, art52.ID), errs.Conflict) // still the province matter's basis
	})
}
