package zhnum_test

import (
	"slices"
	"strings"
	"testing"

	"zhifa/modules/kernel/zhnum"
)

// FuzzParse: a number Parse reads lies from 0 to Max, is written by Write in a form Parse reads
// back, and is made of the same non-zero digits, in the same order, as the text read (两 is 二;
// 十 may stand for 一十): a text of other digits is never read as some number.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"十", "五十一", "一百零三", "两百", "〇", "51", "9999", "一千零一", "第五十一条", "二二", "百",
		"一万", "五零", "一零五", "十十", "0051", "一百一十五", "九千九百九十九"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := zhnum.Parse(s)
		if !ok {
			return
		}
		if n < 0 || n > zhnum.Max {
			t.Fatalf("Parse(%q) = %d, outside 0..%d", s, n, zhnum.Max)
		}
		w := zhnum.Write(n)
		if back, ok := zhnum.Parse(w); !ok || back != n {
			t.Fatalf("Parse(%q) = %d, written %q, read back as %d, %v", s, n, w, back, ok)
		}
		if s[0] >= '0' && s[0] <= '9' {
			return
		}
		if got, want := nonZeroDigits(s), nonZeroDigits(w); !slices.Equal(got, want) {
			t.Fatalf("Parse(%q) = %d (%s): the digits %q are not %q", s, n, w, string(got), string(want))
		}
	})
}

// nonZeroDigits returns the non-zero digits of a Chinese numeral in order (两 as 二), with the
// 一 that a leading 十 stands for.
func nonZeroDigits(s string) []rune {
	var ds []rune
	for i, r := range []rune(strings.ReplaceAll(s, "两", "二")) {
		switch {
		case strings.ContainsRune("一二三四五六七八九", r):
			ds = append(ds, r)
		case i == 0 && r == '十':
			ds = append(ds, '一')
		}
	}
	return ds
}
