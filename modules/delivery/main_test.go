package delivery_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hibiken/asynq"
	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/app/testenv"
	"zhifa/app/testkit"
	"zhifa/jobs"
	"zhifa/modules/cases"
	"zhifa/modules/delivery"
	"zhifa/modules/delivery/deliverytask"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/rules"
	"zhifa/modules/supervision/supervisiontask"
	"zhifa/tenants"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

var ctx = context.Background()

// The kit's helpers, under the names this package's tests call them by.
var noErr, wantCode = testkit.NoErr, testkit.WantCode

// china is UTC+8.
var china = time.FixedZone("CST", 8*3600)

// ---- the case engine, as delivery sees it ----

type fakeCase struct {
	tenant string
	info   delivery.CaseInfo
}

type recorded struct {
	tenant string
	caseID string
	rec    cases.Arrival
}

// fakeCases stands in for the case engine: it knows cases per tenant and keeps the arrivals recorded.
type fakeCases struct {
	mu      sync.Mutex
	cases   map[string]fakeCase
	records []recorded
	refuse  error // returned by RecordDelivery when set
}

func (f *fakeCases) CaseForDelivery(_ context.Context, _ bun.IDB, sc tenants.Scope, caseID string) (*cases.DeliveryCase, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.cases[caseID]
	if !ok || c.tenant != sc.TenantID() {
		return nil, errs.ErrNotFound
	}
	p := c.info.Party
	return &cases.DeliveryCase{ID: c.info.ID, Code: c.info.Code, BodyID: c.info.BodyID, Party: cases.Party{Kind: cases.PartyKind(p.Kind), Name: p.Name,
		IDNumber: p.IDNumber, USCC: p.USCC, Phone: p.Phone, Address: p.Address, EDeliveryConsent: p.EDeliveryConsent}}, nil
}

func (f *fakeCases) RecordDelivery(_ context.Context, tx bun.IDB, sc tenants.Scope, caseID string, rec cases.Arrival) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.refuse != nil {
		return f.refuse
	}
	if c, ok := f.cases[caseID]; !ok || c.tenant != sc.TenantID() {
		return errs.ErrNotFound
	}
	f.records = append(f.records, recorded{tenant: sc.TenantID(), caseID: caseID, rec: rec})
	return nil
}

func (f *fakeCases) recordsOf(caseID string) []cases.Arrival {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []cases.Arrival
	for _, r := range f.records {
		if r.caseID == caseID {
			out = append(out, r.rec)
		}
	}
	return out
}

// ---- the documents module, as delivery sees it ----

type fakeDoc struct {
	tenant, caseID, kind string
	pdf                  []byte
}

// fakeDocs issues one document per case and kind and serves its PDF to its own tenant only.
type fakeDocs struct {
	mu    sync.Mutex
	docs  map[string]fakeDoc
	byKey map[string]string
	fail  error // returned by PDF when set
}

func (f *fakeDocs) IssueFor(_ context.Context, _ bun.IDB, sc tenants.Scope, caseID, kind string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	key := sc.TenantID() + "/" + caseID + "/" + kind
	if id, ok := f.byKey[key]; ok {
		return id, nil
	}
	id := dbx.NewID()
	f.docs[id] = fakeDoc{tenant: sc.TenantID(), caseID: caseID, kind: kind, pdf: fakePDF(kind + " " + id)}
	f.byKey[key] = id
	return id, nil
}

func (f *fakeDocs) PDF(_ context.Context, sc tenants.Scope, id string) ([]byte, delivery.DocumentInfo, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return nil, delivery.DocumentInfo{}, f.fail
	}
	d, ok := f.docs[id]
	if !ok || d.tenant != sc.TenantID() {
		return nil, delivery.DocumentInfo{}, errs.ErrNotFound
	}
	sum := sha256.Sum256(d.pdf)
	return d.pdf, delivery.DocumentInfo{ID: id, Kind: d.kind, Title: "行政处罚决定书", Number: "闽尤市监罚〔2025〕12号",
		FileName: "闽尤市监罚〔2025〕12号.pdf", SHA256: hex.EncodeToString(sum[:])}, nil
}

