package elements

import (
	"slices"
	"strings"
	"time"

	"zhifa/modules/kernel/civil"

	"github.com/uptrace/bun"
)

// LawLevel is the rank of a legal source (效力层级).
type LawLevel string

// The levels of legal sources, top down.
const (
	LevelLaw                      LawLevel = "law"                       // 法律
	LevelAdministrativeRegulation LawLevel = "administrative_regulation" // 行政法规
	LevelLocalRegulation          LawLevel = "local_regulation"          // 地方性法规
	LevelAutonomousRegulation     LawLevel = "autonomous_regulation"     // 自治条例和单行条例
	LevelDepartmentalRule         LawLevel = "departmental_rule"         // 部门规章
	LevelLocalRule                LawLevel = "local_rule"                // 地方政府规章
	LevelNormativeDocument        LawLevel = "normative_document"        // 行政规范性文件
)

// LawLevels lists every level, for validation and documentation.
var LawLevels = []LawLevel{LevelLaw, LevelAdministrativeRegulation, LevelLocalRegulation,
	LevelAutonomousRegulation, LevelDepartmentalRule, LevelLocalRule, LevelNormativeDocument}

// Valid reports whether l is a known level.
func (l LawLevel) Valid() bool { return slices.Contains(LawLevels, l) }

// Law is a legal source (法律法规) in a tenant's catalogue: a province loads the laws, the
// tenants below read them. It is in force from EffectiveFrom up to, not including, EffectiveTo
// (失效日期, the first day it no longer applies; nil while in force).
type Law struct {
	bun.BaseModel `bun:"table:laws,alias:l"`

	ID            string      `bun:"id,pk" json:"id"`
	TenantID      string      `bun:"tenant_id,notnull" json:"tenant_id"`
	Name          string      `bun:"name,notnull" json:"name"`
	ShortName     string      `bun:"short_name,notnull" json:"short_name,omitempty"`
	Level         LawLevel    `bun:"level,notnull" json:"level"`
	Issuer        string      `bun:"issuer,notnull" json:"issuer"`
	PromulgatedOn civil.Date  `bun:"promulgated_on,notnull" json:"promulgated_on"`
	EffectiveFrom civil.Date  `bun:"effective_from,notnull" json:"effective_from"`
	EffectiveTo   *civil.Date `bun:"effective_to" json:"effective_to,omitempty"`
	CreatedAt     time.Time   `bun:"created_at,notnull" json:"created_at"`
	UpdatedAt     time.Time   `bun:"updated_at,notnull" json:"updated_at"`
}

// InForceOn reports whether the law applies on day d.
func (l *Law) InForceOn(d civil.Date) bool { return inForce(l.EffectiveFrom, l.EffectiveTo, d) }

// LawInput is a request to create or replace a law.
type LawInput struct {
	Name          string      `json:"name"`
	ShortName     string      `json:"short_name,omitempty"`
	Level         LawLevel    `json:"level"`
	Issuer        string      `json:"issuer"`
	PromulgatedOn civil.Date  `json:"promulgated_on"`
	EffectiveFrom civil.Date  `json:"effective_from"`
	EffectiveTo   *civil.Date `json:"effective_to,omitempty"`
}

// Validate trims and checks the request's fields.
func (in *LawInput) Validate() error {
	in.Name, in.ShortName, in.Issuer = strings.TrimSpace(in.Name), strings.TrimSpace(in.ShortName), strings.TrimSpace(in.Issuer)
	var p problems
	if !validText(in.Name, 200) {
		p.add("name", "名称不能为空且不超过200字", "name is required, at most 200 characters")
	}
	if utf8Len(in.ShortName) > 64 {
		p.add("short_name", "简称不超过64字", "short name has at most 64 characters")
	}
	if !in.Level.Valid() {
		p.add("level", "效力层级须为 "+joinLevels(), "level must be one of "+joinLevels())
	}
	if !validText(in.Issuer, 200) {
		p.add("issuer", "制定机关不能为空且不超过200字", "issuer is required, at most 200 characters")
	}
	checkPeriod(&p, in.EffectiveFrom, in.EffectiveTo)
	switch {
	case !in.PromulgatedOn.Valid():
		p.add("promulgated_on", "须为日期 YYYY-MM-DD", "must be a date YYYY-MM-DD")
	case in.EffectiveFrom.Valid() && in.EffectiveFrom.Before(in.PromulgatedOn):
		p.add("effective_from", "施行日期不能早于公布日期", "cannot precede the promulgation date")
	}
	return p.err("法律法规信息有误", "invalid law")
}

