package testkit

import (
	"fmt"
	"strings"
)

// USCC returns a valid unified social credit code (GB 32100-2015) for serial n, computing the
// check character independently of the elements package.
func USCC(n int) string {
	const chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	weights := []int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
	p := fmt.Sprintf("11350102%09d", n)
	sum := 0
	for i, c := range p {
		sum += strings.IndexRune(chars, c) * weights[i]
	}
	return p + string(chars[(31-sum%31)%31])
}

// ResidentID returns a valid resident identity number (GB 11643-1999) of Fuzhou for serial n,
// born 1985-03-12.
func ResidentID(n int) string { return ResidentIDBorn(n, "19850312") }

// ResidentIDBorn returns a valid resident identity number of Fuzhou for serial n (mod 1000)
// born on born (YYYYMMDD).
func ResidentIDBorn(n int, born string) string {
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	p := fmt.Sprintf("350102%s%03d", born, n%1000)
	sum := 0
	for i, c := range p {
		sum += int(c-'0') * weights[i]
	}
	return p + string("10X98765432"[sum%11])
}
