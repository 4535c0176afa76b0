package portal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"zhifa/modules/cases"
	"zhifa/modules/documents"
	"zhifa/modules/elements"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/money"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

// ApplicationStatus is where a reconsideration application stands in its sending.
type ApplicationStatus string

// The statuses of an application. Whether it was decided comes from the case's record (its
// remedies), not from here.
const (
	// AppWaiting: submitted, not sent: the reconsideration body has no mailbox set (or a mailbox
	// that is not an e-mail address). The periodic task sends it once one is set.
	AppWaiting ApplicationStatus = "waiting"
	AppQueued  ApplicationStatus = "queued" // submitted, the e-mail is being sent
	AppSent    ApplicationStatus = "sent"   // the reconsideration body's mail server accepted it
	AppFailed  ApplicationStatus = "failed" // the mail server refused it for good (e.g. no such mailbox)
)

// ApplicationText is what an application for reconsideration (行政复议申请书) says.
type ApplicationText struct {
	Applicant string `bun:"applicant,notnull" json:"applicant"`
	// ApplicantID is the party's identity number (masked: the case code identifies the party to
	// the reconsideration body) or its credit code. Not editable.
	ApplicantID      string `bun:"applicant_id,notnull" json:"applicant_id"`
	ApplicantAddress string `bun:"applicant_address,notnull" json:"applicant_address"`
	ApplicantPhone   string `bun:"applicant_phone,notnull" json:"applicant_phone"`
	Respondent       string `bun:"respondent,notnull" json:"respondent"`
	DecisionTitle    string `bun:"decision_title,notnull" json:"decision_title"`
	DecisionNumber   string `bun:"decision_number,notnull" json:"decision_number"`
	DecisionDate     string `bun:"decision_date,notnull" json:"decision_date"` // e.g. 2025年10月9日
	Request          string `bun:"request,notnull" json:"request"`
	FactsReasons     string `bun:"facts_reasons,notnull" json:"facts_reasons"`
	Authority        string `bun:"authority,notnull" json:"authority"` // the reconsideration body
}

// Application is a party's application for reconsideration of a case's decision, submitted in
// the portal (一键复议), with the state of its sending to the reconsideration body.
type Application struct {
	bun.BaseModel `bun:"table:portal_reconsiderations,alias:pr"`

	ID        string `bun:"id,pk" json:"id"`
	TenantID  string `bun:"tenant_id,notnull" json:"-"`
	CaseID    string `bun:"case_id,notnull" json:"case_id"`
	CaseCode  string `bun:"case_code,notnull" json:"case_code"`
	BodyID    string `bun:"body_id,notnull" json:"-"`
	AccountID string `bun:"account_id,notnull" json:"-"`
	ApplicationText
	AppliedOn  civil.Date        `bun:"applied_on,notnull" json:"applied_on"`
	DocumentID string            `bun:"document_id,notnull" json:"document_id"`
	Status     ApplicationStatus `bun:"status,notnull" json:"status"`
	Mailbox    string            `bun:"mailbox,notnull" json:"mailbox,omitempty"` // where it was sent
	Attempts   int               `bun:"attempts,notnull" json:"attempts"`
	MessageID  string            `bun:"message_id,notnull" json:"message_id,omitempty"`
	Reply      string            `bun:"reply,notnull" json:"reply,omitempty"` // the mail server's acceptance
	LastError  string            `bun:"last_error,notnull" json:"last_error,omitempty"`
	SentAt     *time.Time        `bun:"sent_at" json:"sent_at,omitempty"`
	CreatedAt  time.Time         `bun:"created_at,notnull" json:"submitted_at"`
	UpdatedAt  time.Time         `bun:"updated_at,notnull" json:"updated_at"`

	// Warning says why a waiting application has not been sent.
	Warning *errs.Msg `bun:"-" json:"warning,omitempty"`
	// Decision is the reconsideration on the case's record: pending (no outcome) or decided.
	Decision *cases.PartyRemedy `bun:"-" json:"decision,omitempty"`
	// PauseArticle cites why no late surcharge accrues while the reconsideration runs
	// (《行政处罚法》第72条第2款), as the page shows it.
	PauseArticle string `bun:"-" json:"pause_article"`
}

// settle fills the fields computed for display from the case as it stands.
func (a *Application) settle(pc *cases.PartyView) {
	a.PauseArticle = rules.RemedyPause.Screen()
	if a.Status == AppWaiting {
		a.Warning = &errs.Msg{ZH: "复议机关尚未设置接收申请的电子邮箱，申请已保存，尚未发送；设置后将自动发送。",
			EN: "The reconsideration body has no mailbox set: the application is saved but not sent yet; it is sent once one is set."}
	}
	for i := range pc.Remedies {
		if r := pc.Remedies[i]; r.Kind == "reconsideration" && (a.Decision == nil || r.From >= a.Decision.From) {
			a.Decision = &r
		}
	}
}

