package cfset

import "strings"

// legacyField is a field of the 2016 set (OVERSIGHT.md §1.2) and the field of the current set it
// becomes; To is empty for a field the current set has no place for (area code, timestamp,
// scope of use, power code: read and dropped) and for those read specially (CF_CFLB1/2,
// CF_XDR_SFZ, CF_ZT).
type legacyField struct {
	Code, Name, To string
}

// legacyFields is the 2016 set as it is seen in exchanges.
var legacyFields = []legacyField{
	{"CF_WSH", "行政处罚决定书文号", "CF_WSH"},
	{"CF_CFMC", "处罚名称", "CF_WFXW"},
	{"CF_CFLB1", "处罚类别1", ""},
	{"CF_CFLB2", "处罚类别2", ""},
	{"CF_SY", "处罚事由", "CF_SY"},
	{"CF_YJ", "处罚依据", "CF_YJ"},
	{"CF_XDR_MC", "行政相对人名称", "CF_XDR_MC"},
	{"CF_XDR_SHXYM", "统一社会信用代码", "CF_XDR_SHXYM"},
	{"CF_XDR_ZDM", "组织机构代码", "CF_XDR_ZZJG"},
	{"CF_XDR_GSDJ", "工商登记码", "CF_XDR_GSZC"},
	{"CF_XDR_SWDJ", "税务登记号", "CF_XDR_SWDJ"},
	{"CF_XDR_SFZ", "居民身份证号", ""},
	{"CF_FR", "法定代表人姓名", "CF_FRDB"},
	{"CF_JG", "处罚结果", "CF_NR"},
	{"CF_JDRQ", "处罚决定日期", "CF_JDRQ"},
	{"CF_XZJG", "处罚机关", "CF_CFJG"},
	{"CF_ZT", "当前状态", ""},
	{"DFBM", "地方编码", ""},
	{"CF_AREACODE", "地方编码", ""},
	{"SJC", "更新时间戳", ""},
	{"BZ", "备注", "BZ"},
	{"CF_SYFW", "信息使用范围", ""},
	{"CF_BM", "权力编码", ""},
}

// legacyRequired are the columns a file of the 2016 set must have.
var legacyRequired = []string{"CF_WSH", "CF_XDR_MC", "CF_JDRQ", "CF_XZJG"}

// legacyAbsent are the fields the current set requires (or requires with some categories) that
// the 2016 set does not carry: a record read from it is not refused for leaving them empty
// (DecodeOptions.Defaults may fill them), and Validate refuses it until they are filled.
var legacyAbsent = map[string]bool{"CF_XDR_LB": true, "CF_YXQ": true, "CF_CFJGDM": true, "CF_SJLY": true,
	"CF_SJLYDM": true, "CF_WFXW": true, "CF_FRDB": true, "CF_XDR_ZJLX": true, "CF_XDR_ZJHM": true,
	"CF_NR_FK": true, "CF_NR_WFFF": true, "CF_NR_ZKDX": true}

// legacyCategories read the 1996 law's codes (1–7) and names still written in CF_CFLB1/2. Where
// one old category covers two of today's, the content (CF_JG) decides: each candidate whose word
// it contains, or every candidate when it contains none.
var legacyCategories = map[string][]struct {
	c    Category
	word string
}{
	"1": {{Warning, ""}},
	"2": {{Fine, ""}},
	"3": {{ConfiscateGains, "违法所得"}, {ConfiscateProperty, "非法财物"}},
	"4": {{SuspendProduction, ""}},
	"5": {{SuspendLicence, "暂扣"}, {RevokeLicence, "吊销"}},
	"6": {{AdministrativeArrest, ""}},
	"7": {{OtherPenalty, ""}},
}

func init() {
	for _, alias := range []struct{ name, code string }{
		{"没收违法所得、没收非法财物", "3"}, {"暂扣或者吊销许可证、暂扣或者吊销执照", "5"},
	} {
		legacyCategories[alias.name] = legacyCategories[alias.code]
	}
}

// fromLegacy turns a row of the 2016 set (values by its codes) into values by the current set's
// codes, and the row's status. A party with an identity number and no USCC is a natural person
// (证件类型 身份证); one with a USCC of category 92 an individual business; any other with a USCC
// an organisation, whose identity number, if any, is its legal representative's.
func fromLegacy(v map[string]string, statusCodes map[string]Status) (map[string]string, Status, bool) {
	out := map[string]string{}
	for _, f := range legacyFields {
		if f.To != "" && v[f.Code] != "" {
			out[f.To] = v[f.Code]
		}
	}
	var cats []string
	for _, col := range []string{"CF_CFLB1", "CF_CFLB2"} {
		for _, p := range splitCategories(v[col]) {
			cands, ok := legacyCategories[p]
			if !ok {
				cats = append(cats, p)
				continue
			}
			var picked []string
			for _, c := range cands {
				if c.word != "" && strings.Contains(v["CF_JG"], c.word) {
					picked = append(picked, string(c.c))
				}
			}
			if len(picked) == 0 {
				for _, c := range cands {
					picked = append(picked, string(c.c))
				}
			}
			cats = append(cats, picked...)
		}
	}
	out["CF_CFLB"] = strings.Join(dedupe(cats), ";")
	switch id, uscc := v["CF_XDR_SFZ"], v["CF_XDR_SHXYM"]; {
	case id != "" && uscc == "":
		out["CF_XDR_LB"] = NaturalPerson.String()
		out["CF_XDR_ZJLX"] = "身份证"
		out["CF_XDR_ZJHM"] = id
	case strings.HasPrefix(uscc, "92"):
		out["CF_XDR_LB"] = IndividualBusiness.String()
	case uscc != "":
		out["CF_XDR_LB"] = Organisation.String()
		if id != "" { // beside an organisation's code, the identity number is its representative's
			out["CF_FR_ZJLX"] = "身份证"
			out["CF_FR_ZJHM"] = id
		}
	}
	st := v["CF_ZT"]
	if st == "" {
		return out, StatusNormal, true
	}
	if s, ok := statusCodes[st]; ok {
		return out, s, true
	}
	s, ok := statusNames[st]
	return out, s, ok
}

func dedupe(ss []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range ss {
		if !seen[s] {
			out = append(out, s)
			seen[s] = true
		}
	}
	return out
}
