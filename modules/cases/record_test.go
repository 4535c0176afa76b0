package cases_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/modules/cases"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// pngBytes is a tiny PNG file.
var pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

// upload adds an evidence file to a case.
func (w *world) upload(t testing.TB, id string, content []byte) *cases.ActResult {
	t.Helper()
	res, err := w.svc.AddEvidence(ctx, w.officer, id, key(), cases.EvidenceInput{Common: cases.Common{On: "2025-09-06"}, Title: "现场照片", Kind: "audiovisual"},
		"现场照片.png", bytes.NewReader(content))
	noErr(t, err)
	return res
}

// tamperer runs SQL beneath the application: on SQLite through the app's connection, on
// PostgreSQL as the table owner with the system setting that row-level security honours.
type tamperer func(t *testing.T, query string, args ...any)

// TestChainTamperDetected edits rows directly in the database and sees verification name the first
// broken event, on both databases.
func TestChainTamperDetected(t *testing.T) {
	t.Parallel()
	t.Run("sqlite", func(t *testing.T) {
		db := dbtest.SQLite(t)
		testTamper(t, db, func(t *testing.T, q string, args ...any) {
			err := tenants.RunInTx(ctx, db, tenants.System("test: tamper with the record"), func(ctx context.Context, tx bun.Tx) error {
				_, err := tx.ExecContext(ctx, q, args...)
				return err
			})
			noErr(t, err)
		})
	})
	t.Run("postgres", func(t *testing.T) {
		db, info := dbtest.PostgresInfo(t)
		owner, err := tenants.Open("postgres", info.OwnerDSN, 1, nil)
		noErr(t, err)
		defer owner.Close()
		testTamper(t, db, func(t *testing.T, q string, args ...any) {
			err := owner.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
				if _, err := tx.ExecContext(ctx, "SELECT set_config('app.system', 'on', true)"); err != nil {
					return err
				}
				res, err := tx.ExecContext(ctx, q, args...)
				if err != nil {
					return err
				}
				if n, _ := res.RowsAffected(); n == 0 {
					return fmt.Errorf("no row changed by %s", q)
				}
				return nil
			})
			noErr(t, err)
		})
	})
}

func testTamper(t *testing.T, db *bun.DB, sql tamperer) {
	w := newWorld(t, db)
	c := w.filed(t, person(), nil)
	w.act(t, w.officer, c.ID, cases.ActInvestigate, m{"on": "2025-09-05", "officer_ids": []string{w.o1.ID, w.o2.ID}, "record": "现场检查"})
	ev := w.upload(t, c.ID, pngBytes)
	if len(ev.Event.Content) == 0 || !bytes.Contains(ev.Event.Content, []byte(`"sha256":"`+sha(pngBytes)+`"`)) {
		t.Fatalf("the evidence hash is not in the event: %s", ev.Event.Content)
	}
	w.act(t, w.officer, c.ID, cases.ActReport, m{"on": "2025-09-15", "facts": "无照经营属实"})
	verify := func() *cases.ChainReport {
		t.Helper()
		rep, err := w.svc.VerifyChain(ctx, w.officer, c.ID)
		noErr(t, err)
		return rep
	}
	if rep := verify(); !rep.Valid || rep.Events != 6 || rep.Evidence != 1 {
		t.Fatalf("untouched chain: %+v", rep)
	}
	d := w.find(t, c.ID)
	second := d.History[1]
	wantBroken := func(seq int, reason string) {
		t.Helper()
		rep := verify()
		if rep.Valid || rep.Broken == nil || rep.Broken.Seq != seq || rep.Broken.Reason != reason || rep.Broken.Message.ZH == "" {
			t.Fatalf("after tampering: %+v (broken %+v), want event %d broken by %s", rep, rep.Broken, seq, reason)
		}
	}
	// The content of event 2 (verify) is changed: its hash no longer matches.
	sql(t, `UPDATE case_events SET content = replace(content, '属实', '不属实') WHERE case_id = ? AND seq = 2`, c.ID)
	wantBroken(2, "content_hash")
	sql(t, `UPDATE case_events SET content = ? WHERE case_id = ? AND seq = 2`, string(second.Content), c.ID)
	if !verify().Valid {
		t.Fatal("restored chain does not verify")
	}
	// A column the content covers is changed.
	sql(t, `UPDATE case_events SET to_state = 'filed' WHERE case_id = ? AND seq = 2`, c.ID)
	wantBroken(2, "column_mismatch")
	sql(t, `UPDATE case_events SET to_state = 'verified' WHERE case_id = ? AND seq = 2`, c.ID)
	// Event 2 rewritten with a consistent hash: event 3 no longer links to it.
	forged := bytes.Replace(second.Content, []byte("属实"), []byte("不属实"), 1)
	sql(t, `UPDATE case_events SET content = ?, hash = ? WHERE case_id = ? AND seq = 2`, string(forged), sha(forged), c.ID)
	wantBroken(3, "prev_hash")
	sql(t, `UPDATE case_events SET content = ?, hash = ? WHERE case_id = ? AND seq = 2`, string(second.Content), second.Hash, c.ID)
	// The case's state is changed without a transition.
	sql(t, `UPDATE cases SET state = 'decided' WHERE id = ?`, c.ID)
	wantBroken(6, "state")
	sql(t, `UPDATE cases SET state = 'reported' WHERE id = ?`, c.ID)
	// The evidence row's hash is changed; then the stored file.
	sql(t, `UPDATE case_evidence SET sha256 = ? WHERE case_id = ?`, sha([]byte("other")), c.ID)
	wantBroken(5, "evidence_hash")
	sql(t, `UPDATE case_evidence SET sha256 = ? WHERE case_id = ?`, sha(pngBytes), c.ID)
	if !verify().Valid {
		t.Fatal("restored evidence does not verify")
	}
	path := filepath.Join(w.dir, w.a.ID, sha(pngBytes)[:2], sha(pngBytes))
	noErr(t, os.WriteFile(path, append(pngBytes, 0), 0o600))
	wantBroken(5, "evidence_file")
	noErr(t, os.WriteFile(path, pngBytes, 0o600))
	// The last event is deleted.
	sql(t, `DELETE FROM case_events WHERE case_id = ? AND seq = 6`, c.ID)
	wantBroken(5, "head")
}

