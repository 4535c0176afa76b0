package documents_test

import (
	"bytes"
	"regexp"
	"testing"

	"zhifa/app/dbtest"
	"zhifa/modules/documents"
	"zhifa/modules/kernel/errs"
)

// subjectID finds the document a file names in its metadata, as verification reads it.
var subjectID = regexp.MustCompile(`zhifa-document:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})`)

// FuzzVerifyPDF uploads any bytes for verification, on their own and against an issued
// document: the verdict is authentic only for the very bytes the platform signed; a file naming
// that document but differing from it is altered; anything else (unsigned, garbage, another
// platform's PDF) is unknown and names no document. Every verdict carries the upload's SM3 and
// a message in both languages; an empty upload is an Invalid naming the file. Never a panic or
// a 5xx.
func FuzzVerifyPDF(f *testing.F) {
	w := newWorld(f, dbtest.SQLite(f))
	d := w.issue(f, w.officer, w.caseA)
	pdf, _, err := w.svc.PDF(ctx, w.officer, d.ID)
	noErr(f, err)
	f.Add(pdf)
	f.Add(pdf[:len(pdf)/2])
	f.Add([]byte("%PDF-1.4 not ours"))
	f.Add([]byte("%PDF-1.7\n1 0 obj << /Subject (zhifa-document:" + d.ID + ") >> endobj\n%%EOF"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, id := range []string{"", d.ID} {
			v, err := w.svc.VerifyPDF(ctx, id, b)
			if len(b) == 0 {
				if e := errs.As(err); e.Code != errs.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != "file" || e.Message.EN == "" {
					t.Fatalf("an empty upload: %v, want Invalid naming the file", err)
				}
				continue
			}
			if err != nil {
				t.Fatalf("verify (id %q): %v", id, err)
			}
			names := id != ""
			if m := subjectID.FindSubmatch(b); m != nil && string(m[1]) == d.ID {
				names = true
			}
			switch {
			case bytes.Equal(b, pdf):
				if !v.Valid || v.Status != documents.VerdictAuthentic || v.DocumentID != d.ID {
					t.Fatalf("the issued PDF: %+v", v)
				}
			case names:
				if v.Valid || v.Status != documents.VerdictAltered || v.DocumentID != d.ID {
					t.Fatalf("a changed copy (id %q): %+v", id, v)
				}
			default:
				if v.Valid || v.Status != documents.VerdictUnknown || v.DocumentID != "" || v.Number != "" || v.Body != "" {
					t.Fatalf("a stranger's file: %+v", v)
				}
			}
			if v.SM3 != documents.SM3Hex(b) || v.Message.ZH == "" || v.Message.EN == "" {
				t.Fatalf("verdict %+v, want the upload's SM3 and a message in both languages", v)
			}
		}
	})
}
