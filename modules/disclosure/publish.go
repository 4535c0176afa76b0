package disclosure

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/uptrace/bun"

	"zhifa/modules/disclosure/disclosuretask"
	"zhifa/modules/disclosure/redact"
	"zhifa/modules/elements"
	"zhifa/modules/kernel/dbx"
	"zhifa/tenants"
)

// CategoryZH names the penalty types (行政处罚法 Art. 9) as the public pages print them.
var CategoryZH = map[string]string{"warning": "警告、通报批评", "fine": "罚款", "confiscation": "没收违法所得、没收非法财物",
	"licence_susp": "暂扣许可证件", "downgrade": "降低资质等级", "revocation": "吊销许可证件",
	"restriction": "限制开展生产经营活动、限制从业", "closure": "责令停产停业、责令关闭", "detention": "行政拘留"}

// Publish turns a decision (the payload of disclosure:publish) into its disclosure record in tx,
// acting under sc (the decision's tenant), once: a task already recorded (taskID) or a decision
// already recorded (its case and number) with the same public content changes nothing; the same
// decision with revised content republishes the record (updated) without moving its ends. The
// record is withheld when the law forbids publishing it (redact.Withheld), pending when the body
// requires the head's approval, published otherwise. body is the deciding body.
func (s *Service) Publish(ctx context.Context, tx bun.IDB, sc tenants.Scope, taskID string, body *elements.Body, p disclosuretask.PublishDecision) (*Record, error) {
	if taskID != "" {
		var done Record
		err := tenants.Own(sc, tx.NewSelect().Model(&done)).Where("dr.source_task = ?", taskID).Limit(1).Scan(ctx)
		if err == nil {
			return &done, nil
		}
		if !noRows(err) {
			return nil, err
		}
	}
	party := redact.Party{Kind: p.Party.Kind, Name: p.Party.Name, IDNumber: p.Party.IDNumber, USCC: p.Party.USCC, Phone: p.Party.Phone, Address: p.Party.Address}
	next := s.draft(sc, taskID, body, p, party, nil)
	var prev Record
	err := tenants.Own(sc, tx.NewSelect().Model(&prev)).Where("dr.case_id = ? AND dr.decision_number = ?", p.CaseID, p.DecisionNumber).Limit(1).Scan(ctx)
	if err == nil {
		return s.revise(ctx, tx, sc, &prev, next, p)
	}
	if !noRows(err) {
		return nil, err
	}
	var withhold bool
	if err := s.setting(ctx, tx, sc, body.ID, KeyWithholdWarningOnly, &withhold); err != nil {
		return nil, err
	}
	var approval bool
	if err := s.setting(ctx, tx, sc, body.ID, KeyRequireHeadApproval, &approval); err != nil {
		return nil, err
	}
	reason := redact.Withheld(redact.Decision{PartyKind: p.Party.Kind, BornOn: p.Party.BornOn, ActOn: p.ActOn, DecidedOn: p.DecidedOn,
		Types: p.Penalty.Types, WithholdWarnings: withhold || body.Sector == elements.SectorMarketRegulation})
	to, why := StatePublished, "处罚决定自动公示 / published automatically"
	switch {
	case reason != "":
		to, why = StateWithheld, withheldWhy[reason]
		next.WithheldReason = string(reason)
	case approval || (p.Party.Kind == string(redact.Person) && p.Party.BornOn == ""):
		// A person whose birth date is unknown (a payload written before it carried one) waits
		// for the head, who can see whether the party was a minor.
		to, why = StatePending, "待机关负责人批准公示 / awaiting the body head's approval"
	}
	if to == StatePublished {
		if err := s.stamp(ctx, tx, sc, next); err != nil {
			return nil, err
		}
	}
	next.State = to
	if _, err := tx.NewInsert().Model(next).Exec(ctx); err != nil {
		return nil, err
	}
	orig := &original{RecordID: next.ID, TenantID: next.TenantID, Facts: p.Facts, MaskedNames: []string{},
		Party: originalParty{Kind: p.Party.Kind, Name: p.Party.Name, IDNumber: p.Party.IDNumber, BornOn: p.Party.BornOn, USCC: p.Party.USCC, Phone: p.Party.Phone, Address: p.Party.Address}}
	if _, err := tx.NewInsert().Model(orig).Exec(ctx); err != nil {
		return nil, err
	}
	if err := s.event(ctx, tx, sc, next, StateNew, to, why, next.CreatedAt); err != nil {
		return nil, err
	}
	if to == StatePublished {
		if err := s.warnIfLate(ctx, tx, sc, next); err != nil {
			return nil, err
		}
	}
	return next, nil
}

// withheldWhy is the recorded reason of each withholding rule, with its source.
var withheldWhy = map[redact.Reason]string{
	redact.ReasonMinor:       "当事人违法时未满十八周岁，不予公开（行政处罚结果信息网上公开暂行办法第5条）/ the party was under 18 at the act: never published",
	redact.ReasonWarningOnly: "仅受警告，不予公示（总局令45号第2条）/ a warning only: not published under the sector's rule",
}

