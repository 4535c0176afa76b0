package elements

import (
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/zhnum"
)

var residentWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const residentChecks = "10X98765432"

// ValidResidentID reports whether s is a well-formed resident identity number (公民身份号码,
// GB 11643-1999): 17 digits, then a check character from "10X98765432" indexed by
// Σ digit×weight mod 11 (capital X only), with a real date of birth (characters 7 to 14,
// from 1900 up to today) and a non-zero first digit of the area code.
func ValidResidentID(s string) bool {
	if len(s) != 18 || s[0] == '0' {
		return false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return false
		}
		sum += int(c-'0') * residentWeights[i]
	}
	if s[17] != residentChecks[sum%11] {
		return false
	}
	born, ok := civil.ParseDate(s[6:10] + "-" + s[10:12] + "-" + s[12:14])
	return ok && born >= "1900-01-01" && !born.After(civil.DateOf(time.Now()))
}

// MaskResidentID hides the middle of an identity number for lists and logs: the area code (6) and
// the last 4 characters stay, everything between becomes '*' (350102********1234).
func MaskResidentID(s string) string {
	if len(s) <= 10 {
		return strings.Repeat("*", len(s))
	}
	return s[:6] + strings.Repeat("*", len(s)-10) + s[len(s)-4:]
}

var phoneRE = regexp.MustCompile(`^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8}(-[0-9]{1,6})?)$`)

// validPhone reports whether s is a mainland mobile number or a landline with area code.
func validPhone(s string) bool { return phoneRE.MatchString(s) }

// validCode reports whether s can serve as a catalogue code (a matter's code): 1 to 64
// characters, no spaces or control characters.
func validCode(s string) bool {
	if s == "" || utf8.RuneCountInString(s) > 64 {
		return false
	}
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// validText reports whether s is non-empty after trimming and at most max characters long.
func validText(s string, max int) bool {
	n := utf8.RuneCountInString(s)
	return strings.TrimSpace(s) != "" && n <= max
}

// articleNumberRE matches an article number: 第五十一条, 第51条, 第二十条之一.
var articleNumberRE = regexp.MustCompile(`^第([零〇一二两三四五六七八九十百千0-9]+)条(之[零〇一二两三四五六七八九十0-9]+)?$`)

// ArticleSeq returns the ordinal of an article number ("第五十一条" → 51; "第二十条之一" → 20), or
// false when number is not of the form 第…条.
func ArticleSeq(number string) (int, bool) {
	m := articleNumberRE.FindStringSubmatch(number)
	if m == nil {
		return 0, false
	}
	n, ok := zhnum.Parse(m[1])
	return n, ok && n > 0
}

// ArticleNumber returns the Chinese article number of ordinal n (51 → "第五十一条").
func ArticleNumber(n int) string { return "第" + zhnum.Write(n) + "条" }

func utf8Len(s string) int { return utf8.RuneCountInString(s) }
