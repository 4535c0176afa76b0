package documents

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"zhifa/modules/documents/internal/typeset"
	"zhifa/modules/kernel/errs"
)

// Proofreading (校对): what a party's lawyer would hold up in a served document. Every document
// is proofread as it is issued and every template as it is saved (on the type's sample data) and
// previewed (on a real case's data). A defect refuses the issue or the save, naming the paragraph
// and, where it can be found, the line of the template that wrote it.

// Defect is one thing wrong with a document's text.
type Defect struct {
	// Kind is the class of defect: punctuation, doubled, hex, file_name, template_syntax,
	// identifier, empty_field.
	Kind string `json:"kind"`
	// Block is the 1-based number of the paragraph or table row the defect is in.
	Block int `json:"block"`
	// Line is the 1-based line of the template source that wrote it; 0 when it cannot be told.
	Line int `json:"line,omitempty"`
	// Excerpt is the text around the defect, as the reader sees it.
	Excerpt string   `json:"excerpt"`
	Message errs.Msg `json:"message"`
}

// block is a paragraph or a table row as the reader sees it, with its labelled fields.
type block struct {
	text   string
	fields []labelled // table rows: each label cell with the cell after it
}

type labelled struct{ label, value string }

var (
	// a sentence mark followed by a comma or another mark: "。，", "。、", "；。"
	rePunct = regexp.MustCompile(`[。；！？][，、；。]|[，、][，、。；]`)
	// 12 or more hex digits with both letters and digits: a digest or an ID fragment
	reHex = regexp.MustCompile(`(?i)\b[0-9a-f]{12,}\b`)
	// a file name: a word and a usual extension
	reFile = regexp.MustCompile(`(?i)[\p{Han}\w-]+\.(jpe?g|png|gif|bmp|webp|heic|pdf|docx?|xlsx?|pptx?|txt|csv|zip|rar|mp[34]|mov|avi|wav|amr)\b`)
	// template syntax, Go's printing of missing or composite values
	reSyntax = regexp.MustCompile(`\{\{|\}\}|<no value>|<nil>|map\[|\[\]|%!`)
	// a raw identifier: snake_case words or a JSON null, as code names things (a payment
	// reference such as pi_3Ok… or pi_sim_1177… is a reference, not a name)
	reIdent = regexp.MustCompile(`\b[a-z]{2,}(_[a-z]{2,})+\b|\b(null|undefined|NaN|true|false)\b`)
	// a label: a short phrase ending with a full-width colon
	reLabel = regexp.MustCompile(`([\p{Han}（）()]{2,14})：`)
	// an address on the web, which may carry an identifier
	reURL = regexp.MustCompile(`https?://[^\s\x{3000}，。；）]+`)
)

// Proofread returns the defects of a rendered document's markup; src, when given, is the
// template source, to name the line of each defect.
func Proofread(markup, src string) ([]Defect, error) {
	tree, err := parseMarkup(markup)
	if err != nil {
		return nil, err
	}
	return proofread(tree, src), nil
}

func proofread(tree *typeset.Elem, src string) []Defect {
	var out []Defect
	for i, b := range blocks(tree) {
		add := func(kind, excerpt, zh, en string) {
			out = append(out, Defect{Kind: kind, Block: i + 1, Line: sourceLine(src, excerpt), Excerpt: excerpt, Message: errs.Msg{ZH: zh, EN: en}})
		}
		t := reURL.ReplaceAllString(b.text, "［网址］")
		for _, m := range rePunct.FindAllStringIndex(t, -1) {
			add("punctuation", around(t, m), "标点重复或连用", "punctuation marks run together")
		}
		if c, ok := doubledClause(t); ok {
			add("doubled", c, "语句重复", "a clause is written twice")
		}
		for _, m := range reHex.FindAllStringIndex(t, -1) {
			if s := t[m[0]:m[1]]; strings.ContainsAny(s, "0123456789") && strings.ContainsAny(strings.ToLower(s), "abcdef") {
				add("hex", around(t, m), "出现摘要值或编号片段", "a digest or an identifier fragment is printed")
			}
		}
		for _, m := range reFile.FindAllStringIndex(t, -1) {
			add("file_name", around(t, m), "出现文件名", "a file name is printed")
		}
		for _, m := range reSyntax.FindAllStringIndex(t, -1) {
			add("template_syntax", around(t, m), "出现模板语法或程序值", "template syntax or a program value is printed")
		}
		for _, m := range reIdent.FindAllStringIndex(t, -1) {
			add("identifier", around(t, m), "出现程序标识符", "a raw identifier is printed")
		}
		for _, label := range emptyLabels(t) {
			add("empty_field", label+"：", "“"+label+"”一项为空", "the field "+label+" is empty")
		}
		for _, f := range b.fields {
			if strings.TrimSpace(f.value) == "" {
				add("empty_field", f.label, "“"+f.label+"”一项为空", "the field "+f.label+" is empty")
			}
		}
	}
	return out
}

