package blobs_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"zhifa/modules/kernel/blobs"
	"zhifa/modules/kernel/errs"
)

// put stages r and keeps it.
func put(s blobs.Store, tenantID string, r io.Reader) (*blobs.Blob, error) {
	st, err := s.Stage(tenantID, r)
	if err != nil {
		return nil, err
	}
	return &st.Blob, st.Keep()
}

func TestPut(t *testing.T) {
	s := blobs.Store{Dir: t.TempDir(), MaxBytes: 1 << 10, Types: []string{"application/pdf"}, TypeHint: errs.Msg{ZH: "须为 PDF", EN: "must be a PDF"}}
	pdf := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), 100)...)
	a, err := put(s, "35", bytes.NewReader(pdf))
	if err != nil || a.ContentType != "application/pdf" || a.Size != int64(len(pdf)) {
		t.Fatalf("put: %+v %v", a, err)
	}
	b, err := put(s, "35", bytes.NewReader(pdf))
	if err != nil || b.SHA256 != a.SHA256 {
		t.Fatalf("same content twice: %+v %v", b, err)
	}
	if got, _ := os.ReadFile(s.Path("35", a.SHA256)); !bytes.Equal(got, pdf) {
		t.Error("stored bytes differ")
	}
	for name, c := range map[string]struct {
		body []byte
		code errs.Code
	}{
		"empty":      {nil, errs.Invalid},
		"wrong type": {[]byte("plain text"), errs.Invalid},
		"too large":  {append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), 2000)...), errs.TooLarge},
	} {
		if _, err := s.Stage("35", bytes.NewReader(c.body)); !errs.Is(err, c.code) {
			t.Errorf("%s: %v, want %s", name, err, c.code)
		}
	}
	entries, _ := os.ReadDir(s.Dir + "/35")
	for _, e := range entries {
		if e.Name()[0] == '.' {
			t.Errorf("a refused upload left %s behind", e.Name())
		}
	}
	if _, err := (blobs.Store{}).Stage("35", bytes.NewReader(pdf)); !errs.Is(err, errs.Unavailable) {
		t.Errorf("no directory: %v", err)
	}
}

// TestStageDiscard: a staged upload is not in the store until kept; discarded, it leaves nothing.
func TestStageDiscard(t *testing.T) {
	s := blobs.Store{Dir: t.TempDir(), MaxBytes: 1 << 10, Types: []string{"application/pdf"}}
	st, err := s.Stage("35", strings.NewReader("%PDF-1.4\nstaged"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(s.Path("35", st.SHA256)); !os.IsNotExist(err) {
		t.Errorf("a staged file is in the store before it is kept: %v", err)
	}
	st.Discard()
	st.Discard() // twice is harmless
	var left []string
	filepath.WalkDir(s.Dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			left = append(left, p)
		}
		return nil
	})
	if len(left) > 0 {
		t.Errorf("a discarded upload left %v", left)
	}
	if err := st.Keep(); err != nil {
		t.Errorf("keep after discard: %v", err)
	}
	if _, err := os.Stat(s.Path("35", st.SHA256)); !os.IsNotExist(err) {
		t.Errorf("a discarded file was kept: %v", err)
	}
}

// TestCleanName: an uploaded file's name keeps its letters, digits, '.', '_' and '-', loses any
// directory, and falls back when nothing is left.
func TestCleanName(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("长", 120) + ".pdf"
	for _, c := range []struct{ in, want string }{
		{"现场照片-1.jpg", "现场照片-1.jpg"},
		{"送达回证 2025 10 01.pdf", "送达回证_2025_10_01.pdf"},
		{`C:\Users\张三\Desktop\询问笔录.pdf`, "询问笔录.pdf"},
		{"../../etc/passwd", "passwd"},
		{"a/b/", "b"},
		{"<img src=x onerror=alert(1)>.png", "_img_src_x_onerror_alert_1_.png"},
		{"name\r\nX-Header: 1.txt", "name_X-Header_1.txt"},
		{long, strings.Repeat("长", 96) + ".pdf"},
		{"", "evidence"},
		{".", "evidence"},
		{"/", "evidence"},
		{"？？？", "evidence"},
	} {
		if got := blobs.CleanName(c.in, "evidence"); got != c.want {
			t.Errorf("CleanName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
