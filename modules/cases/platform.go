package cases

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"zhifa/modules/elements"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/money"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

// What a decision demands (Terms), and the payments, fiscal receipts and refunds entered on the
// case's record, in the engine's own records (money.go): the payments module declares its port
// (payments.Cases) in them. Each entry is an event on the hash chain, taken by the platform
// under the payments module's scope (payments.settle): never through the API.

// The platform's entries of money.
const (
	ActPaymentReceived Action = "payment_received" // 罚款在线缴纳到账
	ActReceiptIssued   Action = "receipt_issued"   // 财政电子票据开具
	ActRefunded        Action = "refunded"         // 退还罚款
)

// ruleArrangement is Art. 66 ¶2: deferral or instalments on the party's application, approved.
var ruleArrangement = ref("penalty.payment_arrangement", rules.LawPenalty, 66)

// platformSteps defines the platform's entries of online payment, receipt and refund.
func platformSteps() []*actionDef {
	var s steps
	s.define(&actionDef{Action: ActPaymentReceived, Title: msg("罚款在线缴纳到账", "fine paid online"), Rule: catalogueRef(rules.PenaltyPayment)})
	s.define(&actionDef{Action: ActReceiptIssued, Title: msg("开具财政电子票据", "fiscal e-receipt issued")})
	s.define(&actionDef{Action: ActRefunded, Title: msg("退还罚款", "money refunded")})
	return s
}

// The inputs of the platform's entries: the records, as the events keep them.
type (
	paymentInput struct {
		Common
		Record PaymentRecord `json:"record"`
	}
	receiptInput struct {
		Common
		Record ReceiptRecord `json:"record"`
	}
	refundInput struct {
		Common
		Record RefundRecord `json:"record"`
	}
)

// Validate accepts the records as the payments module wrote them (each entry checks its own).
func (in *paymentInput) Validate() error { return nil }

// Validate accepts the record as the payments module wrote it.
func (in *receiptInput) Validate() error { return nil }

// Validate accepts the record as the payments module wrote it.
func (in *refundInput) Validate() error { return nil }

// mayEnter refuses a scope that may take none of perms, that cannot write (unless read), or that
// has no tenant.
func mayEnter(sc tenants.Scope, read bool, perms ...authz.Action) error {
	switch {
	case !sc.Valid():
		return tenants.ErrNoScope
	case sc.ReadOnly() && !read:
		return tenants.ErrReadOnlyScope
	case sc.TenantID() == "":
		return errs.E(errs.Invalid, "须在具体租户下进行", "this needs a tenant scope")
	}
	if !slices.ContainsFunc(perms, sc.Can) {
		return errs.ErrForbidden.WithOp(string(perms[0]))
	}
	return nil
}

// recordAttempts bounds the retries of a platform or party entry that lost a race with another
// step.
const recordAttempts = 3

// enter writes one platform or party entry on a case inside the caller's transaction tx: fn looks
// at the case and returns the entry to commit (built with the context it is given, which carries
// sc), or nil when the record holds it already. A lost
// race is retried on the case as it now stands. Returns NotFound, Unavailable (the case kept
// changing), or fn's error.
func (s *Service) enter(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string, fn func(ctx context.Context, c *Case) (*act, error)) error {
	if err := checkID("case_id", caseID); err != nil {
		return err
	}
	ctx = tenants.WithScope(ctx, sc)
	for range recordAttempts {
		c, err := findCase(ctx, tx, sc, caseID)
		if err != nil {
			return err
		}
		if !sc.ActsFor(c.BodyID) {
			return errs.ErrNotFound
		}
		a, err := fn(ctx, c)
		if err != nil || a == nil {
			return err
		}
		if _, err = s.commit(a); !errs.Is(err, errs.Conflict) {
			return err
		}
	}
	return errs.E(errs.Unavailable, "案件正被同时修改，稍后重试", "the case is being changed concurrently; retry later")
}

// entry starts the act of a platform or party entry of action on c, on the day on at the moment at
// (now when zero).
func (s *Service) entry(ctx context.Context, tx bun.IDB, sc tenants.Scope, c *Case, action Action, in Input, on civil.Date, at time.Time) *act {
	now := dbx.Stamp(s.now())
	if at.IsZero() {
		at = now
	}
	if on == "" {
		on = civil.DateOf(at)
	}
	in.base().On = on
	return &act{s: s, ctx: ctx, tx: tx, sc: sc, c: c, def: s.steps[action], in: in, on: on, at: at, now: now,
		today: civil.DateOf(now), from: c.State, to: c.State}
}

