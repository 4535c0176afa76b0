package sandbox

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"time"
	"unicode"

	"zhifa/modules/kernel/money"
	"zhifa/modules/kernel/zhnum"
)

// The helper functions. Each is bounded by its input (which is bounded by the data) and
// returns an error rather than panicking on a bad argument.

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		return f, err == nil
	}
	return 0, false
}

func fnYuan(v any) (string, error) {
	f, ok := toFloat(v)
	if !ok {
		return "", fmt.Errorf("yuan: %v is not a number of fen", v)
	}
	return money.Fen(f).Figure(), nil
}

// fnYuanCN writes an amount in fen in Chinese capitals (大写), e.g. 500000 -> 伍仟元整.
func fnYuanCN(v any) (string, error) {
	f, ok := toFloat(v)
	if !ok || f < 0 || f >= 1e15 {
		return "", fmt.Errorf("yuan_cn: %v is not an amount of fen", v)
	}
	return money.Fen(f).Capital(), nil
}

// fnCNNum writes a whole number up to 9999 in Chinese (60 -> 六十); other numbers in digits.
func fnCNNum(v any) (string, error) {
	f, ok := toFloat(v)
	if !ok {
		return "", fmt.Errorf("cn_num: %v is not a number", v)
	}
	if n := int(f); float64(n) == f && n >= 0 && n <= zhnum.Max {
		return zhnum.Write(n), nil
	}
	return strconv.FormatFloat(f, 'f', -1, 64), nil
}

func fnDateCN(v any) (string, error) {
	s, _ := v.(string)
	if s == "" {
		return "", nil
	}
	if len(s) >= 10 {
		if t, err := time.Parse("2006-01-02", s[:10]); err == nil {
			return fmt.Sprintf("%d年%d月%d日", t.Year(), t.Month(), t.Day()), nil
		}
	}
	return s, nil
}

func fnDateTimeCN(v any) (string, error) {
	s, _ := v.(string)
	if s == "" {
		return "", nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return fnDateCN(s)
	}
	t = t.In(china)
	out := fmt.Sprintf("%d年%d月%d日%d时", t.Year(), t.Month(), t.Day(), t.Hour())
	if t.Minute() > 0 {
		out += fmt.Sprintf("%d分", t.Minute())
	}
	return out, nil
}

var china = time.FixedZone("CST", 8*3600)

func fnAdd(a, b any) (float64, error) {
	x, ok1 := toFloat(a)
	y, ok2 := toFloat(b)
	if !ok1 || !ok2 {
		return 0, fmt.Errorf("add: %v and %v must be numbers", a, b)
	}
	return x + y, nil
}

func fnJoin(v any, sep string) (string, error) {
	items, ok := v.([]any)
	if !ok {
		if v == nil {
			return "", nil
		}
		return "", fmt.Errorf("join: %T is not a list", v)
	}
	parts := make([]string, 0, len(items))
	for _, x := range items {
		s, ok := x.(string)
		if !ok {
			s = fmt.Sprint(x)
		}
		if s = Clause(s); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, sep), nil
}

// Clause returns s without surrounding space and without the punctuation that closes it
// (。，；、：！？ and their ASCII forms), so that a template or formatter can add its own: the
// text of a paragraph then never reads "。，".
func Clause(s string) string {
	return strings.TrimRightFunc(strings.TrimSpace(s), func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune("。，；、：！？.,;:!?", r)
	})
}

func fnClause(v any) string {
	s, _ := v.(string)
	return Clause(s)
}

// fnSep is the mark after item i of list: "；" between items, "。" after the last.
func fnSep(i any, list any) (string, error) {
	n, ok := toFloat(i)
	items, isList := list.([]any)
	if !ok || !isList {
		return "", fmt.Errorf("sep: want an index and a list, got %v and %T", i, list)
	}
	if int(n) >= len(items)-1 {
		return "。", nil
	}
	return "；", nil
}

func fnDefault(fallback any, v any) any {
	if Empty(v) {
		return fallback
	}
	return v
}

// Empty reports whether a data value is absent, blank, zero or an empty list.
func Empty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return strings.TrimSpace(x) == ""
	case float64:
		return x == 0
	case bool:
		return !x
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

func fnBlank(n any) (template.HTML, error) {
	f, ok := toFloat(n)
	if !ok || f < 1 || f > 40 {
		return "", fmt.Errorf("blank: width must be from 1 to 40, got %v", n)
	}
	return template.HTML(`<u class="blank">` + strings.Repeat("\u3000", int(f)) + `</u>`), nil
}

func fnCheck(v any) string {
	if Empty(v) {
		return "□"
	}
	return "■"
}

func fnMultiline(v any) template.HTML {
	s, _ := v.(string)
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i := range lines {
		lines[i] = template.HTMLEscapeString(lines[i])
	}
	return template.HTML(strings.Join(lines, "<br>"))
}
