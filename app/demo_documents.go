package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/hibiken/asynq"
	"github.com/uptrace/bun"

	"zhifa/jobs"
	"zhifa/modules/cases"
	"zhifa/modules/delivery"
	"zhifa/modules/documents"
	"zhifa/modules/elements"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/portal"
	"zhifa/tenants"
)

// The demo's documents and their delivery at 尤溪县市场监督管理局: the body's document settings
// (number prefix, court, payment account), its admin's own penalty decision template, and a
// decided case whose party is the demo citizen, who signed a consent to delivery through the
// portal inbox and by e-mail and has received the decision both ways.

const (
	// DemoTemplateHeader is the wording the body admin's penalty decision template adds under the
	// masthead.
	DemoTemplateHeader = "尤溪县市场监管　依法行政　执法为民"
	// DemoCitizenEmail is the address the demo citizen consented to e-mail delivery at.
	DemoCitizenEmail = "citizen@demo.zhifa"
	// demoCitizenName is the demo citizen's name as a party.
	demoCitizenName = "王小明"
)

// demoBodySettings are the document settings of the demo body.
var demoBodySettings = map[string]any{
	documents.SettingNumberPrefix: "尤市监",
	cases.SettingCourt:            "尤溪县人民法院",
	cases.SettingPaymentBank:      "中国农业银行尤溪县支行",
	cases.SettingPaymentAccount:   "13-8888 0101 0426 0001",
	// the reconsideration body's mailbox, where one-click applications are sent (in the embedded
	// default without a mail server, written to the log)
	portal.SettingReconsiderationEmail: "xzfy@youxi.demo.zhifa",
}

// seedDocuments sets the demo body's document settings and publishes its admin's own penalty
// decision template, once.
func (m *modules) seedDocuments(ctx context.Context) error {
	t, err := m.a.Tenants.Store().Lookup(ctx, demoCounty)
	if err != nil {
		return err
	}
	body, err := m.elements.FindBodyByCode(ctx, seedScope(t), demoBodyUSCC)
	if err != nil {
		return fmt.Errorf("demo documents: body %s: %w", demoBodyUSCC, err)
	}
	current, err := m.a.Tenants.Settings(ctx, seedScope(t), body.ID)
	if err != nil {
		return err
	}
	for _, st := range current {
		v, ok := demoBodySettings[st.Key]
		if !ok || st.Source == "body:"+body.ID {
			continue
		}
		raw, _ := json.Marshal(v)
		if _, err := m.a.Tenants.Set(ctx, seedScope(t), st.Key, tenants.SetSetting{Value: raw, BodyID: body.ID}); err != nil {
			return fmt.Errorf("demo setting %s: %w", st.Key, err)
		}
	}
	admin := tenants.NewScope(t, demoID("youxi.admin@demo.zhifa"), []authz.Role{authz.BodyAdmin}, []string{body.ID})
	list, err := m.docs.Templates(ctx, admin, documents.TypePenaltyDecision, body.ID)
	if err != nil {
		return err
	}
	for _, tpl := range list.Templates {
		if tpl.Level == "body" && tpl.BodyID == body.ID {
			return nil // customised already (a draft left by the admin is the admin's)
		}
	}
	draft, err := m.docs.CopyTemplate(ctx, admin, documents.CopyInput{Type: documents.TypePenaltyDecision, BodyID: body.ID})
	if err != nil {
		return fmt.Errorf("demo template: copy: %w", err)
	}
	src := strings.Replace(draft.Source, `<hr class="red">`, `<p class="center small">`+DemoTemplateHeader+`</p>`+"\n"+`<hr class="red">`, 1)
	title, note := "行政处罚决定书（尤溪县市场监督管理局）", "本局版头：增加执法理念标语"
	if _, err := m.docs.SaveTemplate(ctx, admin, draft.ID, documents.TemplateInput{Title: &title, Source: &src, Note: &note}); err != nil {
		return fmt.Errorf("demo template: save: %w", err)
	}
	if _, err := m.docs.PublishTemplate(ctx, admin, draft.ID); err != nil {
		return fmt.Errorf("demo template: publish: %w", err)
	}
	return nil
}

