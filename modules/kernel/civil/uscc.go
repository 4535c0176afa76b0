package civil

import "strings"

// usccChars is the character set of the unified social credit code (GB 32100-2015): the digits
// and the capital letters without I, O, Z, S and V. A character's value is its index.
const usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// ValidUSCC reports whether s is a well-formed unified social credit code (统一社会信用代码,
// GB 32100-2015): 18 characters from the code's character set (capital letters only), the
// registration authority's division code (characters 3 to 8) in digits, and a correct check
// character: 31 - (Σ value×weight mod 31), where 31 becomes 0.
func ValidUSCC(s string) bool {
	if len(s) != 18 {
		return false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(usccChars, s[i])
		if v < 0 {
			return false
		}
		if i >= 2 && i < 8 && v > 9 {
			return false
		}
		sum += v * usccWeights[i]
	}
	check := 31 - sum%31
	if check == 31 {
		check = 0
	}
	return s[17] == usccChars[check]
}
