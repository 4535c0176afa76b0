package cfset

// Need says when a field must be filled.
type Need int

// When a field must be filled (OVERSIGHT.md §1.1's 必填 column).
const (
	Optional    Need = iota // N
	Required                // Y
	Conditional             // cond.: see Validate for the condition
)

// Field is one field of a set: its code (the CSV header and JSON key), its Chinese name (also
// accepted as a header), its English name for messages, its length limit in characters (0: text,
// no limit) and when it must be filled. Restricted fields are never written publicly (Variant).
type Field struct {
	Code       string
	Name       string
	EN         string
	Max        int
	Need       Need
	Restricted bool
	// Names are other headers a file may give the field (spellings seen in exports).
	Names []string
}

// Fields are the 30 fields of the current set, in its order (OVERSIGHT.md §1.1). Lengths are the
// DDL's varchar lengths; the 18-character USCC fields also need their GB 32100 check digit.
var Fields = []Field{
	{Code: "CF_XDR_MC", Name: "行政相对人名称", EN: "party name", Max: 200, Need: Required},
	{Code: "CF_XDR_LB", Name: "行政相对人类别", EN: "party kind", Max: 100, Need: Required},
	{Code: "CF_XDR_SHXYM", Name: "行政相对人代码_1(统一社会信用代码)", EN: "party's unified social credit code", Max: 32, Need: Conditional, Names: []string{"统一社会信用代码"}},
	{Code: "CF_XDR_GSZC", Name: "行政相对人代码_2(工商注册号)", EN: "business registration number", Max: 50, Names: []string{"工商注册号"}},
	{Code: "CF_XDR_ZZJG", Name: "行政相对人代码_3(组织机构代码)", EN: "organisation code", Max: 32, Names: []string{"组织机构代码"}},
	{Code: "CF_XDR_SWDJ", Name: "行政相对人代码_4(税务登记号)", EN: "tax registration number", Max: 32, Names: []string{"税务登记号"}},
	{Code: "CF_XDR_SYDW", Name: "行政相对人代码_5(事业单位证书号)", EN: "public institution certificate number", Max: 120, Names: []string{"事业单位证书号"}},
	{Code: "CF_XDR_SHZZ", Name: "行政相对人代码_6(社会组织登记证号)", EN: "social organisation registration number", Max: 50, Names: []string{"社会组织登记证号"}},
	{Code: "CF_FRDB", Name: "法定代表人", EN: "legal representative", Max: 50, Need: Conditional},
	{Code: "CF_FR_ZJLX", Name: "法定代表人证件类型", EN: "legal representative's identity document type", Max: 64},
	{Code: "CF_FR_ZJHM", Name: "法定代表人证件号码", EN: "legal representative's identity document number", Max: 32, Restricted: true},
	{Code: "CF_XDR_ZJLX", Name: "证件类型", EN: "identity document type", Max: 64, Need: Conditional, Names: []string{"行政相对人证件类型"}},
	{Code: "CF_XDR_ZJHM", Name: "证件号码", EN: "identity document number", Max: 64, Need: Conditional, Restricted: true, Names: []string{"行政相对人证件号码"}},
	{Code: "CF_WSH", Name: "行政处罚决定书文号", EN: "decision number", Max: 128, Need: Required},
	{Code: "CF_WFXW", Name: "违法行为类型", EN: "type of violation", Need: Required},
	{Code: "CF_SY", Name: "违法事实", EN: "facts of the violation", Need: Required},
	{Code: "CF_YJ", Name: "处罚依据", EN: "legal basis", Need: Required},
	{Code: "CF_CFLB", Name: "处罚类别", EN: "penalty categories", Max: 36, Need: Required},
	{Code: "CF_NR", Name: "处罚内容", EN: "penalty content", Need: Required},
	{Code: "CF_NR_FK", Name: "罚款金额(万元)", EN: "fine (10,000 yuan)", Need: Conditional},
	{Code: "CF_NR_WFFF", Name: "没收违法所得、没收非法财物的金额(万元)", EN: "amount confiscated (10,000 yuan)", Need: Conditional},
	{Code: "CF_NR_ZKDX", Name: "暂扣或吊销证照名称及编号", EN: "licence suspended or revoked, and its number", Max: 200, Need: Conditional},
	{Code: "CF_JDRQ", Name: "处罚决定日期", EN: "decision date", Need: Required},
	{Code: "CF_YXQ", Name: "处罚有效期", EN: "validity", Need: Required},
	{Code: "CF_GSJZQ", Name: "公示截止期", EN: "end of publication", Need: Optional},
	{Code: "CF_CFJG", Name: "处罚机关", EN: "penalising agency", Max: 200, Need: Required},
	{Code: "CF_CFJGDM", Name: "处罚机关统一社会信用代码", EN: "agency's unified social credit code", Max: 18, Need: Required},
	{Code: "CF_SJLY", Name: "数据来源单位", EN: "data source", Max: 200, Need: Required},
	{Code: "CF_SJLYDM", Name: "数据来源单位统一社会信用代码", EN: "data source's unified social credit code", Max: 18, Need: Required},
	{Code: "BZ", Name: "备注", EN: "remarks"},
}

// FieldByCode returns the field of the current set with code, and whether there is one.
func FieldByCode(code string) (Field, bool) {
	for _, f := range Fields {
		if f.Code == code {
			return f, true
		}
	}
	return Field{}, false
}

// label names f in messages: "行政相对人名称（CF_XDR_MC）" and "party name (CF_XDR_MC)".
func (f Field) label() (zh, en string) {
	return f.Name + "（" + f.Code + "）", f.EN + " (" + f.Code + ")"
}
