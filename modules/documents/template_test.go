package documents_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"zhifa/modules/documents"
	"zhifa/modules/kernel/errs"
)

// penaltySource returns the platform's penalty decision with old replaced by new.
func penaltySource(t testing.TB, old, new string) string {
	t.Helper()
	src := platformSource(t, documents.TypePenaltyDecision)
	if old != "" && !strings.Contains(src, old) {
		t.Fatalf("the platform template lacks %q", old)
	}
	return strings.Replace(src, old, new, 1)
}

func platformSource(t testing.TB, typ documents.Type) string {
	t.Helper()
	l, _ := documents.Lookup(typ)
	src, ok := documents.PlatformSource(l.Type)
	if !ok {
		t.Fatalf("no platform template for %s", typ)
	}
	return src
}

// TestValidation checks what saving refuses, each with a clear error naming the problem.
func TestValidation(t *testing.T) {
	t.Parallel()
	pen, _ := documents.Lookup(documents.TypePenaltyDecision)
	tight := documents.Limits{Timeout: 300 * time.Millisecond, MaxOutput: 64 << 10, MaxIterations: 10_000}
	cases := []struct {
		name   string
		src    string
		code   errs.Code
		field  string // a field error naming this
		inText string // the message (zh or en) contains this
	}{
		{"platform template", penaltySource(t, "", ""), "", "", ""},
		{"syntax error", penaltySource(t, "{{multiline (clause .facts)}}", "{{multiline .facts"), errs.Invalid, "source", "syntax error on line"},
		{"unclosed range", penaltySource(t, "{{end}}", ""), errs.Invalid, "source", "line"},
		{"missing party address", penaltySource(t, "<p>住所（地址）：{{.party.address}}</p>", ""), errs.FailedPrecondition, "party.address", "地址"},
		{"missing remedies", penaltySource(t, "{{cn_num .remedies.reconsideration_days}}日内向{{.remedies.reconsideration_to}}申请行政复议", "依法申请行政复议"),
			errs.FailedPrecondition, "remedies.reconsideration_days", "60"},
		{"missing seal", penaltySource(t, "{{seal}}", ""), errs.FailedPrecondition, "seal", "seal"},
		{"required item hidden behind if false", penaltySource(t, "<p>当事人：{{.party.name}}</p>", "{{if false}}<p>当事人：{{.party.name}}</p>{{end}}"),
			errs.FailedPrecondition, "party.name", "does not appear"},
		{"unknown field", penaltySource(t, "{{multiline (clause .facts)}}", "{{multiline .fact}}"), errs.Invalid, "source", "unknown field fact"},
		{"forbidden printf", penaltySource(t, "{{multiline (clause .facts)}}", `{{printf "%099999999d" 1}}{{multiline .facts}}`), errs.Invalid, "source", "printf is not allowed"},
		{"forbidden call", penaltySource(t, "{{multiline (clause .facts)}}", `{{call .facts}}{{multiline .facts}}`), errs.Invalid, "source", "call is not allowed"},
		{"undefined function", penaltySource(t, "{{multiline (clause .facts)}}", `{{readFile "/etc/passwd"}}{{multiline .facts}}`), errs.Invalid, "source", "readFile"},
		{"template recursion", `{{define "x"}}{{template "x" .}}{{end}}` + penaltySource(t, "", "") + `{{template "x" .}}`, errs.Invalid, "source", "not allowed"},
		{"block", penaltySource(t, "{{multiline (clause .facts)}}", `{{block "b" .}}{{.facts}}{{end}}`), errs.Invalid, "source", "not allowed"},
		{"range over a number (infinite loop)", penaltySource(t, "{{multiline (clause .facts)}}", `{{range 1000000000}}x{{end}}{{multiline .facts}}`), errs.Invalid, "source", "range may only go over a list"},
		{"range over a variable", penaltySource(t, "{{multiline (clause .facts)}}", `{{$n := 5}}{{range $n}}x{{end}}{{multiline .facts}}`), errs.Invalid, "source", "range may only go over a list"},
		{"range over text", penaltySource(t, "{{multiline (clause .facts)}}", `{{range .facts}}x{{end}}{{multiline .facts}}`), errs.Invalid, "source", "facts is not a list"},
		{"range too deep", penaltySource(t, "{{multiline (clause .facts)}}", `{{range .evidence}}{{range $.evidence}}{{range $.evidence}}{{range $.evidence}}x{{end}}{{end}}{{end}}{{end}}{{multiline .facts}}`), errs.Invalid, "source", "nests at most 3"},
		{"script tag", penaltySource(t, "{{multiline (clause .facts)}}", `<script>alert(1)</script>{{multiline .facts}}`), errs.Invalid, "source", "<script>"},
		{"inline style", penaltySource(t, `<p class="indent">{{multiline (clause .facts)}}。</p>`, `<p style="color:red">{{multiline .facts}}</p>`), errs.Invalid, "source", "style"},
		{"foreign image", penaltySource(t, "{{multiline (clause .facts)}}", `<img src="https://evil.example/x.png">{{multiline .facts}}`), errs.Invalid, "source", "images can only be"},
		{"link", penaltySource(t, "{{multiline (clause .facts)}}", `<a href="https://evil.example/">x</a>{{multiline .facts}}`), errs.Invalid, "source", "<a>"},
		{"unknown class", penaltySource(t, `<p class="indent">{{multiline (clause .facts)}}。</p>`, `<p class="blink">{{multiline .facts}}</p>`), errs.Invalid, "source", "unknown class blink"},
		{"huge output", penaltySource(t, "{{multiline (clause .facts)}}", strings.Repeat("{{multiline .facts}}", 2000)), errs.Invalid, "source", "output exceeds"},
		{"nested loops within the budget", penaltySource(t, "{{multiline (clause .facts)}}",
			`{{range .evidence}}{{range $.evidence}}{{range $.officers}}{{end}}{{end}}{{end}}{{multiline (clause .facts)}}`), "", "", ""},
		{"too large source", strings.Repeat("x", documents.MaxSourceBytes+1), errs.Invalid, "source", "at most"},
		{"empty", "  ", errs.Invalid, "source", "empty"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := documents.Validate(context.Background(), pen, c.src, tight)
			if c.code == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			e := errs.As(err)
			if e.Code != c.code {
				t.Fatalf("error %v (%s), want %s", err, e.Code, c.code)
			}
			if e.Message.ZH == "" || e.Message.EN == "" {
				t.Errorf("message lacks a language: %+v", e.Message)
			}
			found := false
			for _, f := range e.Fields {
				if f.Field == c.field && (strings.Contains(f.Message.EN, c.inText) || strings.Contains(f.Message.ZH, c.inText)) {
					found = true
				}
			}
			if !found {
				t.Errorf("no field %q saying %q in %+v", c.field, c.inText, e.Fields)
			}
		})
	}
}

