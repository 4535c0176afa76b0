package portal_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hibiken/asynq"
	"github.com/labstack/echo/v4"
	"github.com/redis/go-redis/v9"
	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/app/testenv"
	"zhifa/app/testkit"
	"zhifa/jobs"
	"zhifa/modules/cases"
	"zhifa/modules/delivery"
	"zhifa/modules/documents"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/httpx"
	"zhifa/modules/kernel/webassets"
	"zhifa/modules/payments"
	"zhifa/modules/portal"
	"zhifa/tenants"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

var ctx = context.Background()

// noErr is the kit's, under the name this package's tests call it by.
var noErr = testkit.NoErr

// ---- the case engine, as the portal sees it ----

// fakeCases is a small implementation of the portal's own Cases interface, standing in for the
// case engine's until it is wired: it knows the cases it was given per tenant, answers only a
// party scope at the case's tenant, and writes each party entry through the caller's
// transaction (as an outbox row of type testEntry), so that an entry exists only if the
// portal's transaction commits. A reconsideration applied for after the case's due day is
// refused as the engine refuses it (行政复议法 Art. 20).
type fakeCases struct {
	mu    sync.Mutex
	cases map[string]*cases.PartyView
}

// testEntry is the outbox row fakeCases writes for a party entry.
var testEntry = jobs.Task[partyEntry]{Type: "test:party_entry", Queue: jobs.QueueLow}

// partyEntry is testEntry's payload.
type partyEntry struct {
	CaseID string           `json:"case_id"`
	Actor  string           `json:"actor"`
	Entry  cases.PartyEntry `json:"entry"`
}

