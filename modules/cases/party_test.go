package cases_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/modules/cases"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

// citizen is the party's scope at tenant A, as the portal builds it after the proof.
func (w *world) citizen() tenants.Scope { return dbtest.Scope(w.a, "citizen-"+w.a.ID, authz.Citizen) }

func (w *world) partyCase(t testing.TB, id string) *cases.PartyView {
	t.Helper()
	var out *cases.PartyView
	noErr(t, w.inTx(w.citizen(), func(ctx context.Context, tx bun.Tx) (err error) {
		out, err = w.svc.PartyCase(ctx, tx, w.citizen(), id)
		return err
	}))
	return out
}

func (w *world) enterParty(sc tenants.Scope, id string, e cases.PartyEntry) error {
	return w.inTx(sc, func(ctx context.Context, tx bun.Tx) error { return w.svc.RecordPartyEntry(ctx, tx, sc, id, e) })
}

// deadlineOf returns the party's deadline of key.
func deadlineOf(t testing.TB, pc *cases.PartyView, key string) cases.PartyDeadline {
	t.Helper()
	for _, d := range pc.Deadlines {
		if d.Key == key {
			return d
		}
	}
	t.Fatalf("no %s deadline among %+v", key, pc.Deadlines)
	return cases.PartyDeadline{}
}

// TestPartyView: the party finds its case by the public code of its tenant and sees the status,
// the deadlines with their articles, the history by step and day — never an officer's note.
func TestPartyView(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		w.clock.Set("2025-10-24")
		c := w.served(t)
		var byCode *cases.PartyView
		noErr(t, w.inTx(w.citizen(), func(ctx context.Context, tx bun.Tx) (err error) {
			byCode, err = w.svc.CaseByCode(ctx, tx, w.citizen(), strings.ToLower(c.Code))
			return err
		}))
		pc := w.partyCase(t, c.ID)
		if byCode.ID != c.ID || pc.Code != c.Code || pc.State != "served" || pc.StateTitle.ZH != "处罚决定已送达" || pc.BodyName != "A县市场监督管理局" ||
			pc.PartyName != "王小明" || pc.PartyKey != strings.ToUpper(person().IDNumber) || !pc.Payable || pc.Decision == nil || pc.Decision.FineFen != 500000 {
			t.Fatalf("party case %+v", pc)
		}
		pay := deadlineOf(t, pc, "payment")
		if pay.Due != "2025-11-05" || pay.Article != "《行政处罚法》第67条" || pay.How == "" || pay.Passed {
			t.Errorf("payment deadline %+v", pay)
		}
		// 60 days from 2025-10-21: 2025-12-20, a Saturday, moved to Monday 2025-12-22.
		if d := deadlineOf(t, pc, "reconsideration"); d.Due != "2025-12-22" || d.Article != "《行政复议法》第20条" {
			t.Errorf("reconsideration deadline %+v", d)
		}
		if d := deadlineOf(t, pc, "litigation"); d.Due != "2026-04-21" || d.Article != "《行政诉讼法》第46条" {
			t.Errorf("litigation deadline %+v", d)
		}
		if !pc.Reconsider.Open || pc.Reconsider.Due != "2025-12-22" || !strings.HasSuffix(pc.Reconsider.Authority, "人民政府") {
			t.Errorf("reconsideration %+v", pc.Reconsider)
		}
		raw, err := json.Marshal(pc)
		noErr(t, err)
		if strings.Contains(string(raw), "内部备注") || strings.Contains(string(raw), person().IDNumber) {
			t.Fatalf("the party's view shows a note or the key: %s", raw)
		}
		steps := map[string]bool{}
		for _, h := range pc.History {
			steps[h.Title.ZH] = true
		}
		public := 0 // every step but the upload of the party's signed waiver (add_evidence, internal)
		for _, ev := range w.find(t, c.ID).History {
			if ev.Action != cases.ActAddEvidence {
				public++
			}
		}
		if !steps["送达"] || !steps["作出处罚决定"] || !steps["当事人书面放弃听证"] || len(pc.History) != public || public != w.events(t, c.ID)-1 {
			t.Errorf("history %+v", pc.History)
		}

		// Another tenant's code, a malformed code, a staff scope: nothing.
		for _, code := range []string{strings.Replace(c.Code, w.a.ID, w.b.ID, 1), "ZF" + w.a.ID + "-2025-XXXXXXXXXXX"} {
			err := w.inTx(w.citizen(), func(ctx context.Context, tx bun.Tx) error {
				_, err := w.svc.CaseByCode(ctx, tx, w.citizen(), code)
				return err
			})
			wantCode(t, err, errs.NotFound)
		}
		bCitizen := dbtest.Scope(w.b, "citizen", authz.Citizen)
		err = w.inTx(bCitizen, func(ctx context.Context, tx bun.Tx) error {
			_, err := w.svc.PartyCase(ctx, tx, bCitizen, c.ID)
			return err
		})
		wantCode(t, err, errs.NotFound)
		err = w.inTx(w.officer, func(ctx context.Context, tx bun.Tx) error {
			_, err := w.svc.PartyCase(ctx, tx, w.officer, c.ID)
			return err
		})
		wantCode(t, err, errs.Forbidden)

		// While notified, the hearing request (Art. 64) and the statement windows run: 5 working
		// days from 2025-09-30 across National Day are 2025-10-14.
		w.clock.Set("2025-10-01")
		n := w.notified(t, person(), 5000, "2025-09-30", nil)
		pn := w.partyCase(t, n.ID)
		if d := deadlineOf(t, pn, "hearing_request"); d.Due != "2025-10-14" || d.Article != "《行政处罚法》第64条" {
			t.Errorf("hearing request %+v", d)
		}
		if d := deadlineOf(t, pn, "statement"); d.Due != "2025-10-14" {
			t.Errorf("statement %+v", d)
		}
		if pn.Payable || pn.Decision != nil || pn.Reconsider.Open {
			t.Errorf("a notified case %+v", pn)
		}
	})
}

