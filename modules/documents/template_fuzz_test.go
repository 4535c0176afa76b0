package documents_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"zhifa/modules/documents"
	"zhifa/modules/kernel/errs"
)

// fuzzLimits bound the fuzzed templates' executions: small, so that the fuzzer reaches them.
var fuzzLimits = documents.Limits{Timeout: 300 * time.Millisecond, MaxOutput: 64 << 10, MaxIterations: 5_000}

// FuzzValidateTemplate checks a department's template source as saving and publishing do: any
// source is accepted or refused with an Invalid (the template is wrong or unsafe) or a
// FailedPrecondition citing the article whose required items it leaves out, each naming the
// problem in both languages; never a panic or a 5xx, and never running past the limits.
func FuzzValidateTemplate(f *testing.F) {
	types := documents.Types()
	for i, ti := range types {
		src, _ := documents.PlatformSource(ti.Type)
		if i%4 == 0 {
			f.Add(uint8(i), src)
		}
	}
	pen := penaltySource(f, "", "")
	for _, s := range []string{
		strings.Replace(pen, "{{multiline (clause .facts)}}", `{{range .evidence}}{{range $.evidence}}{{range $.officers}}{{end}}{{end}}{{end}}{{multiline (clause .facts)}}`, 1),
		strings.Replace(pen, "{{multiline (clause .facts)}}", `<script>alert(1)</script>{{multiline .facts}}`, 1),
		strings.Replace(pen, "{{multiline (clause .facts)}}", `{{range 1000000000}}x{{end}}`, 1),
		strings.Replace(pen, "{{multiline (clause .facts)}}", strings.Repeat("{{multiline .facts}}", 2000), 1),
		`{{define "x"}}{{template "x" .}}{{end}}{{template "x" .}}`,
		`<p>{{printf "%099999999d" 1}}</p>`,
		`<p>{{index .evidence 99}}</p>`,
		`<p>{{slice .facts 3 1}}</p>`,
	} {
		f.Add(uint8(0), s)
	}
	f.Fuzz(func(t *testing.T, k uint8, src string) {
		ti := types[int(k)%len(types)]
		start := time.Now()
		_, err := documents.Validate(context.Background(), ti, src, fuzzLimits)
		if d := time.Since(start); d > fuzzLimits.Timeout+2*time.Second {
			t.Fatalf("validation took %s, the limit is %s", d, fuzzLimits.Timeout)
		}
		if err == nil {
			return
		}
		e := errs.As(err)
		switch {
		case e.Code == errs.FailedPrecondition && (e.Rule == nil || e.Rule.Article == ""):
			t.Fatalf("a refusal for required items cites no article: %v", err)
		case e.Code != errs.Invalid && e.Code != errs.FailedPrecondition:
			t.Fatalf("refused with %s (%d), want Invalid or FailedPrecondition: %v", e.Code, e.Code.HTTPStatus(), err)
		case e.Message.ZH == "" || e.Message.EN == "" || len(e.Fields) == 0:
			t.Fatalf("refusal without its message in both languages or the field: %+v", e)
		}
	})
}
