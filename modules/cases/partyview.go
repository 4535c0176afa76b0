package cases

import (
	"time"

	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/errs"
)

// The engine's read model of a case as its proven party may see it (PartyView, returned by
// CaseByCode and PartyCase), and the entries a party makes on the record (PartyEntry, entered by
// RecordPartyEntry). The citizen portal serves them as they are: their JSON names are the
// portal's API.

// PartyView is a case as its party may see it once proven: the public status, deadlines and
// documents, never officers' notes or evidence. PartyKey is what the proof is checked against and
// never leaves the server.
type PartyView struct {
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
	PartyKey   string              `json:"-"`
	Decision   *PartyDecision      `json:"decision,omitempty"`
	Deadlines  []PartyDeadline     `json:"deadlines"`
	Documents  []PartyDocumentView `json:"documents"`
	History    []PartyHistoryEntry `json:"history"`
	Remedies   []PartyRemedy       `json:"remedies"`
	Evaluated  *civil.Date         `json:"evaluated_on,omitempty"` // the day the party evaluated the enforcement
	Payable    bool                `json:"payable"`                // a served decision with a fine still to pay
	Reconsider ReconsiderInfo      `json:"reconsideration"`
}

// PartyDecision is the decision as it was served.
type PartyDecision struct {
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

// PartyDeadline is a running deadline the party should know of, with how it was counted.
type PartyDeadline struct {
	Key     string     `json:"key"` // payment, reconsideration, litigation, hearing_request, statement
	Title   errs.Msg   `json:"title"`
	Due     civil.Date `json:"due"`
	Article string     `json:"article"` // e.g. 《行政处罚法》第67条
	How     string     `json:"how,omitempty"`
	Passed  bool       `json:"passed"`
}

// PartyDocumentView is a document of the case served (or to be served) on the party.
type PartyDocumentView struct {
	ID       string     `json:"id"`
	Kind     string     `json:"kind"`
	Title    string     `json:"title"`
	Number   string     `json:"number,omitempty"`
	IssuedOn civil.Date `json:"issued_on"`
	ServedOn civil.Date `json:"served_on,omitempty"`
}

// PartyHistoryEntry is a step of the case in its public history: what happened and when.
type PartyHistoryEntry struct {
	On    civil.Date `json:"on"`
	Title errs.Msg   `json:"title"`
}

// PartyRemedy is a reconsideration or litigation the record holds, pending or decided.
type PartyRemedy struct {
	Kind    string     `json:"kind"` // reconsideration, litigation
	Ref     string     `json:"ref,omitempty"`
	From    civil.Date `json:"from"`
	To      civil.Date `json:"to,omitempty"`
	Outcome string     `json:"outcome,omitempty"` // upheld, changed, revoked, withdrawn; empty: pending
	Body    string     `json:"body,omitempty"`
}

// ReconsiderInfo says whether the party may still apply for reconsideration, to whom and by when
// (行政复议法 Art. 20: 60 days from knowing of the decision), and the article that gives the
// period, as a page shows it.
type ReconsiderInfo struct {
	Open      bool       `json:"open"`
	Authority string     `json:"authority"`
	Due       civil.Date `json:"due,omitempty"`
	Article   string     `json:"article"` // 《行政复议法》第20条
}

// PartyEntryKind is a kind of entry the party makes on a case's record (through the portal); it
// is the action of the entry's event.
type PartyEntryKind string

// The party's entries.
const (
	EntryConsentSigned          PartyEntryKind = "consent_signed"          // 电子送达确认书 signed in the portal
	EntryEvaluated              PartyEntryKind = "evaluated"               // 公众评议
	EntryReconsiderationApplied PartyEntryKind = "reconsideration_applied" // 一键复议: the surcharge stops from On
	EntryReconsiderationSent    PartyEntryKind = "reconsideration_sent"    // the application reached the reconsideration body
)

// PartyEntry is one entry the party makes on the case's chain, once per Kind and Ref; the event
// keeps it as "entry".
type PartyEntry struct {
	Kind PartyEntryKind `json:"kind"`
	Ref  string         `json:"ref"` // the portal's record (consent, evaluation, application ID)
	On   civil.Date     `json:"on"`
	At   time.Time      `json:"at"`
	// Data is what the record holds (rating and comment; the application's request and the body).
	Data map[string]any `json:"data,omitempty"`
}

// DocumentFile describes a document's PDF served to the party (PartyDocument).
type DocumentFile struct {
	FileName string
	Title    string
	Number   string
}
