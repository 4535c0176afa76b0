package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"zhifa/modules/cases"
	"zhifa/modules/delivery"
	"zhifa/modules/elements"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

// The demo's cases at 尤溪县市场监督管理局, opened and moved through the case engine itself, so that
// their deadlines, record and hash chain are real: a fresh lead, a case under investigation with
// registered evidence and an uploaded record, a prior notice awaiting the party, a decision served
// and awaiting payment, an inspection and a seizure in force.

const (
	demoCounty   = "350426"
	demoBodyUSCC = "1135042609960308UA"
	// demoReach is how far past its last step a demo case's steps count (a payment period of 15
	// days, working-day periods of up to 7): the holiday notice of every year it reaches must be
	// loaded, or the engine refuses the step.
	demoReach = 30
	// demoSpan is how far before the anchor the oldest demo step lies.
	demoSpan = 40
)

// demoCaseActors are the scopes the demo's people act under at the body, as their sessions would.
type demoCaseActors struct {
	officer, officer2, head tenants.Scope
	team                    []string // the officer records of officer1 and officer2
}

// seedCases opens the demo cases unless the body already has cases (the demo is seeded at every
// start of the embedded platform, and officers' own cases must not be disturbed).
func (m *modules) seedCases(ctx context.Context) error {
	t, err := m.a.Tenants.Store().Lookup(ctx, demoCounty)
	if err != nil {
		return err
	}
	body, err := m.elements.FindBodyByCode(ctx, seedScope(t), demoBodyUSCC)
	if err != nil {
		return fmt.Errorf("demo cases: body %s: %w", demoBodyUSCC, err)
	}
	bodies := []string{body.ID}
	who := demoCaseActors{
		officer:  tenants.NewScope(t, demoID("youxi.officer1@demo.zhifa"), []authz.Role{authz.Officer}, bodies),
		officer2: tenants.NewScope(t, demoID("youxi.officer2@demo.zhifa"), []authz.Role{authz.Officer}, bodies),
		head:     tenants.NewScope(t, demoID("youxi.head@demo.zhifa"), []authz.Role{authz.BodyHead}, bodies),
	}
	if _, n, err := m.cases.List(ctx, who.head, cases.Filter{BodyID: body.ID, Limit: 1}); err != nil || n > 0 {
		return err
	}
	for _, email := range []string{"youxi.officer1@demo.zhifa", "youxi.officer2@demo.zhifa"} {
		o, err := m.elements.FindOfficerByIdentity(ctx, seedScope(t), demoID(email))
		if err != nil {
			return fmt.Errorf("demo cases: officer %s: %w", email, err)
		}
		who.team = append(who.team, o.ID)
	}
	cal, err := m.rules.Calendar(ctx)
	if err != nil {
		return err
	}
	anchor, ok := demoAnchor(cal, m.a.Now())
	if !ok {
		m.a.Log.Warn("demo cases skipped: no loaded holiday calendar covers their dates")
		return nil
	}
	matter := func(code string) string {
		mt, err := m.elements.FindMatterByCode(ctx, seedScope(t), code)
		if err != nil {
			return ""
		}
		return mt.ID
	}
	checking := matter("SC-FS-0002")  // 进货查验记录制度, with a discretion benchmark
	standards := matter("SC-FS-0001") // 不符合食品安全标准的食品, without one
	benchmark := ""
	if checking != "" {
		if bs, _, err := m.elements.Benchmarks(ctx, seedScope(t), elements.BenchmarkFilter{MatterID: checking}); err == nil && len(bs) > 0 {
			benchmark = bs[0].ID
		}
	}
	s := &demoSeeder{m: m, ctx: ctx, anchor: anchor}
	for _, c := range demoCaseList(who, body.ID, checking, standards, benchmark, s.day) {
		if err := s.run(c); err != nil {
			return err
		}
	}
	m.a.Log.Info("demo cases ready", "body", body.Name, "anchor", rules.FormatDate(anchor))
	return nil
}

// demoAnchor is the day the demo's latest steps happen: today, or, when the holiday notice of a
// year the steps would reach is not loaded (late in a year, before the next notice), the 1st of
// December of the last year that can be counted.
func demoAnchor(cal *rules.Calendar, now time.Time) (time.Time, bool) {
	anchor := rules.Day(now)
	for range 5 {
		reach := anchor.AddDate(0, 0, demoReach).Year()
		if cal.Known(reach) && cal.Known(anchor.AddDate(0, 0, -demoSpan).Year()) {
			return anchor, true
		}
		anchor = time.Date(reach-1, time.December, 1, 0, 0, 0, 0, rules.Location)
	}
	return time.Time{}, false
}

