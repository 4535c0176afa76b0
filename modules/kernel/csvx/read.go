package csvx

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/httpx"
)

// Row is one data row of a file: its number (data rows counted from 1: the CSV header and the
// JSON array's brackets are not rows), the CSV line it starts on (0 for JSON), and its values,
// trimmed, by column.
type Row struct {
	Num    int
	Line   int
	Values map[string]string
}

// RowError names a refused row and field. Row counts data rows from 1; Line is the CSV line the
// record starts on.
type RowError struct {
	Row     int      `json:"row"`
	Line    int      `json:"line,omitempty"`
	Field   string   `json:"field,omitempty"`
	Message errs.Msg `json:"message"`
}

// Refused is the error of an all-or-nothing import some of whose rows were refused: Invalid,
// saying nothing was imported, with one field error per refusal ("row 2: field"). The rows are
// sorted by row number, in place.
func Refused(rows []RowError) *errs.Error {
	slices.SortStableFunc(rows, func(a, b RowError) int { return a.Row - b.Row })
	e := errs.Ef(errs.Invalid, "有 %d 处错误，未导入任何数据", "%d problems found; nothing was imported", len(rows))
	fields := make([]errs.FieldError, len(rows))
	for i, re := range rows {
		fields[i] = errs.FieldError{Field: fmt.Sprintf("row %d: %s", re.Row, re.Field), Message: re.Message}
	}
	return e.WithFields(fields...)
}

// ReadCSV reads CSV text (UTF-8, see Text): the header row, each name trimmed and passed through
// column (nil: kept as it is), and the data rows under it, with their values by column. Blank
// rows are skipped; a row with the wrong number of fields is refused (a RowError), and reading
// stops after max rows (max+1 are returned, for the caller to refuse the file). A broken file
// (bad quoting, no header) is an Invalid error.
func ReadCSV(text []byte, column func(string) string, max int) (header []string, rows []Row, refused []RowError, err error) {
	r := csv.NewReader(bytes.NewReader(text))
	r.TrimLeadingSpace = true
	header, err = r.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil, nil, errs.E(errs.Invalid, "CSV 为空，缺少表头", "the CSV is empty: a header row is required")
	}
	if err != nil {
		return nil, nil, nil, csvError(err)
	}
	for i := range header {
		header[i] = strings.TrimSpace(header[i])
		if column != nil {
			header[i] = column(header[i])
		}
	}
	for num := 1; ; num++ {
		fields, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount) {
			refused = append(refused, RowError{Row: num, Line: pe.StartLine, Message: errs.Msg{
				ZH: fmt.Sprintf("本行有 %d 列，表头有 %d 列", len(fields), len(header)),
				EN: fmt.Sprintf("the row has %d fields, the header %d", len(fields), len(header))}})
			continue
		}
		if err != nil {
			return nil, nil, nil, csvError(err)
		}
		if blank(fields) {
			num--
			continue
		}
		line, _ := r.FieldPos(0)
		row := Row{Num: num, Line: line, Values: make(map[string]string, len(header))}
		ok := true
		for i, h := range header {
			row.Values[h] = strings.TrimSpace(fields[i])
			ok = plainText(row, h, &refused) && ok
		}
		if !ok {
			continue
		}
		rows = append(rows, row)
		if len(rows) > max {
			break
		}
	}
	return header, rows, refused, nil
}

// plainText refuses the row's value of column col holding what no text may (httpx.BadText: a
// control character, NUL among them, which no database column stores); false when it does.
func plainText(row Row, col string, refused *[]RowError) bool {
	if !httpx.BadText(row.Values[col]) {
		return true
	}
	*refused = append(*refused, RowError{Row: row.Num, Line: row.Line, Field: col, Message: httpx.BadTextField(col).Message})
	return false
}

func blank(fields []string) bool {
	for _, f := range fields {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return errs.Ef(errs.Invalid, "CSV 格式错误：第 %d 行第 %d 列附近（%v）", "malformed CSV at line %d, column %d: %v", pe.Line, pe.Column, pe.Err).WithCause(err)
	}
	return errs.E(errs.Invalid, "CSV 格式错误", "malformed CSV").WithCause(err)
}

// ReadJSON reads a JSON array of objects (a leading UTF-8 byte-order mark allowed). Each object
// is a row: its keys, trimmed and passed through column (nil: kept as they are), are the columns;
// a scalar value becomes its text, an array of scalars its elements joined by ";", null "". An
// element that is not an object, or a value of another shape, refuses its row (a RowError). Text
// that is not one array is an Invalid error.
func ReadJSON(text []byte, column func(string) string) (rows []Row, refused []RowError, err error) {
	text = bytes.TrimPrefix(text, BOM)
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.UseNumber()
	var raw []json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return nil, nil, errs.E(errs.Invalid, "JSON 导入须为对象数组", "a JSON import must be an array of objects").WithCause(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, nil, errs.E(errs.Invalid, "JSON 之后有多余内容", "unexpected data after the JSON array")
	}
	for i, msg := range raw {
		num := i + 1
		var obj map[string]any
		d := json.NewDecoder(bytes.NewReader(msg))
		d.UseNumber()
		if err := d.Decode(&obj); err != nil || obj == nil {
			refused = append(refused, RowError{Row: num, Message: errs.Msg{ZH: "须为对象", EN: "must be an object"}})
			continue
		}
		row := Row{Num: num, Values: make(map[string]string, len(obj))}
		ok := true
		for k, v := range obj {
			col := strings.TrimSpace(k)
			if column != nil {
				col = column(col)
			}
			s, good := jsonText(v)
			if !good {
				refused = append(refused, RowError{Row: num, Field: col, Message: errs.Msg{
					ZH: "须为字符串、数字、布尔值或其数组", EN: "must be a string, number, boolean or an array of them"}})
				ok = false
				continue
			}
			row.Values[col] = strings.TrimSpace(s)
			ok = plainText(row, col, &refused) && ok
		}
		if ok {
			rows = append(rows, row)
		}
	}
	return rows, refused, nil
}

func jsonText(v any) (string, bool) {
	switch x := v.(type) {
	case nil:
		return "", true
	case string:
		return x, true
	case json.Number:
		return x.String(), true
	case bool:
		return strconv.FormatBool(x), true
	case []any:
		parts := make([]string, 0, len(x))
		for _, e := range x {
			if _, nested := e.([]any); nested {
				return "", false
			}
			s, ok := jsonText(e)
			if !ok {
				return "", false
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, ";"), true
	}
	return "", false
}
