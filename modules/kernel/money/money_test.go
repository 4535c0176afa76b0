package money_test

import (
	"encoding/json"
	"math"
	"testing"

	"zhifa/modules/kernel/money"
)

// formats is the table every writing of an amount is held to.
var formats = []struct {
	fen                         money.Fen
	str, figure, input, capital string
}{
	{0, "¥0.00", "0.00", "0", "零元整"},
	{1, "¥0.01", "0.01", "0.01", "壹分"},
	{10, "¥0.10", "0.10", "0.10", "壹角"},
	{99, "¥0.99", "0.99", "0.99", "玖角玖分"},
	{100, "¥1.00", "1.00", "1", "壹元整"},
	{20005, "¥200.05", "200.05", "200.05", "贰佰元零伍分"},
	{500000, "¥5,000.00", "5,000.00", "5000", "伍仟元整"},
	{500050, "¥5,000.50", "5,000.50", "5000.50", "伍仟元伍角"},
	{1260000, "¥12,600.00", "12,600.00", "12600", "壹万贰仟陆佰元整"},
	{10000150, "¥100,001.50", "100,001.50", "100001.50", "壹拾万零壹元伍角"},
	{123456789, "¥1,234,567.89", "1,234,567.89", "1234567.89", "壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分"},
	{100000000000, "¥1,000,000,000.00", "1,000,000,000.00", "1000000000", "壹拾亿元整"},
	{money.MaxCapital, "¥9,999,999,999,999.99", "9,999,999,999,999.99", "9999999999999.99", "玖万亿玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"},
	{money.MaxCapital + 1, "¥10,000,000,000,000.00", "10,000,000,000,000.00", "10000000000000", ""},
	{-1, "-¥0.01", "-0.01", "-0.01", ""},
	{-500050, "-¥5,000.50", "-5,000.50", "-5000.50", ""},
	{math.MaxInt64, "¥92,233,720,368,547,758.07", "92,233,720,368,547,758.07", "92233720368547758.07", ""},
	{math.MinInt64, "-¥92,233,720,368,547,758.08", "-92,233,720,368,547,758.08", "-92233720368547758.08", ""},
}

func TestFormats(t *testing.T) {
	t.Parallel()
	for _, c := range formats {
		if got := c.fen.String(); got != c.str {
			t.Errorf("Fen(%d).String() = %q, want %q", c.fen, got, c.str)
		}
		if got := c.fen.Figure(); got != c.figure {
			t.Errorf("Fen(%d).Figure() = %q, want %q", c.fen, got, c.figure)
		}
		if got := c.fen.Input(); got != c.input {
			t.Errorf("Fen(%d).Input() = %q, want %q", c.fen, got, c.input)
		}
		if got := c.fen.Capital(); got != c.capital {
			t.Errorf("Fen(%d).Capital() = %q, want %q", c.fen, got, c.capital)
		}
	}
}

// TestCapitalZeros: the zeros inside an amount in words are written once, as a document does.
func TestCapitalZeros(t *testing.T) {
	t.Parallel()
	for fen, want := range map[money.Fen]string{
		100100:      "壹仟零壹元整",
		1000100:     "壹万零壹元整",
		10010000:    "壹拾万零壹佰元整",
		100000001:   "壹佰万元零壹分",
		20000000000: "贰亿元整",
		20000010000: "贰亿零壹佰元整",
		10100000000: "壹亿零壹佰万元整",
	} {
		if got := fen.Capital(); got != want {
			t.Errorf("Fen(%d).Capital() = %q, want %q", fen, got, want)
		}
	}
}

func TestParseYuan(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in   string
		want money.Fen
		ok   bool
	}{
		{"5000", 500000, true},
		{"5,000.5", 500050, true},
		{"5000.50", 500050, true},
		{"0.01", 1, true},
		{"0", 0, true},
		{"999999999999.99", 99999999999999, true},
		{"1000000000000", 0, false}, // thirteen digits of yuan
		{"0.001", 0, false},
		{"-5", 0, false},
		{"¥5", 0, false},
		{"5.", 0, false},
		{".5", 0, false},
		{"", 0, false},
		{"五千", 0, false},
	} {
		got, ok := money.ParseYuan(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("ParseYuan(%q) = %d, %v; want %d, %v", c.in, got, ok, c.want, c.ok)
		}
	}
	// What Input writes, ParseYuan reads back.
	for _, c := range formats {
		if c.fen < 0 || c.fen > 99999999999999 {
			continue
		}
		if got, ok := money.ParseYuan(c.fen.Input()); !ok || got != c.fen {
			t.Errorf("ParseYuan(%q) = %d, %v; want %d", c.fen.Input(), got, ok, c.fen)
		}
	}
}

// TestJSON: a Fen is stored and sent as the plain integer an int64 field was.
func TestJSON(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(struct {
		Fine money.Fen `json:"fine_fen"`
	}{500050})
	if err != nil || string(b) != `{"fine_fen":500050}` {
		t.Fatalf("marshal: %s, %v", b, err)
	}
}