func (f *fakeCases) find(sc tenants.Scope, pred func(*cases.PartyView) bool) (*cases.PartyView, error) {
	if !sc.Can(authz.PartyAct) {
		return nil, errs.ErrForbidden
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range f.cases {
		if c.TenantID == sc.TenantID() && pred(c) {
			cp := *c
			return &cp, nil
		}
	}
	return nil, errs.ErrNotFound
}

func (f *fakeCases) CaseByCode(_ context.Context, _ bun.IDB, sc tenants.Scope, code string) (*cases.PartyView, error) {
	return f.find(sc, func(c *cases.PartyView) bool { return c.Code == code })
}

func (f *fakeCases) PartyCase(_ context.Context, _ bun.IDB, sc tenants.Scope, caseID string) (*cases.PartyView, error) {
	return f.find(sc, func(c *cases.PartyView) bool { return c.ID == caseID })
}

func (f *fakeCases) PartyDocument(_ context.Context, sc tenants.Scope, caseID, documentID string) ([]byte, cases.DocumentFile, error) {
	c, err := f.find(sc, func(c *cases.PartyView) bool { return c.ID == caseID })
	if err != nil {
		return nil, cases.DocumentFile{}, err
	}
	for _, d := range c.Documents {
		if d.ID == documentID {
			return []byte("%PDF-1.7 " + d.ID), cases.DocumentFile{FileName: d.Number + ".pdf", Title: d.Title, Number: d.Number}, nil
		}
	}
	return nil, cases.DocumentFile{}, errs.ErrNotFound
}

func (f *fakeCases) RecordPartyEntry(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string, e cases.PartyEntry) error {
	c, err := f.find(sc, func(c *cases.PartyView) bool { return c.ID == caseID })
	if err != nil {
		return err
	}
	if e.Kind == cases.EntryReconsiderationApplied && (!c.Reconsider.Open || e.On.After(c.Reconsider.Due)) {
		r := errs.Rule{ID: "reconsideration.period", Law: "行政复议法", Article: "20"}
		e := errs.E(errs.FailedPrecondition, "申请行政复议的期限（60日）已过（《行政复议法》第20条）",
			"the 60 days to apply for reconsideration have passed (Administrative Reconsideration Law Art. 20)")
		e.Rule = &r
		return e
	}
	_, err = testEntry.Enqueue(ctx, tx, sc, partyEntry{caseID, sc.Actor(), e})
	return err
}

// CaseForDelivery and RecordDelivery let the real delivery module see the same cases.
func (f *fakeCases) CaseForDelivery(_ context.Context, _ bun.IDB, sc tenants.Scope, caseID string) (*cases.DeliveryCase, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.cases[caseID]
	if !ok || c.TenantID != sc.TenantID() {
		return nil, errs.ErrNotFound
	}
	return &cases.DeliveryCase{ID: c.ID, Code: c.Code, BodyID: c.BodyID, Party: cases.Party{Kind: cases.PartyKind(c.PartyKind), Name: c.PartyName, IDNumber: c.PartyKey}}, nil
}

func (f *fakeCases) RecordDelivery(context.Context, bun.IDB, tenants.Scope, string, cases.Arrival) error {
	return nil
}

// ---- payments, as the portal sees them ----

// fakePayments is a small implementation of the portal's own Payments interface, standing in
// for the payments module's until it is wired: a fixed quote, a checkout that points at the
// simulated payment page, and the payments started.
type fakePayments struct {
	mu        sync.Mutex
	checkouts []payments.CheckoutInput
}

func (f *fakePayments) Quote(_ context.Context, sc tenants.Scope, caseID string) (*payments.Quote, error) {
	if !sc.Can(authz.PartyAct) {
		return nil, errs.ErrForbidden
	}
	return &payments.Quote{CaseID: caseID, On: "2025-10-29", DueOn: "2025-10-24", PrincipalFen: 500000, SurchargeFen: 45000, TotalFen: 545000,
		LateDays: 5, PausedDays: 2, Basis: "《行政处罚法》第七十二条：每日按罚款数额的3%加处罚款", BasisEN: "Art. 72: 3% a day"}, nil
}

func (f *fakePayments) Checkout(_ context.Context, sc tenants.Scope, caseID string, in payments.CheckoutInput) (*payments.Checkout, error) {
	if !sc.Can(authz.PartyAct) {
		return nil, errs.ErrForbidden
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.checkouts = append(f.checkouts, in)
	return &payments.Checkout{PaymentID: "pay-" + in.IdempotencyKey, URL: "/portal/pay/simulate/pay-" + in.IdempotencyKey, Simulated: true}, nil
}

func (f *fakePayments) CasePayments(_ context.Context, sc tenants.Scope, caseID string) ([]payments.PaymentView, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []payments.PaymentView
	for _, c := range f.checkouts {
		id := "pay-" + c.IdempotencyKey
		out = append(out, payments.PaymentView{ID: id, CaseID: caseID, Status: payments.StatusPaid, TotalFen: 545000, ReceiptID: uuid.NewString()})
	}
	return out, nil
}

// ---- sign-in ----

// header names the test caller's portal account; without it a request is signed out.
const accountHeader = "X-Test-Account"

func principal(account string) *authz.Principal {
	return &authz.Principal{IdentityID: account, Name: "张三", Kind: "citizen", Grants: []authz.Grant{{Role: authz.Citizen}}}
}

type identity struct{}

func (identity) Authenticate(_ context.Context, r *http.Request) (*authz.Principal, error) {
	if a := r.Header.Get(accountHeader); a != "" {
		return principal(a), nil
	}
	return nil, errs.ErrUnauthenticated
}

// ---- the world ----

type world struct {
	db    *bun.DB
	clock *testenv.Clock
	cases *fakeCases
	pay   *fakePayments
	ten   *tenants.Service
	docs  *documents.Service
	del   *delivery.Service
	svc   *portal.Service
	mux   *jobs.Mux
	e     *echo.Echo
	api   *httpx.API
	sink  *testenv.SMTPServer
	a, b  *tenants.Tenant
	bodyA string
	bodyB string
}

func newWorld(t testing.TB, db *bun.DB, opts ...func(*portal.Config)) *world {
	t.Helper()
	w := &world{db: db, clock: &testenv.Clock{}, cases: &fakeCases{cases: map[string]*cases.PartyView{}}, pay: &fakePayments{},
		ten: tenants.NewService(db, portal.Settings()), sink: testenv.SMTPSink(t)}
	w.clock.Set("2025-10-29")
	w.docs = documents.New(documents.Config{DB: db, SecretKey: bytes.Repeat([]byte{7}, 32), PublicURL: "https://zhifa.example", Now: w.clock.Now})
	w.del = delivery.New(delivery.Config{DB: db, Cases: w.cases, Now: w.clock.Now})
	rdb := redis.NewClient(&redis.Options{Addr: testenv.Redis(t)})
	t.Cleanup(func() { rdb.Close() })
	mailer := delivery.NewSMTPMailer(delivery.SMTPConfig{Host: "127.0.0.1", Port: w.sink.Port, From: "fuyi-noreply@zhifa.example",
		TLSMode: "none", Timeout: 2 * time.Second})
	cfg := portal.Config{DB: db, Tenants: w.ten.Store(), Settings: w.ten, Cases: w.cases, Payments: w.pay, Consents: w.del, Identity: identity{},
		Redis: rdb, Mailer: mailer, Documents: w.docs, DevLogin: true, PublicURL: "https://zhifa.example",
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: w.clock.Now}
	for _, o := range opts {
		o(&cfg)
	}
	w.svc = portal.New(cfg)
	tree := testkit.NewTree(t, db)
	w.a, w.b = tree.A, tree.B
	w.bodyA, w.bodyB = w.body(t, w.a, "尤溪县市场监督管理局"), w.body(t, w.b, "大田县市场监督管理局")
	w.mux = jobs.NewMux(tenants.NewStore(db))
	w.svc.Tasks(w.mux)
	w.e = echo.New()
	w.e.HTTPErrorHandler = httpx.ErrorHandler(slog.New(slog.NewTextHandler(io.Discard, nil)))
	w.api = httpx.NewAPI(w.e, "/api/v1", "test", "0", httpx.Auth{
		Session: func(next echo.HandlerFunc) echo.HandlerFunc {
			return func(c echo.Context) error {
				p, err := identity{}.Authenticate(c.Request().Context(), c.Request())
				if err != nil {
					return err
				}
				httpx.SetPrincipal(c, p)
				return next(c)
			}
		},
		Tenant: func(next echo.HandlerFunc) echo.HandlerFunc { return next },
		Roles:  func(echo.Context) []authz.Role { return nil },
	})
	w.svc.Routes(w.api)
	webassets.Shared().Mount(w.e) // the application mounts the files the pages share
	w.svc.Pages(w.e)
	return w
}

// body creates an enforcement body at tn (the documents module reads its name).
func (w *world) body(t testing.TB, tn *tenants.Tenant, name string) string {
	t.Helper()
	return testkit.Body(t, w.db, dbtest.Scope(tn, "test", authz.TenantOperator), name).ID
}

const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// newCode returns a code of the case engine's form for tenant tn.
func newCode(tn *tenants.Tenant) string {
	b := make([]byte, 11)
	for i := range b {
		b[i] = crockford[rand.IntN(32)]
	}
	return fmt.Sprintf("ZF%s-2025-%s", tn.ID, b)
}

// claimedCase registers a served decision at tenant A whose party a new portal account has
// proved to be, and returns the case and the account.
func (w *world) claimedCase(t testing.TB) (*cases.PartyView, string) {
	t.Helper()
	pc := w.newCase(t, w.a, residentID())
	acc := uuid.NewString()
	w.claim(t, acc, pc)
	return pc, acc
}

// newCase registers a served penalty decision of a person party at tn (its row, which the
// documents module reads, and its party view) and returns the view.
func (w *world) newCase(t testing.TB, tn *tenants.Tenant, partyKey string) *cases.PartyView {
	t.Helper()
	body, bodyName := w.bodyA, "尤溪县市场监督管理局"
	if tn.ID == w.b.ID {
		body, bodyName = w.bodyB, "大田县市场监督管理局"
	}
	pc := &cases.PartyView{ID: dbx.NewID(), TenantID: tn.ID, Code: newCode(tn), Title: "涉嫌无照经营", Kind: "penalty", State: "served",
		StateTitle: errs.Msg{ZH: "已送达", EN: "served"}, BodyID: body, BodyName: bodyName, PartyKind: "person", PartyName: "张三", PartyKey: partyKey,
		PartyAddress: "尤溪县城关镇水东路88号",
		Decision: &cases.PartyDecision{Number: "尤市监罚〔2025〕12号", On: "2025-10-09", Types: []string{"warning", "fine"}, TypeTitles: []string{"警告", "罚款"}, FineFen: 500000,
			ServedOn: "2025-10-09", PayDue: "2025-10-24"},
		Deadlines: []cases.PartyDeadline{{Key: "payment", Title: errs.Msg{ZH: "缴纳罚款", EN: "payment"}, Due: "2025-10-24", Article: "《行政处罚法》第67条", Passed: true}},
		Documents: []cases.PartyDocumentView{{ID: dbx.NewID(), Kind: "penalty_decision", Title: "行政处罚决定书", Number: "尤市监罚〔2025〕12号", IssuedOn: "2025-10-09", ServedOn: "2025-10-09"}},
		Payable:   true, Reconsider: cases.ReconsiderInfo{Open: true, Authority: "尤溪县人民政府", Due: "2025-12-08"}}
	noErr(t, tenants.RunInTx(ctx, w.db, dbtest.Scope(tn, "test", authz.TenantOperator), func(ctx context.Context, tx bun.Tx) error {
		now := dbx.Stamp(w.clock.Now())
		_, err := tx.ExecContext(ctx, `INSERT INTO cases (id, tenant_id, body_id, code, kind, state, version, title, party_kind, party_name, facts,
			last_seq, chain_head, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, 'penalty', 'served', 1, ?, 'person', ?, '{}', 0, '', 'test', ?, ?)`,
			pc.ID, tn.ID, body, pc.Code, pc.Title, pc.PartyName, now, now)
		return err
	}))
	w.cases.mu.Lock()
	w.cases.cases[pc.ID] = pc
	w.cases.mu.Unlock()
	return pc
}

// edit changes the view of a case as the engine would show it.
func (w *world) edit(pc *cases.PartyView, f func(*cases.PartyView)) {
	w.cases.mu.Lock()
	defer w.cases.mu.Unlock()
	f(w.cases.cases[pc.ID])
}

// entries returns the party entries recorded (committed) on a case, in order.
func (w *world) entries(t testing.TB, caseID string) []cases.PartyEntry {
	t.Helper()
	var rows []jobs.OutboxRow
	noErr(t, tenants.RunInTx(ctx, w.db, tenants.System("test: read the entries"), func(ctx context.Context, tx bun.Tx) error {
		return tx.NewSelect().Model(&rows).Where("task_type = ?", testEntry.Type).OrderExpr("created_at, id").Scan(ctx)
	}))
	var out []cases.PartyEntry
	for _, r := range rows {
		var env jobs.Envelope
		noErr(t, json.Unmarshal([]byte(r.Payload), &env))
		var body partyEntry
		noErr(t, json.Unmarshal(env.Body, &body))
		if body.CaseID == caseID {
			out = append(out, body.Entry)
		}
	}
	return out
}

// drain runs the outbox's portal tasks through the mux, as the relay and worker would, and
// returns their errors.
func (w *world) drain(t testing.TB) []error {
	t.Helper()
	var errsOut []error
	sys := tenants.System("test: drain the outbox")
	for range 10 {
		var rows []jobs.OutboxRow
		noErr(t, tenants.RunInTx(ctx, w.db, sys, func(ctx context.Context, tx bun.Tx) error {
			if err := tx.NewSelect().Model(&rows).Where("relayed_at IS NULL AND task_type LIKE 'portal:%'").OrderExpr("created_at, id").Scan(ctx); err != nil {
				return err
			}
			_, err := tx.NewUpdate().Model((*jobs.OutboxRow)(nil)).Set("relayed_at = ?", dbx.Stamp(w.clock.Now())).
				Where("relayed_at IS NULL AND task_type LIKE 'portal:%'").Exec(ctx)
			return err
		}))
		if len(rows) == 0 {
			return errsOut
		}
		for _, r := range rows {
			if err := w.mux.ProcessTask(ctx, asynq.NewTask(r.TaskType, []byte(r.Payload))); err != nil {
				errsOut = append(errsOut, err)
			}
		}
	}
	t.Fatal("the outbox did not drain")
	return nil
}

// pending counts the portal tasks waiting in the outbox.
func (w *world) pending(t testing.TB) int64 {
	t.Helper()
	var n int64
	noErr(t, tenants.RunInTx(ctx, w.db, tenants.System("test: count the outbox"), func(ctx context.Context, tx bun.Tx) error {
		var err error
		n, err = tx.NewSelect().Model((*jobs.OutboxRow)(nil)).Where("relayed_at IS NULL AND task_type LIKE 'portal:%'").Count(ctx)
		return err
	}))
	return n
}

// setMailbox sets the reconsideration body's mailbox at tn.
func (w *world) setMailbox(t testing.TB, tn *tenants.Tenant, addr string) {
	t.Helper()
	raw, _ := json.Marshal(addr)
	_, err := w.ten.Set(ctx, dbtest.Scope(tn, "operator", authz.TenantOperator), portal.SettingReconsiderationEmail, tenants.SetSetting{Value: raw})
	noErr(t, err)
}

// ---- HTTP ----

type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a answer) json(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(a.body, v); err != nil {
		t.Fatalf("%s: %v", a.body, err)
	}
}

// errorOf decodes an error answer.
func (a answer) errorOf(t testing.TB) httpx.ErrorBody {
	t.Helper()
	var e httpx.ErrorBody
	a.json(t, &e)
	return e
}

// call sends a request as account (empty: signed out) from ip.
func (w *world) call(method, path, account, ip string, body any, hdr ...string) answer {
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req := httptest.NewRequest(method, path, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if account != "" {
		req.Header.Set(accountHeader, account)
	}
	if ip != "" {
		req.RemoteAddr = net.JoinHostPort(ip, "40000")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	w.e.ServeHTTP(rec, req)
	return answer{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
}

// lookup looks a case up as account from ip.
func (w *world) lookup(account, ip, code, proof string) answer {
	return w.call("POST", "/api/v1/portal/lookup", account, ip, portal.LookupInput{Code: code, Proof: proof})
}

// claim proves account to be the party of pc.
func (w *world) claim(t testing.TB, account string, pc *cases.PartyView) {
	t.Helper()
	if a := w.lookup(account, "198.51.100.1", pc.Code, pc.PartyKey[len(pc.PartyKey)-6:]); a.status != http.StatusOK {
		t.Fatalf("claim: %d %s", a.status, a.body)
	}
}

// residentID returns a valid-looking resident identity number ending in check character X.
func residentID() string {
	return fmt.Sprintf("350426198503%05d", rand.IntN(100000)) + "X"
}
