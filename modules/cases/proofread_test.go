package cases_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/app/testenv"
	"zhifa/modules/cases"
	"zhifa/modules/documents"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// TestEveryDocumentReadsAsLegalText issues every platform document type from cases whose steps
// fill it, and from a case that has only been registered, and reads each PDF back as a party
// would: an issued document passed proofreading (no marks run together, no doubled clause, no
// digest, file name, template syntax or identifier, no empty field), states what its step
// recorded, keeps its last paragraph on the page of its seal (no page with the footer alone),
// breaks the verification address only after a "/"; a case that cannot fill a type is refused
// for the missing items, never issued with broken text.
func TestEveryDocumentReadsAsLegalText(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWired(t, db)
		full := w.populated(t)
		minimal := w.lead(t, person())

		issue := func(caseID string, typ documents.Type) (*documents.Document, error) {
			var doc *documents.Document
			err := tenants.RunInTx(ctx, db, w.officer, func(ctx context.Context, tx bun.Tx) error {
				var err error
				doc, err = w.docs.Issue(ctx, tx, w.officer, documents.IssueRequest{CaseID: caseID, Type: typ})
				return err
			})
			return doc, err
		}
		for _, ti := range documents.Types() {
			t.Run(string(ti.Type), func(t *testing.T) {
				// the minimal case: refused for what it lacks, or issued clean
				if _, err := issue(minimal.ID, ti.Type); err != nil {
					if e := errs.As(err); e.Code != errs.FailedPrecondition || e.Rule == nil || e.Rule.ID != "documents.required_items" || len(e.Fields) == 0 {
						t.Errorf("from a registered case: %v (rule %+v)", err, e.Rule)
					}
				}
				id, ok := full[ti.Type]
				if !ok { // filled by the payments or portal module, with data of their own
					return
				}
				doc, err := issue(id, ti.Type)
				if err != nil {
					t.Fatalf("from a case that fills it: %v %+v", err, errs.As(err).Fields)
				}
				pages := pdfPages(t, doc.PDF)
				text := strings.Join(pages, "\n")
				if !strings.Contains(text, ti.Name.ZH) && !strings.Contains(text, strings.ReplaceAll(ti.Name.ZH, "及清单", "")) {
					t.Errorf("the PDF does not name itself %s:\n%s", ti.Name.ZH, text)
				}
				if doc.Number != "" && !strings.Contains(text, doc.Number) {
					t.Errorf("the PDF lacks its number %s", doc.Number)
				}
				if last := pages[len(pages)-1]; ti.Sealed() && len(withoutFooter(last, w.body.Name)) < 2 {
					t.Errorf("the last page (%d of %d) carries only the seal and the footer:\n%s", len(pages), len(pages), last)
				}
				if ti.Sealed() && strings.Contains(text, "核验") {
					unbroken := strings.ReplaceAll(strings.Join(strings.Fields(strings.ReplaceAll(text, "/\n", "/")), ""), "\n", "")
					if !strings.Contains(unbroken, "https://zhifa.example.gov.cn/verify/"+doc.ID) {
						t.Errorf("the verification address is broken elsewhere than after a /:\n%s", text)
					}
				}
				for _, want := range wantIn[ti.Type] {
					if !strings.Contains(strings.Join(strings.Fields(text), ""), want) {
						t.Errorf("the %s lacks %q:\n%s", ti.Name.ZH, want, text)
					}
				}
			})
		}
	})
}

// wantIn is what a reader finds in each document of the populated cases.
var wantIn = map[documents.Type][]string{
	documents.TypeCaseFiling:         {"群众举报无照经营", "同意立案"},
	documents.TypeInspectionRecord:   {"现场检查笔录", "执法人员1（执法证号：闽A00000001）"},
	documents.TypePreservationNotice: {"货架上的预包装食品12箱", "《中华人民共和国行政处罚法》第五十六条"},
	documents.TypePriorNotice:        {"违反了《无证无照经营查处办法》第二条的规定", "五个工作日内", "地址：A县城关镇人民路1号"},
	documents.TypeHearingNotice:      {"2025年10月24日", "听证室"},
	documents.TypeHearingRecord:      {"当事人提出申辩"},
	documents.TypeLegalReview:        {"事实清楚，证据确凿"},
	documents.TypePenaltyDecision: {"1．现场检查（勘验）笔录（勘验笔录、现场笔录，2025年9月5日取得）", "现场照片（视听资料，2025年9月6日取得）",
		"当事人陈述申辩意见及采纳情况：当事人于2025年10月9日提出陈述、申辩：当事人称经营时间短，请求从轻处罚。经复核，不予采纳，理由：当事人无证经营已逾一年，不属于从轻情形。",
		"依据《无证无照经营查处办法》第十三条第一款的规定"},
	documents.TypeSummaryDecision:  {"尤溪县城关镇紫阳大道", "违反了《无证无照经营查处办法》第二条的规定"},
	documents.TypeNotPenalised:     {"初次违法"},
	documents.TypeCorrectionOrder:  {"2025年10月30日前改正"},
	documents.TypeSeizureDecision:  {"假冒商品200件"},
	documents.TypeMeasureExtension: {"延长三十日"},
	documents.TypeMeasureRelease:   {"经检验合格"},
	documents.TypeFreezeDecision:   {"人民币伍万元整"},
	documents.TypeDemandNotice:     {"A县市场监督管理局罚〔2025〕9号", "2025年11月10日前"},
	documents.TypeDeliveryReceipt:  {"直接送达"},
	documents.TypeClosingReport:    {"罚款人民币伍仟元整"},
	documents.TypeCaseTransfer:     {"尤溪县公安局"},
}

