package portal

import (
	"context"

	"github.com/uptrace/bun"

	"zhifa/modules/cases"
	"zhifa/modules/payments"
	"zhifa/tenants"
)

// What the portal needs from the case engine and from the payments module, declared in their
// own read models: *cases.Service implements Cases as it is (the party's view, cases.PartyView,
// and the party's entries, cases.PartyEntry, are the engine's), *payments.Service implements
// Payments. The engine does not import the portal.

// Cases is the case engine as the portal sees it. sc is a party scope (authz.Citizen, actor = the
// portal account's identity ID) at the case's tenant, built by the portal only after the code and
// the proof check; CaseByCode is also called before the proof, to check it. Returns NotFound.
type Cases interface {
	CaseByCode(ctx context.Context, tx bun.IDB, sc tenants.Scope, code string) (*cases.PartyView, error)
	PartyCase(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string) (*cases.PartyView, error)
	// PartyDocument returns the signed PDF of a document of the case; NotFound for another case's.
	PartyDocument(ctx context.Context, sc tenants.Scope, caseID, documentID string) ([]byte, cases.DocumentFile, error)
	// RecordPartyEntry enters e on the case's chain in tx; a repeated Kind+Ref adds nothing.
	// EntryReconsiderationApplied opens a pending reconsideration (the surcharge does not accrue
	// from e.On, Art. 72) and is refused (FailedPrecondition, 行政复议法 Art. 20) after the period.
	RecordPartyEntry(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string, e cases.PartyEntry) error
}

// Payments is the payments module as the portal sees it; sc is the party scope.
type Payments interface {
	Quote(ctx context.Context, sc tenants.Scope, caseID string) (*payments.Quote, error)
	Checkout(ctx context.Context, sc tenants.Scope, caseID string, in payments.CheckoutInput) (*payments.Checkout, error)
	CasePayments(ctx context.Context, sc tenants.Scope, caseID string) ([]payments.PaymentView, error)
}