// RequestOption is a request the party may choose for its application.
type RequestOption struct {
	Kind  string   `json:"kind"` // revoke, change
	Title errs.Msg `json:"title"`
	Text  string   `json:"text"`
}

// Draft is an application pre-filled from the decision, for the party to edit, with whether
// the party may still apply and by when (行政复议法 Art. 20: 60 days).
type Draft struct {
	ApplicationText
	RequestOptions []RequestOption `json:"request_options"`
	Open           bool            `json:"open"`
	Due            civil.Date      `json:"due,omitempty"`
}

// ApplicationInput is the application as the party submits it.
type ApplicationInput struct {
	Applicant        string `json:"applicant"`
	ApplicantAddress string `json:"applicant_address"`
	ApplicantPhone   string `json:"applicant_phone"`
	Respondent       string `json:"respondent"`
	DecisionNumber   string `json:"decision_number"`
	Request          string `json:"request"`
	FactsReasons     string `json:"facts_reasons"`
	Authority        string `json:"authority"`
}

// Validate trims the fields and checks each is present (the address and phone may be empty)
// and within its length.
func (in *ApplicationInput) Validate() error {
	var f []errs.FieldError
	check := func(field string, v *string, required bool, max int) {
		*v = strings.TrimSpace(*v)
		if n := utf8.RuneCountInString(*v); (required && n == 0) || n > max {
			zh, en := fmt.Sprintf("不超过%d字", max), fmt.Sprintf("at most %d characters", max)
			if required {
				zh, en = "必填，"+zh, "required, "+en
			}
			f = append(f, errs.Field(field, zh, en))
		}
	}
	check("applicant", &in.Applicant, true, 100)
	check("applicant_address", &in.ApplicantAddress, false, 200)
	check("applicant_phone", &in.ApplicantPhone, false, 30)
	check("respondent", &in.Respondent, true, 100)
	check("decision_number", &in.DecisionNumber, true, 100)
	check("request", &in.Request, true, 1000)
	check("facts_reasons", &in.FactsReasons, true, 5000)
	check("authority", &in.Authority, true, 100)
	if len(f) > 0 {
		return errs.E(errs.Invalid, "行政复议申请书填写有误", "the application has invalid fields").WithFields(f...)
	}
	return nil
}

// draft pre-fills the application from the case's decision.
func draft(pc *cases.PartyView) *Draft {
	d := &Draft{Open: pc.Reconsider.Open, Due: pc.Reconsider.Due}
	dec := pc.Decision
	d.Applicant, d.Respondent, d.Authority = pc.PartyName, pc.BodyName, pc.Reconsider.Authority
	d.ApplicantAddress, d.ApplicantPhone = pc.PartyAddress, pc.PartyPhone
	d.ApplicantID = applicantID(pc)
	d.DecisionTitle = "行政处罚决定书"
	what := d.DecisionTitle
	if dec != nil {
		d.DecisionNumber = dec.Number
		if dec.On.Valid() {
			d.DecisionDate = dateCN(dec.On)
		}
		what = dec.Number + d.DecisionTitle
	}
	d.RequestOptions = []RequestOption{
		{Kind: "revoke", Title: errs.Msg{ZH: "撤销", EN: "revoke"}, Text: "请求依法撤销被申请人作出的" + what + "。"},
		{Kind: "change", Title: errs.Msg{ZH: "变更", EN: "change"}, Text: "请求依法变更被申请人作出的" + what + "，变更为：（请写明请求变更的内容）"},
	}
	d.Request = d.RequestOptions[0].Text
	d.FactsReasons = factsPrompt(pc)
	return d
}

// factsPrompt opens the facts and reasons with the decision; the party writes the rest.
func factsPrompt(pc *cases.PartyView) string {
	dec := pc.Decision
	if dec == nil {
		return "事实和理由如下：\n"
	}
	var what []string
	for i, t := range dec.Types {
		switch {
		case t == "fine" && dec.FineFen > 0:
			what = append(what, "罚款人民币"+money.Fen(dec.FineFen).Input()+"元")
		case i < len(dec.TypeTitles):
			what = append(what, dec.TypeTitles[i])
		}
	}
	s := "申请人不服被申请人"
	if dec.On.Valid() {
		s += "于" + dateCN(dec.On)
	}
	s += "作出的" + dec.Number + "行政处罚决定"
	if len(what) > 0 {
		s += "（" + strings.Join(what, "，") + "）"
	}
	return s + "。事实和理由如下：\n"
}

