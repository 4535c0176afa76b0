package rules

import (
	"slices"

	"zhifa/modules/kernel/errs"
)

// The laws the catalogue cites.
const (
	LawPenalty           = "行政处罚法"
	LawCoercion          = "行政强制法"
	LawReconsideration   = "行政复议法"
	LawLitigation        = "行政诉讼法"
	LawCivilCode         = "民法典"
	LawCivilProcedure    = "民事诉讼法"
	LawFujianPlatform    = "福建省一体化大融合行政执法平台管理暂行办法"
	LawGuangdongPlatform = "广东省一体化行政执法平台管理办法"
	LawSAMRPublication   = "市场监督管理行政处罚信息公示规定"
	LawDoublePublicity   = "国办发〔2015〕51号（双公示）"
)

// Rule IDs.
const (
	PenaltyCashHandover        = "penalty.cash_handover"
	PenaltyDisclosureWithdrawn = "penalty.disclosure_withdrawal"
	PenaltyHearingRequest      = "penalty.hearing_request"
	PenaltyStatement           = "penalty.statement"
	PenaltyHearingNotice       = "penalty.hearing_notice"
	PenaltyEvidencePreserved   = "penalty.evidence_preservation"
	PenaltyDelivery            = "penalty.delivery"
	PenaltyPayment             = "penalty.payment"
	PenaltyDecide              = "penalty.decide"
	PenaltyLimitation          = "penalty.limitation"
	PenaltyLimitationSafety    = "penalty.limitation_safety"

	CoercionEmergencyApproval = "coercion.emergency_approval"
	CoercionSeizureTerm       = "coercion.seizure_term"
	CoercionSeizureExtension  = "coercion.seizure_extension"
	CoercionFreezeDelivery    = "coercion.freeze_delivery"
	CoercionFreezeTerm        = "coercion.freeze_term"
	CoercionFreezeExtension   = "coercion.freeze_extension"
	CoercionProxyNotice       = "coercion.proxy_notice"
	CoercionDemandBeforeCourt = "coercion.demand_before_court"
	CoercionCourtApplication  = "coercion.court_application"

	ServicePublicNotice = "service.public_notice"

	RemedyReconsideration                = "remedy.reconsideration"
	RemedyLitigation                     = "remedy.litigation"
	RemedyLitigationAfterReconsideration = "remedy.litigation_after_reconsideration"

	CasesBackfill           = "cases.backfill"
	ElementsLawLoading      = "elements.law_loading"
	DisclosurePublication   = "disclosure.publication"
	DisclosureSAMRPublish   = "disclosure.samr_publication"
	DisclosureSAMRMinorTerm = "disclosure.samr_minor_term"
	DisclosureSAMRTerm      = "disclosure.samr_term"
	DisclosureMinPeriod     = "disclosure.min_period"
	DisclosureMaxPeriod     = "disclosure.max_period"
)

func msg(zh, en string) errs.Msg { return errs.Msg{ZH: zh, EN: en} }

