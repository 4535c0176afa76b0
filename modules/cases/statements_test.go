package cases_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/modules/cases"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/rules"
)

// document uploads a document of kind to a case on on (as evidence) and returns its ID.
func (w *world) document(t testing.TB, id, on, title, kind string) string {
	t.Helper()
	_, err := w.svc.AddEvidence(ctx, w.officer, id, key(), cases.EvidenceInput{Common: cases.Common{On: elementsDate(on)}, Title: title, Kind: kind},
		title+".pdf", bytes.NewReader([]byte("%PDF-1.4\n"+title+"\n")))
	noErr(t, err)
	evs, err := w.svc.Evidence(ctx, w.officer, id)
	noErr(t, err)
	return evs[len(evs)-1].ID
}

// waive records the party's written waiver (waive_statement or waive_hearing) on on, with the
// signed waiver uploaded first as documentary evidence.
func (w *world) waive(t testing.TB, id string, a cases.Action, on string) {
	t.Helper()
	doc := w.document(t, id, on, "当事人放弃权利的书面声明", "documentary")
	w.act(t, w.officer, id, a, m{"on": on, "evidence_id": doc})
}

// wantField checks that err is Invalid naming field.
func wantField(t testing.TB, err error, field string) {
	t.Helper()
	e := errs.As(err)
	if e.Code != errs.Invalid {
		t.Fatalf("error = %v, want Invalid naming %s", err, field)
	}
	for _, f := range e.Fields {
		if f.Field == field {
			return
		}
	}
	t.Fatalf("error %v names %+v, want %s", err, e.Fields, field)
}

// TestStatementPeriod: no decision before the period the prior notice gives the party to state and
// defend itself has ended (行政处罚法 Art. 44, 45; 5 working days from service by default), across
// the 2025 National Day (the make-up Saturday Oct 11 counts) and the 2026 Spring Festival (the
// make-up Saturday Feb 14 counts, Feb 15-23 do not).
func TestStatementPeriod(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		for _, c := range []struct {
			why, start, notify, decide string
			due                        string
			ok                         bool
		}{
			{"the day of the notice", "2025-09-01", "2025-09-29", "2025-09-29", "2025-10-13", false},
			{"the 4th working day: Sep 30, Oct 9, 10, 11 (make-up Saturday)", "2025-09-01", "2025-09-29", "2025-10-11", "2025-10-13", false},
			{"the 5th working day, the last of the period", "2025-09-01", "2025-09-29", "2025-10-13", "2025-10-13", false},
			{"the 6th working day", "2025-09-01", "2025-09-29", "2025-10-14", "2025-10-13", true},
			{"Spring Festival: the day of the notice", "2026-01-20", "2026-02-12", "2026-02-12", "2026-02-26", false},
			{"Spring Festival: the 4th working day (Feb 13, 14 make-up, 24, 25)", "2026-01-20", "2026-02-12", "2026-02-25", "2026-02-26", false},
			{"Spring Festival: the 5th working day", "2026-01-20", "2026-02-12", "2026-02-26", "2026-02-26", false},
			{"Spring Festival: the 6th working day", "2026-01-20", "2026-02-12", "2026-02-27", "2026-02-26", true},
		} {
			t.Run(c.why, func(t *testing.T) {
				cs := w.from(elementsDate(c.start)).notified(t, person(), 500, c.notify, nil)
				d := w.find(t, cs.ID)
				if n := d.Facts.Notice; n.StatementDue != elementsDate(c.due) || n.StatementDays != 5 {
					t.Fatalf("statement due %s (%d days), want %s (5)", n.StatementDue, n.StatementDays, c.due)
				}
				err := w.try(w.head, cs.ID, cases.ActDecide, decision(c.decide, 500))
				if c.ok {
					noErr(t, err)
					return
				}
				wantRule(t, err, rules.PenaltyStatement, "45")
				if e := errs.As(err); !strings.Contains(e.Message.ZH, "第44条、第45条") || !strings.Contains(e.Message.ZH, c.due) {
					t.Errorf("the refusal does not cite Art. 44, 45 and the end %s: %s", c.due, e.Message.ZH)
				}
			})
		}
	})
}

