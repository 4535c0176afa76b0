package cases_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/app/testenv"
	"zhifa/app/testkit"
	"zhifa/jobs"
	"zhifa/modules/cases"
	"zhifa/modules/elements"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

var ctx = context.Background()

// The kit's helpers, under the names this package's tests call them by.
var noErr, wantCode = testkit.NoErr, testkit.WantCode
var uscc, residentID, residentIDBorn = testkit.USCC, testkit.ResidentID, testkit.ResidentIDBorn

// china is UTC+8.
var china = time.FixedZone("CST", 8*3600)

// world is a county (A) with two bodies, certified officers, the roles of a body and a county B.
type world struct {
	db    *bun.DB
	svc   *cases.Service
	el    *elements.Service
	clock *testenv.Clock
	dir   string
	start civil.Date // the day the helpers open a lead; the later steps follow it

	a, b                 *tenants.Tenant
	body, body2          *elements.Body
	o1, o2, o3, o4       *elements.Officer // body, certificates 2024-01-01..2028-12-31
	expired, otherBody   *elements.Officer // expired 2025-03-31; in body2
	matter               *elements.Matter  // 无照经营: violates Art. 2, penalised under Art. 13 ¶1 of 《无证无照经营查处办法》
	art2, art13          *elements.Article
	officerID            string // o1's account
	officer, head        tenants.Scope
	reviewer, supervisor tenants.Scope
	operator             tenants.Scope
	bHead                tenants.Scope
}

func newWorld(t testing.TB, db *bun.DB, opts ...func(*cases.Config)) *world {
	t.Helper()
	w := &world{db: db, el: elements.New(elements.Config{DB: db}), clock: &testenv.Clock{}, dir: t.TempDir()}
	w.clock.Set("2026-06-30")
	w.start = "2025-09-01"
	cfg := cases.Config{DB: db, Rules: rules.NewEngine(db, tenants.NewService(db, rules.Settings())), Elements: w.el,
		UploadDir: w.dir, MaxUploadBytes: 64 << 10, Now: w.clock.Now}
	for _, o := range opts {
		o(&cfg)
	}
	w.svc = cases.New(cfg)
	prov := dbtest.NewTenant(t, db, nil)
	w.a, w.b = dbtest.NewTenant(t, db, prov), dbtest.NewTenant(t, db, prov)
	w.operator = dbtest.Scope(w.a, "a-op", authz.TenantOperator)
	var err error
	w.body, err = w.el.CreateBody(ctx, w.operator, elements.BodyInput{Name: "A县市场监督管理局", Code: uscc(1), Kind: elements.BodyAdministrativeOrgan, Sector: elements.SectorMarketRegulation,
		Address: "A县城关镇人民路1号", Phone: "0598-1234567"})
	noErr(t, err)
	w.body2, err = w.el.CreateBody(ctx, w.operator, elements.BodyInput{Name: "A县城市管理局", Code: uscc(2), Kind: elements.BodyAdministrativeOrgan, Sector: elements.SectorUrbanManagement})
	noErr(t, err)
	w.officerID = uuid.NewString()
	officer := func(n int, body *elements.Body, issued, expires civil.Date, identity string) *elements.Officer {
		in := elements.OfficerInput{BodyID: body.ID, Name: fmt.Sprintf("执法人员%d", n), IDNumber: residentID(n), IdentityID: identity,
			Certificate: &elements.CertificateInput{Number: fmt.Sprintf("闽A%08d", n), IssuedOn: issued, ExpiresOn: expires}}
		o, err := w.el.CreateOfficer(ctx, w.operator, in)
		noErr(t, err)
		return o
	}
	w.o1 = officer(1, w.body, "2024-01-01", "2028-12-31", w.officerID)
	w.o2 = officer(2, w.body, "2024-01-01", "2028-12-31", "")
	w.o3 = officer(3, w.body, "2024-01-01", "2028-12-31", "")
	w.o4 = officer(4, w.body, "2024-01-01", "2028-12-31", "")
	w.expired = officer(5, w.body, "2020-01-01", "2025-03-31", "")
	w.otherBody = officer(6, w.body2, "2024-01-01", "2028-12-31", "")
	law, err := w.el.CreateLaw(ctx, w.operator, elements.LawInput{Name: "无证无照经营查处办法", Level: elements.LevelAdministrativeRegulation,
		Issuer: "国务院", PromulgatedOn: "2017-08-06", EffectiveFrom: "2017-10-01"})
	noErr(t, err)
	w.art2, err = w.el.CreateArticle(ctx, w.operator, law.ID, elements.ArticleInput{Seq: 2, Text: "任何单位或者个人不得违反法律、法规、国务院决定的规定，从事无证无照经营。"})
	noErr(t, err)
	w.art13, err = w.el.CreateArticle(ctx, w.operator, law.ID, elements.ArticleInput{Seq: 13, Text: "从事无照经营的，由工商行政管理部门依照相关法律、行政法规的规定予以处罚。"})
	noErr(t, err)
	w.matter, err = w.el.CreateMatter(ctx, w.operator, elements.MatterInput{Code: "WZWZ-" + uuid.NewString()[:8], Name: "对无照经营的处罚", Kind: elements.MatterPenalty,
		Sector: elements.SectorMarketRegulation, BodyIDs: []string{w.body.ID}, Provisions: []elements.MatterProvision{
			{Role: elements.RoleViolated, Provision: elements.Provision{ArticleID: w.art2.ID}},
			{Role: elements.RolePenalty, Provision: elements.Provision{ArticleID: w.art13.ID, Paragraph: 1}}}})
	noErr(t, err)
	w.officer = dbtest.BodyScope(w.a, w.officerID, []string{w.body.ID}, authz.Officer)
	w.head = dbtest.BodyScope(w.a, "head", []string{w.body.ID}, authz.BodyHead)
	w.reviewer = dbtest.BodyScope(w.a, "reviewer", []string{w.body.ID}, authz.LegalReviewer)
	w.supervisor = dbtest.Scope(w.a, "supervisor", authz.Supervisor)
	w.bHead = dbtest.Scope(w.b, "b-head", authz.BodyHead, authz.Officer, authz.LegalReviewer)
	return w
}

