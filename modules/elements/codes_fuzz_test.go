package elements_test

import (
	"strings"
	"testing"

	"zhifa/modules/elements"
	"zhifa/modules/kernel/civil"
)

// FuzzCodes reads any text as a credit code, an identity number and an article number: a code
// that passes has a check character no other character can stand for, an identity number is
// masked to its area code and last four characters, and an article number reads back from the
// way the platform writes it.
func FuzzCodes(f *testing.F) {
	for _, s := range []string{uscc(1), uscc(900), residentID(901), "350102198503120014", "91350426MA2XXXXX0A", strings.ToLower(uscc(2)),
		"第五十一条", "第二十条之一", "第51条", "第一百二十四条", "第五零条", "11010519491231002X", "110105194912310021"} {
		f.Add(s)
	}
	const usccChars, idChecks = "0123456789ABCDEFGHJKLMNPQRTUWXY", "10X98765432"
	f.Fuzz(func(t *testing.T, s string) {
		if civil.ValidUSCC(s) {
			for _, c := range []byte(usccChars) {
				if other := s[:17] + string(c); c != s[17] && civil.ValidUSCC(other) {
					t.Fatalf("both %s and %s are valid credit codes", s, other)
				}
			}
			if lower := strings.ToLower(s); lower != s && civil.ValidUSCC(lower) {
				t.Fatalf("a credit code in lower case is valid: %s", lower)
			}
		}
		if elements.ValidResidentID(s) {
			for _, c := range []byte(idChecks) {
				if other := s[:17] + string(c); c != s[17] && elements.ValidResidentID(other) {
					t.Fatalf("both %s and %s are valid identity numbers", s, other)
				}
			}
			if m := elements.MaskResidentID(s); m != s[:6]+"********"+s[14:] {
				t.Fatalf("%s masked as %s", s, m)
			}
		}
		if m := elements.MaskResidentID(s); len(m) != len(s) || len(s) > 10 && (m[:6] != s[:6] || m[len(m)-4:] != s[len(s)-4:]) {
			t.Fatalf("%q masked as %q", s, m)
		}
		if n, ok := elements.ArticleSeq(s); ok {
			if back, ok := elements.ArticleSeq(elements.ArticleNumber(n)); n <= 0 || !ok || back != n {
				t.Fatalf("ArticleSeq(%q) = %d, written %s, read back as %d, %v", s, n, elements.ArticleNumber(n), back, ok)
			}
		}
	})
}
