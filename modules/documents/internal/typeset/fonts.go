package typeset

import (
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"sync"

	"golang.org/x/image/font/gofont/goregular"
)

// The fonts come with the repository (Droid Sans Fallback, for Chinese) and with a Go module
// (the Go font, for Latin letters and digits, which the fallback font lacks), so `make run`
// needs nothing installed. See fonts/README.md for their licences.

//go:embed fonts/DroidSansFallbackFull.ttf
var droidTTF []byte

// ttFont is a parsed TrueType font: enough to measure text and to cut a subset with the glyphs a
// document uses. Parsed once; read-only afterwards, so safe for concurrent use.
type ttFont struct {
	name       string
	data       []byte
	tables     map[string][]byte
	unitsPerEm float64
	ascent     float64 // in em
	descent    float64 // in em, negative
	cmap       map[rune]uint16
	advance    []uint16 // per glyph, in font units
	lsb        []int16
	loca       []uint32
	numGlyphs  int
}

var (
	fontsOnce sync.Once
	fontCJK   *ttFont
	fontLatin *ttFont
	fontsErr  error
)

// loadFonts parses the embedded fonts once.
func loadFonts() error {
	fontsOnce.Do(func() {
		if fontCJK, fontsErr = parseTT("cjk", droidTTF); fontsErr != nil {
			return
		}
		fontLatin, fontsErr = parseTT("latin", goregular.TTF)
	})
	return fontsErr
}

// fontFor returns the font that draws r: the Go font for Latin and other alphabetic scripts,
// the fallback font for Chinese, its punctuation and full-width forms.
func fontFor(r rune) *ttFont {
	if r < 0x2000 && fontLatin.has(r) {
		return fontLatin
	}
	if fontCJK.has(r) {
		return fontCJK
	}
	if fontLatin.has(r) {
		return fontLatin
	}
	return fontCJK
}

// drawable replaces runes no font draws (and those outside the Basic Multilingual Plane, which
// the PDF writer cannot encode) by a white square.
func drawable(r rune) rune {
	if r > 0xFFFF || (!fontCJK.has(r) && !fontLatin.has(r)) {
		return '□'
	}
	return r
}

func (f *ttFont) has(r rune) bool { _, ok := f.cmap[r]; return ok }

// width returns the advance of r in em.
func (f *ttFont) width(r rune) float64 {
	g, ok := f.cmap[r]
	if !ok {
		g = 0
	}
	return float64(f.advance[g]) / f.unitsPerEm
}

var errFont = errors.New("documents: malformed TrueType font")

func u16(b []byte, off int) int { return int(binary.BigEndian.Uint16(b[off:])) }
func u32(b []byte, off int) int { return int(binary.BigEndian.Uint32(b[off:])) }

