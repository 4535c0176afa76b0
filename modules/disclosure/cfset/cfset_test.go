package cfset_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"zhifa/modules/disclosure/cfset"
	"zhifa/modules/kernel/csvx"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/money"
)

const (
	orgUSCC    = "91350100M000100Y43" // GB 32100's example
	shopUSCC   = "92230500MA1B2C3D4T" // an individual business (category 92)
	agencyUSCC = "11350102003000001C"
	sourceUSCC = "12230500MB12345679"
)

// org is a valid record of an organisation fined ¥150,000.
func org() cfset.Record {
	return cfset.Record{
		PartyName: "某某食品有限公司", PartyKind: cfset.Organisation, PartyUSCC: orgUSCC, LegalRep: "张三",
		LegalRepIDType: "身份证", LegalRepIDNumber: "350426198803152318",
		DecisionNumber: "尤市监罚〔2025〕12号", ViolationType: "销售超过保质期的食品", Facts: "2025年9月30日销售过期饮料。",
		Basis: "《食品安全法》第一百二十四条", Categories: []cfset.Category{cfset.Fine, cfset.ConfiscateGains},
		Content: "罚款150000元，没收违法所得0.01元", Fine: 15_000_000, Confiscated: 1,
		DecidedOn: "2025-10-09", ValidUntil: "2025-10-16", PublicUntil: "2026-10-09",
		Agency: "尤溪县市场监督管理局", AgencyUSCC: agencyUSCC, Source: "尤溪县市场监督管理局", SourceUSCC: sourceUSCC,
	}
}

func person() cfset.Record {
	r := org()
	r.PartyName, r.PartyKind, r.PartyUSCC, r.LegalRep, r.LegalRepIDType, r.LegalRepIDNumber = "王小明", cfset.NaturalPerson, "", "", "", ""
	r.PartyIDType, r.PartyIDNumber = "身份证", "350426198803152318"
	r.DecisionNumber = "尤市监罚〔2025〕13号"
	return r
}

func encodeCSV(t *testing.T, recs []cfset.Record, opt cfset.EncodeOptions) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := cfset.EncodeCSV(&b, recs, opt); err != nil {
		t.Fatalf("EncodeCSV: %v", err)
	}
	return b.Bytes()
}

func encodeJSON(t *testing.T, recs []cfset.Record, opt cfset.EncodeOptions) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := cfset.EncodeJSON(&b, recs, opt); err != nil {
		t.Fatalf("EncodeJSON: %v", err)
	}
	return b.Bytes()
}

func fieldsOf(err error) []string {
	var out []string
	for _, f := range errs.As(err).Fields {
		out = append(out, f.Field)
	}
	return out
}

func TestWan(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		fen  money.Fen
		wan  string
		read []string // other writings that read as fen
	}{
		{200_000, "0.200000", []string{"0.2", "0.20000000"}}, // ¥2,000: the 双鸭山 record's 0.2
		{15_000_000, "15.000000", []string{"15", "15.0"}},    // ¥150,000: a DecimalField(7,6) could not hold it
		{1, "0.000001", nil},                                  // ¥0.01
		{10_000_000, "10.000000", nil},                        // ¥100,000
		{99_999_999_999_999, "99999999.999999", nil},          // ¥999,999,999,999.99: just under ¥10^12, exact
		{999_999_999_999_999_999, "999999999999.999999", nil}, // decimal(18,6)'s largest: still exact
		{0, "", []string{""}},
	} {
		if got := cfset.Wan(tc.fen); got != tc.wan {
			t.Errorf("Wan(%d) = %q, want %q", tc.fen, got, tc.wan)
		}
		for _, s := range append([]string{tc.wan}, tc.read...) {
			if got, ok := cfset.ParseWan(s); !ok || got != tc.fen {
				t.Errorf("ParseWan(%q) = %d, %v; want %d", s, got, ok, tc.fen)
			}
		}
	}
	for _, s := range []string{"-0.2", "0.0000001", "1,000", "1e3", "¥0.2", "1234567890123", "0.2万"} {
		if got, ok := cfset.ParseWan(s); ok {
			t.Errorf("ParseWan(%q) = %d, want refused", s, got)
		}
	}
}

