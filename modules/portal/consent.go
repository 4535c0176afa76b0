package portal

import (
	"context"

	"github.com/uptrace/bun"

	"zhifa/modules/cases"
	"zhifa/modules/delivery"
	"zhifa/modules/kernel/authz"
	"zhifa/tenants"
)

// ConsentInput is the consent to electronic delivery the party signs in the portal: the channels
// and the addresses. The inbox channel names the signed-in account; the day signed is today.
type ConsentInput struct {
	Channels []delivery.Channel `json:"channels"`
	Email    string             `json:"email,omitempty"`
	Mobile   string             `json:"mobile,omitempty"`
}

// SignConsent records the party's consent to electronic delivery for a claimed case (电子送达确认书,
// 行政处罚法 Art. 61) and enters it on the case's record (EntryConsentSigned), in one transaction.
// Returns Unauthenticated, NotFound (not claimed), Invalid (an address or channel, named),
// FailedPrecondition, Conflict (a consent is already in force).
func (s *Service) SignConsent(ctx context.Context, p *authz.Principal, caseID string, in ConsentInput) (*delivery.Consent, error) {
	sc, _, err := s.claimed(ctx, p, caseID)
	if err != nil {
		return nil, err
	}
	var out *delivery.Consent
	err = tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		var err error
		out, err = s.consents.RecordConsentTx(ctx, tx, sc, caseID, delivery.ConsentInput{Channels: in.Channels, Email: in.Email, Mobile: in.Mobile})
		if err != nil {
			return err
		}
		data := map[string]any{"channels": out.Channels, "consent_id": out.ID}
		if out.Email != "" {
			data["email"] = out.Email
		}
		if out.Mobile != "" {
			data["mobile"] = out.Mobile
		}
		return s.cases.RecordPartyEntry(ctx, tx, sc, caseID, cases.PartyEntry{Kind: cases.EntryConsentSigned, Ref: out.ID, On: out.SignedOn, At: out.RecordedAt, Data: data})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
