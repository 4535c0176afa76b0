package typeset

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// The layout engine turns document markup into positioned lines on A4 pages, the same way for
// every document: CJK text breaks between any two characters (Latin words stay whole), with the
// usual line-start and line-end rules for Chinese punctuation (禁则); indented paragraphs are
// justified; tables get their column widths from the first row; a signature block (class
// signature) or a keep block stays on one page and carries the seal laid over its text.

// Page geometry, in millimetres.
const (
	pageW, pageH     = 210.0, 297.0
	marginL, marginR = 25.0, 25.0
	marginT, marginB = 25.0, 22.0
	contentW         = pageW - marginL - marginR
	bodyPt           = 12.0 // 小四
	lineFactor       = 1.65
	cellPad          = 1.6
	sealMM           = 40.0
	qrMM             = 22.0
	ptMM             = 25.4 / 72
)

// style is what an element passes on to its content.
type style struct {
	size      float64 // points
	bold      bool
	red       bool
	muted     bool
	underline bool
	align     string // left, center, right, justify
	indent    bool
}

// apply returns st changed by an element's tag and classes.
func (st style) apply(e *Elem) style {
	switch e.Tag {
	case "h1":
		st.size, st.bold, st.align = 22, true, "center"
	case "h2":
		st.size, st.bold, st.align = 16, true, "center"
	case "h3":
		st.size, st.bold = 14, true
	case "h4", "strong", "b", "th":
		st.bold = true
	case "u":
		st.underline = true
	case "small":
		st.size = 10.5
	case "sup", "sub":
		st.size *= 0.7
	}
	if e.Tag == "th" && st.align == "" {
		st.align = "center"
	}
	for _, c := range e.Classes {
		switch c {
		case "center", "right", "left", "justify":
			st.align = c
		case "indent":
			st.indent = true
		case "bold":
			st.bold = true
		case "red":
			st.red = true
		case "muted":
			st.muted = true
		case "underline", "blank":
			st.underline = true
		case "large":
			st.size = 16
		case "small":
			st.size = 10.5
		case "title":
			st.size, st.bold, st.align = 22, true, "center"
		case "masthead":
			st.size, st.bold, st.red, st.align = 24, true, true, "center"
		case "number":
			st.align = "center"
		case "signature":
			st.align = "right"
		}
	}
	return st
}

// atom is the smallest unit of a line: a rune, a Latin word, a space, an image or a hard break.
type atom struct {
	text  string
	font  *ttFont
	st    style
	w     float64 // mm
	space bool
	brk   bool
	img   string  // SrcQR
	imgH  float64 // mm
}

// piece is an atom placed on a line.
type piece struct {
	atom
	x float64
}

// line is one laid-out line of text (or an image line).
type line struct {
	pieces   []piece
	h        float64 // line height
	baseline float64 // from the line's top
	left     float64 // extent of the ink, for the seal's position
	right    float64
}

// item is one unit of the vertical flow: a line, a rule, a table row, a page break.
type item struct {
	h         float64
	left      float64 // the ink's horizontal extent (text lines), for the seal
	right     float64
	group     *group // kept together on one page with the other items of the group
	pageBreak bool
	keepNext  bool
	draw      func(d drawer, x, y float64)
	split     func(avail float64) (first, rest *item) // for rows taller than a page; nil: atomic
}

// group is a block kept on one page; with a seal, the seal is laid over its text. A group inside
// another (a signature inside a keep block) is kept with its parent.
type group struct {
	seal   bool
	parent *group
}

// root is the outermost group g belongs to: what pagination keeps together.
func (g *group) root() *group {
	for g != nil && g.parent != nil {
		g = g.parent
	}
	return g
}

// drawer is what the layout draws with (the PDF writer).
type drawer interface {
	text(x, baseline float64, s string, f *ttFont, st style)
	rule(x1, y1, x2, y2, width float64, red bool)
	rect(x, y, w, h float64)
	image(src string, x, y, w, h float64)
}

func mm(pt float64) float64 { return pt * ptMM }

