package payments

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/uptrace/bun"

	"zhifa/modules/cases"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// CheckoutLifetime is how long a checkout may be paid: Stripe's Checkout Sessions expire after it
// (Stripe accepts 30 minutes to 24 hours), and a pending payment older than it is not reused.
const CheckoutLifetime = time.Hour

// currency is the only currency fines are paid in.
const currency = "cny"

var errNotFound = errs.ErrNotFound

// mayRead refuses a scope that is neither the proven party (party.act), staff reading payments,
// nor the platform settling them.
func mayRead(sc tenants.Scope) error {
	if !sc.Valid() {
		return tenants.ErrNoScope
	}
	if !sc.Can(authz.PartyAct) && !sc.Can(authz.PaymentsRead) && !sc.Can(authz.PaymentsSettle) {
		return errs.ErrForbidden.WithOp(string(authz.PaymentsRead))
	}
	return nil
}

func checkCaseID(id string) error {
	if dbx.ValidID(id) {
		return nil
	}
	return errs.E(errs.Invalid, "案件 ID 无效", "invalid case ID").WithFields(errs.Field("case_id", "须为 UUID", "must be a UUID"))
}

// today is the current day in China.
func (s *Service) today() civil.Date { return civil.DateOf(s.now()) }

// Quote returns what paying the case's fine today would charge (QuoteOn). The proven party
// (party.act) or staff (payments.read). Returns NotFound (no such case for sc),
// FailedPrecondition (no decision with a fine, not served yet).
func (s *Service) Quote(ctx context.Context, sc tenants.Scope, caseID string) (*Quote, error) {
	if err := mayRead(sc); err != nil {
		return nil, err
	}
	if err := checkCaseID(caseID); err != nil {
		return nil, err
	}
	var q Quote
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		t, err := s.cases.Terms(ctx, tx, sc, caseID)
		if err != nil {
			return err
		}
		q, err = QuoteOn(*t, s.today())
		return err
	})
	if err != nil {
		return nil, err
	}
	return &q, nil
}