// seedCitizenCase walks a case whose party is the demo citizen to its decision, with the
// citizen's consent to delivery through the portal inbox and by e-mail, and delivers the decision
// at once (in this process), unless the body has a case of the citizen already.
func (m *modules) seedCitizenCase(ctx context.Context) error {
	t, err := m.a.Tenants.Store().Lookup(ctx, demoCounty)
	if err != nil {
		return err
	}
	body, err := m.elements.FindBodyByCode(ctx, seedScope(t), demoBodyUSCC)
	if err != nil {
		return fmt.Errorf("demo citizen case: body %s: %w", demoBodyUSCC, err)
	}
	bodies := []string{body.ID}
	officer := tenants.NewScope(t, demoID("youxi.officer1@demo.zhifa"), []authz.Role{authz.Officer}, bodies)
	head := tenants.NewScope(t, demoID("youxi.head@demo.zhifa"), []authz.Role{authz.BodyHead}, bodies)
	if _, n, err := m.cases.List(ctx, head, cases.Filter{BodyID: body.ID, Q: demoCitizenName, Limit: 1}); err != nil || n > 0 {
		return err
	}
	var team []string
	for _, email := range []string{"youxi.officer1@demo.zhifa", "youxi.officer2@demo.zhifa"} {
		o, err := m.elements.FindOfficerByIdentity(ctx, seedScope(t), demoID(email))
		if err != nil {
			return fmt.Errorf("demo citizen case: officer %s: %w", email, err)
		}
		team = append(team, o.ID)
	}
	cal, err := m.rules.Calendar(ctx)
	if err != nil {
		return err
	}
	anchor, ok := demoAnchor(cal, m.a.Now())
	if !ok {
		return nil
	}
	since := dbx.IDTime(dbx.NewID()) // by the outbox's time: its rows' created_at is their ID's instant
	s := &demoSeeder{m: m, ctx: ctx, anchor: anchor}
	matter, _ := m.elements.FindMatterByCode(ctx, seedScope(t), "SC-FS-0001")
	stalls, err := m.elements.FindMatterByCode(ctx, seedScope(t), "SC-FS-0003")
	if err != nil {
		return fmt.Errorf("demo citizen case: matter SC-FS-0003: %w", err)
	}
	for _, c := range []demoCase{demoCitizenCase(officer, head, body.ID, team, matter, s.day), demoCitizenPayCase(officer, head, body.ID, stalls.ID, team, s.day)} {
		if err := s.run(c); err != nil {
			return err
		}
	}
	return m.deliverNow(ctx, since)
}

