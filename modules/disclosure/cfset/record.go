package cfset

import (
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/money"
)

// Record is one 行政处罚 record of the current 双公示 field set (CF_*, OVERSIGHT.md §1.1): every
// one of its 30 fields, typed. The field each holds is named beside it and in Aliases. An empty
// string, a zero amount or a zero date is a field left empty.
type Record struct {
	PartyName          string     // CF_XDR_MC 行政相对人名称
	PartyKind          PartyKind  // CF_XDR_LB 行政相对人类别
	PartyUSCC          string     // CF_XDR_SHXYM 统一社会信用代码
	PartyBusinessRegNo string     // CF_XDR_GSZC 工商注册号
	PartyOrgCode       string     // CF_XDR_ZZJG 组织机构代码
	PartyTaxRegNo      string     // CF_XDR_SWDJ 税务登记号
	PartyInstitutionNo string     // CF_XDR_SYDW 事业单位证书号
	PartySocialOrgNo   string     // CF_XDR_SHZZ 社会组织登记证号
	LegalRep           string     // CF_FRDB 法定代表人
	LegalRepIDType     string     // CF_FR_ZJLX 法定代表人证件类型
	LegalRepIDNumber   string     // CF_FR_ZJHM 法定代表人证件号码: restricted, never public
	PartyIDType        string     // CF_XDR_ZJLX 证件类型 (自然人)
	PartyIDNumber      string     // CF_XDR_ZJHM 证件号码 (自然人): restricted, never public
	DecisionNumber     string     // CF_WSH 行政处罚决定书文号
	ViolationType      string     // CF_WFXW 违法行为类型
	Facts              string     // CF_SY 违法事实
	Basis              string     // CF_YJ 处罚依据
	Categories         []Category // CF_CFLB 处罚类别 (行政处罚法 Art. 9; one or more)
	Content            string     // CF_NR 处罚内容
	Fine               money.Fen  // CF_NR_FK 罚款金额, written in 万元
	Confiscated        money.Fen  // CF_NR_WFFF 没收违法所得、没收非法财物的金额, written in 万元
	LicenceSuspended   string     // CF_NR_ZKDX 暂扣或吊销证照名称及编号
	DecidedOn          civil.Date // CF_JDRQ 处罚决定日期
	ValidUntil         civil.Date // CF_YXQ 处罚有效期
	PublicUntil        civil.Date // CF_GSJZQ 公示截止期
	Agency             string     // CF_CFJG 处罚机关
	AgencyUSCC         string     // CF_CFJGDM 处罚机关统一社会信用代码
	Source             string     // CF_SJLY 数据来源单位
	SourceUSCC         string     // CF_SJLYDM 数据来源单位统一社会信用代码
	Remarks            string     // BZ 备注
}