func (f *fakeDocs) pdfOf(id string) []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.docs[id].pdf
}

// fakePDF builds a small but well-formed PDF (objects, cross-reference table, trailer) whose page
// shows text, with a binary comment line as real PDFs have.
func fakePDF(text string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	stream := fmt.Sprintf("BT /F1 12 Tf 72 770 Td (%s) Tj ET", text)
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

// ---- an SMS gateway ----

// gateway is an httptest SMS gateway that checks the token and answers as a test sets.
type gateway struct {
	srv    *httptest.Server
	status atomic.Int32 // answer with this status (0: 202)
	delay  atomic.Int64 // sleep this long first (nanoseconds)
	mu     sync.Mutex
	got    []delivery.Notice
	keys   []string
}

const smsToken = "test-token-123"

func newGateway(t testing.TB) *gateway {
	g := &gateway{}
	g.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if d := time.Duration(g.delay.Load()); d > 0 {
			select {
			case <-time.After(d):
			case <-r.Context().Done():
				return
			}
		}
		if r.Header.Get("Authorization") != "Bearer "+smsToken || r.Header.Get("Content-Type") != "application/json" {
			http.Error(w, `{"error":"unauthorised"}`, http.StatusUnauthorized)
			return
		}
		var n delivery.Notice
		if err := json.NewDecoder(r.Body).Decode(&n); err != nil {
			http.Error(w, "bad json", http.StatusBadRequest)
			return
		}
		if st := int(g.status.Load()); st != 0 {
			http.Error(w, `{"error":"refused"}`, st)
			return
		}
		g.mu.Lock()
		g.got = append(g.got, n)
		g.keys = append(g.keys, r.Header.Get("Idempotency-Key"))
		g.mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
		fmt.Fprintf(w, `{"id":"sms-%d"}`, len(g.got))
	}))
	t.Cleanup(g.srv.Close)
	return g
}

func (g *gateway) notices() []delivery.Notice {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]delivery.Notice(nil), g.got...)
}

// ---- the world ----

// world is two provinces' counties, A and B, each with a body and officers, the fakes, a real SMTP
// sink and an SMS gateway.
type world struct {
	db     *bun.DB
	svc    *delivery.Service
	cases  *fakeCases
	docs   *fakeDocs
	clock  *testenv.Clock
	sink   *testenv.SMTPServer
	sms    *gateway
	rules  *rules.Engine
	mux    *jobs.Mux
	dir    string
	a, b   *tenants.Tenant
	bodyA  string
	bodyB  string
	mailer *delivery.SMTPMailer

	officer, head, reviewer, supervisor, bOfficer, otherBody tenants.Scope

	taskErrs map[string][]error
}

