package elements_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/modules/elements"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

const csvType = "text/csv; charset=utf-8"

func importCSV(w *world, sc tenants.Scope, kind elements.ImportKind, lines ...string) (*elements.ImportReport, error) {
	return w.svc.Import(ctx, sc, kind, csvType, strings.NewReader(strings.Join(lines, "\r\n")+"\r\n"))
}

// wantRow checks that rep refuses row on field.
func wantRow(t testing.TB, rep *elements.ImportReport, row int, field string) {
	t.Helper()
	for _, e := range rep.Errors {
		if e.Row == row && e.Field == field {
			if e.Message.ZH == "" || e.Message.EN == "" {
				t.Fatalf("row %d %s: message without both languages: %+v", row, field, e.Message)
			}
			return
		}
	}
	t.Fatalf("report %+v does not refuse row %d field %q", rep.Errors, row, field)
}

func wantRejected(t testing.TB, rep *elements.ImportReport, err error) {
	t.Helper()
	wantCode(t, err, errs.Invalid)
	if rep == nil || len(rep.Errors) == 0 || rep.Imported != 0 || rep.Code != errs.Invalid || rep.Message == nil {
		t.Fatalf("report = %+v", rep)
	}
}

func TestImportLawsArticlesBodiesMatters(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		rep, err := w.svc.Import(ctx, w.provOp, elements.ImportLaws, csvType, strings.NewReader("\ufeff"+
			"Name,short_name,level,issuer,promulgated_on,effective_from,effective_to\n"+
			"中华人民共和国行政处罚法,行政处罚法,law,全国人民代表大会常务委员会,2021-01-22,2021-07-15,\n"+
			"\"中华人民共和国食品安全法\",食品安全法,law,全国人民代表大会常务委员会,2015/4/24,2015年10月1日,\n"+
			",,,,,,\n"))
		noErr(t, err)
		if rep.Imported != 2 || len(rep.Errors) != 0 {
			t.Fatalf("laws report = %+v", rep)
		}
		ls, _, err := w.svc.Laws(ctx, w.aOp, elements.LawFilter{Q: "食品"})
		noErr(t, err)
		if len(ls) != 1 || ls[0].EffectiveFrom != "2015-10-01" || ls[0].PromulgatedOn != "2015-04-24" {
			t.Fatalf("imported law = %+v", ls)
		}

		rep, err = importCSV(w, w.provOp, elements.ImportArticles,
			"law,number,seq,text,effective_from",
			"行政处罚法,第五十一条,,当场作出行政处罚决定。,",
			"中华人民共和国食品安全法,,122,\"违反本法规定，未取得食品生产经营许可从事食品生产经营活动……\",",
			"食品安全法,第一百二十四条,124,\"多行\n文本\",2015-10-01")
		noErr(t, err)
		if rep.Imported != 3 {
			t.Fatalf("articles report = %+v", rep)
		}

		rep, err = importCSV(w, w.aOp, elements.ImportBodies,
			"name,code,kind,sector,active",
			"A县市场监督管理局,"+uscc(1)+",administrative_organ,market_regulation,",
			"A县综合行政执法局,"+lower(uscc(2))+",administrative_organ,urban_management,是",
			"A县某站,"+uscc(3)+",entrusted_organisation,other,false")
		noErr(t, err)
		if rep.Imported != 3 {
			t.Fatalf("bodies report = %+v", rep)
		}
		bs, _, err := w.svc.Bodies(ctx, w.aOp, elements.BodyFilter{Active: ptr(false)})
		noErr(t, err)
		if len(bs) != 1 || bs[0].Code != uscc(3) {
			t.Fatalf("inactive bodies = %+v", bs)
		}

		rep, err = importCSV(w, w.aOp, elements.ImportMatters,
			"code,name,kind,sector,articles,bodies",
			"A-P-001,对未取得许可从事食品经营的行政处罚,penalty,market_regulation,《食品安全法》第一百二十二条；《中华人民共和国行政处罚法》第五十一条,"+uscc(1),
			"A-I-001,食品经营检查,inspection,market_regulation,,"+uscc(1)+";"+uscc(2))
		noErr(t, err)
		if rep.Imported != 2 {
			t.Fatalf("matters report = %+v", rep)
		}
		m, err := w.svc.FindMatterByCode(ctx, w.aOp, "A-P-001")
		noErr(t, err)
		if len(m.ArticleIDs) != 2 || len(m.BodyIDs) != 1 {
			t.Fatalf("imported matter = %+v", m)
		}

		// References that do not resolve are reported per row and field.
		rep, err = importCSV(w, w.aOp, elements.ImportMatters,
			"code,name,kind,sector,articles,bodies",
			"A-P-002,x,penalty,market_regulation,《刑法》第一条,",
			"A-P-003,x,penalty,market_regulation,《食品安全法》第九百条,",
			"A-P-004,x,penalty,market_regulation,食品安全法第一条,",
			"A-P-005,x,penalty,market_regulation,,"+uscc(9),
			"A-P-001,x,penalty,market_regulation,,")
		wantRejected(t, rep, err)
		wantRow(t, rep, 1, "articles")
		wantRow(t, rep, 2, "articles")
		wantRow(t, rep, 3, "articles")
		wantRow(t, rep, 4, "bodies")
		wantRow(t, rep, 5, "code")
		// A county cannot add articles to the province's law.
		rep, err = importCSV(w, w.aOp, elements.ImportArticles, "law,number,text", "行政处罚法,第九十条,x")
		wantRejected(t, rep, err)
		wantRow(t, rep, 1, "law")
	})
}

