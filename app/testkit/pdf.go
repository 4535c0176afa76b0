package testkit

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"zhifa/app/testenv"
)

// PDFText returns a PDF's text as pdftotext (poppler-utils) extracts it, without white space,
// so that a check does not depend on where lines break.
func PDFText(t testing.TB, pdf []byte) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "doc.pdf")
	NoErr(t, os.WriteFile(f, pdf, 0o600))
	out, err := exec.Command(testenv.Tool(t, "pdftotext"), "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), "")
}
