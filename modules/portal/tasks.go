package portal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/hibiken/asynq"
	"github.com/uptrace/bun"

	"zhifa/jobs"
	"zhifa/modules/cases"
	"zhifa/modules/delivery"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/dbx"
	"zhifa/tenants"
)

// The portal's tasks.
var (
	// SendReconsideration e-mails an application's PDF to the reconsideration body's mailbox and,
	// once its mail server accepts it, records EntryReconsiderationSent.
	SendReconsideration = jobs.Task[SendTask]{Type: "portal:send_reconsideration", Queue: jobs.QueueDefault}
	// SendWaiting is the periodic task that queues the applications waiting for a mailbox once
	// their reconsideration body has one.
	SendWaiting = jobs.Periodic{Type: "portal:send_waiting", Queue: jobs.QueueLow, Spec: "@every 10m",
		Reason: "portal: applications waiting for the reconsideration body's mailbox"}
)

// SendTask is the payload of portal:send_reconsideration.
type SendTask struct {
	ApplicationID string `json:"application_id"`
}

// Tasks registers the portal's task handlers on mux, its periodic task with them.
func (s *Service) Tasks(mux *jobs.Mux) {
	jobs.Handle(mux, SendReconsideration, s.HandleSendReconsideration)
	jobs.HandlePeriodic(mux, SendWaiting, s.HandleSendWaiting)
}

func skip(format string, args ...any) error {
	return fmt.Errorf("portal: "+format+": %w", append(args, asynq.SkipRetry)...)
}

// HandleSendReconsideration sends an application to the reconsideration body's mailbox, as the
// tenant's setting names it when the task runs. Sent or refused for good: nothing more to do.
// No mailbox (or no mail server): the application goes back to waiting. A temporary failure is
// returned for Asynq to retry; a permanent refusal (5xx) fails the application. The acceptance
// and the entry on the case's record (EntryReconsiderationSent, under the applicant's party
// scope) commit together; should that commit fail after the server accepted, the retry sends the
// message again with the same Message-ID (<application-id.reconsideration@sender-domain>), so
// that the copy is recognisable as a duplicate.
func (s *Service) HandleSendReconsideration(ctx context.Context, sc tenants.Scope, p SendTask) error {
	if !dbx.ValidID(p.ApplicationID) {
		return skip("%s: bad payload %+v", SendReconsideration.Type, p)
	}
	var a *Application
	send := false
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		a = new(Application)
		if err := tenants.Own(sc, tx.NewSelect().Model(a)).Where("pr.id = ?", p.ApplicationID).Scan(ctx); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return errGone
			}
			return err
		}
		if a.Status == AppSent || a.Status == AppFailed {
			return nil
		}
		mailbox, err := s.mailbox(ctx, tx, sc, a.BodyID)
		if err != nil {
			return err
		}
		q := tenants.Own(sc, tx.NewUpdate().Model((*Application)(nil))).Where("pr.id = ?", a.ID).Set("updated_at = ?", dbx.Stamp(s.now()))
		if mailbox == "" || s.mailer == nil {
			note := ""
			if s.mailer == nil {
				note = "no mail server is configured"
			}
			_, err := q.Set("status = ?", AppWaiting).Set("mailbox = ''").Set("last_error = ?", note).Exec(ctx)
			return err
		}
		a.Mailbox, a.Attempts = mailbox, a.Attempts+1
		send = true
		_, err = q.Set("status = ?", AppQueued).Set("mailbox = ?", mailbox).Set("attempts = ?", a.Attempts).Exec(ctx)
		return err
	})
	if err != nil {
		if errors.Is(err, errGone) {
			return skip("%s: no application %s", SendReconsideration.Type, p.ApplicationID)
		}
		return err
	}
	if !send {
		return nil
	}
	pdf, _, err := s.docs.PDF(ctx, sc, a.DocumentID)
	if err != nil {
		return fmt.Errorf("portal: the application's PDF: %w", err)
	}
	msg := s.message(a, pdf)
	rc, err := s.mailer.Send(ctx, msg)
	if err != nil {
		return s.sendFailed(ctx, sc, a, err)
	}
	t, err := s.tenants.Lookup(ctx, sc.TenantID())
	if err != nil {
		return err
	}
	psc := partyScope(t, a.AccountID)
	now := s.now()
	return tenants.RunInTx(ctx, s.db, psc, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tenants.Own(psc, tx.NewUpdate().Model((*Application)(nil))).Where("pr.id = ?", a.ID).
			Set("status = ?", AppSent).Set("sent_at = ?", now.UTC()).Set("reply = ?", rc.Reply).Set("message_id = ?", msg.MessageID).
			Set("last_error = ''").Set("updated_at = ?", dbx.Stamp(s.now())).Exec(ctx); err != nil {
			return err
		}
		return s.cases.RecordPartyEntry(ctx, tx, psc, a.CaseID, cases.PartyEntry{Kind: cases.EntryReconsiderationSent, Ref: a.ID, On: civil.DateOf(now), At: now,
			Data: map[string]any{"to": a.Mailbox, "reply": rc.Reply, "message_id": msg.MessageID, "document_id": a.DocumentID}})
	})
}