func TestImportRefusesEverythingForOneBadRow(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		badCode := uscc(2)[:17] + "0"
		if badCode == uscc(2) {
			badCode = uscc(2)[:17] + "1"
		}
		rep, err := importCSV(w, w.aOp, elements.ImportBodies,
			"name,code,kind,sector",
			"甲局,"+uscc(1)+",administrative_organ,market_regulation",
			"乙局,"+badCode+",administrative_organ,market_regulation",
			"丙局,"+uscc(3)+",police,market_regulation",
			"丁局,"+uscc(4)+",administrative_organ,transport")
		wantRejected(t, rep, err)
		wantRow(t, rep, 2, "code")
		wantRow(t, rep, 3, "kind")
		if len(rep.Errors) != 2 {
			t.Fatalf("errors = %+v", rep.Errors)
		}
		if rep.Errors[0].Line != 3 {
			t.Fatalf("row 2 is on line %d, want 3", rep.Errors[0].Line)
		}
		if bs, _, err := w.svc.Bodies(ctx, w.aOp, elements.BodyFilter{}); err != nil || len(bs) != 0 {
			t.Fatalf("a refused import left bodies: %v %v", bs, err)
		}
		// The error carries the rows as fields too, for callers that only look at the error.
		if f := errs.As(err).Fields; len(f) != 2 || f[0].Field != "row 2: code" {
			t.Fatalf("error fields = %+v", f)
		}

		// Duplicates within the file and against the database (any tenant's).
		_, err = w.svc.CreateBody(ctx, w.bOp, bodyInput("B县某局", 5))
		noErr(t, err)
		rep, err = importCSV(w, w.aOp, elements.ImportBodies,
			"name,code,kind,sector",
			"甲局,"+uscc(1)+",administrative_organ,market_regulation",
			"甲局二,"+lower(uscc(1))+",administrative_organ,market_regulation",
			"戊局,"+uscc(5)+",administrative_organ,market_regulation")
		wantRejected(t, rep, err)
		wantRow(t, rep, 2, "code")
		wantRow(t, rep, 3, "code")
		if !strings.Contains(rep.Errors[0].Message.EN, "row 1") {
			t.Fatalf("duplicate message = %+v", rep.Errors[0].Message)
		}
		if bs, _, _ := w.svc.Bodies(ctx, w.aOp, elements.BodyFilter{}); len(bs) != 0 {
			t.Fatalf("a refused import left bodies: %v", bs)
		}
	})
}

