package payments_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stripe/stripe-go/v76"
	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/app/testenv"
	"zhifa/app/testkit"
	"zhifa/jobs"
	"zhifa/modules/cases"
	"zhifa/modules/documents"
	"zhifa/modules/elements"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/payments"
	"zhifa/tenants"
)

var ctx = context.Background()

// The kit's helpers, under the names this package's tests call them by.
var noErr, wantCode, pdfText = testkit.NoErr, testkit.WantCode, testkit.PDFText

// secret is the platform's secret key in these tests (32 bytes).
var secret = []byte("0123456789abcdef0123456789abcdef")

// simKey is the install's simulation key (Config.SimulationKey), not the platform's secret key.
var simKey = []byte("simulation-key-of-this-install!!")

const (
	publicURL  = "https://zhifa.example.gov.cn"
	stripeKey  = "sk_test_51PaymentsModuleTestKey4242"
	whsec      = "whsec_provinceAccountSigningSecret0001"
	successURL = publicURL + "/portal/cases/x/paid"
	cancelURL  = publicURL + "/portal/cases/x"
)

// world is a province with a city and a county under it, and another province: the province has
// a Stripe account (secret key and webhook secret), which the county inherits; a body of the
// county and its case.
type world struct {
	db       *bun.DB
	svc      *payments.Service
	cases    *memCases
	settings *tenants.Service
	docs     *documents.Service
	clock    *testenv.Clock
	mux      *jobs.Mux

	prov, county, other *tenants.Tenant
	body                *elements.Body
	provOp, countyOp    tenants.Scope
	party, officer      tenants.Scope
	head                tenants.Scope
}

type worldOpts struct {
	simulate bool // simulation on (the embedded default)
	account  bool // the province has a Stripe account
}

func newWorld(t testing.TB, db *bun.DB, o worldOpts) *world {
	t.Helper()
	w := &world{db: db, cases: newMemCases(), settings: tenants.NewService(db, payments.Settings()), clock: &testenv.Clock{}}
	noErr(t, w.settings.UseSecretKey(secret))
	w.clock.Set("2025-10-10")
	w.prov = dbtest.NewTenant(t, db, nil)
	w.county = dbtest.NewTenant(t, db, dbtest.NewTenant(t, db, w.prov))
	w.other = dbtest.NewTenant(t, db, nil)
	w.provOp = dbtest.Scope(w.prov, "prov-op", authz.TenantOperator)
	w.countyOp = dbtest.Scope(w.county, "county-op", authz.TenantOperator)
	w.body = testkit.Body(t, db, w.countyOp, "尤溪县市场监督管理局")
	w.party = dbtest.Scope(w.county, "citizen-1", authz.Citizen)
	w.officer = dbtest.Scope(w.county, "officer-1", authz.Officer)
	w.head = dbtest.BodyScope(w.county, "head-1", []string{w.body.ID}, authz.BodyHead)
	if o.account {
		w.setSecret(t, w.provOp, payments.SettingSecretKey, stripeKey)
		w.setSecret(t, w.provOp, payments.SettingWebhookSecret, whsec)
	}
	w.docs = documents.New(documents.Config{DB: db, SecretKey: secret, PublicURL: publicURL, Now: w.clock.Now})
	w.svc = payments.New(payments.Config{DB: db, Cases: w.cases, Documents: w.docs, Settings: w.settings, Tenants: tenants.NewStore(db),
		SecretKey: secret, PublicURL: publicURL, StripeAPIURL: testenv.StripeMock(t).URL, Simulate: o.simulate, SimulationKey: simKey, Now: w.clock.Now})
	w.mux = jobs.NewMux(tenants.NewStore(db))
	w.svc.Tasks(w.mux)
	return w
}

func (w *world) setSecret(t testing.TB, sc tenants.Scope, key, value string) {
	t.Helper()
	raw, _ := json.Marshal(value)
	_, err := w.settings.Set(ctx, sc, key, tenants.SetSetting{Value: raw})
	noErr(t, err)
}

