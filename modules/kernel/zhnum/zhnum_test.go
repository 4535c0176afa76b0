package zhnum_test

import (
	"testing"

	"zhifa/modules/kernel/zhnum"
)

// written are numbers as articles and periods are numbered: no 一 before a leading 十, one 零
// for any run of zeros inside, none at the end.
var written = map[int]string{
	0: "零", 1: "一", 9: "九", 10: "十", 11: "十一", 15: "十五", 20: "二十", 46: "四十六", 60: "六十",
	100: "一百", 101: "一百零一", 105: "一百零五", 110: "一百一十", 115: "一百一十五", 124: "一百二十四",
	1000: "一千", 1001: "一千零一", 1010: "一千零一十", 1100: "一千一百", 1260: "一千二百六十", 9999: "九千九百九十九",
}

// TestWrite writes the numbers in Chinese numerals, and those outside 0..9999 in Arabic ones.
func TestWrite(t *testing.T) {
	t.Parallel()
	for n, want := range written {
		if got := zhnum.Write(n); got != want {
			t.Errorf("Write(%d) = %s, want %s", n, got, want)
		}
	}
	if a, b := zhnum.Write(10000), zhnum.Write(-1); a != "10000" || b != "-1" {
		t.Errorf("Write(10000), Write(-1) = %s, %s", a, b)
	}
}

// TestParse reads Chinese numerals (两 and 〇 too) and Arabic ones, and refuses what is not one
// number from 0 to 9999.
func TestParse(t *testing.T) {
	t.Parallel()
	read := map[string]int{"十": 10, "五十一": 51, "一百零三": 103, "两百": 200, "〇": 0, "51": 51, "9999": 9999}
	for s, want := range read {
		if n, ok := zhnum.Parse(s); !ok || n != want {
			t.Errorf("Parse(%q) = %d, %v; want %d", s, n, ok, want)
		}
	}
	for _, s := range []string{"", "二二", "百", "十十", "一百千", "10000", "5a", "条", "五零", "一零五", "九零零零", "一千零零一"} {
		if n, ok := zhnum.Parse(s); ok {
			t.Errorf("Parse(%q) = %d, want none", s, n)
		}
	}
}

// TestRoundTrip reads back every number it writes.
func TestRoundTrip(t *testing.T) {
	t.Parallel()
	for n := 0; n <= zhnum.Max; n++ {
		if got, ok := zhnum.Parse(zhnum.Write(n)); !ok || got != n {
			t.Fatalf("Parse(Write(%d) = %s) = %d, %v", n, zhnum.Write(n), got, ok)
		}
	}
}
