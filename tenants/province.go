package tenants

import (
	"encoding/json"
	"strings"

	"zhifa/modules/kernel/errs"
)

// A deployment follows one province's platform rules (Fujian's 闽政令242号, Guangdong's 粤府〔2023〕73号)
// or none (national). The root tenant says which in KeyProvinceRules; a setting whose basis depends
// on it declares one per province in SettingDef.Bases, and the settings read everywhere in the tree
// cite the deployment's province alone, never another's. Defaults stay the platform's: a
// deployment whose province sets another number sets it at the root.

// KeyProvinceRules is the root tenant's choice of provincial platform rules.
const KeyProvinceRules = "deployment.province_rules"

// The provincial rules a deployment may follow.
const (
	ProvinceFujian    = "fujian"
	ProvinceGuangdong = "guangdong"
	ProvinceNational  = "national" // no provincial platform rules: the statutes and the platform's defaults
)

// Provinces lists the choices of KeyProvinceRules.
var Provinces = []string{ProvinceFujian, ProvinceGuangdong, ProvinceNational}

// Settings lists the tenancy kernel's own settings, which every Service knows.
func Settings() []SettingDef {
	return []SettingDef{{Key: KeyProvinceRules, Kind: KindString, Default: ProvinceNational, Choices: Provinces, RootOnly: true,
		Title: errs.Msg{ZH: "适用的省级平台规则（仅根租户设置）：fujian 福建 / guangdong 广东 / national 全国（无省级规则）",
			EN: "provincial platform rules followed (root tenant only): fujian / guangdong / national"},
		Bases: map[string]string{
			ProvinceFujian:    "《福建省一体化大融合行政执法平台管理暂行办法》（闽政令242号）",
			ProvinceGuangdong: "《广东省一体化行政执法平台管理办法》（粤府〔2023〕73号）",
			ProvinceNational:  "不适用省级平台规则：按法律、法规、规章和平台默认值",
		}}}
}

// provinceOfRoot is the default of KeyProvinceRules for a root tenant: its administrative
// division code names the province (35 Fujian, 44 Guangdong).
func provinceOfRoot(rootID string) string {
	switch {
	case strings.HasPrefix(rootID, "35"):
		return ProvinceFujian
	case strings.HasPrefix(rootID, "44"):
		return ProvinceGuangdong
	}
	return ProvinceNational
}

// provinceOf reads the deployment's province from the root's stored value (raw, nil when unset).
func provinceOf(rootID string, raw *string) string {
	if raw != nil {
		var p string
		if json.Unmarshal([]byte(*raw), &p) == nil && p != "" {
			return p
		}
	}
	return provinceOfRoot(rootID)
}

// forProvince returns d as the deployment following province p reads it: its basis for p, or
// none when it declares none for p (the province's default for KeyProvinceRules itself).
func (d SettingDef) forProvince(p, rootID string) SettingDef {
	if d.Key == KeyProvinceRules {
		d.Default = provinceOfRoot(rootID)
	}
	if d.Bases != nil {
		d.Basis = d.Bases[p]
	}
	d.Bases = nil
	return d
}

// errRootOnly refuses a root-only setting below the root.
func errRootOnly(key string) error {
	return errs.Ef(errs.FailedPrecondition, "设置项 %s 只能由根租户设置", "setting %s is set by the root tenant only", key).
		WithFields(errs.Field("key", "仅根租户", "root tenant only"))
}