// TestPartyEntries: the party's evaluation once per case, reconsideration within 60 days of
// service across the 2025 National Day holiday, each entry once per reference, the chain whole.
func TestPartyEntries(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db).from("2025-07-01")
		w.clock.Set("2025-08-05")
		c := w.notified(t, person(), 500, "2025-07-20", nil)
		w.act(t, w.head, c.ID, cases.ActDecide, decision("2025-08-01", 500))
		w.act(t, w.officer, c.ID, cases.ActServe, m{"on": "2025-08-05", "method": "direct"})
		w.clock.Set("2025-10-20")

		entry := func(kind cases.PartyEntryKind, ref, on string, data map[string]any) cases.PartyEntry {
			return cases.PartyEntry{Kind: kind, Ref: ref, On: elementsDate(on), Data: data}
		}
		wantCode(t, w.enterParty(w.officer, c.ID, entry(cases.EntryEvaluated, "e1", "2025-10-10", map[string]any{"rating": 5})), errs.Forbidden)
		wantCode(t, w.enterParty(w.citizen(), c.ID, entry(cases.EntryEvaluated, "e1", "2025-10-10", map[string]any{"rating": 6})), errs.Invalid)
		before := w.events(t, c.ID)
		noErr(t, w.enterParty(w.citizen(), c.ID, entry(cases.EntryEvaluated, "e1", "2025-10-10", map[string]any{"rating": float64(4), "comment": "执法规范"})))
		noErr(t, w.enterParty(w.citizen(), c.ID, entry(cases.EntryEvaluated, "e1", "2025-10-10", map[string]any{"rating": float64(4)})))
		err := w.enterParty(w.citizen(), c.ID, entry(cases.EntryEvaluated, "e2", "2025-10-11", map[string]any{"rating": float64(1)}))
		wantCode(t, err, errs.Conflict)
		if e := errs.As(err); e.Message.ZH == "" || e.Message.EN == "" {
			t.Errorf("conflict message %+v", e.Message)
		}
		if n := w.events(t, c.ID); n != before+1 {
			t.Fatalf("%d events after one evaluation, was %d", n, before)
		}
		if pc := w.partyCase(t, c.ID); pc.Evaluated == nil || *pc.Evaluated != "2025-10-10" {
			t.Errorf("evaluated %+v", pc.Evaluated)
		}

		// Served 2025-08-05: 60 days end 2025-10-04, in the holiday (Oct 1-8): moved to 2025-10-09.
		pc := w.partyCase(t, c.ID)
		if pc.Reconsider.Due != "2025-10-09" || pc.Reconsider.Open {
			t.Fatalf("reconsideration info on 2025-10-20 %+v", pc.Reconsider)
		}
		wantRule(t, w.enterParty(w.citizen(), c.ID, entry(cases.EntryReconsiderationApplied, "app-1", "2025-10-10", map[string]any{"body": "A县人民政府"})),
			rules.RemedyReconsideration, "20")
		noErr(t, w.enterParty(w.citizen(), c.ID, entry(cases.EntryReconsiderationApplied, "app-1", "2025-10-09", map[string]any{"body": "A县人民政府"})))
		noErr(t, w.enterParty(w.citizen(), c.ID, entry(cases.EntryReconsiderationApplied, "app-1", "2025-10-09", nil)))
		wantRule(t, w.enterParty(w.citizen(), c.ID, entry(cases.EntryReconsiderationApplied, "app-2", "2025-10-09", nil)), rules.RemedyReconsideration, "20")
		noErr(t, w.enterParty(w.citizen(), c.ID, entry(cases.EntryReconsiderationSent, "app-1", "2025-10-10", nil)))
		noErr(t, w.enterParty(w.citizen(), c.ID, cases.PartyEntry{Kind: cases.EntryConsentSigned, Ref: uuid.NewString(), At: w.clock.Now()}))
		wantCode(t, w.enterParty(w.citizen(), c.ID, entry("unknown", "x", "2025-10-10", nil)), errs.Invalid)

		tm := w.terms(t, w.platform(), c.ID)
		if len(tm.Paused) != 1 || tm.Paused[0].From != "2025-10-09" || tm.Paused[0].To != "" {
			t.Fatalf("paused %+v", tm.Paused)
		}
		pc = w.partyCase(t, c.ID)
		if len(pc.Remedies) != 1 || pc.Remedies[0].Ref != "app-1" || pc.Remedies[0].Body != "A县人民政府" || pc.Remedies[0].Outcome != "" {
			t.Fatalf("remedies %+v", pc.Remedies)
		}
		d := w.find(t, c.ID)
		if !d.Facts.Party.EDeliveryConsent || d.Facts.Remedies[0].SentOn != "2025-10-10" || len(d.History) != before+4 {
			t.Fatalf("facts %+v, %d events", d.Facts.Remedies, len(d.History))
		}
		w.chainValid(t, c.ID)
	})
}

