package typeset

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/net/html"
)

// A template's output is document markup: a small subset of HTML that both renderers (HTML and
// PDF) understand. Anything outside it is refused, so a template cannot carry scripts, styles,
// links or images from elsewhere into a document.
//
//	blocks:  div section header footer p h1 h2 h3 h4 table thead tbody tr td th ul ol li hr
//	inline:  span strong b em i u small sup sub br img
//	attributes: class (the classes below) on any element; colspan and width ("30", percent of
//	the table) on td and th; src (zhifa:seal or zhifa:qr) and alt on img.
//
// Classes: center right left justify indent (first-line indent of two characters) bold red
// large small muted underline title masthead (a red letterhead line) number (the 文号 line)
// signature (the signature block: right-aligned, kept together, the seal laid over it) noborder
// (a table without rules) spacer (vertical space) pagebreak keep (keep a block on one page)
// blank (an underlined blank) seal qr.

// Elem is a node of document markup: an element, or a text node (Tag "").
type Elem struct {
	Tag     string
	Text    string
	Classes []string
	Colspan int
	Width   int // percent of the table's width (td, th); 0: share the rest
	Src     string
	Kids    []*Elem
}

// Has reports whether the element has class.
func (e *Elem) Has(class string) bool { return slices.Contains(e.Classes, class) }

// Block reports whether the element is a block (a paragraph, heading, table, row, cell, list or
// item, or a division); a text node is not.
func (e *Elem) Block() bool { return tags[e.Tag].block }

type content int

const (
	flowContent   content = iota // blocks and inline
	inlineContent                // inline only
	tableContent                 // thead, tbody, tr
	rowsContent                  // tr
	cellsContent                 // td, th
	itemsContent                 // li
	noContent                    // void
)

// tags lists each allowed element with what it may contain and whether it is a block.
var tags = map[string]struct {
	holds content
	block bool
}{
	"div": {flowContent, true}, "section": {flowContent, true}, "header": {flowContent, true}, "footer": {flowContent, true},
	"p": {inlineContent, true}, "h1": {inlineContent, true}, "h2": {inlineContent, true}, "h3": {inlineContent, true}, "h4": {inlineContent, true},
	"table": {tableContent, true}, "thead": {rowsContent, true}, "tbody": {rowsContent, true}, "tr": {cellsContent, true},
	"td": {flowContent, true}, "th": {flowContent, true}, "ul": {itemsContent, true}, "ol": {itemsContent, true}, "li": {flowContent, true},
	"hr":   {noContent, true},
	"span": {inlineContent, false}, "strong": {inlineContent, false}, "b": {inlineContent, false}, "em": {inlineContent, false},
	"i": {inlineContent, false}, "u": {inlineContent, false}, "small": {inlineContent, false}, "sup": {inlineContent, false},
	"sub": {inlineContent, false}, "br": {noContent, false}, "img": {noContent, false},
}

// Classes lists the classes document markup may use.
var Classes = []string{"center", "right", "left", "justify", "indent", "bold", "red", "large", "small", "muted", "underline",
	"title", "masthead", "number", "signature", "noborder", "spacer", "pagebreak", "keep", "blank", "seal", "qr"}

// Image sources the markup may use: the renderer supplies them.
const (
	SrcSeal = "zhifa:seal"
	SrcQR   = "zhifa:qr"
)

// allows reports whether a parent holding c may contain tag.
func allows(c content, tag string) bool {
	t := tags[tag]
	switch c {
	case flowContent:
		return tag != "thead" && tag != "tbody" && tag != "tr" && tag != "td" && tag != "th" && tag != "li"
	case inlineContent:
		return !t.block
	case tableContent:
		return tag == "thead" || tag == "tbody" || tag == "tr"
	case rowsContent:
		return tag == "tr"
	case cellsContent:
		return tag == "td" || tag == "th"
	case itemsContent:
		return tag == "li"
	}
	return false
}

// Error is why a template's output is not document markup, in Chinese and English.
type Error struct{ ZH, EN string }

// Error returns the English reason.
func (e *Error) Error() string { return "not document markup: " + e.EN }

// markupError refuses a template's output.
func markupError(zh, en string) error { return &Error{ZH: zh, EN: en} }

