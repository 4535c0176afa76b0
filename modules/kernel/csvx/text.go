package csvx

import (
	"bytes"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"zhifa/modules/kernel/errs"
)

// Encoding names the character encoding of a file.
type Encoding string

// The encodings of the files the platform reads and writes. GBK is read and written as GB 18030,
// its superset: the same bytes for every GBK character, four-byte forms for the characters GBK
// lacks, so that no name is lost.
const (
	UTF8 Encoding = "utf-8"
	GBK  Encoding = "gbk"
)

// BOM is the UTF-8 byte-order mark that spreadsheets write at the start of a "CSV UTF-8" file.
var BOM = []byte{0xEF, 0xBB, 0xBF}

// Text returns data as UTF-8 and the encoding it was in. A leading UTF-8 byte-order mark is
// dropped. Data that is valid UTF-8 is UTF-8; otherwise, when gbk is true, it is read as GBK
// (GB 18030), and refused if it is not that either. Errors are Invalid.
func Text(data []byte, gbk bool) ([]byte, Encoding, error) {
	if rest, ok := bytes.CutPrefix(data, BOM); ok || utf8.Valid(data) {
		if !utf8.Valid(rest) {
			return nil, "", errs.E(errs.Invalid, "文件以 UTF-8 标记开头，但内容不是 UTF-8 编码", "the file starts with a UTF-8 byte-order mark but is not UTF-8")
		}
		return rest, UTF8, nil
	}
	if !gbk {
		return nil, "", errs.E(errs.Invalid, "文件须为 UTF-8 编码（Excel 请选择“CSV UTF-8”格式另存）", "the file must be UTF-8 encoded (in Excel, save as \"CSV UTF-8\")")
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil || bytes.ContainsRune(out, utf8.RuneError) {
		return nil, "", errs.E(errs.Invalid, "文件既不是 UTF-8 也不是 GBK 编码", "the file is neither UTF-8 nor GBK encoded")
	}
	return out, GBK, nil
}

// Encode writes UTF-8 text in enc: UTF-8 with a byte-order mark (so that a spreadsheet reads it
// as UTF-8), or GBK (GB 18030). Any other encoding is Invalid.
func Encode(text []byte, enc Encoding) ([]byte, error) {
	switch enc {
	case UTF8:
		return append(bytes.Clone(BOM), text...), nil
	case GBK:
		out, err := simplifiedchinese.GB18030.NewEncoder().Bytes(text)
		if err != nil {
			return nil, errs.E(errs.Invalid, "文本含有无法以 GBK 编码的字符", "the text has characters GBK cannot encode").WithCause(err)
		}
		return out, nil
	}
	return nil, errs.Ef(errs.Invalid, "不支持的编码 %q（可用：utf-8、gbk）", "unsupported encoding %q (utf-8, gbk)", enc)
}