// parseTT reads the tables of a TrueType font (glyf outlines; not CFF, not a collection).
func parseTT(name string, data []byte) (f *ttFont, err error) {
	defer func() {
		if recover() != nil {
			f, err = nil, fmt.Errorf("%w: %s", errFont, name)
		}
	}()
	if len(data) < 12 || (binary.BigEndian.Uint32(data) != 0x00010000 && string(data[:4]) != "true") {
		return nil, fmt.Errorf("%w: %s is not TrueType", errFont, name)
	}
	f = &ttFont{name: name, data: data, tables: map[string][]byte{}}
	n := u16(data, 4)
	for i := 0; i < n; i++ {
		rec := data[12+16*i:]
		off, length := u32(rec, 8), u32(rec, 12)
		f.tables[string(rec[:4])] = data[off : off+length]
	}
	for _, t := range []string{"head", "hhea", "maxp", "hmtx", "loca", "glyf", "cmap", "name", "OS/2", "post"} {
		if f.tables[t] == nil {
			return nil, fmt.Errorf("%w: %s has no %s table", errFont, name, t)
		}
	}
	head, hhea := f.tables["head"], f.tables["hhea"]
	f.unitsPerEm = float64(u16(head, 18))
	f.ascent = float64(int16(u16(hhea, 4))) / f.unitsPerEm
	f.descent = float64(int16(u16(hhea, 6))) / f.unitsPerEm
	f.numGlyphs = u16(f.tables["maxp"], 4)
	numH := u16(hhea, 34)
	hmtx := f.tables["hmtx"]
	f.advance = make([]uint16, f.numGlyphs)
	f.lsb = make([]int16, f.numGlyphs)
	for g := 0; g < f.numGlyphs; g++ {
		if g < numH {
			f.advance[g], f.lsb[g] = uint16(u16(hmtx, 4*g)), int16(u16(hmtx, 4*g+2))
		} else {
			f.advance[g], f.lsb[g] = f.advance[numH-1], int16(u16(hmtx, 4*numH+2*(g-numH)))
		}
	}
	loca := f.tables["loca"]
	f.loca = make([]uint32, f.numGlyphs+1)
	long := int16(u16(head, 50)) == 1
	for g := 0; g <= f.numGlyphs; g++ {
		if long {
			f.loca[g] = uint32(u32(loca, 4*g))
		} else {
			f.loca[g] = uint32(u16(loca, 2*g)) * 2
		}
	}
	f.cmap, err = parseCmap(f.tables["cmap"], f.numGlyphs)
	return f, err
}

// parseCmap reads the Unicode mapping: format 12 (full Unicode) if present, else format 4.
func parseCmap(c []byte, numGlyphs int) (map[rune]uint16, error) {
	var f4, f12 int
	for i := 0; i < u16(c, 2); i++ {
		rec := c[4+8*i:]
		pid, eid, off := u16(rec, 0), u16(rec, 2), u32(rec, 4)
		if !(pid == 0 || (pid == 3 && (eid == 1 || eid == 10))) {
			continue
		}
		switch u16(c, off) {
		case 4:
			if f4 == 0 {
				f4 = off
			}
		case 12:
			if f12 == 0 {
				f12 = off
			}
		}
	}
	m := map[rune]uint16{}
	switch {
	case f12 != 0:
		groups := u32(c, f12+12)
		for i := 0; i < groups; i++ {
			g := c[f12+16+12*i:]
			start, end, gid := u32(g, 0), u32(g, 4), u32(g, 8)
			for r := start; r <= end && r-start < 0x10000; r++ {
				if id := gid + (r - start); id < numGlyphs && id != 0 {
					m[rune(r)] = uint16(id)
				}
			}
		}
	case f4 != 0:
		segs := u16(c, f4+6) / 2
		ends, starts := f4+14, f4+16+2*segs
		deltas, ranges := starts+2*segs, starts+4*segs
		for s := 0; s < segs; s++ {
			end, start := u16(c, ends+2*s), u16(c, starts+2*s)
			delta, ro := u16(c, deltas+2*s), u16(c, ranges+2*s)
			for r := start; r <= end && r != 0xFFFF; r++ {
				var gid int
				if ro == 0 {
					gid = (r + delta) & 0xFFFF
				} else {
					addr := ranges + 2*s + ro + 2*(r-start)
					if addr+2 > len(c) {
						continue
					}
					if g := u16(c, addr); g != 0 {
						gid = (g + delta) & 0xFFFF
					}
				}
				if gid != 0 && gid < numGlyphs {
					m[rune(r)] = uint16(gid)
				}
			}
		}
	default:
		return nil, fmt.Errorf("%w: no Unicode cmap", errFont)
	}
	return m, nil
}

// glyph returns a glyph's outline data.
func (f *ttFont) glyph(g int) []byte {
	glyf := f.tables["glyf"]
	a, b := int(f.loca[g]), int(f.loca[g+1])
	if a >= b || b > len(glyf) {
		return nil
	}
	return glyf[a:b]
}