func newWorld(t testing.TB, db *bun.DB, opts ...func(*delivery.Config)) *world {
	t.Helper()
	w := &world{db: db, clock: &testenv.Clock{}, dir: t.TempDir(), sink: testenv.SMTPSink(t), sms: newGateway(t), taskErrs: map[string][]error{},
		cases: &fakeCases{cases: map[string]fakeCase{}}, docs: &fakeDocs{docs: map[string]fakeDoc{}, byKey: map[string]string{}}}
	w.clock.Set("2025-10-09")
	w.rules = rules.NewEngine(db, tenants.NewService(db, rules.Settings()))
	w.mailer = delivery.NewSMTPMailer(delivery.SMTPConfig{Host: "127.0.0.1", Port: w.sink.Port, From: "songda@scjg.fj.gov.cn",
		TLSMode: "none", Timeout: 2 * time.Second})
	cfg := delivery.Config{DB: db, Rules: w.rules, Cases: w.cases, Documents: w.docs, Mailer: w.mailer,
		SMS: delivery.NewSMSGateway(w.sms.srv.URL, smsToken, time.Second), PortalURL: "https://zhifa.example/portal/inbox",
		UploadDir: w.dir, MaxUploadBytes: 256 << 10, Now: w.clock.Now}
	for _, o := range opts {
		o(&cfg)
	}
	w.svc = delivery.New(cfg)
	tree := testkit.NewTree(t, db)
	w.a, w.b = tree.A, tree.B
	w.bodyA, w.bodyB = dbx.NewID(), dbx.NewID()
	w.officer = dbtest.BodyScope(w.a, "officer-a", []string{w.bodyA}, authz.Officer)
	w.head = dbtest.BodyScope(w.a, "head-a", []string{w.bodyA}, authz.BodyHead)
	w.reviewer = dbtest.BodyScope(w.a, "reviewer-a", []string{w.bodyA}, authz.LegalReviewer)
	w.supervisor = dbtest.Scope(w.a, "supervisor-a", authz.Supervisor)
	w.otherBody = dbtest.BodyScope(w.a, "officer-a2", []string{dbx.NewID()}, authz.Officer)
	w.bOfficer = dbtest.BodyScope(w.b, "officer-b", []string{w.bodyB}, authz.Officer, authz.BodyHead)
	w.mux = jobs.NewMux(tenants.NewStore(db))
	w.svc.Tasks(w.mux)
	return w
}

var idSeq atomic.Int64

// residentID returns a valid resident identity number.
func residentID() string {
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	base := fmt.Sprintf("35042619850315%03d", idSeq.Add(1)%1000)
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(base[i]-'0') * weights[i]
	}
	return base + string("10X98765432"[sum%11])
}

// newCase registers a case of a person party at tenant tn (body A, or B for tenant B).
func (w *world) newCase(tn *tenants.Tenant) delivery.CaseInfo {
	body := w.bodyA
	if tn.ID == w.b.ID {
		body = w.bodyB
	}
	info := delivery.CaseInfo{ID: dbx.NewID(), Code: fmt.Sprintf("ZF%s2025%06d", tn.ID, idSeq.Add(1)), BodyID: body,
		Party: delivery.Party{Kind: "person", Name: "张三", IDNumber: residentID(), Phone: "13800138000"}}
	w.cases.mu.Lock()
	w.cases.cases[info.ID] = fakeCase{tenant: tn.ID, info: info}
	w.cases.mu.Unlock()
	return info
}

// consent records a consent for c with channels, for a new portal account, and returns it.
func (w *world) consent(t testing.TB, sc tenants.Scope, c delivery.CaseInfo, channels ...delivery.Channel) *delivery.Consent {
	t.Helper()
	in := delivery.ConsentInput{Channels: channels, Email: "zhangsan@example.cn", Mobile: "13800138000",
		CitizenID: uuid.NewString(), SignedOn: "2025-09-20"}
	con, err := w.svc.RecordConsent(ctx, sc, c.ID, in)
	noErr(t, err)
	return con
}

// deliverDocument runs the case engine's delivery:deliver_document task for c's document kind, as
// the worker would (through the mux, which restores the scope).
func (w *world) deliverDocument(t testing.TB, tn *tenants.Tenant, c delivery.CaseInfo, kind string, due civil.Date) {
	t.Helper()
	task, err := deliverytask.Deliver.NewTask(dbtest.Scope(tn, "cases"), deliverytask.DeliverDocument{CaseID: c.ID,
		CaseCode: c.Code, BodyID: c.BodyID, Document: kind, Party: c.Party, Due: due})
	noErr(t, err)
	noErr(t, w.mux.ProcessTask(ctx, task))
}

// warning is a supervision:warn the outbox holds.
type warning struct {
	tenant string
	w      supervisiontask.Warning
}

