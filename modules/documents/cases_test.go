package documents_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/modules/cases"
	"zhifa/modules/documents"
	"zhifa/modules/rules"
)

// decisionData builds the data of a penalty decision from a decided case, as the case engine's
// CaseSource will: the party, the facts, the penalty and the payment terms of the decision, the
// remedies with the statutory periods of the rules catalogue.
func decisionData(t testing.TB, d *cases.Detail) map[string]any {
	t.Helper()
	f := d.Facts
	dec := f.Decision
	if dec == nil {
		t.Fatal("the case has no decision")
	}
	recon, _ := rules.Lookup(rules.RemedyReconsideration)
	lit, _ := rules.Lookup(rules.RemedyLitigation)
	capital := map[int64]string{500000: "伍仟元整"}[dec.Penalty.FineFen]
	var evidence []any
	for _, e := range d.History {
		switch e.Action {
		case cases.ActInvestigate:
			evidence = append(evidence, map[string]any{"name": "现场检查笔录（" + string(e.OnDate) + "）", "detail": "证明当事人的经营活动"})
		case cases.ActReport:
			evidence = append(evidence, map[string]any{"name": "调查终结报告（" + string(e.OnDate) + "）", "detail": f.Report.Facts})
		}
	}
	return map[string]any{
		"party": map[string]any{"kind": string(f.Party.Kind), "name": f.Party.Name, "uscc": f.Party.USCC, "id_number": f.Party.IDNumber,
			"address": f.Party.Address, "phone": f.Party.Phone},
		"case":     map[string]any{"title": d.Title, "filed_on": string(f.FiledOn)},
		"facts":    dec.Facts,
		"evidence": evidence,
		"violated": "《无证无照经营查处办法》第二条",
		"penalty": map[string]any{"text": "罚款人民币" + capital, "kinds": []any{"罚款"}, "fine_fen": dec.Penalty.FineFen,
			"fine_text": capital, "basis": dec.Penalty.Basis},
		"payment":  map[string]any{"how": dec.PaymentHow, "deadline": "自收到本决定书之日起十五日内", "within_days": 15},
		"remedies": map[string]any{"reconsideration_days": recon.Amount, "reconsideration_to": "尤溪县人民政府", "litigation_months": lit.Amount, "court": "尤溪县人民法院"},
	}
}

func mustType(t testing.TB, typ documents.Type) *documents.TypeInfo {
	t.Helper()
	ti, ok := documents.Lookup(typ)
	if !ok {
		t.Fatalf("no type %s", typ)
	}
	return ti
}

// TestIssueFromARealCase walks a case of the case engine to its decision, builds the decision's
// data from cases.Service.Find, and issues the decision with it.
func TestIssueFromARealCase(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		w.casesNow.Store(time.Date(2025, 10, 20, 2, 0, 0, 0, time.UTC))
		id := w.caseA.ID
		step := func(sc string, a cases.Action, body map[string]any) {
			t.Helper()
			scope := w.officer
			if sc == "head" {
				scope = w.head
			}
			if _, err := w.cases.Act(ctx, scope, id, a, uuid.NewString(), body); err != nil {
				t.Fatalf("%s: %v", a, err)
			}
		}
		step("officer", cases.ActVerify, map[string]any{"on": "2025-09-02", "findings": "举报属实"})
		step("head", cases.ActFile, map[string]any{"on": "2025-09-03"})
		step("officer", cases.ActInvestigate, map[string]any{"on": "2025-09-05", "officer_ids": w.teamA, "record": "现场检查",
			"location": map[string]any{"lat": 26.17, "lng": 118.18, "accuracy_m": 8}})
		step("officer", cases.ActReport, map[string]any{"on": "2025-09-15", "facts": "当事人未取得营业执照从事食品零售经营活动"})
		fine := map[string]any{"types": []string{"fine"}, "fine_fen": 500000, "basis": "《无证无照经营查处办法》第十三条"}
		step("officer", cases.ActPropose, map[string]any{"on": "2025-09-16", "penalty": fine, "outside_reason": "本事项尚无裁量基准"})
		step("officer", cases.ActNotify, map[string]any{"on": "2025-09-30", "method": "direct"})
		step("head", cases.ActDecide, map[string]any{"on": "2025-10-20", "number": "待文书系统编号", "penalty": fine,
			"facts": "经查，当事人自2025年8月起未取得营业执照从事食品零售经营活动。", "payment_how": "通过福建省非税收入缴款平台缴纳"})
		d, err := w.cases.Find(ctx, w.officer, id)
		noErr(t, err)
		if d.State != cases.StateDecided {
			t.Fatalf("state %s", d.State)
		}
		data := decisionData(t, d)
		doc, err := w.svc.Issue(ctx, db, w.head, documents.IssueRequest{CaseID: id, Type: documents.TypePenaltyDecision, Data: data})
		noErr(t, err)
		text := pdfText(t, doc.PDF)
		for _, s := range []string{"行政处罚决定书", partyName, doc.Number, "经查，当事人自2025年8月起未取得营业执照从事食品零售经营活动。",
			"《无证无照经营查处办法》第十三条", "罚款人民币伍仟元整", "通过福建省非税收入缴款平台缴纳", "六十日", "六个月", d.Code} {
			if !strings.Contains(text, strings.Join(strings.Fields(s), "")) {
				t.Errorf("pdftotext lacks %q", s)
			}
		}
		var snap map[string]any
		noErr(t, json.Unmarshal([]byte(doc.Data), &snap))
		if p := snap["party"].(map[string]any); p["name"] != partyName || p["uscc"] != d.Facts.Party.USCC {
			t.Errorf("snapshot party %v", p)
		}
		v, err := w.svc.VerifyPDF(ctx, "", doc.PDF)
		noErr(t, err)
		if !v.Valid {
			t.Errorf("verdict %+v", v)
		}
	})
}
