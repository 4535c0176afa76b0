package elements_test

import (
	"context"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/modules/elements"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// TestCiteProvisions: a citation names each law once before its provisions, down to the
// paragraph and item where given, as decisions print them.
func TestCiteProvisions(t *testing.T) {
	t.Parallel()
	food := func(number string, para, item int) elements.Provision {
		return elements.Provision{Law: "中华人民共和国食品安全法", Number: number, Paragraph: para, Item: item}
	}
	cases := []struct {
		ps   []elements.Provision
		want string
	}{
		{nil, ""},
		{[]elements.Provision{food("第三十四条", 0, 10)}, "《中华人民共和国食品安全法》第三十四条第（十）项"},
		{[]elements.Provision{food("第一百二十四条", 1, 5)}, "《中华人民共和国食品安全法》第一百二十四条第一款第（五）项"},
		{[]elements.Provision{food("第三十四条", 0, 10), food("第五十三条", 2, 0)}, "《中华人民共和国食品安全法》第三十四条第（十）项、第五十三条第二款"},
		{[]elements.Provision{food("第五十三条", 0, 0), {Law: "无证无照经营查处办法", Number: "第二条"}},
			"《中华人民共和国食品安全法》第五十三条，《无证无照经营查处办法》第二条"},
	}
	for _, c := range cases {
		if got := elements.CiteProvisions(c.ps); got != c.want {
			t.Errorf("CiteProvisions(%+v) = %q, want %q", c.ps, got, c.want)
		}
	}
}

// TestMatterProvisions: a matter names the provision its violations break and the one its
// penalties rest on; they resolve as in force on a day, an article of another tenant's catalogue
// below is not one, a law not yet in force is refused naming the entry, and the import takes them
// as 《law》第N条第N款第（N）项 in their own columns, with the bodies' addresses.
func TestMatterProvisions(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		law, err := w.svc.CreateLaw(ctx, w.provOp, lawInput("中华人民共和国食品安全法"))
		noErr(t, err)
		a34, err := w.svc.CreateArticle(ctx, w.provOp, law.ID, elements.ArticleInput{Seq: 34, Text: "禁止生产经营下列食品……"})
		noErr(t, err)
		a124, err := w.svc.CreateArticle(ctx, w.provOp, law.ID, elements.ArticleInput{Seq: 124, Text: "……并处罚款。"})
		noErr(t, err)
		in := elements.MatterInput{Code: "SC-1", Name: "对经营超过保质期食品的处罚", Kind: elements.MatterPenalty, Sector: elements.SectorMarketRegulation,
			Provisions: []elements.MatterProvision{
				{Role: elements.RolePenalty, Provision: elements.Provision{ArticleID: a124.ID, Paragraph: 1, Item: 5}},
				{Role: elements.RoleViolated, Provision: elements.Provision{ArticleID: a34.ID, Item: 10}}}}
		m, err := w.svc.CreateMatter(ctx, w.aOp, in)
		noErr(t, err)
		got, err := w.svc.FindMatter(ctx, w.aOp, m.ID)
		noErr(t, err)
		if len(got.ArticleIDs) != 2 || len(got.Provisions) != 2 || got.Provisions[0].Role != elements.RoleViolated || got.Provisions[0].Item != 10 ||
			got.Provisions[1].Paragraph != 1 || got.Provisions[1].Item != 5 {
			t.Fatalf("matter provisions %+v", got.Provisions)
		}
		resolve := func(role elements.ProvisionRole, on string) (string, error) {
			var ps []elements.Provision
			err := tenants.RunInTx(ctx, db, w.aOp, func(ctx context.Context, tx bun.Tx) error {
				var err error
				ps, err = elements.MatterProvisions(ctx, tx, w.aOp, m.ID, role, civil.Date(on))
				return err
			})
			return elements.CiteProvisions(ps), err
		}
		if c, err := resolve(elements.RoleViolated, "2025-10-08"); err != nil || c != "《中华人民共和国食品安全法》第三十四条第（十）项" {
			t.Errorf("violated = %q, %v", c, err)
		}
		if c, err := resolve(elements.RolePenalty, "2025-10-08"); err != nil || c != "《中华人民共和国食品安全法》第一百二十四条第一款第（五）项" {
			t.Errorf("penalty = %q, %v", c, err)
		}
		// before the law took effect: refused, naming the entry
		if _, err := resolve(elements.RolePenalty, "2015-01-01"); errs.As(err).Code != errs.Invalid || !strings.Contains(errs.As(err).Fields[0].Message.ZH, "不在施行期间") {
			t.Errorf("a provision not yet in force: %v", err)
		}
		// malformed entries are refused at the edge, each named
		bad := in
		bad.Code = "SC-2"
		bad.Provisions = []elements.MatterProvision{{Role: "basis", Provision: elements.Provision{ArticleID: a34.ID}},
			{Role: elements.RolePenalty, Provision: elements.Provision{ArticleID: a34.ID, Paragraph: 100}}}
		_, err = w.svc.CreateMatter(ctx, w.aOp, bad)
		wantField(t, err, errs.Invalid, "provisions[0].role")
		// another tenant below does not see A's matter, nor can it cite an article it cannot see
		other := elements.MatterInput{Code: "SC-3", Name: "x", Kind: elements.MatterPenalty, Sector: elements.SectorMarketRegulation,
			Provisions: []elements.MatterProvision{{Role: elements.RoleViolated, Provision: elements.Provision{ArticleID: "0190c0de-0000-7000-8000-000000000000"}}}}
		_, err = w.svc.CreateMatter(ctx, w.bOp, other)
		wantField(t, err, errs.Invalid, "article_ids")

		// the import
		rep, err := importCSV(w, w.aOp, elements.ImportBodies, "name,code,kind,sector,address,phone",
			"A县市场监督管理局,"+uscc(1)+",administrative_organ,market_regulation,A县城关镇人民路1号,0598-1234567")
		noErr(t, err)
		if rep.Imported != 1 {
			t.Fatalf("bodies report %+v", rep)
		}
		bs, _, err := w.svc.Bodies(ctx, w.aOp, elements.BodyFilter{})
		noErr(t, err)
		if len(bs) != 1 || bs[0].Address != "A县城关镇人民路1号" || bs[0].Phone != "0598-1234567" {
			t.Errorf("imported body %+v", bs)
		}
		rep, err = importCSV(w, w.aOp, elements.ImportMatters, "code,name,kind,sector,violated,penalty_basis",
			"SC-9,对经营超过保质期食品的处罚,penalty,market_regulation,《中华人民共和国食品安全法》第三十四条第（十）项,《中华人民共和国食品安全法》第一百二十四条第一款第（五）项",
			"SC-8,x,penalty,market_regulation,《中华人民共和国食品安全法》第三十四条第十项,")
		wantCode(t, err, errs.Invalid)
		wantRow(t, rep, 2, "violated")
		rep, err = importCSV(w, w.aOp, elements.ImportMatters, "code,name,kind,sector,violated,penalty_basis",
			"SC-9,对经营超过保质期食品的处罚,penalty,market_regulation,《中华人民共和国食品安全法》第三十四条第（十）项,《中华人民共和国食品安全法》第一百二十四条第一款第（五）项")
		noErr(t, err)
		im, err := w.svc.FindMatterByCode(ctx, w.aOp, "SC-9")
		noErr(t, err)
		if len(im.Provisions) != 2 || im.Provisions[0].ArticleID != a34.ID || im.Provisions[0].Item != 10 || im.Provisions[1].ArticleID != a124.ID ||
			im.Provisions[1].Paragraph != 1 || im.Provisions[1].Item != 5 {
			t.Errorf("imported provisions %+v", im.Provisions)
		}
	})
}