// drain runs the outbox's delivery tasks through the mux, as the relay and worker would, until no
// delivery task is pending, and returns the supervision warnings written meanwhile. A task's error
// is kept in taskErrs (by type) and the task is not retried.
func (w *world) drain(t testing.TB) []warning {
	t.Helper()
	var warns []warning
	sys := tenants.System("test: drain the outbox")
	for round := 0; round < 20; round++ {
		var rows []jobs.OutboxRow
		noErr(t, tenants.RunInTx(ctx, w.db, sys, func(ctx context.Context, tx bun.Tx) error {
			if err := tx.NewSelect().Model(&rows).Where("relayed_at IS NULL").OrderExpr("created_at, id").Scan(ctx); err != nil {
				return err
			}
			now := dbx.Stamp(w.clock.Now())
			_, err := tx.NewUpdate().Model((*jobs.OutboxRow)(nil)).Set("relayed_at = ?", now).Where("relayed_at IS NULL").Exec(ctx)
			return err
		}))
		if len(rows) == 0 {
			return warns
		}
		for _, r := range rows {
			if r.TaskType == supervisiontask.Warn.Type {
				var env jobs.Envelope
				noErr(t, json.Unmarshal([]byte(r.Payload), &env))
				var wn supervisiontask.Warning
				noErr(t, json.Unmarshal(env.Body, &wn))
				warns = append(warns, warning{tenant: r.TenantID, w: wn})
				continue
			}
			if !strings.HasPrefix(r.TaskType, "delivery:") {
				continue
			}
			if err := w.mux.ProcessTask(ctx, asynq.NewTask(r.TaskType, []byte(r.Payload))); err != nil {
				w.taskErrs[r.TaskType] = append(w.taskErrs[r.TaskType], err)
			}
		}
	}
	t.Fatal("the outbox did not drain")
	return nil
}

// discardOutbox marks every pending outbox row relayed without running it.
func (w *world) discardOutbox(t testing.TB) {
	t.Helper()
	noErr(t, tenants.RunInTx(ctx, w.db, tenants.System("test: discard the outbox"), func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.NewUpdate().Model((*jobs.OutboxRow)(nil)).Set("relayed_at = ?", dbx.Stamp(w.clock.Now())).Where("relayed_at IS NULL").Exec(ctx)
		return err
	}))
}

// deliveries returns c's deliveries as sc sees them.
func (w *world) deliveries(t testing.TB, sc tenants.Scope, c delivery.CaseInfo) []delivery.Delivery {
	t.Helper()
	ds, err := w.svc.Deliveries(ctx, sc, c.ID)
	noErr(t, err)
	return ds
}

// only returns c's only delivery.
func (w *world) only(t testing.TB, c delivery.CaseInfo) delivery.Delivery {
	t.Helper()
	ds := w.deliveries(t, w.officer, c)
	if len(ds) != 1 {
		t.Fatalf("case %s has %d deliveries, want 1", c.Code, len(ds))
	}
	return ds[0]
}

func route(t testing.TB, d delivery.Delivery, c delivery.Channel) delivery.Route {
	t.Helper()
	for _, r := range d.Routes {
		if r.Channel == c {
			return r
		}
	}
	t.Fatalf("delivery %s has no %s route: %+v", d.ID, c, d.Routes)
	return delivery.Route{}
}

// runRoute runs a route's task directly (as a retry would) and returns its error.
func (w *world) runRoute(send jobs.Task[delivery.RouteTask], tn *tenants.Tenant, d delivery.Delivery, r delivery.Route) error {
	task, err := send.NewTask(dbtest.Scope(tn, "worker"), delivery.RouteTask{DeliveryID: d.ID, RouteID: r.ID})
	if err != nil {
		return err
	}
	return w.mux.ProcessTask(ctx, task)
}

func citizen(id string) *authz.Principal {
	return &authz.Principal{IdentityID: id, Name: "张三", Kind: "citizen", Grants: []authz.Grant{{Role: authz.Citizen}}}
}
