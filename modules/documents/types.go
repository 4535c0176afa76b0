package documents

import (
	"fmt"
	"io/fs"
	"slices"
	"sync"

	"zhifa/modules/kernel/errs"
	"zhifa/modules/rules"
)

// Type is a kind of enforcement document (文书种类). Every template has a type, and the type
// declares the data its templates may use and the items a template of it must contain.
type Type string

// The document types of the platform set.
const (
	TypeCaseFiling         Type = "case_filing"            // 立案审批表
	TypeInspectionRecord   Type = "inspection_record"      // 现场检查（勘验）笔录
	TypeInquiryRecord      Type = "inquiry_record"         // 询问笔录
	TypePreservationNotice Type = "preservation_notice"    // 先行登记保存通知书
	TypeCorrectionOrder    Type = "correction_order"       // 责令改正通知书
	TypePriorNotice        Type = "prior_notice"           // 行政处罚事先告知书
	TypeHearingNotice      Type = "hearing_notice"         // 听证告知书
	TypeHearingRecord      Type = "hearing_record"         // 听证笔录
	TypeLegalReview        Type = "legal_review"           // 法制审核意见书
	TypePenaltyDecision    Type = "penalty_decision"       // 行政处罚决定书
	TypeSummaryDecision    Type = "summary_decision"       // 当场行政处罚决定书
	TypeNotPenalised       Type = "not_penalised_decision" // 不予行政处罚决定书
	TypeSeizureDecision    Type = "seizure_decision"       // 查封（扣押）决定书及清单
	TypeDemandNotice       Type = "demand_notice"          // 催告书
	TypeSurchargeDecision  Type = "surcharge_decision"     // 加处罚款决定书
	TypeDeliveryReceipt    Type = "delivery_receipt"       // 送达回证
	TypeEDeliveryConsent   Type = "e_delivery_consent"     // 电子送达确认书
	TypeClosingReport      Type = "closing_report"         // 结案报告
	TypeCaseTransfer       Type = "case_transfer"          // 案件移送书
	TypeFreezeDecision     Type = "freeze_decision"        // 冻结决定书
	TypeMeasureExtension   Type = "measure_extension"      // 延长查封（扣押）期限决定书
	TypeMeasureRelease     Type = "measure_release"        // 解除查封（扣押）决定书
	TypeFiscalReceipt      Type = "fiscal_receipt"         // 财政电子票据（罚没收入）
	// TypeReconsiderationApplication is the party's own application, written in the citizen
	// portal (一键复议) and sent to the reconsideration body: no number and no seal of the body.
	TypeReconsiderationApplication Type = "reconsideration_application" // 行政复议申请书
)

// Requirement is an item a template of a type must contain: a data field it must print
// ("party.name"), or the seal ("seal"). Saving a template without one is refused, naming it.
type Requirement struct {
	Ref   string   `json:"ref"`
	Title errs.Msg `json:"title"`
	Basis string   `json:"basis,omitempty"` // the article that requires it
	// Value: the data must also have a non-empty value when a document is issued.
	Value bool `json:"value"`
}

// TypeInfo describes a document type.
type TypeInfo struct {
	Type Type     `json:"type"`
	Name errs.Msg `json:"name"`
	// Series is the word of the document number (文号) between the body's prefix and the year,
	// e.g. 罚 in 尤市监罚〔2026〕12号; empty for documents without a number (records, forms).
	Series string `json:"series,omitempty"`
	// Kinds are the case engine's document kinds (DeliverDocument.Document) served as this type.
	Kinds    []string       `json:"kinds,omitempty"`
	Basis    string         `json:"basis,omitempty"`
	Fields   []Field        `json:"fields"`
	Required []Requirement  `json:"required"`
	Sample   map[string]any `json:"sample"`
}

// Sealed reports whether documents of the type carry the body's seal.
func (ti *TypeInfo) Sealed() bool {
	return slices.ContainsFunc(ti.Required, func(r Requirement) bool { return r.Ref == refSeal })
}

const refSeal = "seal"

// req builds a Requirement.
func req(ref, zh, en, basis string, value bool) Requirement {
	return Requirement{Ref: ref, Title: errs.Msg{ZH: zh, EN: en}, Basis: basis, Value: value}
}

// Requirements shared by the documents an agency issues to a party.
var (
	rParty   = req("party.name", "当事人的姓名或者名称", "the party's name", "", true)
	rAgency  = req("body.name", "行政机关名称", "the agency's name", "", true)
	rDate    = req("doc.date_cn", "作出决定的日期", "the date", "", true)
	rNumber  = req("doc.number", "文号", "the document number", "", true)
	rSeal    = req(refSeal, "行政机关印章", "the agency's seal", "", false)
	rRecon   = req("remedies.reconsideration_days", "申请行政复议的期限（60日）", "the period to apply for reconsideration (60 days)", label(lawReconsideration(20)), true)
	rReconTo = req("remedies.reconsideration_to", "申请行政复议的途径（复议机关）", "where to apply for reconsideration", label(lawReconsideration(20)), false)
	rLit     = req("remedies.litigation_months", "提起行政诉讼的期限（6个月）", "the period to sue (6 months)", label(lawLitigation(46)), true)
	rCourt   = req("remedies.court", "提起行政诉讼的途径（人民法院）", "where to sue", label(lawLitigation(46)), false)
)

// withBasis returns r with its basis set.
func withBasis(basis string, rs ...Requirement) []Requirement {
	out := make([]Requirement, len(rs))
	for i, r := range rs {
		if r.Basis == "" {
			r.Basis = basis
		}
		out[i] = r
	}
	return out
}

func msg(zh, en string) errs.Msg { return errs.Msg{ZH: zh, EN: en} }

// label writes provisions as a type's or a requirement's basis names them: 行政处罚法第五十四条.
func label(cs ...rules.Cite) string { return rules.Cites(cs).Label() }

