package elements_test

import (
	"testing"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/modules/elements"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/errs"
)

func lawNames(ls []elements.Law) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.Name
	}
	return out
}

func TestLawsCRUDAndSearch(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		law, art := penaltyLaw(t, w, w.provOp)
		if art.Seq != 51 || art.EffectiveFrom != law.EffectiveFrom || art.TenantID != w.prov.ID {
			t.Fatalf("article = %+v", art)
		}
		in := lawInput("福建省行政执法条例")
		in.Level, in.Issuer, in.PromulgatedOn, in.EffectiveFrom = elements.LevelLocalRegulation, "福建省人民代表大会常务委员会", "2024-03-29", "2024-07-01"
		local, err := w.svc.CreateLaw(ctx, w.provOp, in)
		noErr(t, err)

		got, err := w.svc.FindLaw(ctx, w.provOp, law.ID)
		noErr(t, err)
		if got.Name != law.Name || got.ShortName != "行政处罚法" || got.EffectiveTo != nil {
			t.Fatalf("FindLaw = %+v", got)
		}

		for _, tc := range []struct {
			name string
			f    elements.LawFilter
			want []string
		}{
			{"all", elements.LawFilter{}, []string{"中华人民共和国行政处罚法", "福建省行政执法条例"}},
			{"name contains", elements.LawFilter{Q: "处罚"}, []string{"中华人民共和国行政处罚法"}},
			{"issuer contains", elements.LawFilter{Q: "福建省人民代表大会"}, []string{"福建省行政执法条例"}},
			{"level", elements.LawFilter{Level: elements.LevelLocalRegulation}, []string{"福建省行政执法条例"}},
			{"in force", elements.LawFilter{InForceOn: "2022-01-01"}, []string{"中华人民共和国行政处罚法"}},
			{"nothing", elements.LawFilter{Q: "刑法"}, nil},
			{"like wildcards are literal", elements.LawFilter{Q: "%"}, nil},
		} {
			ls, n, err := w.svc.Laws(ctx, w.aOfficer, tc.f)
			noErr(t, err)
			if names := lawNames(ls); n != len(tc.want) || len(names) != len(tc.want) || (len(names) > 0 && names[0] != tc.want[0]) {
				t.Errorf("%s: Laws = %v (total %d), want %v", tc.name, names, n, tc.want)
			}
		}
		ls, n, err := w.svc.Laws(ctx, w.provOp, elements.LawFilter{Page: elements.Page{Limit: 1, Offset: 1}})
		noErr(t, err)
		if n != 2 || len(ls) != 1 || ls[0].ID != local.ID {
			t.Fatalf("second page = %v, total %d", lawNames(ls), n)
		}

		in = lawInput("中华人民共和国行政处罚法")
		in.ShortName, in.EffectiveFrom = "处罚法", "2021-07-15"
		upd, err := w.svc.UpdateLaw(ctx, w.provOp, law.ID, in)
		noErr(t, err)
		if upd.ShortName != "处罚法" {
			t.Fatalf("UpdateLaw = %+v", upd)
		}
		in.EffectiveFrom = "2022-01-01" // after its article's date
		_, err = w.svc.UpdateLaw(ctx, w.provOp, law.ID, in)
		wantField(t, err, errs.Invalid, "effective_from")

		_, err = w.svc.CreateLaw(ctx, w.provOp, lawInput("中华人民共和国行政处罚法"))
		wantField(t, err, errs.Conflict, "name")
		_, err = w.svc.UpdateLaw(ctx, w.provOp, local.ID, lawInput("中华人民共和国行政处罚法"))
		wantField(t, err, errs.Conflict, "name")

		noErr(t, w.svc.DeleteLaw(ctx, w.provOp, local.ID))
		_, err = w.svc.FindLaw(ctx, w.provOp, local.ID)
		wantCode(t, err, errs.NotFound)
		_, err = w.svc.FindArticle(ctx, w.provOp, art.ID)
		noErr(t, err)
		noErr(t, w.svc.DeleteArticle(ctx, w.provOp, art.ID))
		noErr(t, w.svc.DeleteLaw(ctx, w.provOp, law.ID))
		_, err = w.svc.FindArticle(ctx, w.provOp, art.ID)
		wantCode(t, err, errs.NotFound)
	})
}