// applicantID is how the application identifies the party: an organisation's credit code, a
// person's identity number masked.
func applicantID(pc *cases.PartyView) string {
	if pc.PartyKind == "organisation" {
		return pc.PartyKey
	}
	if pc.PartyKey == "" {
		return ""
	}
	return elements.MaskResidentID(pc.PartyKey)
}

func dateCN(d civil.Date) string {
	t := d.Time()
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

// ReconsiderationDraft returns the application pre-filled from a claimed case's decision.
// Returns Unauthenticated, NotFound (not claimed), FailedPrecondition (no decision to apply
// against).
func (s *Service) ReconsiderationDraft(ctx context.Context, p *authz.Principal, caseID string) (*Draft, error) {
	sc, _, err := s.claimed(ctx, p, caseID)
	if err != nil {
		return nil, err
	}
	var out *Draft
	err = tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		pc, err := s.decidedCase(ctx, tx, sc, caseID)
		if err != nil {
			return err
		}
		out = draft(pc)
		return nil
	})
	return out, err
}

// decidedCase returns the party's view of a case that has a decision to apply against, inside
// tx; FailedPrecondition when it has none.
func (s *Service) decidedCase(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string) (*cases.PartyView, error) {
	pc, err := s.cases.PartyCase(ctx, tx, sc, caseID)
	if err != nil {
		return nil, err
	}
	if pc.Decision == nil {
		return nil, errs.E(errs.FailedPrecondition, "本案尚无行政处罚决定，无可申请复议的行政行为", "the case has no decision to apply against")
	}
	return pc, nil
}