// legal writes provisions as a document cites them: 《中华人民共和国行政处罚法》第五十六条.
func legal(cs ...rules.Cite) string { return rules.Cites(cs).Document() }

// The laws most types cite: an article, down to its paragraph and item when they are given.
func lawPenalty(article int, paraItem ...int) rules.Cite {
	return rules.Art(rules.LawPenalty, article, paraItem...)
}
func lawCoercion(article int, paraItem ...int) rules.Cite {
	return rules.Art(rules.LawCoercion, article, paraItem...)
}
func lawReconsideration(article int) rules.Cite { return rules.Art(rules.LawReconsideration, article) }
func lawLitigation(article int) rules.Cite      { return rules.Art(rules.LawLitigation, article) }

// registry is the document types, indexed, with their platform templates.
type registry struct {
	byType   map[Type]*TypeInfo
	list     []*TypeInfo // in the order of a case
	platform map[Type][]platformTemplate
}

// types is the registry of Types() and the platform set, built and checked on first use: a
// type defined twice, a requirement naming an undeclared field, a type without a platform
// template or a template of no type stops the program there.
var types = sync.OnceValue(func() *registry {
	r, err := newRegistry(Types(), platformFS)
	if err != nil {
		panic(err)
	}
	return r
})

// newRegistry indexes the type definitions and reads the platform set (platform/<type>.v<N>.html) of fsys.
func newRegistry(defs []*TypeInfo, fsys fs.FS) (*registry, error) {
	r := &registry{byType: map[Type]*TypeInfo{}}
	for _, ti := range defs {
		if _, dup := r.byType[ti.Type]; dup {
			return nil, fmt.Errorf("documents: type defined twice: %s", ti.Type)
		}
		for _, rq := range ti.Required {
			if rq.Ref == refSeal {
				continue
			}
			if _, ok := lookup(ti.Fields, rq.Ref); !ok {
				return nil, fmt.Errorf("documents: %s requires undeclared field %s", ti.Type, rq.Ref)
			}
		}
		r.byType[ti.Type] = ti
		r.list = append(r.list, ti)
	}
	platform, err := loadPlatform(fsys, r.byType)
	if err != nil {
		return nil, err
	}
	r.platform = platform
	return r, nil
}

// Lookup returns the description of a document type.
func Lookup(t Type) (*TypeInfo, bool) {
	ti, ok := types().byType[t]
	return ti, ok
}

// Name returns the type's Chinese name (行政处罚决定书), or the type as it is when no document
// type has it.
func (t Type) Name() string {
	if ti, ok := Lookup(t); ok {
		return ti.Name.ZH
	}
	return string(t)
}

// TypeFor returns the document type the case engine's document kind (the Document of a
// delivery:deliver_document payload: prior_notice, hearing_notice, penalty_decision,
// not_penalised_decision, correction_order, freeze_decision, measure_extension, measure_release,
// demand_notice) is issued as. A type's own name maps to itself.
func TypeFor(kind string) (Type, bool) {
	for _, ti := range types().list {
		if string(ti.Type) == kind || slices.Contains(ti.Kinds, kind) {
			return ti.Type, true
		}
	}
	return "", false
}

