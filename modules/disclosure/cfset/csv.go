package cfset

import (
	"bytes"
	"encoding/csv"
	"io"

	"zhifa/modules/kernel/csvx"
)

// DecodeCSV reads a CSV file of the current set or the 2016 set (told by its header: CF_ codes
// or the fields' Chinese names), in UTF-8 (with or without a byte-order mark) or GBK. All or
// nothing: a broken file or header is an Invalid error; when any row is refused it returns no
// file, every refused row (row, field, message) and an Invalid error listing them.
func DecodeCSV(data []byte, opt DecodeOptions) (*File, []csvx.RowError, error) {
	text, enc, err := csvx.Text(data, true)
	if err != nil {
		return nil, nil, err
	}
	names, rows, refused, err := csvx.ReadCSV(text, column, MaxRows)
	if err != nil {
		return nil, nil, err
	}
	set, err := detect(names)
	if err != nil {
		return nil, nil, err
	}
	codes, err := checkHeader(set, names)
	if err != nil {
		return nil, nil, err
	}
	for i := range rows {
		v := make(map[string]string, len(codes))
		for j, c := range codes {
			v[c] = rows[i].Values[names[j]]
		}
		rows[i].Values = v
	}
	return decodeRows(set, enc, rows, refused, opt)
}

// EncodeCSV writes records as a CSV file of the current set: a header row of the CF_ codes in
// the set's order, then one row per record (Record.Text). The Public variant leaves the
// Restricted fields (证件号码: CF_FR_ZJHM, CF_XDR_ZJHM) empty; only Restricted writes them. Every
// record is validated first: when any is refused nothing is written and the error is Invalid
// with the refused records (row = position from 1).
func EncodeCSV(w io.Writer, recs []Record, opt EncodeOptions) error {
	if err := check(recs); err != nil {
		return err
	}
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	header := make([]string, len(Fields))
	for i, f := range Fields {
		header[i] = f.Code
	}
	_ = cw.Write(header)
	for i := range recs {
		_ = cw.Write(opt.values(&recs[i]))
	}
	cw.Flush()
	enc := opt.Encoding
	if enc == "" {
		enc = csvx.UTF8
	}
	out, err := csvx.Encode(b.Bytes(), enc)
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}
