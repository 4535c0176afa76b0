package typeset

import "fmt"

// SealOverlaps lays a document out as the PDF writer does and returns the drawn lines and rows
// outside each seal's own block that the seal's square covers (by their page and height; none
// when every seal lies over its signature alone): the check that a template's seal leaves the
// text around its signature readable.
func SealOverlaps(root *Elem) ([]string, error) {
	if err := loadFonts(); err != nil {
		return nil, err
	}
	ps, _ := layoutPages(root)
	var overlaps []string
	for i := range ps {
		x, y, ok := sealAt(ps, i)
		if !ok {
			continue
		}
		for _, q := range ps {
			if q.page != ps[i].page || q.it.group == ps[i].it.group || q.it.draw == nil {
				continue
			}
			left, right := q.x+q.it.left, q.x+q.it.right
			if q.it.right <= q.it.left {
				if q.it.split == nil {
					continue // a line without ink (an empty spacer paragraph)
				}
				left, right = q.x, q.x+q.w // a table row: its whole width
			}
			if q.y < y+sealMM && q.y+q.it.h > y && left < x+sealMM && right > x {
				overlaps = append(overlaps, fmt.Sprintf("page %d, %.1f mm to %.1f mm", q.page+1, q.y, q.y+q.it.h))
			}
		}
	}
	return overlaps, nil
}
