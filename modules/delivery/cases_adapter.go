package delivery

import (
	"context"

	"github.com/uptrace/bun"

	"zhifa/modules/cases"
	"zhifa/tenants"
)

// The translations between delivery and the case engine's read models: the engine's party as
// delivery's Party, and delivery's consent records as the engine's consent port
// (cases.ConsentSource).

var _ cases.ConsentSource = (*Service)(nil)

// partyOf is the case engine's record of the party as delivery keeps it.
func partyOf(p cases.Party) Party {
	return Party{Kind: string(p.Kind), Name: p.Name, IDNumber: p.IDNumber, USCC: p.USCC, Phone: p.Phone, Address: p.Address,
		EDeliveryConsent: p.EDeliveryConsent}
}

// ConsentInForce returns the case's consent in force as the case engine states it in its
// documents, or nil when none is in force, inside tx under sc (cases.ConsentSource). Returns
// the errors of ActiveConsent.
func (s *Service) ConsentInForce(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string) (*cases.Consent, error) {
	c, err := s.ActiveConsent(ctx, tx, sc, caseID)
	if err != nil || !c.Active() {
		return nil, err
	}
	return &cases.Consent{SignedOn: c.SignedOn, Inbox: c.CitizenID != "", Email: c.Email, Mobile: c.Mobile}, nil
}