func TestImportJSON(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		body := fmt.Sprintf(`[
			{"name": "甲局", "code": %q, "kind": "administrative_organ", "sector": "ecology", "active": true},
			{"name": "乙局", "code": %q, "kind": "authorised_organisation", "sector": "health", "active": null}
		]`, uscc(1), uscc(2))
		rep, err := w.svc.Import(ctx, w.aOp, elements.ImportBodies, "application/json", strings.NewReader(body))
		noErr(t, err)
		if rep.Imported != 2 || rep.Kind != elements.ImportBodies {
			t.Fatalf("report = %+v", rep)
		}
		b, err := w.svc.FindBodyByCode(ctx, w.aOp, uscc(1))
		noErr(t, err)

		officers := fmt.Sprintf(`[
			{"body": %q, "name": "张三", "id_number": %q, "phone": "0591-87654321", "cert_number": "闽A001",
			 "cert_issued_on": "2024-01-01", "cert_expires_on": "2029-12-31", "cert_sectors": ["ecology", "health"]},
			{"body": %q, "name": "李四", "id_number": %q}
		]`, uscc(1), residentID(1), uscc(2), residentID(2))
		rep, err = w.svc.Import(ctx, w.aOp, elements.ImportOfficers, "application/json", strings.NewReader(officers))
		noErr(t, err)
		if rep.Imported != 2 {
			t.Fatalf("officers report = %+v", rep)
		}
		os, _, err := w.svc.Officers(ctx, w.aOp, elements.OfficerFilter{BodyID: b.ID, ValidOn: "2025-01-01"})
		noErr(t, err)
		if len(os) != 1 || len(os[0].Certificate.Sectors) != 2 || os[0].Certificate.Status != elements.CertValid {
			t.Fatalf("imported officers = %+v", os)
		}

		for _, tc := range []struct {
			name, body string
			row        int
			field      string
		}{
			{"unknown field", `[{"name": "x", "code": "x", "kind": "x", "sector": "x", "colour": "red"}]`, 1, "colour"},
			{"not an object", `[1]`, 1, ""},
			{"nested object", fmt.Sprintf(`[{"name": {"zh": "x"}, "code": %q, "kind": "administrative_organ", "sector": "other"}]`, uscc(7)), 1, "name"},
			{"bad value on row 2", fmt.Sprintf(`[{"name": "x", "code": %q, "kind": "administrative_organ", "sector": "other"},
				{"name": "y", "code": %q, "kind": "administrative_organ", "sector": "other", "active": "maybe"}]`, uscc(7), uscc(8)), 2, "active"},
		} {
			rep, err := w.svc.Import(ctx, w.aOp, elements.ImportBodies, "application/json", strings.NewReader(tc.body))
			wantRejected(t, rep, err)
			wantRow(t, rep, tc.row, tc.field)
		}
		_, err = w.svc.Import(ctx, w.aOp, elements.ImportBodies, "application/json", strings.NewReader(`{"name": "x"}`))
		wantCode(t, err, errs.Invalid)
		_, err = w.svc.Import(ctx, w.aOp, elements.ImportBodies, "application/json", strings.NewReader(`[] []`))
		wantCode(t, err, errs.Invalid)
		_, err = w.svc.Import(ctx, w.aOp, elements.ImportBodies, "application/json", strings.NewReader(`[]`))
		wantCode(t, err, errs.Invalid)
	})
}

func TestImportOfficersDuplicates(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		_, err := w.svc.CreateBody(ctx, w.aOp, bodyInput("甲局", 1))
		noErr(t, err)
		bBody, err := w.svc.CreateBody(ctx, w.bOp, bodyInput("B县局", 2))
		noErr(t, err)
		_, err = w.svc.CreateOfficer(ctx, w.bOp, officerInput(bBody.ID, "外县人员", 50))
		noErr(t, err)
		header := "body,name,id_number,phone,cert_number,cert_issued_on,cert_expires_on,cert_status,cert_sectors"
		row := func(name, id, cert string) string {
			return strings.Join([]string{uscc(1), name, id, "13900000000", cert, "2024-01-01", "2028-12-31", "valid", "market_regulation"}, ",")
		}
		rep, err := importCSV(w, w.aOp, elements.ImportOfficers, header,
			row("甲", residentID(1), "C1"),
			row("乙", residentID(2), "C2"),
			row("甲又", residentID(1), "C3"),       // same person again
			row("丙", residentID(3), "c1"),        // same certificate
			row("丁", residentID(50), "C5"),       // registered in county B
			row("戊", "350102198503121230", "C6"), // bad check digit
			strings.Join([]string{uscc(2), "己", residentID(7), "", "", "", "", "", ""}, ","), // county B's body
			strings.Join([]string{uscc(1), "庚", residentID(8), "", "C8", "", "2028-12-31", "", ""}, ","),
		)
		wantRejected(t, rep, err)
		wantRow(t, rep, 3, "id_number")
		wantRow(t, rep, 4, "cert_number")
		wantRow(t, rep, 5, "id_number")
		wantRow(t, rep, 6, "id_number")
		wantRow(t, rep, 7, "body")
		wantRow(t, rep, 8, "cert_issued_on")
		if os, _, _ := w.svc.Officers(ctx, w.aOp, elements.OfficerFilter{}); len(os) != 0 {
			t.Fatalf("a refused import left officers: %v", os)
		}
		rep, err = importCSV(w, w.aOp, elements.ImportOfficers, header, row("甲", residentID(1), "C1"), row("乙", residentID(2), "C2"))
		noErr(t, err)
		if rep.Imported != 2 {
			t.Fatalf("report = %+v", rep)
		}
		// Officers may not import bodies or officers.
		_, err = importCSV(w, w.aOfficer, elements.ImportOfficers, header, row("丙", residentID(3), "C3"))
		wantCode(t, err, errs.Forbidden)
		_, err = importCSV(w, w.aOfficer, elements.ImportLaws, "name,level,issuer,promulgated_on,effective_from", "x,law,x,2020-01-01,2020-01-01")
		wantCode(t, err, errs.Forbidden)
	})
}

