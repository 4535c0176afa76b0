package disclosure

import (
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// Setting keys of the disclosure module. The platform's own display window is the rules'
// (rules.KeyDisclosureMinDays, rules.KeyDisclosureMaxDays), its publication period the rules'
// rules.KeyPublishWorkingDays (which the case engine counts publish_by with).
const (
	// KeyRequireHeadApproval: a record waits for the body head's approval (pending) before it is
	// public (广东 Art. 45: published once the body head approved).
	KeyRequireHeadApproval = "disclosure.require_head_approval"
	// KeyWithholdWarningOnly: a warning-only decision is not published (总局令45号 Art. 2). A body of
	// the market-regulation sector never publishes one, whatever the setting says.
	KeyWithholdWarningOnly = "disclosure.withhold_warning_only"
	// The credit channel's periods (2025 信用修复管理办法): 一般 3 months to 1 year, 严重 1 to 3
	// years, counted from the decision.
	KeyCreditGeneralMinMonths = "disclosure.credit_general_min_months"
	KeyCreditGeneralMonths    = "disclosure.credit_general_months"
	KeyCreditSeriousMinMonths = "disclosure.credit_serious_min_months"
	KeyCreditSeriousMonths    = "disclosure.credit_serious_months"
)

// creditBasis cites the 2025 credit-repair measures for the credit periods.
const creditBasis = "《信用修复管理办法》（国家发展改革委，2026年4月1日起施行）：一般失信信息公示期3个月至1年，严重失信信息1年至3年，自认定之日起计算；最短期满后可申请信用修复"

// Settings lists the disclosure module's settings, with their defaults.
func Settings() []tenants.SettingDef {
	months := func(key string, def, lo, hi int64, zh, en string) tenants.SettingDef {
		return tenants.SettingDef{Key: key, Kind: tenants.KindInt, Default: def, Min: tenants.Int64(lo), Max: tenants.Int64(hi),
			Title: errs.Msg{ZH: zh, EN: en}, Basis: creditBasis}
	}
	return []tenants.SettingDef{
		{Key: KeyRequireHeadApproval, Kind: tenants.KindBool, Default: false,
			Title: errs.Msg{ZH: "处罚信息公示前须经机关负责人批准", EN: "disclosure awaits the body head's approval"},
			Basis: "《广东省一体化行政执法平台管理办法》（粤府〔2023〕73号）第45条：经机关负责人审批后自动公开；平台默认不另设审批"},
		{Key: KeyWithholdWarningOnly, Kind: tenants.KindBool, Default: false,
			Title: errs.Msg{ZH: "仅警告的处罚决定不予公示", EN: "warning-only decisions are not published"},
			Basis: "《市场监督管理行政处罚信息公示规定》（总局令45号）第2条：仅受警告的不公示（市场监管部门始终适用）；其他部门默认公示"},
		months(KeyCreditGeneralMinMonths, 3, 1, 120, "一般失信信息最短公示期（月）", "general credit information: minimum period (months)"),
		months(KeyCreditGeneralMonths, 12, 1, 120, "一般失信信息公示期（月）", "general credit information: period (months)"),
		months(KeyCreditSeriousMinMonths, 12, 1, 120, "严重失信信息最短公示期（月）", "serious credit information: minimum period (months)"),
		months(KeyCreditSeriousMonths, 36, 1, 120, "严重失信信息公示期（月）", "serious credit information: period (months)"),
	}
}
