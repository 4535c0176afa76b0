package documents_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"zhifa/app/dbtest"
	"zhifa/modules/documents"
)

// realisticDecision is the data of a 行政处罚决定书 of ordinary length: two pages, six pieces of
// evidence, the party's statement, a fine with its payment terms and the remedies.
func realisticDecision(t testing.TB) (*documents.TypeInfo, string, map[string]any) {
	ti := mustType(t, documents.TypePenaltyDecision)
	src, _ := documents.PlatformSource(ti.Type)
	facts := strings.Repeat("经查，当事人自2025年10月起在尤溪县城关镇水东路88号从事预包装食品零售经营活动，至案发时未取得营业执照。"+
		"执法人员现场检查时，当事人经营场所内陈列饼干、饮料、方便面等预包装食品共计四十三个品种，货值金额人民币12,600元，违法所得人民币1,860元。", 2)
	var evidence []any
	for _, e := range []string{"现场检查笔录", "询问笔录", "现场照片十二张", "进货单据复印件", "销售记录", "当事人身份证复印件"} {
		evidence = append(evidence, map[string]any{"name": e, "detail": "证明当事人无照从事食品经营活动的事实"})
	}
	data := documents.Merge(ti.Sample, map[string]any{
		"party": map[string]any{"kind": "organisation", "name": "尤溪县某某商贸有限公司", "uscc": "91350426MA2Y8K3L0P", "legal_rep": "王某某",
			"address": "福建省三明市尤溪县城关镇水东路88号"},
		"facts": facts, "evidence": evidence,
	})
	return ti, src, data
}

// BenchmarkRenderPenaltyDecision measures PDF rendering of a realistic penalty decision on one
// core: the template execution, the layout, the subset fonts, the seal and the QR code.
func BenchmarkRenderPenaltyDecision(b *testing.B) {
	ti, src, data := realisticDecision(b)
	pdf, err := documents.RenderPDFForTest(ctx, ti, src, data)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(pdf)))
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		if _, err := documents.RenderPDFForTest(ctx, ti, src, data); err != nil {
			b.Fatal(err)
		}
	}
	el := time.Since(start)
	b.ReportMetric(float64(el.Microseconds())/1000/float64(b.N), "ms/doc")
	b.ReportMetric(float64(b.N)/el.Seconds(), "docs/s")
}

// BenchmarkRenderPenaltyDecisionParallel is the same on every core (GOMAXPROCS goroutines).
func BenchmarkRenderPenaltyDecisionParallel(b *testing.B) {
	ti, src, data := realisticDecision(b)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := documents.RenderPDFForTest(ctx, ti, src, data); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "docs/s")
}

// BenchmarkIssuePenaltyDecision measures a whole issue on SQLite: the data, the number, the
// PDF, the SM2 signature and the row.
func BenchmarkIssuePenaltyDecision(b *testing.B) {
	w := newWorld(b, dbtest.SQLite(b))
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		w.issue(b, w.officer, w.caseA)
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "docs/s")
}

// TestRealisticDecision checks the benchmark's document: two pages whose text comes back out.
func TestRealisticDecision(t *testing.T) {
	t.Parallel()
	ti, src, data := realisticDecision(t)
	pdf, err := documents.RenderPDFForTest(ctx, ti, src, data)
	noErr(t, err)
	again, err := documents.RenderPDFForTest(ctx, ti, src, data)
	noErr(t, err)
	if !bytes.Equal(pdf, again) {
		t.Error("rendering is not deterministic")
	}
	text := pdfText(t, pdf)
	for _, s := range []string{"行政处罚决定书", "尤溪县某某商贸有限公司", "91350426MA2Y8K3L0P", "当事人身份证复印件", "第2页/共2页"} {
		if !strings.Contains(text, s) {
			t.Errorf("lacks %q", s)
		}
	}
}
