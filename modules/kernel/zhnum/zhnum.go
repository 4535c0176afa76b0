// Package zhnum writes and reads whole numbers in Chinese numerals (小写中文数字) as legal texts
// number articles, paragraphs, items and periods: 十, 十五, 六十, 一百零五, 一百一十, 一千零一.
// Amounts of money in capitals (大写) are the money package's.
package zhnum

import (
	"strconv"
	"strings"
)

// Max is the largest number written in Chinese numerals; larger ones are written in Arabic.
const Max = 9999

var digits = []rune("零一二三四五六七八九")

// Write writes n in Chinese numerals when 0 ≤ n ≤ Max (0 零, 10 十, 15 十五, 105 一百零五,
// 110 一百一十, 1001 一千零一), and in Arabic numerals otherwise.
func Write(n int) string {
	if n < 0 || n > Max {
		return strconv.Itoa(n)
	}
	if n == 0 {
		return string(digits[0])
	}
	units := []string{"千", "百", "十", ""}
	places := []int{n / 1000, n / 100 % 10, n / 10 % 10, n % 10}
	var b strings.Builder
	started, zero := false, false
	for i, d := range places {
		if d == 0 {
			zero = started
			continue
		}
		if zero {
			b.WriteRune(digits[0])
			zero = false
		}
		if !(i == 2 && d == 1 && !started) { // 十, not 一十, at the start
			b.WriteRune(digits[d])
		}
		b.WriteString(units[i])
		started = true
	}
	return b.String()
}

var (
	parseDigits = map[rune]int{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5,
		'六': 6, '七': 7, '八': 8, '九': 9}
	parseUnits = map[rune]int{'十': 10, '百': 100, '千': 1000}
)

// Parse reads a number from 0 to Max written in Chinese numerals (五十一, 一百零三, 十, 两百) or
// in Arabic digits; false for anything else (二二, 百, 五零, 一零五, a number above Max).
func Parse(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	if s[0] >= '0' && s[0] <= '9' {
		n := 0
		for _, c := range s {
			if c < '0' || c > '9' {
				return 0, false
			}
			if n = n*10 + int(c-'0'); n > Max {
				return 0, false
			}
		}
		return n, true
	}
	total, digit, lastUnit := 0, -1, 10000
	for _, r := range s {
		if d, ok := parseDigits[r]; ok {
			if digit > 0 || digit == 0 && d == 0 || d == 0 && lastUnit == 10000 && len(s) > len(string(r)) {
				return 0, false // two digits in a row, or a zero not between a unit and a digit (五零, 一零五)
			}
			digit = d
			continue
		}
		u, ok := parseUnits[r]
		if !ok || u >= lastUnit {
			return 0, false
		}
		if digit < 0 {
			if total != 0 || u != 10 {
				return 0, false // only 十 may stand alone, and only first
			}
			digit = 1
		}
		total += digit * u
		digit, lastUnit = -1, u
	}
	if digit > 0 {
		total += digit
	}
	return total, true
}