// Types defines every document type, in the order of a case: which types exist, the data each
// declares (fields.go), the items a template of it must contain, and its sample data (laid over
// the sample every type shares). Each call returns new definitions; the package registers them
// once, with the platform set, on first use.
func Types() []*TypeInfo {
	return withCommonSample([]*TypeInfo{
		{Type: TypeCaseFiling, Name: msg("立案审批表", "case filing approval form"), Basis: label(lawPenalty(54)),
			Fields: common(
				obj("lead", "案源", "case source", text("summary", "案情摘要", "summary"), text("received_on", "受案日期", "received on")),
				obj("filing", "立案审批", "filing approval", text("opinion", "承办人意见", "handling officers' opinion"),
					text("approval", "负责人审批意见", "head's approval"), text("approver", "负责人", "approving head"), text("approved_on", "审批日期", "approved on")),
			),
			Required: withBasis(label(lawPenalty(54)), req("case.code", "案件编码", "case code", "", true), rParty,
				req("lead.summary", "案情摘要", "summary of the case", "", true), req("filing.opinion", "承办人意见", "the officers' opinion", "", true)),
			Sample: map[string]any{
				"lead":   map[string]any{"summary": "群众举报当事人在尤溪县城关镇水东路88号无照经营食品", "received_on": "2026-01-02"},
				"filing": map[string]any{"opinion": "当事人涉嫌无照经营，建议立案调查", "approval": "同意立案", "approver": "林志强", "approved_on": "2026-01-03"},
			},
		},
		{Type: TypeInspectionRecord, Name: msg("现场检查（勘验）笔录", "on-site inspection record"), Basis: label(lawPenalty(55)),
			Fields: common(obj("inspection", "检查", "inspection",
				text("place", "检查地点", "place"), text("started_at", "开始时间", "started at"), text("ended_at", "结束时间", "ended at"),
				text("record", "检查情况", "what was found"), text("witness", "见证人", "witness"))),
			Required: withBasis(label(lawPenalty(55)), rParty, req("officers", "执法人员（不少于两人）及执法证号", "the officers (two or more) and their certificates", label(lawPenalty(42)), true),
				req("inspection.place", "检查地点", "place", "", true), req("inspection.started_at", "检查时间", "time", "", true),
				req("inspection.record", "检查情况", "what was found", "", true)),
			Sample: map[string]any{"inspection": map[string]any{"place": "尤溪县城关镇水东路88号经营场所", "started_at": "2026年1月4日9时30分",
				"ended_at": "2026年1月4日10时20分", "record": "现场有食品货架三组，在售预包装食品若干，未悬挂营业执照", "witness": "陈某某"}},
		},
		{Type: TypeInquiryRecord, Name: msg("询问笔录", "inquiry record"), Basis: label(lawPenalty(55)),
			Fields: common(obj("inquiry", "询问", "inquiry",
				text("place", "询问地点", "place"), text("started_at", "开始时间", "started at"), text("ended_at", "结束时间", "ended at"),
				text("person", "被询问人", "person inquired"), text("person_id_number", "被询问人身份证件号码", "their identity number"),
				text("relation", "与当事人关系", "relation to the party"), text("recorder", "记录人", "recorder"),
				list("qa", "问答", "questions and answers", text("q", "问", "question"), text("a", "答", "answer")))),
			Required: withBasis(label(lawPenalty(55)), req("officers", "执法人员及执法证号", "the officers and their certificates", label(lawPenalty(42)), true),
				req("inquiry.person", "被询问人", "the person inquired", "", true), req("inquiry.qa", "询问内容（问答）", "the questions and answers", "", true)),
			Sample: map[string]any{"inquiry": map[string]any{"place": "尤溪县市场监督管理局询问室", "started_at": "2026年1月5日14时", "ended_at": "2026年1月5日14时40分",
				"person": "王小明", "person_id_number": "350102198503120014", "relation": "本人", "recorder": "李华",
				"qa": []any{map[string]any{"q": "我们是尤溪县市场监督管理局执法人员，现依法向你询问，你是否听清楚？", "a": "听清楚了。"},
					map[string]any{"q": "你经营的店铺是否办理了营业执照？", "a": "还没有办理。"}}}},
		},
		{Type: TypePreservationNotice, Name: msg("先行登记保存通知书", "notice of evidence preservation"), Series: "先保", Basis: label(lawPenalty(56)),
			Fields: common(obj("preservation", "先行登记保存", "preservation", text("reason", "理由", "reason"), text("basis", "依据", "legal basis"),
				text("place", "保存地点", "where kept"), text("decide_by", "作出处理决定的期限", "decision due")), fItems),
			Required: withBasis(label(lawPenalty(56)), rParty, rNumber, req("preservation.basis", "先行登记保存的依据", "the legal basis", "", true),
				req("items", "先行登记保存物品清单", "the list of items", "", true), req("preservation.decide_by", "七个工作日内作出处理决定", "the decision within 7 working days", "", false),
				rAgency, rDate, rSeal),
			Sample: map[string]any{"preservation": map[string]any{"reason": "证据可能灭失或者以后难以取得", "basis": legal(lawPenalty(56)),
				"place": "当事人经营场所", "decide_by": "2026年1月13日"},
				"items": []any{map[string]any{"name": "预包装食品（饼干）", "spec": "200克/袋", "quantity": "36袋", "note": "原地封存"}}},
		},
		{Type: TypeCorrectionOrder, Name: msg("责令改正通知书", "order to correct"), Series: "责改", Kinds: []string{"correction_order"}, Basis: label(lawPenalty(28)),
			Fields: common(fFacts, fViolated, obj("correction", "责令改正", "correction",
				text("requirement", "改正要求", "what to correct"), text("deadline", "改正期限", "by when"), text("basis", "责令改正的依据", "legal basis"))),
			Required: withBasis(label(lawPenalty(28)), rParty, rNumber, req("facts", "违法事实", "the facts", "", true), req("violated", "违反的规定", "the provisions violated", "", true),
				req("correction.requirement", "改正要求", "what to correct", "", true), req("correction.deadline", "改正期限", "the deadline", "", true),
				rAgency, rDate, rSeal),
			Sample: map[string]any{"facts": "当事人未取得营业执照从事食品零售经营活动", "violated": "《无证无照经营查处办法》第二条",
				"correction": map[string]any{"requirement": "立即停止无照经营行为，依法办理营业执照", "deadline": "2026年1月20日", "basis": "《无证无照经营查处办法》第十三条"}},
		},
		{Type: TypePriorNotice, Name: msg("行政处罚事先告知书", "prior notice of an administrative penalty"), Series: "罚告", Kinds: []string{"prior_notice"}, Basis: label(lawPenalty(44)),
			Fields: common(fFacts, fEvidence, fViolated, fPenalty, obj("notice", "告知", "notice",
				num("statement_days", "陈述、申辩期限（工作日）", "working days to state a defence"), flag("hearing_right", "享有听证权", "hearing right"),
				num("hearing_days", "申请听证期限（工作日）", "working days to ask for a hearing"))),
			Required: withBasis(label(lawPenalty(44)), rParty, rNumber, req("facts", "拟作出行政处罚的事实", "the facts", "", true),
				req("violated", "违反的规定（拟作出行政处罚的理由）", "the provisions violated (the reasons)", "", true),
				req("body.address", "行政机关的地址（当事人提出陈述、申辩的地点）", "the agency's address (where to state a defence)", "", true),
				req("penalty.text", "拟作出的行政处罚内容", "the proposed penalty", "", true), req("penalty.basis", "拟作出行政处罚的依据", "its legal basis", "", true),
				req("notice.statement_days", "陈述、申辩权及其期限", "the right to state a defence and its period", "", true), rAgency, rDate, rSeal),
			Sample: map[string]any{"notice": map[string]any{"statement_days": 5, "hearing_right": true, "hearing_days": 5}},
		},
		{Type: TypeHearingNotice, Name: msg("听证通知书", "notice of the hearing"), Series: "听告", Kinds: []string{"hearing_notice"}, Basis: label(lawPenalty(63), lawPenalty(64)),
			Fields: common(fPenalty, obj("hearing", "听证", "hearing",
				num("request_days", "申请听证期限（工作日）", "working days to ask for a hearing"), text("requested_on", "当事人申请听证的日期", "when the party asked for the hearing"),
				text("scheduled_at", "听证时间", "time of the hearing"),
				text("place", "听证地点", "place"), text("presider", "主持人", "presiding officer"), text("clerk", "记录员", "clerk"))),
			Required: withBasis(label(lawPenalty(64)), rParty, rNumber, req("penalty.text", "拟作出的行政处罚", "the proposed penalty", "", true),
				req("hearing.request_days", "申请听证的期限", "the period to ask for a hearing", "", true), rAgency, rDate, rSeal),
			Sample: map[string]any{"hearing": map[string]any{"request_days": 5, "requested_on": "2026年1月9日", "scheduled_at": "2026年1月20日9时", "place": "尤溪县市场监督管理局听证室",
				"presider": "郑明", "clerk": "吴芳"}},
		},
		{Type: TypeHearingRecord, Name: msg("听证笔录", "hearing record"), Basis: label(lawPenalty(64)),
			Fields: common(obj("hearing", "听证", "hearing",
				text("held_at", "听证时间", "held at"), text("place", "听证地点", "place"), text("presider", "主持人", "presiding officer"),
				text("clerk", "记录员", "clerk"), text("investigators", "案件调查人员", "investigating officers"),
				text("attendees", "当事人及其代理人", "the party and its agents"), text("record", "听证记录", "record of the hearing"))),
			Required: withBasis(label(lawPenalty(64)), rParty, req("hearing.held_at", "听证时间", "time", "", true),
				req("hearing.presider", "听证主持人", "the presiding officer", "", true), req("hearing.record", "听证记录", "the record", "", true)),
			Sample: map[string]any{"hearing": map[string]any{"held_at": "2026年1月20日9时至10时30分", "place": "尤溪县市场监督管理局听证室", "presider": "郑明", "clerk": "吴芳",
				"investigators": "张伟、李华", "attendees": "王小明（当事人）", "record": "调查人员陈述了违法事实、证据和拟处罚意见；当事人进行了申辩。"}},
		},
		{Type: TypeLegalReview, Name: msg("法制审核意见书", "legal review opinion"), Basis: label(lawPenalty(58)),
			Fields: common(fFacts, fPenalty, obj("review", "法制审核", "legal review",
				text("items", "审核内容", "what was reviewed"), text("opinion", "审核意见", "opinion"),
				text("reviewer", "审核人员", "reviewer"), text("reviewed_on", "审核日期", "reviewed on"))),
			Required: withBasis(label(lawPenalty(58)), req("case.code", "案件编码", "case code", "", true), req("review.opinion", "审核意见", "the opinion", "", true),
				req("review.reviewer", "审核人员", "the reviewer", "", true), req("review.reviewed_on", "审核日期", "the date", "", true)),
			Sample: map[string]any{"review": map[string]any{"items": "执法主体、管辖、程序、事实、证据、法律适用、裁量基准", "opinion": "事实清楚，证据确凿，程序合法，适用依据正确，同意拟处罚意见",
				"reviewer": "陈法审", "reviewed_on": "2026年1月22日"}},
		},
		{Type: TypePenaltyDecision, Name: msg("行政处罚决定书", "administrative penalty decision"), Series: "罚", Kinds: []string{"penalty_decision"}, Basis: label(lawPenalty(59)),
			Fields: common(fFacts, fEvidence, fViolated, fStatements, fStatementOpinion, fPenalty, fPayment, fRemedies),
			Required: withBasis(label(lawPenalty(59)),
				req("party.name", "（一）当事人的姓名或者名称", "(1) the party's name", "", true),
				req("party.address", "（一）当事人的地址", "(1) the party's address", "", false),
				req("facts", "（二）违反法律、法规、规章的事实", "(2) the facts of the violation", "", true),
				req("violated", "（二）违反的法律、法规、规章的规定", "(2) the provisions violated", "", true),
				req("evidence", "（二）证据", "(2) the evidence", "", true),
				req("penalty.text", "（三）行政处罚的种类", "(3) the type of penalty", "", true),
				req("penalty.basis", "（三）行政处罚的依据", "(3) the legal basis of the penalty", "", true),
				req("payment.how", "（四）行政处罚的履行方式", "(4) how to perform the penalty", "", false),
				req("payment.deadline", "（四）行政处罚的履行期限", "(4) by when to perform it", "", false),
				req("remedies.reconsideration_to", "（五）申请行政复议的途径", "(5) where to apply for reconsideration", label(lawReconsideration(20)), false),
				req("remedies.reconsideration_days", "（五）申请行政复议的期限（60日）", "(5) the period for reconsideration (60 days)", label(lawReconsideration(20)), true),
				req("remedies.court", "（五）提起行政诉讼的途径", "(5) where to sue", label(lawLitigation(46)), false),
				req("remedies.litigation_months", "（五）提起行政诉讼的期限（6个月）", "(5) the period to sue (6 months)", label(lawLitigation(46)), true),
				req("body.name", "（六）作出行政处罚决定的行政机关名称", "(6) the agency's name", "", true),
				req("doc.date_cn", "（六）作出决定的日期", "(6) the date of the decision", "", true),
				req(refSeal, "行政机关的印章", "the agency's seal", "", false),
				rNumber),
			Sample: map[string]any{"statement_opinion": "当事人于2026年1月9日提出陈述、申辩：系初次经营，请求从轻处罚。经复核，予以采纳，理由：当事人违法经营时间短、经营额小，且已停止违法行为。"},
		},
		{Type: TypeSummaryDecision, Name: msg("当场行政处罚决定书", "on-the-spot penalty decision"), Series: "简罚", Basis: label(lawPenalty(52)),
			Fields: common(fFacts, fViolated, fPenalty, fPayment, fRemedies, obj("spot", "当场处罚", "on the spot",
				text("place", "地点", "place"), text("at", "时间", "time"))),
			Required: withBasis(label(lawPenalty(52)), rParty, req("facts", "当事人的违法行为", "the violation", "", true),
				req("violated", "违反的规定", "the provisions violated", "", true),
				req("penalty.text", "行政处罚的种类和罚款数额", "the type of penalty and the fine", "", true), req("penalty.basis", "行政处罚的依据", "its legal basis", "", true),
				req("spot.at", "时间", "time", "", true), req("spot.place", "地点", "place", "", true),
				rReconTo, rRecon, rCourt, rLit, rAgency, req("officers", "执法人员签名或者盖章", "the officers' signatures", "", true), rSeal),
			Sample: map[string]any{"spot": map[string]any{"place": "尤溪县城关镇紫阳大道", "at": "2026年1月5日10时15分"},
				"penalty": map[string]any{"text": "罚款人民币贰佰元整", "kinds": []any{"罚款"}, "fine_fen": 20000, "fine_text": "贰佰元整", "basis": "《城市市容和环境卫生管理条例》第三十四条"}},
		},
		{Type: TypeNotPenalised, Name: msg("不予行政处罚决定书", "decision not to penalise"), Series: "不罚", Kinds: []string{"not_penalised_decision"}, Basis: label(lawPenalty(33), lawPenalty(57)),
			Fields: common(fFacts, fEvidence, obj("not_penalised", "不予处罚", "not penalised",
				text("ground", "情形", "ground"), text("reason", "不予处罚的理由", "reasons"), text("basis", "不予处罚的依据", "legal basis"),
				text("education", "教育情况", "education given")), fRemedies),
			Required: withBasis(label(lawPenalty(57)), rParty, rNumber, req("facts", "违法事实", "the facts", "", true),
				req("not_penalised.reason", "不予行政处罚的理由", "the reasons", "", true), req("not_penalised.basis", "不予行政处罚的依据", "the legal basis", "", true),
				rReconTo, rRecon, rCourt, rLit, rAgency, rDate, rSeal),
			Sample: map[string]any{"not_penalised": map[string]any{"ground": "first_violation", "reason": "当事人初次违法且危害后果轻微并及时改正",
				"basis": legal(lawPenalty(33, 1)), "education": "已对当事人进行批评教育，当事人承诺守法经营"}},
		},
		{Type: TypeSeizureDecision, Name: msg("查封（扣押）决定书及清单", "decision to seal up or seize, with the list"), Series: "强", Kinds: []string{"seizure_decision"}, Basis: label(lawCoercion(24)),
			Fields: common(obj("measure", "行政强制措施", "coercive measure",
				text("kind_text", "措施（查封/扣押）", "measure (seal up / seize)"), text("reason", "理由", "reason"), text("basis", "依据", "legal basis"),
				num("term_days", "期限（日）", "term in days"), text("from", "起始日期", "from"), text("to", "截止日期", "to"), text("place", "存放地点", "where kept")),
				fItems, fRemedies),
			Required: withBasis(label(lawCoercion(24)), rParty, rNumber, req("measure.reason", "查封、扣押的理由", "the reason", "", true),
				req("measure.basis", "查封、扣押的依据", "the legal basis", "", true), req("measure.term_days", "查封、扣押的期限", "the term", "", true),
				req("items", "查封、扣押场所、设施或者财物的名称、数量等（清单）", "the list of places, facilities or things", "", true),
				rReconTo, rRecon, rCourt, rLit, rAgency, rDate, rSeal),
			Sample: map[string]any{"measure": map[string]any{"kind_text": "扣押", "reason": "有证据证明系不符合食品安全标准的食品", "basis": "《中华人民共和国食品安全法》第一百一十条",
				"term_days": 30, "from": "2026年1月5日", "to": "2026年2月3日", "place": "尤溪县市场监督管理局罚没物品仓库"},
				"items": []any{map[string]any{"name": "散装白酒", "spec": "5升/桶", "quantity": "12桶", "note": "已贴封条"}}},
		},
		{Type: TypeDemandNotice, Name: msg("催告书", "demand notice"), Series: "催", Kinds: []string{"demand_notice"}, Basis: label(lawCoercion(35)),
			Fields: common(obj("enforcement", "强制执行", "enforcement",
				text("decision_ref", "原决定书文号", "number of the decision enforced"), text("obligation", "履行的义务", "the obligation"),
				text("amount_text", "金额", "amount"), text("perform_by", "履行期限", "by when"), text("how", "履行方式", "how"),
				num("statement_days", "陈述、申辩期限（日）", "days to state a defence"))),
			Required: withBasis(label(lawCoercion(35)), rParty, rNumber, req("enforcement.obligation", "履行义务", "the obligation", "", true),
				req("enforcement.perform_by", "履行义务的期限", "by when to perform it", "", true), req("enforcement.how", "履行义务的方式", "how to perform it", "", true),
				req("enforcement.amount_text", "涉及金钱给付的金额", "the amount of money", "", false),
				req("enforcement.statement_days", "当事人依法享有的陈述权和申辩权", "the right to state a defence", "", false), rAgency, rDate, rSeal),
			Sample: map[string]any{"enforcement": map[string]any{"decision_ref": "尤市监罚〔2026〕3号", "obligation": "缴纳罚款", "amount_text": "人民币伍仟元整（¥5,000.00）",
				"perform_by": "收到本催告书之日起十日内", "how": "到指定银行缴纳或者通过网上缴费", "statement_days": 3}},
		},
		{Type: TypeSurchargeDecision, Name: msg("加处罚款决定书", "decision on the late surcharge"), Series: "加罚", Kinds: []string{"surcharge_decision"}, Basis: label(lawPenalty(72), lawCoercion(45)),
			Fields: common(obj("surcharge", "加处罚款", "surcharge",
				text("decision_ref", "原决定书文号", "number of the decision"), text("principal_text", "罚款数额", "the fine"),
				text("rate", "加处标准", "rate"), text("from", "起算日期", "from"), text("amount_text", "加处罚款数额", "surcharge"),
				text("basis", "依据", "legal basis")), fRemedies),
			Required: withBasis(label(lawPenalty(72)), rParty, rNumber, req("surcharge.decision_ref", "原处罚决定", "the decision", "", true),
				req("surcharge.amount_text", "加处罚款数额（不超过罚款数额）", "the surcharge (at most the fine)", label(lawCoercion(45)), true),
				req("surcharge.basis", "加处罚款的依据", "the legal basis", "", true), rReconTo, rRecon, rCourt, rLit, rAgency, rDate, rSeal),
			Sample: map[string]any{"surcharge": map[string]any{"decision_ref": "尤市监罚〔2026〕3号", "principal_text": "人民币伍仟元整", "rate": "每日按罚款数额的百分之三",
				"from": "2026年2月6日", "amount_text": "人民币壹仟伍佰元整", "basis": legal(lawPenalty(72, 1, 1))}},
		},
		{Type: TypeDeliveryReceipt, Name: msg("送达回证", "proof of delivery"), Basis: label(rules.Art(rules.LawCivilProcedure, 87)) + "（参照）",
			Fields: common(list("served", "送达文书", "documents served", text("name", "文书名称", "name"), text("number", "文号", "number")),
				obj("delivery", "送达", "delivery", text("method", "送达方式", "method"), text("place", "送达地点", "place"), text("served_at", "送达时间", "served at"),
					text("recipient", "受送达人", "recipient"), text("server", "送达人", "server"), text("note", "备注", "note"))),
			Required: withBasis(label(lawPenalty(61)), req("served", "送达文书名称及文号", "the documents served", "", true),
				req("delivery.recipient", "受送达人", "the recipient", "", true), req("delivery.method", "送达方式", "the method", "", true),
				req("delivery.served_at", "送达时间", "the time", "", true), rAgency, rSeal),
			Sample: map[string]any{"served": []any{map[string]any{"name": "行政处罚决定书", "number": "尤市监罚〔2026〕3号"}},
				"delivery": map[string]any{"method": "直接送达", "place": "尤溪县城关镇水东路88号", "served_at": "2026年1月26日10时", "recipient": "王小明", "server": "张伟、李华"}},
		},
		{Type: TypeEDeliveryConsent, Name: msg("电子送达确认书", "consent to electronic delivery"), Basis: label(lawPenalty(61)),
			Fields: common(list("channels", "送达渠道及地址", "channels and addresses", text("channel", "渠道", "channel"), text("address", "地址", "address")),
				obj("consent", "确认", "consent", text("signed_on", "签署日期", "signed on"), text("scope", "适用范围", "scope"))),
			Required: withBasis(label(lawPenalty(61)), rParty, req("channels", "同意的送达方式及电子送达地址", "the channels and addresses consented to", "", true),
				req("consent.signed_on", "签署日期", "the date signed", "", true)),
			Sample: map[string]any{"channels": []any{map[string]any{"channel": "电子邮箱", "address": "wangxm@example.com"}, map[string]any{"channel": "执法平台收件箱", "address": "当事人门户"}},
				"consent": map[string]any{"signed_on": "2026年1月5日", "scope": "本案行政执法文书"}},
		},
		{Type: TypeClosingReport, Name: msg("结案报告", "case closing report"), Basis: label(lawPenalty(47)),
			Fields: common(obj("closing", "结案", "closing",
				text("summary", "案件概况", "summary"), text("result", "处理结果", "outcome"), text("execution", "执行情况", "enforcement"),
				text("opinion", "承办人意见", "officers' opinion"), text("approver", "负责人", "approving head"), text("approved_on", "审批日期", "approved on"))),
			Required: withBasis(label(lawPenalty(47)), req("case.code", "案件编码", "case code", "", true), rParty,
				req("closing.summary", "案件概况", "summary", "", true), req("closing.result", "处理结果", "outcome", "", true)),
			Sample: map[string]any{"closing": map[string]any{"summary": "当事人无照经营一案已依法作出行政处罚决定", "result": "罚款人民币伍仟元整", "execution": "当事人已于2026年2月1日缴清罚款",
				"opinion": "建议结案", "approver": "林志强", "approved_on": "2026年2月3日"}},
		},
		{Type: TypeCaseTransfer, Name: msg("案件移送书", "case transfer letter"), Series: "移", Kinds: []string{"case_transfer"}, Basis: label(lawPenalty(27)),
			Fields: common(obj("transfer", "移送", "transfer", text("to", "接收机关", "receiving authority"), text("reason", "移送理由", "reason"),
				text("basis", "移送依据", "legal basis")), list("materials", "移送材料", "materials", text("name", "材料名称", "name"), text("pages", "页数", "pages"))),
			Required: withBasis(label(lawPenalty(27)), rNumber, req("transfer.to", "接收机关", "the receiving authority", "", true),
				req("transfer.reason", "移送理由", "the reason", "", true), req("transfer.basis", "移送依据", "the legal basis", "", true), rAgency, rDate, rSeal),
			Sample: map[string]any{"transfer": map[string]any{"to": "尤溪县公安局", "reason": "当事人涉嫌生产、销售伪劣产品，涉案金额达到刑事立案追诉标准",
				"basis": legal(lawPenalty(27)) + "、《行政执法机关移送涉嫌犯罪案件的规定》"},
				"materials": []any{map[string]any{"name": "案件调查终结报告", "pages": "6"}, map[string]any{"name": "涉案物品清单", "pages": "2"}}},
		},
		{Type: TypeFreezeDecision, Name: msg("冻结决定书", "decision to freeze deposits"), Series: "冻", Kinds: []string{"freeze_decision"}, Basis: label(lawCoercion(31)),
			Fields: common(obj("measure", "冻结", "freeze",
				text("reason", "理由", "reason"), text("basis", "依据", "legal basis"), num("term_days", "期限（日）", "term in days"),
				text("from", "起始日期", "from"), text("to", "截止日期", "to"), text("bank", "金融机构", "bank"), text("account", "账号", "account"),
				text("amount_text", "冻结数额", "amount")), fRemedies),
			Required: withBasis(label(lawCoercion(31)), rParty, rNumber, req("measure.reason", "冻结的理由", "the reason", "", true),
				req("measure.basis", "冻结的依据", "the legal basis", "", true), req("measure.term_days", "冻结的期限", "the term", "", true),
				req("measure.account", "冻结的账号", "the account", "", true), req("measure.amount_text", "冻结的数额", "the amount", "", true),
				rReconTo, rRecon, rCourt, rLit, rAgency, rDate, rSeal),
			Sample: map[string]any{"measure": map[string]any{"reason": "当事人涉嫌转移违法所得", "basis": legal(lawCoercion(29)),
				"term_days": 30, "from": "2026年1月5日", "to": "2026年2月3日", "bank": "中国农业银行尤溪支行", "account": "13-8888 0101 0000 1234", "amount_text": "人民币叁万元整"}},
		},
		{Type: TypeMeasureExtension, Name: msg("延长查封（扣押）期限决定书", "decision to extend a measure's term"), Series: "延", Kinds: []string{"measure_extension"}, Basis: label(lawCoercion(25)),
			Fields: common(obj("measure", "行政强制措施", "coercive measure",
				text("kind_text", "措施", "measure"), text("original_ref", "原决定书文号", "number of the original decision"),
				text("reason", "延长理由", "reason"), num("extension_days", "延长期限（日）", "days extended"), text("to", "延长至", "extended to"),
				text("basis", "依据", "legal basis"))),
			Required: withBasis(label(lawCoercion(25)), rParty, rNumber, req("measure.original_ref", "原查封、扣押决定", "the original decision", "", true),
				req("measure.extension_days", "延长的期限（不超过三十日）", "the extension (at most 30 days)", "", true),
				req("measure.reason", "延长的理由", "the reason", "", true), rAgency, rDate, rSeal),
			Sample: map[string]any{"measure": map[string]any{"kind_text": "扣押", "original_ref": "尤市监强〔2026〕1号", "reason": "案情复杂，需进一步检验检测",
				"extension_days": 30, "to": "2026年3月5日", "basis": legal(lawCoercion(25, 1))}},
		},
		{Type: TypeMeasureRelease, Name: msg("解除查封（扣押）决定书", "decision to release a measure"), Series: "解", Kinds: []string{"measure_release"}, Basis: label(lawCoercion(28)),
			Fields: common(obj("measure", "行政强制措施", "coercive measure",
				text("kind_text", "措施", "measure"), text("original_ref", "原决定书文号", "number of the original decision"),
				text("reason", "解除理由", "reason"), text("basis", "依据", "legal basis")), fItems),
			Required: withBasis(label(lawCoercion(28)), rParty, rNumber, req("measure.original_ref", "原查封、扣押决定", "the original decision", "", true),
				req("measure.reason", "解除的理由", "the reason", "", true), req("items", "解除的财物清单", "the things released", "", true), rAgency, rDate, rSeal),
			Sample: map[string]any{"measure": map[string]any{"kind_text": "扣押", "original_ref": "尤市监强〔2026〕1号", "reason": "经检验，涉案物品符合食品安全标准",
				"basis": legal(lawCoercion(28, 1, 1))},
				"items": []any{map[string]any{"name": "散装白酒", "spec": "5升/桶", "quantity": "12桶", "note": "当场退还"}}},
		},
		{Type: TypeReconsiderationApplication, Name: msg("行政复议申请书", "application for administrative reconsideration"), Basis: label(lawReconsideration(22)),
			Fields: common(obj("application", "复议申请", "application",
				text("applicant", "申请人", "applicant"), text("applicant_id", "申请人身份证件号码或统一社会信用代码", "applicant's identity number or credit code"),
				text("applicant_address", "申请人住所（地址）", "applicant's address"), text("applicant_phone", "申请人联系电话", "applicant's phone"),
				text("respondent", "被申请人", "respondent body"), text("decision_title", "行政行为（决定书名称）", "the decision"),
				text("decision_number", "决定书文号", "number of the decision"), text("decision_date", "作出决定的日期", "date of the decision"),
				text("request", "行政复议请求", "the request"), text("facts_reasons", "事实和理由", "facts and reasons"),
				text("authority", "行政复议机关", "reconsideration body"), text("date_cn", "申请日期", "date of the application"))),
			Required: withBasis(label(lawReconsideration(22)), req("application.applicant", "申请人", "the applicant", "", true),
				req("application.respondent", "被申请人", "the respondent body", "", true),
				req("application.decision_number", "申请行政复议的行政行为（决定书文号）", "the decision applied against (its number)", "", true),
				req("application.request", "行政复议请求", "the request", "", true), req("application.facts_reasons", "事实和理由", "the facts and reasons", "", true),
				req("application.authority", "行政复议机关", "the reconsideration body", "", true), req("application.date_cn", "申请日期", "the date", "", true)),
			Sample: map[string]any{"application": map[string]any{"applicant": "王小明", "applicant_id": "350102198503120014",
				"applicant_address": "福建省尤溪县城关镇水东路88号", "applicant_phone": "13905981234", "respondent": "尤溪县市场监督管理局",
				"decision_title": "行政处罚决定书", "decision_number": "尤市监罚〔2026〕3号", "decision_date": "2026年1月20日",
				"request": "请求撤销被申请人作出的尤市监罚〔2026〕3号行政处罚决定", "facts_reasons": "申请人系初次经营，违法行为轻微并已及时改正，依法应当不予行政处罚。",
				"authority": "尤溪县人民政府", "date_cn": "2026年1月26日"}},
		},
		{Type: TypeFiscalReceipt, Name: msg("财政电子票据", "fiscal e-receipt"), Series: "票", Kinds: []string{"fiscal_receipt"},
			Basis: label(rules.Art(rules.LawFiscalReceipts, 6), lawPenalty(70)),
			Fields: common(obj("receipt", "票据", "receipt",
				text("payer", "交款人", "payer"), text("payer_code", "交款人统一社会信用代码或身份证件号码（脱敏）", "payer's code (masked)"),
				text("payee", "收款单位", "payee"), text("decision_number", "处罚决定书文号", "number of the penalty decision"),
				num("amount_fen", "金额合计（分）", "total in fen"), text("amount_text", "金额合计（小写）", "total in figures"),
				text("amount_cn", "金额合计（大写）", "total in Chinese capitals"), text("paid_at", "缴款时间", "paid at"),
				text("method", "缴款方式", "how paid"), text("reference", "支付流水号", "payment reference"),
				text("check_code", "校验码", "verification code"), flag("simulated", "模拟支付", "simulated payment")),
				list("lines", "收费项目", "items", text("name", "项目名称", "item"), text("standard", "标准", "standard"),
					num("amount_fen", "金额（分）", "amount in fen"), text("amount_text", "金额（元）", "amount in yuan"))),
			Required: withBasis(label(rules.Art(rules.LawFiscalReceipts, 6)), req("receipt.payer", "交款人", "the payer", "", true), rAgency,
				req("lines", "收费项目及金额", "the items and their amounts", "", true),
				req("receipt.amount_text", "金额合计（小写）", "the total in figures", "", true),
				req("receipt.amount_cn", "金额合计（大写）", "the total in Chinese capitals", "", true),
				req("receipt.check_code", "校验码", "the verification code", "", true), rNumber, rDate, rSeal),
			Sample: map[string]any{"receipt": map[string]any{"payer": "王小明", "payer_code": "350102********0014", "payee": "尤溪县市场监督管理局",
				"decision_number": "尤市监罚〔2026〕3号", "amount_fen": 515000, "amount_text": "5,150.00", "amount_cn": "伍仟壹佰伍拾元整",
				"paid_at": "2026年2月7日10时15分", "method": "网上缴款", "reference": "pi_3OkXYZ2eZvKYlo2C1abcdEFG", "check_code": "482913", "simulated": false},
				"lines": []any{map[string]any{"name": "罚款", "standard": "尤市监罚〔2026〕3号", "amount_fen": 500000, "amount_text": "5,000.00"},
					map[string]any{"name": "加处罚款", "standard": "每日按罚款数额的3%，1日", "amount_fen": 15000, "amount_text": "150.00"}}},
		},
	})
}

