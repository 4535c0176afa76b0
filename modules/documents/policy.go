package documents

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// The settings of the documents module. They inherit down the tenant tree like every setting
// (platform default, province, city, county, body), and a level may mark one final so that the
// levels below cannot change it.
const (
	// SettingAllowDepartmentTemplates: bodies (departments) may publish their own template
	// versions, and those versions issue the body's documents. A province that wants one
	// template for every department sets it false and final.
	SettingAllowDepartmentTemplates = "documents.allow_department_templates"
	// SettingAllowTenantTemplates: the tenants below the level that set it false may not publish
	// tenant-level templates, and those they published earlier stop applying. The level that set
	// it false keeps its own.
	SettingAllowTenantTemplates = "documents.allow_tenant_templates"
	// SettingNumberPrefix is the body's prefix of document numbers, e.g. 尤市监 in
	// 尤市监罚〔2026〕12号 (set per body; empty: the body's name).
	SettingNumberPrefix = "documents.number_prefix"
)

// Settings lists the documents module's settings.
func Settings() []tenants.SettingDef {
	return []tenants.SettingDef{
		{Key: SettingAllowDepartmentTemplates, Kind: tenants.KindBool, Default: true,
			Title: msg("允许执法主体自定义文书模板", "enforcement bodies may customise document templates")},
		{Key: SettingAllowTenantTemplates, Kind: tenants.KindBool, Default: true,
			Title: msg("允许下级租户自定义文书模板", "the tenants below may customise document templates")},
		{Key: SettingNumberPrefix, Kind: tenants.KindString, Default: "",
			Title: msg("文号前缀（如“尤市监”，按执法主体设置）", "document number prefix (e.g. 尤市监), per body")},
	}
}

// policy is what the tenant tree decides for a body's documents.
type policy struct {
	deptAllowed   bool
	deptSource    string // the level whose value applies: "platform", a tenant ID or "body:<id>"
	tenantAllowed bool
	tenantSource  string
	prefix        string
	levels        []string // the scope's tenant path, root first
}

// tenantLevelAllowed reports whether a tenant-level template published at tenant id applies.
func (p *policy) tenantLevelAllowed(id string) bool {
	if p.tenantAllowed {
		return true
	}
	// false was set at tenantSource: the levels at or above it keep theirs
	i, j := slices.Index(p.levels, id), slices.Index(p.levels, p.tenantSource)
	return i >= 0 && j >= 0 && i <= j
}

// resolvePolicy resolves the document settings for a body (bodyID may be empty) at the scope's
// tenant, with the level each value comes from. It reads the settings rows itself, inside the
// caller's transaction, because the level matters here and not only the value.
func resolvePolicy(ctx context.Context, tx bun.IDB, sc tenants.Scope, bodyID string) (*policy, error) {
	var rows []settingRow
	keys := []string{SettingAllowDepartmentTemplates, SettingAllowTenantTemplates, SettingNumberPrefix}
	err := tenants.Inherited(sc, tx.NewSelect().Model(&rows)).
		Where("s.key IN (?)", bun.In(keys)).
		Where("s.body_id = '' OR (s.tenant_id = ? AND s.body_id = ?)", sc.TenantID(), bodyID).
		Scan(ctx)
	if err != nil {
		return nil, err
	}
	levels := append(sc.Ancestors(), sc.TenantID())
	p := &policy{levels: slices.Clone(levels)}
	if bodyID != "" {
		levels = append(levels, "body:"+bodyID)
	}
	resolve := func(key string, def any) (json.RawMessage, string) {
		raw, _ := json.Marshal(def)
		source := "platform"
		for _, lvl := range levels {
			var hit *settingRow
			for i := range rows {
				r := &rows[i]
				rl := r.TenantID
				if r.BodyID != "" {
					rl = "body:" + r.BodyID
				}
				if r.Key == key && rl == lvl {
					hit = r
				}
			}
			if hit == nil {
				continue
			}
			raw, source = json.RawMessage(hit.Value), lvl
			if hit.Final {
				break // the levels below may not override a final value
			}
		}
		return raw, source
	}
	var raw json.RawMessage
	raw, p.deptSource = resolve(SettingAllowDepartmentTemplates, true)
	_ = json.Unmarshal(raw, &p.deptAllowed)
	raw, p.tenantSource = resolve(SettingAllowTenantTemplates, true)
	_ = json.Unmarshal(raw, &p.tenantAllowed)
	raw, _ = resolve(SettingNumberPrefix, "")
	_ = json.Unmarshal(raw, &p.prefix)
	p.prefix = strings.TrimSpace(p.prefix)
	return p, nil
}

// errDeptLocked refuses a body's customisation the tenant tree does not allow.
func errDeptLocked(p *policy) error {
	e := errs.Ef(errs.FailedPrecondition, "本级或上级（%s）不允许执法主体自定义文书模板（设置 %s）",
		"customising document templates is not allowed for bodies here (setting %[2]s, set by %[1]s)", p.deptSource, SettingAllowDepartmentTemplates)
	return e.WithFields(errs.Field(SettingAllowDepartmentTemplates, "已被设为不允许", "set to false"))
}

// errTenantLocked refuses a tenant's customisation the tenant tree does not allow.
func errTenantLocked(p *policy) error {
	e := errs.Ef(errs.FailedPrecondition, "上级（%s）不允许下级租户自定义文书模板（设置 %s）",
		"the tenant above (%[1]s) does not allow the tenants below to customise document templates (setting %[2]s)", p.tenantSource, SettingAllowTenantTemplates)
	return e.WithFields(errs.Field(SettingAllowTenantTemplates, "已被上级设为不允许", "set to false above"))
}