func TestImportMalformed(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		for _, tc := range []struct {
			name, ctype, body string
			field             string
		}{
			{"unknown column", csvType, "name,code,kind,sector,colour\nx,y,z,w,red\n", "colour"},
			{"missing column", csvType, "name,kind,sector\nx,y,z\n", "code"},
			{"repeated column", csvType, "name,code,kind,sector,name\nx,y,z,w,v\n", "name"},
			{"bad quoting", csvType, "name,code,kind,sector\n\"x,y,z,w\n", ""},
			{"bare quote", csvType, "name,code,kind,sector\nx\"y,a,b,c\n", ""},
			{"empty", csvType, "", ""},
			{"header only", csvType, "name,code,kind,sector\n", ""},
			{"not UTF-8", csvType, "name,code,kind,sector\n\xd6\xd0\xce\xc4,a,b,c\n", ""},
			{"unsupported type", "application/vnd.ms-excel", "PK\x03\x04", ""},
			{"no type", "", "name,code,kind,sector\n", ""},
		} {
			rep, err := w.svc.Import(ctx, w.aOp, elements.ImportBodies, tc.ctype, strings.NewReader(tc.body))
			if tc.field != "" {
				wantField(t, err, errs.Invalid, tc.field)
			} else {
				wantCode(t, err, errs.Invalid)
			}
			if rep != nil {
				t.Errorf("%s: report %+v for a malformed file", tc.name, rep)
			}
			if m := errs.As(err).Message; m.ZH == "" || m.EN == "" {
				t.Errorf("%s: message %+v", tc.name, m)
			}
		}

		// A row with the wrong number of fields is a refused row.
		rep, err := importCSV(w, w.aOp, elements.ImportBodies, "name,code,kind,sector",
			"甲局,"+uscc(1)+",administrative_organ,market_regulation",
			"乙局,"+uscc(2)+",administrative_organ",
			"丙局,"+uscc(3)+",administrative_organ,market_regulation,extra")
		wantRejected(t, rep, err)
		wantRow(t, rep, 2, "")
		wantRow(t, rep, 3, "")

		// Too many rows, too many bytes.
		var b strings.Builder
		b.WriteString("name,code,kind,sector\n")
		for i := range elements.MaxImportRows + 1 {
			fmt.Fprintf(&b, "局%d,%s,administrative_organ,other\n", i, uscc(i))
		}
		_, err = w.svc.Import(ctx, w.aOp, elements.ImportBodies, csvType, strings.NewReader(b.String()))
		wantCode(t, err, errs.Invalid)
		big := strings.NewReader("name,code,kind,sector\n" + strings.Repeat("x", elements.MaxImportBytes))
		_, err = w.svc.Import(ctx, w.aOp, elements.ImportBodies, csvType, big)
		wantCode(t, err, errs.TooLarge)
		_, err = w.svc.Import(ctx, w.aOp, "cases", csvType, strings.NewReader("a\n1\n"))
		wantCode(t, err, errs.NotFound)
	})
}