// demoCitizenCase is the case of the demo citizen: a shop selling drinks past their shelf life,
// decided yesterday, the citizen having consented to delivery by inbox and e-mail.
func demoCitizenCase(o, h tenants.Scope, bodyID string, team []string, matter *elements.Matter, day func(ago int) civil.Date) demoCase {
	matterID := ""
	if matter != nil {
		matterID = matter.ID
	}
	penalty := map[string]any{"types": []string{"warning", "fine"}, "fine_fen": 500000} // provisions: the matter's
	consent := delivery.ConsentInput{Channels: []delivery.Channel{delivery.ChannelInbox, delivery.ChannelEmail},
		Email: DemoCitizenEmail, CitizenID: demoID("citizen@demo.zhifa"), SignedOn: day(7)}
	return demoCase{name: "citizen", opener: o, openOn: 20,
		open: cases.NewCase{Kind: cases.KindGeneral, BodyID: bodyID, Title: "销售超过保质期的饮料", MatterID: matterID, OfficerIDs: team,
			Party: cases.Party{Kind: cases.PartyPerson, Name: demoCitizenName, IDNumber: withCheckDigit("35042619880315231"),
				Address: "福建省三明市尤溪县城关镇水东路88号", Phone: "13905981234"},
			Lead: &cases.Lead{Source: "complaint", Summary: "消费者投诉：在当事人经营的小卖部购买的饮料已超过保质期。"}, ActEndedOn: day(21)},
		steps: []demoStep{
			{sc: o, action: cases.ActVerify, ago: 19, body: map[string]any{"findings": "现场核实：货架上有超过保质期的饮料 12 瓶。"}},
			{sc: h, action: cases.ActFile, ago: 18, body: map[string]any{"opinion": "同意立案。"}},
			{sc: o, action: cases.ActInvestigate, ago: 16, body: map[string]any{"officer_ids": team, "location": demoLocation,
				"record": "现场检查：当事人经营的小卖部货架上有超过保质期的饮料 12 瓶，货值 36 元，当事人在场。"}},
			{sc: o, ago: 16, evidence: &demoEvidence{title: "现场照片（过期饮料）", kind: "record", file: "现场检查笔录.txt",
				text: "现场检查笔录\n检查地点：尤溪县城关镇水东路88号\n检查情况：超过保质期的饮料 12 瓶。\n执法人员：李明辉 张丽萍\n"}},
			{sc: o, action: cases.ActReport, ago: 10, body: map[string]any{"facts": "当事人在其经营的小卖部销售超过保质期的饮料 12 瓶，货值 36 元。",
				"evidence": "现场检查笔录、询问笔录、现场照片"}},
			{sc: o, action: cases.ActPropose, ago: 9, body: map[string]any{"penalty": penalty, "outside_reason": "本事项尚无适用的裁量基准，按法定最低额度拟处罚款。"}},
			{sc: o, action: cases.ActNotify, ago: 7, body: map[string]any{"method": "direct"}},
			{sc: o, consent: &consent, ago: 7},
			demoWaiver(o, 6, demoCitizenName),
			{sc: o, action: cases.ActWaiveHearing, ago: 6, body: map[string]any{"evidence_id": demoLastEvidence}},
			{sc: o, action: cases.ActWaiveStatement, ago: 6, body: map[string]any{"evidence_id": demoLastEvidence}},
			{sc: h, action: cases.ActDecide, ago: 1, body: map[string]any{"penalty": penalty,
				"facts":       "经查，当事人自2025年起在尤溪县城关镇水东路88号经营小卖部，于检查当日销售超过保质期的饮料 12 瓶，货值 36 元。",
				"payment_how": "到指定银行或者通过福建省非税收入电子缴款平台缴纳罚款"}},
		}}
}

// withCheckDigit completes 17 digits of a resident identity number with its check character.
func withCheckDigit(prefix string) string {
	for _, c := range "0123456789X" {
		if s := prefix + string(c); elements.ValidResidentID(s) {
			return s
		}
	}
	panic("no check character completes " + prefix)
}

// deliverNow runs, in this process, the delivery tasks written since since (the demo's), until
// none is left, and marks their outbox rows relayed: the demo's decision is in the citizen's inbox
// and its e-mail sent (or, in development without a mail server, written to the log) when the
// demo is seeded, worker or not. A task that fails stays in the outbox for the worker.
func (m *modules) deliverNow(ctx context.Context, since time.Time) error {
	sc := tenants.System("demo: deliver the demo's documents")
	for range 8 {
		var rows []jobs.OutboxRow
		err := tenants.RunInTx(ctx, m.a.DB, sc, func(ctx context.Context, tx bun.Tx) error {
			return tx.NewSelect().Model(&rows).Where("o.relayed_at IS NULL AND o.created_at >= ?", since).
				Where("o.task_type LIKE ?", "delivery:%").OrderExpr("o.created_at, o.id").Scan(ctx)
		})
		if err != nil || len(rows) == 0 {
			return err
		}
		done := 0
		for _, r := range rows {
			if err := m.a.Mux.ProcessTask(ctx, asynq.NewTask(r.TaskType, []byte(r.Payload))); err != nil {
				m.a.Log.Warn("demo delivery task failed; the worker retries it", "type", r.TaskType, "err", err.Error())
				continue
			}
			if err := tenants.RunInTx(ctx, m.a.DB, sc, func(ctx context.Context, tx bun.Tx) error {
				_, err := tx.NewUpdate().Model((*jobs.OutboxRow)(nil)).Set("relayed_at = ?", dbx.Stamp(m.a.Now())).Where("o.id = ?", r.ID).Exec(ctx)
				return err
			}); err != nil {
				return err
			}
			done++
		}
		if done == 0 {
			return nil
		}
	}
	return errs.E(errs.Internal, "演示送达任务未能完成", "the demo's delivery tasks did not settle")
}
