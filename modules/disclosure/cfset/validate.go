package cfset

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/errs"
)

// Validate checks r against the current set (OVERSIGHT.md §1.1): required fields filled;
// lengths; the party kind; the USCC fields' GB 32100 check digit (civil.ValidUSCC); for an
// organisation its USCC and legal representative; for a natural person the identity document's
// type and number; for an individual business a USCC, when given, of its category (92…); the
// categories from the code set of 行政处罚法 Art. 9, without repeats; a fine when 罚款 is among
// them and none otherwise; an amount confiscated when 没收违法所得 is among them, and none unless
// 没收违法所得 or 没收非法财物 is; the licence when 暂扣/吊销许可证件 is; real dates, the validity and the end of publication not before the
// decision. It returns nil or an Invalid error with one field error per problem, each naming the
// field by its CF_ code and its Chinese name.
func (r *Record) Validate() error { return r.validate(nil) }

// validate is Validate, with the fields of the set a record was read from that the current set
// requires and the old set lacks (absent) excused from being required.
func (r *Record) validate(absent map[string]bool) error {
	var p problems
	for _, f := range Fields {
		s := r.Text(f.Code)
		if f.Need == Required && s == "" && !absent[f.Code] {
			p.add(f, "为必填项", "is required")
		}
		if f.Max > 0 && utf8.RuneCountInString(s) > f.Max {
			p.addf(f, "不能超过 %d 个字符", "may not exceed %d characters", f.Max)
		}
	}
	need := func(code string, when bool, zh, en string) {
		if f, _ := FieldByCode(code); when && r.Text(code) == "" && !absent[code] {
			p.add(f, zh, en)
		}
	}
	switch r.PartyKind {
	case 0:
	case Organisation:
		need("CF_XDR_SHXYM", true, "法人及非法人组织须填写", "is required for an organisation")
		need("CF_FRDB", true, "法人及非法人组织须填写", "is required for an organisation")
	case NaturalPerson:
		need("CF_XDR_ZJLX", true, "自然人须填写", "is required for a natural person")
		need("CF_XDR_ZJHM", true, "自然人须填写", "is required for a natural person")
	case IndividualBusiness:
		if f, _ := FieldByCode("CF_XDR_SHXYM"); r.PartyUSCC != "" && !strings.HasPrefix(r.PartyUSCC, "92") {
			p.add(f, "个体工商户的统一社会信用代码以 92 开头（GB 32100）", "of an individual business starts with 92 (GB 32100)")
		}
	default:
		f, _ := FieldByCode("CF_XDR_LB")
		p.add(f, "须为 法人及非法人组织（1）、自然人（2）或 个体工商户（4）", "must be 法人及非法人组织 (1), 自然人 (2) or 个体工商户 (4)")
	}
	for _, code := range []string{"CF_XDR_SHXYM", "CF_CFJGDM", "CF_SJLYDM"} {
		if s := r.Text(code); s != "" && !civil.ValidUSCC(s) {
			f, _ := FieldByCode(code)
			p.add(f, "不是有效的统一社会信用代码（18 位，校验位按 GB 32100）", "is not a valid unified social credit code (18 characters, check digit of GB 32100)")
		}
	}
	r.validateCategories(&p, absent)
	r.validateDates(&p)
	return p.err()
}

func (r *Record) validateCategories(p *problems, absent map[string]bool) {
	f, _ := FieldByCode("CF_CFLB")
	seen := map[Category]bool{}
	for _, c := range r.Categories {
		switch {
		case !c.Valid():
			p.add(f, "“"+string(c)+"”不是《行政处罚法》第九条的处罚种类", "\""+string(c)+"\" is not a kind of penalty of Art. 9 of the Administrative Penalty Law")
		case seen[c]:
			p.add(f, "“"+string(c)+"”重复", "repeats \""+string(c)+"\"")
		}
		seen[c] = true
	}
	amount := func(code string, need, allowed, has bool, cat string) {
		g, _ := FieldByCode(code)
		switch {
		case need && !has && !absent[code]:
			p.add(g, "处罚类别含“"+cat+"”时须填写", "is required when the categories include "+cat)
		case !allowed && has:
			p.add(g, "仅在处罚类别含“"+cat+"”时填写", "is given only when the categories include "+cat)
		}
	}
	amount("CF_NR_FK", seen[Fine], seen[Fine], r.Fine != 0, string(Fine))
	// Confiscated property (goods, tools) may have no assessed value; confiscated gains always do.
	amount("CF_NR_WFFF", seen[ConfiscateGains], seen[ConfiscateGains] || seen[ConfiscateProperty], r.Confiscated != 0, string(ConfiscateGains))
	if g, _ := FieldByCode("CF_NR_ZKDX"); (seen[SuspendLicence] || seen[RevokeLicence]) && r.LicenceSuspended == "" && !absent["CF_NR_ZKDX"] {
		p.add(g, "处罚类别含“暂扣许可证件”或“吊销许可证件”时须填写", "is required when the categories include a licence suspended or revoked")
	}
	for _, a := range []struct {
		code string
		neg  bool
	}{{"CF_NR_FK", r.Fine < 0}, {"CF_NR_WFFF", r.Confiscated < 0}} {
		if a.neg {
			g, _ := FieldByCode(a.code)
			p.add(g, "不能为负数", "may not be negative")
		}
	}
}

func (r *Record) validateDates(p *problems) {
	for _, d := range []struct {
		code string
		d    civil.Date
	}{{"CF_JDRQ", r.DecidedOn}, {"CF_YXQ", r.ValidUntil}, {"CF_GSJZQ", r.PublicUntil}} {
		f, _ := FieldByCode(d.code)
		switch {
		case d.d.IsZero():
		case !d.d.Valid():
			p.add(f, "须为有效日期（yyyy-MM-dd）", "must be a real date (yyyy-MM-dd)")
		case d.code != "CF_JDRQ" && r.DecidedOn.Valid() && d.d.Before(r.DecidedOn):
			p.add(f, "不能早于处罚决定日期", "may not be before the decision date")
		}
	}
}

// problems collects field errors and builds one Invalid error.
type problems []errs.FieldError

func (p *problems) add(f Field, zh, en string) {
	lz, le := f.label()
	*p = append(*p, errs.Field(f.Code, lz+zh, le+" "+en))
}

func (p *problems) addf(f Field, zh, en string, n int) {
	p.add(f, fmt.Sprintf(zh, n), fmt.Sprintf(en, n))
}

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return errs.E(errs.Invalid, "行政处罚信息不符合双公示数据规范", "the record does not meet the 双公示 field set").WithFields(p...)
}