func TestLawValidation(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		edit  func(*elements.LawInput)
		field string
	}{
		{"no name", func(in *elements.LawInput) { in.Name = "  " }, "name"},
		{"bad level", func(in *elements.LawInput) { in.Level = "constitution" }, "level"},
		{"no issuer", func(in *elements.LawInput) { in.Issuer = "" }, "issuer"},
		{"bad date", func(in *elements.LawInput) { in.PromulgatedOn = "2021-02-30" }, "promulgated_on"},
		{"effective before promulgated", func(in *elements.LawInput) { in.EffectiveFrom = "2020-01-01" }, "effective_from"},
		{"ends before it starts", func(in *elements.LawInput) { in.EffectiveTo = ptr(date("2021-07-15")) }, "effective_to"},
		{"end not a date", func(in *elements.LawInput) { in.EffectiveTo = ptr(date("soon")) }, "effective_to"},
	} {
		in := lawInput("某法")
		tc.edit(&in)
		wantField(t, in.Validate(), errs.Invalid, tc.field)
	}
	for _, tc := range []struct {
		name  string
		in    elements.ArticleInput
		field string
	}{
		{"no number nor seq", elements.ArticleInput{Text: "x"}, "number"},
		{"seq disagrees", elements.ArticleInput{Number: "第三条", Seq: 4, Text: "x"}, "seq"},
		{"free number needs seq", elements.ArticleInput{Number: "附则一", Text: "x"}, "seq"},
		{"no text", elements.ArticleInput{Number: "第三条"}, "text"},
		{"bad date", elements.ArticleInput{Number: "第三条", Text: "x", EffectiveFrom: "2024-13-01"}, "effective_from"},
	} {
		wantField(t, tc.in.Validate(), errs.Invalid, tc.field)
	}
	in := elements.ArticleInput{Seq: 32, Text: "x"}
	noErr(t, in.Validate())
	if in.Number != "第三十二条" {
		t.Fatalf("number from seq = %s", in.Number)
	}
}

func TestEffectiveDatedLawsAndArticles(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		old := lawInput("中华人民共和国行政处罚法（1996）")
		old.PromulgatedOn, old.EffectiveFrom, old.EffectiveTo = "1996-03-17", "1996-10-01", ptr(date("2021-07-15"))
		oldLaw, err := w.svc.CreateLaw(ctx, w.provOp, old)
		noErr(t, err)
		law, art51 := penaltyLaw(t, w, w.provOp)

		for _, tc := range []struct {
			day  civil.Date
			want string
		}{
			{"1996-09-30", ""},
			{"1996-10-01", oldLaw.ID},
			{"2021-07-14", oldLaw.ID},
			{"2021-07-15", law.ID}, // the old law's EffectiveTo is its first day out of force
			{"2030-01-01", law.ID},
		} {
			ls, _, err := w.svc.Laws(ctx, w.aOp, elements.LawFilter{InForceOn: tc.day})
			noErr(t, err)
			switch {
			case tc.want == "" && len(ls) != 0, tc.want != "" && (len(ls) != 1 || ls[0].ID != tc.want):
				t.Errorf("in force on %s: %v, want %s", tc.day, lawNames(ls), tc.want)
			}
		}

		// Article 32 is revised on 2025-01-01: the old text ends, a new row begins.
		a32, err := w.svc.CreateArticle(ctx, w.provOp, law.ID, elements.ArticleInput{Number: "第三十二条", Text: "旧文",
			EffectiveTo: ptr(date("2025-01-01"))})
		noErr(t, err)
		b32, err := w.svc.CreateArticle(ctx, w.provOp, law.ID, elements.ArticleInput{Number: "第三十二条", Text: "新文",
			EffectiveFrom: "2025-01-01"})
		noErr(t, err)
		_, err = w.svc.CreateArticle(ctx, w.provOp, law.ID, elements.ArticleInput{Number: "第三十二条", Text: "重复",
			EffectiveFrom: "2025-01-01"})
		wantField(t, err, errs.Conflict, "number")
		_, err = w.svc.CreateArticle(ctx, w.provOp, law.ID, elements.ArticleInput{Number: "第三十三条", Text: "早于法律",
			EffectiveFrom: "2020-01-01"})
		wantField(t, err, errs.Invalid, "effective_from")

		for _, tc := range []struct {
			day  civil.Date
			want []string
		}{
			{"2024-06-01", []string{a32.ID, art51.ID}},
			{"2025-06-01", []string{b32.ID, art51.ID}},
			{"2021-01-01", nil}, // before the law
		} {
			as, n, err := w.svc.Articles(ctx, w.aOp, law.ID, elements.ArticleFilter{InForceOn: tc.day})
			noErr(t, err)
			if n != len(tc.want) || len(as) != len(tc.want) {
				t.Fatalf("articles in force on %s: %d (%+v), want %d", tc.day, n, as, len(tc.want))
			}
			for i := range as {
				if as[i].ID != tc.want[i] {
					t.Errorf("articles in force on %s [%d] = %s %s, want %s", tc.day, i, as[i].Number, as[i].Text, tc.want[i])
				}
			}
		}
		as, n, err := w.svc.Articles(ctx, w.aOp, law.ID, elements.ArticleFilter{Q: "当场"})
		noErr(t, err)
		if n != 1 || as[0].ID != art51.ID {
			t.Fatalf("article search = %+v", as)
		}
		all, n, err := w.svc.Articles(ctx, w.aOp, law.ID, elements.ArticleFilter{})
		noErr(t, err)
		if n != 3 || all[0].Seq != 32 || all[2].Seq != 51 {
			t.Fatalf("articles in order = %+v", all)
		}

		inForce, err := w.svc.ArticlesInForce(ctx, w.aOp, []string{a32.ID, b32.ID, art51.ID, "not-an-id"}, "2024-06-01")
		noErr(t, err)
		if len(inForce) != 2 {
			t.Fatalf("ArticlesInForce = %+v", inForce)
		}
		_, _, err = w.svc.Laws(ctx, w.aOp, elements.LawFilter{InForceOn: "2024-02-30"})
		wantField(t, err, errs.Invalid, "in_force_on")

		upd, err := w.svc.UpdateArticle(ctx, w.provOp, a32.ID, elements.ArticleInput{Seq: 32, Text: "旧文（更正）", EffectiveTo: ptr(date("2025-01-01"))})
		noErr(t, err)
		if upd.Text != "旧文（更正）" || upd.Number != "第三十二条" || upd.EffectiveFrom != law.EffectiveFrom {
			t.Fatalf("UpdateArticle = %+v", upd)
		}
	})
}

