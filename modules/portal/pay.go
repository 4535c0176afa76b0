package portal

import (
	"context"

	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/payments"
)

// paymentsOff is the answer when this deployment takes no payments online.
func paymentsOff() error {
	return errs.E(errs.Unavailable, "本平台暂未开通网上缴纳罚款", "paying fines online is not available on this platform")
}

// Quote returns what paying a claimed case's fine would charge today: the principal, the late
// surcharge with the days it accrued and did not (a reconsideration or litigation pending), and
// its basis. Returns Unauthenticated, NotFound, FailedPrecondition (nothing to pay), Unavailable.
func (s *Service) Quote(ctx context.Context, p *authz.Principal, caseID string) (*payments.Quote, error) {
	sc, _, err := s.claimed(ctx, p, caseID)
	if err != nil {
		return nil, err
	}
	if s.payments == nil {
		return nil, paymentsOff()
	}
	return s.payments.Quote(ctx, sc, caseID)
}

// Checkout starts paying what a claimed case's quote says is due and returns the payment page to
// send the party to (Stripe Checkout, or the embedded default's simulated page). The party comes
// back to the case's payment page (success or cancelled). key makes a retried request return the
// same checkout. Returns Unauthenticated, NotFound, FailedPrecondition, Unavailable.
func (s *Service) Checkout(ctx context.Context, p *authz.Principal, caseID, key string) (*payments.Checkout, error) {
	sc, _, err := s.claimed(ctx, p, caseID)
	if err != nil {
		return nil, err
	}
	if s.payments == nil {
		return nil, paymentsOff()
	}
	back := s.publicURL + casePath(caseID) + "/payment?result="
	return s.payments.Checkout(ctx, sc, caseID, payments.CheckoutInput{SuccessURL: back + "success", CancelURL: back + "cancel", IdempotencyKey: key})
}

// Payments lists a claimed case's payments with their receipts (财政电子票据), newest first as the
// payments module orders them. Returns Unauthenticated, NotFound, Unavailable.
func (s *Service) Payments(ctx context.Context, p *authz.Principal, caseID string) ([]payments.PaymentView, error) {
	sc, _, err := s.claimed(ctx, p, caseID)
	if err != nil {
		return nil, err
	}
	if s.payments == nil {
		return nil, paymentsOff()
	}
	out, err := s.payments.CasePayments(ctx, sc, caseID)
	if out == nil {
		out = []payments.PaymentView{}
	}
	return out, err
}

// casePath is a case's page.
func casePath(caseID string) string { return "/portal/cases/" + caseID }