// catalogue is every period and limit of RULES.md, in the order of a case.
var catalogue = []Rule{
	// 行政处罚法 (2021). Art. 85: the periods of 2, 3, 5 and 7 days are working days.
	{ID: PenaltyCashHandover, Law: LawPenalty, Article: 71, Amount: 2, Unit: WorkingDay,
		From: "cash_collected", FromTitle: msg("当场收缴罚款之日", "the day the fine was collected on the spot"),
		Title: msg("当场收缴的罚款交至行政机关", "cash collected on the spot handed to the agency"),
		Basis: "第71条：自收缴罚款之日起二日内交至行政机关（水上自抵岸之日起）；第85条：工作日"},
	{ID: PenaltyDisclosureWithdrawn, Law: LawPenalty, Article: 48, Amount: 3, Unit: WorkingDay,
		From: "decision_revoked", FromTitle: msg("公开的处罚决定被变更、撤销、确认违法或无效之日", "the day a published decision was changed, revoked or held unlawful or void"),
		Title: msg("撤回已公开的行政处罚决定信息", "published decision withdrawn"),
		Basis: "第48条：三日内撤回行政处罚决定信息并公开说明理由；第85条：工作日"},
	{ID: PenaltyHearingRequest, Law: LawPenalty, Article: 64, Amount: 5, Unit: WorkingDay, PartyDeadline: true,
		From: "prior_notice_served", FromTitle: msg("告知听证权利之日", "the day the party was told of the hearing right"),
		Title: msg("当事人要求听证", "the party asks for a hearing"),
		Basis: "第64条第（一）项：告知后五日内提出；第85条：工作日（以工作日计，期末必为工作日）"},
	{ID: PenaltyStatement, Law: LawPenalty, Article: 45, Amount: 5, Unit: WorkingDay, PartyDeadline: true, SettingKey: KeyStatementWorkingDays,
		From: "prior_notice_served", FromTitle: msg("收到行政处罚事先告知书之日", "the day the party received the prior notice"),
		Title: msg("当事人陈述、申辩", "the party states and defends itself"),
		Basis: "第44条：告知当事人依法享有的陈述、申辩权利；第45条：行政机关必须充分听取当事人的意见。期限由告知书载明（租户设置，默认5个工作日），届满前不作处罚决定，当事人书面放弃或已提出陈述、申辩的除外"},
	{ID: PenaltyHearingNotice, Law: LawPenalty, Article: 64, Amount: 7, Unit: WorkingDay, Before: true,
		From: "hearing_date", FromTitle: msg("举行听证之日", "the hearing date"),
		Title: msg("听证通知（听证七日前）", "hearing notice (7 days before the hearing)"),
		Basis: "第64条第（二）项：举行听证的七日前通知；第85条：工作日。所得日期为最迟通知日：自该日起算7个工作日恰至听证日"},
	{ID: PenaltyEvidencePreserved, Law: LawPenalty, Article: 56, Amount: 7, Unit: WorkingDay,
		From: "evidence_registered", FromTitle: msg("先行登记保存之日", "the day evidence was registered for preservation"),
		Title: msg("先行登记保存证据的处理决定", "decision on evidence registered for preservation"),
		Basis: "第56条：七日内及时作出处理决定；第85条：工作日"},
	{ID: PenaltyDelivery, Law: LawPenalty, Article: 61, Amount: 7, Unit: WorkingDay,
		From: "decision_made", FromTitle: msg("作出行政处罚决定之日", "the day the penalty decision was made"),
		Title: msg("行政处罚决定书送达（当事人不在场）", "penalty decision delivered (party not present)"),
		Basis: "第61条：当场交付；当事人不在场的，七日内送达；第85条：工作日"},
	{ID: PenaltyPayment, Law: LawPenalty, Article: 67, Amount: 15, Unit: CalendarDay, PartyDeadline: true,
		From: "decision_served", FromTitle: msg("收到行政处罚决定书之日", "the day the party received the decision"),
		Title: msg("缴纳罚款", "fine paid"),
		Basis: "第67条：自收到行政处罚决定书之日起十五日内；民法典第201、203条：首日不计，期末遇休息日顺延"},
	{ID: PenaltyDecide, Law: LawPenalty, Article: 60, Amount: 90, Unit: CalendarDay, SettingKey: KeyDecideDays,
		From: "case_filed", FromTitle: msg("立案之日", "the day the case was filed"),
		Title: msg("作出行政处罚决定（办案期限）", "penalty decided (case time limit)"),
		Basis: "第60条：自立案之日起九十日内；法律、法规、规章另有规定的从其规定。机关自身期限，不顺延；依法扣除的期间与批准的延长由办案引擎另计"},
	{ID: PenaltyLimitation, Law: LawPenalty, Article: 36, Amount: 2, Unit: Year, SettingKey: KeyLimitationYears,
		From: "act_ended", FromTitle: msg("违法行为发生之日（连续或继续状态的，自行为终了之日）", "the day of the act (of its end, for a continuing act)"),
		Title: msg("处罚时效：违法行为须在此日前被发现", "limitation: the act must be discovered by this day"),
		Basis: "第36条：二年内未被发现的，不再给予行政处罚；法律另有规定的除外"},
	{ID: PenaltyLimitationSafety, Law: LawPenalty, Article: 36, Amount: 5, Unit: Year, SettingKey: KeyLimitationSafetyYears,
		From: "act_ended", FromTitle: msg("违法行为发生之日（连续或继续状态的，自行为终了之日）", "the day of the act (of its end, for a continuing act)"),
		Title: msg("处罚时效（涉及生命健康安全、金融安全且有危害后果）", "limitation where life, health or financial security was harmed"),
		Basis: "第36条：涉及公民生命健康安全、金融安全且有危害后果的，延长至五年；法律另有规定的除外"},

	// 行政强制法 (2011). Art. 69: periods of ten days or less are working days.
	{ID: CoercionEmergencyApproval, Law: LawCoercion, Article: 19, Amount: 24, Unit: Hour,
		From: "measure_taken", FromTitle: msg("当场实施行政强制措施之时", "the moment the emergency measure was taken"),
		Title: msg("紧急措施报告并补办批准手续", "emergency measure reported and approved"),
		Basis: "第19条：二十四小时内向行政机关负责人报告，并补办批准手续；不批准的立即解除。按钟点计算，不顺延"},
	{ID: CoercionSeizureTerm, Law: LawCoercion, Article: 25, Amount: 30, Unit: CalendarDay, SettingKey: KeySeizureDays,
		From: "seizure_executed", FromTitle: msg("实施查封、扣押之日", "the day of the seizure"),
		Title: msg("查封、扣押期限届满", "seizure term ends"),
		Basis: "第25条：不得超过三十日；检测、检验、检疫、技术鉴定期间不计入。机关自身期限，不顺延"},
	{ID: CoercionSeizureExtension, Law: LawCoercion, Article: 25, Amount: 30, Unit: CalendarDay, SettingKey: KeySeizureExtensionDays,
		From: "seizure_term_ended", FromTitle: msg("原查封、扣押期限届满之日", "the day the original seizure term ends"),
		Title: msg("查封、扣押延长期限届满（仅可延长一次）", "extended seizure term ends (one extension only)"),
		Basis: "第25条：情况复杂的，经负责人批准可以延长，延长不得超过三十日，书面告知当事人。机关自身期限，不顺延"},
	{ID: CoercionFreezeDelivery, Law: LawCoercion, Article: 31, Amount: 3, Unit: WorkingDay,
		From: "freeze_executed", FromTitle: msg("实施冻结之日", "the day of the freeze"),
		Title: msg("交付冻结决定书", "freeze decision delivered"),
		Basis: "第31条：三日内向当事人交付冻结决定书；第69条：工作日"},
	{ID: CoercionFreezeTerm, Law: LawCoercion, Article: 32, Amount: 30, Unit: CalendarDay, SettingKey: KeyFreezeDays,
		From: "freeze_executed", FromTitle: msg("冻结存款、汇款之日", "the day of the freeze"),
		Title: msg("冻结后作出处理决定或解除冻结", "decision after a freeze, or release"),
		Basis: "第32条：自冻结之日起三十日内；法律另有规定的除外。机关自身期限，不顺延"},
	{ID: CoercionFreezeExtension, Law: LawCoercion, Article: 32, Amount: 30, Unit: CalendarDay, SettingKey: KeyFreezeExtensionDays,
		From: "freeze_term_ended", FromTitle: msg("原冻结期限届满之日", "the day the original freeze term ends"),
		Title: msg("冻结延长期限届满", "extended freeze term ends"),
		Basis: "第32条：情况复杂的，经负责人批准可以延长，延长不得超过三十日。机关自身期限，不顺延"},
	{ID: CoercionProxyNotice, Law: LawCoercion, Article: 51, Amount: 3, Unit: WorkingDay, Before: true,
		From: "proxy_enforcement_date", FromTitle: msg("代履行之日", "the day of proxy enforcement"),
		Title: msg("代履行前催告（代履行三日前）", "demand before proxy enforcement (3 days before)"),
		Basis: "第51条第（二）项：代履行三日前，催告当事人履行；第69条：工作日。所得日期为最迟催告日"},
	{ID: CoercionDemandBeforeCourt, Law: LawCoercion, Article: 54, Amount: 10, Unit: WorkingDay, Wait: true,
		From: "demand_served", FromTitle: msg("催告书送达之日", "the day the demand notice was served"),
		Title: msg("催告书送达后方可申请法院强制执行", "wait after the demand notice before applying to the court"),
		Basis: "第54条：催告书送达十日后当事人仍未履行的，可以申请人民法院强制执行；第69条：工作日。所得日期为等待期末日，其后方可申请"},
	{ID: CoercionCourtApplication, Law: LawCoercion, Article: 53, Amount: 3, Unit: Month,
		From: "remedy_periods_expired", FromTitle: msg("复议、诉讼期限届满之日", "the day the reconsideration and litigation periods expired"),
		Title: msg("申请人民法院强制执行", "application to the court for enforcement"),
		Basis: "第53条：自期限届满之日起三个月内申请。这是行政机关的申请期限：按机关自身期限处理，不顺延，以原始日期预警，确保不因顺延而逾期"},

	// 民事诉讼法 (2023), applied to service by 行政处罚法 Art. 61.
	{ID: ServicePublicNotice, Law: LawCivilProcedure, Article: 95, Amount: 30, Unit: CalendarDay, Wait: true,
		From: "notice_published", FromTitle: msg("发出公告之日", "the day the notice was published"),
		Title: msg("公告送达：公告期满视为送达", "service by public notice: served when the notice period has passed"),
		Basis: "第95条：受送达人下落不明，或者用其他方式无法送达的，公告送达；自发出公告之日起，经过三十日，即视为送达。发出公告之日不计入，第三十日届满时送达（所得日期即送达之日，当事人的期限自该日起算）。" +
			"视为送达之日不是当事人须在其前行事的期限，不适用期末遇休息日顺延（民法典第203条）：当事人自该日起算的缴款、复议、诉讼期限各自顺延"},

	// Remedies: the party's deadlines, shifted (民法典 Art. 203).
	{ID: RemedyReconsideration, Law: LawReconsideration, Article: 20, Amount: 60, Unit: CalendarDay, PartyDeadline: true, SettingKey: KeyReconsiderationDays,
		From: "decision_known", FromTitle: msg("知道或者应当知道行政行为之日", "the day the party knew or should have known of the decision"),
		Title: msg("申请行政复议", "application for reconsideration"),
		Basis: "《行政复议法》第20条：六十日内；法律规定的申请期限超过六十日的除外"},
	{ID: RemedyLitigation, Law: LawLitigation, Article: 46, Amount: 6, Unit: Month, PartyDeadline: true, SettingKey: KeyLitigationMonths,
		From: "decision_known", FromTitle: msg("知道或者应当知道行政行为之日", "the day the party knew or should have known of the decision"),
		Title: msg("直接提起行政诉讼", "direct action in court"),
		Basis: "《行政诉讼法》第46条：六个月内；法律另有规定的除外"},
	{ID: RemedyLitigationAfterReconsideration, Law: LawLitigation, Article: 45, Amount: 15, Unit: CalendarDay, PartyDeadline: true, SettingKey: KeyLitigationAfterReconsideration,
		From: "reconsideration_decision_received", FromTitle: msg("收到复议决定书之日（或复议期满之日）", "the day the reconsideration decision was received (or the reconsideration period ended)"),
		Title: msg("复议后提起行政诉讼", "action in court after reconsideration"),
		Basis: "《行政诉讼法》第45条：收到复议决定书之日起十五日内；复议机关逾期不作决定的，自复议期满之日起十五日内；法律另有规定的除外"},

	// Provincial platform rules and publication periods.
	{ID: CasesBackfill, Law: LawFujianPlatform, Article: 17, Amount: 5, Unit: WorkingDay, SettingKey: KeyBackfillWorkingDays,
		From: "obstacle_ended", FromTitle: msg("无法登录平台办案的情形消除之日", "the day the obstacle to online handling ended"),
		Title: msg("纸质办案信息补录", "backfill of a case handled on paper"),
		Basis: "福建（闽政令242号）第17条：自情形消除之日起5个工作日内补录；广东（粤府〔2023〕73号）第22条：3个工作日内。按租户设置"},
	{ID: ElementsLawLoading, Law: LawGuangdongPlatform, Article: 52, Amount: 10, Unit: WorkingDay, SettingKey: KeyLawLoadingWorkingDays,
		From: "law_promulgated", FromTitle: msg("法律法规、规章颁布之日", "the day the law or rule was promulgated"),
		Title: msg("法律法规标准文本入库", "law's standard text supplied to the law database"),
		Basis: "广东（粤府〔2023〕73号）第52条：颁布之日起10个工作日内提供标准文本"},
	{ID: DisclosurePublication, Law: LawDoublePublicity, Article: 0, Amount: 7, Unit: WorkingDay, SettingKey: KeyPublishWorkingDays,
		From: "decision_made", FromTitle: msg("作出行政处罚决定之日", "the day the penalty decision was made"),
		Title: msg("行政处罚信息公示（双公示）", "penalty decision published (double publicity)"),
		Basis: "“双公示”：自作出行政决定之日起7个工作日内上网公开（文件不分条）"},
	{ID: DisclosureSAMRPublish, Law: LawSAMRPublication, Article: 6, Amount: 20, Unit: WorkingDay, SettingKey: KeySAMRPublishWorkingDays,
		From: "decision_made", FromTitle: msg("作出行政处罚决定之日", "the day the penalty decision was made"),
		Title: msg("市场监管行政处罚信息公示", "market-regulation penalty information published"),
		Basis: "国家市场监督管理总局（2021）：作出行政处罚决定之日起二十个工作日内通过国家企业信用信息公示系统公示"},
	{ID: DisclosureSAMRMinorTerm, Law: LawSAMRPublication, Article: 14, Amount: 3, Unit: Month, SettingKey: KeySAMRMinorMonths, Wait: true,
		From: "published", FromTitle: msg("公示之日", "the day of publication"),
		Title: msg("较轻处罚信息停止公示", "display of a minor penalty ends"),
		Basis: "仅受到通报批评或者较低数额罚款的，自公示之日起届满三个月停止公示"},
	{ID: DisclosureSAMRTerm, Law: LawSAMRPublication, Article: 14, Amount: 3, Unit: Year, SettingKey: KeySAMRYears, Wait: true,
		From: "published", FromTitle: msg("公示之日", "the day of publication"),
		Title: msg("其他处罚信息停止公示", "display of other penalties ends"),
		Basis: "其他行政处罚信息自公示之日起届满三年停止公示"},
	{ID: DisclosureMinPeriod, Law: LawFujianPlatform, Article: 21, Amount: 60, Unit: CalendarDay, SettingKey: KeyDisclosureMinDays, Wait: true,
		From: "published", FromTitle: msg("公示之日", "the day of publication"),
		Title: msg("执法信息最短公示期满（此后方可撤下）", "minimum display period ends (may be taken down after)"),
		Basis: "闽政令242号第21条：公示时间不得少于60日；法律、法规、规章另有规定的，从其规定"},
	{ID: DisclosureMaxPeriod, Law: LawFujianPlatform, Article: 21, Amount: 730, Unit: CalendarDay, SettingKey: KeyDisclosureMaxDays,
		From: "published", FromTitle: msg("公示之日", "the day of publication"),
		Title: msg("执法信息最长公示期满（须撤下）", "maximum display period ends (must be taken down)"),
		Basis: "闽政令242号第21条：最长不得超过2年；法律、法规、规章另有规定的，从其规定"},
}

// Catalogue returns every rule, in the order of a case.
func Catalogue() []Rule { return slices.Clone(catalogue) }

// Lookup returns the rule with id.
func Lookup(id string) (Rule, bool) {
	for _, r := range catalogue {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}

// MustLookup returns the rule with id, one of the catalogue's constants; an unknown id is a
// programming error: it panics (at start-up, for the package variables that name their rule).
func MustLookup(id string) Rule {
	r, ok := Lookup(id)
	if !ok {
		panic("rules: no rule " + id + " in the catalogue")
	}
	return r
}