func TestLawCatalogueInheritance(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		law, art := penaltyLaw(t, w, w.provOp)
		countyLaw, err := w.svc.CreateLaw(ctx, w.aOp, lawInput("某县规范性文件"))
		noErr(t, err)

		// A county reads the province's laws and articles...
		if _, err := w.svc.FindLaw(ctx, w.aOfficer, law.ID); err != nil {
			t.Fatalf("county cannot see the province's law: %v", err)
		}
		if _, err := w.svc.FindArticle(ctx, w.aOfficer, art.ID); err != nil {
			t.Fatalf("county cannot see the province's article: %v", err)
		}
		ls, n, err := w.svc.Laws(ctx, w.aOp, elements.LawFilter{})
		noErr(t, err)
		if n != 2 {
			t.Fatalf("county sees %v", lawNames(ls))
		}
		// ...but cannot change them.
		_, err = w.svc.UpdateLaw(ctx, w.aOp, law.ID, lawInput("改名"))
		wantCode(t, err, errs.Forbidden)
		wantCode(t, w.svc.DeleteLaw(ctx, w.aOp, law.ID), errs.Forbidden)
		_, err = w.svc.CreateArticle(ctx, w.aOp, law.ID, elements.ArticleInput{Number: "第九十条", Text: "x"})
		wantCode(t, err, errs.Forbidden)
		_, err = w.svc.UpdateArticle(ctx, w.aOp, art.ID, elements.ArticleInput{Number: "第五十一条", Text: "x"})
		wantCode(t, err, errs.Forbidden)
		wantCode(t, w.svc.DeleteArticle(ctx, w.aOp, art.ID), errs.Forbidden)
		// Nor shadow them with a law of the same name.
		_, err = w.svc.CreateLaw(ctx, w.aOp, lawInput("中华人民共和国行政处罚法"))
		wantField(t, err, errs.Conflict, "name")

		// The province and the sibling county do not see the county's own law.
		_, err = w.svc.FindLaw(ctx, w.provOp, countyLaw.ID)
		wantCode(t, err, errs.NotFound)
		_, err = w.svc.FindLaw(ctx, w.bOp, countyLaw.ID)
		wantCode(t, err, errs.NotFound)
		_, err = w.svc.UpdateLaw(ctx, w.bOp, countyLaw.ID, lawInput("改名"))
		wantCode(t, err, errs.NotFound)
		wantCode(t, w.svc.DeleteLaw(ctx, w.bOp, countyLaw.ID), errs.NotFound)
		_, _, err = w.svc.Articles(ctx, w.bOp, countyLaw.ID, elements.ArticleFilter{})
		wantCode(t, err, errs.NotFound)
		ls, _, err = w.svc.Laws(ctx, w.bOp, elements.LawFilter{})
		noErr(t, err)
		if len(ls) != 1 || ls[0].ID != law.ID {
			t.Fatalf("sibling county sees %v", lawNames(ls))
		}

		// Malformed IDs are Invalid, never a database error.
		_, err = w.svc.FindLaw(ctx, w.aOp, "42")
		wantField(t, err, errs.Invalid, "id")
		_, err = w.svc.FindArticle(ctx, w.aOp, "'; DROP TABLE laws; --")
		wantField(t, err, errs.Invalid, "id")

		// An officer may read but not write.
		_, err = w.svc.CreateLaw(ctx, w.aOfficer, lawInput("某法"))
		wantCode(t, err, errs.Forbidden)
		_, err = w.svc.CreateArticle(ctx, w.aOfficer, countyLaw.ID, elements.ArticleInput{Number: "第一条", Text: "x"})
		wantCode(t, err, errs.Forbidden)
		wantCode(t, w.svc.DeleteLaw(ctx, w.aOfficer, countyLaw.ID), errs.Forbidden)
	})
}