// Terms returns what the decision of a penalty case (or an enforcement case) demands as its record
// stands, inside tx. payments.settle, party.act or payments.read; a body-bound role only for its
// bodies. Returns NotFound, FailedPrecondition (no decision with a fine).
func (s *Service) Terms(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string) (*PaymentTerms, error) {
	if err := mayEnter(sc, true, authz.PaymentsSettle, authz.PartyAct, authz.PaymentsRead); err != nil {
		return nil, err
	}
	if err := checkID("case_id", caseID); err != nil {
		return nil, err
	}
	c, err := findCase(tenants.WithScope(ctx, sc), tx, sc, caseID)
	if err != nil {
		return nil, err
	}
	if !sc.ActsFor(c.BodyID) {
		return nil, errs.ErrNotFound
	}
	return s.terms(ctx, tx, sc, c)
}

// terms assembles c's PaymentTerms.
func (s *Service) terms(ctx context.Context, tx bun.IDB, sc tenants.Scope, c *Case) (*PaymentTerms, error) {
	f := &c.Facts
	t := &PaymentTerms{CaseID: c.ID, CaseCode: c.Code, TenantID: c.TenantID, BodyID: c.BodyID, State: string(c.State),
		FineFen: f.fineFen(), Paused: f.pauses(), RefundedFen: f.refunded(), Party: f.Party}
	switch {
	case c.Kind == KindEnforcement && f.Enforcement != nil:
		e := f.Enforcement
		t.DecisionNumber, t.PayDue, t.ServedOn, t.DecidedOn = e.DecisionRef, e.PayDue, e.DemandedOn, f.OpenedOn
	case f.Decision != nil && (f.Decision.Penalty.FineFen > 0 || f.Revision != nil):
		t.DecisionNumber, t.DecidedOn = f.Decision.Number, f.Decision.On
		if d := f.Delivery; d != nil {
			t.ServedOn, t.PayDue = d.ServedOn, d.PayDue
		}
	default:
		return nil, errs.E(errs.FailedPrecondition, "本案没有罚款决定", "the case has no decision imposing a fine")
	}
	t.Revoked = f.Revision != nil && f.Revision.Outcome == RevisionRevoked
	t.PaidFen, t.PaidSurchargeFen = f.paid()
	if f.Plan != nil {
		p := *f.Plan
		p.Instalments = slices.Clone(p.Instalments)
		t.Plan = &p
	}
	name, err := bodyName(ctx, tx, sc, c.BodyID)
	if err != nil {
		return nil, err
	}
	t.BodyName = name
	return t, nil
}

// bodyName reads the name of a body of the scope's tenant inside tx.
func bodyName(ctx context.Context, tx bun.IDB, sc tenants.Scope, bodyID string) (string, error) {
	var name string
	err := tenants.Own(sc, tx.NewSelect().Model((*elements.Body)(nil))).Column("b.name").Where("b.id = ?", bodyID).Scan(tenants.WithScope(ctx, sc), &name)
	return name, err
}

