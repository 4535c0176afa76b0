package disclosure_test

import (
	"context"
	"os"
	"testing"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/app/testenv"
	"zhifa/app/testkit"
	"zhifa/jobs"
	"zhifa/modules/disclosure"
	"zhifa/modules/disclosure/disclosuretask"
	"zhifa/modules/elements"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

var ctx = context.Background()

var noErr, wantCode, wantField = testkit.NoErr, testkit.WantCode, testkit.WantField

// world is a province with a city and two counties under it (a body in each county), and another
// province: the disclosure module over them, its clock on 2025-09-30.
type world struct {
	db       *bun.DB
	svc      *disclosure.Service
	settings *tenants.Service
	clock    *testenv.Clock

	prov, city, county, sibling, other *tenants.Tenant
	body, siblingBody, samrBody        *elements.Body
	countyOp, siblingOp, head, officer tenants.Scope
}

func newWorld(t testing.TB, db *bun.DB) *world {
	t.Helper()
	w := &world{db: db, clock: &testenv.Clock{}}
	w.clock.Set("2025-09-30")
	w.settings = tenants.NewService(db, rules.Settings(), disclosure.Settings())
	w.prov = dbtest.NewTenant(t, db, nil)
	w.city = dbtest.NewTenant(t, db, w.prov)
	w.county = dbtest.NewTenant(t, db, w.city)
	w.sibling = dbtest.NewTenant(t, db, w.city)
	w.other = dbtest.NewTenant(t, db, nil)
	w.countyOp = dbtest.Scope(w.county, "county-op", authz.TenantOperator)
	w.siblingOp = dbtest.Scope(w.sibling, "sibling-op", authz.TenantOperator)
	els := elements.New(elements.Config{DB: db})
	body := func(sc tenants.Scope, name string, sector elements.Sector) *elements.Body {
		b, err := els.CreateBody(ctx, sc, elements.BodyInput{Name: name, Code: testkit.USCC(int(serial()) + 7000), Kind: elements.BodyAdministrativeOrgan, Sector: sector})
		noErr(t, err)
		return b
	}
	w.body = body(w.countyOp, "尤溪县城市管理局", elements.SectorUrbanManagement)
	w.samrBody = body(w.countyOp, "尤溪县市场监督管理局", elements.SectorMarketRegulation)
	w.siblingBody = body(w.siblingOp, "大田县城市管理局", elements.SectorUrbanManagement)
	w.head = dbtest.BodyScope(w.county, "head", []string{w.body.ID}, authz.BodyHead)
	w.officer = dbtest.BodyScope(w.county, "officer", []string{w.body.ID}, authz.Officer)
	w.svc = disclosure.New(disclosure.Config{DB: db, Rules: rules.NewEngine(db, w.settings), Settings: w.settings, Bodies: els,
		Tenants: tenants.NewStore(db), Now: w.clock.Now})
	return w
}

var serialN int64

func serial() int64 { serialN++; return serialN }

// person is a natural person's decision: a fine, decided on 2025-09-29, due on 2025-10-14 (7
// working days across the National Day).
func person(caseID, number string) disclosuretask.PublishDecision {
	return disclosuretask.PublishDecision{CaseID: caseID, CaseCode: "C-" + caseID, DecisionNumber: number,
		Party:   disclosuretask.Party{Kind: "person", Name: "王小明", IDNumber: "350102********0016", BornOn: "1985-03-12", Phone: "13912345678", Address: "尤溪县城关镇东街1号"},
		Penalty: disclosuretask.Penalty{Types: []string{"fine"}, FineFen: 200000, Basis: "《城市市容和环境卫生管理条例》第三十四条"},
		Facts:   "当事人王小明（电话13912345678，身份证号350102198503120016）于尤溪县城关镇东街1号占道经营，经证人张三证实。",
		ActOn:   "2025-09-20", DecidedOn: "2025-09-29", PublishBy: "2025-10-14"}
}

// organisation is an organisation's decision with several categories.
func organisation(caseID, number string) disclosuretask.PublishDecision {
	return disclosuretask.PublishDecision{CaseID: caseID, CaseCode: "C-" + caseID, DecisionNumber: number,
		Party:     disclosuretask.Party{Kind: "organisation", Name: "尤溪县某餐饮有限公司", USCC: "91350426MA2XYZ1234", Phone: "0598-6321234"},
		Penalty:   disclosuretask.Penalty{Types: []string{"fine", "revocation"}, FineFen: 15000000, Basis: "《食品安全法》第一百二十二条"},
		Facts:     "当事人未取得许可从事餐饮服务，员工刘一称其工资转入账户6222021234567890123。",
		DecidedOn: "2025-09-29", PublishBy: "2025-10-14"}
}

// publish runs disclosure:publish for body under sc as task taskID.
func (w *world) publish(t testing.TB, sc tenants.Scope, body *elements.Body, taskID string, p disclosuretask.PublishDecision) *disclosure.Record {
	t.Helper()
	p.BodyID = body.ID
	var out *disclosure.Record
	noErr(t, tenants.RunInTx(ctx, w.db, sc, func(ctx context.Context, tx bun.Tx) error {
		var err error
		out, err = w.svc.Publish(ctx, tx, sc, taskID, body, p)
		return err
	}))
	return out
}

// set stores a setting at sc's tenant.
func (w *world) set(t testing.TB, sc tenants.Scope, key, value string) {
	t.Helper()
	_, err := w.settings.Set(ctx, sc, key, tenants.SetSetting{Value: []byte(value)})
	noErr(t, err)
}

// outbox returns the task types written at sc's tenant, in order.
func (w *world) outbox(t testing.TB, sc tenants.Scope) []string {
	t.Helper()
	var types []string
	noErr(t, tenants.RunInTx(ctx, w.db, sc, func(ctx context.Context, tx bun.Tx) error {
		return tenants.Own(sc, tx.NewSelect().Model((*jobs.OutboxRow)(nil)).Column("task_type")).OrderExpr("o.id").Scan(ctx, &types)
	}))
	return types
}