// Apply submits the party's application for reconsideration of a claimed case's decision, in
// one transaction: the application, its PDF (a document of the case, type
// reconsideration_application), the entry EntryReconsiderationApplied on the case's record (from
// which day the late surcharge stops accruing, 行政处罚法 Art. 72; the case engine refuses it after
// the 60 days of 行政复议法 Art. 20), and, when the reconsideration body has a mailbox
// (portal.reconsideration_email), the task that e-mails the PDF there; without one the
// application waits, listed as not sent. Once per case. Returns Unauthenticated, NotFound (not
// claimed), Invalid, FailedPrecondition (no decision; the period has passed), Conflict (already
// applied).
func (s *Service) Apply(ctx context.Context, p *authz.Principal, caseID string, in ApplicationInput) (*Application, error) {
	sc, _, err := s.claimed(ctx, p, caseID)
	if err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	t, err := s.tenants.Lookup(ctx, sc.TenantID())
	if err != nil {
		return nil, err
	}
	if s.docs == nil {
		return nil, errs.E(errs.Unavailable, "暂无法生成行政复议申请书", "the application's document cannot be issued now")
	}
	var out *Application
	err = tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		pc, err := s.decidedCase(ctx, tx, sc, caseID)
		if err != nil {
			return err
		}
		if prev, err := findApplication(ctx, tx, sc, caseID); err != nil {
			return err
		} else if prev != nil {
			return appliedAlready()
		}
		d := draft(pc)
		if strings.TrimSpace(in.FactsReasons) == strings.TrimSpace(d.FactsReasons) {
			return errs.E(errs.Invalid, "请写明申请行政复议的事实和理由", "write the facts and reasons of the application").
				WithFields(errs.Field("facts_reasons", "请在预填内容后写明事实和理由", "add the facts and reasons after the pre-filled opening"))
		}
		now := s.now()
		a := &Application{ID: dbx.NewID(), TenantID: sc.TenantID(), CaseID: caseID, CaseCode: pc.Code, BodyID: pc.BodyID, AccountID: sc.Actor(),
			ApplicationText: ApplicationText{Applicant: in.Applicant, ApplicantID: d.ApplicantID, ApplicantAddress: in.ApplicantAddress,
				ApplicantPhone: in.ApplicantPhone, Respondent: in.Respondent, DecisionTitle: d.DecisionTitle, DecisionNumber: in.DecisionNumber,
				DecisionDate: d.DecisionDate, Request: in.Request, FactsReasons: in.FactsReasons, Authority: in.Authority},
			AppliedOn: civil.DateOf(now), Status: AppWaiting, CreatedAt: dbx.Stamp(now)}
		a.UpdatedAt = a.CreatedAt
		if err := s.cases.RecordPartyEntry(ctx, tx, sc, caseID, cases.PartyEntry{Kind: cases.EntryReconsiderationApplied, Ref: a.ID, On: a.AppliedOn, At: now,
			Data: map[string]any{"authority": a.Authority, "request": a.Request, "decision_number": a.DecisionNumber}}); err != nil {
			return err
		}
		doc, err := s.docs.Issue(ctx, tx, platformScope(t, sc.Actor()), documents.IssueRequest{CaseID: caseID,
			Type: documents.TypeReconsiderationApplication, Data: a.documentData(pc)})
		if err != nil {
			return err
		}
		a.DocumentID = doc.ID
		mailbox, err := s.mailbox(ctx, tx, sc, pc.BodyID)
		if err != nil {
			return err
		}
		if mailbox != "" {
			a.Status, a.Mailbox = AppQueued, mailbox
			if _, err := SendReconsideration.Enqueue(ctx, tx, sc, SendTask{ApplicationID: a.ID}); err != nil {
				return err
			}
		} else {
			s.log.WarnContext(ctx, "portal: reconsideration application waits: no mailbox set (portal.reconsideration_email)",
				"tenant", sc.TenantID(), "body", pc.BodyID, "application", a.ID)
		}
		if _, err := tx.NewInsert().Model(a).Exec(ctx); err != nil {
			if dbx.IsUniqueViolation(err) {
				return appliedAlready()
			}
			return err
		}
		a.settle(pc)
		out = a
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func appliedAlready() error {
	return errs.E(errs.Conflict, "本案已提交行政复议申请", "an application for reconsideration of this case was submitted already")
}

// documentData is the data of the application's document (its type's fields).
func (a *Application) documentData(pc *cases.PartyView) map[string]any {
	party := map[string]any{"kind": pc.PartyKind, "name": a.Applicant, "address": a.ApplicantAddress, "phone": a.ApplicantPhone}
	if pc.PartyKind == "organisation" {
		party["uscc"] = a.ApplicantID
	} else {
		party["id_number"] = a.ApplicantID
	}
	return map[string]any{
		"party": party,
		"application": map[string]any{"applicant": a.Applicant, "applicant_id": a.ApplicantID, "applicant_address": a.ApplicantAddress,
			"applicant_phone": a.ApplicantPhone, "respondent": a.Respondent, "decision_title": a.DecisionTitle,
			"decision_number": a.DecisionNumber, "decision_date": a.DecisionDate, "request": a.Request, "facts_reasons": a.FactsReasons,
			"authority": a.Authority, "date_cn": dateCN(a.AppliedOn)},
	}
}

// Reconsideration returns the application submitted for a claimed case with where it stands:
// submitted, sent (time and the server's reply), decided (from the case's remedies). Returns
// Unauthenticated, NotFound (not claimed, or no application).
func (s *Service) Reconsideration(ctx context.Context, p *authz.Principal, caseID string) (*Application, error) {
	sc, _, err := s.claimed(ctx, p, caseID)
	if err != nil {
		return nil, err
	}
	var out *Application
	err = tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		a, err := findApplication(ctx, tx, sc, caseID)
		if err != nil {
			return err
		}
		if a == nil {
			return errs.E(errs.NotFound, "本案没有行政复议申请", "no application for reconsideration of this case")
		}
		pc, err := s.cases.PartyCase(ctx, tx, sc, caseID)
		if err != nil {
			return err
		}
		a.settle(pc)
		out = a
		return nil
	})
	return out, err
}

// ApplicationPDF returns the signed PDF of a claimed case's application. Returns
// Unauthenticated, NotFound.
func (s *Service) ApplicationPDF(ctx context.Context, p *authz.Principal, caseID string) ([]byte, string, error) {
	sc, _, err := s.claimed(ctx, p, caseID)
	if err != nil {
		return nil, "", err
	}
	var a *Application
	err = tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		var err error
		a, err = findApplication(ctx, tx, sc, caseID)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	if a == nil {
		return nil, "", errs.E(errs.NotFound, "本案没有行政复议申请", "no application for reconsideration of this case")
	}
	t, err := s.tenants.Lookup(ctx, sc.TenantID())
	if err != nil {
		return nil, "", err
	}
	pdf, _, err := s.docs.PDF(ctx, platformScope(t, sc.Actor()), a.DocumentID)
	return pdf, a.fileName(), err
}

func (a *Application) fileName() string { return "行政复议申请书-" + a.CaseCode + ".pdf" }

// findApplication returns the case's application, or nil.
func findApplication(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string) (*Application, error) {
	a := new(Application)
	err := tenants.Own(sc, tx.NewSelect().Model(a)).Where("pr.case_id = ?", caseID).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return a, nil
}
