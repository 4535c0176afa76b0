package sandbox_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"zhifa/modules/documents/internal/sandbox"
	"zhifa/modules/kernel/errs"
)

// FuzzCompile: any source compiles or is refused with an Invalid naming each problem in both
// languages; a compiled program runs on data with long lists within the limits (its output no
// longer than MaxOutput, done within the time limit), or fails with an Invalid saying which
// limit or expression stopped it: never a panic, a 5xx or a run past the limits.
func FuzzCompile(f *testing.F) {
	for _, s := range []string{
		`<p>{{yuan .penalty.fine_fen}}</p>{{multiline .facts}}`,
		`<p>{{yuan_cn .penalty.fine_fen}}{{cn_num .remedies.reconsideration_days}}{{date_cn "2026-01-05"}}</p>`,
		`{{range $i, $e := .evidence}}<p>{{add $i 1}}. {{$e.name}}{{sep $i $.evidence}}</p>{{end}}`,
		`{{range .evidence}}{{range $.evidence}}{{range $.evidence}}{{.name}}{{end}}{{end}}{{end}}`,
		`{{join .penalty.kinds "、"}}{{default "无" .party.uscc}}{{check true}}{{blank 8}}{{clause .facts}}`,
		`{{if gt (len .evidence) 0}}{{index .evidence 0}}{{else}}无{{end}}{{with .party}}{{.uscc}}{{end}}`,
		`{{printf "%099999999d" 1}}`, `{{range 1000000000}}x{{end}}`, `{{define "x"}}{{template "x" .}}{{end}}{{template "x" .}}`,
		`{{$n := .evidence}}{{range $n}}x{{end}}`, `{{(index .evidence 0).name}}`, `{{blank 100000}}`, `{{cn_num 1e300}}`,
		`<script>{{.facts}}</script>`, `<a href="{{.facts}}">x</a>`, `{{slice .facts 2 1}}`, `{{yuan_cn -1}}`,
	} {
		f.Add(s)
	}
	list := make([]any, 60)
	for i := range list {
		list[i] = map[string]any{"name": "现场检查笔录" + strings.Repeat("长", i), "detail": "x"}
	}
	data := map[string]any{"facts": "当事人未取得营业执照从事经营活动。\n次行", "evidence": list,
		"penalty":  map[string]any{"fine_fen": 500000.0, "kinds": []any{"罚款", "没收违法所得"}},
		"remedies": map[string]any{"reconsideration_days": 60.0}, "party": map[string]any{"uscc": "91350426MA2XXXXX0A"}}
	lim := sandbox.Limits{Timeout: 300 * time.Millisecond, MaxOutput: 32 << 10, MaxIterations: 2_000}
	f.Fuzz(func(t *testing.T, src string) {
		p, err := sandbox.Compile("fuzz", testSchema, src)
		if err != nil {
			refused(t, err)
			return
		}
		start := time.Now()
		out, err := p.Execute(context.Background(), data, lim)
		if d := time.Since(start); d > lim.Timeout+2*time.Second {
			t.Fatalf("ran %s, the limit is %s", d, lim.Timeout)
		}
		if err != nil {
			refused(t, err)
			return
		}
		if len(out) > lim.MaxOutput {
			t.Fatalf("%d bytes of output, the limit is %d", len(out), lim.MaxOutput)
		}
	})
}

func refused(t *testing.T, err error) {
	t.Helper()
	e := errs.As(err)
	if e.Code != errs.Invalid || e.Message.ZH == "" || e.Message.EN == "" || len(e.Fields) == 0 || e.Fields[0].Field != "source" {
		t.Fatalf("refused with %v (%+v), want Invalid naming the source in both languages", err, e.Fields)
	}
}
