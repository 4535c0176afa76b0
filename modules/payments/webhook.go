package payments

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/stripe/stripe-go/v76/webhook"
	"github.com/uptrace/bun"

	"zhifa/modules/cases"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// MaxWebhookBytes is the webhook route's own body limit (httpx.Op.MaxBody), whatever the
// server's http.body_limit: Stripe's events are a few kilobytes, a checkout session's with its
// line items rarely more than tens.
const MaxWebhookBytes = 256 << 10

// The event types the webhook acts on; every other verified event is recorded as ignored.
const (
	EventSessionCompleted    = "checkout.session.completed"
	EventSessionAsyncPaid    = "checkout.session.async_payment_succeeded"
	EventSessionAsyncFailed  = "checkout.session.async_payment_failed"
	EventSessionExpired      = "checkout.session.expired"
	EventIntentFailed        = "payment_intent.payment_failed"
	EventIntentCanceled      = "payment_intent.canceled"
	outcomeDuplicate         = "duplicate"
	outcomeIgnored           = "ignored"
	outcomeUnchanged         = "unchanged"
	outcomeUnapplied         = "unapplied"
	webhookVerifyActor       = "platform:payments:verify"
	platformActor            = "platform:payments"
	paymentIntentIDPrefixSim = "pi_sim_"
)

// errWebhookRefused answers a webhook that does not verify. It says nothing of which check failed
// beyond the three causes, and nothing is written.
var errWebhookRefused = errs.E(errs.Invalid, "Webhook 签名无效（密钥不符或内容被改动），未作处理",
	"the webhook's signature does not verify (wrong secret or altered body): nothing was done")

// errWebhookStale answers a webhook signed too long ago (a replay of an old delivery).
var errWebhookStale = errs.E(errs.Invalid, "Webhook 签名时间戳已过期，未作处理",
	"the webhook's signature timestamp is too old: nothing was done")

// WebhookReply answers a processed webhook.
type WebhookReply struct {
	Received bool   `json:"received"`
	EventID  string `json:"event_id"`
	Type     string `json:"type"`
	Outcome  string `json:"outcome"` // paid, unapplied, expired, failed, unchanged, ignored, duplicate
}

// eventObject is what the webhook reads of an event's object: a Checkout Session or a
// PaymentIntent.
type eventObject struct {
	ID            string            `json:"id"`
	Object        string            `json:"object"`
	Status        string            `json:"status"`
	PaymentStatus string            `json:"payment_status"`
	AmountTotal   *int64            `json:"amount_total"`
	Currency      string            `json:"currency"`
	Metadata      map[string]string `json:"metadata"`
	PaymentIntent json.RawMessage   `json:"payment_intent"` // an ID, or the expanded object
	LastError     *struct {
		Message string `json:"message"`
	} `json:"last_payment_error"`
}

// intentID returns the PaymentIntent a session names, expanded or not.
func (o *eventObject) intentID() string {
	var id string
	if json.Unmarshal(o.PaymentIntent, &id) == nil {
		return id
	}
	var obj struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(o.PaymentIntent, &obj)
	return obj.ID
}

