package payments_test

import (
	"context"
	"sync"

	"github.com/uptrace/bun"

	"zhifa/modules/cases"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// memCases is this package's own implementation of payments.Cases (our port, not an external
// component) backed by a map of the engine's cases.PaymentTerms, for the package's tests; the
// cross-module test runs against *cases.Service itself. It keeps each case's terms and what was
// entered on its "chain", once per payment or refund ID as the contract says, and applies a
// payment or a refund to the terms as the engine would.
type memCases struct {
	mu       sync.Mutex
	terms    map[string]*cases.PaymentTerms // case ID -> terms
	paid     map[string]cases.PaymentRecord
	receipts map[string]cases.ReceiptRecord
	refunds  map[string]cases.RefundRecord
	calls    int // RecordPayment calls, repeated ones included
}

func newMemCases() *memCases {
	return &memCases{terms: map[string]*cases.PaymentTerms{}, paid: map[string]cases.PaymentRecord{},
		receipts: map[string]cases.ReceiptRecord{}, refunds: map[string]cases.RefundRecord{}}
}

func (m *memCases) put(t cases.PaymentTerms) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.terms[t.CaseID] = &t
}

// visible returns the case's terms if sc may see them: its tenant, with a role the contract names.
func (m *memCases) visible(sc tenants.Scope, caseID string) (*cases.PaymentTerms, error) {
	t, ok := m.terms[caseID]
	if !ok || t.TenantID != sc.TenantID() {
		return nil, errs.ErrNotFound
	}
	if !sc.Can(authz.PaymentsSettle) && !sc.Can(authz.PartyAct) && !sc.Can(authz.PaymentsRead) && !sc.Can(authz.PaymentsRefund) {
		return nil, errs.ErrForbidden
	}
	return t, nil
}

func (m *memCases) Terms(_ context.Context, _ bun.IDB, sc tenants.Scope, caseID string) (*cases.PaymentTerms, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, err := m.visible(sc, caseID)
	if err != nil {
		return nil, err
	}
	cp := *t
	return &cp, nil
}

func (m *memCases) RecordPayment(_ context.Context, _ bun.IDB, sc tenants.Scope, caseID string, rec cases.PaymentRecord) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	t, err := m.visible(sc, caseID)
	if err != nil {
		return err
	}
	if !sc.Can(authz.PaymentsSettle) {
		return errs.ErrForbidden
	}
	if _, dup := m.paid[rec.PaymentID]; dup {
		return nil
	}
	m.paid[rec.PaymentID] = rec
	t.PaidFen += rec.PrincipalFen
	t.PaidSurchargeFen += rec.SurchargeFen
	if t.Plan != nil && rec.Instalment > 0 {
		for i := range t.Plan.Instalments {
			if t.Plan.Instalments[i].Seq == rec.Instalment {
				t.Plan.Instalments[i].PaidOn = "paid"
			}
		}
	}
	return nil
}

func (m *memCases) RecordReceipt(_ context.Context, _ bun.IDB, sc tenants.Scope, caseID string, rec cases.ReceiptRecord) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, err := m.visible(sc, caseID); err != nil {
		return err
	}
	if _, dup := m.receipts[rec.PaymentID]; !dup {
		m.receipts[rec.PaymentID] = rec
	}
	return nil
}

func (m *memCases) RecordRefund(_ context.Context, _ bun.IDB, sc tenants.Scope, caseID string, rec cases.RefundRecord) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, err := m.visible(sc, caseID)
	if err != nil {
		return err
	}
	if _, dup := m.refunds[rec.RefundID]; !dup {
		m.refunds[rec.RefundID] = rec
		t.RefundedFen += rec.AmountFen
	}
	return nil
}

func (m *memCases) payment(id string) (cases.PaymentRecord, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.paid[id]
	return r, ok
}

func (m *memCases) receipt(id string) (cases.ReceiptRecord, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.receipts[id]
	return r, ok
}

func (m *memCases) refundTotal() int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	var n int64
	for _, r := range m.refunds {
		n += r.AmountFen
	}
	return n
}
