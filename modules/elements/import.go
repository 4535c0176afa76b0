package elements

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/csvx"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// ImportKind names what a bulk import loads.
type ImportKind string

// The kinds of bulk import.
const (
	ImportLaws       ImportKind = "laws"
	ImportArticles   ImportKind = "articles"
	ImportBodies     ImportKind = "bodies"
	ImportMatters    ImportKind = "matters"
	ImportOfficers   ImportKind = "officers"
	ImportBenchmarks ImportKind = "benchmarks"
)

// Limits of one import.
const (
	MaxImportRows  = 5000
	MaxImportBytes = 4 << 20 // the import routes' body limit
)

// Columns are the column names (CSV header, JSON keys) of a kind of import.
type Columns struct {
	Required []string
	Optional []string
}

// ImportColumns lists the columns of every kind of import. Column names are matched without
// regard to case or surrounding spaces. References name existing records:
//   - articles.law: the name or short name of a law of the importing tenant;
//   - matters.articles: 《law name or short name》第N条, several separated by ";";
//   - matters.bodies, officers.body: unified social credit codes of the tenant's bodies (";");
//   - officers.cert_sectors: sectors separated by ";";
//   - benchmarks.matter: the code of a matter the tenant can see; rows with the same matter and
//     title form one new version (the benchmark is created when the tenant has none of that
//     title), fines in yuan with at most two decimals.
//
// Dates are YYYY-MM-DD (YYYY/M/D and YYYY年M月D日 are accepted); booleans true/false, 1/0, 是/否.
var ImportColumns = map[ImportKind]Columns{
	ImportLaws: {Required: []string{"name", "level", "issuer", "promulgated_on", "effective_from"},
		Optional: []string{"short_name", "effective_to"}},
	ImportArticles: {Required: []string{"law", "text"},
		Optional: []string{"number", "seq", "effective_from", "effective_to"}},
	ImportBodies: {Required: []string{"name", "code", "kind", "sector"},
		Optional: []string{"address", "phone", "active"}},
	ImportMatters: {Required: []string{"code", "name", "kind", "sector"},
		Optional: []string{"articles", "violated", "penalty_basis", "bodies"}},
	ImportOfficers: {Required: []string{"body", "name", "id_number"},
		Optional: []string{"phone", "identity_id", "cert_number", "cert_issued_on", "cert_expires_on", "cert_status", "cert_sectors"}},
	ImportBenchmarks: {Required: []string{"matter", "title", "effective_from", "circumstance", "min_fine", "max_fine"},
		Optional: []string{"description", "other_penalties"}},
}

// ImportKinds lists the kinds of import in the order they depend on each other.
var ImportKinds = []ImportKind{ImportLaws, ImportArticles, ImportBodies, ImportMatters, ImportOfficers, ImportBenchmarks}

func (c Columns) all() []string { return append(slices.Clone(c.Required), c.Optional...) }

// ImportReport is the outcome of a bulk import: how many rows were imported, or, when any row was
// refused, every refused row and field (and nothing imported).
type ImportReport struct {
	Code     errs.Code  `json:"code,omitempty"` // "invalid" when rows were refused
	Message  *errs.Msg  `json:"message,omitempty"`
	Kind     ImportKind `json:"kind"`
	Imported int        `json:"imported"`
	Errors   []RowError `json:"errors"`
}

// RowError names a refused row and field. Row counts data rows from 1 (the CSV header and the
// JSON array's brackets are not rows); Line is the CSV line the record starts on.
type RowError = csvx.RowError

// record is one row of an import: its values by column.
type record struct {
	row, line int
	values    map[string]string
}

func (r record) get(col string) string { return r.values[col] }

