// Package money is the platform's one amount of money: Fen, a whole number of fen (分, a
// hundredth of a yuan), and the ways the platform writes and reads it. Each way has one use:
//
//	String     a table, a list, a message         ¥5,000.00  -¥0.01
//	Figure     a document's or a receipt's figure 5,000.00   (the templates' yuan; 人民币伍仟元整（¥5,000.00）)
//	Capital    a document's amount in words       伍仟元整   (大写; the templates' yuan_cn)
//	Input      an input field, a person's text    5000  5000.50  (罚款人民币5000元 in an application)
//	ParseYuan  what a person types or imports     "5000", "5,000.5"
//
// Documents print what they printed before: Figure and Capital are the templates' helpers. The
// console's and the portal's scripts write String and Input the same way (ZC.yuan, P.yuan,
// ZC.fenToYuan; a test in app holds them to the Go methods). Stored amounts stay int64 fields
// named *_fen and become a Fen where they are written: money.Fen(c.FineFen).String().
package money

import (
	"regexp"
	"strconv"
	"strings"
)

// Fen is an amount in fen. Stored and sent as a plain integer (JSON fields named *_fen).
type Fen int64

// String writes f for a table, a list or a message: the yuan sign, thousands separated, two
// decimals, the sign of a negative amount first: ¥5,000.00, ¥0.01, -¥12.50.
func (f Fen) String() string {
	s := f.Figure()
	if f < 0 {
		return "-¥" + s[1:]
	}
	return "¥" + s
}

// Figure writes f as a document or a receipt prints a figure: thousands separated, two
// decimals, no sign of the currency (the document says 人民币 or ¥ around it): 5,000.00, -0.01.
func (f Fen) Figure() string {
	neg, a := f < 0, uint64(f)
	if neg {
		a = -a
	}
	s := group(strconv.FormatUint(a/100, 10)) + "." + twoDigits(a%100)
	if neg {
		s = "-" + s
	}
	return s
}

// Input writes f as an input field holds it and as a person would write it in a sentence: no
// separators, the decimals only when there are fen: 5000, 5000.50, 0.01, -3.
func (f Fen) Input() string {
	neg, a := f < 0, uint64(f)
	if neg {
		a = -a
	}
	s := strconv.FormatUint(a/100, 10)
	if a%100 != 0 {
		s += "." + twoDigits(a%100)
	}
	if neg {
		s = "-" + s
	}
	return s
}

// MaxCapital is the largest amount Capital writes (just under ten trillion yuan).
const MaxCapital Fen = 1e15 - 1

// Capital writes f in Chinese capitals (大写) as a legal document does: 伍仟元整, 壹拾万零壹元伍角,
// 贰佰元零伍分, 零元整. A negative amount, or one above MaxCapital, has no such writing: "".
func (f Fen) Capital() string {
	if f < 0 || f > MaxCapital {
		return ""
	}
	yuan, jiao, fen := int64(f)/100, (int64(f)/10)%10, int64(f)%10
	var s string
	if yuan > 0 {
		s = capitalInteger(yuan) + "元"
	}
	switch {
	case jiao == 0 && fen == 0:
		if s == "" {
			s = "零元"
		}
		s += "整"
	case jiao == 0:
		if s != "" {
			s += "零"
		}
		s += capitalDigits[fen] + "分"
	default:
		s += capitalDigits[jiao] + "角"
		if fen > 0 {
			s += capitalDigits[fen] + "分"
		}
	}
	return s
}

var yuanRE = regexp.MustCompile(`^(\d{1,12})(?:\.(\d{1,2}))?$`)

// ParseYuan reads an amount in yuan as a person types or imports it: digits with at most two
// decimals, commas as thousands separators allowed ("5000", "5,000.5", "0.01"). It reports false
// for anything else: a sign, a currency symbol, more decimals, more than twelve digits of yuan.
func ParseYuan(s string) (Fen, bool) {
	m := yuanRE.FindStringSubmatch(strings.ReplaceAll(s, ",", ""))
	if m == nil {
		return 0, false
	}
	y, _ := strconv.ParseInt(m[1], 10, 64)
	f := int64(0)
	if m[2] != "" {
		f, _ = strconv.ParseInt((m[2] + "0")[:2], 10, 64)
	}
	return Fen(y*100 + f), true
}

func twoDigits(n uint64) string {
	return string([]byte{byte('0' + n/10), byte('0' + n%10)})
}

// group separates the thousands of a string of digits with commas.
func group(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

var capitalDigits = []string{"零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"}

// capitalInteger writes a whole positive number in capitals, in groups of 万 and 亿.
func capitalInteger(n int64) string {
	units := []string{"", "拾", "佰", "仟"}
	groups := []string{"", "万", "亿", "万亿"}
	var parts []string
	for g := 0; n > 0; g++ {
		chunk := n % 10000
		n /= 10000
		var s string
		zero := false
		for i, p := 3, int64(1000); i >= 0; i, p = i-1, p/10 {
			d := (chunk / p) % 10
			if d == 0 {
				zero = s != ""
				continue
			}
			if zero {
				s += "零"
				zero = false
			}
			s += capitalDigits[d] + units[i]
		}
		if s != "" {
			s += groups[g]
		}
		parts = append([]string{s}, parts...)
		if chunk < 1000 && n > 0 && s != "" {
			parts[0] = "零" + parts[0]
		}
	}
	out := strings.Join(parts, "")
	out = strings.TrimPrefix(out, "零")
	for strings.Contains(out, "零零") {
		out = strings.ReplaceAll(out, "零零", "零")
	}
	return out
}
