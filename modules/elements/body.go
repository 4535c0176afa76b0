package elements

import (
	"slices"
	"strings"
	"time"

	"zhifa/modules/kernel/civil"

	"github.com/uptrace/bun"
)

// Sector is a line of enforcement (执法领域), shared by bodies, matters and certificates.
type Sector string

// The sectors.
const (
	SectorMarketRegulation Sector = "market_regulation" // 市场监管
	SectorUrbanManagement  Sector = "urban_management"  // 城市管理
	SectorTransport        Sector = "transport"         // 交通运输
	SectorAgriculture      Sector = "agriculture"       // 农业农村
	SectorEcology          Sector = "ecology"           // 生态环境
	SectorEmergency        Sector = "emergency"         // 应急管理
	SectorCultureTourism   Sector = "culture_tourism"   // 文化旅游
	SectorHealth           Sector = "health"            // 卫生健康
	SectorOther            Sector = "other"             // 其他
)

// Sectors lists every sector, for validation and documentation.
var Sectors = []Sector{SectorMarketRegulation, SectorUrbanManagement, SectorTransport, SectorAgriculture,
	SectorEcology, SectorEmergency, SectorCultureTourism, SectorHealth, SectorOther}

// Valid reports whether s is a known sector.
func (s Sector) Valid() bool { return slices.Contains(Sectors, s) }

func joinSectors() string {
	s := make([]string, len(Sectors))
	for i, x := range Sectors {
		s[i] = string(x)
	}
	return strings.Join(s, ", ")
}

// BodyKind is the legal standing of an enforcement body.
type BodyKind string

// The kinds of bodies.
const (
	BodyAdministrativeOrgan    BodyKind = "administrative_organ"    // 行政机关
	BodyAuthorisedOrganisation BodyKind = "authorised_organisation" // 法律法规授权组织
	BodyEntrustedOrganisation  BodyKind = "entrusted_organisation"  // 受委托组织
)

// BodyKinds lists every kind of body.
var BodyKinds = []BodyKind{BodyAdministrativeOrgan, BodyAuthorisedOrganisation, BodyEntrustedOrganisation}

// Valid reports whether k is a known kind.
func (k BodyKind) Valid() bool { return slices.Contains(BodyKinds, k) }

// Body is an enforcement body (执法主体) of a tenant, identified by its unified social credit
// code, which is unique on the platform.
type Body struct {
	bun.BaseModel `bun:"table:bodies,alias:b"`

	ID        string    `bun:"id,pk" json:"id"`
	TenantID  string    `bun:"tenant_id,notnull" json:"tenant_id"`
	Name      string    `bun:"name,notnull" json:"name"`
	Code      string    `bun:"code,notnull" json:"code"` // USCC
	Kind      BodyKind  `bun:"kind,notnull" json:"kind"`
	Sector    Sector    `bun:"sector,notnull" json:"sector"`
	Address   string    `bun:"address,notnull" json:"address"` // 地址, printed on the documents it issues
	Phone     string    `bun:"phone,notnull" json:"phone"`     // 联系电话 of its enforcement office
	Active    bool      `bun:"active,notnull" json:"active"`
	CreatedAt time.Time `bun:"created_at,notnull" json:"created_at"`
	UpdatedAt time.Time `bun:"updated_at,notnull" json:"updated_at"`
}

// BodyInput is a request to create or replace a body. Active defaults to true.
type BodyInput struct {
	Name   string   `json:"name"`
	Code   string   `json:"code"`
	Kind   BodyKind `json:"kind"`
	Sector Sector   `json:"sector"`
	// Address and Phone are where parties reach the body; a document that states them (the
	// prior notice) cannot be issued without them.
	Address string `json:"address,omitempty"`
	Phone   string `json:"phone,omitempty"`
	Active  *bool  `json:"active,omitempty"`
}

// Validate trims and checks the request's fields; the code is upper-cased.
func (in *BodyInput) Validate() error {
	in.Name, in.Code = strings.TrimSpace(in.Name), strings.ToUpper(strings.TrimSpace(in.Code))
	in.Address, in.Phone = strings.TrimSpace(in.Address), strings.TrimSpace(in.Phone)
	var p problems
	if in.Address != "" && !validText(in.Address, 256) {
		p.add("address", "地址不超过256字", "address: at most 256 characters")
	}
	if in.Phone != "" && !validText(in.Phone, 32) {
		p.add("phone", "联系电话不超过32字", "phone: at most 32 characters")
	}
	if !validText(in.Name, 128) {
		p.add("name", "名称不能为空且不超过128字", "name is required, at most 128 characters")
	}
	if !civil.ValidUSCC(in.Code) {
		p.add("code", "统一社会信用代码无效（18位，校验位须正确）", "not a valid unified social credit code (18 characters with a correct check character)")
	}
	if !in.Kind.Valid() {
		p.add("kind", "主体类别须为 administrative_organ、authorised_organisation 或 entrusted_organisation",
			"kind must be administrative_organ, authorised_organisation or entrusted_organisation")
	}
	if !in.Sector.Valid() {
		p.add("sector", "执法领域须为 "+joinSectors(), "sector must be one of "+joinSectors())
	}
	return p.err("执法主体信息有误", "invalid enforcement body")
}

// BodyFilter selects bodies.
type BodyFilter struct {
	Q      string // name or code contains
	Kind   BodyKind
	Sector Sector
	Active *bool
	Page
}
