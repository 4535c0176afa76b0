package rules

import (
	"slices"

	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// Setting keys. Each number a law lets a sector or province change is one, with the statutory
// number as its platform default; a tenant (or body) overrides it down the tree.
const (
	KeyBackfillWorkingDays = "cases.backfill_working_days"
	KeyDisclosureMinDays   = "disclosure.min_days"
	KeyDisclosureMaxDays   = "disclosure.max_days"
	KeyHearingPersonYuan   = "penalty.hearing_threshold_person_yuan"
	KeyHearingOrgYuan      = "penalty.hearing_threshold_org_yuan"
	KeyBrandingTitle       = "branding.title"

	KeyDecideDays                     = "penalty.decide_days"
	KeyLimitationYears                = "penalty.limitation_years"
	KeyLimitationSafetyYears          = "penalty.limitation_safety_years"
	KeySeizureDays                    = "coercion.seizure_days"
	KeySeizureExtensionDays           = "coercion.seizure_extension_days"
	KeyFreezeDays                     = "coercion.freeze_days"
	KeyFreezeExtensionDays            = "coercion.freeze_extension_days"
	KeyReconsiderationDays            = "remedy.reconsideration_days"
	KeyLitigationMonths               = "remedy.litigation_months"
	KeyLitigationAfterReconsideration = "remedy.litigation_after_reconsideration_days"
	KeyLawLoadingWorkingDays          = "elements.law_loading_working_days"
	KeyPublishWorkingDays             = "disclosure.publish_working_days"
	KeySAMRPublishWorkingDays         = "disclosure.samr_publish_working_days"
	KeySAMRMinorMonths                = "disclosure.samr_minor_months"
	KeySAMRYears                      = "disclosure.samr_years"
	// KeyStatementWorkingDays is the period a prior notice and a demand notice give the party to
	// state and defend itself (working days from receipt): the period of PenaltyStatement, which
	// the prior notice prints (cases.SettingStatementWorkingDays names the same key).
	KeyStatementWorkingDays = "cases.statement_working_days"
)

// intSetting defines a number a law lets a tenant change, between lo and hi.
func intSetting(key string, def, lo, hi int64, zh, en, basis string) tenants.SettingDef {
	return tenants.SettingDef{Key: key, Kind: tenants.KindInt, Default: def, Min: tenants.Int64(lo), Max: tenants.Int64(hi),
		Title: errs.Msg{ZH: zh, EN: en}, Basis: basis}
}

// ruleSetting is the int setting that changes a catalogue rule's amount (the rule whose
// SettingKey is key): the statutory amount its default, its basis the rule's article cited as a
// page does, with the provision's words.
func ruleSetting(key string, lo, hi int64, zh, en, words string) tenants.SettingDef {
	i := slices.IndexFunc(catalogue, func(r Rule) bool { return r.SettingKey == key })
	if i < 0 {
		panic("rules: no rule has the setting " + key)
	}
	r := catalogue[i]
	return intSetting(key, int64(r.Amount), lo, hi, zh, en, r.Cite().Screen()+"："+words)
}

// disclosureBases cites the disclosure periods: Fujian's Art. 21 (rule, in its words), and for the
// others the platform's default (platform) with no province's article.
func disclosureBases(rule, platform string) map[string]string {
	return map[string]string{
		tenants.ProvinceFujian:    "《福建省一体化大融合行政执法平台管理暂行办法》（闽政令242号）第21条：公示时间" + rule + "；法律、法规、规章另有规定的，从其规定",
		tenants.ProvinceGuangdong: "《广东省一体化行政执法平台管理办法》（粤府〔2023〕73号）第44条：按照国家和省的有关规定公开，未规定公示期限；平台默认" + platform,
		tenants.ProvinceNational:  "无全国统一的公示期限：平台默认" + platform + "；法律、法规、规章有规定的，从其规定",
	}
}

// Settings lists the rules' settings: the platform title, and each period, threshold and term a
// law lets a sector or province change (the SettingKey of the catalogue's rules), with the
// statutory number as its default.
func Settings() []tenants.SettingDef {
	return []tenants.SettingDef{
		{Key: KeyBrandingTitle, Kind: tenants.KindString, Default: "执法监督一体化平台",
			Title: errs.Msg{ZH: "平台名称", EN: "platform title"}},
		{Key: KeyBackfillWorkingDays, Kind: tenants.KindInt, Default: 5, Min: tenants.Int64(1), Max: tenants.Int64(15),
			Title: errs.Msg{ZH: "纸质办案补录期限（工作日，自障碍消除之日起）", EN: "backfill of paper-handled cases (working days from when the obstacle ends)"},
			Bases: map[string]string{
				tenants.ProvinceFujian:    "《福建省一体化大融合行政执法平台管理暂行办法》（闽政令242号）第17条：自情形消除之日起5个工作日内补录",
				tenants.ProvinceGuangdong: "《广东省一体化行政执法平台管理办法》（粤府〔2023〕73号）第22条：3个工作日内登录办案平台补录（平台默认为5，广东部署须在根租户设为3）",
				tenants.ProvinceNational:  "无全国统一的补录期限：平台默认5个工作日，按本地规定设置",
			}},
		{Key: KeyDisclosureMinDays, Kind: tenants.KindInt, Default: 60, Min: tenants.Int64(1), Max: tenants.Int64(3650),
			Title: errs.Msg{ZH: "执法信息公示最短天数", EN: "minimum disclosure period (days)"}, Bases: disclosureBases("不得少于60日", "60日")},
		{Key: KeyDisclosureMaxDays, Kind: tenants.KindInt, Default: 730, Min: tenants.Int64(1), Max: tenants.Int64(3650),
			Title: errs.Msg{ZH: "执法信息公示最长天数", EN: "maximum disclosure period (days)"}, Bases: disclosureBases("最长不得超过2年", "2年（730日）")},
		{Key: KeyHearingPersonYuan, Kind: tenants.KindInt, Default: 2000, Min: tenants.Int64(1), Max: tenants.Int64(100000000),
			Title: errs.Msg{ZH: "较大数额罚款（个人，元）：达到即告知听证权", EN: "large fine for a person (yuan): hearing right offered at or above"},
			Basis: Art(LawPenalty, 63).Screen() + "；公安机关标准：个人2000元"},
		{Key: KeyHearingOrgYuan, Kind: tenants.KindInt, Default: 10000, Min: tenants.Int64(1), Max: tenants.Int64(100000000),
			Title: errs.Msg{ZH: "较大数额罚款（单位，元）：达到即告知听证权", EN: "large fine for an organisation (yuan): hearing right offered at or above"},
			Basis: Art(LawPenalty, 63).Screen() + "；公安机关标准：单位10000元"},

		ruleSetting(KeyDecideDays, 1, 3650, "处罚决定期限（日，自立案之日起）", "time to decide a penalty case (days from filing)", "九十日；法律、法规、规章另有规定的，从其规定"),
		ruleSetting(KeyLimitationYears, 1, 30, "处罚时效（年）", "limitation period for penalties (years)", "二年；法律另有规定的除外"),
		ruleSetting(KeyLimitationSafetyYears, 1, 30, "处罚时效：涉及生命健康安全、金融安全且有危害后果（年）", "limitation period where life, health or financial security was harmed (years)", "五年；法律另有规定的除外"),
		ruleSetting(KeySeizureDays, 1, 365, "查封、扣押期限（日）", "seizure and detention term (days)", "不得超过三十日；法律、行政法规另有规定的除外"),
		ruleSetting(KeySeizureExtensionDays, 1, 365, "查封、扣押延长期限（日）", "extension of a seizure term (days)", "延长不得超过三十日；法律、行政法规另有规定的除外"),
		ruleSetting(KeyFreezeDays, 1, 365, "冻结存款、汇款期限（日）", "freeze term for deposits and remittances (days)", "三十日；法律另有规定的除外"),
		ruleSetting(KeyFreezeExtensionDays, 1, 365, "冻结延长期限（日）", "extension of a freeze (days)", "延长不得超过三十日；法律另有规定的除外"),
		ruleSetting(KeyReconsiderationDays, 60, 3650, "行政复议申请期限（日）", "time to apply for reconsideration (days)", "六十日；法律规定的申请期限超过六十日的除外（故只能延长）"),
		ruleSetting(KeyLitigationMonths, 1, 240, "直接起诉期限（月）", "time to sue directly (months)", "六个月；法律另有规定的除外"),
		ruleSetting(KeyLitigationAfterReconsideration, 1, 365, "复议后起诉期限（日）", "time to sue after a reconsideration decision (days)", "十五日；法律另有规定的除外"),
		{Key: KeyLawLoadingWorkingDays, Kind: tenants.KindInt, Default: 10, Min: tenants.Int64(1), Max: tenants.Int64(60),
			Title: errs.Msg{ZH: "法律法规入库期限（工作日，自颁布之日起）", EN: "laws loaded into the law database (working days from promulgation)"},
			Bases: map[string]string{
				tenants.ProvinceFujian:    "闽政令242号未规定入库期限：平台默认10个工作日，按本地规定设置",
				tenants.ProvinceGuangdong: "《广东省一体化行政执法平台管理办法》（粤府〔2023〕73号）第52条：颁布之日起10个工作日内提供标准文本",
				tenants.ProvinceNational:  "无全国统一的入库期限：平台默认10个工作日，按本地规定设置",
			}},
		intSetting(KeyPublishWorkingDays, 7, 1, 60, "行政处罚信息公示期限（工作日，双公示）", "penalty decisions published (working days, double publicity)",
			"“双公示”：行政处罚信息自作出决定之日起7个工作日内上网公开（国办发〔2015〕51号）"),
		intSetting(KeySAMRPublishWorkingDays, 20, 1, 60, "市场监管行政处罚信息公示期限（工作日）", "market-regulation penalty information published (working days)",
			"《市场监督管理行政处罚信息公示规定》（2021）第6条：二十个工作日内"),
		intSetting(KeySAMRMinorMonths, 3, 1, 120, "市场监管：较轻处罚信息公示期（月）", "market regulation: display period of minor penalties (months)",
			"《市场监督管理行政处罚信息公示规定》（2021）第14条：三个月"),
		intSetting(KeySAMRYears, 3, 1, 30, "市场监管：其他处罚信息公示期（年）", "market regulation: display period of other penalties (years)",
			"《市场监督管理行政处罚信息公示规定》（2021）第14条：三年"),
		{Key: KeyStatementWorkingDays, Kind: tenants.KindInt, Default: 5, Min: tenants.Int64(3), Max: tenants.Int64(30),
			Title: errs.Msg{ZH: "陈述、申辩期限（工作日，自收到告知书、催告书之日起）", EN: "time to state a defence (working days from receipt of a prior or demand notice)"},
			Basis: StatementRight.Screen() + "；" + DemandStatement.Screen()},
	}
}