// withoutFooter is the lines of a page's text other than the verification footer, the page
// number and the signature (the body's name, the date).
func withoutFooter(page, body string) []string {
	var keep []string
	for _, l := range strings.Split(page, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.Contains(l, "案件编码") || strings.Contains(l, "核验") || strings.Contains(l, "/verify") || strings.HasSuffix(l, body) ||
			strings.HasPrefix(l, "第") && strings.HasSuffix(l, "页") || strings.HasSuffix(l, "日") && strings.HasPrefix(l, "20") || len(l) == 36 {
			continue
		}
		keep = append(keep, l)
	}
	return keep
}

// pdfPages reads a PDF's text page by page with pdftotext (poppler-utils).
func pdfPages(t testing.TB, pdf []byte) []string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "doc.pdf")
	noErr(t, os.WriteFile(f, pdf, 0o600))
	out, err := exec.Command(testenv.Tool(t, "pdftotext"), "-enc", "UTF-8", f, "-").Output()
	noErr(t, err)
	pages := strings.Split(strings.TrimRight(string(out), "\f\n"), "\f")
	if len(pages) == 0 || strings.TrimSpace(pages[0]) == "" {
		t.Fatalf("pdftotext read nothing")
	}
	return pages
}

// populated walks cases through the steps that fill every platform document type and returns,
// for each type, the case to issue it from.
func (w *wired) populated(t testing.TB) map[documents.Type]string {
	t.Helper()
	w.clock.Set("2025-11-20")
	out := map[documents.Type]string{}
	use := func(id string, ts ...documents.Type) {
		for _, typ := range ts {
			out[typ] = id
		}
	}

	// A general-procedure case: evidence preserved and uploaded, a statement, a hearing, legal
	// review, the decision served, paid and closed.
	p := w.filed(t, person(), nil)
	w.act(t, w.officer, p.ID, cases.ActInvestigate, m{"on": "2025-09-05", "officer_ids": []string{w.o1.ID, w.o2.ID}, "record": "现场检查笔录",
		"location": m{"lat": 26.17, "lng": 118.18, "accuracy_m": 12}})
	w.act(t, w.officer, p.ID, cases.ActPreserve, m{"on": "2025-09-05", "officer_ids": []string{w.o1.ID, w.o2.ID}, "record": "先行登记保存",
		"items": "货架上的预包装食品12箱"})
	_, err := w.svc.AddEvidence(ctx, w.officer, p.ID, key(), cases.EvidenceInput{Common: cases.Common{On: "2025-09-06"}, Title: "现场照片", Kind: "audiovisual"},
		"IMG_0001.png", bytes.NewReader(pngBytes))
	noErr(t, err)
	w.act(t, w.officer, p.ID, cases.ActReport, m{"on": "2025-09-15", "facts": "经查，当事人未取得营业执照从事食品零售经营活动。", "evidence": "现场照片、询问笔录"})
	w.act(t, w.officer, p.ID, cases.ActPropose, m{"on": "2025-09-16", "penalty": fine(5000), "outside_reason": "本事项尚无裁量基准"})
	w.act(t, w.officer, p.ID, cases.ActNotify, m{"on": "2025-09-30", "method": "direct"})
	w.consent(t, p.ID, "2025-09-30")
	w.act(t, w.officer, p.ID, cases.ActStatement, m{"on": "2025-10-09", "summary": "当事人称经营时间短，请求从轻处罚。", "adopted": false,
		"reason": "当事人无证经营已逾一年，不属于从轻情形。", "evidence_id": w.document(t, p.ID, "2025-10-09", "当事人陈述申辩书", "statement")})
	w.act(t, w.officer, p.ID, cases.ActRequestHearing, m{"on": "2025-10-09"})
	w.act(t, w.officer, p.ID, cases.ActScheduleHearing, m{"on": "2025-10-09", "hearing_on": "2025-10-24", "presider_id": w.o3.ID, "place": "听证室"})
	w.act(t, w.officer, p.ID, cases.ActHoldHearing, m{"on": "2025-10-24", "summary": "当事人提出申辩"})
	w.act(t, w.officer, p.ID, cases.ActSubmitReview, m{"on": "2025-10-27"})
	w.act(t, w.reviewer, p.ID, cases.ActPassReview, m{"on": "2025-10-27", "reason": "事实清楚，证据确凿，程序合法，适用依据正确。"})
	w.act(t, w.head, p.ID, cases.ActDecide, m{"on": "2025-10-27", "penalty": fine(5000), "facts": "经查，当事人未取得营业执照从事食品零售经营活动。"})
	w.act(t, w.officer, p.ID, cases.ActServe, m{"on": "2025-10-28", "method": "direct"})
	w.act(t, w.officer, p.ID, cases.ActPay, m{"on": "2025-10-29", "amount_fen": 500000, "receipt": "缴款书001"})
	w.act(t, w.officer, p.ID, cases.ActClose, m{"on": "2025-10-30", "reason": "已缴清罚款"})
	use(p.ID, documents.TypeCaseFiling, documents.TypeInspectionRecord, documents.TypePreservationNotice, documents.TypePriorNotice,
		documents.TypeHearingNotice, documents.TypeHearingRecord, documents.TypeLegalReview, documents.TypePenaltyDecision,
		documents.TypeDeliveryReceipt, documents.TypeEDeliveryConsent, documents.TypeClosingReport)

	n := w.notified(t, person(), 100, "2025-09-30", nil)
	w.act(t, w.head, n.ID, cases.ActNotPenalise, m{"on": "2025-10-27", "ground": "first_violation", "education": "已批评教育", "reason": "初次违法，危害后果轻微并及时改正"})
	use(n.ID, documents.TypeNotPenalised)

	s := w.summary(t, person())
	w.act(t, w.officer, s, cases.ActDecideOnSite, m{"on": "2025-10-27", "penalty": fine(150), "facts": "占道经营", "notice_given": true, "place": "尤溪县城关镇紫阳大道"})
	use(s, documents.TypeSummaryDecision)

	mid := w.measure(t, cases.MeasureSeize, "2025-10-27")
	w.act(t, w.head, mid, cases.ActApprove, m{"on": "2025-10-27", "reason": "证据可能灭失"})
	w.act(t, w.officer, mid, cases.ActTake, m{"on": "2025-10-27", "officer_ids": []string{w.o1.ID, w.o2.ID}, "record": "扣押现场笔录"})
	w.act(t, w.head, mid, cases.ActExtendTerm, m{"on": "2025-10-27", "days": 30, "reason": "需检验检测"})
	w.act(t, w.officer, mid, cases.ActRelease, m{"on": "2025-10-28", "reason": "经检验合格"})
	use(mid, documents.TypeSeizureDecision, documents.TypeMeasureExtension, documents.TypeMeasureRelease)

	fid := w.measure(t, cases.MeasureFreeze, "2025-10-27")
	w.act(t, w.head, fid, cases.ActApprove, m{"on": "2025-10-27", "reason": "防止转移"})
	w.act(t, w.officer, fid, cases.ActTake, m{"on": "2025-10-27", "officer_ids": []string{w.o1.ID, w.o2.ID}, "record": "冻结"})
	use(fid, documents.TypeFreezeDecision)

	res, err := w.svc.Create(ctx, w.officer, cases.NewCase{Common: cases.Common{On: "2025-10-27"}, Kind: cases.KindEnforcement, BodyID: w.body.ID,
		Title: "强制执行", Party: person(), OfficerIDs: []string{w.o1.ID, w.o2.ID}, IdempotencyKey: key(),
		Enforcement: &cases.NewEnforcement{DecisionRef: "A县市场监督管理局罚〔2025〕9号", PrincipalFen: 500000, PayDue: "2025-10-10"}})
	noErr(t, err)
	w.act(t, w.officer, res.Case.ID, cases.ActDemand, m{"on": "2025-10-27", "perform_by": "2025-11-10", "method": "direct"})
	w.act(t, w.officer, res.Case.ID, cases.ActAssessSurcharge, m{"on": "2025-11-11"})
	use(res.Case.ID, documents.TypeDemandNotice, documents.TypeSurchargeDecision)

	res, err = w.svc.Create(ctx, w.officer, cases.NewCase{Common: cases.Common{On: "2025-10-20"}, Kind: cases.KindInspection, BodyID: w.body.ID,
		Title: "日常检查", Party: organisation(), OfficerIDs: []string{w.o1.ID, w.o2.ID}, Inspection: &cases.NewInspection{Basis: "random"}, IdempotencyKey: key()})
	noErr(t, err)
	w.act(t, w.officer, res.Case.ID, cases.ActInspect, m{"on": "2025-10-20", "officer_ids": []string{w.o1.ID, w.o2.ID}, "record": "检查记录"})
	w.act(t, w.officer, res.Case.ID, cases.ActConclude, m{"on": "2025-10-20", "outcome": "correction_ordered", "findings": "从业人员健康证明过期",
		"correct_by": "2025-10-30", "violated": "《中华人民共和国食品安全法》第四十五条第一款"})
	use(res.Case.ID, documents.TypeCorrectionOrder)

	tr := w.filed(t, organisation(), nil)
	w.act(t, w.head, tr.ID, cases.ActTransfer, m{"on": "2025-09-05", "target": "criminal", "to": "尤溪县公安局", "reason": "涉嫌生产销售伪劣产品罪"})
	use(tr.ID, documents.TypeCaseTransfer)
	return out
}
