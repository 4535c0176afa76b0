package app_test

import (
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// lazyBody is a body made as it is read (the test holds none of it): head, n filler bytes, and
// tail; a multipart one is one part's header and first bytes, zero bytes, and the closing
// boundary. read counts what the server took of it; ctype is its Content-Type.
type lazyBody struct {
	head, tail []byte
	n          int64
	fill       byte
	read       int64
	ctype      string
}

const boundary = "zhifa-body-limit"

// newLazyBody is a form whose field name (a file when file is not "") holds first and then n zero bytes.
func newLazyBody(name, file string, first []byte, n int64) *lazyBody {
	disp := `form-data; name="` + name + `"`
	if file != "" {
		disp += `; filename="` + file + `"`
	}
	head := "--" + boundary + "\r\nContent-Disposition: " + disp + "\r\n\r\n"
	return &lazyBody{head: append([]byte(head), first...), n: n, tail: []byte("\r\n--" + boundary + "--\r\n"),
		ctype: "multipart/form-data; boundary=" + boundary}
}

// newJSONBody is a JSON object of n bytes or a little more: one string field of spaces.
func newJSONBody(n int64) *lazyBody {
	return &lazyBody{head: []byte(`{"id":"evt_big","data":"`), n: n, fill: ' ', tail: []byte(`"}`), ctype: "application/json"}
}

func (b *lazyBody) size() int64 { return int64(len(b.head)) + b.n + int64(len(b.tail)) }

func (b *lazyBody) Read(p []byte) (int, error) {
	var n int
	switch {
	case len(b.head) > 0:
		n = copy(p, b.head)
		b.head = b.head[n:]
	case b.n > 0:
		n = int(min(int64(len(p)), b.n))
		for i := range p[:n] {
			p[i] = b.fill
		}
		b.n -= int64(n)
	case len(b.tail) > 0:
		n = copy(p, b.tail)
		b.tail = b.tail[n:]
	default:
		return 0, io.EOF
	}
	b.read += int64(n)
	return n, nil
}

// serve posts body to path through the platform's handler, with its length when known is true
// (else chunked), and answers the recorded reply and how much the process allocated meanwhile.
func serve(t *testing.T, p *platform, tok, path string, body *lazyBody, known bool) (*httptest.ResponseRecorder, uint64) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, body)
	req.ContentLength = -1
	if known {
		req.ContentLength = body.size()
	}
	req.Header.Set("Content-Type", body.ctype)
	req.Header.Set("X-Session-Token", tok)
	req.Header.Set("Idempotency-Key", uuid.NewString())
	rec := httptest.NewRecorder()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	p.App.Echo.ServeHTTP(rec, req)
	runtime.ReadMemStats(&after)
	return rec, after.TotalAlloc - before.TotalAlloc
}

// wantTooLarge checks a 413 with the platform's bilingual refusal: zh and en are in its message.
func wantTooLarge(t *testing.T, name string, rec *httptest.ResponseRecorder, zh, en string) {
	t.Helper()
	var e struct {
		Code    string            `json:"code"`
		Message map[string]string `json:"message"`
	}
	json.Unmarshal(rec.Body.Bytes(), &e)
	if rec.Code != http.StatusRequestEntityTooLarge || e.Code != "too_large" ||
		!strings.Contains(e.Message["zh"], zh) || !strings.Contains(e.Message["en"], en) {
		t.Errorf("%s: %d %s, want 413 too_large saying %q / %q", name, rec.Code, rec.Body, zh, en)
	}
}

