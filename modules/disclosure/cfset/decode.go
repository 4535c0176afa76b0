package cfset

import (
	"fmt"
	"slices"
	"strings"

	"zhifa/modules/kernel/csvx"
	"zhifa/modules/kernel/errs"
)

// Set names the field set a file is written in.
type Set string

// The field sets a decoder reads; encoders write Current only.
const (
	Current    Set = "current" // the CF_* set of OVERSIGHT.md §1.1
	Legacy2016 Set = "2016"    // the older set of §1.2 (CF_CFLB1/2, CF_JG, CF_XZJG, CF_ZT …)
)

// MaxRows is the most rows one file may hold.
const MaxRows = 10000

// DecodeOptions are a decoder's parameters; the zero value reads with the defaults.
type DecodeOptions struct {
	// StatusCodes reads the 2016 set's CF_ZT; nil is DefaultStatusCodes ([R]). The names 正常,
	// 撤销, 异议 and 其他 are always read.
	StatusCodes map[string]Status
	// Defaults fills every field a row leaves empty: typically the importing body's agency,
	// data source and their codes, which the 2016 set does not carry.
	Defaults Record
}

// Row is one decoded row: its number (data rows from 1), its CSV line (0 for JSON), its record,
// and its status (the 2016 set's CF_ZT; StatusNormal in the current set, which has none).
type Row struct {
	Num    int
	Line   int
	Record Record
	Status Status
}

// File is a decoded file: the set it was written in, its encoding and its rows.
type File struct {
	Set      Set
	Encoding csvx.Encoding
	Rows     []Row
}

// Records returns the records of f's rows, in order.
func (f *File) Records() []Record {
	out := make([]Record, len(f.Rows))
	for i, r := range f.Rows {
		out[i] = r.Record
	}
	return out
}

// column is a header name as decoders compare it: spaces dropped, full-width brackets made
// half-width, ASCII letters upper-cased.
func column(s string) string {
	s = strings.Join(strings.Fields(s), "")
	s = strings.NewReplacer("（", "(", "）", ")").Replace(s)
	return strings.ToUpper(s)
}

// setIndex maps the header names of each set (codes, Chinese names, other spellings) to codes.
var setIndex = map[Set]map[string]string{Current: {}, Legacy2016: {}}

func init() {
	for _, f := range Fields {
		for _, n := range append([]string{f.Code, f.Name}, f.Names...) {
			setIndex[Current][column(n)] = f.Code
		}
	}
	for _, f := range legacyFields {
		for _, n := range []string{f.Code, f.Name} {
			if _, ok := setIndex[Legacy2016][column(n)]; !ok {
				setIndex[Legacy2016][column(n)] = f.Code
			}
		}
	}
}

// detect names the set of a file from its column names: the set whose names only it has; the
// current set when the names are common to both. A file naming columns only one set has beside
// columns only the other has is Invalid.
func detect(names []string) (Set, error) {
	var cur, old []string
	for _, n := range names {
		_, c := setIndex[Current][n]
		_, o := setIndex[Legacy2016][n]
		switch {
		case c && !o:
			cur = append(cur, n)
		case o && !c:
			old = append(old, n)
		}
	}
	if len(cur) > 0 && len(old) > 0 {
		return "", errs.Ef(errs.Invalid, "表头混用了现行字段（%s）与 2016 版字段（%s）", "the header mixes fields of the current set (%s) and of the 2016 set (%s)",
			strings.Join(cur, ", "), strings.Join(old, ", "))
	}
	if len(old) > 0 {
		return Legacy2016, nil
	}
	return Current, nil
}

