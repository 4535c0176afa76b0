package pages

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"zhifa/modules/elements"
	"zhifa/modules/kernel/civil"
	"zhifa/tenants"
)

// BodiesPath is the public directory of enforcement bodies (事前公开: 执法主体, 执法人员, 执法事项).
const BodiesPath = "/public/bodies"

// Directory is what the directory page reads from the element databases (*elements.Service).
type Directory interface {
	Bodies(ctx context.Context, sc tenants.Scope, f elements.BodyFilter) ([]elements.Body, int, error)
	Officers(ctx context.Context, sc tenants.Scope, f elements.OfficerFilter) ([]elements.Officer, int, error)
	Matters(ctx context.Context, sc tenants.Scope, f elements.MatterFilter) ([]elements.Matter, int, error)
}

// Tenants looks a tenant up by its ID (*tenants.Store).
type Tenants interface {
	Lookup(ctx context.Context, id string) (*tenants.Tenant, error)
}

// publicBody is a body as the directory shows it: what the public may know, never an officer's
// identity number.
type publicBody struct {
	elements.Body
	Officers []publicOfficer
	Matters  []elements.Matter
}

type publicOfficer struct {
	Name, Certificate string
	ExpiresOn         civil.Date
	Valid             bool
}

type directoryData struct {
	Title  string
	Tenant *tenants.Tenant
	Bodies []publicBody
}

// directoryPage lists a tenant's active bodies (?tenant=, default the deployment's root), each
// with its certified officers (name, certificate number, its validity today) and the matters of
// its sector, read through the tenant's read-only subtree scope.
func (p *Pages) directoryPage(c echo.Context) error {
	id := c.QueryParam("tenant")
	if id == "" {
		id = p.root
	}
	t, err := p.tenants.Lookup(c.Request().Context(), id)
	if err != nil {
		return render(c, p.bodies, http.StatusNotFound, directoryData{Title: "租户不存在"})
	}
	ctx, sc := c.Request().Context(), tenants.SubtreeScope(t, "public", nil)
	active, today := true, civil.DateOf(p.now())
	bodies, _, err := p.dir.Bodies(ctx, sc, elements.BodyFilter{Active: &active, Page: elements.Page{Limit: elements.MaxLimit}})
	if err != nil {
		return err
	}
	d := directoryData{Title: t.Name + " 执法主体", Tenant: t}
	bySector := map[elements.Sector][]elements.Matter{}
	for _, b := range bodies {
		pb := publicBody{Body: b}
		officers, _, err := p.dir.Officers(ctx, sc, elements.OfficerFilter{BodyID: b.ID, On: today, Page: elements.Page{Limit: elements.MaxLimit}})
		if err != nil {
			return err
		}
		for _, o := range officers {
			if o.Certificate.IsZero() {
				continue // not certified: not an enforcement officer to the public
			}
			pb.Officers = append(pb.Officers, publicOfficer{Name: o.Name, Certificate: o.Certificate.Number,
				ExpiresOn: o.Certificate.ExpiresOn, Valid: o.Certificate.ValidOn(today)})
		}
		// a body enforces the matters of its sector, as the case form offers them: read once a sector
		matters, ok := bySector[b.Sector]
		if !ok {
			if matters, _, err = p.dir.Matters(ctx, sc, elements.MatterFilter{Sector: b.Sector, Page: elements.Page{Limit: elements.MaxLimit}}); err != nil {
				return err
			}
			bySector[b.Sector] = matters
		}
		pb.Matters = matters
		d.Bodies = append(d.Bodies, pb)
	}
	return render(c, p.bodies, http.StatusOK, d)
}

// sectorNames and kindNames are the sectors and kinds of bodies as the directory prints them.
var (
	sectorNames = map[elements.Sector]string{elements.SectorMarketRegulation: "市场监管", elements.SectorUrbanManagement: "城市管理",
		elements.SectorTransport: "交通运输", elements.SectorAgriculture: "农业农村", elements.SectorEcology: "生态环境",
		elements.SectorEmergency: "应急管理", elements.SectorCultureTourism: "文化旅游", elements.SectorHealth: "卫生健康", elements.SectorOther: "其他"}
	bodyKindNames = map[elements.BodyKind]string{elements.BodyAdministrativeOrgan: "行政机关",
		elements.BodyAuthorisedOrganisation: "法律法规授权组织", elements.BodyEntrustedOrganisation: "受委托组织"}
)