// TestPartyDocuments: the party reads the PDFs of the documents addressed to it on its case, and
// no other case's document.
func TestPartyDocuments(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWired(t, db)
		c := w.decided(t)
		w.act(t, w.officer, c.ID, cases.ActServe, m{"on": "2025-10-20", "method": "direct"})
		other := w.decided(t)
		pc := w.partyCase(t, c.ID)
		kinds := map[string]cases.PartyDocumentView{}
		for _, d := range pc.Documents {
			kinds[d.Kind] = d
		}
		dec, ok := kinds["penalty_decision"]
		if !ok || dec.Number == "" || dec.ServedOn != "2025-10-20" || dec.Title != "行政处罚决定书" {
			t.Fatalf("documents %+v", pc.Documents)
		}
		pdf, file, err := w.svc.PartyDocument(ctx, w.world.citizen(), c.ID, dec.ID)
		noErr(t, err)
		if !strings.HasPrefix(string(pdf), "%PDF") || file.Number != dec.Number || file.FileName != dec.Number+".pdf" {
			t.Fatalf("file %+v", file)
		}
		otherDec := ref(t, w.find(t, other.ID), "penalty_decision")
		_, _, err = w.svc.PartyDocument(ctx, w.world.citizen(), c.ID, otherDec.ID)
		wantCode(t, err, errs.NotFound)
		_, _, err = w.svc.PartyDocument(ctx, w.officer, c.ID, dec.ID)
		wantCode(t, err, errs.Forbidden)
		_, _, err = w.svc.PartyDocument(ctx, dbtest.Scope(w.b, "citizen", authz.Citizen), c.ID, dec.ID)
		wantCode(t, err, errs.NotFound)
	})
}

// TestReconsiderationBeforeTheYearIsPublished: a decision served 2026-11-18 may be challenged
// until 2027-01-17 (60 days, 行政复议法 Art. 20), a Sunday, which the end-day shift (民法典
// Art. 203) would move once the 2027 holiday notice is out. Without it, the party's view still
// opens (the raw end), an application up to the raw end is surely in time, and one after it is
// refused naming the year, not guessed.
func TestReconsiderationBeforeTheYearIsPublished(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db).from("2026-10-01")
		w.clock.Set("2026-11-18")
		open := func() *cases.Case {
			c := w.notified(t, person(), 500, "2026-11-02", nil)
			w.act(t, w.head, c.ID, cases.ActDecide, decision("2026-11-16", 500))
			w.act(t, w.officer, c.ID, cases.ActServe, m{"on": "2026-11-18", "method": "direct"})
			return c
		}
		early, late := open(), open()
		w.clock.Set("2026-12-01")
		pc := w.partyCase(t, early.ID)
		if pc.Reconsider.Due != "2027-01-17" || !pc.Reconsider.Open {
			t.Fatalf("reconsideration info before 2027's notice %+v", pc.Reconsider)
		}
		due := map[string]cases.PartyDeadline{}
		for _, d := range pc.Deadlines {
			due[d.Key] = d
		}
		// litigation: 6 months from 2026-11-18 is 2027-05-18, also in the unpublished year
		if r, l := due["reconsideration"], due["litigation"]; r.Due != "2027-01-17" || !strings.Contains(r.How, "2027") ||
			l.Due != "2027-05-18" || !strings.Contains(l.How, "顺延") {
			t.Errorf("deadlines before 2027's notice: %+v", pc.Deadlines)
		}
		w.clock.Set("2027-01-18")
		entry := func(ref, on string) cases.PartyEntry {
			return cases.PartyEntry{Kind: cases.EntryReconsiderationApplied, Ref: ref, On: elementsDate(on)}
		}
		noErr(t, w.enterParty(w.citizen(), early.ID, entry("early", "2027-01-17")))
		err := w.enterParty(w.citizen(), late.ID, entry("late", "2027-01-18"))
		wantCode(t, err, errs.FailedPrecondition)
		if e := errs.As(err); !strings.Contains(e.Message.ZH, "2027") {
			t.Errorf("the refusal does not name the year: %+v", e.Message)
		}
	})
}