// Composite glyph flags.
const (
	argsAreWords   = 0x0001
	haveScale      = 0x0008
	moreComponents = 0x0020
	haveXYScale    = 0x0040
	haveTwoByTwo   = 0x0080
)

// components calls fn with the offset of each component glyph index of a composite glyph.
func components(data []byte, fn func(off int)) {
	if len(data) < 10 || int16(u16(data, 0)) >= 0 {
		return
	}
	off := 10
	for {
		flags := u16(data, off)
		fn(off + 2)
		off += 4
		if flags&argsAreWords != 0 {
			off += 4
		} else {
			off += 2
		}
		switch {
		case flags&haveScale != 0:
			off += 2
		case flags&haveXYScale != 0:
			off += 4
		case flags&haveTwoByTwo != 0:
			off += 8
		}
		if flags&moreComponents == 0 || off+4 > len(data) {
			return
		}
	}
}

// subset returns a TrueType font with only the glyphs of runes (plus .notdef and the
// components of composite glyphs), mapped by a format 4 cmap. The PDF writer then parses this
// small font instead of the whole one. The output depends only on the set of runes.
func (f *ttFont) subset(runes []rune) []byte {
	old := map[int]bool{0: true}
	var queue []int
	for _, r := range runes {
		if g, ok := f.cmap[r]; ok && !old[int(g)] {
			old[int(g)] = true
			queue = append(queue, int(g))
		}
	}
	for len(queue) > 0 {
		g := queue[0]
		queue = queue[1:]
		data := f.glyph(g)
		components(data, func(off int) {
			c := u16(data, off)
			if c < f.numGlyphs && !old[c] {
				old[c] = true
				queue = append(queue, c)
			}
		})
	}
	order := make([]int, 0, len(old))
	for g := range old {
		order = append(order, g)
	}
	sort.Ints(order)
	newID := make(map[int]int, len(order))
	for i, g := range order {
		newID[g] = i
	}
	n := len(order)

	var glyf []byte
	loca := make([]byte, 4*(n+1))
	hmtx := make([]byte, 4*n)
	for i, g := range order {
		binary.BigEndian.PutUint32(loca[4*i:], uint32(len(glyf)))
		data := append([]byte(nil), f.glyph(g)...)
		components(data, func(off int) {
			binary.BigEndian.PutUint16(data[off:], uint16(newID[u16(data, off)]))
		})
		glyf = append(glyf, data...)
		for len(glyf)%4 != 0 {
			glyf = append(glyf, 0)
		}
		binary.BigEndian.PutUint16(hmtx[4*i:], f.advance[g])
		binary.BigEndian.PutUint16(hmtx[4*i+2:], uint16(f.lsb[g]))
	}
	binary.BigEndian.PutUint32(loca[4*n:], uint32(len(glyf)))

	head := append([]byte(nil), f.tables["head"]...)
	binary.BigEndian.PutUint32(head[8:], 0) // checkSumAdjustment, set below
	binary.BigEndian.PutUint16(head[50:], 1)
	hhea := append([]byte(nil), f.tables["hhea"]...)
	binary.BigEndian.PutUint16(hhea[34:], uint16(n))
	maxp := append([]byte(nil), f.tables["maxp"]...)
	binary.BigEndian.PutUint16(maxp[4:], uint16(n))
	post := append([]byte(nil), f.tables["post"][:32]...)
	binary.BigEndian.PutUint32(post[0:], 0x00030000)

	tables := map[string][]byte{
		"head": head, "hhea": hhea, "maxp": maxp, "hmtx": hmtx, "loca": loca, "glyf": glyf,
		"cmap": f.subsetCmap(runes, newID), "post": post, "name": f.tables["name"], "OS/2": f.tables["OS/2"],
	}
	for _, t := range []string{"cvt ", "fpgm", "prep"} {
		if b := f.tables[t]; b != nil {
			tables[t] = b
		}
	}
	out := assemble(tables)
	binary.BigEndian.PutUint32(out[headOffset(out)+8:], 0xB1B0AFBA-checksum(out))
	return out
}

