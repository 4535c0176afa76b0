package cases

import (
	"context"
	"fmt"

	"github.com/hibiken/asynq"
	"github.com/uptrace/bun"

	"zhifa/jobs"
	"zhifa/modules/documents"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

// How a document reaches the party (送达) by the rules of the Civil Procedure Law that 行政处罚法
// Art. 61 applies: handed over (直接送达, Art. 88), left at the address before witnesses or on
// camera (留置送达, Art. 89), by post on the date of the return receipt (邮寄送达, Art. 91),
// electronically with consent on arrival (Art. 90), and, as the last resort, by public notice
// (公告送达, Art. 95): when the party's whereabouts are unknown or the other methods failed, served
// when 30 days have passed since publication. The day of publication is not counted, and the
// document is served on the 30th day after it (rules.ServicePublicNotice, the count the delivery
// module's notices use too): the party's periods (payment, remedies, statement, hearing) run from
// that day, each with its own end-day shift; the day of service itself is not shifted, for it is
// no period within which anyone must act. Until then the case shows the notice period
// (公告期间) among its deadlines, and the periodic cases:serve_notices serves the document the day
// after, as a platform entry (notice_served), once.

// ActNoticeServed is the platform's entry of a document served by its public notice, the notice
// period having passed (公告期满视为送达). It is never taken through the API.
const ActNoticeServed Action = "notice_served"

// ServeNotices is the periodic task that serves the documents whose public notice period has
// passed.
var ServeNotices = jobs.Periodic{Type: "cases:serve_notices", Queue: jobs.QueueLow, Spec: "@every 1h",
	Reason: "cases: documents whose public notice period passed"}

var rulePublicNotice = catalogueRef(rules.ServicePublicNotice)

// noticeSteps defines the platform's entry of service by public notice.
func noticeSteps() []*actionDef {
	var s steps
	s.define(&actionDef{Action: ActNoticeServed, Title: msg("公告期满视为送达", "served by public notice"), Rule: rulePublicNotice})
	return s
}

// noticeInput is what the entry of a notice served records: the notice.
type noticeInput struct {
	Common
	Notice PublicNotice `json:"notice"`
}

// Validate accepts the notice as the case recorded it.
func (in *noticeInput) Validate() error { return nil }

// pendingNotice returns the pending public notice of the case's document of kind, or nil.
func (f *Facts) pendingNotice(kind string) *PublicNotice {
	for i := range f.PublicNotices {
		if n := &f.PublicNotices[i]; n.Document == kind && n.pending() {
			return n
		}
	}
	return nil
}

// noticeDue is the earliest day a pending public notice serves its document, or nil.
func (f *Facts) noticeDue() *civil.Date {
	var best *civil.Date
	for _, n := range f.PublicNotices {
		if n.pending() && (best == nil || n.ServedOn.Before(*best)) {
			d := n.ServedOn
			best = &d
		}
	}
	return best
}

// settleNotices ends the pending public notices of the document of kind once it is served: served
// by them (method public_notice), or closed because it reached the party otherwise first.
func (f *Facts) settleNotices(kind, method string) {
	for i := range f.PublicNotices {
		if n := &f.PublicNotices[i]; n.Document == kind && n.pending() {
			n.Served, n.Closed = method == "public_notice", method != "public_notice"
		}
	}
}

// serviceOf checks what the service of a document of kind issued on issued records for its
// method, and returns the day it was served: the step's day; by post, the date on the return
// receipt (Art. 91). By public notice it returns the notice instead, whose period serves it later.
// Returns Invalid (a day outside the document's life, evidence not of the case),
// FailedPrecondition (a public notice without its ground, 民事诉讼法 Art. 95), Conflict (a public
// notice of the document runs already).
func (a *act) serviceOf(kind, method string, s *Served, issued civil.Date) (civil.Date, *PublicNotice, error) {
	for i, id := range s.EvidenceIDs {
		if _, err := a.attached(fmt.Sprintf("evidence_ids[%d]", i), id); err != nil {
			return "", nil, err
		}
	}
	switch method {
	case "post":
		if err := a.between("receipt_on", s.ReceiptOn, issued); err != nil {
			return "", nil, err
		}
		return s.ReceiptOn, nil, nil
	case "public_notice":
		pn, err := a.publicNotice(kind, s.PublicNotice, issued)
		return "", pn, err
	}
	return a.on, nil, nil
}

// between refuses a day of a document's service before the document was issued or after the step.
func (a *act) between(field string, d, issued civil.Date) error {
	switch {
	case d.Before(issued):
		return errs.E(errs.Invalid, fmt.Sprintf("不能早于文书作出之日（%s）", issued), fmt.Sprintf("cannot be before the document was made (%s)", issued)).
			WithFields(errs.Field(field, "早于文书作出之日", "before the document was made"))
	case d.After(a.on):
		return errs.E(errs.Invalid, "不能晚于本步骤之日", "cannot be after the day of the step").
			WithFields(errs.Field(field, "晚于本步骤之日", "after the step"))
	}
	return nil
}

// publicNotice checks a public notice of the document of kind (民事诉讼法 Art. 95) and returns it
// with the day it serves the document.
func (a *act) publicNotice(kind string, in *PublicNoticeInput, issued civil.Date) (*PublicNotice, error) {
	f := a.facts()
	if p := f.pendingNotice(kind); p != nil {
		return nil, errs.E(errs.Conflict, fmt.Sprintf("该文书已于 %s 公告，%s 期满视为送达", p.PublishedOn, p.ServedOn),
			fmt.Sprintf("the document was published on %s and is served on %s", p.PublishedOn, p.ServedOn))
	}
	if in.Reason == "other_methods_failed" && len(in.Attempts) == 0 {
		return nil, refuse(rulePublicNotice, "公告送达是最后的送达方式：以其他方式无法送达的，须记录此前以其他方式送达未成功的经过（或写明受送达人下落不明）",
			"a public notice is the last resort: record the failed attempts by other methods first (or that the party's whereabouts are unknown)").
			WithFields(errs.Field("public_notice.attempts", "须至少记录一次未成功的送达", "record at least one failed attempt"))
	}
	if err := a.between("public_notice.published_on", in.PublishedOn, issued); err != nil {
		return nil, err
	}
	attempts := make([]Attempt, 0, len(in.Attempts))
	for i, at := range in.Attempts {
		if at.On.Before(issued) {
			return nil, errs.E(errs.Invalid, "送达尝试不能早于文书作出之日", "an attempt cannot be before the document was made").
				WithFields(errs.Field(fmt.Sprintf("public_notice.attempts[%d].on", i), "早于文书作出之日", "before the document was made"))
		}
		attempts = append(attempts, Attempt(at))
	}
	d, err := a.dueOn(rules.ServicePublicNotice, in.PublishedOn)
	if err != nil {
		return nil, err
	}
	pn := &PublicNotice{Document: kind, Reason: in.Reason, Attempts: attempts, PublishedOn: in.PublishedOn, Place: in.Place, ServedOn: day(d.Due)}
	a.record("public_notice_serves_on", pn.ServedOn)
	return pn, nil
}

// HandleServeNotices serves the documents whose public notice period passed before today (the
// document is served on the 30th day after publication, and the task marks it from the next day
// on): per case one notice_served entry under the tenant operator's scope, which serves the
// document as the serve step would unless it reached the party otherwise first. A retried or
// concurrent run finds the notice settled and adds nothing. It runs under a system scope.
func (s *Service) HandleServeNotices(ctx context.Context, sc tenants.Scope) error {
	if !sc.IsSystem() {
		return fmt.Errorf("cases: %s needs a system scope: %w", ServeNotices.Type, asynq.SkipRetry)
	}
	today := civil.DateOf(s.now())
	var rows []overdueRow
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		return tx.NewSelect().Model(&rows).Column("c.id", "c.tenant_id").
			Where("c.notice_due_on IS NOT NULL AND c.notice_due_on < ?", today).
			OrderExpr("c.tenant_id, c.notice_due_on").Limit(scanBatch).Scan(ctx)
	})
	if err != nil {
		return err
	}
	return s.perTenant(ctx, ServeNotices.Type, rows, func(ctx context.Context, tx bun.Tx, sc tenants.Scope, r overdueRow) error {
		return s.enter(ctx, tx, sc, r.ID, func(ctx context.Context, c *Case) (*act, error) { return s.noticeServed(ctx, tx, sc, c, today) })
	})
}

