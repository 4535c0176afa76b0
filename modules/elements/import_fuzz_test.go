package elements

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"zhifa/modules/kernel/csvx"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/httpx"
)

// importSeeds are files of the import tests and the demo's kinds: (kind index, body).
var importSeeds = []struct {
	kind int
	body string
}{
	{0, "\ufeffName,short_name,level,issuer,promulgated_on,effective_from,effective_to\n" +
		"中华人民共和国行政处罚法,行政处罚法,law,全国人民代表大会常务委员会,2021-01-22,2021-07-15,\n" +
		"\"中华人民共和国食品安全法\",食品安全法,law,全国人民代表大会常务委员会,2015/4/24,2015年10月1日,\n,,,,,,\n"},
	{1, "law,number,seq,text,effective_from\r\n行政处罚法,第五十一条,,当场作出行政处罚决定。,\r\n" +
		"食品安全法,第一百二十四条,124,\"多行\n文本\",2015-10-01\r\n"},
	{2, "name,code,kind,sector,active\n甲局,91350426MA2XXXXX0A,administrative_organ,market_regulation\n乙局,x,y\n"},
	{3, "code,name,kind,sector,violated,penalty_basis\nSC-001,无照经营,penalty,market_regulation,《食品安全法》第一百二十二条第一款,《食品安全法》第一百二十二条\n"},
	{4, "body,name,id_number,cert_sectors\n91350426MA2XXXXX0A,王某某,350102198503120014,market_regulation;food\n"},
	{5, "matter,title,effective_from,circumstance,min_fine,max_fine\nSC-001,无照经营,2025-01-01,初次,500,5000.50\n"},
	{2, "name,code,kind,sector\n\"x,y,z,w\n"},
	{2, "name,code,kind,sector\nx\"y,a,b,c\n"},
	{2, "name,code,kind,sector,name\nx,y,z,w,v\n"},
	{2, "name,code,kind,sector\n\xd6\xd0\xce\xc4,a,b,c\n"}, // GB18030, as Excel saves it on Chinese Windows
	{2, ""},
}

// FuzzImportCSV: any bytes parse or are refused with an Invalid naming the problem in both
// languages; a parsed file has every data record as a row or a row error (numbered from 1, in
// order), every row has every header column, and writing the rows out as CSV again reads back
// the same rows.
func FuzzImportCSV(f *testing.F) {
	for _, s := range importSeeds {
		f.Add(uint8(s.kind), []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, k uint8, data []byte) {
		cols := ImportColumns[ImportKinds[int(k)%len(ImportKinds)]]
		rep := &ImportReport{Errors: []RowError{}}
		recs, err := parseCSV(data, cols, rep)
		if err != nil {
			wantInvalid(t, err)
			// a file that is not UTF-8 is refused as such (csvx.Text), whatever else is wrong with it
			if !utf8.Valid(bytes.TrimPrefix(data, csvx.BOM)) && !strings.Contains(errs.As(err).Message.EN, "UTF-8") {
				t.Fatalf("a file that is not UTF-8: %v", err)
			}
			return
		}
		wantRows(t, recs, rep)
		if len(recs) == 0 {
			return
		}
		header := slices.Sorted(maps.Keys(recs[0].values))
		var buf bytes.Buffer
		cw := csv.NewWriter(&buf)
		_ = cw.Write(header)
		for _, r := range recs {
			if !slices.Equal(slices.Sorted(maps.Keys(r.values)), header) {
				t.Fatalf("row %d has columns %v, the header %v", r.row, slices.Sorted(maps.Keys(r.values)), header)
			}
			line := make([]string, len(header))
			for i, h := range header {
				line[i] = r.values[h]
			}
			_ = cw.Write(line)
		}
		cw.Flush()
		again, err := parseCSV(buf.Bytes(), cols, &ImportReport{Errors: []RowError{}})
		if err != nil {
			t.Fatalf("the rows written out again are refused: %v\n%s", err, buf.Bytes())
		}
		sameValues(t, recs, again)
	})
}

// FuzzImportJSON: any bytes parse or are refused with an Invalid in both languages; a parsed
// array has every element as a row or a row error, and the rows encoded as JSON again read back
// the same.
func FuzzImportJSON(f *testing.F) {
	for _, s := range []string{
		`[{"name":"A县市场监督管理局","code":"91350426MA2XXXXX0A","kind":"administrative_organ","sector":"market_regulation","active":true}]`,
		`[{"Code":" SC-001 ","name":"无照经营","kind":"penalty","sector":"other","articles":["《行政处罚法》第五十一条","《食品安全法》第一百二十二条"]}, 1, null, {"colour":"red"}]`,
		`[{"matter":"SC-001","title":"无照经营","effective_from":"2025-01-01","circumstance":"初次","min_fine":500,"max_fine":5000.5}]`,
		`[{"name":[["nested"]]},{"name":{"x":1}}]`,
		`[] []`, `{}`, `[`, "\ufeff[]",
	} {
		f.Add(uint8(2), []byte(s))
	}
	f.Fuzz(func(t *testing.T, k uint8, data []byte) {
		cols := ImportColumns[ImportKinds[int(k)%len(ImportKinds)]]
		rep := &ImportReport{Errors: []RowError{}}
		recs, err := parseJSON(data, cols, rep)
		if err != nil {
			wantInvalid(t, err)
			return
		}
		wantRows(t, recs, rep)
		objs := make([]map[string]string, len(recs))
		for i, r := range recs {
			objs[i] = r.values
		}
		b, err := json.Marshal(objs)
		if err != nil {
			t.Fatal(err)
		}
		again, err := parseJSON(b, cols, &ImportReport{Errors: []RowError{}})
		if err != nil {
			t.Fatalf("the rows encoded again are refused: %v\n%s", err, b)
		}
		sameValues(t, recs, again)
	})
}

func wantInvalid(t *testing.T, err error) {
	t.Helper()
	if e := errs.As(err); e.Code != errs.Invalid || e.Message.ZH == "" || e.Message.EN == "" {
		t.Fatalf("refused with %v, want Invalid in both languages", err)
	}
}

// wantRows checks a parse's rows and row errors: each names a row from 1 up, in order, and says
// what is wrong in both languages; together they number the rows without a gap.
func wantRows(t *testing.T, recs []record, rep *ImportReport) {
	t.Helper()
	rows := map[int]bool{}
	last := 0
	for _, r := range recs {
		if r.row <= last {
			t.Fatalf("rows out of order: %d after %d", r.row, last)
		}
		for c, v := range r.values {
			if httpx.BadText(v) {
				t.Fatalf("row %d: %s is %q, a text no field may hold", r.row, c, v)
			}
		}
		last, rows[r.row] = r.row, true
	}
	for _, e := range rep.Errors {
		if e.Row < 1 || e.Message.ZH == "" || e.Message.EN == "" {
			t.Fatalf("row error %+v", e)
		}
		rows[e.Row] = true
	}
	for i := 1; i <= len(rows); i++ {
		if !rows[i] && len(recs) <= MaxImportRows {
			t.Fatalf("rows %v skip row %d", slices.Sorted(maps.Keys(rows)), i)
		}
	}
}

func sameValues(t *testing.T, want, got []record) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d rows read back as %d", len(want), len(got))
	}
	for i := range want {
		if !maps.Equal(want[i].values, got[i].values) {
			t.Fatalf("row %d %q read back as %q", i+1, want[i].values, got[i].values)
		}
	}
}