// layouter lays out a tree.
type layouter struct {
	groups []*group // open groups, innermost last
}

// flow lays out the children of a container at width w into items.
func (l *layouter) flow(e *Elem, st style, w float64) []*item {
	var out []*item
	var inline []*Elem
	flush := func() {
		blank := true
		for _, k := range inline {
			blank = blank && k.Tag == "" && strings.TrimSpace(k.Text) == ""
		}
		if !blank {
			out = append(out, l.paragraph(&Elem{Tag: "p", Kids: inline}, st, w)...)
		}
		inline = nil
	}
	for _, k := range e.Kids {
		if k.Tag == "" || !tags[k.Tag].block {
			inline = append(inline, k)
			continue
		}
		flush()
		out = append(out, l.block(k, st, w)...)
	}
	flush()
	return out
}

// block lays out one block element.
func (l *layouter) block(e *Elem, parent style, w float64) []*item {
	st := parent.apply(e)
	var out []*item
	if e.Has("pagebreak") {
		out = append(out, &item{pageBreak: true})
	}
	var g *group
	if e.Has("signature") || e.Has("keep") {
		g = &group{}
		if n := len(l.groups); n > 0 {
			g.parent = l.groups[n-1]
		}
		l.groups = append(l.groups, g)
	}
	switch e.Tag {
	case "p", "h1", "h2", "h3", "h4":
		lines := l.paragraph(e, st, w)
		if e.Tag != "p" && len(lines) > 0 {
			before := &item{h: mm(st.size) * 0.5}
			if e.Tag == "h1" {
				before.h = mm(st.size) * 0.3
			}
			lines[len(lines)-1].keepNext = true
			out = append(out, before)
			out = append(out, lines...)
			out = append(out, &item{h: mm(st.size) * 0.4})
		} else {
			out = append(out, lines...)
		}
	case "hr":
		red := st.red
		out = append(out, &item{h: 4, draw: func(d drawer, x, y float64) {
			if red {
				d.rule(x, y+1.4, x+w, y+1.4, 0.8, true)
				d.rule(x, y+2.6, x+w, y+2.6, 0.25, true)
				return
			}
			d.rule(x, y+2, x+w, y+2, 0.3, false)
		}})
	case "table":
		out = append(out, l.table(e, st, w)...)
	case "ul", "ol":
		n := 0
		for _, li := range e.Kids {
			if li.Tag != "li" {
				continue
			}
			n++
			marker := "• "
			if e.Tag == "ol" {
				marker = strconv.Itoa(n) + ". "
			}
			item := &Elem{Tag: "li", Classes: li.Classes, Kids: append([]*Elem{{Text: marker}}, li.Kids...)}
			out = append(out, l.flow(item, st.apply(li), w)...)
		}
	default: // div, section, header, footer, li, td, th
		if e.Has("spacer") && len(e.Kids) == 0 {
			out = append(out, &item{h: 8})
		}
		out = append(out, l.flow(e, st, w)...)
	}
	if g != nil {
		l.groups = l.groups[:len(l.groups)-1]
		for _, it := range out {
			if it.group == nil {
				it.group = g
			}
		}
		if pad := (sealMM - sumH(out)) / 2; g.seal && pad > 0 {
			// the seal is laid over the block's lines, centred: reserve its height so that it
			// covers no text above or below the block
			out = append(append([]*item{{h: pad, group: g}}, out...), &item{h: pad, group: g})
		}
	}
	return out
}

const (
	noLineStart = "，。、；：！？）》」』〕】〉’”…—%,.;:!?)]}·"
	noLineEnd   = "（《「『〔【〈‘“([{"
)

func isCJK(r rune) bool {
	return r >= 0x2E80 || unicode.Is(unicode.Han, r)
}

