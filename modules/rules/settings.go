package rules

import (
	"zhifa/modules/errs"
	"zhifa/tenants"
)

// Setting keys.
const (
	KeyBackfillWorkingDays = "cases.backfill_working_days"
	KeyDisclosureMinDays   = "disclosure.min_days"
	KeyDisclosureMaxDays   = "disclosure.max_days"
	KeyHearingPersonYuan   = "penalty.hearing_threshold_person_yuan"
	KeyHearingOrgYuan      = "penalty.hearing_threshold_org_yuan"
	KeyBrandingTitle       = "branding.title"
)

func init() {
	tenants.DefineSetting(tenants.SettingDef{Key: KeyBrandingTitle, Kind: tenants.KindString, Default: "执法监督一体化平台",
		Title: errs.Msg{ZH: "平台名称", EN: "platform title"}})
	tenants.DefineSetting(tenants.SettingDef{Key: KeyBackfillWorkingDays, Kind: tenants.KindInt, Default: 5, Min: tenants.Int64(1), Max: tenants.Int64(15),
		Title: errs.Msg{ZH: "纸质办案补录期限（工作日，自障碍消除之日起）", EN: "backfill of paper-handled cases (working days from when the obstacle ends)"},
		Basis: "《福建省行政执法监督条例》（闽政令242号）第17条：5个工作日；广东（粤府〔2023〕73号）第22条：3个工作日"})
	tenants.DefineSetting(tenants.SettingDef{Key: KeyDisclosureMinDays, Kind: tenants.KindInt, Default: 60, Min: tenants.Int64(1), Max: tenants.Int64(3650),
		Title: errs.Msg{ZH: "执法信息公示最短天数", EN: "minimum disclosure period (days)"}, Basis: "闽政令242号 第21条：不少于60日"})
	tenants.DefineSetting(tenants.SettingDef{Key: KeyDisclosureMaxDays, Kind: tenants.KindInt, Default: 730, Min: tenants.Int64(1), Max: tenants.Int64(3650),
		Title: errs.Msg{ZH: "执法信息公示最长天数", EN: "maximum disclosure period (days)"}, Basis: "闽政令242号 第21条：不超过2年"})
	tenants.DefineSetting(tenants.SettingDef{Key: KeyHearingPersonYuan, Kind: tenants.KindInt, Default: 2000, Min: tenants.Int64(1), Max: tenants.Int64(100000000),
		Title: errs.Msg{ZH: "较大数额罚款（个人，元）：达到即告知听证权", EN: "large fine for a person (yuan): hearing right offered at or above"},
		Basis: "《行政处罚法》第63条；公安机关标准：个人2000元"})
	tenants.DefineSetting(tenants.SettingDef{Key: KeyHearingOrgYuan, Kind: tenants.KindInt, Default: 10000, Min: tenants.Int64(1), Max: tenants.Int64(100000000),
		Title: errs.Msg{ZH: "较大数额罚款（单位，元）：达到即告知听证权", EN: "large fine for an organisation (yuan): hearing right offered at or above"},
		Basis: "《行政处罚法》第63条；公安机关标准：单位10000元"})
}
