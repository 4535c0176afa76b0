package typeset_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"zhifa/modules/documents/internal/typeset"
)

// TestParse checks what document markup accepts and what it refuses, with the reason in both
// languages.
func TestParse(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, src, want string }{
		{"paragraphs", `<h1 class="title">行政处罚决定书</h1><p class="indent">当事人：王小明</p>`, ""},
		{"script", `<script>alert(1)</script>`, "<script>"},
		{"inline style", `<p style="color:red">x</p>`, "style"},
		{"foreign image", `<img src="https://evil.example/x.png">`, "images can only be"},
		{"link", `<a href="https://evil.example/">x</a>`, "<a>"},
		{"unknown class", `<p class="blink">x</p>`, "unknown class blink"},
		{"block in inline", `<p><div>x</div></p>`, "cannot go inside"},
	}
	for _, c := range cases {
		tree, err := typeset.Parse(c.src)
		var me *typeset.Error
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: refused: %v", c.name, err)
		case c.want == "":
			if got := typeset.PlainText(tree); got != "行政处罚决定书 当事人：王小明" {
				t.Errorf("%s: text %q", c.name, got)
			}
		case !errors.As(err, &me) || !strings.Contains(me.EN, c.want) || me.ZH == "":
			t.Errorf("%s: %v, want a refusal naming %q in both languages", c.name, err, c.want)
		}
	}
}

// TestPDF checks that a document's PDF depends only on its inputs and draws its text, and that
// a seal over its own signature block covers nothing else.
func TestPDF(t *testing.T) {
	t.Parallel()
	tree, err := typeset.Parse(`<h1 class="title">行政处罚决定书</h1><p class="number">尤市监罚〔2026〕3号</p>` +
		`<p class="indent">当事人王小明无照经营，罚款人民币伍仟元整。</p><div class="signature"><p>尤溪县市场监督管理局</p>` +
		`<p>2026年1月26日</p><img src="zhifa:seal" class="seal"></div><img src="zhifa:qr" class="qr">`)
	if err != nil {
		t.Fatal(err)
	}
	a, err := typeset.NewAssets(nil, "尤溪县市场监督管理局", "https://zhifa.example.gov.cn/verify/1")
	if err != nil {
		t.Fatal(err)
	}
	meta := typeset.Meta{Title: "行政处罚决定书", Created: time.Date(2026, 1, 26, 2, 0, 0, 0, time.UTC)}
	one, err := typeset.WritePDF(tree, a, meta)
	if err != nil {
		t.Fatal(err)
	}
	two, _ := typeset.WritePDF(tree, a, meta)
	if !bytes.HasPrefix(one, []byte("%PDF-")) || !bytes.Equal(one, two) {
		t.Errorf("the PDF is not a deterministic PDF (%d and %d bytes)", len(one), len(two))
	}
	var b strings.Builder
	typeset.WriteHTML(&b, tree, a)
	if html := b.String(); !strings.Contains(html, `src="data:image/svg+xml;base64,`) || !strings.Contains(html, "尤市监罚〔2026〕3号") {
		t.Errorf("HTML lacks the seal or the number: %s", html)
	}
	if over, err := typeset.SealOverlaps(tree); err != nil || len(over) > 0 {
		t.Errorf("the seal covers %v (%v)", over, err)
	}
}