// Import loads rows of one kind in a single transaction at the scope's tenant. The body is CSV
// (contentType text/csv, UTF-8, optional BOM, a header row of ImportColumns) or JSON
// (application/json, an array of objects with the same keys). Every row is checked (formats,
// check digits, references, duplicates within the file and against the database); when any row is
// refused nothing is imported and the report lists every refusal, with an Invalid error. Needs
// elements.write (officers: officers.write). Returns Invalid (malformed file, unknown or missing
// columns, too many rows, refused rows: then with the report), TooLarge, Forbidden, NotFound
// (unknown kind).
func (s *Service) Import(ctx context.Context, sc tenants.Scope, kind ImportKind, contentType string, body io.Reader) (*ImportReport, error) {
	cols, ok := ImportColumns[kind]
	if !ok {
		return nil, errs.Ef(errs.NotFound, "不支持导入 %s", "cannot import %s", kind)
	}
	action := authz.ElementsWrite
	if kind == ImportOfficers {
		action = authz.OfficersWrite
	}
	if err := mayCreate(sc, action); err != nil {
		return nil, err
	}
	if kind == ImportBodies && !sc.CanFor(action, "") {
		return nil, errs.ErrForbidden
	}
	data, err := io.ReadAll(io.LimitReader(body, MaxImportBytes+1))
	if err != nil {
		return nil, errs.E(errs.Invalid, "无法读取请求体", "cannot read the request body").WithCause(err)
	}
	if len(data) > MaxImportBytes {
		return nil, errs.Ef(errs.TooLarge, "导入文件不能超过 %d MB", "an import file may not exceed %d MB", MaxImportBytes>>20)
	}
	rep := &ImportReport{Kind: kind, Errors: []RowError{}}
	var recs []record
	mt, _, _ := mime.ParseMediaType(contentType)
	switch mt {
	case "text/csv":
		recs, err = parseCSV(data, cols, rep)
	case "application/json":
		recs, err = parseJSON(data, cols, rep)
	default:
		return nil, errs.E(errs.Invalid, "导入内容须为 CSV（text/csv）或 JSON（application/json）", "an import must be CSV (text/csv) or JSON (application/json)")
	}
	if err != nil {
		return nil, err
	}
	if len(recs)+len(rep.Errors) == 0 {
		return nil, errs.E(errs.Invalid, "导入文件没有数据行", "the import has no rows")
	}
	if n := len(recs) + len(rep.Errors); n > MaxImportRows {
		return nil, errs.Ef(errs.Invalid, "一次最多导入 %d 行（本次 %d 行）", "at most %d rows per import (got %d)", MaxImportRows, n)
	}
	rejected := errors.New("rows refused")
	err = tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		im := &importer{tx: tx, sc: sc, rep: rep, now: s.stamp()}
		var err error
		switch kind {
		case ImportLaws:
			err = im.laws(ctx, recs)
		case ImportArticles:
			err = im.articles(ctx, recs)
		case ImportBodies:
			err = im.bodies(ctx, recs)
		case ImportMatters:
			err = im.matters(ctx, recs)
		case ImportOfficers:
			err = im.officers(ctx, recs)
		case ImportBenchmarks:
			err = im.benchmarks(ctx, recs)
		}
		if err != nil {
			return err
		}
		if len(rep.Errors) > 0 {
			return rejected
		}
		return nil
	})
	if err != nil && !errors.Is(err, rejected) {
		return nil, err
	}
	if len(rep.Errors) > 0 {
		e := csvx.Refused(rep.Errors)
		rep.Imported = 0
		rep.Code = errs.Invalid
		rep.Message = &e.Message
		return rep, e
	}
	return rep, nil
}

// parseCSV reads a CSV import (UTF-8). A broken file (bad quoting, unknown or missing columns)
// is an Invalid error; a record with the wrong number of fields is a refused row.
func parseCSV(data []byte, cols Columns, rep *ImportReport) ([]record, error) {
	text, _, err := csvx.Text(data, false)
	if err != nil {
		return nil, err
	}
	header, rows, refused, err := csvx.ReadCSV(text, strings.ToLower, MaxImportRows)
	if err != nil {
		return nil, err
	}
	if err := checkHeader(header, cols); err != nil {
		return nil, err
	}
	rep.Errors = append(rep.Errors, refused...)
	recs := make([]record, len(rows))
	for i, r := range rows {
		recs[i] = record{row: r.Num, line: r.Line, values: r.Values}
	}
	return recs, nil
}