// TestStatementsAndWaivers: a waiver (of the statement or of the hearing) is a document, not a
// click; a statement is recorded with its document, when it was received, whether it was adopted
// and why; either lets the decision come before the period ends, and the decision states the
// statements and their adoption (当事人陈述申辩意见及采纳情况), or that none was made.
func TestStatementsAndWaivers(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		cs := w.notified(t, person(), 5000, "2025-09-29", nil)
		other := w.notified(t, person(), 500, "2025-09-29", nil)
		photo := w.document(t, cs.ID, "2025-09-29", "现场照片", "audiovisual")
		foreign := w.document(t, other.ID, "2025-09-29", "他案的放弃声明", "documentary")
		for _, c := range []struct {
			why    string
			action cases.Action
			body   m
			field  string
		}{
			{"a one-click statement waiver", cases.ActWaiveStatement, m{"on": "2025-09-29"}, "evidence_id"},
			{"a one-click hearing waiver", cases.ActWaiveHearing, m{"on": "2025-09-29"}, "evidence_id"},
			{"another case's document", cases.ActWaiveStatement, m{"on": "2025-09-29", "evidence_id": foreign}, "evidence_id"},
			{"a photo is no signed waiver", cases.ActWaiveHearing, m{"on": "2025-09-29", "evidence_id": photo}, "evidence_id"},
			{"signed before the notice", cases.ActWaiveStatement, m{"on": "2025-09-29", "evidence_id": foreign, "signed_on": "2025-09-28"}, "signed_on"},
			{"a statement without its document", cases.ActStatement, m{"on": "2025-09-29", "summary": "请求从轻", "reason": "x"}, "evidence_id"},
			{"a statement without why it was (not) adopted", cases.ActStatement, m{"on": "2025-09-29", "summary": "请求从轻", "evidence_id": photo}, "reason"},
			{"received after the step", cases.ActStatement, m{"on": "2025-09-29", "received_on": "2025-09-30", "summary": "x", "reason": "x", "evidence_id": photo}, "received_on"},
		} {
			before := w.events(t, cs.ID)
			wantField(t, w.try(w.officer, cs.ID, c.action, c.body), c.field)
			if w.events(t, cs.ID) != before {
				t.Errorf("%s: a refused step wrote an event", c.why)
			}
		}
		// The hearing waiver with its document lifts the hearing gate, not the statement's.
		w.waive(t, cs.ID, cases.ActWaiveHearing, "2025-09-30")
		if n := w.find(t, cs.ID).Facts.Notice; !n.HearingWaived || n.HearingWaiver == nil || n.HearingWaiver.EvidenceID == "" || n.HearingWaiver.On != "2025-09-30" {
			t.Fatalf("hearing waiver = %+v", n.HearingWaiver)
		}
		wantRule(t, w.try(w.head, cs.ID, cases.ActDecide, decision("2025-10-09", 5000)), rules.PenaltyStatement, "45")
		// A written statement received on Oct 9 lifts it.
		written := w.document(t, cs.ID, "2025-10-09", "当事人陈述申辩书", "statement")
		res := w.act(t, w.officer, cs.ID, cases.ActStatement, m{"on": "2025-10-09", "received_on": "2025-10-09", "summary": "当事人称系初次经营，请求从轻处罚",
			"adopted": false, "reason": "罚款已按裁量基准的下限拟定", "evidence_id": written})
		st := res.Case.Facts.Statements
		if len(st) != 1 || st[0].ReceivedOn != "2025-10-09" || st[0].Accepted || st[0].Reason == "" || st[0].EvidenceID != written {
			t.Fatalf("statements = %+v", st)
		}
		if strings.Contains(string(res.Event.Content), `"accepted"`) || !strings.Contains(string(res.Event.Content), `"adopted":false`) {
			t.Errorf("the record does not say adopted: %s", res.Event.Content)
		}
		res = w.act(t, w.head, cs.ID, cases.ActDecide, decision("2025-10-10", 5000))
		want := "当事人于2025年10月9日提出陈述、申辩：当事人称系初次经营，请求从轻处罚。经复核，不予采纳，理由：罚款已按裁量基准的下限拟定。"
		if got := res.Case.Facts.Decision.StatementOpinion; got != want {
			t.Errorf("statement opinion = %q, want %q", got, want)
		}

		// A written statement waiver: the decision states it.
		w.waive(t, other.ID, cases.ActWaiveStatement, "2025-09-30")
		res = w.act(t, w.head, other.ID, cases.ActDecide, decision("2025-09-30", 500))
		if got := res.Case.Facts.Decision.StatementOpinion; got != "当事人于2025年9月30日书面放弃陈述、申辩权利。" {
			t.Errorf("statement opinion after a waiver = %q", got)
		}
		// None within the period: the decision says so.
		silent := w.notified(t, person(), 500, "2025-09-29", nil)
		res = w.act(t, w.head, silent.ID, cases.ActDecide, decision("2025-10-14", 500))
		if got := res.Case.Facts.Decision.StatementOpinion; got != "当事人在陈述、申辩期限内（至2025年10月13日）未提出陈述、申辩。" {
			t.Errorf("statement opinion without statements = %q", got)
		}
	})
}

// TestStatementRefusalNamesTheNotice: with the documents module, the refusal names the prior
// notice's number.
func TestStatementRefusalNamesTheNotice(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWired(t, db)
		c := w.notified(t, person(), 500, "2025-09-30", nil)
		notice := ref(t, w.find(t, c.ID), "prior_notice")
		if notice.Kind != "prior_notice" || notice.Number == "" {
			t.Fatalf("notice = %+v", notice)
		}
		err := w.try(w.head, c.ID, cases.ActDecide, m{"on": "2025-09-30", "penalty": fine(500), "facts": "x", "payment_how": "到指定银行缴纳"})
		wantRule(t, err, rules.PenaltyStatement, "45")
		if e := errs.As(err); !strings.Contains(e.Message.ZH, notice.Number) || !strings.Contains(e.Message.EN, notice.Number) {
			t.Errorf("the refusal does not name the notice %s: %+v", notice.Number, e.Message)
		}
		d := w.find(t, c.ID)
		if na := next(t, d, cases.ActDecide); na.Blocked == nil || na.Blocked.Rule.ID != rules.PenaltyStatement {
			t.Errorf("decide is not shown blocked by the statement period: %+v", na.Blocked)
		}
		if dl := deadline(t, d, rules.PenaltyStatement); dl.Due != "2025-10-14" || !dl.PartyDeadline || dl.Article != 45 {
			t.Errorf("statement deadline = %+v", dl)
		}
	})
}
