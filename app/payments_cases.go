package app

import (
	"context"

	"github.com/uptrace/bun"

	"zhifa/modules/cases"
	"zhifa/modules/payments"
	"zhifa/tenants"
)

// paymentsCases is the case engine as the payments module sees it (payments.Cases): the engine's
// terms and records (cases.PaymentTerms, cases.PaymentRecord, cases.ReceiptRecord,
// cases.RefundRecord) in the payments module's own. The records convert as they are (the
// compiler keeps their fields equal); the terms carry the plan, the pauses and the payer.
type paymentsCases struct{ cases *cases.Service }

var _ payments.Cases = paymentsCases{}

// Terms returns the engine's terms of the case as the payments module reads them.
func (p paymentsCases) Terms(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string) (*payments.Terms, error) {
	t, err := p.cases.Terms(ctx, tx, sc, caseID)
	if err != nil {
		return nil, err
	}
	out := &payments.Terms{CaseID: t.CaseID, CaseCode: t.CaseCode, TenantID: t.TenantID, BodyID: t.BodyID, BodyName: t.BodyName,
		State: t.State, DecisionNumber: t.DecisionNumber, DecidedOn: t.DecidedOn, FineFen: t.FineFen, ServedOn: t.ServedOn,
		PayDue: t.PayDue, PaidFen: t.PaidFen, PaidSurchargeFen: t.PaidSurchargeFen, RefundedFen: t.RefundedFen, Revoked: t.Revoked,
		Party: payments.Party{Kind: string(t.Party.Kind), Name: t.Party.Name, IDNumber: t.Party.IDNumber, USCC: t.Party.USCC}}
	for _, x := range t.Paused {
		out.Paused = append(out.Paused, payments.Pause(x))
	}
	if pl := t.Plan; pl != nil {
		out.Plan = &payments.Plan{Kind: payments.PlanKind(pl.Kind), ApprovedOn: pl.ApprovedOn, Reason: pl.Reason,
			Instalments: make([]payments.Instalment, len(pl.Instalments))}
		for i, in := range pl.Instalments {
			out.Plan.Instalments[i] = payments.Instalment(in)
		}
	}
	return out, nil
}

// RecordPayment enters the payment on the case's record.
func (p paymentsCases) RecordPayment(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string, rec payments.PaymentRecord) error {
	return p.cases.RecordPayment(ctx, tx, sc, caseID, cases.PaymentRecord(rec))
}

// RecordReceipt enters the fiscal e-receipt on the case's record.
func (p paymentsCases) RecordReceipt(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string, rec payments.ReceiptRecord) error {
	return p.cases.RecordReceipt(ctx, tx, sc, caseID, cases.ReceiptRecord(rec))
}

// RecordRefund enters the refund on the case's record.
func (p paymentsCases) RecordRefund(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string, rec payments.RefundRecord) error {
	return p.cases.RecordRefund(ctx, tx, sc, caseID, cases.RefundRecord(rec))
}
