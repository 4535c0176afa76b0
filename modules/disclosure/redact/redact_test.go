package redact_test

import (
	"testing"

	"zhifa/modules/disclosure/redact"
)

// TestPublicParty: 行政处罚结果信息网上公开暂行办法 Art. 7: a person's name only; an organisation's
// and a 个体工商户's name and USCC.
func TestPublicParty(t *testing.T) {
	for _, c := range []struct {
		name string
		in   redact.Party
		want redact.Public
	}{
		{"adult person", redact.Party{Kind: "person", Name: "王小明", IDNumber: "350102198503120011", Phone: "13912345678", Address: "福州市鼓楼区某路1号"},
			redact.Public{Kind: redact.Person, Name: "王小明"}},
		{"organisation", redact.Party{Kind: "organisation", Name: "福州某食品有限公司", USCC: "91350102MA12345678", Phone: "0591-88888888"},
			redact.Public{Kind: redact.Organisation, Name: "福州某食品有限公司", USCC: "91350102MA12345678"}},
		{"individual business", redact.Party{Kind: "organisation", Name: "鼓楼区小明副食店", USCC: "92350102MA1ABCDE0X", IDNumber: "350102198503120011"},
			redact.Public{Kind: redact.IndividualBusiness, Name: "鼓楼区小明副食店", USCC: "92350102MA1ABCDE0X"}},
	} {
		if got := redact.PublicParty(c.in); got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
}

// TestText: Art. 7: other persons' names masked, identity numbers, phones, addresses and bank
// accounts removed, from whatever source.
func TestText(t *testing.T) {
	party := redact.Party{Kind: "person", Name: "王小明", IDNumber: "350102198503120011", Phone: "0591-87654321", Address: "鼓楼区东街1号"}
	for _, c := range []struct {
		name, in string
		others   []string
		want     string
	}{
		{"the party's name is kept", "当事人王小明销售过期食品", nil, "当事人王小明销售过期食品"},
		{"a listed person is masked", "李四华购买了该食品", []string{"李四华"}, "李某购买了该食品"},
		{"a person after a role word is masked", "经证人张三证实", nil, "经证人张某证实"},
		{"a three-character name after a role word", "消费者欧阳锋称", nil, "消费者欧某称"},
		{"two persons after role words", "员工刘一和顾客陈二在场", nil, "员工刘某和顾客陈某在场"},
		{"the party's own phone and address", "联系电话0591-87654321，住鼓楼区东街1号", nil, "联系电话[已隐去]，住[已隐去]"},
		{"any identity number", "其妻身份证号110101199001011234，", nil, "其妻身份证号[已隐去]，"},
		{"an identity number ending in X", "号码11010119900101123X。", nil, "号码[已隐去]。"},
		{"any mobile number", "举报电话：13800138000。", nil, "举报电话：[已隐去]。"},
		{"a bank card", "转入账户6222021234567890123", nil, "转入账户[已隐去]"},
		{"an old 15-digit identity number", "身份证110101900101123", nil, "身份证[已隐去]"},
		{"amounts and dates stay", "2025年10月9日罚款20000元，数量12件", nil, "2025年10月9日罚款20000元，数量12件"},
		{"an 11-digit number not a mobile stays", "批号20251009001", nil, "批号20251009001"},
	} {
		if got := redact.Text(c.in, party, c.others); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

// TestWithheld: Art. 5(1) (a minor, by the birth date and the day of the act) and 总局令45号
// Art. 2 (a warning only, where the body's sector rule applies).
func TestWithheld(t *testing.T) {
	for _, c := range []struct {
		name string
		in   redact.Decision
		want redact.Reason
	}{
		{"adult", redact.Decision{PartyKind: "person", BornOn: "1985-03-12", ActOn: "2025-10-09", DecidedOn: "2025-11-03", Types: []string{"fine"}}, ""},
		{"17 on the act, 18 at the decision", redact.Decision{PartyKind: "person", BornOn: "2007-10-20", ActOn: "2025-10-09", DecidedOn: "2025-11-03", Types: []string{"fine"}}, redact.ReasonMinor},
		{"18th birthday on the act's day", redact.Decision{PartyKind: "person", BornOn: "2007-10-09", ActOn: "2025-10-09", DecidedOn: "2025-11-03", Types: []string{"fine"}}, ""},
		{"no act day: under 18 at the decision", redact.Decision{PartyKind: "person", BornOn: "2008-01-01", DecidedOn: "2025-11-03", Types: []string{"fine"}}, redact.ReasonMinor},
		{"born 29 February: 18 on 28 February", redact.Decision{PartyKind: "person", BornOn: "2008-02-29", ActOn: "2026-02-28", DecidedOn: "2026-03-10", Types: []string{"fine"}}, ""},
		{"born 29 February: 17 on 27 February", redact.Decision{PartyKind: "person", BornOn: "2008-02-29", ActOn: "2026-02-27", DecidedOn: "2026-03-10", Types: []string{"fine"}}, redact.ReasonMinor},
		{"an organisation has no age", redact.Decision{PartyKind: "organisation", DecidedOn: "2025-11-03", Types: []string{"fine"}}, ""},
		{"warning only, withheld by the sector", redact.Decision{PartyKind: "organisation", DecidedOn: "2025-11-03", Types: []string{"warning"}, WithholdWarnings: true}, redact.ReasonWarningOnly},
		{"warning only, published elsewhere", redact.Decision{PartyKind: "organisation", DecidedOn: "2025-11-03", Types: []string{"warning"}}, ""},
		{"warning and fine", redact.Decision{PartyKind: "organisation", DecidedOn: "2025-11-03", Types: []string{"warning", "fine"}, WithholdWarnings: true}, ""},
	} {
		if got := redact.Withheld(c.in); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

// TestMask keeps the surname only.
func TestMask(t *testing.T) {
	for in, want := range map[string]string{"张三": "张某", "欧阳修文": "欧某", "": "某"} {
		if got := redact.Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
}