// atoms turns inline content into atoms, collapsing white space as HTML does (a line break
// between two CJK characters disappears). It reports whether a seal was met.
func (l *layouter) atoms(e *Elem, st style, out *[]atom, seal *bool) {
	for _, k := range e.Kids {
		switch {
		case k.Tag == "":
			l.textAtoms(k.Text, st, out)
		case k.Tag == "br":
			*out = append(*out, atom{brk: true, st: st})
		case k.Tag == "img":
			if k.Src == SrcSeal {
				*seal = true
				continue
			}
			*out = append(*out, atom{img: k.Src, w: qrMM, imgH: qrMM, st: st})
		default:
			l.atoms(k, st.apply(k), out, seal)
		}
	}
}

func (l *layouter) textAtoms(s string, st style, out *[]atom) {
	size := mm(st.size)
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if unicode.IsSpace(r) && r != '\u3000' {
			j := i
			newline := false
			for j < len(rs) && unicode.IsSpace(rs[j]) && rs[j] != '\u3000' {
				newline = newline || rs[j] == '\n'
				j++
			}
			i = j - 1
			var prev rune
			if n := len(*out); n > 0 && !(*out)[n-1].space && !(*out)[n-1].brk && (*out)[n-1].img == "" {
				p := []rune((*out)[n-1].text)
				prev = p[len(p)-1]
			} else {
				continue // no space at the start of a line or after a space
			}
			if newline && j < len(rs) && isCJK(prev) && isCJK(rs[j]) {
				continue
			}
			*out = append(*out, atom{text: " ", font: fontLatin, st: st, w: fontLatin.width(' ') * size, space: true})
			continue
		}
		r = drawable(r)
		f := fontFor(r)
		if f == fontLatin && hasURLAt(rs, i) {
			// a web address: one atom per path segment, so that it breaks only after a "/"
			j := i
			for j < len(rs) && !unicode.IsSpace(rs[j]) && !isCJK(rs[j]) {
				j++
			}
			for _, seg := range urlSegments(string(rs[i:j])) {
				w := 0.0
				for _, x := range seg {
					w += fontLatin.width(x) * size
				}
				*out = append(*out, atom{text: seg, font: fontLatin, st: st, w: w})
			}
			i = j - 1
			continue
		}
		if f == fontLatin && !isCJK(r) {
			// a Latin word: letters and digits up to the next space or CJK character
			j := i + 1
			for j < len(rs) && !unicode.IsSpace(rs[j]) && !isCJK(rs[j]) && fontFor(drawable(rs[j])) == fontLatin &&
				!strings.ContainsRune(noLineStart+noLineEnd, rs[j]) {
				j++
			}
			word := make([]rune, 0, j-i)
			w := 0.0
			for _, x := range rs[i:j] {
				x = drawable(x)
				word = append(word, x)
				w += fontLatin.width(x) * size
			}
			*out = append(*out, atom{text: string(word), font: fontLatin, st: st, w: w})
			i = j - 1
			continue
		}
		*out = append(*out, atom{text: string(r), font: f, st: st, w: f.width(r) * size})
	}
}

// hasURLAt reports whether a web address starts at rs[i].
func hasURLAt(rs []rune, i int) bool {
	rest := string(rs[i:min(i+8, len(rs))])
	return strings.HasPrefix(rest, "https://") || strings.HasPrefix(rest, "http://")
}

// urlSegments splits a web address after each "/" (the scheme's "//" stays with it).
func urlSegments(u string) []string {
	var out []string
	start := strings.Index(u, "//") + 2
	for i := start; i < len(u); i++ {
		if u[i] == '/' {
			out = append(out, u[:i+1])
			u, i = u[i+1:], -1
		}
	}
	if u != "" {
		out = append(out, u)
	}
	return out
}