// demoCase is one demo case: how it opens and the steps it has been through.
type demoCase struct {
	name   string
	opener tenants.Scope
	open   cases.NewCase
	openOn int // days before the anchor
	steps  []demoStep
}

// demoStep is a step taken ago days before the anchor, by sc, with body (its "on" is set from ago).
type demoStep struct {
	sc     tenants.Scope
	action cases.Action
	ago    int
	body   map[string]any
	// evidence, when set, uploads a text file as evidence instead of taking an action.
	evidence *demoEvidence
	// consent, when set, records the party's consent to electronic delivery instead.
	consent *delivery.ConsentInput
}

type demoEvidence struct {
	title, kind, file, text string
}

// demoLastEvidence, as a step's body value, stands for the ID of the evidence the case's last
// evidence step uploaded (the party's signed waiver or written statement a step attaches).
const demoLastEvidence = "$last-evidence"

// demoWaiver is the party's signed waiver of its statement and of the hearing, uploaded ago days ago.
func demoWaiver(sc tenants.Scope, ago int, name string) demoStep {
	return demoStep{sc: sc, ago: ago, evidence: &demoEvidence{title: "当事人放弃陈述、申辩和听证权利的书面声明", kind: "documentary", file: "放弃声明.txt",
		text: "本人已收到行政处罚事先告知书，知悉享有陈述、申辩和要求听证的权利，现书面声明放弃上述权利。\n声明人：" + name + "\n"}}
}

type demoSeeder struct {
	m      *modules
	ctx    context.Context
	anchor time.Time
}

func (s *demoSeeder) day(ago int) civil.Date {
	return civil.Date(rules.FormatDate(s.anchor.AddDate(0, 0, -ago)))
}

// run opens c and takes its steps, each under its own idempotency key.
func (s *demoSeeder) run(c demoCase) error {
	in := c.open
	in.On = s.day(c.openOn)
	if in.Lead != nil {
		in.Lead.ReceivedOn = s.day(c.openOn + 1)
	}
	in.IdempotencyKey = "demo-" + demoID(c.name + "/open")[:18] + "-" + string(in.On)
	res, err := s.m.cases.Create(s.ctx, c.opener, in)
	if err != nil {
		return fmt.Errorf("demo case %s: open: %w", c.name, err)
	}
	id := res.Case.ID
	lastEvidence := ""
	for i, st := range c.steps {
		key := fmt.Sprintf("demo-%s-%d", id, i)
		if st.consent != nil {
			if _, err := s.m.delivery.RecordConsent(s.ctx, st.sc, id, *st.consent); err != nil {
				return fmt.Errorf("demo case %s: consent: %w", c.name, err)
			}
			continue
		}
		if e := st.evidence; e != nil {
			ev := cases.EvidenceInput{Title: e.title, Kind: e.kind}
			ev.On = s.day(st.ago)
			if _, err := s.m.cases.AddEvidence(s.ctx, st.sc, id, key, ev, e.file, strings.NewReader(e.text)); err != nil {
				return fmt.Errorf("demo case %s: evidence %s: %w", c.name, e.title, err)
			}
			evs, err := s.m.cases.Evidence(s.ctx, st.sc, id)
			if err != nil || len(evs) == 0 {
				return fmt.Errorf("demo case %s: evidence %s: %v", c.name, e.title, err)
			}
			lastEvidence = evs[len(evs)-1].ID
			continue
		}
		body := map[string]any{"on": s.day(st.ago)}
		for k, v := range st.body {
			if v == demoLastEvidence {
				v = lastEvidence
			}
			body[k] = v
		}
		if _, err := s.m.cases.Act(s.ctx, st.sc, id, st.action, key, body); err != nil {
			return fmt.Errorf("demo case %s: %s: %w", c.name, st.action, err)
		}
	}
	return nil
}

// demoLocation is a spot in 尤溪县城关镇, where the field steps happen.
var demoLocation = map[string]any{"lat": 26.1701, "lng": 118.1903, "accuracy_m": 15}