// withCommonSample lays each type's sample over the common one.
func withCommonSample(defs []*TypeInfo) []*TypeInfo {
	for _, ti := range defs {
		ti.Sample = merge(sampleCommon(ti), ti.Sample)
	}
	return defs
}

// sampleCommon is the sample data shared by every type, for validation and previews without a
// case. Its texts are distinct, so that a rendering can be checked for each required item.
func sampleCommon(ti *TypeInfo) map[string]any {
	number := ""
	if ti.Series != "" {
		number = "尤市监" + ti.Series + "〔2026〕12号"
	}
	return map[string]any{
		"doc": map[string]any{"id": "00000000-0000-7000-8000-000000000000", "type_name": ti.Name.ZH, "number": number,
			"date": "2026-01-26", "date_cn": "2026年1月26日", "verify_url": "https://zhifa.example.gov.cn/verify/00000000-0000-7000-8000-000000000000"},
		"body": map[string]any{"name": "尤溪县市场监督管理局", "code": "11350426MB0000000X", "address": "尤溪县城关镇紫阳大道28号",
			"phone": "0598-6322123", "contact": "张伟"},
		"case": map[string]any{"code": "ZF35042620260000017", "title": "涉嫌无照经营", "filed_on": "2026年1月3日", "source": "投诉举报"},
		"party": map[string]any{"kind": "person", "name": "王小明", "id_number": "350102198503120014", "uscc": "", "legal_rep": "",
			"address": "福建省尤溪县城关镇水东路88号", "phone": "13905981234"},
		"officers": []any{map[string]any{"name": "张伟", "certificate": "闽A35040001"}, map[string]any{"name": "李华", "certificate": "闽A35040002"}},
		"facts":    "经查，当事人自2025年10月起在尤溪县城关镇水东路88号从事预包装食品零售经营活动，至案发时未取得营业执照，违法经营额人民币12,600元。",
		"violated": "《无证无照经营查处办法》第二条",
		"evidence": []any{map[string]any{"name": "现场检查笔录", "kind": "勘验笔录、现场笔录", "date": "2026年1月4日", "detail": "当事人在经营场所从事经营活动"},
			map[string]any{"name": "询问笔录", "kind": "当事人的陈述", "date": "2026年1月5日", "detail": "当事人未办理营业执照的事实"}},
		"statements": []any{map[string]any{"summary": "当事人称系初次经营，请求从轻处罚", "adopted": "部分采纳"}},
		"penalty": map[string]any{"text": "罚款人民币伍仟元整", "kinds": []any{"罚款"}, "fine_fen": 500000, "fine_text": "伍仟元整",
			"basis": "《无证无照经营查处办法》第十三条", "discretion": "适用行政处罚裁量基准，情节为“违法经营额较小”，罚款幅度为人民币2,000.00元至10,000.00元"},
		"payment": map[string]any{"how": "到指定银行或者通过电子支付系统缴纳罚款", "deadline": "自收到本决定书之日起十五日内",
			"within_days": 15, "bank": "中国农业银行尤溪支行", "account": "13-8888 0101 0000 0000"},
		"remedies": map[string]any{"reconsideration_days": 60, "reconsideration_to": "尤溪县人民政府", "litigation_months": 6, "court": "尤溪县人民法院"},
	}
}

// merge returns base with over's keys laid over it, objects merged key by key.
func merge(base, over map[string]any) map[string]any {
	out := make(map[string]any, len(base)+len(over))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range over {
		if bm, ok := out[k].(map[string]any); ok {
			if om, ok := v.(map[string]any); ok {
				out[k] = merge(bm, om)
				continue
			}
		}
		out[k] = v
	}
	return out
}
