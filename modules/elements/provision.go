package elements

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/zhnum"
	"zhifa/tenants"
)

// Provision is a provision of the law database as a decision cites it: an article, and where
// the citation goes down to them its paragraph (款, 1-based; 0 none) and item (项, 1-based; 0
// none). Law and Number are filled when the provision is resolved (ResolveProvisions), so that a
// case keeps the wording it was decided on whatever the database later says.
type Provision struct {
	ArticleID string `json:"article_id"`
	Paragraph int    `json:"paragraph,omitempty"`
	Item      int    `json:"item,omitempty"`
	Law       string `json:"law,omitempty"`    // 中华人民共和国食品安全法
	Number    string `json:"number,omitempty"` // 第三十四条
}

// ProvisionRole is what a matter's provision is to a decision on it.
type ProvisionRole string

// The roles of a matter's provisions.
const (
	RoleViolated ProvisionRole = "violated" // 违法依据: the provision the act breaks
	RolePenalty  ProvisionRole = "penalty"  // 处罚依据: the provision the penalty rests on
)

// MatterProvision is a provision a matter's decisions cite by default in a role.
type MatterProvision struct {
	Role ProvisionRole `json:"role"`
	Provision
}

// Cite writes the provision as documents do, within its law: 第三十四条第（十）项,
// 第一百二十四条第一款第（五）项.
func (p Provision) Cite() string {
	s := p.Number
	if p.Paragraph > 0 {
		s += "第" + zhnum.Write(p.Paragraph) + "款"
	}
	if p.Item > 0 {
		s += "第（" + zhnum.Write(p.Item) + "）项"
	}
	return s
}

// CiteProvisions writes provisions as one citation, each law named once before its provisions
// in their order: 《中华人民共和国食品安全法》第三十四条第（十）项、第一百二十四条. "" for none.
func CiteProvisions(ps []Provision) string {
	var b strings.Builder
	last := ""
	for i, p := range ps {
		switch {
		case p.Law != last:
			if i > 0 {
				b.WriteString("，")
			}
			b.WriteString("《" + p.Law + "》")
			last = p.Law
		default:
			b.WriteString("、")
		}
		b.WriteString(p.Cite())
	}
	return b.String()
}

// Bounds of a citation.
const (
	maxProvisions  = 20
	maxSubdivision = 99
)

// checkProvisions validates the shape of provisions under field (IDs, paragraph and item
// ranges, at most 20, no repeats).
func checkProvisions(p *problems, field string, ps []Provision) {
	if len(ps) > maxProvisions {
		p.add(field, "最多引用20个条款", "at most 20 provisions")
		return
	}
	seen := map[Provision]bool{}
	for i, pr := range ps {
		at := fmt.Sprintf("%s[%d]", field, i)
		if checkID(at+".article_id", pr.ArticleID) != nil {
			p.add(at+".article_id", "须从法律法规库选择条款", "choose an article of the law database")
			continue
		}
		if pr.Paragraph < 0 || pr.Paragraph > maxSubdivision || pr.Item < 0 || pr.Item > maxSubdivision {
			p.add(at, "款、项须为1至99（不引用时为0）", "paragraph and item are 1 to 99 (0: none)")
		}
		key := Provision{ArticleID: pr.ArticleID, Paragraph: pr.Paragraph, Item: pr.Item}
		if seen[key] {
			p.add(at, "重复引用同一条款", "the same provision twice")
		}
		seen[key] = true
	}
}

// ValidateProvisions checks the shape of provisions a request cites under field; the articles
// themselves are checked by ResolveProvisions. Returns Invalid naming each bad entry.
func ValidateProvisions(field string, ps []Provision) error {
	var p problems
	checkProvisions(&p, field, ps)
	return p.err("引用的条款有误", "invalid provisions")
}

// ResolveProvisions checks that each provision's article is one the scope can see (its
// tenant's or inherited) and that the article and its law are in force on day on, and returns
// the provisions with their law's name and the article's number filled in, in tx. Returns
// Invalid naming the field of each provision that fails.
func ResolveProvisions(ctx context.Context, tx bun.IDB, sc tenants.Scope, field string, ps []Provision, on civil.Date) ([]Provision, error) {
	if err := ValidateProvisions(field, ps); err != nil || len(ps) == 0 {
		return nil, err
	}
	ids := make([]string, len(ps))
	for i, p := range ps {
		ids[i] = p.ArticleID
	}
	var rows []struct {
		ID      string      `bun:"id"`
		Number  string      `bun:"number"`
		From    civil.Date  `bun:"effective_from"`
		To      *civil.Date `bun:"effective_to"`
		Law     string      `bun:"law"`
		LawFrom civil.Date  `bun:"law_from"`
		LawTo   *civil.Date `bun:"law_to"`
	}
	err := tenants.Inherited(sc, tx.NewSelect().Model((*Article)(nil))).
		ColumnExpr("a.id, a.number, a.effective_from, a.effective_to, l.name AS law, l.effective_from AS law_from, l.effective_to AS law_to").
		Join("JOIN laws AS l ON l.id = a.law_id").Where("a.id IN (?)", bun.In(ids)).Scan(ctx, &rows)
	if err != nil {
		return nil, err
	}
	var p problems
	out := make([]Provision, len(ps))
	for i, pr := range ps {
		at := fmt.Sprintf("%s[%d].article_id", field, i)
		out[i] = Provision{ArticleID: pr.ArticleID, Paragraph: pr.Paragraph, Item: pr.Item}
		found := false
		for _, r := range rows {
			if r.ID != pr.ArticleID {
				continue
			}
			found = true
			if !inForce(r.LawFrom, r.LawTo, on) || !inForce(r.From, r.To, on) {
				p.add(at, fmt.Sprintf("《%s》%s在 %s 不在施行期间", r.Law, r.Number, on), fmt.Sprintf("%s of %s is not in force on %s", r.Number, r.Law, on))
			}
			out[i].Law, out[i].Number = r.Law, r.Number
		}
		if !found {
			p.add(at, "法律法规库中没有该条款", "no such article in the law database")
		}
	}
	if err := p.err("引用的条款有误", "invalid provisions"); err != nil {
		return nil, err
	}
	return out, nil
}

// MatterProvisions returns the provisions of a matter in role, resolved as on day on, in tx:
// what a decision on the matter cites by default. None when the matter has none in that role.
func MatterProvisions(ctx context.Context, tx bun.IDB, sc tenants.Scope, matterID string, role ProvisionRole, on civil.Date) ([]Provision, error) {
	var links []matterArticle
	if err := tenants.Inherited(sc, tx.NewSelect().Model(&links)).Where("ma.matter_id = ?", matterID).Where("ma.role = ?", role).
		OrderExpr("ma.seq, ma.article_id").Scan(ctx); err != nil {
		return nil, err
	}
	ps := make([]Provision, len(links))
	for i, l := range links {
		ps[i] = Provision{ArticleID: l.ArticleID, Paragraph: l.Paragraph, Item: l.Item}
	}
	return ResolveProvisions(ctx, tx, sc, "matter."+string(role), ps, on)
}
