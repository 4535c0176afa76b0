package cfset

// Target is a vocabulary a field of the set has a name in.
type Target string

// The vocabularies of Aliases.
const (
	TargetCF Target = "cf" // the 双公示 codes: CF_XDR_MC …
	TargetXY Target = "xy" // the national credit platform's data elements (信用中国, 信用陕西): xy010101 …
	TargetGo Target = "go" // the fields of Record: PartyName …
)

// Alias is one field's names in every target. XY is empty where the credit platform's detail
// JSON read (OVERSIGHT.md §1.1) showed no element for the field; NoXY then says so in words, so
// that a missing id is a decision, not an oversight.
type Alias struct {
	CF   string
	XY   string
	Go   string
	NoXY string
}

const notSeen = "not among the xy elements of the 信用陕西 detail JSON read"

// Aliases maps every field of the current set to its xy data element and its Record field
// (OVERSIGHT.md §1.1, [V] for the xy ids).
var Aliases = []Alias{
	{CF: "CF_XDR_MC", XY: "xy010101", Go: "PartyName"},
	{CF: "CF_XDR_LB", Go: "PartyKind", NoXY: notSeen},
	{CF: "CF_XDR_SHXYM", XY: "xy010133", Go: "PartyUSCC"},
	{CF: "CF_XDR_GSZC", Go: "PartyBusinessRegNo", NoXY: notSeen},
	{CF: "CF_XDR_ZZJG", Go: "PartyOrgCode", NoXY: notSeen},
	{CF: "CF_XDR_SWDJ", Go: "PartyTaxRegNo", NoXY: notSeen},
	{CF: "CF_XDR_SYDW", Go: "PartyInstitutionNo", NoXY: notSeen},
	{CF: "CF_XDR_SHZZ", Go: "PartySocialOrgNo", NoXY: notSeen},
	{CF: "CF_FRDB", XY: "xy010105", Go: "LegalRep"},
	{CF: "CF_FR_ZJLX", XY: "xy010107", Go: "LegalRepIDType"},
	{CF: "CF_FR_ZJHM", XY: "xy010108", Go: "LegalRepIDNumber"},
	{CF: "CF_XDR_ZJLX", Go: "PartyIDType", NoXY: notSeen},
	{CF: "CF_XDR_ZJHM", Go: "PartyIDNumber", NoXY: notSeen},
	{CF: "CF_WSH", XY: "xy020102", Go: "DecisionNumber"},
	{CF: "CF_WFXW", XY: "xy020109", Go: "ViolationType"},
	{CF: "CF_SY", XY: "xy020104", Go: "Facts"},
	{CF: "CF_YJ", XY: "xy020106", Go: "Basis"},
	{CF: "CF_CFLB", XY: "xy020103", Go: "Categories"},
	{CF: "CF_NR", XY: "xy020130", Go: "Content"},
	{CF: "CF_NR_FK", XY: "xy020116", Go: "Fine"},
	{CF: "CF_NR_WFFF", Go: "Confiscated", NoXY: notSeen},
	{CF: "CF_NR_ZKDX", Go: "LicenceSuspended", NoXY: notSeen},
	{CF: "CF_JDRQ", XY: "xy020107", Go: "DecidedOn"},
	{CF: "CF_YXQ", Go: "ValidUntil", NoXY: notSeen},
	{CF: "CF_GSJZQ", XY: "xy020133", Go: "PublicUntil"},
	{CF: "CF_CFJG", XY: "xy020101", Go: "Agency"},
	{CF: "CF_CFJGDM", XY: "xy020134", Go: "AgencyUSCC"},
	{CF: "CF_SJLY", XY: "xy020135", Go: "Source"},
	{CF: "CF_SJLYDM", XY: "xy020136", Go: "SourceUSCC"},
	{CF: "BZ", XY: "xy020108", Go: "Remarks"},
}

func (a Alias) in(t Target) string {
	switch t {
	case TargetCF:
		return a.CF
	case TargetXY:
		return a.XY
	case TargetGo:
		return a.Go
	}
	return ""
}

// Translate returns the name in target to of the field named name in target from
// (Translate(TargetCF, TargetXY, "CF_WSH") = "xy020102"); false when either has no such name.
func Translate(from, to Target, name string) (string, bool) {
	for _, a := range Aliases {
		if name != "" && a.in(from) == name {
			out := a.in(to)
			return out, out != ""
		}
	}
	return "", false
}
