package csvx_test

import (
	"reflect"
	"strings"
	"testing"

	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/csvx"
	"zhifa/modules/kernel/errs"
)

func TestText(t *testing.T) {
	t.Parallel()
	gbk := []byte("\xd6\xd0\xce\xc4,\xb7\xa3\xbf\xee\n") // 中文,罚款 in GBK
	for _, tc := range []struct {
		name  string
		data  []byte
		gbk   bool
		want  string
		enc   csvx.Encoding
		error bool
	}{
		{"utf-8", []byte("中文,罚款\n"), false, "中文,罚款\n", csvx.UTF8, false},
		{"utf-8 with BOM", append(append([]byte{}, csvx.BOM...), "中文,罚款\n"...), false, "中文,罚款\n", csvx.UTF8, false},
		{"gbk allowed", gbk, true, "中文,罚款\n", csvx.GBK, false},
		{"gbk refused", gbk, false, "", "", true},
		{"BOM then gbk", append(append([]byte{}, csvx.BOM...), gbk...), true, "", "", true},
		{"neither", []byte("\xff\xfe\xff"), true, "", "", true},
	} {
		text, enc, err := csvx.Text(tc.data, tc.gbk)
		if tc.error {
			if e := errs.As(err); e.Code != errs.Invalid || e.Message.ZH == "" || e.Message.EN == "" {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		if err != nil || string(text) != tc.want || enc != tc.enc {
			t.Errorf("%s: %q %s %v", tc.name, text, enc, err)
		}
	}
	for _, enc := range []csvx.Encoding{csvx.UTF8, csvx.GBK} {
		out, err := csvx.Encode([]byte("王小明,𠀀\n"), enc) // 𠀀 is beyond GBK: GB 18030 keeps it
		if err != nil {
			t.Fatal(err)
		}
		back, got, err := csvx.Text(out, true)
		if err != nil || string(back) != "王小明,𠀀\n" || got != enc {
			t.Errorf("%s: %q %s %v", enc, back, got, err)
		}
	}
	if _, err := csvx.Encode(nil, "latin1"); !errs.Is(err, errs.Invalid) {
		t.Errorf("latin1: %v", err)
	}
}

func TestReadCSV(t *testing.T) {
	t.Parallel()
	// The blank rows are not counted: 乙 is row 2.
	header, rows, refused, err := csvx.ReadCSV([]byte(" Name ,Code\n甲, 1 \n\n,\n乙\n丙,3\n"), strings.ToLower, 10)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(header, []string{"name", "code"}) {
		t.Errorf("header %q", header)
	}
	want := []csvx.Row{{Num: 1, Line: 2, Values: map[string]string{"name": "甲", "code": "1"}}, {Num: 3, Line: 6, Values: map[string]string{"name": "丙", "code": "3"}}}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("rows %+v", rows)
	}
	if len(refused) != 1 || refused[0].Row != 2 || refused[0].Line != 5 || !strings.Contains(refused[0].Message.ZH, "本行有 1 列，表头有 2 列") {
		t.Errorf("refused %+v", refused)
	}
	e := csvx.Refused([]csvx.RowError{{Row: 3, Field: "b"}, {Row: 1, Field: "a"}})
	if e.Code != errs.Invalid || e.Fields[0].Field != "row 1: a" || e.Fields[1].Field != "row 3: b" || !strings.Contains(e.Message.ZH, "2 处错误") {
		t.Errorf("Refused: %+v", e)
	}
}

func TestDate(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]civil.Date{"2019-10-10": "2019-10-10", "2019/1/2": "2019-01-02", "2019.10.7": "2019-10-07",
		"2019年10月17日": "2019-10-17", "17/10/2019": "17/10/2019"} {
		if got := csvx.Date(in); got != want {
			t.Errorf("Date(%q) = %q, want %q", in, got, want)
		}
	}
}