func allHan(rs []rune) bool {
	for _, r := range rs {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return true
}

// doubledRun is the length of a phrase that, written twice in one sentence, is a doubled clause.
const doubledRun = 12

// blocks flattens a document into what a reader takes as its paragraphs: each paragraph or
// heading, and each table row (its cells' texts, and each header cell with the cell after it).
// An underlined blank (a line to sign on) counts as filled.
func blocks(tree *typeset.Elem) []block {
	var out []block
	var walk func(*typeset.Elem)
	walk = func(e *typeset.Elem) {
		switch {
		case e.Tag == "tr":
			var b block
			var texts []string
			for i, c := range e.Kids {
				s := readerText(c)
				texts = append(texts, s)
				if c.Tag == "th" && i+1 < len(e.Kids) && e.Kids[i+1].Tag == "td" {
					b.fields = append(b.fields, labelled{label: s, value: readerText(e.Kids[i+1])})
				}
			}
			b.text = strings.Join(texts, " ")
			out = append(out, b)
			return
		case e.Tag != "" && e.Block() && !hasBlockKids(e):
			if s := readerText(e); s != "" {
				out = append(out, block{text: s})
			}
			return
		}
		for _, k := range e.Kids {
			walk(k)
		}
	}
	walk(tree)
	return out
}

func hasBlockKids(e *typeset.Elem) bool {
	for _, k := range e.Kids {
		if k.Tag != "" && k.Block() {
			return true
		}
	}
	return false
}

// readerText is an element's text with blanks drawn as a line, spaces collapsed.
func readerText(e *typeset.Elem) string {
	var b strings.Builder
	var walk func(*typeset.Elem)
	walk = func(e *typeset.Elem) {
		switch {
		case e.Tag == "":
			b.WriteString(e.Text)
		case e.Has("blank"):
			b.WriteString("＿＿")
		case e.Tag == "img":
			b.WriteString("［图］")
		default:
			if e.Block() || e.Tag == "br" {
				b.WriteByte(' ')
			}
			for _, k := range e.Kids {
				walk(k)
			}
		}
	}
	walk(e)
	return strings.Join(strings.FieldsFunc(b.String(), func(r rune) bool { return unicode.IsSpace(r) && r != '\u3000' }), " ")
}

// emptyLabels returns the labels of a line of labelled fields ("联系人：李明辉　联系电话：　地址：")
// that have nothing after them. A line with one label ending it is a lead-in to what follows
// ("上述事实，有以下证据证明：", an addressee), not a field.
func emptyLabels(t string) []string {
	var ms [][]int
	for _, m := range reLabel.FindAllStringSubmatchIndex(t, -1) {
		// a label starts a line or follows a space; "（执法证号：" inside a value is not one
		if r, _ := utf8.DecodeLastRuneInString(t[:m[0]]); m[0] == 0 || unicode.IsSpace(r) || r == '\u3000' {
			ms = append(ms, m)
		}
	}
	if len(ms) < 2 {
		return nil
	}
	var out []string
	for i, m := range ms {
		end := len(t)
		if i+1 < len(ms) {
			end = ms[i+1][0]
		}
		if strings.TrimFunc(t[m[1]:end], func(r rune) bool { return unicode.IsSpace(r) || r == '\u3000' }) == "" {
			out = append(out, t[m[2]:m[3]])
		}
	}
	return out
}

// doubledClause finds a clause written twice in a row, the same clause of some length twice in
// one paragraph, or a phrase of twelve Chinese characters written twice within one sentence
// ("自收到本决定书之日起十五日内，自收到本决定书之日起十五日内到指定银行…": a template's words and a
// form's pre-filled value saying the same thing).
func doubledClause(t string) (string, bool) {
	for _, sentence := range strings.FieldsFunc(t, func(r rune) bool { return r == '。' || r == '；' }) {
		rs := []rune(sentence)
		seen := map[string]bool{}
		for i := 0; i+doubledRun <= len(rs); i++ {
			if !allHan(rs[i : i+doubledRun]) {
				continue // numbers, codes and lists of names repeat their labels by right
			}
			w := string(rs[i : i+doubledRun])
			if seen[w] {
				return w, true
			}
			seen[w] = true
		}
	}
	clauses := strings.FieldsFunc(t, func(r rune) bool { return strings.ContainsRune("，。；：、！？,;", r) })
	seen := map[string]bool{}
	for i, c := range clauses {
		c = strings.TrimSpace(c)
		n := utf8.RuneCountInString(c)
		if n < 4 {
			continue
		}
		if i > 0 && strings.TrimSpace(clauses[i-1]) == c {
			return c, true
		}
		if n >= 8 && seen[c] {
			return c, true
		}
		seen[c] = true
	}
	return "", false
}

// around is the defect's match with a few characters either side.
func around(t string, m []int) string {
	r := []rune(t)
	start := utf8.RuneCountInString(t[:m[0]])
	end := start + utf8.RuneCountInString(t[m[0]:m[1]])
	lo, hi := max(start-6, 0), min(end+6, len(r))
	return string(r[lo:hi])
}

// sourceLine is the line of src holding the longest fixed text of the excerpt (the template's
// own words around the defect); 0 when none is found.
func sourceLine(src, excerpt string) int {
	if src == "" {
		return 0
	}
	lines := strings.Split(src, "\n")
	for n := utf8.RuneCountInString(excerpt); n >= 2; n-- {
		r := []rune(excerpt)
		for i := 0; i+n <= len(r); i++ {
			frag := string(r[i : i+n])
			hit := 0
			for j, l := range lines {
				if strings.Contains(l, frag) {
					if hit != 0 {
						hit = -1
						break
					}
					hit = j + 1
				}
			}
			if hit > 0 {
				return hit
			}
		}
	}
	return 0
}

// proofreadError refuses a document or template whose text has defects, naming the first and
// listing every one as a field (block N, and the template's line).
func proofreadError(ti *TypeInfo, ds []Defect) error {
	d := ds[0]
	where, whereEN := fmt.Sprintf("第%d段", d.Block), fmt.Sprintf("paragraph %d", d.Block)
	if d.Line > 0 {
		where, whereEN = fmt.Sprintf("模板第%d行（第%d段）", d.Line, d.Block), fmt.Sprintf("template line %d (paragraph %d)", d.Line, d.Block)
	}
	e := errs.Ef(errs.FailedPrecondition, "%s文字有误：%s“%s”%s", "the %s text is wrong: %s %q: %s",
		ti.Name.ZH, where, d.Excerpt, d.Message.ZH)
	e.Message.EN = fmt.Sprintf("the %s text is wrong at %s, %q: %s", ti.Name.EN, whereEN, d.Excerpt, d.Message.EN)
	e.Rule = &errs.Rule{ID: "documents.proofread", Law: lawOf(ti.Basis), Article: ti.Basis}
	fields := make([]errs.FieldError, 0, len(ds))
	for _, d := range ds {
		key := fmt.Sprintf("block[%d]", d.Block)
		if d.Line > 0 {
			key = fmt.Sprintf("line[%d]", d.Line)
		}
		fields = append(fields, errs.Field(key, d.Message.ZH+"：“"+d.Excerpt+"”", d.Message.EN+": "+d.Excerpt))
	}
	return e.WithFields(fields...)
}