// checkHeader refuses unknown, repeated and missing columns of a file of set, naming each, and
// returns the header as codes.
func checkHeader(set Set, names []string) ([]string, error) {
	idx := setIndex[set]
	codes := make([]string, len(names))
	var fields []errs.FieldError
	seen := map[string]bool{}
	for i, n := range names {
		code, ok := idx[n]
		switch {
		case !ok:
			fields = append(fields, errs.Field(n, "未知列", "unknown column"))
		case seen[code]:
			fields = append(fields, errs.Field(code, "列重复", "repeated column"))
		}
		seen[code] = true
		codes[i] = code
	}
	for _, c := range required(set) {
		if !seen[c] {
			fields = append(fields, errs.Field(c, "缺少必填列", "required column missing"))
		}
	}
	if len(fields) > 0 {
		return nil, errs.E(errs.Invalid, "表头有误", "invalid header").WithFields(fields...)
	}
	return codes, nil
}

func required(set Set) []string {
	if set == Legacy2016 {
		return legacyRequired
	}
	var out []string
	for _, f := range Fields {
		if f.Need == Required {
			out = append(out, f.Code)
		}
	}
	return out
}

// decodeRows reads rows whose values are keyed by the codes of set into a File, all or nothing:
// when any row is refused (a value of the wrong form, a record Validate refuses, a decision
// number repeated for the same agency) it returns every refusal and the Invalid error of
// csvx.Refused.
func decodeRows(set Set, enc csvx.Encoding, rows []csvx.Row, refused []csvx.RowError, opt DecodeOptions) (*File, []csvx.RowError, error) {
	if len(rows)+len(refused) == 0 {
		return nil, nil, errs.E(errs.Invalid, "文件没有数据行", "the file has no rows")
	}
	if n := len(rows) + len(refused); n > MaxRows {
		return nil, nil, errs.Ef(errs.Invalid, "一个文件最多 %d 行（本文件超过）", "at most %d rows per file (this one has more)", MaxRows)
	}
	codes := opt.StatusCodes
	if codes == nil {
		codes = DefaultStatusCodes
	}
	f := &File{Set: set, Encoding: enc}
	keys := map[string]int{}
	for _, row := range rows {
		fail := func(field string, m errs.Msg) {
			refused = append(refused, csvx.RowError{Row: row.Num, Line: row.Line, Field: field, Message: m})
		}
		values, status := row.Values, StatusNormal
		var absent map[string]bool
		if set == Legacy2016 {
			var ok bool
			if values, status, ok = fromLegacy(row.Values, codes); !ok {
				fail("CF_ZT", errs.Msg{ZH: "当前状态（CF_ZT）“" + row.Values["CF_ZT"] + "”不是已知的状态代码", EN: "status (CF_ZT) \"" + row.Values["CF_ZT"] + "\" is not a known status code"})
			}
			absent = legacyAbsent
		}
		var rec Record
		bad := false
		for _, fd := range Fields {
			s := values[fd.Code]
			if s == "" {
				s = opt.Defaults.Text(fd.Code)
			}
			if err := rec.SetText(fd.Code, s); err != nil {
				for _, fe := range errs.As(err).Fields {
					fail(fe.Field, fe.Message)
				}
				bad = true
			}
		}
		if bad {
			continue
		}
		if err := rec.validate(absent); err != nil {
			for _, fe := range errs.As(err).Fields {
				fail(fe.Field, fe.Message)
			}
			continue
		}
		key := rec.AgencyUSCC + "\x00" + rec.Agency + "\x00" + rec.DecisionNumber
		if first, ok := keys[key]; ok {
			fail("CF_WSH", errs.Msg{ZH: fmt.Sprintf("同一处罚机关的决定书文号与第 %d 行重复", first), EN: fmt.Sprintf("the agency's decision number repeats row %d", first)})
			continue
		}
		keys[key] = row.Num
		f.Rows = append(f.Rows, Row{Num: row.Num, Line: row.Line, Record: rec, Status: status})
	}
	if len(refused) > 0 {
		return nil, refused, csvx.Refused(refused)
	}
	return f, nil, nil
}

// sortedKeys lists the keys of rows' values in order, for detecting a JSON file's set.
func sortedKeys(rows []csvx.Row) []string {
	seen := map[string]bool{}
	for _, r := range rows {
		for k := range r.Values {
			seen[k] = true
		}
	}
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