// checkHeader refuses unknown, repeated and missing columns, naming each.
func checkHeader(header []string, cols Columns) error {
	known := cols.all()
	var p problems
	seen := map[string]bool{}
	for _, h := range header {
		switch {
		case !slices.Contains(known, h):
			p.add(h, "未知列（可用列："+strings.Join(known, ", ")+"）", "unknown column (columns: "+strings.Join(known, ", ")+")")
		case seen[h]:
			p.add(h, "列重复", "repeated column")
		}
		seen[h] = true
	}
	for _, c := range cols.Required {
		if !seen[c] {
			p.add(c, "缺少必填列", "required column missing")
		}
	}
	return p.err("CSV 表头有误", "invalid CSV header")
}

// parseJSON reads a JSON import: an array of objects whose keys are the columns. Scalars become
// text; an array of scalars becomes its elements joined by ";". A value holding a control
// character is a refused row.
func parseJSON(data []byte, cols Columns, rep *ImportReport) ([]record, error) {
	rows, refused, err := csvx.ReadJSON(data, strings.ToLower)
	if err != nil {
		return nil, err
	}
	rep.Errors = append(rep.Errors, refused...)
	known := cols.all()
	var recs []record
	for _, r := range rows {
		ok := true
		for col := range r.Values {
			if !slices.Contains(known, col) {
				rep.Errors = append(rep.Errors, RowError{Row: r.Num, Field: col, Message: errs.Msg{
					ZH: "未知字段（可用字段：" + strings.Join(known, ", ") + "）", EN: "unknown field (fields: " + strings.Join(known, ", ") + ")"}})
				ok = false
			}
		}
		if ok {
			recs = append(recs, record{row: r.Num, values: r.Values})
		}
	}
	return recs, nil
}

// importer checks and inserts the rows of one import inside its transaction.
type importer struct {
	tx  bun.Tx
	sc  tenants.Scope
	rep *ImportReport
	now time.Time // the moment of the import: every row's timestamps, and the day articles are in force
}

// fail records a refused row from err: one entry per field of an *errs.Error (renamed to the
// import's columns), or one for the whole row.
func (im *importer) fail(rec record, err error, rename map[string]string) {
	e := errs.As(err)
	if e.Code == errs.Internal {
		e = errs.E(errs.Internal, "服务器内部错误", "internal error")
	}
	if len(e.Fields) == 0 {
		im.rep.Errors = append(im.rep.Errors, RowError{Row: rec.row, Line: rec.line, Message: e.Message})
		return
	}
	for _, f := range e.Fields {
		name := itemPrefix.ReplaceAllString(f.Field, "")
		if r, ok := rename[name]; ok {
			name = r
		}
		im.rep.Errors = append(im.rep.Errors, RowError{Row: rec.row, Line: rec.line, Field: name, Message: f.Message})
	}
}

func (im *importer) failField(rec record, field, zh, en string) {
	im.rep.Errors = append(im.rep.Errors, RowError{Row: rec.row, Line: rec.line, Field: field, Message: errs.Msg{ZH: zh, EN: en}})
}

var itemPrefix = regexp.MustCompile(`^items\[\d+\]\.`)

// dup remembers keys seen in the file and reports a row that repeats one.
type dup map[string]int

func (d dup) seen(im *importer, rec record, field, key string) bool {
	if key == "" {
		return false
	}
	if first, ok := d[key]; ok {
		im.failField(rec, field, fmt.Sprintf("与第 %d 行重复", first), fmt.Sprintf("duplicates row %d", first))
		return true
	}
	d[key] = rec.row
	return false
}

// importDate reads a date column (csvx.Date): YYYY-MM-DD, YYYY/M/D, YYYY.M.D or YYYY年M月D日;
// anything else as it is, for Validate to refuse with the field's name.
func importDate(s string) civil.Date { return csvx.Date(s) }

func importOptDate(s string) *civil.Date {
	if s == "" {
		return nil
	}
	d := importDate(s)
	return &d
}

// importBool reads a boolean column; def when empty.
func importBool(s string, def bool) (bool, bool) {
	switch strings.ToLower(s) {
	case "":
		return def, true
	case "true", "1", "yes", "y", "是":
		return true, true
	case "false", "0", "no", "n", "否":
		return false, true
	}
	return false, false
}

// splitList splits a list column on ";", "；" or line breaks.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '；' || r == '\n' || r == '\r' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