// newCase writes a case row of the county's body (the documents module issues the receipt as a
// document of it) and gives memCases its terms: a served decision with fine, due on due.
func (w *world) newCase(t testing.TB, fine int64, served, due civil.Date) *cases.PaymentTerms {
	t.Helper()
	id, code := dbx.NewID(), fmt.Sprintf("ZF%s%011d", w.county.ID, rand.Int64N(1e11))
	now := dbx.Stamp(w.clock.Now())
	noErr(t, tenants.RunInTx(ctx, w.db, w.countyOp, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO cases (id, tenant_id, body_id, code, kind, state, version, title, party_kind, party_name,
			facts, last_seq, chain_head, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, 'general', 'served', 1, '无照经营', 'person', '王小明',
			'{}', 1, '', 'test', ?, ?)`, id, w.county.ID, w.body.ID, code, now, now)
		return err
	}))
	terms := cases.PaymentTerms{CaseID: id, CaseCode: code, TenantID: w.county.ID, BodyID: w.body.ID, BodyName: w.body.Name, State: "served",
		DecisionNumber: "尤市监罚〔2025〕3号", DecidedOn: "2025-09-15", FineFen: fine, ServedOn: served, PayDue: due,
		Party: cases.Party{Kind: cases.PartyPerson, Name: "王小明", IDNumber: "350102198503120014"}}
	w.cases.put(terms)
	return &terms
}

// checkout starts paying a case as the party.
func (w *world) checkout(t testing.TB, caseID string) *payments.Checkout {
	t.Helper()
	co, err := w.svc.Checkout(ctx, w.party, caseID, payments.CheckoutInput{SuccessURL: successURL, CancelURL: cancelURL})
	noErr(t, err)
	return co
}

// payment reads a payment as staff.
func (w *world) payment(t testing.TB, caseID, id string) payments.PaymentDetail {
	t.Helper()
	ds, err := w.svc.CaseDetails(ctx, w.officer, caseID)
	noErr(t, err)
	for _, d := range ds {
		if d.ID == id {
			return d
		}
	}
	t.Fatalf("payment %s not found", id)
	return payments.PaymentDetail{}
}

// sessionEvent builds a Stripe event of a payment's Checkout Session: completed and paid, or
// expired unpaid.
func sessionEvent(id, typ, sessionID, tenantID, caseID, paymentID string, paid bool, amount int64) []byte {
	status, ps := "complete", "paid"
	if !paid {
		status, ps = "expired", "unpaid"
	}
	b, _ := json.Marshal(map[string]any{"id": id, "object": "event", "api_version": stripe.APIVersion, "type": typ, "created": 1760000000,
		"data": map[string]any{"object": map[string]any{"id": sessionID, "object": "checkout.session", "status": status,
			"payment_status": ps, "amount_total": amount, "currency": "cny", "payment_intent": "pi_3TestIntent",
			"metadata": map[string]string{"tenant_id": tenantID, "case_id": caseID, "payment_id": paymentID}}}})
	return b
}

// sessionOf returns a payment's Checkout Session ID.
func (w *world) sessionOf(t testing.TB, paymentID string) string {
	t.Helper()
	var id string
	noErr(t, tenants.RunInTx(ctx, w.db, w.countyOp, func(ctx context.Context, tx bun.Tx) error {
		return tx.NewSelect().Model((*payments.Payment)(nil)).Column("session_id").Where("p.id = ?", paymentID).Scan(ctx, &id)
	}))
	return id
}

// outbox returns the payloads of the outbox rows of a task type in a tenant.
func (w *world) outbox(t testing.TB, tn *tenants.Tenant, typ string) []string {
	t.Helper()
	var rows []jobs.OutboxRow
	noErr(t, tenants.RunInTx(ctx, w.db, dbtest.Scope(tn, "test"), func(ctx context.Context, tx bun.Tx) error {
		return tx.NewSelect().Model(&rows).Where("tenant_id = ? AND task_type = ?", tn.ID, typ).OrderExpr("created_at").Scan(ctx)
	}))
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.Payload
	}
	return out
}

// runTask runs a task as the worker would: through the mux, under tn's envelope.
func runTask[P any](t testing.TB, w *world, tn *tenants.Tenant, task jobs.Task[P], p P) error {
	t.Helper()
	at, err := task.NewTask(dbtest.Scope(tn, "test"), p)
	noErr(t, err)
	return w.mux.ProcessTask(ctx, at)
}

// runPeriodic runs a periodic task as the worker would: through the mux, under the system
// envelope the scheduler writes.
func (w *world) runPeriodic(t testing.TB, p jobs.Periodic) error {
	t.Helper()
	task, err := p.NewTask()
	noErr(t, err)
	return w.mux.ProcessTask(ctx, task)
}
