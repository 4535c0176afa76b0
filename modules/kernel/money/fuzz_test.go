package money_test

import (
	"strings"
	"testing"

	"zhifa/modules/kernel/money"
)

// FuzzParseYuan: an amount ParseYuan reads is not negative, has at most twelve digits of yuan,
// and reads back the same from each way the platform writes it for a person (Input, Figure, and
// String without its ¥); what it refuses holds something other than digits, one point and commas.
func FuzzParseYuan(f *testing.F) {
	for _, s := range []string{"5000", "5,000.5", "0.01", "5000.50", "999999999999.99", "1e3", "-3", "¥5", "5.001", "1,2,3", ".5", "5.", "０５"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, ok := money.ParseYuan(s)
		if !ok {
			if v != 0 {
				t.Fatalf("ParseYuan(%q) refused with %d", s, v)
			}
			return
		}
		if v < 0 || v >= 1e14 || strings.Trim(s, "0123456789.,") != "" {
			t.Fatalf("ParseYuan(%q) = %d", s, v)
		}
		for _, w := range []string{v.Input(), v.Figure(), strings.TrimPrefix(v.String(), "¥")} {
			if back, ok := money.ParseYuan(w); !ok || back != v {
				t.Fatalf("ParseYuan(%q) = %d, written %q, read back as %d, %v", s, v, w, back, ok)
			}
		}
		if c := v.Capital(); c == "" || !strings.HasSuffix(c, "整") && !strings.HasSuffix(c, "分") && !strings.HasSuffix(c, "角") {
			t.Fatalf("%d in capitals: %q", v, c)
		}
	})
}
