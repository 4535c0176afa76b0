package zhnum_test

import (
	"testing"

	"zhifa/modules/kernel/zhnum"
)

// TestWrite writes numbers as articles and periods are numbered: no 一 before a leading 十, one
// 零 for any run of zeros inside, none at the end; Arabic numerals outside 0..9999.
func TestWrite(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		n    int
		want string
	}{
		{0, "零"}, {1, "一"}, {9, "九"}, {10, "十"}, {11, "十一"}, {15, "十五"}, {20, "二十"}, {46, "四十六"}, {60, "六十"},
		{100, "一百"}, {101, "一百零一"}, {105, "一百零五"}, {110, "一百一十"}, {115, "一百一十五"}, {124, "一百二十四"},
		{1000, "一千"}, {1001, "一千零一"}, {1010, "一千零一十"}, {1100, "一千一百"}, {1260, "一千二百六十"},
		{9999, "九千九百九十九"}, {10000, "10000"}, {-1, "-1"},
	} {
		if got := zhnum.Write(c.n); got != c.want {
			t.Errorf("Write(%d) = %s, want %s", c.n, got, c.want)
		}
	}
}

// TestParse reads Chinese and Arabic numerals and refuses what is not one number.
func TestParse(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		s  string
		n  int
		ok bool
	}{
		{"十", 10, true}, {"五十一", 51, true}, {"一百零三", 103, true}, {"一百一十", 110, true}, {"两百", 200, true},
		{"〇", 0, true}, {"一千零一十", 1010, true}, {"51", 51, true}, {"9999", 9999, true},
		{"", 0, false}, {"二二", 0, false}, {"百", 0, false}, {"十十", 0, false}, {"一百千", 0, false},
		{"10000", 0, false}, {"5a", 0, false}, {"条", 0, false},
	} {
		if n, ok := zhnum.Parse(c.s); n != c.n && c.ok || ok != c.ok {
			t.Errorf("Parse(%q) = %d, %v; want %d, %v", c.s, n, ok, c.n, c.ok)
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