// Parse parses document markup into a tree under a root div, refusing anything outside it.
func Parse(s string) (*Elem, error) {
	root := &Elem{Tag: "div"}
	stack := []*Elem{root}
	z := html.NewTokenizer(strings.NewReader(s))
	z.SetMaxBuf(4 << 20)
	for {
		tt := z.Next()
		top := stack[len(stack)-1]
		switch tt {
		case html.ErrorToken:
			if errors.Is(z.Err(), io.EOF) {
				return root, nil // elements still open are closed at the end
			}
			return nil, markupError("无法解析："+z.Err().Error(), "cannot parse: "+z.Err().Error())
		case html.TextToken:
			txt := string(z.Text())
			holds := tags[top.Tag].holds
			if top == root {
				holds = flowContent
			}
			if holds != flowContent && holds != inlineContent {
				if strings.TrimSpace(txt) != "" {
					return nil, markupError(fmt.Sprintf("<%s> 中不能直接写文字：%q", top.Tag, clip(txt)), fmt.Sprintf("text cannot stand directly in <%s>: %q", top.Tag, clip(txt)))
				}
				continue
			}
			if txt != "" {
				top.Kids = append(top.Kids, &Elem{Text: txt})
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			e, err := readTag(z)
			if err != nil {
				return nil, err
			}
			holds := tags[top.Tag].holds
			if top == root {
				holds = flowContent
			}
			if !allows(holds, e.Tag) {
				return nil, markupError(fmt.Sprintf("<%s> 不能放在 <%s> 中", e.Tag, top.Tag), fmt.Sprintf("<%s> cannot go inside <%s>", e.Tag, top.Tag))
			}
			top.Kids = append(top.Kids, e)
			if tags[e.Tag].holds != noContent && tt == html.StartTagToken {
				stack = append(stack, e)
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			tag := string(name)
			if _, ok := tags[tag]; !ok {
				return nil, markupError("不允许的标签 </"+tag+">", "tag </"+tag+"> is not allowed")
			}
			if tags[tag].holds == noContent {
				continue
			}
			i := len(stack) - 1
			for i > 0 && stack[i].Tag != tag {
				i--
			}
			if i == 0 {
				return nil, markupError(fmt.Sprintf("</%s> 没有对应的开始标签", tag), fmt.Sprintf("</%s> closes nothing", tag))
			}
			stack = stack[:i]
		case html.CommentToken:
		case html.DoctypeToken:
			return nil, markupError("文书中不能有 <!DOCTYPE>", "a document cannot contain <!DOCTYPE>")
		}
	}
}

func clip(s string) string {
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > 20 {
		return string(r[:20]) + "…"
	}
	return s
}

// readTag reads the current start tag and checks its attributes.
func readTag(z *html.Tokenizer) (*Elem, error) {
	name, more := z.TagName()
	e := &Elem{Tag: string(name)}
	if _, ok := tags[e.Tag]; !ok {
		return nil, markupError("不允许的标签 <"+e.Tag+">", "tag <"+e.Tag+"> is not allowed")
	}
	for more {
		var k, v []byte
		k, v, more = z.TagAttr()
		key, val := string(k), strings.TrimSpace(string(v))
		bad := func() error {
			return markupError(fmt.Sprintf("<%s> 不允许属性 %s=%q", e.Tag, key, clip(val)), fmt.Sprintf("<%s> may not have %s=%q", e.Tag, key, clip(val)))
		}
		switch {
		case key == "class":
			for _, c := range strings.Fields(val) {
				if !slices.Contains(Classes, c) {
					return nil, markupError("未知样式类 "+c+"（可用："+strings.Join(Classes, " ")+"）", "unknown class "+c+" (use: "+strings.Join(Classes, " ")+")")
				}
				e.Classes = append(e.Classes, c)
			}
		case key == "colspan" && (e.Tag == "td" || e.Tag == "th"):
			n, err := strconv.Atoi(val)
			if err != nil || n < 1 || n > 20 {
				return nil, bad()
			}
			e.Colspan = n
		case key == "width" && (e.Tag == "td" || e.Tag == "th"):
			n, err := strconv.Atoi(strings.TrimSuffix(val, "%"))
			if err != nil || n < 1 || n > 100 {
				return nil, bad()
			}
			e.Width = n
		case key == "src" && e.Tag == "img":
			if val != SrcSeal && val != SrcQR {
				return nil, markupError("图片只能是 {{seal}} 或 {{qrcode}}", "images can only be {{seal}} or {{qrcode}}")
			}
			e.Src = val
		case key == "alt" && e.Tag == "img":
		default:
			return nil, bad()
		}
	}
	if e.Tag == "img" && e.Src == "" {
		return nil, markupError("图片只能是 {{seal}} 或 {{qrcode}}", "images can only be {{seal}} or {{qrcode}}")
	}
	return e, nil
}

// PlainText returns the text of a tree with runs of white space collapsed, for checks.
func PlainText(e *Elem) string {
	var b strings.Builder
	var walk func(*Elem)
	walk = func(e *Elem) {
		if e.Tag == "" {
			b.WriteString(e.Text)
			return
		}
		if tags[e.Tag].block || e.Tag == "br" {
			b.WriteByte(' ')
		}
		for _, k := range e.Kids {
			walk(k)
		}
	}
	walk(e)
	return strings.Join(strings.Fields(b.String()), " ")
}

// HasImage reports whether the tree shows the image src.
func HasImage(e *Elem, src string) bool {
	if e.Tag == "img" && e.Src == src {
		return true
	}
	for _, k := range e.Kids {
		if HasImage(k, src) {
			return true
		}
	}
	return false
}

// WriteHTML serialises a tree as HTML (the same subset), with the images as data: URIs. The
// document HTML has no inline style or script, so it satisfies the console's strict CSP; its
// look comes from zdoc.css.
func WriteHTML(b *strings.Builder, e *Elem, images *Assets) {
	if e.Tag == "" {
		b.WriteString(html.EscapeString(e.Text))
		return
	}
	b.WriteString("<" + e.Tag)
	if len(e.Classes) > 0 {
		b.WriteString(` class="` + html.EscapeString(strings.Join(e.Classes, " ")) + `"`)
	}
	if e.Colspan > 1 {
		fmt.Fprintf(b, ` colspan="%d"`, e.Colspan)
	}
	if e.Width > 0 {
		fmt.Fprintf(b, ` data-width="%d"`, e.Width)
	}
	if e.Tag == "img" {
		alt := "印章"
		if e.Src == SrcQR {
			alt = "核验二维码"
		}
		fmt.Fprintf(b, ` src="%s" alt="%s"`, images.dataURI(e.Src), alt)
	}
	b.WriteString(">")
	if tags[e.Tag].holds == noContent {
		return
	}
	for _, k := range e.Kids {
		WriteHTML(b, k, images)
	}
	b.WriteString("</" + e.Tag + ">")
}
