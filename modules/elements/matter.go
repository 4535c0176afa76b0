package elements

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// MatterKind is the kind of power an enforcement matter grants.
type MatterKind string

// The kinds of matters.
const (
	MatterPenalty    MatterKind = "penalty"    // 行政处罚
	MatterInspection MatterKind = "inspection" // 行政检查
	MatterCoercion   MatterKind = "coercion"   // 行政强制
	MatterOther      MatterKind = "other"      // 其他行政执法
)

// MatterKinds lists every kind of matter.
var MatterKinds = []MatterKind{MatterPenalty, MatterInspection, MatterCoercion, MatterOther}

// Valid reports whether k is a known kind.
func (k MatterKind) Valid() bool { return slices.Contains(MatterKinds, k) }

// Matter is an enforcement matter (执法事项): an item of a power list, with its legal basis (the
// articles) and the bodies that may enforce it. Matters are a catalogue: a province's matters are
// visible to the tenants below it. Code is unique among the matters a tenant can see.
type Matter struct {
	bun.BaseModel `bun:"table:matters,alias:m"`

	ID         string     `bun:"id,pk" json:"id"`
	TenantID   string     `bun:"tenant_id,notnull" json:"tenant_id"`
	Code       string     `bun:"code,notnull" json:"code"`
	Name       string     `bun:"name,notnull" json:"name"`
	Kind       MatterKind `bun:"kind,notnull" json:"kind"`
	Sector     Sector     `bun:"sector,notnull" json:"sector"`
	ArticleIDs []string   `bun:"-" json:"article_ids"`
	// Provisions are the articles a decision on the matter cites by default, by role (violated,
	// penalty), down to paragraph and item; their articles are among ArticleIDs.
	Provisions []MatterProvision `bun:"-" json:"provisions"`
	BodyIDs    []string          `bun:"-" json:"body_ids"`
	CreatedAt  time.Time         `bun:"created_at,notnull" json:"created_at"`
	UpdatedAt  time.Time         `bun:"updated_at,notnull" json:"updated_at"`
}

// matterArticle links a matter to an article of its legal basis.
type matterArticle struct {
	bun.BaseModel `bun:"table:matter_articles,alias:ma"`

	TenantID  string        `bun:"tenant_id,notnull"`
	MatterID  string        `bun:"matter_id,pk"`
	ArticleID string        `bun:"article_id,pk"`
	Role      ProvisionRole `bun:"role,notnull"` // '' (basis only), violated or penalty
	Paragraph int           `bun:"paragraph,notnull"`
	Item      int           `bun:"item,notnull"`
	Seq       int           `bun:"seq,notnull"` // order within the role
}

// matterBody links a matter to a body that may enforce it.
type matterBody struct {
	bun.BaseModel `bun:"table:matter_bodies,alias:mb"`

	TenantID string `bun:"tenant_id,notnull"`
	MatterID string `bun:"matter_id,pk"`
	BodyID   string `bun:"body_id,pk"`
}

// MatterInput is a request to create or replace a matter. ArticleIDs are articles the scope can
// see (its own or inherited); BodyIDs are bodies of the scope's own tenant.
type MatterInput struct {
	Code       string     `json:"code"`
	Name       string     `json:"name"`
	Kind       MatterKind `json:"kind"`
	Sector     Sector     `json:"sector"`
	ArticleIDs []string   `json:"article_ids"`
	// Provisions are the default citations of decisions on the matter (an article once).
	Provisions []MatterProvision `json:"provisions,omitempty"`
	BodyIDs    []string          `json:"body_ids"`
}

// Bounds of a matter's links.
const maxLinks = 100

// Validate trims and checks the request's fields, and removes repeated IDs.
func (in *MatterInput) Validate() error {
	in.Code, in.Name = strings.TrimSpace(in.Code), strings.TrimSpace(in.Name)
	var p problems
	if !validCode(in.Code) {
		p.add("code", "事项编码不能为空、不含空白且不超过64字", "code is required, without spaces, at most 64 characters")
	}
	if !validText(in.Name, 256) {
		p.add("name", "名称不能为空且不超过256字", "name is required, at most 256 characters")
	}
	if !in.Kind.Valid() {
		p.add("kind", "事项类别须为 penalty、inspection、coercion 或 other", "kind must be penalty, inspection, coercion or other")
	}
	if !in.Sector.Valid() {
		p.add("sector", "执法领域须为 "+joinSectors(), "sector must be one of "+joinSectors())
	}
	in.ArticleIDs, in.BodyIDs = dedupe(in.ArticleIDs), dedupe(in.BodyIDs)
	checkIDs(&p, "article_ids", in.ArticleIDs)
	checkIDs(&p, "body_ids", in.BodyIDs)
	arts := map[string]bool{}
	for i, mp := range in.Provisions {
		if mp.Role != RoleViolated && mp.Role != RolePenalty {
			p.add(fmt.Sprintf("provisions[%d].role", i), "用途须为 violated（违法依据）或 penalty（处罚依据）", "role is violated or penalty")
		}
		if arts[mp.ArticleID] {
			p.add(fmt.Sprintf("provisions[%d].article_id", i), "同一条款只能引用一次", "an article may be cited once")
		}
		arts[mp.ArticleID] = true
		checkProvisions(&p, fmt.Sprintf("provisions[%d]", i), []Provision{mp.Provision})
	}
	return p.err("执法事项信息有误", "invalid enforcement matter")
}

func checkIDs(p *problems, field string, ids []string) {
	if len(ids) > maxLinks {
		p.add(field, "最多100项", "at most 100 entries")
		return
	}
	for _, id := range ids {
		if checkID(field, id) != nil {
			p.add(field, "含无效的 ID："+id, "contains an invalid ID: "+id)
			return
		}
	}
}

// dedupe returns ids without repeats, in their first order, never nil.
func dedupe(ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		id = strings.TrimSpace(id)
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// MatterFilter selects matters.
type MatterFilter struct {
	Q         string // code or name contains
	Kind      MatterKind
	Sector    Sector
	BodyID    string // enforced by this body
	ArticleID string // based on this article
	Page
}
