package cases

import (
	"zhifa/modules/rules"
	"zhifa/tenants"
)

// The settings the documents of a case state, per tenant and per body.
const (
	// SettingReconsiderationAuthority is the authority a party applies to for reconsideration
	// (复议机关); empty: the people's government of the tenant's level (行政复议法 Art. 24).
	SettingReconsiderationAuthority = "cases.reconsideration_authority"
	// SettingCourt is the court a party sues in; empty: the people's court with jurisdiction.
	SettingCourt = "cases.court"
	// SettingPaymentBank and SettingPaymentAccount are where fines are paid (the decision's
	// payment instruction); empty: the decision states only how the officer wrote it.
	SettingPaymentBank    = "cases.payment_bank"
	SettingPaymentAccount = "cases.payment_account"
	// SettingStatementWorkingDays is the period, in working days from receipt, that a prior notice
	// and a demand notice give the party to state a defence: the period of the rules catalogue's
	// statement rule, which the rules module defines (rules.KeyStatementWorkingDays).
	SettingStatementWorkingDays = rules.KeyStatementWorkingDays
	// SettingPublishSummary has summary-procedure decisions (当场处罚) published like general ones
	// (disclosure:publish): off by default, on where the province's rules publish every penalty
	// result (广东 Art. 45).
	SettingPublishSummary = "cases.publish_summary_decisions"
)

// Settings lists the case engine's settings (the period to state a defence is the rules
// module's).
func Settings() []tenants.SettingDef {
	str := func(key, zh, en string) tenants.SettingDef {
		return tenants.SettingDef{Key: key, Kind: tenants.KindString, Default: "", Title: msg(zh, en)}
	}
	return []tenants.SettingDef{
		str(SettingReconsiderationAuthority, "行政复议机关（空：本级人民政府）", "the reconsideration authority (empty: the people's government of this level)"),
		str(SettingCourt, "行政诉讼管辖法院（空：有管辖权的人民法院）", "the court for litigation (empty: the people's court with jurisdiction)"),
		str(SettingPaymentBank, "罚款收缴银行", "the bank that collects fines"),
		str(SettingPaymentAccount, "罚款收缴账号", "the account fines are paid into"),
		{Key: SettingPublishSummary, Kind: tenants.KindBool, Default: false,
			Title: msg("简易程序（当场）处罚决定也予公示", "summary-procedure (on-the-spot) decisions are published too")},
	}
}
