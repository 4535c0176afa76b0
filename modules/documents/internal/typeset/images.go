package typeset

import (
	"encoding/base64"
	"fmt"
	"math"
	"strings"
	"sync"

	"github.com/hashicorp/golang-lru/v2"
	qrcode "github.com/skip2/go-qrcode"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// The images a document draws: the seal (印章), an uploaded PNG or a round red seal generated
// from the agency's name: a ring, the name clockwise along the upper arc with each character's
// top outward, and a five-pointed star, as agencies' seals look. The generated seal is vector
// graphics (the glyph outlines of the embedded font), so it stays sharp, costs little to draw,
// and adds no text to the PDF's text layer. It depends only on the name, so a document
// re-renders identically. The QR code is drawn as vector squares too.

// sealOp is one path operation of a glyph outline, in millimetres from the seal's centre.
type sealOp struct {
	op  sfnt.SegmentOp
	pts []float64 // x, y pairs
}

// vectorSeal is a generated seal, in millimetres from its centre (y down), sealMM across.
type vectorSeal struct {
	ringR, ringW float64
	star         []float64
	glyphs       [][]sealOp
}

var (
	sealCache, _ = lru.New[string, *vectorSeal](512)
	sealMu       sync.Mutex
	sealFont     *sfnt.Font
)

// generatedSeal returns the round seal with name.
func generatedSeal(name string) (*vectorSeal, error) {
	if s, ok := sealCache.Get(name); ok {
		return s, nil
	}
	sealMu.Lock()
	defer sealMu.Unlock()
	if sealFont == nil {
		f, err := sfnt.Parse(droidTTF)
		if err != nil {
			return nil, err
		}
		sealFont = f
	}
	r := sealMM / 2
	s := &vectorSeal{ringR: r - 0.75, ringW: 1.5}
	for i := 0; i < 10; i++ {
		rad := 6.8
		if i%2 == 1 {
			rad = 6.8 * 0.382
		}
		a := float64(i)*math.Pi/5 - math.Pi/2
		s.star = append(s.star, rad*math.Cos(a), rad*math.Sin(a))
	}
	runes := []rune(name)
	if len(runes) > 0 {
		const maxSpan = 250 * math.Pi / 180
		size := 5.6 // mm
		var base, step float64
		for i := 0; i < 8; i++ {
			base = r - s.ringW - 1.1 - size*0.86
			step = size * 1.04 / base
			if len(runes) == 1 || step*float64(len(runes)-1) <= maxSpan {
				break
			}
			size *= maxSpan / (step * float64(len(runes)-1))
		}
		var buf sfnt.Buffer
		upem := float64(sealFont.UnitsPerEm())
		ppem := fixed.Int26_6(sealFont.UnitsPerEm()) << 6
		unit := size / upem / 64 // 26.6 font units -> mm
		start := -step * float64(len(runes)-1) / 2
		for i, ch := range runes {
			gid, err := sealFont.GlyphIndex(&buf, ch)
			if err != nil || gid == 0 {
				continue
			}
			adv, err := sealFont.GlyphAdvance(&buf, gid, ppem, 0)
			if err != nil {
				return nil, err
			}
			segs, err := sealFont.LoadGlyph(&buf, gid, ppem, nil)
			if err != nil {
				return nil, err
			}
			theta := start + float64(i)*step
			px, py := base*math.Sin(theta), -base*math.Cos(theta)
			rx, ry := math.Cos(theta), math.Sin(theta)  // the glyph's right
			dx, dy := -math.Sin(theta), math.Cos(theta) // the glyph's down
			half := float64(adv) * unit / 2
			var g []sealOp
			for _, seg := range segs {
				n := map[sfnt.SegmentOp]int{sfnt.SegmentOpMoveTo: 1, sfnt.SegmentOpLineTo: 1, sfnt.SegmentOpQuadTo: 2, sfnt.SegmentOpCubeTo: 3}[seg.Op]
				op := sealOp{op: seg.Op}
				for _, a := range seg.Args[:n] {
					gx, gy := float64(a.X)*unit-half, float64(a.Y)*unit
					op.pts = append(op.pts, px+rx*gx+dx*gy, py+ry*gx+dy*gy)
				}
				g = append(g, op)
			}
			s.glyphs = append(s.glyphs, g)
		}
	}
	sealCache.Add(name, s)
	return s, nil
}

// svg returns the seal as an SVG image.
func (s *vectorSeal) svg() []byte {
	var b strings.Builder
	h := sealMM / 2
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="%g %g %g %g" width="%gmm" height="%gmm">`, -h, -h, sealMM, sealMM, sealMM, sealMM)
	fmt.Fprintf(&b, `<g fill="#D61F26" fill-opacity="0.93"><circle r="%.3f" fill="none" stroke="#D61F26" stroke-width="%.3f"/>`, s.ringR, s.ringW)
	b.WriteString(`<path d="M`)
	for i := 0; i < len(s.star); i += 2 {
		if i > 0 {
			b.WriteString(" L")
		}
		fmt.Fprintf(&b, "%.3f %.3f", s.star[i], s.star[i+1])
	}
	b.WriteString(` Z`)
	for _, g := range s.glyphs {
		for _, op := range g {
			switch op.op {
			case sfnt.SegmentOpMoveTo:
				b.WriteString(" M")
			case sfnt.SegmentOpLineTo:
				b.WriteString(" L")
			case sfnt.SegmentOpQuadTo:
				b.WriteString(" Q")
			case sfnt.SegmentOpCubeTo:
				b.WriteString(" C")
			}
			for i := 0; i < len(op.pts); i += 2 {
				fmt.Fprintf(&b, "%.3f %.3f ", op.pts[i], op.pts[i+1])
			}
		}
	}
	b.WriteString(`"/></g></svg>`)
	return []byte(b.String())
}

// qrMatrix returns the modules of the QR code of content (true: dark), with its quiet zone.
func qrMatrix(content string) ([][]bool, error) {
	q, err := qrcode.New(content, qrcode.Medium)
	if err != nil {
		return nil, err
	}
	return q.Bitmap(), nil
}

// qrSVG returns a QR matrix as an SVG image.
func qrSVG(m [][]bool) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges"><rect width="100%%" height="100%%" fill="#fff"/><path fill="#000" d="`, len(m), len(m))
	for y, row := range m {
		for x, dark := range row {
			if dark {
				fmt.Fprintf(&b, "M%d %dh1v1h-1z", x, y)
			}
		}
	}
	b.WriteString(`"/></svg>`)
	return []byte(b.String())
}

