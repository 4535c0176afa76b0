package portal

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/payments"
	"zhifa/tenants"
)

// What the portal needs from the case engine (package cases implements Cases) and from the
// payments module (package payments implements Payments). This package imports neither's service.

// PartyCase is a case as its party may see it once proven: the public status, deadlines and
// documents, never officers' notes or evidence. PartyKey is what the proof is checked against and
// never leaves the server.
type PartyCase struct {
	ID         string   `json:"-"`
	TenantID   string   `json:"-"`
	Code       string   `json:"code"`
	Title      string   `json:"title"`
	Kind       string   `json:"kind"`
	State      string   `json:"state"`
	StateTitle errs.Msg `json:"state_title"`
	BodyID     string   `json:"body_id"`
	BodyName   string   `json:"body_name"`
	PartyKind  string   `json:"party_kind"` // person, organisation
	PartyName  string   `json:"party_name"`
	// PartyAddress and PartyPhone are what the case recorded, for the party's own forms.
	PartyAddress string `json:"party_address,omitempty"`
	PartyPhone   string `json:"party_phone,omitempty"`
	// PartyKey is the party's resident identity number (person) or unified social credit code
	// (organisation), upper case; empty when the case has none (then no one can prove to be the party).
	PartyKey   string         `json:"-"`
	Decision   *DecisionView  `json:"decision,omitempty"`
	Deadlines  []Deadline     `json:"deadlines"`
	Documents  []DocumentView `json:"documents"`
	History    []HistoryEntry `json:"history"`
	Remedies   []RemedyView   `json:"remedies"`
	Evaluated  *civil.Date    `json:"evaluated_on,omitempty"` // the day the party evaluated the enforcement
	Payable    bool           `json:"payable"`                // a served decision with a fine still to pay
	Reconsider ReconsiderInfo `json:"reconsideration"`
}

// DecisionView is the decision as it was served.
type DecisionView struct {
	Number string     `json:"number"`
	On     civil.Date `json:"on"`
	Types  []string   `json:"types"`
	// TypeTitles are the types' Chinese names (警告, 罚款...), in the same order.
	TypeTitles []string   `json:"type_titles"`
	FineFen    int64      `json:"fine_fen"`
	Basis      string     `json:"basis"`
	Facts      string     `json:"facts"`
	ServedOn   civil.Date `json:"served_on,omitempty"`
	PayDue     civil.Date `json:"payment_due,omitempty"`
	Revoked    bool       `json:"revoked,omitempty"`
	ReducedTo  *int64     `json:"reduced_to_fen,omitempty"`
}

// Deadline is a running deadline the party should know of, with how it was counted.
type Deadline struct {
	Key     string     `json:"key"` // payment, reconsideration, litigation, hearing_request, statement
	Title   errs.Msg   `json:"title"`
	Due     civil.Date `json:"due"`
	Article string     `json:"article"` // e.g. 《行政处罚法》第67条
	How     string     `json:"how,omitempty"`
	Passed  bool       `json:"passed"`
}

// DocumentView is a document of the case served (or to be served) on the party.
type DocumentView struct {
	ID       string     `json:"id"`
	Kind     string     `json:"kind"`
	Title    string     `json:"title"`
	Number   string     `json:"number,omitempty"`
	IssuedOn civil.Date `json:"issued_on"`
	ServedOn civil.Date `json:"served_on,omitempty"`
}

// HistoryEntry is a step of the case in its public history: what happened and when.
type HistoryEntry struct {
	On    civil.Date `json:"on"`
	Title errs.Msg   `json:"title"`
}

// RemedyView is a reconsideration or litigation the record holds, pending or decided.
type RemedyView struct {
	Kind    string     `json:"kind"` // reconsideration, litigation
	Ref     string     `json:"ref,omitempty"`
	From    civil.Date `json:"from"`
	To      civil.Date `json:"to,omitempty"`
	Outcome string     `json:"outcome,omitempty"` // upheld, changed, revoked, withdrawn; empty: pending
	Body    string     `json:"body,omitempty"`
}

// ReconsiderInfo says whether the party may still apply for reconsideration, to whom and by when
// (行政复议法 Art. 20: 60 days from knowing of the decision).
type ReconsiderInfo struct {
	Open      bool       `json:"open"`
	Authority string     `json:"authority"`
	Due       civil.Date `json:"due,omitempty"`
}

// PartyEntryKind is a kind of entry the portal makes on a case's record.
type PartyEntryKind string

// The portal's entries.
const (
	EntryConsentSigned          PartyEntryKind = "consent_signed"          // 电子送达确认书 signed in the portal
	EntryEvaluated              PartyEntryKind = "evaluated"               // 公众评议
	EntryReconsiderationApplied PartyEntryKind = "reconsideration_applied" // 一键复议: the surcharge stops from On
	EntryReconsiderationSent    PartyEntryKind = "reconsideration_sent"    // the application reached the reconsideration body
)

// PartyEntry is one entry the portal makes on the case's chain, once per Kind and Ref.
type PartyEntry struct {
	Kind PartyEntryKind `json:"kind"`
	Ref  string         `json:"ref"` // the portal's record (consent, evaluation, application ID)
	On   civil.Date     `json:"on"`
	At   time.Time      `json:"at"`
	// Data is what the record holds (rating and comment; the application's request and the body).
	Data map[string]any `json:"data,omitempty"`
}

// DocumentFile describes a document's PDF.
type DocumentFile struct {
	FileName string
	Title    string
	Number   string
}

// Cases is the case engine as the portal sees it. sc is a party scope (authz.Citizen, actor = the
// portal account's identity ID) at the case's tenant, built by the portal only after the code and
// the proof check; CaseByCode is also called before the proof, to check it. Returns NotFound.
type Cases interface {
	CaseByCode(ctx context.Context, tx bun.IDB, sc tenants.Scope, code string) (*PartyCase, error)
	PartyCase(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string) (*PartyCase, error)
	// PartyDocument returns the signed PDF of a document of the case; NotFound for another case's.
	PartyDocument(ctx context.Context, sc tenants.Scope, caseID, documentID string) ([]byte, DocumentFile, error)
	// RecordParty enters e on the case's chain in tx; a repeated Kind+Ref adds nothing.
	// EntryReconsiderationApplied opens a pending reconsideration (the surcharge does not accrue
	// from e.On, Art. 72) and is refused (FailedPrecondition, 行政复议法 Art. 20) after the period.
	RecordParty(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string, e PartyEntry) error
}

// Payments is the payments module as the portal sees it; sc is the party scope.
type Payments interface {
	Quote(ctx context.Context, sc tenants.Scope, caseID string) (*payments.Quote, error)
	Checkout(ctx context.Context, sc tenants.Scope, caseID string, in payments.CheckoutInput) (*payments.Checkout, error)
	CasePayments(ctx context.Context, sc tenants.Scope, caseID string) ([]payments.PaymentView, error)
}