// TestIdempotency replays a transition by its key: the first result, no new event, no new outbox
// row; the same key with another body is refused.
func TestIdempotency(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		in := cases.NewCase{Common: cases.Common{On: "2025-09-01"}, Kind: cases.KindGeneral, BodyID: w.body.ID, Title: "重复提交", Party: person(),
			OfficerIDs: []string{w.o1.ID, w.o2.ID}, Lead: &cases.Lead{Source: "complaint", ReceivedOn: "2025-09-01", Summary: "x"}, IdempotencyKey: key()}
		first, err := w.svc.Create(ctx, w.officer, in)
		noErr(t, err)
		again, err := w.svc.Create(ctx, w.officer, in)
		noErr(t, err)
		if !again.Replayed || again.Case.ID != first.Case.ID || again.Case.Code != first.Case.Code {
			t.Fatalf("create replay = %+v", again)
		}
		_, n, err := w.svc.List(ctx, w.officer, cases.Filter{})
		noErr(t, err)
		if n != 1 {
			t.Fatalf("%d cases after a replayed creation", n)
		}
		c := w.filed(t, person(), nil)
		k := key()
		body := m{"on": "2025-09-05", "officer_ids": []string{w.o1.ID, w.o2.ID}, "record": "现场检查"}
		res1, err := w.svc.Act(ctx, w.officer, c.ID, cases.ActInvestigate, k, body)
		noErr(t, err)
		before, outbox := w.events(t, c.ID), len(w.outbox(t, w.officer, ""))
		res2, err := w.svc.Act(ctx, w.officer, c.ID, cases.ActInvestigate, k, body)
		noErr(t, err)
		if !res2.Replayed || res2.Event.ID != res1.Event.ID || res2.Case.Version != res1.Case.Version {
			t.Fatalf("replay = %+v", res2)
		}
		w.act(t, w.officer, c.ID, cases.ActReport, m{"on": "2025-09-15", "facts": "x"})
		res3, err := w.svc.Act(ctx, w.officer, c.ID, cases.ActInvestigate, k, body)
		noErr(t, err)
		if res3.Event.ID != res1.Event.ID || w.events(t, c.ID) != before+1 || len(w.outbox(t, w.officer, "")) != outbox {
			t.Errorf("a replay after the case moved on wrote something")
		}
		body["record"] = "另一份笔录"
		_, err = w.svc.Act(ctx, w.officer, c.ID, cases.ActInvestigate, k, body)
		wantCode(t, err, errs.FailedPrecondition)
		_, err = w.svc.Act(ctx, w.officer, c.ID, cases.ActReport, k, m{"on": "2025-09-15", "facts": "x"})
		wantCode(t, err, errs.FailedPrecondition)
		for _, bad := range []string{"", "has space", string(make([]byte, 129))} {
			_, err = w.svc.Act(ctx, w.officer, c.ID, cases.ActReport, bad, m{"facts": "x"})
			wantCode(t, err, errs.Invalid)
		}
	})
}