// paragraph lays out inline content into lines.
func (l *layouter) paragraph(e *Elem, st style, w float64) []*item {
	var as []atom
	seal := false
	l.atoms(e, st, &as, &seal)
	var g *group
	if seal {
		if len(l.groups) > 0 {
			g = l.groups[len(l.groups)-1]
		} else {
			g = &group{}
		}
		g.seal = true
	}
	// drop spaces at the end
	for len(as) > 0 && as[len(as)-1].space {
		as = as[:len(as)-1]
	}
	var lines []*line
	var cur []atom
	width := 0.0
	indent := 0.0
	if st.indent {
		indent = 2 * mm(st.size)
	}
	first := true
	avail := func() float64 {
		if first {
			return w - indent
		}
		return w
	}
	emit := func(wrapped bool) {
		for len(cur) > 0 && cur[len(cur)-1].space {
			cur = cur[:len(cur)-1]
		}
		lines = append(lines, l.line(cur, st, w, first, indent, wrapped))
		cur, width, first = nil, 0, false
	}
	for i := 0; i < len(as); i++ {
		a := as[i]
		if a.brk {
			emit(false)
			continue
		}
		if a.space && len(cur) == 0 {
			continue
		}
		if width+a.w <= avail()+1e-6 || len(cur) == 0 {
			cur = append(cur, a)
			width += a.w
			if a.w > avail() && a.img == "" && len([]rune(a.text)) > 1 {
				// a word wider than the line: break it by character
				cur = cur[:len(cur)-1]
				width -= a.w
				rs := []rune(a.text)
				var parts []atom
				for _, r := range rs {
					parts = append(parts, atom{text: string(r), font: a.font, st: a.st, w: a.font.width(r) * mm(a.st.size)})
				}
				as = slices.Insert(slices.Delete(as, i, i+1), i, parts...)
				i--
			}
			continue
		}
		// a does not fit
		if !a.space && strings.Contains(noLineStart, a.text) && len([]rune(a.text)) == 1 {
			cur = append(cur, a) // hang the punctuation
			width += a.w
			emit(true)
			continue
		}
		var carry []atom
		if n := len(cur); n > 1 && strings.Contains(noLineEnd, cur[n-1].text) && len([]rune(cur[n-1].text)) == 1 {
			carry = []atom{cur[n-1]}
			cur = cur[:n-1]
		}
		emit(true)
		if !a.space {
			for _, c := range carry {
				cur = append(cur, c)
				width += c.w
			}
			cur = append(cur, a)
			width += a.w
		}
	}
	if len(cur) > 0 || len(lines) == 0 {
		emit(false)
	}
	if len(as) == 0 && seal {
		return []*item{{group: g}}
	}
	items := make([]*item, len(lines))
	for i, ln := range lines {
		ln := ln
		items[i] = &item{h: ln.h, group: g, left: ln.left, right: ln.right, draw: func(d drawer, x, y float64) { drawLine(d, ln, x, y) }}
	}
	return items
}

// line places atoms on a line of width w.
func (l *layouter) line(as []atom, st style, w float64, first bool, indent float64, wrapped bool) *line {
	h := mm(st.size) * lineFactor
	asc := mm(st.size) * 1.1
	total := 0.0
	for _, a := range as {
		if a.img != "" {
			h = max(h, a.imgH+2)
			asc = max(asc, a.imgH+1)
			continue
		}
		h = max(h, mm(a.st.size)*lineFactor)
		asc = max(asc, mm(a.st.size)*1.1)
		total += a.w
	}
	for _, a := range as {
		if a.img != "" {
			total += a.w
		}
	}
	x := 0.0
	if first {
		x = indent
	}
	extra := w - x - total
	gap := 0.0
	switch {
	case st.align == "center":
		x += extra / 2
	case st.align == "right":
		x += extra
	case (st.align == "justify" || st.indent) && wrapped && len(as) > 1 && extra > 0:
		gap = extra / float64(len(as)-1)
	}
	ln := &line{h: h, baseline: asc, left: x}
	for _, a := range as {
		ln.pieces = append(ln.pieces, piece{atom: a, x: x})
		x += a.w + gap
	}
	ln.right = x - gap
	if len(as) == 0 {
		ln.right = ln.left
	}
	return ln
}

