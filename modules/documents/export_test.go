package documents

import (
	"context"
	"time"

	"zhifa/modules/documents/internal/typeset"
)

// RenderPDFForTest renders a template's source on data (completed) as an issued document would
// be, with the generated seal of the body in the data and a QR code: the PDF renderer on its own,
// for the benchmarks.
func RenderPDFForTest(ctx context.Context, ti *TypeInfo, src string, data map[string]any) ([]byte, error) {
	p, m, err := compileForTest(ti, src, data)
	if err != nil {
		return nil, err
	}
	a, err := documentAssets(m, nil, "https://zhifa.example.gov.cn/verify/0196d3c2-8f4e-7a31-9b1c-2f3e4d5c6b7a?case=ZF35042620260000017")
	if err != nil {
		return nil, err
	}
	r, err := render(ctx, p, m, a, &typeset.Meta{Title: ti.Name.ZH, Subject: subjectPrefix + "0196d3c2-8f4e-7a31-9b1c-2f3e4d5c6b7a",
		Author: "尤溪县市场监督管理局", Created: time.Date(2026, 1, 26, 2, 0, 0, 0, time.UTC)}, DefaultLimits)
	if err != nil {
		return nil, err
	}
	return r.pdf, nil
}

// SealOverlapsForTest renders a template's source on data, lays it out as the PDF renderer does
// and returns the drawn lines and rows outside each seal's own block that the seal's square
// covers (by their page and height; none when every seal lies over its signature alone).
func SealOverlapsForTest(ctx context.Context, ti *TypeInfo, src string, data map[string]any) ([]string, error) {
	p, m, err := compileForTest(ti, src, data)
	if err != nil {
		return nil, err
	}
	r, err := render(ctx, p, m, &typeset.Assets{}, nil, DefaultLimits)
	if err != nil {
		return nil, err
	}
	return typeset.SealOverlaps(r.tree)
}

// compileForTest compiles a template's source and completes data for its type.
func compileForTest(ti *TypeInfo, src string, data map[string]any) (*Program, map[string]any, error) {
	p, err := Compile(ti, src)
	if err != nil {
		return nil, nil, err
	}
	m, _, err := canonical(ti, data)
	return p, m, err
}
