package identity

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hibiken/asynq"

	"zhifa/jobs"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/mailer"
	"zhifa/tenants"
)

// Invite e-mails a new staff account a Kratos recovery link and code, with which it sets its
// password. It is written in the transaction that creates the account; the payload holds no secret:
// the handler asks Kratos for the code when it sends.
var Invite = jobs.Task[InvitePayload]{Type: "identity:invite", Queue: jobs.QueueDefault}

// InvitePayload is whom to invite, at which tenant, on whose behalf (persisted in the outbox: the
// JSON names never change).
type InvitePayload struct {
	IdentityID string `json:"identity_id"`
	Email      string `json:"email"`
	Name       string `json:"name"`
	Tenant     string `json:"tenant"`
	InvitedBy  string `json:"invited_by"` // the identity that created the account
}

// DefaultInviteTTL is how long an invitation's recovery link and code are valid by default.
const DefaultInviteTTL = 72 * time.Hour

// DefaultPlatformName names the platform in invitations by default.
const DefaultPlatformName = "执法监督一体化平台"

// Tasks registers the identity module's task handlers on m.
func (s *Service) Tasks(m *jobs.Mux) {
	jobs.Handle(m, Invite, s.HandleInvite)
}

// HandleInvite sends the invitation: a recovery code from Kratos, e-mailed through the platform's
// mail server. An account that is gone or suspended meanwhile is not invited; without Kratos'
// admin API or a mail server nothing can be sent, and the task is not retried. A permanent
// refusal of the mail server is not retried either; anything else is.
func (s *Service) HandleInvite(ctx context.Context, sc tenants.Scope, p InvitePayload) error {
	if !s.kratos.Admin() || s.mailer == nil {
		return fmt.Errorf("identity: invite %s: no Kratos admin API or no mail server: %w", p.Email, asynq.SkipRetry)
	}
	var acc Account
	if err := s.db.NewSelect().Model(&acc).Where("identity_id = ?", p.IdentityID).Scan(ctx); err != nil {
		if errs.Is(dbx.NotFound(err), errs.NotFound) {
			return fmt.Errorf("identity: invite %s: no such account: %w", p.Email, asynq.SkipRetry)
		}
		return err
	}
	if acc.SuspendedAt != nil {
		return nil
	}
	tenant := p.Tenant
	if t, err := s.tenants.Lookup(ctx, p.Tenant); err == nil {
		tenant = t.Name
	}
	inviter := ""
	if names, err := s.names(ctx, s.db, []string{p.InvitedBy}); err == nil {
		inviter = names[p.InvitedBy]
	}
	rec, err := s.kratos.RecoveryCode(ctx, p.IdentityID, s.inviteTTL)
	if err != nil {
		return err
	}
	msg := s.invitation(p, inviter, tenant, rec)
	if _, err := s.mailer.Send(ctx, msg); err != nil {
		var se *mailer.SendError
		if errors.As(err, &se) && se.Permanent {
			return fmt.Errorf("identity: invite %s: %v: %w", p.Email, err, asynq.SkipRetry)
		}
		return err
	}
	return nil
}

// invitation is the e-mail of an invitation, in Chinese with English.
func (s *Service) invitation(p InvitePayload, inviter, tenant string, rec *Recovery) *mailer.Message {
	if inviter == "" {
		inviter = "平台运维"
	}
	until := civil.InChina(rec.ExpiresAt)
	var b strings.Builder
	fmt.Fprintf(&b, "%s，您好：\n\n", p.Name)
	fmt.Fprintf(&b, "%s邀请您使用%s（%s）。请打开以下链接，输入验证码，设置您的密码：\n\n", inviter, s.platform, tenant)
	fmt.Fprintf(&b, "链接：%s\n验证码：%s\n\n", rec.Link, rec.Code)
	fmt.Fprintf(&b, "链接和验证码在北京时间 %s 前有效，只能使用一次。如果您不认识邀请人，请忽略本邮件。\n\n", until.Format("2006年1月2日 15:04"))
	fmt.Fprintf(&b, "Hello %s,\n\n", p.Name)
	fmt.Fprintf(&b, "%s has invited you to %s (%s). Open the link below, enter the code and set your password:\n\n", inviter, s.platform, tenant)
	fmt.Fprintf(&b, "Link: %s\nCode: %s\n\n", rec.Link, rec.Code)
	fmt.Fprintf(&b, "The link and the code are valid until %s Beijing time (UTC+8), once only. If you do not know who invited you, ignore this message.\n\n",
		until.Format("2006-01-02 15:04"))
	b.WriteString("本邮件由系统自动发送。This message was sent automatically.\n")
	return &mailer.Message{To: p.Email, Subject: "邀请您使用" + s.platform + " / Invitation to " + s.platform, Text: b.String(),
		MessageID: "<" + dbx.NewID() + ".invite@" + mailer.Domain(s.from) + ">"}
}
