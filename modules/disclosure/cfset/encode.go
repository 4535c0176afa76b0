package cfset

import (
	"zhifa/modules/kernel/csvx"
	"zhifa/modules/kernel/errs"
)

// Variant is who an export is for.
type Variant int

// The variants of an export. The zero value is Public: a caller gets the identity numbers only
// by asking for Restricted.
const (
	Public     Variant = iota // the public and 信用中国's public upload: Restricted fields left empty
	Restricted                // sharing between authorities (not public): every field
)

// EncodeOptions are an encoder's parameters; the zero value writes the Public variant in UTF-8
// with a byte-order mark.
type EncodeOptions struct {
	Variant  Variant
	Encoding csvx.Encoding // CSV only: csvx.UTF8 (with BOM; "" is UTF8) or csvx.GBK
}

// values are the fields of r as the variant writes them, in the set's order.
func (o EncodeOptions) values(r *Record) []string {
	out := make([]string, len(Fields))
	for i, f := range Fields {
		if f.Restricted && o.Variant != Restricted {
			continue
		}
		out[i] = r.Text(f.Code)
	}
	return out
}

// check validates records before an export: nil, or the Invalid error of csvx.Refused naming
// every refused record (row = position from 1) and field.
func check(recs []Record) error {
	var refused []csvx.RowError
	for i := range recs {
		if err := recs[i].Validate(); err != nil {
			for _, fe := range errs.As(err).Fields {
				refused = append(refused, csvx.RowError{Row: i + 1, Field: fe.Field, Message: fe.Message})
			}
		}
	}
	if len(refused) > 0 {
		e := csvx.Refused(refused)
		return errs.E(errs.Invalid, "有记录不符合双公示数据规范，未导出", "records do not meet the 双公示 field set; nothing was exported").WithFields(e.Fields...)
	}
	return nil
}