// demoCaseList lists the demo cases. The days are counted back from the anchor.
func demoCaseList(who demoCaseActors, bodyID, checking, standards, benchmark string, day func(ago int) civil.Date) []demoCase {
	o, o2, h, team := who.officer, who.officer2, who.head, who.team
	org := func(name, uscc string) cases.Party {
		return cases.Party{Kind: cases.PartyOrganisation, Name: name, USCC: uscc, Address: "福建省三明市尤溪县城关镇", Phone: "0598-6321234"}
	}
	// general opens a general-procedure case from a lead; the act ended actEnded days ago (0: not yet known).
	general := func(title, matter string, party cases.Party, source, summary string, actEnded int) cases.NewCase {
		in := cases.NewCase{Kind: cases.KindGeneral, BodyID: bodyID, Title: title, MatterID: matter, Party: party, OfficerIDs: team,
			Lead: &cases.Lead{Source: source, Summary: summary}}
		if actEnded > 0 {
			in.ActEndedOn = day(actEnded)
		}
		return in
	}
	// the provisions violated and the penalty's basis are the matter's defaults from the law database
	fine := func(yuan int64) map[string]any {
		return map[string]any{"types": []string{"fine"}, "fine_fen": yuan * 100}
	}
	propose := map[string]any{"penalty": fine(8000), "circumstance": "一般",
		"note": "涉及品种较少，经责令后仍未改正"}
	if benchmark != "" {
		propose["benchmark_id"] = benchmark
	} else {
		propose["outside_reason"] = "本事项尚无适用的裁量基准"
	}
	return []demoCase{
		{name: "lead", opener: o, openOn: 1,
			open: general("群众投诉：餐饮店使用超过保质期的食品原料", standards, org("尤溪县城关镇味香园餐饮店", "92350426MA2Y5C7D16"),
				"complaint", "12315 平台转来投诉：投诉人称在该店就餐时发现所用调味料已超过保质期，并提供照片。", 0)},

		{name: "investigating", opener: o, openOn: 14,
			open: general("未按规定查验并记录进货信息", checking, org("尤溪县惠民超市有限公司", "91350426MA2Y0A1B36"),
				"inspection", "日常监督检查发现该超市预包装食品进货查验记录缺失。", 16),
			steps: []demoStep{
				{sc: o, action: cases.ActVerify, ago: 13, body: map[string]any{"findings": "初步核实：近三个月进货查验记录缺失，涉及多个品种。"}},
				{sc: h, action: cases.ActFile, ago: 12, body: map[string]any{"opinion": "同意立案，由李明辉、张丽萍承办。"}},
				{sc: o, action: cases.ActInvestigate, ago: 10, body: map[string]any{"officer_ids": team, "location": demoLocation,
					"record": "现场检查：货架上 23 种预包装食品无进货查验记录，当事人负责人在场。"}},
				{sc: o2, ago: 10, evidence: &demoEvidence{title: "现场检查笔录", kind: "record", file: "现场检查笔录.txt",
					text: "现场检查笔录\n检查地点：尤溪县惠民超市有限公司经营场所\n检查情况：货架上 23 种预包装食品无进货查验记录。\n执法人员：李明辉 张丽萍\n"}},
				{sc: o, action: cases.ActPreserve, ago: 3, body: map[string]any{"officer_ids": team, "location": demoLocation,
					"record": "对无进货票据的预包装食品先行登记保存。", "items": "无进货票据的预包装食品 12 箱（清单见附件）"}},
			}},

		{name: "notified", opener: o, openOn: 25,
			open: general("未查验供货者许可证和食品合格证明文件", checking, org("尤溪县鑫源食品商行", "92350426MA8K6G2H94"),
				"complaint", "消费者举报该商行销售的散装食品无法提供合格证明。", 28),
			steps: []demoStep{
				{sc: o, action: cases.ActVerify, ago: 24, body: map[string]any{"findings": "举报属实，需立案调查。"}},
				{sc: h, action: cases.ActFile, ago: 23, body: map[string]any{"opinion": "同意立案。"}},
				{sc: o, action: cases.ActInvestigate, ago: 20, body: map[string]any{"officer_ids": team, "location": demoLocation,
					"record": "询问当事人，调取进货单据，当事人无法提供供货者许可证复印件。"}},
				{sc: o, action: cases.ActReport, ago: 8, body: map[string]any{"facts": "当事人采购散装食品未查验供货者许可证和食品合格证明文件，违法事实清楚。",
					"evidence": "现场检查笔录、询问笔录、进货单据"}},
				{sc: o, action: cases.ActPropose, ago: 5, body: propose},
				{sc: o, action: cases.ActNotify, ago: 2, body: map[string]any{"method": "direct", "hearing_right": true}},
			}},

		{name: "served", opener: o, openOn: 30,
			open: general("经营超过保质期的食品", standards,
				cases.Party{Kind: cases.PartyPerson, Name: "王建国", IDNumber: "350426199509232039", Address: "福建省三明市尤溪县城关镇水东路", Phone: "13905980321"},
				"inspection", "专项检查中发现当事人经营的便利店销售超过保质期的饮料。", 31),
			steps: []demoStep{
				{sc: o, action: cases.ActVerify, ago: 29, body: map[string]any{"findings": "现场发现超过保质期的饮料 36 瓶。"}},
				{sc: h, action: cases.ActFile, ago: 28, body: map[string]any{"opinion": "同意立案。"}},
				{sc: o, action: cases.ActInvestigate, ago: 26, body: map[string]any{"officer_ids": team, "location": demoLocation,
					"record": "现场检查并扣留超过保质期的饮料 36 瓶，制作现场笔录。"}},
				{sc: o, action: cases.ActReport, ago: 18, body: map[string]any{"facts": "当事人经营超过保质期的饮料 36 瓶，货值 108 元。"}},
				{sc: o, action: cases.ActPropose, ago: 16, body: map[string]any{"penalty": map[string]any{"types": []string{"warning", "fine"}, "fine_fen": 500000},
					"outside_reason": "本事项尚无适用的裁量基准，按法定最低额度拟处罚款。"}},
				{sc: o, action: cases.ActNotify, ago: 14, body: map[string]any{"method": "direct"}},
				{sc: o, ago: 13, evidence: &demoEvidence{title: "当事人放弃听证权利的书面声明", kind: "documentary", file: "放弃听证声明.txt",
					text: "本人已收到行政处罚事先告知书，知悉享有要求听证的权利，现书面声明放弃听证。\n声明人：王建国\n"}},
				{sc: o, action: cases.ActWaiveHearing, ago: 13, body: map[string]any{"evidence_id": demoLastEvidence}},
				{sc: o, ago: 12, evidence: &demoEvidence{title: "当事人陈述申辩书", kind: "statement", file: "陈述申辩书.txt",
					text: "陈述申辩书\n本人因疏忽未及时清理过期饮料，现已全部下架，请求从轻处罚。\n陈述人：王建国\n"}},
				{sc: o, action: cases.ActStatement, ago: 12, body: map[string]any{"summary": "当事人称系疏忽，已下架全部过期饮料，请求从轻处罚。", "adopted": false,
					"reason": "拟处罚款已为法定最低额度，无从轻的余地。", "evidence_id": demoLastEvidence}},
				{sc: h, action: cases.ActDecide, ago: 6, body: map[string]any{
					"penalty": map[string]any{"types": []string{"warning", "fine"}, "fine_fen": 500000},
					"facts":   "经查，当事人在其经营的便利店销售超过保质期的饮料 36 瓶，货值 108 元。"}},
				{sc: o2, action: cases.ActServe, ago: 4, body: map[string]any{"method": "direct", "receipt": "送达回证（当事人签收）", "location": demoLocation}},
			}},

		{name: "inspection", opener: o, openOn: 3,
			open: cases.NewCase{Kind: cases.KindInspection, BodyID: bodyID, Title: "食品经营者“双随机”监督检查",
				Party: org("尤溪县城关镇好邻居便利店", "91350426MA2XHQ7L5X"), OfficerIDs: team,
				Inspection: &cases.NewInspection{Basis: "random", Checklist: []string{"食品经营许可证", "进货查验记录", "食品贮存条件", "从业人员健康证明"}}},
			steps: []demoStep{
				{sc: o, action: cases.ActInspect, ago: 1, body: map[string]any{"officer_ids": team, "location": demoLocation,
					"record": "按检查表逐项检查：许可证在有效期内；进货查验记录基本完整；冷柜温度符合要求；两名从业人员健康证明过期。"}},
			}},

		{name: "seizure", opener: o, openOn: 4,
			open: cases.NewCase{Kind: cases.KindCoercion, BodyID: bodyID, Title: "扣押涉嫌超过保质期的食品原料",
				Party: org("尤溪县城关镇味香园餐饮店", "92350426MA2Y5C7D16"), OfficerIDs: team,
				Measure: &cases.NewMeasure{Type: cases.MeasureSeize, Items: "疑似超过保质期的调味料 8 箱", Reason: "有证据证明不符合食品安全标准，防止继续使用"}},
			steps: []demoStep{
				{sc: h, action: cases.ActApprove, ago: 4, body: map[string]any{"reason": "情况属实，批准扣押。"}},
				{sc: o, action: cases.ActTake, ago: 3, body: map[string]any{"officer_ids": team, "location": demoLocation,
					"record": "当场扣押调味料 8 箱，制作扣押决定书和清单，当场交付当事人。"}},
			}},
	}
}