// TestBodyLimits: every route bounds its body, multipart or not: a case action (the server's
// http.body_limit, 64 KiB in tests), the evidence upload (its own limit, 16 MiB and 1 MiB of
// fields) and the payment webhook (its own, 256 KiB, above the server's) answer 413 to a larger body, before reading any of it when its length is declared,
// and without the process allocating anything like the body's size when it is not; an accepted
// upload is streamed to disk, not held in memory.
func TestBodyLimits(t *testing.T) {
	for _, driver := range []string{"sqlite", "postgres"} {
		t.Run(driver, func(t *testing.T) {
			p := startPlatform(t, driver)
			tok := p.login("youxi.officer1@demo.zhifa")
			list := p.do(http.MethodGet, "/api/v1/cases?state=investigating&limit=1", tok, "", nil)
			items, _ := list.Body["cases"].([]any)
			if len(items) == 0 {
				t.Fatalf("no demo case: %s", list.Raw)
			}
			id := items[0].(map[string]any)["id"].(string)
			jpeg := []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F', 0}
			const big = 64 << 20
			for _, c := range []struct {
				name, path, limit string
				body              func() *lazyBody
				maxRead           int64
				cut               [2]string // the refusal of the chunked body
			}{
				{"a case action", "/api/v1/cases/" + id + "/actions/report", "64 KiB",
					func() *lazyBody { return newLazyBody("facts", "", nil, big) }, 64<<10 + 64<<10,
					[2]string{"请求体超过上限 64 KiB", "the request body exceeds the limit of 64 KiB"}},
				{"an evidence upload", "/api/v1/cases/" + id + "/evidence", "17 MiB",
					func() *lazyBody { return newLazyBody("file", "photo.jpg", jpeg, big) }, 17<<20 + 64<<10,
					[2]string{"文件超过 16 MB", "the file exceeds 16 MB"}}, // the file's own limit comes first
				{"a payment webhook", "/api/v1/payments/webhook/350426", "256 KiB",
					func() *lazyBody { return newJSONBody(big) }, 256<<10 + 64<<10,
					[2]string{"请求体超过上限 256 KiB", "the request body exceeds the limit of 256 KiB"}}, // its own, above http.body_limit
			} {
				body := c.body()
				rec, grew := serve(t, p, tok, c.path, body, true)
				wantTooLarge(t, c.name+", length declared", rec, "请求体超过上限 "+c.limit, "the request body exceeds the limit of "+c.limit)
				t.Logf("%s, length declared: %d, read %d B, allocated %d KiB", c.name, rec.Code, body.read, grew>>10)
				if body.read != 0 {
					t.Errorf("%s, length declared: the server read %d bytes of a body it refuses by its length", c.name, body.read)
				}
				if grew > big/16 {
					t.Errorf("%s, length declared: %d MiB allocated for a refused %d MiB body", c.name, grew>>20, big>>20)
				}
				body = c.body()
				rec, grew = serve(t, p, tok, c.path, body, false)
				wantTooLarge(t, c.name+", chunked", rec, c.cut[0], c.cut[1])
				t.Logf("%s, chunked: %d, read %d KiB, allocated %d KiB", c.name, rec.Code, body.read>>10, grew>>10)
				if body.read > c.maxRead {
					t.Errorf("%s, chunked: the server read %d bytes, past its limit %s", c.name, body.read, c.limit)
				}
				if grew > big/16 {
					t.Errorf("%s, chunked: %d MiB allocated for a %d MiB body cut at %s", c.name, grew>>20, big>>20, c.limit)
				}
			}
			// An event within the webhook's own limit but above the server's is read and judged by
			// its signature.
			rec, _ := serve(t, p, "", "/api/v1/payments/webhook/350426", newJSONBody(100<<10), true)
			if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "签名") {
				t.Errorf("a 100 KiB webhook event without a signature: %d %s, want 400 for its signature", rec.Code, rec.Body)
			}
			const photo = 12 << 20
			rec, grew := serve(t, p, tok, "/api/v1/cases/"+id+"/evidence", withFields(newLazyBody("file", "photo.jpg", jpeg, photo)), false)
			if rec.Code != http.StatusCreated {
				t.Fatalf("a 12 MiB photo: %d %s, want 201", rec.Code, rec.Body)
			}
			t.Logf("a 12 MiB photo, chunked: %d, allocated %d KiB", rec.Code, grew>>10)
			if grew > photo/8 {
				t.Errorf("a 12 MiB photo: %d KiB allocated, want it streamed to disk (at most %d KiB)", grew>>10, photo/8>>10)
			}
		})
	}
}

// withFields puts an evidence upload's title and kind before its file.
func withFields(b *lazyBody) *lazyBody {
	fields := "--" + boundary + "\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n现场照片\r\n" +
		"--" + boundary + "\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\naudiovisual\r\n"
	b.head = append([]byte(fields), b.head...)
	return b
}

// TestRefusedUploadLeavesNoFile: an evidence upload refused after its file was read (a case whose
// state takes no evidence; an Idempotency-Key reused with another file) leaves neither a stored
// file nor a temporary one in the upload directory; the accepted one is stored once.
func TestRefusedUploadLeavesNoFile(t *testing.T) {
	for _, driver := range []string{"sqlite", "postgres"} {
		t.Run(driver, func(t *testing.T) {
			p := startPlatform(t, driver)
			tok := p.login("youxi.officer1@demo.zhifa")
			caseIn := func(state string) string {
				list := p.do(http.MethodGet, "/api/v1/cases?state="+state+"&limit=1", tok, "", nil)
				items, _ := list.Body["cases"].([]any)
				if len(items) == 0 {
					t.Fatalf("no demo case %s: %s", state, list.Raw)
				}
				return items[0].(map[string]any)["id"].(string)
			}
			dir := filepath.Join(p.App.Config.Data.Dir, "uploads")
			files := func() []string {
				var out []string
				filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
					if err == nil && !d.IsDir() {
						out = append(out, path)
					}
					return nil
				})
				return out
			}
			upload := func(id, key string, content byte) int {
				body := withFields(newLazyBody("file", "photo.jpg", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F', 0, content}, 1<<10))
				req := httptest.NewRequest(http.MethodPost, "/api/v1/cases/"+id+"/evidence", body)
				req.Header.Set("Content-Type", "multipart/form-data; boundary="+boundary)
				req.Header.Set("X-Session-Token", tok)
				req.Header.Set("Idempotency-Key", key)
				rec := httptest.NewRecorder()
				p.App.Echo.ServeHTTP(rec, req)
				return rec.Code
			}
			before := files()
			if st := upload(caseIn("lead"), uuid.NewString(), 1); st != http.StatusConflict {
				t.Errorf("evidence on a lead: %d, want 409", st)
			}
			if got := files(); len(got) != len(before) {
				t.Errorf("a refused upload (wrong state) left files: %v, before %v", got, before)
			}
			id, key := caseIn("investigating"), uuid.NewString()
			if st := upload(id, key, 2); st != http.StatusCreated {
				t.Fatalf("evidence: %d, want 201", st)
			}
			stored := files()
			if len(stored) != len(before)+1 {
				t.Fatalf("an accepted upload: files %v, before %v", stored, before)
			}
			if st := upload(id, key, 3); st != http.StatusUnprocessableEntity {
				t.Errorf("the key reused with another file: %d, want 422", st)
			}
			if st := upload(id, key, 2); st != http.StatusCreated {
				t.Errorf("the same upload replayed: %d, want 201", st)
			}
			if got := files(); len(got) != len(stored) {
				t.Errorf("a refused upload (reused key) or a replay left files: %v, want %v", got, stored)
			}
		})
	}
}
