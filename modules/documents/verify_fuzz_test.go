package documents_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"

	"github.com/labstack/echo/v4"

	"zhifa/app/apitest"
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
	w, d, pdf := issuedPDF(f)
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

// issuedPDF is a world with one issued penalty decision, on SQLite, and its PDF.
func issuedPDF(f *testing.F) (*world, *documents.Document, []byte) {
	w := newWorld(f, dbtest.SQLite(f))
	d := w.issue(f, w.officer, w.caseA)
	pdf, _, err := w.svc.PDF(ctx, w.officer, d.ID)
	noErr(f, err)
	return w, d, pdf
}

// FuzzVerifyUpload posts any body, of any content type (a PDF, a multipart form with the file
// part or without, anything else), to the verification API and to the public verification
// page: never a 5xx; the API's 200 is a verdict, authentic only when the upload holds the issued
// PDF. The seeds are small (the head of the PDF): the verdicts themselves are FuzzVerifyPDF's,
// and a large input makes the fuzzer's minimisation of each new one slow.
func FuzzVerifyUpload(f *testing.F) {
	w, d, pdf := issuedPDF(f)
	e, api := apitest.NewAPI(apitest.Auth(w.db))
	w.svc.Routes(api)
	w.svc.PublicRoutes(e)
	part := func(name string, b []byte) []byte {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		_ = mw.SetBoundary("zhifa-boundary")
		fw, _ := mw.CreateFormFile(name, "决定书.pdf")
		_, _ = fw.Write(b)
		_ = mw.Close()
		return buf.Bytes()
	}
	form := "multipart/form-data; boundary=zhifa-boundary"
	for _, s := range []struct {
		ct   string
		body []byte
	}{
		{"application/pdf", pdf[:512]},
		{form, part("file", pdf[:512])},
		{form, part("other", []byte("%PDF-1.4"))},
		{form, []byte("--zhifa-boundary\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n%PDF")},
		{"multipart/form-data", []byte("x")},
		{"application/pdf", nil},
		{"text/plain", []byte("%PDF-1.4 not ours")},
	} {
		f.Add(s.ct, s.body)
	}
	f.Fuzz(func(t *testing.T, ct string, body []byte) {
		for _, path := range []string{"/api/v1/verify", "/verify/" + d.ID} {
			req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
			req.Header.Set(echo.HeaderContentType, ct)
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, req)
			if rec.Code >= 500 {
				t.Fatalf("POST %s answered %d: %s", path, rec.Code, rec.Body)
			}
			if path != "/api/v1/verify" || rec.Code != http.StatusOK {
				continue
			}
			var v documents.Verdict
			if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil || v.Status == "" || v.Message.EN == "" {
				t.Fatalf("a 200 that is no verdict: %v %s", err, rec.Body)
			}
			if v.Valid && !bytes.Contains(body, pdf) {
				t.Fatalf("an upload without the issued PDF verified: %+v", v)
			}
		}
	})
}
