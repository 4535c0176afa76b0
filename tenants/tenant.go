package tenants

import (
	"regexp"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/errs"
)

// Tier is a level of the jurisdiction tree.
type Tier string

// The tiers, top down.
const (
	TierProvince Tier = "province"
	TierCity     Tier = "city"
	TierCounty   Tier = "county"
	TierTownship Tier = "township"
)

// rank orders tiers; a child's tier must rank below its parent's.
var rank = map[Tier]int{TierProvince: 1, TierCity: 2, TierCounty: 3, TierTownship: 4}

// Valid reports whether t is a known tier.
func (t Tier) Valid() bool { return rank[t] > 0 }

// Below reports whether t may sit under parent in the tree.
func (t Tier) Below(parent Tier) bool { return rank[t] > rank[parent] }

// Tenant is a jurisdiction. Its ID is the administrative division code (e.g. 35, 3504, 350426);
// Path is the IDs from the root down, joined by "/", so a subtree is one prefix query.
type Tenant struct {
	bun.BaseModel `bun:"table:tenants"`

	ID        string    `bun:"id,pk" json:"id"`
	ParentID  *string   `bun:"parent_id" json:"parent_id,omitempty"`
	Path      string    `bun:"path,notnull" json:"path"`
	Tier      Tier      `bun:"tier,notnull" json:"tier"`
	Name      string    `bun:"name,notnull" json:"name"`
	CreatedAt time.Time `bun:"created_at,notnull" json:"created_at"`
	CreatedBy string    `bun:"created_by,notnull" json:"created_by"`
}

// Ancestors returns the IDs on the tenant's path above it, root first.
func (t *Tenant) Ancestors() []string { return Ancestors(t.Path) }

// Ancestors returns the IDs on a materialised path except the last one, root first.
func Ancestors(path string) []string {
	ids := strings.Split(path, "/")
	return ids[:len(ids)-1]
}

// InSubtree reports whether path lies at or under root.
func InSubtree(path, root string) bool {
	return path == root || strings.HasPrefix(path, root+"/")
}

var codeRE = regexp.MustCompile(`^[0-9]{2,12}$`)

// ValidateNew checks a new tenant's own fields; the parent relationship is checked by the store.
func (t *Tenant) ValidateNew() error {
	var fields []errs.FieldError
	if !codeRE.MatchString(t.ID) {
		fields = append(fields, errs.Field("id", "须为2至12位行政区划代码数字", "must be an administrative division code of 2-12 digits"))
	}
	if !t.Tier.Valid() {
		fields = append(fields, errs.Field("tier", "须为 province、city、county 或 township", "must be province, city, county or township"))
	}
	if n := len([]rune(strings.TrimSpace(t.Name))); n == 0 || n > 64 {
		fields = append(fields, errs.Field("name", "名称不能为空且不超过64字", "name is required, at most 64 characters"))
	}
	if len(fields) > 0 {
		return errs.E(errs.Invalid, "租户信息有误", "invalid tenant").WithFields(fields...)
	}
	return nil
}
