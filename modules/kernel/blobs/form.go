package blobs

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"

	"zhifa/modules/kernel/errs"
)

// MaxFieldBytes bounds the text fields of an upload form together.
const MaxFieldBytes = 1 << 20

// Form is a multipart upload read as a stream: its text fields, and its one file, staged.
type Form struct {
	Values   url.Values
	FileName string
	File     *Staged // the caller keeps it after its record commits, and discards it in any case
}

// Value is the first value of field k, or "".
func (f *Form) Value(k string) string { return f.Values.Get(k) }

// ReceiveForm reads req's multipart/form-data body part by part: its text fields into Values
// (together at most MaxFieldBytes), and the one part named file staged in the store as it arrives,
// never held in memory whole. It refuses another content type, a malformed form, a second file
// (Invalid), a form without its file (noFile), a file or a body over its limit (TooLarge); nothing
// is left behind on refusal.
func (s Store) ReceiveForm(req *http.Request, tenantID string, noFile *errs.Error) (*Form, error) {
	if mt, _, _ := mime.ParseMediaType(req.Header.Get("Content-Type")); mt != "multipart/form-data" {
		return nil, errs.E(errs.Invalid, "上传须为 multipart/form-data", "an upload must be multipart/form-data")
	}
	mr, err := req.MultipartReader()
	if err != nil {
		return nil, formError(err)
	}
	f := &Form{Values: url.Values{}}
	fail := func(err error) (*Form, error) {
		f.File.Discard()
		return nil, err
	}
	room := int64(MaxFieldBytes)
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fail(formError(err))
		}
		if p.FormName() == "file" {
			if f.File != nil {
				return fail(errs.E(errs.Invalid, "只能上传一个文件（字段 file）", "upload one file only (field file)").
					WithFields(errs.Field("file", "重复", "repeated")))
			}
			if f.File, err = s.Stage(tenantID, p); err != nil {
				return fail(err)
			}
			f.FileName = p.FileName()
			continue
		}
		v, err := io.ReadAll(io.LimitReader(p, room+1))
		if err != nil {
			return fail(formError(err))
		}
		if room -= int64(len(v)); room < 0 {
			return fail(errs.Ef(errs.TooLarge, "表单字段合计超过 %d KiB", "the form's fields exceed %d KiB together", MaxFieldBytes>>10))
		}
		f.Values.Add(p.FormName(), string(v))
	}
	if f.File == nil {
		return nil, noFile
	}
	return f, nil
}

// formError is the refusal of a form that cannot be read: TooLarge when the body was cut at its
// limit, else Invalid.
func formError(err error) error {
	var mb *http.MaxBytesError
	if errors.As(err, &mb) || errs.CodeOf(err) != errs.Internal {
		return uploadError(err)
	}
	return errs.E(errs.Invalid, "无法解析上传内容", "cannot parse the upload").WithCause(err)
}