// Assets are the images a rendering draws: the seal (uploaded PNG or generated) and the QR code.
// The zero value draws neither (a blank square where the markup places them).
type Assets struct {
	sealPNG []byte
	seal    *vectorSeal
	qr      [][]bool
}

// NewAssets returns the images of a document: the uploaded seal sealPNG (a PNG the PDF writer
// reads: 8-bit RGBA), or when it is nil the seal generated from sealName, and the QR code of
// qrContent.
func NewAssets(sealPNG []byte, sealName, qrContent string) (*Assets, error) {
	a := &Assets{sealPNG: sealPNG}
	if sealPNG == nil {
		seal, err := generatedSeal(sealName)
		if err != nil {
			return nil, err
		}
		a.seal = seal
	}
	qr, err := qrMatrix(qrContent)
	if err != nil {
		return nil, err
	}
	a.qr = qr
	return a, nil
}

// dataURI returns an image of the markup as a data: URI for the HTML rendering.
func (a *Assets) dataURI(src string) string {
	switch {
	case src == SrcSeal && a.sealPNG != nil:
		return "data:image/png;base64," + base64.StdEncoding.EncodeToString(a.sealPNG)
	case src == SrcSeal && a.seal != nil:
		return "data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString(a.seal.svg())
	case src == SrcQR && a.qr != nil:
		return "data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString(qrSVG(a.qr))
	}
	return "data:,"
}