// TestPlatformSet checks that every type has a platform template that passes validation, and
// that the case engine's document kinds map to types.
func TestPlatformSet(t *testing.T) {
	t.Parallel()
	want := []string{"立案审批表", "现场检查（勘验）笔录", "询问笔录", "先行登记保存通知书", "责令改正通知书", "行政处罚事先告知书", "听证通知书",
		"听证笔录", "法制审核意见书", "行政处罚决定书", "当场行政处罚决定书", "不予行政处罚决定书", "查封（扣押）决定书及清单", "催告书",
		"加处罚款决定书", "送达回证", "电子送达确认书", "结案报告", "案件移送书"}
	names := map[string]bool{}
	for _, ti := range documents.Types() {
		names[ti.Name.ZH] = true
		if _, err := documents.Validate(context.Background(), ti, platformSource(t, ti.Type), documents.DefaultLimits); err != nil {
			t.Errorf("%s: %v", ti.Type, err)
		}
		if len(ti.Required) == 0 {
			t.Errorf("%s declares no required items", ti.Type)
		}
	}
	for _, n := range want {
		if !names[n] {
			t.Errorf("no platform type %s", n)
		}
	}
	for _, k := range []string{"prior_notice", "hearing_notice", "penalty_decision", "not_penalised_decision", "correction_order",
		"freeze_decision", "measure_extension", "measure_release", "demand_notice"} {
		if _, ok := documents.TypeFor(k); !ok {
			t.Errorf("the case engine's kind %s has no type", k)
		}
	}
	if _, ok := documents.TypeFor("nonsense"); ok {
		t.Error("TypeFor accepts an unknown kind")
	}
	pen, _ := documents.Lookup(documents.TypePenaltyDecision)
	refs := map[string]bool{}
	for _, r := range pen.Required {
		refs[r.Ref] = true
	}
	for _, r := range []string{"party.name", "party.address", "facts", "evidence", "penalty.text", "penalty.basis", "payment.how", "payment.deadline",
		"remedies.reconsideration_days", "remedies.litigation_months", "remedies.reconsideration_to", "remedies.court", "body.name", "doc.date_cn", "seal"} {
		if !refs[r] {
			t.Errorf("the penalty decision does not require %s (Art. 59)", r)
		}
	}
}