// wantRule checks that err is a refusal by law naming rule id and article, in both languages.
func wantRule(t testing.TB, err error, id, article string) {
	t.Helper()
	e := errs.As(err)
	if e.Code != errs.FailedPrecondition || e.Rule == nil || e.Rule.ID != id || e.Rule.Article != article || e.Rule.Law == "" {
		t.Fatalf("error = %v (rule %+v), want a refusal by %s (Art. %s)", err, e.Rule, id, article)
	}
	if e.Message.ZH == "" || e.Message.EN == "" {
		t.Fatalf("refusal without both languages: %+v", e.Message)
	}
}

// key returns a fresh idempotency key.
func key() string { return uuid.NewString() }

// act takes an action that must succeed.
func (w *world) act(t testing.TB, sc tenants.Scope, id string, a cases.Action, body any) *cases.ActResult {
	t.Helper()
	res, err := w.svc.Act(ctx, sc, id, a, key(), body)
	if err != nil {
		t.Fatalf("%s: %v", a, err)
	}
	return res
}

// try takes an action and returns its error.
func (w *world) try(sc tenants.Scope, id string, a cases.Action, body any) error {
	_, err := w.svc.Act(ctx, sc, id, a, key(), body)
	return err
}

// m is a JSON object.
type m = map[string]any

// party returns a person party with a valid identity number.
func person() cases.Party {
	return cases.Party{Kind: cases.PartyPerson, Name: "王小明", IDNumber: residentID(900)}
}

func organisation() cases.Party {
	return cases.Party{Kind: cases.PartyOrganisation, Name: "尤溪县某某商贸有限公司", USCC: uscc(900)}
}

// from returns the world with its helpers starting leads on start.
func (w *world) from(start civil.Date) *world {
	c := *w
	c.start = start
	return &c
}

// day returns the helpers' start plus n days.
func (w *world) day(n int) string {
	t, err := time.ParseInLocation("2006-01-02", string(w.start), china)
	if err != nil {
		panic(err)
	}
	return t.AddDate(0, 0, n).Format("2006-01-02")
}

// lead opens a general-procedure case: received on the start day (2025-09-01 by default), the act
// ended 12 days before.
func (w *world) lead(t testing.TB, party cases.Party) *cases.Case {
	t.Helper()
	res, err := w.svc.Create(ctx, w.officer, cases.NewCase{Common: cases.Common{On: w.start}, Kind: cases.KindGeneral,
		BodyID: w.body.ID, MatterID: w.matter.ID, Title: "无照经营", Party: party, OfficerIDs: []string{w.o1.ID, w.o2.ID}, ActEndedOn: civil.Date(w.day(-12)),
		Lead: &cases.Lead{Source: "complaint", ReceivedOn: w.start, Summary: "群众举报无照经营"}, IdempotencyKey: key()})
	noErr(t, err)
	return res.Case
}