// Checkout starts paying what is due on the case today: a Stripe Checkout Session in CNY with the
// fine and the surcharge as line items (or, for a tenant paying by simulation, the simulated
// payment page). A pending payment of the same case, instalment and amount whose checkout is
// still open is returned instead of a second one, and so is the payment made earlier with the
// same in.IdempotencyKey; a pending payment of another amount or instalment (the surcharge grew, a
// plan was approved) is superseded: expired here and its Checkout Session closed at Stripe, so
// that one payment of a case is payable at a time. The proven party only (party.act). Returns
// Invalid (return addresses not on the platform's public address), NotFound, FailedPrecondition (nothing to pay, not
// served, online payment not open), Conflict (the same checkout is being started), Unavailable
// (Stripe did not answer: the payment is marked failed and a new checkout may be tried).
func (s *Service) Checkout(ctx context.Context, sc tenants.Scope, caseID string, in CheckoutInput) (*Checkout, error) {
	if !sc.Valid() {
		return nil, tenants.ErrNoScope
	}
	if !sc.Can(authz.PartyAct) {
		return nil, errs.ErrForbidden.WithOp(string(authz.PartyAct))
	}
	if err := checkCaseID(caseID); err != nil {
		return nil, err
	}
	if err := s.sameOrigin(in.SuccessURL, in.CancelURL); err != nil {
		return nil, err
	}
	if len(in.IdempotencyKey) > 200 {
		return nil, errs.E(errs.Invalid, "Idempotency-Key 过长", "the Idempotency-Key is too long")
	}
	now := dbx.Stamp(s.now())
	var (
		p          *Payment
		reuse      bool
		acct       *account
		terms      *cases.PaymentTerms
		superseded []Payment
	)
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if terms, err = s.cases.Terms(ctx, tx, sc, caseID); err != nil {
			return err
		}
		if in.IdempotencyKey != "" {
			if p, err = findPaymentWhere(ctx, tx, sc, "p.idempotency_key = ?", in.IdempotencyKey); err != nil || p != nil {
				if p != nil && p.CaseID != caseID {
					return errs.E(errs.Conflict, "该 Idempotency-Key 已用于另一案件", "the Idempotency-Key was used for another case")
				}
				reuse = p != nil
				return err
			}
		}
		q, err := QuoteOn(*terms, civil.DateOf(now))
		if err != nil {
			return err
		}
		if q.Paid || q.TotalFen <= 0 {
			return errs.E(errs.FailedPrecondition, "本案没有应缴的罚款", "there is nothing to pay on this case")
		}
		if err := expireStale(ctx, tx, sc, caseID, now); err != nil {
			return err
		}
		p, err = findPaymentWhere(ctx, tx, sc, "p.case_id = ? AND p.instalment = ? AND p.total_fen = ? AND p.status = ?",
			caseID, q.Instalment, q.TotalFen, StatusPending)
		if err != nil {
			return err
		}
		if p != nil {
			reuse = true
			if in.IdempotencyKey != "" && p.IdempotencyKey == "" {
				// the key's retries find this payment from now on
				p.IdempotencyKey = in.IdempotencyKey
				_, err = tenants.Own(sc, tx.NewUpdate().Model((*Payment)(nil))).Set("idempotency_key = ?", in.IdempotencyKey).
					Where("p.id = ? AND p.idempotency_key = ''", p.ID).Exec(ctx)
			}
			return err
		}
		if acct, err = s.accountOf(ctx, tx, sc); err != nil {
			return err
		}
		if superseded, err = supersede(ctx, tx, sc, caseID, now); err != nil {
			return err
		}
		p = &Payment{ID: dbx.NewID(), TenantID: sc.TenantID(), CaseID: caseID, CaseCode: terms.CaseCode, BodyID: terms.BodyID,
			Instalment: q.Instalment, PrincipalFen: q.PrincipalFen, SurchargeFen: q.SurchargeFen, TotalFen: q.TotalFen, Currency: currency,
			Status: StatusPending, Simulated: acct.simulated, SuccessURL: in.SuccessURL, CancelURL: in.CancelURL,
			IdempotencyKey: in.IdempotencyKey, QuotedOn: q.On, DueOn: q.DueOn, LateDays: q.LateDays, PausedDays: q.PausedDays,
			ExpiresAt: now.Add(CheckoutLifetime), CreatedBy: sc.Actor(), CreatedAt: now, UpdatedAt: now}
		if acct.simulated {
			p.SessionID, p.CheckoutURL = "cs_sim_"+p.ID, s.simulatedURL(p.ID)
		}
		if _, err := tx.NewInsert().Model(p).Exec(ctx); err != nil {
			if dbx.IsUniqueViolation(err) {
				return errs.E(errs.Conflict, "同一笔缴款正在创建，请稍后重试", "the same checkout is being started; try again shortly").WithCause(err)
			}
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if reuse {
		if p.CheckoutURL == "" || p.Status != StatusPending {
			return nil, errs.Ef(errs.Conflict, "该缴款已处于“%s”状态，请重新发起缴款", "that checkout is %s; start a new one", p.Status)
		}
		return s.checkoutOf(p), nil
	}
	s.closeSessions(ctx, superseded, acct)
	if !acct.simulated {
		if err := s.startSession(ctx, sc, p, terms, acct); err != nil {
			return nil, err
		}
	}
	return s.checkoutOf(p), nil
}

// closeSessions asks Stripe to close the Checkout Sessions of payments a new checkout superseded,
// so that their pages can no longer be paid. A session Stripe does not close now (it was just
// completed, or Stripe did not answer) is logged: its completion is still settled by the webhook
// (a payment the case no longer takes is kept paid and warned of), and it expires on its own
// within CheckoutLifetime.
func (s *Service) closeSessions(ctx context.Context, ps []Payment, acct *account) {
	for _, p := range ps {
		if p.Simulated || p.SessionID == "" || acct.simulated {
			continue
		}
		if err := s.stripe.expireSession(acct.secretKey, p.SessionID); err != nil {
			s.log.WarnContext(ctx, "payments: a superseded checkout could not be closed at the provider", "payment", p.ID, "session", p.SessionID, "err", err.Error())
		}
	}
}

// checkoutOf answers a started payment.
func (s *Service) checkoutOf(p *Payment) *Checkout {
	q := Quote{CaseID: p.CaseID, On: p.QuotedOn, DueOn: p.DueOn, Instalment: p.Instalment, PrincipalFen: p.PrincipalFen,
		SurchargeFen: p.SurchargeFen, TotalFen: p.TotalFen, LateDays: p.LateDays, PausedDays: p.PausedDays}
	return &Checkout{PaymentID: p.ID, URL: p.CheckoutURL, Simulated: p.Simulated, Quote: q}
}

// startSession creates the Stripe Checkout Session of a pending payment (idempotency key derived
// from the payment's ID, so that a retried request creates no second session) and records it; a
// failure marks the payment failed with the reason.
func (s *Service) startSession(ctx context.Context, sc tenants.Scope, p *Payment, t *cases.PaymentTerms, acct *account) error {
	meta := map[string]string{"tenant_id": p.TenantID, "case_id": p.CaseID, "payment_id": p.ID}
	params := &stripe.CheckoutSessionParams{
		Mode:              stripe.String(string(stripe.CheckoutSessionModePayment)),
		SuccessURL:        stripe.String(p.SuccessURL),
		CancelURL:         stripe.String(p.CancelURL),
		ClientReferenceID: stripe.String(p.ID),
		Metadata:          meta,
		ExpiresAt:         stripe.Int64(p.ExpiresAt.Unix()),
		Locale:            stripe.String("zh"),
		PaymentIntentData: &stripe.CheckoutSessionPaymentIntentDataParams{Metadata: meta,
			Description: stripe.String(fmt.Sprintf("%s 罚款 %s", t.BodyName, t.DecisionNumber))},
		LineItems: []*stripe.CheckoutSessionLineItemParams{lineItem(fmt.Sprintf("罚款（%s，案件编码 %s）", t.DecisionNumber, t.CaseCode), p.PrincipalFen)},
	}
	if p.Instalment > 0 {
		params.LineItems[0] = lineItem(fmt.Sprintf("罚款第%d期（%s，案件编码 %s）", p.Instalment, t.DecisionNumber, t.CaseCode), p.PrincipalFen)
	}
	if p.SurchargeFen > 0 {
		params.LineItems = append(params.LineItems, lineItem(fmt.Sprintf("加处罚款（逾期%d日，每日3%%，%s）", p.LateDays, surchargeArticle.Label()), p.SurchargeFen))
	}
	params.SetIdempotencyKey("zhifa-checkout-" + p.ID)
	cs, serr := s.stripe.createSession(acct.secretKey, params)
	now := dbx.Stamp(s.now())
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		if serr != nil {
			_, err := setStatus(ctx, tx, sc, p.ID, StatusFailed, serr.Error(), now, StatusPending)
			return err
		}
		p.SessionID, p.CheckoutURL = cs.ID, cs.URL
		_, err := tenants.Own(sc, tx.NewUpdate().Model((*Payment)(nil))).Set("session_id = ?", cs.ID).Set("checkout_url = ?", cs.URL).
			Set("updated_at = ?", now).Where("p.id = ?", p.ID).Exec(ctx)
		return err
	})
	if serr != nil {
		return serr
	}
	return err
}

