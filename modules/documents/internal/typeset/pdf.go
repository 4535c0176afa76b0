package typeset

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/sfnt"
)

// Meta is what the PDF's document information says.
type Meta struct {
	Title    string
	Subject  string // "zhifa-document:<id>": the verification reads it back from an upload
	Keywords string
	Author   string
	Created  time.Time
	Preview  bool // a template preview: a watermark on every page
}

// fpdfDrawer draws the layout with fpdf.
type fpdfDrawer struct {
	pdf    *fpdf.Fpdf
	images *Assets
}

func (d fpdfDrawer) text(x, baseline float64, s string, f *ttFont, st style) {
	family := "cjk"
	if f == fontLatin {
		family = "lat"
	}
	d.pdf.SetFont(family, "", st.size)
	r, g, b := 0, 0, 0
	switch {
	case st.red:
		r, g, b = 0xC8, 0x10, 0x1E
	case st.muted:
		r, g, b = 0x66, 0x66, 0x66
	}
	d.pdf.SetTextColor(r, g, b)
	if st.bold {
		// the fonts have no bold face: fill and stroke the glyphs
		d.pdf.SetDrawColor(r, g, b)
		d.pdf.SetLineWidth(st.size * 0.022 * ptMM)
		d.pdf.SetTextRenderingMode(2)
	}
	d.pdf.Text(x, baseline, s)
	if st.bold {
		d.pdf.SetTextRenderingMode(0)
	}
}

func (d fpdfDrawer) rule(x1, y1, x2, y2, width float64, red bool) {
	if red {
		d.pdf.SetDrawColor(0xC8, 0x10, 0x1E)
	} else {
		d.pdf.SetDrawColor(0, 0, 0)
	}
	d.pdf.SetLineWidth(width)
	d.pdf.Line(x1, y1, x2, y2)
}

func (d fpdfDrawer) rect(x, y, w, h float64) {
	d.pdf.SetDrawColor(0, 0, 0)
	d.pdf.SetLineWidth(0.25)
	d.pdf.Rect(x, y, w, h, "D")
}