// filed walks a lead to filed on start+2 (2025-09-03).
func (w *world) filed(t testing.TB, party cases.Party, flags m) *cases.Case {
	t.Helper()
	c := w.lead(t, party)
	w.act(t, w.officer, c.ID, cases.ActVerify, m{"on": w.day(1), "findings": "属实"})
	body := m{"on": w.day(2)}
	for k, v := range flags {
		body[k] = v
	}
	w.act(t, w.head, c.ID, cases.ActFile, body)
	return c
}

// reported walks a case to reported on start+14 (2025-09-15).
func (w *world) reported(t testing.TB, party cases.Party, flags m) *cases.Case {
	t.Helper()
	c := w.filed(t, party, flags)
	w.act(t, w.officer, c.ID, cases.ActInvestigate, m{"on": w.day(4), "officer_ids": []string{w.o1.ID, w.o2.ID}, "record": "现场检查笔录",
		"location": m{"lat": 26.17, "lng": 118.18, "accuracy_m": 12}})
	w.act(t, w.officer, c.ID, cases.ActReport, m{"on": w.day(14), "facts": "当事人未取得营业执照从事经营活动"})
	return c
}

// proposed walks a case to proposed with a fine (yuan) on start+15 (2025-09-16).
func (w *world) proposed(t testing.TB, party cases.Party, fineYuan int64, flags m) *cases.Case {
	t.Helper()
	c := w.reported(t, party, flags)
	w.act(t, w.officer, c.ID, cases.ActPropose, m{"on": w.day(15), "penalty": fine(fineYuan), "outside_reason": "本事项尚无裁量基准"})
	return c
}

// notified walks a case to notified with a fine (yuan), the notice served on notifyOn.
func (w *world) notified(t testing.TB, party cases.Party, fineYuan int64, notifyOn string, flags m) *cases.Case {
	t.Helper()
	c := w.proposed(t, party, fineYuan, flags)
	w.act(t, w.officer, c.ID, cases.ActNotify, m{"on": notifyOn, "method": "direct"})
	return c
}

// fine is a fine penalty of yuan.
func fine(yuan int64) m {
	return m{"types": []string{"fine"}, "fine_fen": yuan * 100} // the provisions: the matter's
}

// decision is a decide body.
func decision(on string, yuan int64) m {
	return m{"on": on, "number": "尤市监罚〔2025〕1号", "penalty": fine(yuan), "facts": "无照经营", "payment_how": "到指定银行缴纳"}
}

// events counts a case's events; outbox counts the tenant's outbox rows of a type ("" for all).
func (w *world) events(t testing.TB, id string) int {
	t.Helper()
	d, err := w.svc.Find(ctx, w.supervisor, id)
	noErr(t, err)
	return len(d.History)
}

func (w *world) outbox(t testing.TB, sc tenants.Scope, typ string) []jobs.OutboxRow {
	t.Helper()
	var rows []jobs.OutboxRow
	err := tenants.RunInTx(ctx, w.db, sc, func(ctx context.Context, tx bun.Tx) error {
		q := tenants.Own(sc, tx.NewSelect().Model(&rows))
		if typ != "" {
			q = q.Where("o.task_type = ?", typ)
		}
		return q.OrderExpr("o.created_at, o.id").Scan(ctx)
	})
	noErr(t, err)
	return rows
}

// payload decodes an outbox row's body.
func payload[T any](t testing.TB, row jobs.OutboxRow) T {
	t.Helper()
	var env jobs.Envelope
	noErr(t, json.Unmarshal([]byte(row.Payload), &env))
	// Strictly, as the handler's mux decodes it: a field the contract does not declare fails.
	dec := json.NewDecoder(bytes.NewReader(env.Body))
	dec.DisallowUnknownFields()
	var v T
	noErr(t, dec.Decode(&v))
	return v
}

// find returns a case's detail.
func (w *world) find(t testing.TB, id string) *cases.Detail {
	t.Helper()
	d, err := w.svc.Find(ctx, w.officer, id)
	noErr(t, err)
	return d
}

// deadline returns the case's deadline of a rule.
func deadline(t testing.TB, d *cases.Detail, rule string) cases.Deadline {
	t.Helper()
	for _, x := range d.Deadlines {
		if x.RuleID == rule {
			return x
		}
	}
	t.Fatalf("no deadline %s among %+v", rule, d.Deadlines)
	return cases.Deadline{}
}

// next returns the next action a of a case's detail.
func next(t testing.TB, d *cases.Detail, a cases.Action) cases.NextAction {
	t.Helper()
	for _, x := range d.NextActions {
		if x.Action == a {
			return x
		}
	}
	t.Fatalf("no next action %s in state %s", a, d.State)
	return cases.NextAction{}
}

func elementsDate(s string) civil.Date { return civil.Date(s) }

// sha returns the hex SHA-256 of b.
func sha(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
