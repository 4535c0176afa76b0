package portal

import (
	"strings"
	"testing"
)

// FuzzProof reads any text as a case code and as the proof of a party's key: a code that reads is
// canonical (reading it again gives it back) and names the tenant of its division code; a proof
// proves only a key of at least six characters whose last six it spells, in any case.
func FuzzProof(f *testing.F) {
	for _, s := range []struct{ code, key, proof string }{
		{"ZF350426-2026-0000017ABCD", "350102198503120014", "120014"},
		{" zf350426-2026-0a1b2c3d4e5 ", "91350426MA2YCNN27X", "cnn27x"},
		{"ZF35-2026-00000000000", "11010519491231002X", "31002X"},
		{"ZF350426-2026-0000017ABCI", "", "\x00\x00\x00\x00\x00\x00"},
		{"ZF3504260000000-2026-0000017ABCD", "12345", "012345"},
	} {
		f.Add(s.code, s.key, s.proof)
	}
	f.Fuzz(func(t *testing.T, s, key, proof string) {
		if code, tenant, ok := NormalizeCode(s); ok {
			if again, t2, ok := NormalizeCode(code); !ok || again != code || t2 != tenant || !strings.HasPrefix(code, "ZF"+tenant+"-") {
				t.Fatalf("NormalizeCode(%q) = %q, %q; again %q, %q, %v", s, code, tenant, again, t2, ok)
			}
		}
		up := strings.ToUpper(key)
		want := len(up) >= proofLen && strings.ToUpper(proof) == up[len(up)-proofLen:]
		if got := proves(key, proof); got != want {
			t.Fatalf("proves(%q, %q) = %v, want %v", key, proof, got, want)
		}
		if len(key) >= proofLen && !proves(key, strings.ToLower(key[len(key)-proofLen:])) && strings.ToUpper(strings.ToLower(key[len(key)-proofLen:])) == up[len(up)-proofLen:] {
			t.Fatalf("the last six characters of %q, in lower case, do not prove it", key)
		}
	})
}