// TestConcurrentTransitions runs one transition from many goroutines: exactly one wins, the
// others get Conflict, and the record holds one event.
func TestConcurrentTransitions(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		c := w.lead(t, person())
		const n = 8
		errsOf := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errsOf[i] = w.svc.Act(ctx, w.officer, c.ID, cases.ActVerify, key(), m{"on": "2025-09-02", "findings": fmt.Sprintf("核查 %d", i)})
			}()
		}
		wg.Wait()
		won := 0
		for _, err := range errsOf {
			switch {
			case err == nil:
				won++
			case !errs.Is(err, errs.Conflict):
				t.Errorf("loser got %v, want Conflict", err)
			}
		}
		if won != 1 || w.events(t, c.ID) != 2 {
			t.Fatalf("%d transitions won, %d events; want 1 and 2", won, w.events(t, c.ID))
		}
		// The same key from many goroutines: one transition, every caller gets its result.
		k := key()
		results := make([]*cases.ActResult, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i], errsOf[i] = w.svc.Act(ctx, w.head, c.ID, cases.ActFile, k, m{"on": "2025-09-03"})
			}()
		}
		wg.Wait()
		originals := 0
		for i := range n {
			if errsOf[i] != nil {
				t.Fatalf("same key: %v", errsOf[i])
			}
			if !results[i].Replayed {
				originals++
			}
			if results[i].Event.ID != results[0].Event.ID {
				t.Errorf("different events for one key")
			}
		}
		if originals != 1 || w.events(t, c.ID) != 3 {
			t.Errorf("%d originals, %d events; want 1 and 3", originals, w.events(t, c.ID))
		}
		if rep, err := w.svc.VerifyChain(ctx, w.officer, c.ID); err != nil || !rep.Valid {
			t.Errorf("chain after the races: %+v %v", rep, err)
		}
	})
}

// TestTenantIsolationAndRoles: county B cannot find, read, change or add evidence to county A's
// case; roles decide who may take which step; supervisors and procurators only read.
func TestTenantIsolationAndRoles(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		c := w.filed(t, person(), nil)
		ev := w.upload(t, c.ID, pngBytes)
		evID := ""
		for _, e := range w.find(t, c.ID).Evidence {
			evID = e.ID
		}
		_, err := w.svc.Find(ctx, w.bHead, c.ID)
		wantCode(t, err, errs.NotFound)
		wantCode(t, w.try(w.bHead, c.ID, cases.ActInvestigate, m{"on": "2025-09-05", "officer_ids": []string{w.o1.ID, w.o2.ID}, "record": "x"}), errs.NotFound)
		_, err = w.svc.VerifyChain(ctx, w.bHead, c.ID)
		wantCode(t, err, errs.NotFound)
		_, err = w.svc.Evidence(ctx, w.bHead, c.ID)
		wantCode(t, err, errs.NotFound)
		_, _, err = w.svc.OpenEvidence(ctx, w.bHead, c.ID, evID)
		wantCode(t, err, errs.NotFound)
		_, err = w.svc.AddEvidence(ctx, w.bHead, c.ID, key(), cases.EvidenceInput{Title: "x", Kind: "physical"}, "x.png", bytes.NewReader(pngBytes))
		wantCode(t, err, errs.NotFound)
		list, n, err := w.svc.List(ctx, w.bHead, cases.Filter{})
		noErr(t, err)
		if n != 0 || len(list) != 0 {
			t.Errorf("county B lists %d of A's cases", n)
		}
		if ev.Case.ID != c.ID {
			t.Fatal("evidence on the wrong case")
		}
		if dbName(db) == "pg" {
			// Beneath the guard: row-level security alone hides A's rows from B's transaction.
			err := tenants.RunInTx(ctx, db, w.bHead, func(ctx context.Context, tx bun.Tx) error {
				for _, table := range []string{"cases", "case_events", "case_evidence", "case_officers", "case_requests"} {
					var k int
					if err := tx.NewRaw("SELECT count(*) FROM "+table).Scan(ctx, &k); err != nil {
						return err
					}
					if k != 0 {
						t.Errorf("row-level security lets B see %d rows of %s", k, table)
					}
				}
				return nil
			})
			noErr(t, err)
		}

		for _, r := range []struct {
			name   string
			sc     tenants.Scope
			action cases.Action
			body   m
			want   errs.Code
		}{
			{"an officer may not decide", w.officer, cases.ActDecide, decision("2025-09-05", 100), errs.Forbidden},
			{"a reviewer may not investigate", w.reviewer, cases.ActInvestigate, m{"on": "2025-09-05", "officer_ids": []string{w.o1.ID, w.o2.ID}, "record": "x"}, errs.Forbidden},
			{"a supervisor only reads", w.supervisor, cases.ActReport, m{"facts": "x"}, errs.Forbidden},
			{"a procurator only reads", dbtest.Scope(w.a, "proc", authz.Procurator), cases.ActReport, m{"facts": "x"}, errs.Forbidden},
			{"a body admin cannot act", dbtest.Scope(w.a, "admin", authz.BodyAdmin), cases.ActReport, m{"facts": "x"}, errs.Forbidden},
			{"an officer of another body", dbtest.BodyScope(w.a, "o", []string{w.body2.ID}, authz.Officer), cases.ActInvestigate,
				m{"on": "2025-09-05", "officer_ids": []string{w.o1.ID, w.o2.ID}, "record": "x"}, errs.Forbidden},
			{"a read-only subtree scope", tenants.SubtreeScope(w.a, "sup", []authz.Role{authz.BodyHead}), cases.ActInvestigate,
				m{"on": "2025-09-05", "officer_ids": []string{w.o1.ID, w.o2.ID}, "record": "x"}, errs.Forbidden},
		} {
			if err := w.try(r.sc, c.ID, r.action, r.body); errs.CodeOf(err) != r.want {
				t.Errorf("%s: %v, want %s", r.name, err, r.want)
			}
		}
		for _, sc := range []tenants.Scope{w.supervisor, dbtest.Scope(w.a, "proc", authz.Procurator)} {
			d, err := w.svc.Find(ctx, sc, c.ID)
			noErr(t, err)
			for _, na := range d.NextActions {
				if na.Allowed {
					t.Errorf("a read-only role is offered %s", na.Action)
				}
			}
		}
		_, err = w.svc.Find(ctx, dbtest.Scope(w.a, "citizen", authz.Citizen), c.ID)
		wantCode(t, err, errs.Forbidden)
		_, err = w.svc.Create(ctx, w.supervisor, cases.NewCase{})
		wantCode(t, err, errs.Forbidden)
	})
}