// A fine of ¥100,000 or more survives export and import exactly, in CSV and in JSON.
func TestLargeAmountsRoundTrip(t *testing.T) {
	t.Parallel()
	recs := []cfset.Record{org()}
	csvData := encodeCSV(t, recs, cfset.EncodeOptions{Variant: cfset.Restricted})
	if !strings.Contains(string(csvData), ",15.000000,0.000001,") {
		t.Errorf("CSV does not write ¥150,000 as 15.000000 and ¥0.01 as 0.000001:\n%s", csvData)
	}
	jsonData := encodeJSON(t, recs, cfset.EncodeOptions{Variant: cfset.Restricted})
	if !strings.Contains(string(jsonData), `"CF_NR_FK":"15.000000","CF_NR_WFFF":"0.000001"`) {
		t.Errorf("JSON amounts:\n%s", jsonData)
	}
	for name, decode := range map[string]func([]byte, cfset.DecodeOptions) (*cfset.File, []csvx.RowError, error){
		"csv": cfset.DecodeCSV, "json": cfset.DecodeJSON} {
		data := csvData
		if name == "json" {
			data = jsonData
		}
		f, _, err := decode(data, cfset.DecodeOptions{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got := f.Records()[0]
		if got.Fine.String() != "¥150,000.00" || got.Confiscated.String() != "¥0.01" {
			t.Errorf("%s: fine %s, confiscated %s; want ¥150,000.00 and ¥0.01", name, got.Fine, got.Confiscated)
		}
		if !reflect.DeepEqual(got, recs[0]) {
			t.Errorf("%s: round trip\n got %+v\nwant %+v", name, got, recs[0])
		}
	}
}

// The swapped label of one DDL: CF_FR_ZJLX is the document's type, CF_FR_ZJHM its number.
func TestIdentityLabels(t *testing.T) {
	t.Parallel()
	for code, name := range map[string]string{"CF_FR_ZJLX": "法定代表人证件类型", "CF_FR_ZJHM": "法定代表人证件号码",
		"CF_XDR_ZJLX": "证件类型", "CF_XDR_ZJHM": "证件号码"} {
		f, ok := cfset.FieldByCode(code)
		if !ok || f.Name != name {
			t.Errorf("%s is %q, want %q", code, f.Name, name)
		}
		if f.Restricted != strings.HasSuffix(name, "号码") {
			t.Errorf("%s restricted = %v", code, f.Restricted)
		}
	}
	// A file whose Chinese header names the type column 证件类型 puts 身份证 in the type.
	data := encodeCSV(t, []cfset.Record{org()}, cfset.EncodeOptions{Variant: cfset.Restricted})
	var names []string
	for _, f := range cfset.Fields {
		names = append(names, f.Name)
	}
	lines := strings.SplitN(string(bytes.TrimPrefix(data, csvx.BOM)), "\n", 2)
	f, _, err := cfset.DecodeCSV([]byte(strings.Join(names, ",")+"\n"+lines[1]), cfset.DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r := f.Rows[0].Record; r.LegalRepIDType != "身份证" || r.LegalRepIDNumber != "350426198803152318" {
		t.Errorf("type %q, number %q", r.LegalRepIDType, r.LegalRepIDNumber)
	}
}

// The 双鸭山 record of OVERSIGHT.md §1.1: 罚款2000元 sent as 0.2.
func TestShuangyashanRecord(t *testing.T) {
	t.Parallel()
	data := "CF_XDR_MC,CF_XDR_LB,CF_XDR_SHXYM,CF_FRDB,CF_WSH,CF_WFXW,CF_SY,CF_YJ,CF_CFLB,CF_NR,CF_NR_FK,CF_JDRQ,CF_YXQ,CF_GSJZQ,CF_CFJG,CF_CFJGDM,CF_SJLY,CF_SJLYDM\n" +
		"双鸭山市某某商店,个体工商户," + shopUSCC + ",李四,双市监罚〔2019〕88号,未按规定公示信息,未按规定公示年度报告,《企业信息公示暂行条例》第十八条,罚款,罚款2000元,0.2,2019-10-10,2019-10-17,2020-10-17,双鸭山市市场监督管理局," + agencyUSCC + ",双鸭山市市场监督管理局," + sourceUSCC + "\n"
	f, _, err := cfset.DecodeCSV([]byte(data), cfset.DecodeOptions{})
	if err != nil {
		t.Fatalf("%v %v", err, errs.As(err).Fields)
	}
	r := f.Rows[0].Record
	if f.Set != cfset.Current || r.Fine.String() != "¥2,000.00" || r.DecidedOn != "2019-10-10" || r.ValidUntil != "2019-10-17" ||
		r.PublicUntil != "2020-10-17" || r.PartyKind != cfset.IndividualBusiness || !reflect.DeepEqual(r.Categories, []cfset.Category{cfset.Fine}) {
		t.Errorf("decoded %+v (set %s)", r, f.Set)
	}
	if got := r.Text("CF_NR_FK"); got != "0.200000" {
		t.Errorf("CF_NR_FK written %q", got)
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		change func(*cfset.Record)
		fields []string // the CF_ codes refused
		zh     string   // a word of the first message
	}{
		{"valid", func(*cfset.Record) {}, nil, ""},
		{"no name", func(r *cfset.Record) { r.PartyName = "" }, []string{"CF_XDR_MC"}, "行政相对人名称（CF_XDR_MC）为必填项"},
		{"organisation without USCC and representative", func(r *cfset.Record) { r.PartyUSCC, r.LegalRep = "", "" },
			[]string{"CF_XDR_SHXYM", "CF_FRDB"}, "法人及非法人组织须填写"},
		{"wrong check digit", func(r *cfset.Record) { r.PartyUSCC = "91350100M000100Y44" }, []string{"CF_XDR_SHXYM"}, "GB 32100"},
		{"agency code", func(r *cfset.Record) { r.AgencyUSCC = "113501020030000010" }, []string{"CF_CFJGDM"}, "统一社会信用代码"},
		{"individual business not 92", func(r *cfset.Record) { r.PartyKind = cfset.IndividualBusiness }, []string{"CF_XDR_SHXYM"}, "92"},
		{"natural person without document", func(r *cfset.Record) {
			*r = person()
			r.PartyIDType, r.PartyIDNumber = "", ""
		}, []string{"CF_XDR_ZJLX", "CF_XDR_ZJHM"}, "自然人须填写"},
		{"unknown kind", func(r *cfset.Record) { r.PartyKind = 3 }, []string{"CF_XDR_LB"}, "个体工商户（4）"},
		{"confiscated property without a value", func(r *cfset.Record) {
			r.Categories, r.Confiscated = []cfset.Category{cfset.Fine, cfset.ConfiscateProperty}, 0
		}, nil, ""},
		{"amount confiscated without confiscation", func(r *cfset.Record) { r.Categories = []cfset.Category{cfset.Fine} }, []string{"CF_NR_WFFF"}, "仅在"},
		{"category not in Art. 9", func(r *cfset.Record) { r.Categories = append(r.Categories, "罚金") }, []string{"CF_CFLB"}, "第九条"},
		{"repeated category", func(r *cfset.Record) { r.Categories = append(r.Categories, cfset.Fine) }, []string{"CF_CFLB"}, "重复"},
		{"fine without 罚款", func(r *cfset.Record) { r.Categories = []cfset.Category{cfset.ConfiscateGains} }, []string{"CF_NR_FK"}, "仅在处罚类别含“罚款”时填写"},
		{"罚款 without fine", func(r *cfset.Record) { r.Fine = 0 }, []string{"CF_NR_FK"}, "须填写"},
		{"revoked licence unnamed", func(r *cfset.Record) { r.Categories = append(r.Categories, cfset.RevokeLicence) }, []string{"CF_NR_ZKDX"}, ""},
		{"too long", func(r *cfset.Record) { r.DecisionNumber = strings.Repeat("号", 129) }, []string{"CF_WSH"}, "128"},
		{"not a date", func(r *cfset.Record) { r.DecidedOn = "2025-02-30" }, []string{"CF_JDRQ"}, "有效日期"},
		{"validity before decision", func(r *cfset.Record) { r.ValidUntil = "2025-10-08" }, []string{"CF_YXQ"}, "不能早于"},
		{"negative fine", func(r *cfset.Record) { r.Fine = -1 }, []string{"CF_NR_FK"}, "负数"},
	} {
		r := org()
		tc.change(&r)
		err := r.Validate()
		if got := fieldsOf(err); !reflect.DeepEqual(got, tc.fields) {
			t.Errorf("%s: fields %v, want %v (%v)", tc.name, got, tc.fields, err)
			continue
		}
		if err == nil {
			continue
		}
		e := errs.As(err)
		if e.Code != errs.Invalid || e.Fields[0].Message.EN == "" || !strings.Contains(e.Fields[0].Message.ZH, tc.zh) ||
			!strings.Contains(e.Fields[0].Message.EN, tc.fields[0]) {
			t.Errorf("%s: %s %+v", tc.name, e.Code, e.Fields[0].Message)
		}
	}
}

// Export writes 证件号码 only for the Restricted variant.
func TestPublicExportHidesIdentityNumbers(t *testing.T) {
	t.Parallel()
	recs := []cfset.Record{org(), person()}
	for _, opt := range []cfset.EncodeOptions{{}, {Variant: cfset.Public, Encoding: csvx.GBK}} {
		for name, data := range map[string][]byte{"csv": encodeCSV(t, recs, opt), "json": encodeJSON(t, recs, opt)} {
			text, _, _ := csvx.Text(data, true)
			if strings.Contains(string(text), "350426198803152318") {
				t.Errorf("%s public export writes an identity number:\n%s", name, text)
			}
			if !strings.Contains(string(text), "CF_XDR_ZJHM") || !strings.Contains(string(text), "王小明") {
				t.Errorf("%s public export lost the layout or the name:\n%s", name, text)
			}
		}
	}
	for _, data := range [][]byte{encodeCSV(t, recs, cfset.EncodeOptions{Variant: cfset.Restricted}), encodeJSON(t, recs, cfset.EncodeOptions{Variant: cfset.Restricted})} {
		if strings.Count(string(data), "350426198803152318") != 2 {
			t.Errorf("restricted export lacks the identity numbers:\n%s", data)
		}
	}
}

func TestEncodingsDecodeIdentically(t *testing.T) {
	t.Parallel()
	recs := []cfset.Record{org(), person()}
	utf := encodeCSV(t, recs, cfset.EncodeOptions{Variant: cfset.Restricted})
	gbk := encodeCSV(t, recs, cfset.EncodeOptions{Variant: cfset.Restricted, Encoding: csvx.GBK})
	if !bytes.HasPrefix(utf, csvx.BOM) || bytes.HasPrefix(gbk, csvx.BOM) {
		t.Fatalf("BOM: utf-8 %v, gbk %v", bytes.HasPrefix(utf, csvx.BOM), bytes.HasPrefix(gbk, csvx.BOM))
	}
	plainGBK, _ := simplifiedchinese.GBK.NewEncoder().Bytes(bytes.TrimPrefix(utf, csvx.BOM))
	if !bytes.Equal(plainGBK, gbk) {
		t.Errorf("the GBK file is not GBK's bytes")
	}
	var got [][]cfset.Record
	for _, data := range [][]byte{utf, gbk, bytes.TrimPrefix(utf, csvx.BOM)} {
		f, _, err := cfset.DecodeCSV(data, cfset.DecodeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, f.Records())
	}
	if !reflect.DeepEqual(got[0], recs) || !reflect.DeepEqual(got[1], recs) || !reflect.DeepEqual(got[2], recs) {
		t.Errorf("UTF-8, GBK and BOM-less files decode differently")
	}
	if _, _, err := cfset.DecodeCSV([]byte("CF_XDR_MC\n\xff\xfe\xff\n"), cfset.DecodeOptions{}); !errs.Is(err, errs.Invalid) {
		t.Errorf("neither UTF-8 nor GBK: %v", err)
	}
}

// One bad row: nothing is imported, and the report names that row and field.
func TestOneBadRowImportsNothing(t *testing.T) {
	t.Parallel()
	a, b, c := org(), org(), org()
	b.DecisionNumber, c.DecisionNumber = "尤市监罚〔2025〕14号", "尤市监罚〔2025〕15号"
	data := string(encodeCSV(t, []cfset.Record{a, b, c}, cfset.EncodeOptions{Variant: cfset.Restricted}))
	lines := strings.Split(data, "\n")
	lines[2] = strings.Replace(lines[2], "15.000000", "15.0000001", 1) // row 2: a digit below the fen
	f, report, err := cfset.DecodeCSV([]byte(strings.Join(lines, "\n")), cfset.DecodeOptions{})
	if f != nil || !errs.Is(err, errs.Invalid) {
		t.Fatalf("file %v, error %v", f, err)
	}
	want := []csvx.RowError{{Row: 2, Line: 3, Field: "CF_NR_FK"}}
	if len(report) != 1 || report[0].Row != want[0].Row || report[0].Line != want[0].Line || report[0].Field != want[0].Field ||
		!strings.Contains(report[0].Message.ZH, "罚款金额(万元)（CF_NR_FK）") {
		t.Errorf("report %+v, want %+v", report, want)
	}
	if fs := fieldsOf(err); !reflect.DeepEqual(fs, []string{"row 2: CF_NR_FK"}) || !strings.Contains(errs.As(err).Message.ZH, "未导入") {
		t.Errorf("error %v %v", errs.As(err).Message, fs)
	}
	// A repeated decision number of the same agency is a refused row too.
	f, report, _ = cfset.DecodeJSON(encodeJSON(t, []cfset.Record{a, b, a}, cfset.EncodeOptions{Variant: cfset.Restricted}), cfset.DecodeOptions{})
	if f != nil || len(report) != 1 || report[0].Row != 3 || report[0].Field != "CF_WSH" || !strings.Contains(report[0].Message.ZH, "第 1 行") {
		t.Errorf("duplicate: %+v", report)
	}
}

func TestMalformedFiles(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, csv string
		field     string
	}{
		{"empty", "", ""},
		{"header only", "CF_XDR_MC,CF_WSH\n", ""},
		{"unknown column", "CF_XDR_MC,COLOUR\nx,y\n", "COLOUR"},
		{"missing required column", "CF_XDR_MC,CF_XDR_LB\nx,1\n", "CF_WSH"},
		{"repeated column", "CF_XDR_MC,行政相对人名称\nx,y\n", "CF_XDR_MC"},
		{"mixed sets", "CF_NR,CF_JG\nx,y\n", ""},
		{"bad quoting", "CF_XDR_MC\n\"x\n", ""},
	} {
		f, _, err := cfset.DecodeCSV([]byte(tc.csv), cfset.DecodeOptions{})
		if f != nil || !errs.Is(err, errs.Invalid) {
			t.Errorf("%s: %v %v", tc.name, f, err)
			continue
		}
		if e := errs.As(err); e.Message.ZH == "" || e.Message.EN == "" || (tc.field != "" && !contains(fieldsOf(err), tc.field)) {
			t.Errorf("%s: %+v %v", tc.name, e.Message, fieldsOf(err))
		}
	}
	for _, js := range []string{`{}`, `[1]`, `[{"CF_XDR_MC":"x","行政相对人名称":"y"}]`, `[{"CF_XDR_MC":{"a":1}}]`, `[{"CF_XDR_MC":"x","COLOUR":"red"}]`, `[] x`} {
		if f, _, err := cfset.DecodeJSON([]byte(js), cfset.DecodeOptions{}); f != nil || !errs.Is(err, errs.Invalid) {
			t.Errorf("%s: %v %v", js, f, err)
		}
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