// drawLine draws a line with its top-left at (x, y), merging neighbouring pieces that share a
// font and style into one text operation.
func drawLine(d drawer, ln *line, x, y float64) {
	base := y + ln.baseline
	i := 0
	for i < len(ln.pieces) {
		p := ln.pieces[i]
		if p.img != "" {
			d.image(p.img, x+p.x, base-p.imgH, p.w, p.imgH)
			i++
			continue
		}
		j := i + 1
		s := p.text
		end := p.x + p.w
		for j < len(ln.pieces) {
			q := ln.pieces[j]
			if q.img != "" || q.font != p.font || q.st != p.st || q.x-end > 0.01 || q.x-end < -0.01 {
				break
			}
			s += q.text
			end = q.x + q.w
			j++
		}
		if strings.TrimSpace(s) != "" || p.st.underline {
			if strings.TrimSpace(s) != "" {
				d.text(x+p.x, base, s, p.font, p.st)
			}
			if p.st.underline {
				d.rule(x+p.x, base+0.9, x+end, base+0.9, 0.2, p.st.red)
			}
		}
		i = j
	}
}

// cell is a laid-out table cell.
type cell struct {
	x, w  float64
	items []*item
	h     float64
}

// table lays out a table's rows as items.
func (l *layouter) table(e *Elem, st style, w float64) []*item {
	var rows []*Elem
	for _, k := range e.Kids {
		switch k.Tag {
		case "tr":
			rows = append(rows, k)
		case "thead", "tbody":
			for _, r := range k.Kids {
				if r.Tag == "tr" {
					rows = append(rows, r)
				}
			}
		}
	}
	ncols := 0
	for _, r := range rows {
		n := 0
		for _, c := range r.Kids {
			n += max(c.Colspan, 1)
		}
		ncols = max(ncols, n)
	}
	if ncols == 0 {
		return nil
	}
	widths := make([]float64, ncols)
	assigned := 0.0
	for _, r := range rows {
		col := 0
		any := false
		for _, c := range r.Kids {
			span := max(c.Colspan, 1)
			if c.Width > 0 && col+span <= ncols {
				any = true
				for k := col; k < col+span; k++ {
					widths[k] = float64(c.Width) / float64(span)
				}
			}
			col += span
		}
		if any {
			break
		}
	}
	free := 0
	for _, x := range widths {
		assigned += x
		if x == 0 {
			free++
		}
	}
	if assigned > 100 || (free == 0 && assigned != 100) {
		for i := range widths {
			widths[i] = widths[i] / assigned * 100
		}
		assigned, free = 100, 0
	}
	for i := range widths {
		if widths[i] == 0 {
			widths[i] = (100 - assigned) / float64(free)
		}
		widths[i] = widths[i] / 100 * w
	}
	border := !e.Has("noborder")
	var out []*item
	for _, r := range rows {
		var cells []*cell
		x, col := 0.0, 0
		for _, c := range r.Kids {
			span := max(c.Colspan, 1)
			cw := 0.0
			for k := col; k < col+span && k < ncols; k++ {
				cw += widths[k]
			}
			cst := st.apply(c)
			g := &group{}
			l.groups = append(l.groups, g)
			items := l.flow(c, cst, cw-2*cellPad)
			l.groups = l.groups[:len(l.groups)-1]
			for _, it := range items {
				if it.group == nil {
					it.group = g
				}
			}
			cells = append(cells, &cell{x: x, w: cw, items: items, h: 2*cellPad + sumH(items)})
			x += cw
			col += span
		}
		out = append(out, rowItem(cells, border))
	}
	return out
}

// rowItem draws a table row; a row taller than the space left splits between its cells' lines.
func rowItem(cells []*cell, border bool) *item {
	h := 0.0
	for _, c := range cells {
		h = max(h, c.h)
	}
	it := &item{h: h}
	it.draw = func(d drawer, x, y float64) {
		for _, c := range cells {
			if border {
				d.rect(x+c.x, y, c.w, h)
			}
			var ps []placed
			cy := y + cellPad
			for _, ci := range c.items {
				ps = append(ps, placed{it: ci, x: x + c.x + cellPad, y: cy, w: c.w - 2*cellPad})
				cy += ci.h
			}
			drawPlaced(d, ps)
		}
	}
	it.split = func(avail float64) (*item, *item) {
		var first, rest []*cell
		took := false
		for _, c := range cells {
			used := 2 * cellPad
			n := 0
			for n < len(c.items) && used+c.items[n].h <= avail {
				used += c.items[n].h
				n++
			}
			took = took || n > 0
			first = append(first, &cell{x: c.x, w: c.w, items: c.items[:n], h: used})
			rest = append(rest, &cell{x: c.x, w: c.w, items: c.items[n:], h: 2*cellPad + sumH(c.items[n:])})
		}
		if !took {
			return nil, nil
		}
		f := rowItem(first, border)
		f.h = avail
		return f, rowItem(rest, border)
	}
	return it
}

