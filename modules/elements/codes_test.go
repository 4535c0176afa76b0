package elements_test

import (
	"testing"

	"zhifa/app/testkit"
	"zhifa/modules/elements"
)

func TestValidResidentID(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		id   string
		want bool
	}{
		{"11010519491231002X", true}, // the standard's example
		{"35010219850312123X", true},
		{"440402199001014568", true},
		{"350426197206150010", true},
		{"350102200002290035", true}, // 29 February of a leap year
		{"350403198808088883", true},
		{"110105194912310021", false}, // wrong check digit
		{"11010519491231002x", false}, // lower-case x
		{"440402199001014567", false}, // wrong check digit
		{"35010219850312123", false},  // 17 characters
		{"35010219850312123X1", false},
		{"", false},
		{"3501021985031212AX", false},                               // letter among the digits
		{"350102199002290035", false},                               // 29 February 1990 does not exist
		{"350102198513011230", false},                               // month 13
		{"350102189912311234", false},                               // born before 1900
		{testkit.ResidentIDBorn(123, "21000101"), false},            // born in the future
		{testkit.ResidentIDBorn(123, "19900229")[:17] + "0", false}, // impossible date, whatever the check digit
		{"050102198503121230", false},                               // area code starting with 0
		{testkit.ResidentIDBorn(123, "20000229"), true},             // computed
		{testkit.ResidentIDBorn(123, "19991231"), true},             // computed
		{testkit.ResidentIDBorn(123, "19990230")[:17] + "X", false}, // 30 February
		{testkit.ResidentIDBorn(123, "19990431"), false},            // 31 April
		{"３50102198503121230", false},                               // full-width digit
	} {
		if got := elements.ValidResidentID(tc.id); got != tc.want {
			t.Errorf("ValidResidentID(%q) = %v, want %v", tc.id, got, tc.want)
		}
	}
}

func TestMaskResidentID(t *testing.T) {
	t.Parallel()
	if got := elements.MaskResidentID("35010219850312123X"); got != "350102********123X" {
		t.Errorf("MaskResidentID = %q", got)
	}
	if got := elements.MaskResidentID("123"); got != "***" {
		t.Errorf("MaskResidentID(short) = %q", got)
	}
}

func TestArticleNumbers(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		number string
		seq    int
	}{
		{"第一条", 1}, {"第十条", 10}, {"第十五条", 15}, {"第二十条", 20}, {"第五十一条", 51},
		{"第一百条", 100}, {"第一百零三条", 103}, {"第一百一十条", 110}, {"第一百二十五条", 125},
		{"第一千零一条", 1001}, {"第一千零一十条", 1010},
	} {
		if got, ok := elements.ArticleSeq(tc.number); !ok || got != tc.seq {
			t.Errorf("ArticleSeq(%s) = %d, %v; want %d", tc.number, got, ok, tc.seq)
		}
		if got := elements.ArticleNumber(tc.seq); got != tc.number {
			t.Errorf("ArticleNumber(%d) = %s; want %s", tc.seq, got, tc.number)
		}
	}
	for _, tc := range []struct {
		number string
		seq    int
		ok     bool
	}{
		{"第51条", 51, true}, {"第二十条之一", 20, true}, {"第二二条", 0, false}, {"第百条", 0, false},
		{"五十一", 0, false}, {"第零条", 0, false}, {"附则", 0, false},
	} {
		if got, ok := elements.ArticleSeq(tc.number); ok != tc.ok || got != tc.seq {
			t.Errorf("ArticleSeq(%s) = %d, %v; want %d, %v", tc.number, got, ok, tc.seq, tc.ok)
		}
	}
}