// RecordPayment enters a payment received online on the case's record inside tx, once per
// PaymentID (a repeated call adds nothing): an event (payment_received) with the record. The whole
// fine (what remains of it), or the last unpaid instalment of an approved plan, moves a served
// penalty case (general or summary procedure) to paid and fills its payment as the pay step does;
// an instalment is marked paid and the case stays served. An enforcement case that demanded
// payment moves to paid. payments.settle only. Returns NotFound, Invalid (a malformed record),
// FailedPrecondition (the case is not awaiting this payment, the amount is not what is due, or
// the surcharge exceeds the principal, 处罚法 Art. 72, 强制法 Art. 45).
func (s *Service) RecordPayment(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string, rec PaymentRecord) error {
	if err := mayEnter(sc, false, authz.PaymentsSettle); err != nil {
		return err
	}
	var p problems
	p.text("payment_id", &rec.PaymentID, maxShort, true)
	p.text("reference", &rec.Reference, maxShort, false)
	if rec.PrincipalFen <= 0 {
		p.add("principal_fen", "须大于0", "must be above 0")
	}
	p.money("principal_fen", rec.PrincipalFen)
	p.money("surcharge_fen", rec.SurchargeFen)
	if rec.PaidAt.IsZero() {
		p.add("paid_at", "必填", "required")
	}
	if rec.Instalment < 0 {
		p.add("instalment", "不能为负数", "cannot be negative")
	}
	if err := p.err(); err != nil {
		return err
	}
	return s.enter(ctx, tx, sc, caseID, func(ctx context.Context, c *Case) (*act, error) {
		f := &c.Facts
		if slices.ContainsFunc(f.Payments, func(x OnlinePayment) bool { return x.PaymentID == rec.PaymentID }) {
			return nil, nil
		}
		payable := (c.Kind == KindGeneral || c.Kind == KindSummary) && c.State == StateServed ||
			c.Kind == KindEnforcement && c.State == StateDemanded
		if !payable || f.outstanding() == 0 {
			return nil, errs.E(errs.FailedPrecondition, fmt.Sprintf("本案当前状态（%s）不接受缴款", c.State),
				fmt.Sprintf("the case takes no payment while %s", c.State))
		}
		a := s.entry(ctx, tx, sc, c, ActPaymentReceived, &paymentInput{Record: rec}, "", rec.PaidAt.UTC())
		return a, a.receive(rec)
	})
}

// receive records rec on the act's case: the instalment or the whole outstanding fine, a
// surcharge no higher than the principal.
func (a *act) receive(rec PaymentRecord) error {
	f := a.facts()
	_, surchargePaid := f.paid()
	if err := rules.CheckSurcharge(f.fineFen(), surchargePaid+rec.SurchargeFen); err != nil {
		return err
	}
	if rec.Instalment > 0 {
		if f.Plan == nil || rec.Instalment > len(f.Plan.Instalments) {
			return errs.E(errs.FailedPrecondition, fmt.Sprintf("本案没有第 %d 期分期", rec.Instalment), fmt.Sprintf("the case has no instalment %d", rec.Instalment))
		}
		in := &f.Plan.Instalments[rec.Instalment-1]
		if in.PaidOn != "" {
			return errs.E(errs.FailedPrecondition, fmt.Sprintf("第 %d 期已于 %s 缴纳", in.Seq, in.PaidOn), fmt.Sprintf("instalment %d was paid on %s", in.Seq, in.PaidOn))
		}
		if rec.PrincipalFen != in.AmountFen {
			return wrongAmount(in.AmountFen)
		}
		in.PaidOn = a.on
	} else {
		if due := f.outstanding(); rec.PrincipalFen != due {
			return wrongAmount(due)
		}
		if f.Plan != nil {
			for i := range f.Plan.Instalments {
				if f.Plan.Instalments[i].PaidOn == "" {
					f.Plan.Instalments[i].PaidOn = a.on
				}
			}
		}
	}
	f.Payments = append(f.Payments, OnlinePayment{PaymentID: rec.PaymentID, Provider: rec.Provider, Reference: rec.Reference,
		Simulated: rec.Simulated, PrincipalFen: rec.PrincipalFen, SurchargeFen: rec.SurchargeFen, Instalment: rec.Instalment,
		PaidAt: a.at, PaidOn: a.on})
	a.record("payment_id", rec.PaymentID)
	if rec.Simulated {
		a.record("simulated", true)
	}
	if f.outstanding() > 0 {
		a.record("outstanding_fen", f.outstanding())
		return nil
	}
	f.settle(a.on, rec.Reference)
	a.to = StatePaid
	a.record("paid_in_full", true)
	return nil
}

// wrongAmount refuses a payment that is not the amount due.
func wrongAmount(due int64) error {
	return errs.E(errs.FailedPrecondition, fmt.Sprintf("缴纳金额与应缴金额 %s 不符", money.Fen(due)), fmt.Sprintf("the amount paid is not the amount due, %s", money.Fen(due))).
		WithFields(errs.Field("principal_fen", "应为 "+money.Fen(due).String(), "should be "+money.Fen(due).String()))
}