// HandleWebhook verifies and processes one event posted to the webhook address of account owner
// ownerID (a tenant ID): the signature with the owner's webhook secret (stripe-go's webhook
// package: the HMAC, and a timestamp at most five minutes old), then, under a platform scope of
// the payment's tenant (the owner or a tenant below it that uses the owner's account), the event
// once: its ID is recorded in the same transaction as its effect, so a replay or a second
// delivery changes nothing. checkout.session.completed (paid) marks the payment paid, enters it
// on the case's chain and writes the receipt task; expiry, cancellation and failure change a
// payment not yet paid, so events arriving out of order are harmless. Public: the signature is
// the authentication. Returns Invalid (refused signature, stale timestamp, an event of another
// account: nothing written).
func (s *Service) HandleWebhook(ctx context.Context, ownerID string, payload []byte, sigHeader string) (*WebhookReply, error) {
	owner, err := s.tenants.Lookup(ctx, ownerID)
	if err != nil {
		return nil, errWebhookRefused
	}
	var secret string
	vsc := tenants.NewScope(owner, webhookVerifyActor, nil, nil) // reads the owner's settings, nothing else
	if err := tenants.RunInTx(ctx, s.db, vsc, func(ctx context.Context, tx bun.Tx) error {
		secret, err = s.webhookSecret(ctx, tx, vsc)
		return err
	}); err != nil {
		return nil, err
	}
	ev, err := webhook.ConstructEventWithOptions(payload, sigHeader, secret, webhook.ConstructEventOptions{IgnoreAPIVersionMismatch: true})
	switch {
	case errors.Is(err, webhook.ErrTooOld):
		return nil, errWebhookStale
	case err != nil:
		return nil, errWebhookRefused.WithCause(err)
	case ev.ID == "" || ev.Data == nil:
		return nil, errWebhookRefused.WithCause(errors.New("payments: an event without an ID or an object"))
	}
	var obj eventObject
	if err := json.Unmarshal(ev.Data.Raw, &obj); err != nil {
		return nil, errs.E(errs.Invalid, "事件内容无法解析", "the event's object cannot be read").WithCause(err)
	}
	reply := &WebhookReply{Received: true, EventID: ev.ID, Type: string(ev.Type)}
	target, err := s.eventTenant(ctx, owner, obj.Metadata["tenant_id"])
	if err != nil {
		return nil, err
	}
	psc := tenants.NewScope(target, platformActor, []authz.Role{authz.Platform}, nil)
	err = tenants.RunInTx(ctx, s.db, psc, func(ctx context.Context, tx bun.Tx) error {
		if target.ID != owner.ID {
			acct, err := s.accountOf(ctx, tx, psc)
			if err != nil || acct.simulated || acct.owner != owner.ID {
				return errs.E(errs.Invalid, "事件所属租户未使用本账户", "the event's tenant does not use this account")
			}
		}
		now := dbx.Stamp(s.now())
		res, err := tx.NewInsert().Model(&event{TenantID: target.ID, EventID: ev.ID, Type: string(ev.Type), Outcome: "processing", ReceivedAt: now}).
			On("CONFLICT (tenant_id, event_id) DO NOTHING").Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			reply.Outcome = outcomeDuplicate
			return nil
		}
		paymentID, outcome, err := s.apply(ctx, tx, psc, string(ev.Type), &obj, now)
		if err != nil {
			return err
		}
		reply.Outcome = outcome
		_, err = tx.NewUpdate().Model((*event)(nil)).Set("outcome = ?", outcome).Set("payment_id = ?", paymentID).
			Where("e.tenant_id = ? AND e.event_id = ?", target.ID, ev.ID).Exec(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	return reply, nil
}

// eventTenant returns the tenant an event's metadata names: the owner when it names none (an
// event that is not a platform payment's, recorded as ignored there), else that tenant if it is
// the owner or below it. Invalid otherwise.
func (s *Service) eventTenant(ctx context.Context, owner *tenants.Tenant, id string) (*tenants.Tenant, error) {
	if id == "" || id == owner.ID {
		return owner, nil
	}
	t, err := s.tenants.Lookup(ctx, id)
	if err != nil || !tenants.InSubtree(t.Path, owner.Path) {
		return nil, errs.E(errs.Invalid, "事件所属租户不在本账户之下", "the event names a tenant outside this account")
	}
	return t, nil
}

// apply takes an event's effect on its payment and returns the payment's ID and the outcome.
func (s *Service) apply(ctx context.Context, tx bun.IDB, sc tenants.Scope, typ string, obj *eventObject, now time.Time) (string, string, error) {
	paymentID := obj.Metadata["payment_id"]
	switch typ {
	case EventSessionCompleted, EventSessionAsyncPaid, EventSessionExpired, EventSessionAsyncFailed, EventIntentFailed, EventIntentCanceled:
	default:
		return paymentID, outcomeIgnored, nil
	}
	p, err := findPayment(ctx, tx, sc, paymentID, true)
	if errs.Is(err, errs.NotFound) {
		s.log.WarnContext(ctx, "payments: a verified event names no payment of the tenant", "tenant", sc.TenantID(), "payment", paymentID, "type", typ)
		return "", outcomeIgnored, nil
	}
	if err != nil {
		return "", "", err
	}
	isSession := obj.Object == "checkout.session"
	if isSession && p.SessionID != "" && obj.ID != p.SessionID {
		s.log.WarnContext(ctx, "payments: an event's session is not the payment's", "payment", p.ID, "session", obj.ID)
		return p.ID, outcomeIgnored, nil
	}
	var outcome string
	switch {
	case (typ == EventSessionCompleted || typ == EventSessionAsyncPaid) && obj.PaymentStatus == "paid":
		outcome, err = s.settle(ctx, tx, sc, p, obj, now)
	case typ == EventSessionCompleted:
		outcome = outcomeUnchanged // paid later by an asynchronous method: async_payment_succeeded follows
	case typ == EventSessionExpired || typ == EventIntentCanceled:
		outcome, err = changed("expired")(setStatus(ctx, tx, sc, p.ID, StatusExpired, "", now, StatusPending, StatusFailed))
	default: // a failed attempt: the payer may try again on the same page until it expires
		msg := "payment failed"
		if obj.LastError != nil && obj.LastError.Message != "" {
			msg = obj.LastError.Message
		}
		outcome, err = changed("failed")(setStatus(ctx, tx, sc, p.ID, StatusFailed, msg, now, StatusPending))
	}
	return p.ID, outcome, err
}

// changed names the outcome of a status change: outcome if it happened, unchanged if the payment
// was not in a status it could move from (an event arriving after a later one).
func changed(outcome string) func(ok bool, err error) (string, error) {
	return func(ok bool, err error) (string, error) {
		if err != nil || !ok {
			return outcomeUnchanged, err
		}
		return outcome, nil
	}
}

// settle marks a payment paid, enters it on the case's chain and writes the receipt task, all in
// tx. A payment paid already is left as it is. An amount or currency other than the one quoted
// is still paid (the money was taken) and raises a warning. A payment the case engine refuses
// (FailedPrecondition: the case was paid through another checkout, or no longer demands it) is
// still paid, but gets no chain entry and no receipt: it raises an unapplied warning (outcome
// unapplied), and its refund is entered on no chain either.
func (s *Service) settle(ctx context.Context, tx bun.IDB, sc tenants.Scope, p *Payment, obj *eventObject, now time.Time) (string, error) {
	if p.settled() {
		return outcomeUnchanged, nil
	}
	ref := obj.intentID()
	if ref == "" && p.Simulated {
		ref = simulatedIntentID(p)
	}
	paid := p.TotalFen
	if obj.AmountTotal != nil {
		paid = *obj.AmountTotal
	}
	if paid != p.TotalFen || (obj.Currency != "" && obj.Currency != p.Currency) {
		w := Mismatch{Kind: "amount", Local: fmt.Sprintf("%d %s", p.TotalFen, p.Currency), Remote: fmt.Sprintf("%d %s", paid, obj.Currency),
			Message: errs.Msg{ZH: "支付服务商报告的实收金额与应缴金额不符", EN: "the amount the provider reports received differs from the amount due"}}
		if err := s.raise(ctx, tx, sc, p, w, now); err != nil {
			return "", err
		}
	}
	p.Status, p.PaidAt, p.Reference, p.PaidFen, p.UpdatedAt = StatusPaid, &now, ref, paid, now
	if _, err := tenants.Own(sc, tx.NewUpdate().Model(p)).Column("status", "paid_at", "reference", "paid_fen", "updated_at").
		Where("p.id = ?", p.ID).Exec(ctx); err != nil {
		return "", err
	}
	rec := cases.PaymentRecord{PaymentID: p.ID, Provider: "stripe", Simulated: p.Simulated, Reference: ref, PaidAt: now,
		PrincipalFen: p.PrincipalFen, SurchargeFen: p.SurchargeFen, Instalment: p.Instalment}
	if err := s.cases.RecordPayment(ctx, tx, sc, p.CaseID, rec); err != nil {
		if !errs.Is(err, errs.FailedPrecondition) {
			return "", err
		}
		// The money was taken for a case that no longer takes it (paid through another checkout,
		// the decision revoked): kept paid, off the case's record, and warned of, to be refunded.
		why := errs.As(err).Message
		w := Mismatch{Kind: KindUnapplied, Local: string(StatusPaid), Remote: fmt.Sprintf("%d %s", paid, obj.Currency),
			Message: errs.Msg{ZH: "已收款，但案件不接受该笔缴款（" + why.ZH + "），请退款", EN: "received, but the case takes no such payment (" + why.EN + "): refund it"}}
		if err := s.raise(ctx, tx, sc, p, w, now); err != nil {
			return "", err
		}
		return outcomeUnapplied, nil
	}
	if _, err := IssueReceipt.Enqueue(ctx, tx, sc, ReceiptTask{PaymentID: p.ID}); err != nil {
		return "", err
	}
	return "paid", nil
}
