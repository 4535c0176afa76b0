// Package cfset is the 双公示 行政处罚 field set as data, and its CSV and JSON encodings: a pure
// codec, with no database and nothing of the disclosure records built on it (OVERSIGHT.md §1.1
// to §1.3). It imports only the kernel (civil, csvx, errs, money).
//
//	Record         every field of the current CF_* set, typed (record.go)
//	Fields         the 30 fields: code, Chinese name, length, when required (fields.go)
//	Text, SetText  one field of a Record as the set writes it, and read back (value.go)
//	Validate       the set's rules per field, and the conditions between fields (validate.go)
//	PartyKind      行政相对人类别: 法人及非法人组织 1, 自然人 2, 个体工商户 4 (codes.go)
//	Category       处罚类别 of 行政处罚法 Art. 9; Rank and Heaviest: the statistics' seriousness order
//	Status         the 2016 set's CF_ZT ([R] codes 0 正常 / 1 撤销 / 2 异议 / 3 其他: a parameter)
//	Wan, ParseWan  amounts in 万元 with six decimals, on whole fen (amount.go)
//	Aliases        CF_* ⇄ the credit platform's xy ids ⇄ Record's fields; Translate (alias.go)
//	DecodeCSV/JSON the current set and the 2016 set, told by the header (decode.go, csv.go, json.go,
//	               legacy.go)
//	EncodeCSV/JSON the current set (csv.go, json.go, encode.go)
//
// Contracts:
//   - Amounts are money.Fen inside and 万元 with six decimals in the set (¥2,000 → 0.200000,
//     ¥150,000 → 15.000000, ¥0.01 → 0.000001), by integer arithmetic: every amount below 10^12
//     万元 survives export and import to the fen. A zero amount is an empty field.
//   - Validate names every problem by CF_ code (FieldError.Field) and by Chinese and English name
//     (the message), with errs.Invalid.
//   - Decoding is all or nothing: a file decodes with every row, or returns no file, every refused
//     row (row, CSV line, field, message: csvx.RowError) and an Invalid error. CSV is UTF-8 (a
//     byte-order mark or none) or GBK, with a header of CF_ codes or of the Chinese names; JSON is
//     an array of objects. The set is told by the column names; a header mixing both is refused.
//   - The 2016 set imports into the current one: CF_CFLB1/2 → CF_CFLB (the 1996 law's codes 1–7
//     too), CF_JG → CF_NR, CF_XZJG → CF_CFJG, CF_CFMC → CF_WFXW, CF_XDR_SFZ → CF_XDR_ZJHM (证件类型
//     身份证), CF_FR → CF_FRDB, CF_XDR_ZDM → CF_XDR_ZZJG, CF_XDR_GSDJ → CF_XDR_GSZC, CF_ZT → Row's
//     Status; area code, timestamp, scope of use and power code are dropped. The fields the old
//     set lacks (category of party where it cannot be told, validity, agency's and source's codes,
//     data source) are filled from DecodeOptions.Defaults or left empty; such a record decodes,
//     and Validate (so every encoder) refuses it until they are filled.
//   - Encoders write the current set only, and only valid records (Validate; otherwise nothing
//     is written). They never write 证件号码 (CF_FR_ZJHM, CF_XDR_ZJHM): the Public variant, the
//     zero value, leaves those fields empty (the column and key stay, so the layout is the set's).
//     Only a caller asking for Restricted (sharing between authorities, never a public response)
//     gets them. A Public file of a natural person therefore does not import back: the set
//     requires the identity number.
package cfset