func dbName(db *bun.DB) string { return db.Dialect().Name().String() }

// TestBadInput: impossible dates, negative or absurd fines, out-of-order steps: clear errors and
// nothing written.
func TestBadInput(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		c := w.proposed(t, person(), 500, nil)
		w.act(t, w.officer, c.ID, cases.ActNotify, m{"on": "2025-09-17", "method": "direct"})
		w.waive(t, c.ID, cases.ActWaiveStatement, "2025-09-17")
		before := w.find(t, c.ID)
		outbox := len(w.outbox(t, w.officer, ""))
		for _, r := range []struct {
			name   string
			action cases.Action
			body   any
			want   errs.Code
		}{
			{"impossible date", cases.ActDecide, decision("2025-02-30", 500), errs.Invalid},
			{"not a date", cases.ActDecide, decision("next week", 500), errs.Invalid},
			{"negative fine", cases.ActDecide, m{"on": "2025-09-18", "number": "1", "penalty": m{"types": []string{"fine"}, "fine_fen": -100, "basis": "x"}, "facts": "x"}, errs.Invalid},
			{"absurd fine", cases.ActDecide, m{"on": "2025-09-18", "number": "1", "penalty": m{"types": []string{"fine"}, "fine_fen": int64(1e13), "basis": "x"}, "facts": "x"}, errs.Invalid},
			{"fine as text", cases.ActDecide, `{"on":"2025-09-18","number":"1","penalty":{"types":["fine"],"fine_fen":"500","basis":"x"},"facts":"x"}`, errs.Invalid},
			{"unknown penalty type", cases.ActDecide, m{"on": "2025-09-18", "number": "1", "penalty": m{"types": []string{"caning"}, "basis": "x"}, "facts": "x"}, errs.Invalid},
			{"unknown field", cases.ActDecide, `{"on":"2025-09-18","fine":5}`, errs.Invalid},
			{"trailing data", cases.ActStatement, `{"summary":"x"} {}`, errs.Invalid},
			{"malformed JSON", cases.ActStatement, `{"summary":`, errs.Invalid},
			{"in the future", cases.ActDecide, decision("2026-07-01", 500), errs.Invalid},
			{"before the last step", cases.ActDecide, decision("2025-09-16", 500), errs.Invalid},
			{"at and on disagree", cases.ActStatement, m{"on": "2025-09-18", "at": "2025-09-19T10:00:00+08:00", "summary": "x"}, errs.Invalid},
			{"bad location", cases.ActStatement, m{"on": "2025-09-18", "summary": "x", "location": m{"lat": 91, "lng": 0}}, errs.Invalid},
			{"out of order", cases.ActServe, m{"on": "2025-09-18", "method": "direct"}, errs.Conflict},
			{"out of order (archive)", cases.ActArchive, m{"on": "2025-09-18"}, errs.Conflict},
			{"heavier than notified", cases.ActDecide, decision("2025-09-18", 501), errs.FailedPrecondition},
			{"unknown action", cases.Action("execute_order_66"), m{}, errs.NotFound},
		} {
			if err := w.try(w.head, c.ID, r.action, r.body); errs.CodeOf(err) != r.want {
				t.Errorf("%s: %v, want %s", r.name, err, r.want)
			}
		}
		wantCode(t, w.try(w.head, "not-an-id", cases.ActDecide, decision("2025-09-18", 500)), errs.Invalid)
		wantCode(t, w.try(w.head, "0190b8a4-0000-7000-8000-000000000000", cases.ActDecide, decision("2025-09-18", 500)), errs.NotFound)
		after := w.find(t, c.ID)
		if after.Version != before.Version || len(after.History) != len(before.History) || after.State != before.State ||
			len(w.outbox(t, w.officer, "")) != outbox {
			t.Errorf("a refused step wrote something: version %d→%d, events %d→%d", before.Version, after.Version, len(before.History), len(after.History))
		}
		_, err := w.svc.Create(ctx, w.officer, cases.NewCase{Kind: cases.KindGeneral, BodyID: w.body.ID, Title: "x", Party: cases.Party{Kind: "robot", Name: "x"}})
		wantCode(t, err, errs.Invalid)
		_, err = w.svc.Create(ctx, w.officer, cases.NewCase{Kind: cases.KindGeneral, BodyID: w.body2.ID, Title: "x", Party: person(),
			Lead: &cases.Lead{Source: "complaint", ReceivedOn: "2025-09-01", Summary: "x"}})
		wantCode(t, err, errs.Forbidden)
		_, err = w.svc.Create(ctx, w.officer, cases.NewCase{Common: cases.Common{On: "2025-09-01"}, Kind: cases.KindGeneral, BodyID: w.body.ID, Title: "x", Party: person(),
			Lead: &cases.Lead{Source: "complaint", ReceivedOn: "2025-09-02", Summary: "x"}})
		wantCode(t, err, errs.Invalid)
		_, err = w.svc.AddEvidence(ctx, w.officer, c.ID, key(), cases.EvidenceInput{Title: "x", Kind: "physical"}, "x.exe", bytes.NewReader([]byte("MZ\x90\x00binary")))
		wantCode(t, err, errs.Invalid)
		_, err = w.svc.AddEvidence(ctx, w.officer, c.ID, key(), cases.EvidenceInput{Title: "x", Kind: "physical"}, "big.png", bytes.NewReader(append(pngBytes, make([]byte, 70<<10)...)))
		wantCode(t, err, errs.TooLarge)
	})
}

// TestCodes: generated codes verify; a changed or swapped character does not.
func TestCodes(t *testing.T) {
	t.Parallel()
	db := dbtest.SQLite(t)
	w := newWorld(t, db)
	seen := map[string]bool{}
	for range 20 {
		c := w.lead(t, person())
		if !cases.ValidCode(c.Code) || seen[c.Code] {
			t.Fatalf("code %s invalid or repeated", c.Code)
		}
		seen[c.Code] = true
		b := []byte(c.Code)
		last := len(b) - 2
		orig := b[last]
		b[last] = map[bool]byte{true: 'A', false: 'B'}[orig != 'A']
		if cases.ValidCode(string(b)) {
			t.Errorf("%s with one character changed still verifies", c.Code)
		}
		b[last] = orig
		if b[last] != b[last-1] {
			b[last], b[last-1] = b[last-1], b[last]
			if cases.ValidCode(string(b)) {
				t.Errorf("%s with two characters swapped still verifies", c.Code)
			}
		}
		list, n, err := w.svc.List(ctx, w.officer, cases.Filter{Q: c.Code})
		noErr(t, err)
		if n != 1 || list[0].ID != c.ID {
			t.Errorf("lookup by code: %d", n)
		}
	}
}
