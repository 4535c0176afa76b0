package app

import (
	"zhifa/modules/cases"
	"zhifa/modules/kernel/civil"
	"zhifa/tenants"
)

// demoCitizenPayCase is the demo citizen's second case, for the portal: an unlicensed food stall,
// decided three days ago with a fine of ¥2,000 and the decision handed over in person the same
// day, with no consent to electronic delivery yet. In the portal the citizen opens its code,
// proves to be the party, consents to e-delivery, pays (simulated in the embedded default),
// receives and downloads the fiscal e-receipt and evaluates the enforcement; the first citizen
// case (delivered through the inbox) is the one to apply for reconsideration of.
func demoCitizenPayCase(o, h tenants.Scope, bodyID, matterID string, team []string, day func(ago int) civil.Date) demoCase {
	penalty := map[string]any{"types": []string{"fine"}, "fine_fen": 200000} // provisions: the matter's
	return demoCase{name: "citizen-pay", opener: o, openOn: 24,
		open: cases.NewCase{Kind: cases.KindGeneral, BodyID: bodyID, Title: "未经登记从事食品摊贩经营", MatterID: matterID, OfficerIDs: team,
			Party: cases.Party{Kind: cases.PartyPerson, Name: demoCitizenName, IDNumber: withCheckDigit("35042619880315231"),
				Address: "福建省三明市尤溪县城关镇水东路88号", Phone: "13905981234"},
			Lead: &cases.Lead{Source: "inspection", Summary: "日常巡查发现当事人在城关镇紫阳路口未经登记经营早餐摊点。"}, ActEndedOn: day(25)},
		steps: []demoStep{
			{sc: o, action: cases.ActVerify, ago: 23, body: map[string]any{"findings": "现场核实：当事人未取得食品摊贩登记卡。"}},
			{sc: h, action: cases.ActFile, ago: 22, body: map[string]any{"opinion": "同意立案。"}},
			{sc: o, action: cases.ActInvestigate, ago: 21, body: map[string]any{"officer_ids": team, "location": demoLocation,
				"record": "现场检查：当事人在紫阳路口经营早餐摊点，未能出示食品摊贩登记卡。"}},
			{sc: o, action: cases.ActReport, ago: 14, body: map[string]any{"facts": "当事人未经登记在城关镇紫阳路口从事食品摊贩经营。",
				"evidence": "现场检查笔录、询问笔录、现场照片"}},
			{sc: o, action: cases.ActPropose, ago: 13, body: map[string]any{"penalty": penalty, "outside_reason": "本事项尚无适用的裁量基准，按法定幅度的下限拟处罚款。"}},
			{sc: o, action: cases.ActNotify, ago: 12, body: map[string]any{"method": "direct"}},
			demoWaiver(o, 11, demoCitizenName),
			{sc: o, action: cases.ActWaiveHearing, ago: 11, body: map[string]any{"evidence_id": demoLastEvidence}},
			{sc: o, action: cases.ActWaiveStatement, ago: 11, body: map[string]any{"evidence_id": demoLastEvidence}},
			{sc: h, action: cases.ActDecide, ago: 3, body: map[string]any{"penalty": penalty,
				"facts":       "经查，当事人未经登记，自本年起在尤溪县城关镇紫阳路口从事早餐食品摊贩经营。",
				"payment_how": "通过当事人门户在线缴纳或者到指定银行缴纳罚款"}},
			{sc: o, action: cases.ActServe, ago: 3, body: map[string]any{"method": "direct", "receipt": "送达回证（当事人签收）"}},
		}}
}