// draft is the record of a decision before it is stored: the public fields, redacted.
func (s *Service) draft(sc tenants.Scope, taskID string, body *elements.Body, p disclosuretask.PublishDecision, party redact.Party, masked []string) *Record {
	pub := redact.PublicParty(party)
	now := s.now()
	cats := slices.Clone(p.Penalty.Types)
	if cats == nil {
		cats = []string{}
	}
	return &Record{ID: dbx.NewID(), TenantID: sc.TenantID(), CaseID: p.CaseID, CaseCode: p.CaseCode, BodyID: body.ID, BodyName: body.Name, BodyUSCC: body.Code,
		DecisionNumber: p.DecisionNumber, PartyKind: string(pub.Kind), PartyName: pub.Name, PartyUSCC: pub.USCC,
		Facts: redact.Text(p.Facts, party, masked), Basis: redact.Text(p.Penalty.Basis, party, masked), Categories: cats,
		Content: content(p.Penalty), FineFen: p.Penalty.FineFen, ConfiscationFen: p.Penalty.ConfiscationFen,
		LicenceSuspended: slices.Contains(cats, "licence_susp"), LicenceRevoked: slices.Contains(cats, "revocation"),
		DecidedOn: p.DecidedOn, PublishBy: p.PublishBy, Version: 1, SourceTask: taskID, CreatedAt: now, UpdatedAt: now}
}

// stamp sets r's publication day (today) and the periods counted from it.
func (s *Service) stamp(ctx context.Context, tx bun.IDB, sc tenants.Scope, r *Record) error {
	r.PublishedOn = s.today()
	ps, err := s.periods(ctx, tx, sc, r.BodyID, r.Categories, r.DecidedOn, r.PublishedOn)
	if err != nil {
		return err
	}
	r.MinEndOn, r.EndsOn, r.CreditEndsOn = ps.MinEndOn, ps.EndsOn, ps.CreditEndsOn
	return nil
}

// revise replaces prev's public content with next's when it changed: a public record is
// republished (福建 Art. 21 ¶2: updated), a pending one waits with the new content; either keeps
// its publication day and ends. A record withheld or taken down stays as it is.
func (s *Service) revise(ctx context.Context, tx bun.IDB, sc tenants.Scope, prev, next *Record, p disclosuretask.PublishDecision) (*Record, error) {
	if !(prev.State.Public() || prev.State == StatePending) || samePublic(prev, next) {
		return prev, nil
	}
	prev.PartyKind, prev.PartyName, prev.PartyUSCC = next.PartyKind, next.PartyName, next.PartyUSCC
	prev.Facts, prev.Basis, prev.Categories, prev.Content = next.Facts, next.Basis, next.Categories, next.Content
	prev.FineFen, prev.ConfiscationFen = next.FineFen, next.ConfiscationFen
	prev.LicenceSuspended, prev.LicenceRevoked = next.LicenceSuspended, next.LicenceRevoked
	cols := []string{"party_kind", "party_name", "party_uscc", "facts", "basis", "categories", "content", "fine_fen", "confiscation_fen",
		"licence_suspended", "licence_revoked"}
	var err error
	if prev.State == StatePending {
		prev.Version++
		prev.UpdatedAt = s.now()
		_, err = tx.NewUpdate().Model(prev).Column(append(cols, "version", "updated_at")...).
			Where("dr.id = ? AND dr.tenant_id = ?", prev.ID, prev.TenantID).Exec(ctx)
	} else {
		err = s.move(ctx, tx, sc, prev, StateUpdated, "处罚决定变更，更新后重新公示 / the decision was revised and republished", cols...)
	}
	if err != nil {
		return nil, err
	}
	_, err = tx.NewUpdate().Model((*original)(nil)).Set("facts = ?", p.Facts).
		Where("record_id = ? AND tenant_id = ?", prev.ID, prev.TenantID).Exec(ctx)
	return prev, err
}

// samePublic reports whether two versions of a record publish the same content.
func samePublic(a, b *Record) bool {
	return a.PartyKind == b.PartyKind && a.PartyName == b.PartyName && a.PartyUSCC == b.PartyUSCC && a.Facts == b.Facts &&
		a.Basis == b.Basis && slices.Equal(a.Categories, b.Categories) && a.Content == b.Content && a.FineFen == b.FineFen &&
		a.ConfiscationFen == b.ConfiscationFen
}

// content is the penalty as the record states it (处罚内容): each type, with the amounts.
func content(p disclosuretask.Penalty) string {
	parts := make([]string, 0, len(p.Types))
	for _, t := range p.Types {
		name := CategoryZH[t]
		if name == "" {
			name = t
		}
		switch t {
		case "fine":
			name = fmt.Sprintf("罚款人民币%s元", yuan(p.FineFen))
		case "confiscation":
			if p.ConfiscationFen > 0 {
				name = fmt.Sprintf("没收违法所得人民币%s元", yuan(p.ConfiscationFen))
			}
		}
		parts = append(parts, name)
	}
	return strings.Join(parts, "；")
}

// yuan writes an amount in fen as yuan with two decimals.
func yuan(fen int64) string { return fmt.Sprintf("%d.%02d", fen/100, fen%100) }