func (d fpdfDrawer) image(src string, x, y, w, h float64) {
	pdf := d.pdf
	switch {
	case src == SrcSeal && d.images.sealPNG != nil:
		pdf.SetAlpha(0.92, "Multiply")
		pdf.ImageOptions(src, x, y, w, h, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
		pdf.SetAlpha(1, "Normal")
	case src == SrcSeal && d.images.seal != nil:
		s := d.images.seal
		k := w / sealMM
		cx, cy := x+w/2, y+h/2
		pdf.SetAlpha(0.93, "Multiply")
		pdf.SetDrawColor(0xD6, 0x1F, 0x26)
		pdf.SetFillColor(0xD6, 0x1F, 0x26)
		pdf.SetLineWidth(s.ringW * k)
		pdf.Circle(cx, cy, s.ringR*k, "D")
		pts := make([]fpdf.PointType, 0, len(s.star)/2)
		for i := 0; i < len(s.star); i += 2 {
			pts = append(pts, fpdf.PointType{X: cx + s.star[i]*k, Y: cy + s.star[i+1]*k})
		}
		pdf.Polygon(pts, "F")
		for _, g := range s.glyphs {
			for _, op := range g {
				p := op.pts
				switch op.op {
				case sfnt.SegmentOpMoveTo:
					pdf.MoveTo(cx+p[0]*k, cy+p[1]*k)
				case sfnt.SegmentOpLineTo:
					pdf.LineTo(cx+p[0]*k, cy+p[1]*k)
				case sfnt.SegmentOpQuadTo:
					pdf.CurveTo(cx+p[0]*k, cy+p[1]*k, cx+p[2]*k, cy+p[3]*k)
				case sfnt.SegmentOpCubeTo:
					pdf.CurveBezierCubicTo(cx+p[0]*k, cy+p[1]*k, cx+p[2]*k, cy+p[3]*k, cx+p[4]*k, cy+p[5]*k)
				}
			}
			pdf.ClosePath()
			pdf.DrawPath("F")
		}
		pdf.SetAlpha(1, "Normal")
	case src == SrcQR && d.images.qr != nil:
		m := d.images.qr
		cell := w / float64(len(m))
		pdf.SetFillColor(255, 255, 255)
		pdf.Rect(x, y, w, h, "F")
		pdf.SetFillColor(0, 0, 0)
		for row, line := range m {
			for col := 0; col < len(line); col++ {
				if !line[col] {
					continue
				}
				end := col
				for end+1 < len(line) && line[end+1] {
					end++
				}
				pdf.Rect(x+float64(col)*cell, y+float64(row)*cell, float64(end-col+1)*cell, cell, "F")
				col = end
			}
		}
	}
}

// runesOf collects the runes of a tree's text by font, with the ones the renderer adds.
func runesOf(root *Elem, extra string) (cjk, latin []rune) {
	seen := map[rune]bool{}
	add := func(s string) {
		for _, r := range s {
			seen[drawable(r)] = true
		}
	}
	var walk func(*Elem)
	walk = func(e *Elem) {
		add(e.Text)
		for _, k := range e.Kids {
			walk(k)
		}
	}
	walk(root)
	add(extra)
	for r := range seen {
		if fontFor(r) == fontLatin {
			latin = append(latin, r)
		} else {
			cjk = append(cjk, r)
		}
	}
	sort.Slice(cjk, func(i, j int) bool { return cjk[i] < cjk[j] })
	sort.Slice(latin, func(i, j int) bool { return latin[i] < latin[j] })
	return cjk, latin
}

const (
	pageLabel = "第页共 0123456789/•."
	watermark = "样稿 仅供预览 PREVIEW"
)

// WritePDF lays out a tree on A4 pages and writes the PDF. The output depends only on its
// inputs: fixed creation date, sorted objects, subset fonts cut from the same glyphs.
// layoutPages lays a document out on A4 pages: its items placed, and how many pages they take.
// The fonts must be loaded.
func layoutPages(root *Elem) ([]placed, int) {
	l := &layouter{}
	return paginate(l.flow(root, style{size: bodyPt, align: "left"}, contentW))
}

func WritePDF(root *Elem, images *Assets, meta Meta) ([]byte, error) {
	if err := loadFonts(); err != nil {
		return nil, err
	}
	ps, pages := layoutPages(root)

	pdf := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", Size: fpdf.SizeType{Wd: pageW, Ht: pageH}})
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(meta.Created)
	pdf.SetModificationDate(meta.Created)
	pdf.SetTitle(meta.Title, true)
	pdf.SetSubject(meta.Subject, false)
	pdf.SetKeywords(meta.Keywords, false)
	pdf.SetAuthor(meta.Author, true)
	pdf.SetCreator("Zhifa 执法文书", true)
	pdf.SetProducer("Zhifa", false)
	pdf.SetMargins(marginL, marginT, marginR)
	pdf.SetAutoPageBreak(false, marginB)
	extra := pageLabel
	if meta.Preview {
		extra += watermark
	}
	cjk, latin := runesOf(root, extra)
	pdf.AddUTF8FontFromBytes("cjk", "", fontCJK.subset(cjk))
	pdf.AddUTF8FontFromBytes("lat", "", fontLatin.subset(latin))
	if images.sealPNG != nil && HasImage(root, SrcSeal) {
		pdf.RegisterImageOptionsReader(SrcSeal, fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(images.sealPNG))
	}
	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("documents: pdf setup: %w", err)
	}
	d := fpdfDrawer{pdf: pdf, images: images}
	for page := 0; page < pages; page++ {
		pdf.AddPage()
		if meta.Preview {
			pdf.SetAlpha(0.18, "Normal")
			pdf.TransformBegin()
			pdf.TransformRotate(35, pageW/2, pageH/2)
			x := pageW/2 - 70
			for _, seg := range splitByFont(watermark) {
				d.text(x, pageH/2, seg.s, seg.f, style{size: 36})
				x += seg.w * mm(36)
			}
			pdf.TransformEnd()
			pdf.SetAlpha(1, "Normal")
		}
		var onPage []placed
		for _, p := range ps {
			if p.page == page {
				onPage = append(onPage, p)
			}
		}
		drawPlaced(d, onPage)
		label := "第 " + strconv.Itoa(page+1) + " 页 / 共 " + strconv.Itoa(pages) + " 页"
		st := style{size: 9, muted: true}
		w := 0.0
		for _, r := range label {
			w += fontFor(r).width(r) * mm(st.size)
		}
		x := (pageW - w) / 2
		for _, seg := range splitByFont(label) {
			d.text(x, pageH-12, seg.s, seg.f, st)
			x += seg.w * mm(st.size)
		}
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("documents: pdf: %w", err)
	}
	return buf.Bytes(), nil
}

type fontRun struct {
	s string
	f *ttFont
	w float64 // in em
}

// splitByFont cuts s into runs drawn by one font each.
func splitByFont(s string) []fontRun {
	var out []fontRun
	for _, r := range s {
		r = drawable(r)
		f := fontFor(r)
		if n := len(out); n > 0 && out[n-1].f == f {
			out[n-1].s += string(r)
			out[n-1].w += f.width(r)
			continue
		}
		out = append(out, fontRun{string(r), f, f.width(r)})
	}
	return out
}
