package cfset

import (
	"slices"
	"strings"
)

// PartyKind is 行政相对人类别 (CF_XDR_LB), written as its code (1, 2, 4), its letters or its name.
type PartyKind int

// The kinds of party of the current set.
const (
	Organisation       PartyKind = 1 // 法人及非法人组织 FRJFFRZZ
	NaturalPerson      PartyKind = 2 // 自然人 ZRR
	IndividualBusiness PartyKind = 4 // 个体工商户 GTGSH
)

var partyKinds = []struct {
	kind          PartyKind
	name, letters string
}{
	{Organisation, "法人及非法人组织", "FRJFFRZZ"},
	{NaturalPerson, "自然人", "ZRR"},
	{IndividualBusiness, "个体工商户", "GTGSH"},
}

// String is the kind's name in the set: 法人及非法人组织, 自然人, 个体工商户; "" for no kind.
func (k PartyKind) String() string {
	for _, p := range partyKinds {
		if p.kind == k {
			return p.name
		}
	}
	return ""
}

// ParsePartyKind reads CF_XDR_LB: the code (1, 2, 4), the letters (FRJFFRZZ, ZRR, GTGSH, any
// case) or the name; false for anything else.
func ParsePartyKind(s string) (PartyKind, bool) {
	s = strings.TrimSpace(s)
	for _, p := range partyKinds {
		if s == p.name || strings.EqualFold(s, p.letters) || s == string(rune('0'+p.kind)) {
			return p.kind, true
		}
	}
	return 0, false
}

// Category is one 处罚类别 (CF_CFLB): a kind of penalty of 行政处罚法 (2021) Art. 9, written by
// its name.
type Category string

// The categories of 行政处罚法 Art. 9 (OVERSIGHT.md §1.3), in the article's order.
const (
	Warning              Category = "警告"
	Criticism            Category = "通报批评"
	Fine                 Category = "罚款"
	ConfiscateGains      Category = "没收违法所得"
	ConfiscateProperty   Category = "没收非法财物"
	SuspendLicence       Category = "暂扣许可证件"
	LowerQualification   Category = "降低资质等级"
	RevokeLicence        Category = "吊销许可证件"
	RestrictOperations   Category = "限制开展生产经营活动"
	SuspendProduction    Category = "责令停产停业"
	OrderClosure         Category = "责令关闭"
	RestrictEmployment   Category = "限制从业"
	AdministrativeArrest Category = "行政拘留"
	OtherPenalty         Category = "其他"
)

// Categories lists the code set of CF_CFLB in the order of Art. 9.
var Categories = []Category{Warning, Criticism, Fine, ConfiscateGains, ConfiscateProperty, SuspendLicence,
	LowerQualification, RevokeLicence, RestrictOperations, SuspendProduction, OrderClosure, RestrictEmployment,
	AdministrativeArrest, OtherPenalty}

// Valid reports whether c is in the code set.
func (c Category) Valid() bool { return slices.Contains(Categories, c) }

// seriousness is the order of the annual statistics, lightest first (OVERSIGHT.md §1.3, 大同
// 2021); categories on one step share it.
var seriousness = map[Category]int{
	Warning: 1, Criticism: 2, Fine: 3, ConfiscateGains: 4, ConfiscateProperty: 4, SuspendLicence: 5,
	LowerQualification: 6, RestrictOperations: 7, SuspendProduction: 8, OrderClosure: 9,
	RestrictEmployment: 9, RevokeLicence: 10, AdministrativeArrest: 11,
}

// Rank is c's step in the seriousness order of the statistics, 1 (警告) to 11 (行政拘留); 0 for
// 其他, which the order does not rank.
func (c Category) Rank() int { return seriousness[c] }

// Heaviest returns the most serious of cs (the one a decision with several penalties counts
// under), the first of equals; "" for none.
func Heaviest(cs []Category) Category {
	var h Category
	for _, c := range cs {
		if h == "" || c.Rank() > h.Rank() {
			h = c
		}
	}
	return h
}

// splitCategories splits a CF_CFLB value of several categories on ; ， 、 | or a line break.
func splitCategories(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(";；,，、|\n\r", r) }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Status is the 2016 set's 当前状态 (CF_ZT) of a record: normal, revoked, disputed or other.
type Status int

// The statuses of a record of the 2016 set.
const (
	StatusNormal   Status = iota // 正常
	StatusRevoked                // 撤销
	StatusDisputed               // 异议
	StatusOther                  // 其他
)

// DefaultStatusCodes are the CF_ZT codes read when the caller names none: 0 正常, 1 撤销, 2 异议,
// 3 其他. The sources read did not give the codes (OVERSIGHT.md §1.2, [R]): a caller whose
// exchange codes them otherwise passes its own map (DecodeOptions.StatusCodes).
var DefaultStatusCodes = map[string]Status{"0": StatusNormal, "1": StatusRevoked, "2": StatusDisputed, "3": StatusOther}

var statusNames = map[string]Status{"正常": StatusNormal, "撤销": StatusRevoked, "异议": StatusDisputed, "其他": StatusOther}
