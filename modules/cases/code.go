package cases

import (
	"context"
	"crypto/rand"
	"fmt"
	"regexp"
	"strings"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// The public case code (案件编码), printed on every document and looked up by the public:
// "ZF" + the tenant's division code + "-" + the year + "-" + 10 random characters + a check
// character, e.g. ZF350426-2025-7K3M9QXA2BR. The random part (50 bits from crypto/rand) makes
// codes unguessable; the check character (Luhn mod 32 over the whole code) catches a mistyped or
// swapped character. The alphabet is Crockford's base 32: no I, L, O or U.
const codeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

var codeRE = regexp.MustCompile(`^ZF[0-9]{2,12}-[0-9]{4}-[` + codeAlphabet + `]{11}$`)

// codeValue returns the value of a code character, or -1 (digits, letters; '-' is skipped).
func codeValue(r byte) int { return strings.IndexByte(codeAlphabet, r) }

// luhn returns the Luhn mod 32 sum of s's code characters, with the rightmost one doubled when
// double is set.
func luhn(s string, double bool) int {
	factor, total := 1, 0
	if double {
		factor = 2
	}
	for i := len(s) - 1; i >= 0; i-- {
		v := codeValue(s[i])
		if v < 0 {
			continue
		}
		add := factor * v
		total += add/32 + add%32
		factor = 3 - factor
	}
	return total
}

// newCode returns a fresh code for a tenant and year.
func newCode(tenantID string, year int) string {
	var b [10]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	body := make([]byte, 10)
	for i, x := range b {
		body[i] = codeAlphabet[x&31]
	}
	s := fmt.Sprintf("ZF%s-%04d-%s", tenantID, year, body)
	return s + string(codeAlphabet[(32-luhn(s, true)%32)%32])
}

// ValidCode reports whether s is a well-formed case code with a correct check character.
func ValidCode(s string) bool {
	return codeRE.MatchString(s) && luhn(s, false)%32 == 0
}

// uniqueCode returns a code not yet used by the scope's tenant (the tenant's code is part of it).
func uniqueCode(ctx context.Context, tx bun.IDB, sc tenants.Scope, on civil.Date) (string, error) {
	for range 5 {
		code := newCode(sc.TenantID(), on.Time().Year())
		taken, err := tenants.Own(sc, tx.NewSelect().Model((*Case)(nil))).Where("c.code = ?", code).Exists(ctx)
		if err != nil {
			return "", err
		}
		if !taken {
			return code, nil
		}
	}
	return "", errs.E(errs.Unavailable, "无法生成案件编码，请重试", "no free case code; try again")
}
