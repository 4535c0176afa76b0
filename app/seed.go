package app

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"zhifa/modules/identity"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// demoTenant is one tenant of the demo tree.
type demoTenant struct {
	id, parent, name string
	tier             tenants.Tier
}

// The demo jurisdiction tree: the Fujian province root, two cities (Sanming ran the pilot), their
// counties and one township.
var demoTree = []demoTenant{
	{"3501", "35", "福州市", tenants.TierCity},
	{"350102", "3501", "鼓楼区", tenants.TierCounty},
	{"3504", "35", "三明市", tenants.TierCity},
	{"350426", "3504", "尤溪县", tenants.TierCounty},
	{"350427", "3504", "沙县区", tenants.TierCounty},
	{"350426100", "350426", "城关镇", tenants.TierTownship},
}

// demoAccount is a person of the demo, with roles at one tenant.
type demoAccount struct {
	email, name, kind, tenant string
	roles                     []authz.Role
}

var demoAccounts = []demoAccount{
	{"province.operator@demo.zhifa", "省平台运维 林建华", identity.KindOperator, "35", []authz.Role{authz.TenantOperator}},
	{"province.supervisor@demo.zhifa", "省司法厅执法监督 陈思远", identity.KindOfficer, "35", []authz.Role{authz.Supervisor}},
	{"sanming.operator@demo.zhifa", "三明市平台运维 黄志强", identity.KindOperator, "3504", []authz.Role{authz.TenantOperator}},
	{"youxi.operator@demo.zhifa", "尤溪县平台运维 郑晓燕", identity.KindOperator, "350426", []authz.Role{authz.TenantOperator}},
	{"youxi.procurator@demo.zhifa", "尤溪县检察院 刘明", identity.KindOfficer, "350426", []authz.Role{authz.Procurator}},
	{"citizen@demo.zhifa", "当事人 王小明", identity.KindCitizen, "", nil},
	{"citizen2@demo.zhifa", "当事人 陈丽娟", identity.KindCitizen, "", nil},
	{"youxi.officer1@demo.zhifa", "执法人员 李明辉", identity.KindOfficer, "350426", nil},
	{"youxi.officer2@demo.zhifa", "执法人员 张丽萍", identity.KindOfficer, "350426", nil},
	{"youxi.reviewer@demo.zhifa", "法制审核 周敏", identity.KindOfficer, "350426", nil},
	{"youxi.head@demo.zhifa", "局长 何振东", identity.KindOfficer, "350426", nil},
	{"youxi.admin@demo.zhifa", "主体管理员 许婷", identity.KindOfficer, "350426", nil},
}

// demoBodyGrants are roles bound to one enforcement body (by its USCC), granted once the bodies exist.
var demoBodyGrants = []struct {
	email, tenant, body string
	roles               []authz.Role
}{
	{"youxi.officer1@demo.zhifa", "350426", "1135042609960308UA", []authz.Role{authz.Officer}},
	{"youxi.officer2@demo.zhifa", "350426", "1135042609960308UA", []authz.Role{authz.Officer}},
	{"youxi.reviewer@demo.zhifa", "350426", "1135042609960308UA", []authz.Role{authz.LegalReviewer}},
	{"youxi.head@demo.zhifa", "350426", "1135042609960308UA", []authz.Role{authz.BodyHead}},
	{"youxi.admin@demo.zhifa", "350426", "1135042609960308UA", []authz.Role{authz.BodyAdmin}},
}

// demoID gives demo identities stable IDs, so seeding twice changes nothing.
func demoID(email string) string {
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://demo.zhifa/"+email)).String()
}

// SeedDemo loads the demo data set into a running platform: the jurisdiction tree under the root
// tenant 35, operators, officers and a citizen, and each module's demo data. It is idempotent: a
// second run changes nothing.
func SeedDemo(ctx context.Context, a *App) error {
	root, err := a.Tenants.Store().Lookup(ctx, a.Config.Deployment.RootTenant)
	if err != nil {
		return err
	}
	for _, d := range demoTree {
		if _, err := a.Tenants.Store().Lookup(ctx, d.id); err == nil {
			continue
		}
		parent, err := a.Tenants.Store().Lookup(ctx, d.parent)
		if err != nil {
			return fmt.Errorf("demo tenant %s: parent %s: %w (the demo expects root tenant 35)", d.id, d.parent, err)
		}
		sc := seedScope(parent)
		if _, err := a.Tenants.Create(ctx, sc, tenants.NewTenant{ID: d.id, ParentID: d.parent, Tier: d.tier, Name: d.name}); err != nil && !errs.Is(err, errs.Conflict) {
			return fmt.Errorf("demo tenant %s: %w", d.id, err)
		}
	}
	for _, d := range demoAccounts {
		acc := identity.Account{IdentityID: demoID(d.email), Email: d.email, Name: d.name, Kind: d.kind}
		if d.tenant != "" {
			home := d.tenant
			acc.HomeTenant = &home
		}
		if _, err := a.Identity.EnsureAccount(ctx, acc); err != nil {
			return fmt.Errorf("demo account %s: %w", d.email, err)
		}
		if d.tenant == "" {
			continue
		}
		t, err := a.Tenants.Store().Lookup(ctx, d.tenant)
		if err != nil {
			return err
		}
		for _, r := range d.roles {
			if _, err := a.Identity.Grant(ctx, seedScope(t), identity.NewGrant{IdentityID: acc.IdentityID, Role: r}); err != nil {
				return fmt.Errorf("demo grant %s %s: %w", d.email, r, err)
			}
		}
	}
	if err := a.modules.seedDemo(ctx, root); err != nil {
		return err
	}
	a.Log.Info("demo data ready", "root", root.ID)
	return nil
}

// seedScope is the scope seeding acts under at a tenant: the platform as that tenant's operator.
func seedScope(t *tenants.Tenant) tenants.Scope {
	return tenants.NewScope(t, "system:seed demo", []authz.Role{authz.TenantOperator}, nil)
}
