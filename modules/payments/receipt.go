package payments

import (
	"context"
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/hibiken/asynq"
	"github.com/uptrace/bun"

	"zhifa/modules/cases"
	"zhifa/modules/delivery/deliverytask"
	"zhifa/modules/documents"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/money"
	"zhifa/tenants"
)

// The fiscal e-receipt (财政电子票据) of a paid payment: issued by the payments:issue_receipt task
// (written in the transaction that marked the payment paid; task ID = outbox ID) through the
// documents module as a document of the case, of type fiscal_receipt: its number from the
// documents module's allocation (per payee body, series 票 and year: no gaps, no duplicates),
// the payer, the payee authority, the items (罚款, 加处罚款) with the amounts in figures and in
// Chinese capitals, the date, and a verification code (校验码); a signed and sealed PDF. The same
// transaction enters it on the case's chain (Cases.RecordReceipt) and writes the case engine's
// delivery task (delivery:deliver_document) that serves it on the party.

// ReceiptTask is the payload of payments:issue_receipt.
type ReceiptTask struct {
	PaymentID string `json:"payment_id"`
}

// platformScope returns the scope the platform settles a tenant's payments in.
func (s *Service) platformScope(ctx context.Context, tenantID string) (tenants.Scope, error) {
	t, err := s.tenants.Lookup(ctx, tenantID)
	if err != nil {
		return tenants.Scope{}, err
	}
	return tenants.NewScope(t, platformActor, []authz.Role{authz.Platform}, nil), nil
}

// HandleIssueReceipt issues the fiscal e-receipt of a paid payment, once: a payment that has its
// receipt is left as it is, and the receipt, its entry on the chain, the payment's reference to it
// and the delivery task commit together. The task's tenant scope is exchanged for the platform's
// (payments.settle, documents.issue). A payment that is not paid, or a receipt the documents
// module refuses for its data, is not retried (logged); other failures are.
func (s *Service) HandleIssueReceipt(ctx context.Context, sc tenants.Scope, task ReceiptTask) error {
	if !dbx.ValidID(task.PaymentID) {
		return fmt.Errorf("payments: %s: bad payload: %w", IssueReceipt.Type, asynq.SkipRetry)
	}
	psc, err := s.platformScope(ctx, sc.TenantID())
	if err != nil {
		return fmt.Errorf("payments: %s: %v: %w", IssueReceipt.Type, err, asynq.SkipRetry)
	}
	err = tenants.RunInTx(ctx, s.db, psc, func(ctx context.Context, tx bun.Tx) error {
		p, err := findPayment(ctx, tx, psc, task.PaymentID, true)
		if err != nil {
			return err
		}
		if !p.settled() {
			return errs.Ef(errs.FailedPrecondition, "缴款 %s 未支付，不开具票据", "payment %s is not paid: no receipt", p.ID)
		}
		if p.ReceiptDocumentID != "" {
			return nil
		}
		t, err := s.cases.Terms(ctx, tx, psc, p.CaseID)
		if err != nil {
			return err
		}
		doc, err := s.docs.Issue(ctx, tx, psc, documents.IssueRequest{CaseID: p.CaseID, BodyID: p.BodyID, Type: documents.TypeFiscalReceipt,
			Data: s.receiptData(p, t)})
		if err != nil {
			return err
		}
		if err := s.cases.RecordReceipt(ctx, tx, psc, p.CaseID, cases.ReceiptRecord{PaymentID: p.ID, DocumentID: doc.ID, Number: doc.Number}); err != nil {
			return err
		}
		if _, err := tenants.Own(psc, tx.NewUpdate().Model((*Payment)(nil))).Set("receipt_document_id = ?", doc.ID).
			Set("receipt_number = ?", doc.Number).Set("updated_at = ?", s.now().UTC()).Where("p.id = ?", p.ID).Exec(ctx); err != nil {
			return err
		}
		party := deliverytask.Party{Kind: string(t.Party.Kind), Name: t.Party.Name, IDNumber: t.Party.IDNumber, USCC: t.Party.USCC}
		_, err = deliverytask.Deliver.Enqueue(ctx, tx, psc, deliverytask.DeliverDocument{CaseID: p.CaseID, CaseCode: p.CaseCode,
			BodyID: p.BodyID, Document: string(documents.TypeFiscalReceipt), DocumentID: doc.ID, Party: party})
		return err
	})
	switch errs.CodeOf(err) {
	case "":
		return nil
	case errs.Invalid, errs.NotFound, errs.FailedPrecondition, errs.Forbidden:
		s.log.ErrorContext(ctx, "payments: the receipt cannot be issued", "payment", task.PaymentID, "err", err.Error())
		return fmt.Errorf("payments: receipt of %s: %v: %w", task.PaymentID, err, asynq.SkipRetry)
	}
	return err
}

// receiptData is the fiscal_receipt document's data for a paid payment.
func (s *Service) receiptData(p *Payment, t *cases.PaymentTerms) map[string]any {
	paidAt := s.now()
	if p.PaidAt != nil {
		paidAt = *p.PaidAt
	}
	fine := "罚款"
	if p.Instalment > 0 {
		fine = fmt.Sprintf("罚款（第%d期）", p.Instalment)
	}
	lines := []any{map[string]any{"name": fine, "standard": t.DecisionNumber, "amount_fen": p.PrincipalFen, "amount_text": money.Fen(p.PrincipalFen).Figure()}}
	if p.SurchargeFen > 0 {
		lines = append(lines, map[string]any{"name": "加处罚款", "standard": fmt.Sprintf("每日按罚款数额的3%%，%d日（%s）", p.LateDays, surchargeArticle.Label()),
			"amount_fen": p.SurchargeFen, "amount_text": money.Fen(p.SurchargeFen).Figure()})
	}
	method := "网上缴款（Stripe）"
	if p.Simulated {
		method = "模拟支付（开发环境，非真实缴款）"
	}
	return map[string]any{
		"party": map[string]any{"kind": string(t.Party.Kind), "name": t.Party.Name},
		"receipt": map[string]any{"payer": t.Party.Name, "payer_code": maskedCode(t.Party), "payee": t.BodyName,
			"decision_number": t.DecisionNumber, "amount_fen": p.TotalFen, "amount_text": money.Fen(p.TotalFen).Figure(),
			"amount_cn": money.Fen(p.TotalFen).Capital(), "paid_at": documents.DateTimeCN(paidAt), "method": method,
			"reference": p.Reference, "check_code": s.checkCode(p, paidAt.Unix()), "simulated": p.Simulated},
		"lines": lines,
	}
}

// maskedCode is the payer's code on the receipt: an organisation's credit code in full (it is
// public), a person's identity number with the birth date hidden.
func maskedCode(p cases.Party) string {
	if p.USCC != "" {
		return p.USCC
	}
	if n := len(p.IDNumber); n > 10 {
		return p.IDNumber[:6] + strings.Repeat("*", n-10) + p.IDNumber[n-4:]
	}
	return ""
}

// checkCode is a receipt's verification code (校验码): six digits of an HMAC, under a key derived
// from the platform's secret key, of the tenant, the payment, the amount and the time paid, so
// that only the platform can make it and any change of those facts changes it.
func (s *Service) checkCode(p *Payment, paidUnix int64) string {
	mac := s.derive("zhifa/payments/receipt-check-code/v1", fmt.Sprintf("%s|%s|%d|%d", p.TenantID, p.ID, p.TotalFen, paidUnix))
	return fmt.Sprintf("%06d", binary.BigEndian.Uint32(mac[:4])%1_000_000)
}
