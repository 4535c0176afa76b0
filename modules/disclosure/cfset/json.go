package cfset

import (
	"bytes"
	"encoding/json"
	"io"

	"zhifa/modules/kernel/csvx"
	"zhifa/modules/kernel/errs"
)

// DecodeJSON reads a JSON file of the current set or the 2016 set: an array of objects keyed by
// CF_ codes (or the fields' Chinese names), values as strings (numbers, and arrays of strings
// for CF_CFLB, are read too), in UTF-8. The set is told by the keys of all objects. All or
// nothing, as DecodeCSV: an unknown key refuses its row.
func DecodeJSON(data []byte, opt DecodeOptions) (*File, []csvx.RowError, error) {
	text, _, err := csvx.Text(data, false)
	if err != nil {
		return nil, nil, err
	}
	rows, refused, err := csvx.ReadJSON(text, column)
	if err != nil {
		return nil, nil, err
	}
	set, err := detect(sortedKeys(rows))
	if err != nil {
		return nil, nil, err
	}
	idx := setIndex[set]
	kept := rows[:0]
	for _, r := range rows {
		v := make(map[string]string, len(r.Values))
		ok := true
		for k, s := range r.Values {
			code, known := idx[k]
			_, repeated := v[code]
			switch {
			case !known:
				refused = append(refused, csvx.RowError{Row: r.Num, Field: k, Message: errs.Msg{ZH: "未知字段", EN: "unknown field"}})
				ok = false
			case repeated: // a code and its Chinese name, or two spellings of one
				refused = append(refused, csvx.RowError{Row: r.Num, Field: code, Message: errs.Msg{ZH: "字段重复", EN: "repeated field"}})
				ok = false
			}
			v[code] = s
		}
		if ok {
			r.Values = v
			kept = append(kept, r)
		}
	}
	return decodeRows(set, csvx.UTF8, kept, refused, opt)
}

// EncodeJSON writes records as a JSON array of objects keyed by the CF_ codes, in the set's
// order, every value a string (amounts "15.000000": exact). The Public variant writes the
// Restricted fields empty, as EncodeCSV; every record is validated first, as EncodeCSV.
func EncodeJSON(w io.Writer, recs []Record, opt EncodeOptions) error {
	if err := check(recs); err != nil {
		return err
	}
	var b bytes.Buffer
	b.WriteByte('[')
	for i := range recs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n{")
		for j, s := range opt.values(&recs[i]) {
			if j > 0 {
				b.WriteByte(',')
			}
			k, _ := json.Marshal(Fields[j].Code)
			v, _ := json.Marshal(s)
			b.Write(k)
			b.WriteByte(':')
			b.Write(v)
		}
		b.WriteByte('}')
	}
	b.WriteString("\n]\n")
	_, err := w.Write(b.Bytes())
	return err
}