// errGone marks a task whose application does not exist (a bad task: not retried).
var errGone = errors.New("portal: no such application")

// sendFailed keeps the failure on the application: a permanent refusal fails it (not retried),
// anything else is returned for a retry.
func (s *Service) sendFailed(ctx context.Context, sc tenants.Scope, a *Application, sendErr error) error {
	var se *delivery.SendError
	permanent := errors.As(sendErr, &se) && se.Permanent
	status := AppQueued
	if permanent {
		status = AppFailed
	}
	if err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		_, err := tenants.Own(sc, tx.NewUpdate().Model((*Application)(nil))).Where("pr.id = ?", a.ID).
			Set("status = ?", status).Set("last_error = ?", sendErr.Error()).Set("updated_at = ?", dbx.Stamp(s.now())).Exec(ctx)
		return err
	}); err != nil {
		return err
	}
	s.log.WarnContext(ctx, "portal: sending a reconsideration application failed", "application", a.ID, "to", a.Mailbox,
		"permanent", permanent, "err", sendErr.Error())
	if permanent {
		return skip("%s: %v", SendReconsideration.Type, sendErr)
	}
	return sendErr
}

// message is the e-mail that carries an application to the reconsideration body.
func (s *Service) message(a *Application, pdf []byte) *delivery.Message {
	domain := "localhost"
	if i := strings.LastIndexByte(s.from, '@'); i >= 0 && i < len(s.from)-1 {
		domain = s.from[i+1:]
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s：\n\n", a.Authority)
	fmt.Fprintf(&b, "申请人%s通过执法监督一体化平台当事人门户（一键复议）对%s作出的%s（%s）提出行政复议申请，申请书见附件（PDF）。",
		a.Applicant, a.Respondent, a.DecisionTitle, a.DecisionNumber)
	if s.publicURL != "" {
		fmt.Fprintf(&b, "申请书已由平台电子签名，可访问 %s/verify/%s 核验其内容未被改动。", s.publicURL, a.DocumentID)
	}
	fmt.Fprintf(&b, "\n\n案件编码：%s\n申请日期：%s\n\n本邮件由系统自动发送。\n", a.CaseCode, dateCN(a.AppliedOn))
	return &delivery.Message{To: a.Mailbox, Subject: "行政复议申请书：" + a.Applicant + "（" + a.DecisionNumber + "）", Text: b.String(),
		MessageID: "<" + a.ID + ".reconsideration@" + domain + ">", FileName: a.fileName(), PDF: pdf}
}

// maxWaitingScan bounds one run of the waiting scan; the next run takes the rest.
const maxWaitingScan = 500

// HandleSendWaiting queues the applications waiting for a mailbox whose reconsideration body
// now has one (one task each, the status changed in the same transaction, so a later run does
// not queue them again). Without a mail server it does nothing.
func (s *Service) HandleSendWaiting(ctx context.Context, sc tenants.Scope) error {
	if s.mailer == nil {
		return nil
	}
	var waiting []Application
	if err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		return tenants.Own(sc, tx.NewSelect().Model(&waiting)).Column("id", "tenant_id", "body_id", "account_id").
			Where("pr.status = ?", AppWaiting).OrderExpr("pr.created_at").Limit(maxWaitingScan).Scan(ctx)
	}); err != nil {
		return err
	}
	for _, a := range waiting {
		t, err := s.tenants.Lookup(ctx, a.TenantID)
		if err != nil {
			return err
		}
		psc := partyScope(t, a.AccountID)
		if err := tenants.RunInTx(ctx, s.db, psc, func(ctx context.Context, tx bun.Tx) error {
			mailbox, err := s.mailbox(ctx, tx, psc, a.BodyID)
			if err != nil || mailbox == "" {
				return err
			}
			res, err := tenants.Own(psc, tx.NewUpdate().Model((*Application)(nil))).Where("pr.id = ? AND pr.status = ?", a.ID, AppWaiting).
				Set("status = ?", AppQueued).Set("updated_at = ?", dbx.Stamp(s.now())).Exec(ctx)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return nil
			}
			_, err = SendReconsideration.Enqueue(ctx, tx, psc, SendTask{ApplicationID: a.ID})
			return err
		}); err != nil {
			return err
		}
	}
	return nil
}