// lineItem is one line of a Checkout Session: a name and an amount in fen, in CNY.
func lineItem(name string, fen int64) *stripe.CheckoutSessionLineItemParams {
	return &stripe.CheckoutSessionLineItemParams{Quantity: stripe.Int64(1), PriceData: &stripe.CheckoutSessionLineItemPriceDataParams{
		Currency: stripe.String(currency), UnitAmount: stripe.Int64(fen),
		ProductData: &stripe.CheckoutSessionLineItemPriceDataProductDataParams{Name: stripe.String(name)}}}
}

// sameOrigin refuses return addresses that are not absolute addresses on the platform's public
// address (same scheme, host and port), so that a checkout cannot send the payer elsewhere.
func (s *Service) sameOrigin(urls ...string) error {
	names := []string{"success_url", "cancel_url"}
	var fields []errs.FieldError
	for i, raw := range urls {
		u, err := url.Parse(raw)
		if raw == "" || err != nil || u.Scheme != s.publicURL.Scheme || u.Host != s.publicURL.Host || u.User != nil || u.Opaque != "" {
			fields = append(fields, errs.Field(names[i], "须为本平台地址（"+s.publicURL.Scheme+"://"+s.publicURL.Host+"）下的完整网址",
				"must be an absolute address on this platform ("+s.publicURL.Scheme+"://"+s.publicURL.Host+")"))
		}
	}
	if len(fields) > 0 {
		return errs.E(errs.Invalid, "返回地址须为本平台的网址", "the return addresses must be on this platform").WithFields(fields...)
	}
	return nil
}

// simulatedURL is the address of a payment's simulated payment page.
func (s *Service) simulatedURL(id string) string {
	return s.publicURL.String() + SimulatePath + id
}

// CasePayments returns the payments of a case (with their receipts), oldest first. The proven
// party (party.act) or staff (payments.read). Returns NotFound for a case sc may not see.
func (s *Service) CasePayments(ctx context.Context, sc tenants.Scope, caseID string) ([]PaymentView, error) {
	ds, err := s.CaseDetails(ctx, sc, caseID)
	if err != nil {
		return nil, err
	}
	out := make([]PaymentView, len(ds))
	for i, d := range ds {
		out[i] = d.PaymentView
	}
	return out, nil
}

// CaseDetails returns the payments of a case with their receipts and refunds, oldest first. The
// proven party or staff (payments.read). Returns NotFound for a case sc may not see (asked of the
// case engine: a case without payments answers an empty list only if sc may see it).
func (s *Service) CaseDetails(ctx context.Context, sc tenants.Scope, caseID string) ([]PaymentDetail, error) {
	if err := mayRead(sc); err != nil {
		return nil, err
	}
	if err := checkCaseID(caseID); err != nil {
		return nil, err
	}
	out := []PaymentDetail{}
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		if _, err := s.cases.Terms(ctx, tx, sc, caseID); err != nil && !errs.Is(err, errs.FailedPrecondition) {
			return err
		}
		ps, err := casePayments(ctx, tx, sc, caseID)
		if err != nil {
			return err
		}
		ids := make([]string, len(ps))
		byID := map[string]int{}
		for i := range ps {
			ids[i], byID[ps[i].ID] = ps[i].ID, i
			out = append(out, PaymentDetail{PaymentView: ps[i].View(), Reference: ps[i].Reference, Refunds: []RefundView{}})
		}
		rs, err := paymentRefunds(ctx, tx, sc, ids)
		for _, r := range rs {
			d := &out[byID[r.PaymentID]]
			d.Refunds = append(d.Refunds, r.View())
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