// RecordReceipt enters the fiscal e-receipt issued for an online payment inside tx, once per
// PaymentID: the receipt becomes a document of the case (kind fiscal_receipt, with its number)
// and an event (receipt_issued). payments.settle only. Returns NotFound, Invalid,
// FailedPrecondition (no such payment on the case).
func (s *Service) RecordReceipt(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string, rec ReceiptRecord) error {
	if err := mayEnter(sc, false, authz.PaymentsSettle); err != nil {
		return err
	}
	var p problems
	p.text("payment_id", &rec.PaymentID, maxShort, true)
	p.id("document_id", &rec.DocumentID, true)
	p.text("number", &rec.Number, maxShort, true)
	if err := p.err(); err != nil {
		return err
	}
	return s.enter(ctx, tx, sc, caseID, func(ctx context.Context, c *Case) (*act, error) {
		f := &c.Facts
		i := slices.IndexFunc(f.Payments, func(x OnlinePayment) bool { return x.PaymentID == rec.PaymentID })
		if i < 0 {
			return nil, errs.E(errs.FailedPrecondition, "本案没有该笔缴款", "the case has no such payment").WithFields(errs.Field("payment_id", "未记录", "not recorded"))
		}
		if f.Payments[i].ReceiptID != "" {
			return nil, nil
		}
		a := s.entry(ctx, tx, sc, c, ActReceiptIssued, &receiptInput{Record: rec}, "", time.Time{})
		f.Payments[i].ReceiptID, f.Payments[i].ReceiptNumber = rec.DocumentID, rec.Number
		if f.documentByID(rec.DocumentID) == nil {
			f.Documents = append(f.Documents, DocumentRef{ID: rec.DocumentID, Kind: KindFiscalReceipt, Number: rec.Number, IssuedOn: a.on,
				Action: ActReceiptIssued, ServedOn: a.on, ServedBy: "platform"})
		}
		if pm := f.Payment; pm != nil && pm.Online && pm.Receipt == f.Payments[i].Reference {
			pm.Receipt = rec.Number
		}
		a.record("document_id", rec.DocumentID)
		a.record("document_number", rec.Number)
		return a, nil
	})
}

// KindFiscalReceipt is the document kind of a fiscal e-receipt (财政电子票据) on the case.
const KindFiscalReceipt = "fiscal_receipt"

// RecordRefund enters a refund inside tx, once per RefundID: an event (refunded) and the case's
// refunds. Refunds never exceed what was paid online. payments.settle only. Returns NotFound,
// Invalid, FailedPrecondition (no such payment, or more than was paid).
func (s *Service) RecordRefund(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string, rec RefundRecord) error {
	if err := mayEnter(sc, false, authz.PaymentsSettle); err != nil {
		return err
	}
	var p problems
	p.text("refund_id", &rec.RefundID, maxShort, true)
	p.text("payment_id", &rec.PaymentID, maxShort, true)
	p.text("reason", &rec.Reason, maxShort, true)
	p.text("reference", &rec.Reference, maxShort, false)
	if rec.AmountFen <= 0 {
		p.add("amount_fen", "须大于0", "must be above 0")
	}
	p.money("amount_fen", rec.AmountFen)
	if err := p.err(); err != nil {
		return err
	}
	return s.enter(ctx, tx, sc, caseID, func(ctx context.Context, c *Case) (*act, error) {
		f := &c.Facts
		if slices.ContainsFunc(f.Refunds, func(x Refund) bool { return x.RefundID == rec.RefundID }) {
			return nil, nil
		}
		if !slices.ContainsFunc(f.Payments, func(x OnlinePayment) bool { return x.PaymentID == rec.PaymentID }) {
			return nil, errs.E(errs.FailedPrecondition, "本案没有该笔缴款", "the case has no such payment").WithFields(errs.Field("payment_id", "未记录", "not recorded"))
		}
		if f.refunded()+rec.AmountFen > f.paidOnline() {
			return nil, errs.E(errs.FailedPrecondition, fmt.Sprintf("退款合计不能超过在线缴纳的 %s", money.Fen(f.paidOnline())),
				fmt.Sprintf("refunds cannot exceed the %s paid online", money.Fen(f.paidOnline())))
		}
		a := s.entry(ctx, tx, sc, c, ActRefunded, &refundInput{Record: rec}, "", rec.At.UTC())
		f.Refunds = append(f.Refunds, Refund{RefundID: rec.RefundID, PaymentID: rec.PaymentID, AmountFen: rec.AmountFen,
			Reason: strings.TrimSpace(rec.Reason), Reference: rec.Reference, At: a.at})
		a.record("refunded_fen", f.refunded())
		return a, nil
	})
}
