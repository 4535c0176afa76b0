package documents_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/app/testenv"
	"zhifa/app/testkit"
	"zhifa/modules/cases"
	"zhifa/modules/documents"
	"zhifa/modules/elements"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

var ctx = context.Background()

// The kit's helpers, under the names this package's tests call them by.
var noErr, wantCode = testkit.NoErr, testkit.WantCode
var uscc, residentID, pdfText = testkit.USCC, testkit.ResidentID, testkit.PDFText

// secret is a test secret key (32 bytes).
var secret = []byte("0123456789abcdef0123456789abcdef")

// fakeSource stands in for the case engine: realistic data of a penalty decision (the type's
// sample) with each case's party, as DocumentData will return it.
type fakeSource struct {
	mu      sync.Mutex
	parties map[string]map[string]any // case ID -> party
	calls   int
}

func (f *fakeSource) DocumentData(_ context.Context, _ bun.IDB, _ tenants.Scope, caseID string, typ documents.Type) (map[string]any, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	ti, ok := documents.Lookup(typ)
	if !ok {
		return nil, errs.E(errs.Invalid, "未知文书", "unknown document")
	}
	data, err := documents.Complete(ti, ti.Sample)
	if err != nil {
		return nil, err
	}
	if p, ok := f.parties[caseID]; ok {
		data["party"] = p
	}
	data["doc"] = nil // the documents module fills it
	return data, nil
}

// world is a province with two counties: A with two bodies, B with one; a case of each body.
type world struct {
	db    *bun.DB
	svc   *documents.Service
	src   *fakeSource
	cases *cases.Service
	el    *elements.Service
	ten   *tenants.Service
	now   time.Time
	// casesNow is the case engine's clock
	casesNow atomic.Value
	teamA    []string

	prov, a, b          *tenants.Tenant
	body, body2, bodyB  *elements.Body
	caseA, case2, caseB *cases.Case

	provOp, operator, bOperator tenants.Scope
	admin, admin2, bAdmin       tenants.Scope
	officer, officer2, bOfficer tenants.Scope
	head, supervisor            tenants.Scope
}

const partyName = "尤溪县某某商贸有限公司"

func newWorld(t testing.TB, db *bun.DB) *world {
	t.Helper()
	w := &world{db: db, el: elements.New(elements.Config{DB: db}), ten: tenants.NewService(db, documents.Settings(), rules.Settings()), src: &fakeSource{parties: map[string]map[string]any{}},
		now: time.Date(2026, 1, 26, 2, 0, 0, 0, time.UTC)}
	w.svc = documents.New(documents.Config{DB: db, SecretKey: secret, PublicURL: "https://zhifa.example.gov.cn/", Cases: w.src,
		Now: func() time.Time { return w.now }})
	tree := testkit.NewTree(t, db)
	w.prov, w.a, w.b = tree.Prov, tree.A, tree.B
	w.provOp = dbtest.Scope(w.prov, "prov-op", authz.TenantOperator)
	w.operator = dbtest.Scope(w.a, "a-op", authz.TenantOperator)
	w.bOperator = dbtest.Scope(w.b, "b-op", authz.TenantOperator)
	w.body = testkit.Body(t, db, w.operator, "尤溪县市场监督管理局")
	w.body2 = testkit.Body(t, db, w.operator, "尤溪县城市管理局")
	w.bodyB = testkit.Body(t, db, w.bOperator, "将乐县市场监督管理局")
	w.admin = dbtest.BodyScope(w.a, "admin", []string{w.body.ID}, authz.BodyAdmin)
	w.admin2 = dbtest.BodyScope(w.a, "admin2", []string{w.body2.ID}, authz.BodyAdmin)
	w.bAdmin = dbtest.BodyScope(w.b, "b-admin", []string{w.bodyB.ID}, authz.BodyAdmin)
	w.head = dbtest.BodyScope(w.a, "head", []string{w.body.ID}, authz.BodyHead)
	w.supervisor = dbtest.Scope(w.a, "supervisor", authz.Supervisor)

	rulesEngine := rules.NewEngine(db, w.ten)
	w.cases = cases.New(cases.Config{DB: db, Rules: rulesEngine, Elements: w.el, UploadDir: t.TempDir(),
		Now: func() time.Time { return w.casesNow.Load().(time.Time) }})
	w.casesNow.Store(time.Date(2025, 9, 1, 2, 0, 0, 0, time.UTC))
	officer := func(sc tenants.Scope, b *elements.Body) (tenants.Scope, []string) {
		account := uuid.NewString()
		ids := []string{testkit.Officer(t, db, sc, b, account).ID, testkit.Officer(t, db, sc, b, "").ID}
		tn := w.a
		if b == w.bodyB {
			tn = w.b
		}
		return dbtest.BodyScope(tn, account, []string{b.ID}, authz.Officer), ids
	}
	var team, team2, teamB []string
	w.officer, team = officer(w.operator, w.body)
	w.teamA = team
	w.officer2, team2 = officer(w.operator, w.body2)
	w.bOfficer, teamB = officer(w.bOperator, w.bodyB)
	open := func(sc tenants.Scope, b *elements.Body, team []string, party cases.Party) *cases.Case {
		res, err := w.cases.Create(ctx, sc, cases.NewCase{Common: cases.Common{On: "2025-09-01"}, Kind: cases.KindGeneral, BodyID: b.ID,
			Title: "无照经营", Party: party, OfficerIDs: team, ActEndedOn: "2025-08-20",
			Lead: &cases.Lead{Source: "complaint", ReceivedOn: "2025-09-01", Summary: "群众举报无照经营"}, IdempotencyKey: uuid.NewString()})
		noErr(t, err)
		return res.Case
	}
	org := cases.Party{Kind: cases.PartyOrganisation, Name: partyName, USCC: uscc(900), Address: "福建省尤溪县城关镇水东路88号"}
	w.caseA = open(w.officer, w.body, team, org)
	w.case2 = open(w.officer2, w.body2, team2, org)
	w.caseB = open(w.bOfficer, w.bodyB, teamB, cases.Party{Kind: cases.PartyPerson, Name: "将乐某某", IDNumber: residentID(901)})
	for _, c := range []*cases.Case{w.caseA, w.case2, w.caseB} {
		w.src.parties[c.ID] = map[string]any{"kind": string(c.Facts.Party.Kind), "name": c.Facts.Party.Name, "uscc": c.Facts.Party.USCC,
			"id_number": c.Facts.Party.IDNumber, "address": "福建省尤溪县城关镇水东路88号", "legal_rep": "王某某"}
	}
	_, err := w.ten.Set(ctx, w.admin, documents.SettingNumberPrefix, tenants.SetSetting{Value: []byte(`"尤市监"`), BodyID: w.body.ID})
	noErr(t, err)
	return w
}

// issue issues a penalty decision of a case that must succeed.
func (w *world) issue(t testing.TB, sc tenants.Scope, c *cases.Case) *documents.Document {
	t.Helper()
	d, err := w.svc.Issue(ctx, w.db, sc, documents.IssueRequest{CaseID: c.ID, Type: documents.TypePenaltyDecision})
	noErr(t, err)
	return d
}

// pdfInfo returns what pdfinfo (poppler-utils) says of a PDF: its metadata and page count.
func pdfInfo(t testing.TB, pdf []byte) string {
	t.Helper()
	bin := testenv.Tool(t, "pdfinfo")
	f := filepath.Join(t.TempDir(), "doc.pdf")
	noErr(t, os.WriteFile(f, pdf, 0o600))
	out, err := exec.Command(bin, "-enc", "UTF-8", f).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	return string(out)
}