// noticeServed starts the entry of c's earliest public notice whose period passed before today,
// or returns nil when none did.
func (s *Service) noticeServed(ctx context.Context, tx bun.IDB, sc tenants.Scope, c *Case, today civil.Date) (*act, error) {
	f := &c.Facts
	var pn *PublicNotice
	for i := range f.PublicNotices {
		if n := &f.PublicNotices[i]; n.pending() && n.ServedOn.Before(today) && (pn == nil || n.ServedOn.Before(pn.ServedOn)) {
			pn = n
		}
	}
	if pn == nil {
		return nil, nil
	}
	// served when the 30th day has passed: at its end, as the delivery module deems its notices
	at := pn.ServedOn.Time().AddDate(0, 0, 1)
	a := s.entry(ctx, tx, sc, c, ActNoticeServed, &noticeInput{Notice: *pn}, pn.ServedOn, at)
	a.record("published_on", pn.PublishedOn)
	ref := f.documentByID(pn.DocumentID)
	if ref == nil {
		ref = f.document(pn.Document)
	}
	if ref != nil {
		a.record("document_id", ref.ID)
		if ref.ServedOn != "" {
			f.settleNotices(pn.Document, ref.ServedBy)
			a.record("already_served_on", ref.ServedOn)
			return a, nil
		}
	}
	return a, a.serveDocument(pn.Document, ref, "public_notice", "public_notice", pn.PublishedOn)
}

// noticeDeadlines are the notice periods (公告期间) of the case's pending public notices: each
// waits until the day it serves its document.
func (a *act) noticeDeadlines(add addFunc) error {
	for _, n := range a.facts().PublicNotices {
		if !n.pending() {
			continue
		}
		name := documents.Type(n.Document).Name()
		if err := add(rules.ServicePublicNotice, n.PublishedOn, "", "", func(d *Deadline) {
			d.Adjusted = &errs.Msg{ZH: fmt.Sprintf("公告期间：%s于 %s 在%s公告，至 %s 期满视为送达", name, n.PublishedOn, n.Place, n.ServedOn),
				EN: fmt.Sprintf("notice period: the %s was published on %s (%s) and is served when it ends on %s", n.Document, n.PublishedOn, n.Place, n.ServedOn)}
		}); err != nil {
			return err
		}
	}
	return nil
}