// subsetCmap builds a format 4 cmap with one segment per rune.
func (f *ttFont) subsetCmap(runes []rune, newID map[int]int) []byte {
	seen := map[rune]bool{}
	var rs []rune
	for _, r := range runes {
		if _, ok := f.cmap[r]; ok && r < 0xFFFF && !seen[r] {
			seen[r] = true
			rs = append(rs, r)
		}
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i] < rs[j] })
	segs := len(rs) + 1
	sub := make([]byte, 16+8*segs)
	binary.BigEndian.PutUint16(sub[0:], 4)
	binary.BigEndian.PutUint16(sub[2:], uint16(len(sub)))
	binary.BigEndian.PutUint16(sub[6:], uint16(2*segs))
	sr := 2
	sel := 0
	for sr*2 <= 2*segs {
		sr *= 2
		sel++
	}
	binary.BigEndian.PutUint16(sub[8:], uint16(sr))
	binary.BigEndian.PutUint16(sub[10:], uint16(sel-1))
	binary.BigEndian.PutUint16(sub[12:], uint16(2*segs-sr))
	ends, starts := 14, 16+2*segs
	deltas := starts + 2*segs
	for i := 0; i < segs; i++ {
		r, gid := 0xFFFF, 0
		if i < len(rs) {
			r, gid = int(rs[i]), newID[int(f.cmap[rs[i]])]
		} else {
			gid = 0xFFFF + 1 // maps 0xFFFF to glyph 0
		}
		binary.BigEndian.PutUint16(sub[ends+2*i:], uint16(r))
		binary.BigEndian.PutUint16(sub[starts+2*i:], uint16(r))
		binary.BigEndian.PutUint16(sub[deltas+2*i:], uint16((gid-r)&0xFFFF))
	}
	cmap := make([]byte, 12, 12+len(sub))
	binary.BigEndian.PutUint16(cmap[2:], 1)
	binary.BigEndian.PutUint16(cmap[4:], 3)
	binary.BigEndian.PutUint16(cmap[6:], 1)
	binary.BigEndian.PutUint32(cmap[8:], 12)
	return append(cmap, sub...)
}

// assemble writes a font file from its tables, in tag order, each 4-byte aligned.
func assemble(tables map[string][]byte) []byte {
	tags := make([]string, 0, len(tables))
	for t := range tables {
		tags = append(tags, t)
	}
	sort.Strings(tags)
	n := len(tags)
	out := make([]byte, 12+16*n)
	binary.BigEndian.PutUint32(out[0:], 0x00010000)
	binary.BigEndian.PutUint16(out[4:], uint16(n))
	sr, sel := 1, 0
	for sr*2 <= n {
		sr *= 2
		sel++
	}
	binary.BigEndian.PutUint16(out[6:], uint16(16*sr))
	binary.BigEndian.PutUint16(out[8:], uint16(sel))
	binary.BigEndian.PutUint16(out[10:], uint16(16*(n-sr)))
	for i, t := range tags {
		b := tables[t]
		rec := out[12+16*i:]
		copy(rec, t)
		binary.BigEndian.PutUint32(rec[4:], checksum(b))
		binary.BigEndian.PutUint32(rec[8:], uint32(len(out)))
		binary.BigEndian.PutUint32(rec[12:], uint32(len(b)))
		out = append(out, b...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	return out
}

func headOffset(font []byte) int {
	for i := 0; i < u16(font, 4); i++ {
		rec := font[12+16*i:]
		if string(rec[:4]) == "head" {
			return u32(rec, 8)
		}
	}
	return 0
}

func checksum(b []byte) uint32 {
	var sum uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		sum += binary.BigEndian.Uint32(w[:])
	}
	return sum
}
