package elements_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/app/testenv"
	"zhifa/app/testkit"
	"zhifa/modules/elements"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/civil"
	"zhifa/tenants"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

var ctx = context.Background()

// The kit's helpers, under the names this package's tests call them by.
var noErr, wantCode, wantField = testkit.NoErr, testkit.WantCode, testkit.WantField
var uscc, residentID = testkit.USCC, testkit.ResidentID

// world is a province with a city and two sibling counties below it, each with a tenant
// operator, and an officer at county A, on a pinned day.
type world struct {
	db                 *bun.DB
	clock              *testenv.Clock // the service's clock: 10:00 on 2025-06-30 unless a test moves it
	svc                *elements.Service
	prov, city, a, b   *tenants.Tenant
	provOp, aOp, bOp   tenants.Scope
	aOfficer, aVisitor tenants.Scope
}

func newWorld(t *testing.T, db *bun.DB) *world {
	t.Helper()
	w := &world{db: db, clock: &testenv.Clock{}}
	w.clock.Set("2025-06-30")
	w.svc = elements.New(elements.Config{DB: db, Now: w.clock.Now})
	w.prov = dbtest.NewTenant(t, db, nil)
	w.city = dbtest.NewTenant(t, db, w.prov)
	w.a = dbtest.NewTenant(t, db, w.city)
	w.b = dbtest.NewTenant(t, db, w.city)
	w.provOp = dbtest.Scope(w.prov, "prov-op", authz.TenantOperator)
	w.aOp = dbtest.Scope(w.a, "a-op", authz.TenantOperator)
	w.bOp = dbtest.Scope(w.b, "b-op", authz.TenantOperator)
	w.aOfficer = dbtest.Scope(w.a, "a-officer", authz.Officer)
	w.aVisitor = dbtest.Scope(w.a, "a-citizen", authz.Citizen)
	return w
}

func ptr[T any](v T) *T { return &v }

func date(s string) civil.Date { return civil.Date(s) }

func lawInput(name string) elements.LawInput {
	return elements.LawInput{Name: name, Level: elements.LevelLaw, Issuer: "全国人民代表大会常务委员会",
		PromulgatedOn: "2021-01-22", EffectiveFrom: "2021-07-15"}
}

func bodyInput(name string, n int) elements.BodyInput {
	return elements.BodyInput{Name: name, Code: uscc(n), Kind: elements.BodyAdministrativeOrgan, Sector: elements.SectorMarketRegulation}
}

func officerInput(bodyID, name string, n int) elements.OfficerInput {
	return elements.OfficerInput{BodyID: bodyID, Name: name, IDNumber: residentID(n), Phone: "13800000000",
		Certificate: &elements.CertificateInput{Number: fmt.Sprintf("闽A%08d", n), IssuedOn: "2024-01-01", ExpiresOn: "2028-12-31",
			Sectors: []elements.Sector{elements.SectorMarketRegulation}}}
}

// penaltyLaw creates the Administrative Penalty Law with article 51 at the scope's tenant.
func penaltyLaw(t testing.TB, w *world, sc tenants.Scope) (*elements.Law, *elements.Article) {
	t.Helper()
	in := lawInput("中华人民共和国行政处罚法")
	in.ShortName = "行政处罚法"
	l, err := w.svc.CreateLaw(ctx, sc, in)
	noErr(t, err)
	a, err := w.svc.CreateArticle(ctx, sc, l.ID, elements.ArticleInput{Number: "第五十一条",
		Text: "违法事实确凿并有法定依据，对公民处以二百元以下、对法人或者其他组织处以三千元以下罚款或者警告的行政处罚的，可以当场作出行政处罚决定。"})
	noErr(t, err)
	return l, a
}

func TestScopeRequired(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		svc := elements.New(elements.Config{DB: db})
		_, _, err := svc.Laws(ctx, tenants.Scope{}, elements.LawFilter{})
		if err == nil {
			t.Fatal("listing laws without a scope succeeded")
		}
		_, err = svc.CreateBody(ctx, tenants.Scope{}, bodyInput("x", 1))
		if err == nil {
			t.Fatal("creating a body without a scope succeeded")
		}
	})
}