func sumH(items []*item) float64 {
	s := 0.0
	for _, it := range items {
		s += it.h
	}
	return s
}

// placed is an item at its place: its page, its top-left corner and the flow's width there.
type placed struct {
	it   *item
	page int
	x, y float64
	w    float64
}

// drawPlaced draws items of one page in order, then lays each sealed group's seal over the
// middle of the group's text (or of the flow, for a group without text).
func drawPlaced(d drawer, ps []placed) {
	for i, p := range ps {
		if p.it.draw != nil {
			p.it.draw(d, p.x, p.y)
		}
		if x, y, ok := sealAt(ps, i); ok {
			d.image(SrcSeal, x, y, sealMM, sealMM)
		}
	}
}

// sealAt returns the top left corner of the seal laid over the sealed group that ps[i] ends (on
// its page): centred on the group's ink horizontally and on its height vertically. False when
// ps[i] ends no sealed group.
func sealAt(ps []placed, i int) (x, y float64, ok bool) {
	p := ps[i]
	g := p.it.group
	if g == nil || !g.seal || (i+1 < len(ps) && ps[i+1].it.group == g && ps[i+1].page == p.page) {
		return 0, 0, false
	}
	j := i
	for j > 0 && ps[j-1].it.group == g && ps[j-1].page == p.page {
		j--
	}
	left, right, ink := 0.0, 0.0, false
	for _, q := range ps[j : i+1] {
		if q.it.right > q.it.left {
			if !ink {
				left, right, ink = q.it.left, q.it.right, true
			}
			left, right = min(left, q.it.left), max(right, q.it.right)
		}
	}
	cx := p.x + p.w/2
	if ink {
		cx = p.x + (left+right)/2
	}
	cy := (ps[j].y + p.y + p.it.h) / 2
	return cx - sealMM/2, cy - sealMM/2, true
}

// paginate assigns the items to pages: groups stay together when they fit on a page, headings
// stay with what follows, rows too tall for the space left are split.
func paginate(items []*item) ([]placed, int) {
	var out []placed
	page, y := 0, marginT
	bottom := pageH - marginB
	newPage := func() { page++; y = marginT }
	for i := 0; i < len(items); i++ {
		it := items[i]
		if it.pageBreak {
			if y > marginT {
				newPage()
			}
			continue
		}
		if g := it.group.root(); g != nil && (i == 0 || items[i-1].group.root() != g) {
			gh := 0.0
			for j := i; j < len(items) && items[j].group.root() == g; j++ {
				gh += items[j].h
			}
			if y+gh > bottom && gh <= bottom-marginT && y > marginT {
				newPage()
			}
		}
		if it.keepNext && i+1 < len(items) && y+it.h+items[i+1].h > bottom && y > marginT {
			newPage()
		}
		if y+it.h > bottom+1e-6 {
			if it.split != nil {
				if first, rest := it.split(bottom - y); first != nil {
					out = append(out, placed{it: first, page: page, x: marginL, y: y, w: contentW})
					newPage()
					items = slices.Insert(slices.Delete(slices.Clone(items), i, i+1), i, rest)
					i--
					continue
				}
			}
			if y > marginT {
				newPage()
			}
		}
		out = append(out, placed{it: it, page: page, x: marginL, y: y, w: contentW})
		y += it.h
	}
	return out, page + 1
}
