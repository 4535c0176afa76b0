package elements_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/app/testenv"
	"zhifa/modules/elements"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

var ctx = context.Background()

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

func noErr(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

func wantCode(t testing.TB, err error, code errs.Code) {
	t.Helper()
	if got := errs.CodeOf(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

// wantField checks that err is an *errs.Error with code naming field.
func wantField(t testing.TB, err error, code errs.Code, field string) {
	t.Helper()
	wantCode(t, err, code)
	var names []string
	for _, f := range errs.As(err).Fields {
		if f.Field == field {
			if f.Message.ZH == "" || f.Message.EN == "" {
				t.Fatalf("field %s has a message without both languages: %+v", field, f.Message)
			}
			return
		}
		names = append(names, f.Field)
	}
	t.Fatalf("error %v names fields %v, want %q", err, names, field)
}

func ptr[T any](v T) *T { return &v }

func date(s string) civil.Date { return civil.Date(s) }

// uscc returns a valid unified social credit code for serial n, computing the check character
// independently of the package.
func uscc(n int) string {
	const chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	w := []int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
	p := fmt.Sprintf("11350102%09d", n)
	sum := 0
	for i, c := range p {
		sum += strings.IndexRune(chars, c) * w[i]
	}
	return p + string(chars[(31-sum%31)%31])
}

// residentID returns a valid identity number for serial n (born 1985-03-12).
func residentID(n int) string {
	w := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	p := fmt.Sprintf("35010219850312%03d", n%1000)
	sum := 0
	for i, c := range p {
		sum += int(c-'0') * w[i]
	}
	return p + string("10X98765432"[sum%11])
}

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

func TestHelpersMakeValidCodes(t *testing.T) {
	t.Parallel()
	for n := range 50 {
		if !elements.ValidUSCC(uscc(n)) {
			t.Fatalf("uscc(%d) = %s is invalid", n, uscc(n))
		}
		if !elements.ValidResidentID(residentID(n)) {
			t.Fatalf("residentID(%d) = %s is invalid", n, residentID(n))
		}
	}
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
