package cfset

import (
	"regexp"
	"strconv"
	"strings"

	"zhifa/modules/kernel/money"
)

// fenPerWan is the fen in one 万元 (10,000 yuan): six decimals of 万元 are whole fen.
const fenPerWan = 1_000_000

// Wan writes f in 万元 with six decimals, as CF_NR_FK and CF_NR_WFFF hold it (decimal(18,6)):
// ¥2,000 → "0.200000", ¥150,000 → "15.000000", ¥0.01 → "0.000001". The arithmetic is on whole
// fen: no amount loses a fen. Zero (no amount) is "".
func Wan(f money.Fen) string {
	if f == 0 {
		return ""
	}
	neg, a := f < 0, uint64(f)
	if neg {
		a = -a
	}
	frac := strconv.FormatUint(a%fenPerWan, 10)
	s := strconv.FormatUint(a/fenPerWan, 10) + "." + strings.Repeat("0", 6-len(frac)) + frac
	if neg {
		s = "-" + s
	}
	return s
}

// wanRE is an amount in 万元: at most 12 digits before the point (decimal(18,6)), six after it
// (a fen); more decimals only as trailing zeros.
var wanRE = regexp.MustCompile(`^(\d{1,12})(?:\.(\d{0,6})0*)?$`)

// ParseWan reads an amount in 万元 ("0.2", "15.000000", "0.000001") into fen, exactly; "" is
// zero. It reports false for a sign, a separator, a digit below the fen, or 10^12 万元 or more.
func ParseWan(s string) (money.Fen, bool) {
	if s == "" {
		return 0, true
	}
	m := wanRE.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	w, _ := strconv.ParseInt(m[1], 10, 64)
	frac, _ := strconv.ParseInt((m[2] + "000000")[:6], 10, 64)
	return money.Fen(w*fenPerWan + frac), true
}
