package portal

import (
	"context"
	"net/http"

	"github.com/uptrace/bun"

	"zhifa/modules/delivery"
	"zhifa/modules/documents"
	"zhifa/modules/kernel/authz"
	"zhifa/tenants"
)

// What the portal needs beyond the case engine and payments (ports.go): each is implemented by
// another module's service, named beside it; the application wires them.

// Consents is the e-delivery consent as the portal signs it (delivery.Service implements it). Both
// run in the portal's transaction tx under the party scope sc.
type Consents interface {
	// ActiveConsent returns the case's consent in force, or nil.
	ActiveConsent(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string) (*delivery.Consent, error)
	// RecordConsentTx records the consent the party signs: the inbox is the scope's actor's, the
	// day signed today. Returns Invalid, NotFound, FailedPrecondition, Conflict (one in force).
	RecordConsentTx(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string, in delivery.ConsentInput) (*delivery.Consent, error)
}

// Documents issues and serves the reconsideration application's PDF (documents.Service
// implements it). The portal issues as the platform (authz.Platform, which documents.issue
// allows) at the case's tenant, after the party's proof and claim.
type Documents interface {
	// Issue issues a document inside tx (a savepoint of it), with the data the request carries.
	Issue(ctx context.Context, tx bun.IDB, sc tenants.Scope, req documents.IssueRequest) (*documents.Document, error)
	// PDF returns an issued document's signed PDF.
	PDF(ctx context.Context, sc tenants.Scope, documentID string) ([]byte, *documents.Document, error)
}

// SettingReader resolves a tenant setting for a body (tenants.Service implements it).
type SettingReader interface {
	SettingValue(ctx context.Context, tx bun.IDB, sc tenants.Scope, bodyID, key string, v any) error
}

// Identity says who a page request's credentials belong to (identity.Service implements it).
// The API's operations get their principal from the API's own session middleware.
type Identity interface {
	// Authenticate returns the request's principal; Unauthenticated without a valid session.
	Authenticate(ctx context.Context, r *http.Request) (*authz.Principal, error)
}

// partyScope is the scope of a proven party acting on its case at tenant t: the citizen role,
// the portal account as actor. The portal builds it only after the proof (lookup) or from the
// account's claim on the case.
func partyScope(t *tenants.Tenant, account string) tenants.Scope {
	return tenants.NewScope(t, account, []authz.Role{authz.Citizen}, nil)
}

// platformScope is the platform acting at tenant t on the party's behalf, to issue the party's
// application as a document of the case (documents.issue is the platform's, never the citizen's).
func platformScope(t *tenants.Tenant, account string) tenants.Scope {
	return tenants.NewScope(t, account, []authz.Role{authz.Platform}, nil)
}
