package app_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"testing"

	"github.com/google/uuid"
)

// TestEvidenceUploadLimits checks that the server's 64K test body limit does not cut off an
// evidence photo (multipart bounds its own size), while a file over the evidence limit is refused.
func TestEvidenceUploadLimits(t *testing.T) {
	p := startPlatform(t, "sqlite")
	tok := p.login("youxi.officer1@demo.zhifa")
	list := p.do(http.MethodGet, "/api/v1/cases?state=investigating&limit=1", tok, "", nil) // a case that takes evidence
	items, _ := list.Body["cases"].([]any)
	if len(items) == 0 {
		t.Fatalf("no demo case: %s", list.Raw)
	}
	id := items[0].(map[string]any)["id"].(string)
	upload := func(size int) int {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		mw.WriteField("title", "现场照片")
		mw.WriteField("kind", "audiovisual")
		fw, _ := mw.CreateFormFile("file", "photo.jpg")
		photo := make([]byte, size)
		copy(photo, []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F', 0})
		fw.Write(photo)
		mw.Close()
		req, _ := http.NewRequest(http.MethodPost, p.URL+"/api/v1/cases/"+id+"/evidence", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("X-Session-Token", tok)
		req.Header.Set("Idempotency-Key", uuid.NewString())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if st := upload(6 << 20); st != http.StatusCreated {
		t.Errorf("a 6 MiB photo: %d, want 201", st)
	}
	if st := upload(17 << 20); st != http.StatusRequestEntityTooLarge {
		t.Errorf("a 17 MiB file: %d, want 413", st)
	}
}
