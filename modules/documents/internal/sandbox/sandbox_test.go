package sandbox_test

import (
	"context"
	"runtime"
	"strings"
	"testing"
	"time"

	"zhifa/modules/documents/internal/sandbox"
	"zhifa/modules/kernel/errs"
)

// paths is a schema listing its declared paths; the values say which are lists.
type paths map[string]bool

func (p paths) Lookup(path string) (list, ok bool) {
	list, ok = p[path]
	return list, ok
}

var testSchema = paths{
	"facts": false, "evidence": true, "evidence[]": false, "evidence[].name": false, "evidence[].detail": false,
	"penalty": false, "penalty.fine_fen": false, "penalty.kinds": true, "penalty.kinds[]": false,
	"remedies": false, "remedies.reconsideration_days": false, "party": false, "party.uscc": false,
}

func compile(t *testing.T, src string) *sandbox.Program {
	t.Helper()
	p, err := sandbox.Compile(t.Name(), testSchema, src)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	return p
}

// TestHelpers checks the helper functions through templates.
func TestHelpers(t *testing.T) {
	t.Parallel()
	data := map[string]any{"facts": "事实", "penalty": map[string]any{"fine_fen": 500000.0, "kinds": []any{"罚款"}},
		"remedies": map[string]any{"reconsideration_days": 60.0}, "party": map[string]any{"uscc": ""}}
	cases := []struct{ expr, want string }{
		{`{{yuan .penalty.fine_fen}}`, "5,000.00"},
		{`{{yuan_cn .penalty.fine_fen}}`, "伍仟元整"},
		{`{{yuan_cn 1260000}}`, "壹万贰仟陆佰元整"},
		{`{{yuan_cn 10000150}}`, "壹拾万零壹元伍角"},
		{`{{yuan_cn 20005}}`, "贰佰元零伍分"},
		{`{{cn_num .remedies.reconsideration_days}}`, "六十"},
		{`{{cn_num 15}}`, "十五"},
		{`{{cn_num 105}}`, "一百零五"},
		{`{{date_cn "2026-01-05"}}`, "2026年1月5日"},
		{`{{join .penalty.kinds "、"}}`, "罚款"},
		{`{{default "无" .party.uscc}}`, "无"},
		{`{{check true}}{{check false}}`, "■□"},
		{`{{add 1 2}}`, "3"},
		{`{{clause "当事人称系初次经营。"}}`, "当事人称系初次经营"},
	}
	for _, c := range cases {
		p := compile(t, "<p>"+c.expr+"</p>{{multiline .facts}}")
		out, err := p.Execute(context.Background(), data, sandbox.DefaultLimits)
		if err != nil {
			t.Fatalf("%s: %v", c.expr, err)
		}
		if !strings.Contains(out, "<p>"+c.want+"</p>") {
			t.Errorf("%s: %s, want %s", c.expr, out, c.want)
		}
	}
}

// TestRefusals checks what the static checks refuse before a template is stored, naming it.
func TestRefusals(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, src, want string }{
		{"unknown field", "{{.fact}}", "unknown field fact"},
		{"printf", `{{printf "%099999999d" 1}}`, "printf is not allowed"},
		{"range over a number", `{{range 1000000000}}x{{end}}`, "range may only go over a list"},
		{"range over text", `{{range .facts}}x{{end}}`, "facts is not a list"},
		{"too deep", `{{range .evidence}}{{range $.evidence}}{{range $.evidence}}{{range $.evidence}}x{{end}}{{end}}{{end}}{{end}}`, "nests at most 3"},
		{"define", `{{define "x"}}{{template "x" .}}{{end}}{{template "x" .}}`, "not allowed"},
	}
	for _, c := range cases {
		_, err := sandbox.Compile(t.Name(), testSchema, c.src)
		e := errs.As(err)
		if e.Code != errs.Invalid || len(e.Fields) == 0 || !strings.Contains(e.Fields[0].Message.EN, c.want) || e.Fields[0].Message.ZH == "" {
			t.Errorf("%s: %v, want Invalid naming %q in both languages", c.name, err, c.want)
		}
	}
}

// TestRunawayTemplates runs templates that pass the static checks but would run for ever on
// large data: the loop budget or the deadline stops them, with a clear error, and no goroutine
// is left behind.
func TestRunawayTemplates(t *testing.T) {
	big := make([]any, 2000)
	for i := range big {
		big[i] = map[string]any{"name": "证据", "detail": "x"}
	}
	data := map[string]any{"facts": "事实", "evidence": big}
	p := compile(t, `{{range .evidence}}{{range $.evidence}}{{range $.evidence}}{{end}}{{end}}{{end}}{{multiline .facts}}`)
	before := runtime.NumGoroutine()
	cases := []struct {
		name string
		lim  sandbox.Limits
		want string
	}{
		{"loop budget", sandbox.Limits{Timeout: 10 * time.Second, MaxOutput: 1 << 20, MaxIterations: 100_000}, "loops ran more than 100000"},
		{"deadline", sandbox.Limits{Timeout: 50 * time.Millisecond, MaxOutput: 1 << 20, MaxIterations: 1 << 62}, "longer than 50ms"},
	}
	for _, c := range cases {
		start := time.Now()
		_, err := p.Execute(context.Background(), data, c.lim)
		if e := errs.As(err); e.Code != errs.Invalid || !strings.Contains(e.Message.EN, c.want) {
			t.Errorf("%s: %v, want Invalid with %q", c.name, err, c.want)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s: stopped after %s", c.name, d)
		}
	}
	// the execution goroutine checks the same deadline and ends by itself
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines after the runaway templates, %d before", n, before)
	}
	big = make([]any, 20_000)
	for i := range big {
		big[i] = map[string]any{"name": strings.Repeat("长", 10), "detail": ""}
	}
	p = compile(t, `{{range .evidence}}<p>{{.name}}</p>{{end}}{{multiline .facts}}`)
	_, err := p.Execute(context.Background(), map[string]any{"facts": "事实", "evidence": big},
		sandbox.Limits{Timeout: 10 * time.Second, MaxOutput: 256 << 10, MaxIterations: 1 << 30})
	if e := errs.As(err); e.Code != errs.Invalid || !strings.Contains(e.Message.EN, "output exceeds") {
		t.Errorf("huge output: %v", err)
	}
}
