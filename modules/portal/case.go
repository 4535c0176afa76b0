package portal

import (
	"context"

	"github.com/uptrace/bun"

	"zhifa/modules/cases"
	"zhifa/modules/delivery"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// CaseReply is a claimed case as its party sees it, with what the party did in the portal.
type CaseReply struct {
	Case *cases.PartyView `json:"case"`
	// Consent is the e-delivery consent in force (signed in the portal or recorded by an
	// officer), or null.
	Consent         *delivery.Consent `json:"consent"`
	Evaluation      *Evaluation       `json:"evaluation"`
	Reconsideration *Application      `json:"reconsideration"`
	// PaymentsOn says whether paying online is available on this deployment.
	PaymentsOn bool   `json:"payments_on"`
	InboxURL   string `json:"inbox_url"`
}

// Case returns a case the citizen's account claimed, as its party sees it. Returns
// Unauthenticated, NotFound (not claimed by the account).
func (s *Service) Case(ctx context.Context, p *authz.Principal, caseID string) (*CaseReply, error) {
	sc, _, err := s.claimed(ctx, p, caseID)
	if err != nil {
		return nil, err
	}
	out := &CaseReply{PaymentsOn: s.payments != nil, InboxURL: InboxPath}
	err = tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if out.Case, err = s.cases.PartyCase(ctx, tx, sc, caseID); err != nil {
			return err
		}
		if out.Consent, err = s.consents.ActiveConsent(ctx, tx, sc, caseID); err != nil {
			return err
		}
		if out.Evaluation, err = findEvaluation(ctx, tx, sc, caseID); err != nil {
			return err
		}
		if out.Reconsideration, err = findApplication(ctx, tx, sc, caseID); err != nil {
			return err
		}
		if out.Reconsideration != nil {
			out.Reconsideration.settle(out.Case)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Document returns the signed PDF of a document of a claimed case (a decision served, a fiscal
// receipt, the party's reconsideration application). Returns Unauthenticated, NotFound (not
// claimed, or not a document of the case).
func (s *Service) Document(ctx context.Context, p *authz.Principal, caseID, documentID string) ([]byte, cases.DocumentFile, error) {
	sc, _, err := s.claimed(ctx, p, caseID)
	if err != nil {
		return nil, cases.DocumentFile{}, err
	}
	if !dbx.ValidID(documentID) {
		return nil, cases.DocumentFile{}, errs.ErrNotFound
	}
	return s.cases.PartyDocument(ctx, sc, caseID, documentID)
}