// TestSealsCoverOnlyTheirSignature lays out every sealed platform template on its sample data:
// the seal lies over the signature block and covers no other line (the receipt's footer, the
// table above it).
func TestSealsCoverOnlyTheirSignature(t *testing.T) {
	t.Parallel()
	for _, ti := range documents.Types() {
		if !ti.Sealed() {
			continue
		}
		overlaps, err := documents.SealOverlapsForTest(context.Background(), ti, platformSource(t, ti.Type), ti.Sample)
		if err != nil {
			t.Fatalf("%s: %v", ti.Type, err)
		}
		if len(overlaps) > 0 {
			t.Errorf("%s: the seal covers %v", ti.Type, overlaps)
		}
	}
}

// TestProofread: each kind of defect a reader would hold up is found, with the template line that
// wrote it; a clean text passes.
func TestProofread(t *testing.T) {
	t.Parallel()
	src := "<p>当事人：{{.party.name}}</p>\n<p>联系人：{{.body.contact}}　地址：{{.body.address}}</p>\n<p>依据{{.penalty.basis}}的规定。</p>"
	cases := []struct {
		name, markup, kind string
		line               int
	}{
		{"clean", `<p>本机关认为，当事人的上述行为违反了《中华人民共和国食品安全法》第三十四条第（十）项的规定。</p><p>联系人：李明辉　联系电话：0598-6322123</p><p>访问 https://zhifa.example.gov.cn/verify/01a251e9-b186-7d29-b864-b0fce4e92f7b 核验。</p>`, "", 0},
		{"full stop then comma", `<p>按法定最低额度拟处罚款。，本机关决定</p>`, "punctuation", 0},
		{"mark then enumeration comma", `<p>现场检查笔录。、询问笔录</p>`, "punctuation", 0},
		{"doubled clause", `<p>当事人应当自收到本决定书之日起十五日内，自收到本决定书之日起十五日内到指定银行缴纳。</p>`, "doubled", 0},
		{"digest", `<p>现场照片，SHA-256 0fc01b849c1b611b</p>`, "hex", 0},
		{"file name", `<p>evidence-photo货架过期牛奶照片.jpg</p>`, "file_name", 0},
		{"template syntax", `<p>当事人：{{.party.name}}</p>`, "template_syntax", 1},
		{"missing value", `<p>当事人：&lt;no value&gt;</p>`, "template_syntax", 1},
		{"raw identifier", `<p>案件类别：penalty_general</p>`, "identifier", 0},
		{"null", `<p>当事人电话：null</p>`, "identifier", 0},
		{"empty field in a line of fields", `<p>联系人：李明辉　地址：</p>`, "empty_field", 2},
		{"empty table field", `<table><tr><th>备注</th><td></td></tr></table>`, "empty_field", 0},
	}
	for _, c := range cases {
		ds, err := documents.Proofread(c.markup, src)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if c.kind == "" {
			if len(ds) > 0 {
				t.Errorf("%s: defects %+v", c.name, ds)
			}
			continue
		}
		if len(ds) == 0 || ds[0].Kind != c.kind || (c.line > 0 && ds[0].Line != c.line) || ds[0].Message.ZH == "" || ds[0].Message.EN == "" {
			t.Errorf("%s: defects %+v, want %s at line %d", c.name, ds, c.kind, c.line)
		}
	}
	// a blank to sign on fills its field; a lead-in ending with a colon is not a field
	ds, err := documents.Proofread(`<p>当事人签名：<u class="blank">　　　</u>　日期：<u class="blank">　　</u></p><p>上述事实，有以下证据证明：</p>`, "")
	if err != nil || len(ds) > 0 {
		t.Errorf("blanks and lead-ins: %v %+v", err, ds)
	}
}