func TestImportBenchmarks(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		m, err := w.svc.CreateMatter(ctx, w.provOp, matterInput("M-001", "对无照经营的行政处罚"))
		noErr(t, err)
		header := "matter,title,effective_from,circumstance,description,min_fine,max_fine,other_penalties"
		rep, err := importCSV(w, w.aOp, elements.ImportBenchmarks, header,
			"M-001,无照经营裁量基准,2024-01-01,轻微,首次,0,\"5,000\",",
			"M-001,无照经营裁量基准,2024-01-01,一般,,5000,20000.5,",
			"M-001,无照经营裁量基准,2024-01-01,严重,,20000,50000,没收违法所得")
		noErr(t, err)
		if rep.Imported != 3 {
			t.Fatalf("report = %+v", rep)
		}
		bs, _, err := w.svc.Benchmarks(ctx, w.aOp, elements.BenchmarkFilter{MatterID: m.ID})
		noErr(t, err)
		if len(bs) != 1 || bs[0].TenantID != w.a.ID {
			t.Fatalf("benchmarks = %+v", bs)
		}
		v1, err := w.svc.FindBenchmarkVersion(ctx, w.aOp, bs[0].ID, 1)
		noErr(t, err)
		if len(v1.Items) != 3 || v1.Items[0].MaxFine != 500_000 || v1.Items[1].MaxFine != 2_000_050 || v1.Items[2].OtherPenalties != "没收违法所得" {
			t.Fatalf("v1 = %+v", v1)
		}
		// Importing again publishes version 2 of the same benchmark.
		rep, err = importCSV(w, w.aOp, elements.ImportBenchmarks, header, "M-001,无照经营裁量基准,2025-01-01,一般,,0,30000,")
		noErr(t, err)
		v2, err := w.svc.FindBenchmarkVersion(ctx, w.aOp, bs[0].ID, 2)
		noErr(t, err)
		if len(v2.Items) != 1 || rep.Imported != 1 {
			t.Fatalf("v2 = %+v", v2)
		}

		rep, err = importCSV(w, w.aOp, elements.ImportBenchmarks, header,
			"M-404,x,2024-01-01,轻微,,0,1,",
			"M-001,新基准,2024-01-01,轻微,,100,1,",
			"M-001,新基准,2024-02-01,一般,,1.234,1,",
			"M-001,新基准,2024-01-01,轻微,,0,1,")
		wantRejected(t, rep, err)
		wantRow(t, rep, 1, "matter")
		wantRow(t, rep, 2, "min_fine")
		wantRow(t, rep, 3, "effective_from")
		wantRow(t, rep, 3, "min_fine")
		rep, err = importCSV(w, w.aOp, elements.ImportBenchmarks, header,
			"M-001,另一基准,2024-01-01,轻微,,0,1,",
			"M-001,另一基准,2024-01-01,轻微,,0,2,")
		wantRejected(t, rep, err)
		wantRow(t, rep, 2, "circumstance")
		rep, err = importCSV(w, w.aOp, elements.ImportBenchmarks, header, "M-001,无照经营裁量基准,2024-06-01,一般,,0,30000,")
		wantRejected(t, rep, err)
		wantRow(t, rep, 1, "effective_from")
	})
}

// TestImportRefusesControlCharacters: a CSV or JSON value holding a control character (NUL,
// which PostgreSQL cannot store in text, among them) is a refused row naming the column, not a
// failed insert.
func TestImportRefusesControlCharacters(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		rep, err := importCSV(w, w.aOp, elements.ImportBodies, "name,code,kind,sector",
			"甲局,"+uscc(1)+",administrative_organ,market_regulation",
			"乙局\x00,"+uscc(2)+",administrative_organ,market_regulation",
			"丙局,"+uscc(3)+",administrative_organ,market_regulation\x1b[0m")
		wantRejected(t, rep, err)
		wantRow(t, rep, 2, "name")
		wantRow(t, rep, 3, "sector")
		if len(rep.Errors) != 2 || !strings.Contains(rep.Errors[0].Message.EN, "control character") || !strings.Contains(rep.Errors[0].Message.ZH, "控制字符") {
			t.Errorf("report %+v", rep.Errors)
		}
		rep, err = w.svc.Import(ctx, w.aOp, elements.ImportBodies, "application/json", strings.NewReader(
			`[{"name":"甲局\u0000","code":"`+uscc(4)+`","kind":"administrative_organ","sector":"market_regulation"}]`))
		wantRejected(t, rep, err)
		wantRow(t, rep, 1, "name")
	})
}
