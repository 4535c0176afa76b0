package documents

import (
	"bytes"
	"image"
	"image/png"

	"golang.org/x/image/draw"

	"zhifa/modules/kernel/errs"
)

// The seal (印章) of a document is the image the template version carries (a body's uploaded
// seal, PNG), or the round red seal the typesetting engine generates from the body's name
// (internal/typeset).

const (
	// MaxSealBytes bounds an uploaded seal image.
	MaxSealBytes = 1 << 20
	sealMaxPx    = 600 // an uploaded seal is scaled down to at most this many pixels a side
)

// normaliseSeal checks an uploaded seal (PNG, at most MaxSealBytes, 64 to 4000 pixels a side),
// scales it down to at most sealMaxPx a side and re-encodes it as 8-bit RGBA, which the PDF
// writer reads. Returns Invalid.
func normaliseSeal(b []byte) ([]byte, error) {
	bad := func(zh, en string) error {
		return errs.E(errs.Invalid, "印章图片有误："+zh, "invalid seal image: "+en).WithFields(errs.Field("seal_png", zh, en))
	}
	if len(b) > MaxSealBytes {
		return nil, bad("不能超过 1 MiB", "at most 1 MiB")
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return nil, bad("须为 PNG 图片（建议透明背景）", "must be a PNG image (a transparent background is best)")
	}
	if cfg.Width < 64 || cfg.Height < 64 || cfg.Width > 4000 || cfg.Height > 4000 {
		return nil, bad("宽和高须在 64 至 4000 像素之间", "width and height must be from 64 to 4000 pixels")
	}
	src, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, bad("无法解码", "cannot decode it")
	}
	w, h := cfg.Width, cfg.Height
	if m := max(w, h); m > sealMaxPx {
		w, h = w*sealMaxPx/m, h*sealMaxPx/m
	}
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	draw.CatmullRom.Scale(img, img.Bounds(), src, src.Bounds(), draw.Src, nil)
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