// checkPeriod checks an effective period [from, to).
func checkPeriod(p *problems, from civil.Date, to *civil.Date) {
	if !from.Valid() {
		p.add("effective_from", "须为日期 YYYY-MM-DD", "must be a date YYYY-MM-DD")
	}
	if to != nil {
		switch {
		case !to.Valid():
			p.add("effective_to", "须为日期 YYYY-MM-DD", "must be a date YYYY-MM-DD")
		case from.Valid() && !to.After(from):
			p.add("effective_to", "失效日期须晚于施行日期", "must be after effective_from")
		}
	}
}

func joinLevels() string {
	s := make([]string, len(LawLevels))
	for i, l := range LawLevels {
		s[i] = string(l)
	}
	return strings.Join(s, ", ")
}

// Article is one article (条款) of a law, effective-dated on its own: a revision adds a row with
// the same number and a later EffectiveFrom and closes the old one with EffectiveTo. It applies
// on a day when both it and its law are in force.
type Article struct {
	bun.BaseModel `bun:"table:articles,alias:a"`

	ID            string      `bun:"id,pk" json:"id"`
	TenantID      string      `bun:"tenant_id,notnull" json:"tenant_id"`
	LawID         string      `bun:"law_id,notnull" json:"law_id"`
	Number        string      `bun:"number,notnull" json:"number"` // 第五十一条
	Seq           int         `bun:"seq,notnull" json:"seq"`       // 51, for ordering
	Text          string      `bun:"text,notnull" json:"text"`
	EffectiveFrom civil.Date  `bun:"effective_from,notnull" json:"effective_from"`
	EffectiveTo   *civil.Date `bun:"effective_to" json:"effective_to,omitempty"`
	CreatedAt     time.Time   `bun:"created_at,notnull" json:"created_at"`
	UpdatedAt     time.Time   `bun:"updated_at,notnull" json:"updated_at"`
}

// InForceOn reports whether the article's own period contains d (see also its law's).
func (a *Article) InForceOn(d civil.Date) bool { return inForce(a.EffectiveFrom, a.EffectiveTo, d) }

// ArticleInput is a request to create or replace an article. Number or Seq may be left out: each
// is derived from the other ("第五十一条" ↔ 51); EffectiveFrom defaults to the law's.
type ArticleInput struct {
	Number        string      `json:"number,omitempty"`
	Seq           int         `json:"seq,omitempty"`
	Text          string      `json:"text"`
	EffectiveFrom civil.Date  `json:"effective_from,omitempty"`
	EffectiveTo   *civil.Date `json:"effective_to,omitempty"`
}

// Validate trims and checks the request's fields and fills Number or Seq from the other.
func (in *ArticleInput) Validate() error {
	in.Number, in.Text = strings.TrimSpace(in.Number), strings.TrimSpace(in.Text)
	var p problems
	seq, parsed := ArticleSeq(in.Number)
	switch {
	case in.Number == "" && in.Seq > 0 && in.Seq < 10000:
		in.Number = ArticleNumber(in.Seq)
	case in.Number == "":
		p.add("number", "须填写条号（如 第五十一条）或序号", "give a number (e.g. 第五十一条) or a seq")
	case utf8Len(in.Number) > 32:
		p.add("number", "条号不超过32字", "number has at most 32 characters")
	case parsed && in.Seq == 0:
		in.Seq = seq
	case parsed && in.Seq != seq:
		p.add("seq", "序号与条号不一致", "seq does not match the number")
	case !parsed && in.Seq <= 0:
		p.add("seq", "条号无法识别时须填写序号", "seq is required when the number is not of the form 第…条")
	}
	if in.Seq < 0 || in.Seq >= 10000 {
		p.add("seq", "序号须在 1 至 9999 之间", "seq must be from 1 to 9999")
	}
	if !validText(in.Text, 20000) {
		p.add("text", "条文不能为空且不超过20000字", "text is required, at most 20000 characters")
	}
	if in.EffectiveFrom != "" || in.EffectiveTo != nil {
		from := in.EffectiveFrom
		if from == "" {
			from = "0001-01-01" // checked against the law's date later
		}
		checkPeriod(&p, from, in.EffectiveTo)
	}
	return p.err("条款信息有误", "invalid article")
}

// LawFilter selects laws.
type LawFilter struct {
	Q         string     // name, short name or issuer contains
	Level     LawLevel   // optional
	InForceOn civil.Date // optional: laws in force on that day
	Page
}

// ArticleFilter selects the articles of a law.
type ArticleFilter struct {
	Q         string     // number or text contains
	InForceOn civil.Date // optional: articles (of a law) in force on that day
	Page
}
