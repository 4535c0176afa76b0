package delivery

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"zhifa/modules/cases"
	"zhifa/modules/delivery/deliverytask"
	"zhifa/tenants"
)

// CaseRecorder is what delivery needs from the case engine, declared in the engine's own read
// models (cases.DeliveryCase, cases.Arrival): *cases.Service implements it as it is, and caseFor
// turns the case into delivery's CaseInfo. The engine does not import delivery.
type CaseRecorder interface {
	// CaseForDelivery returns the case's public code, body and party, as sc may see them. tx is
	// the caller's transaction, opened by tenants.RunInTx under sc. Returns NotFound when there is
	// no such case in sc's tenant or sc may not read it (another body's case for a body-bound
	// officer): the caller cannot tell the two apart.
	CaseForDelivery(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string) (*cases.DeliveryCase, error)
	// RecordDelivery enters a document's arrival in the case's record (the hash-chained
	// whole-process record, Art. 47) inside tx; rec.At is the legal delivery time and rec.Serves
	// says whether this arrival served the document (the first one). It is called once per
	// serving route that reached the party, from the delivery:record_served task, under the
	// task's scope (the case's tenant, role tenant operator); delivery marks the route recorded in
	// the same tx, so an implementation that writes through tx records each route exactly once.
	// An *errs.Error with code Invalid, NotFound, Conflict or FailedPrecondition is final (kept on
	// the route as RecordError, not retried); any other error is retried.
	RecordDelivery(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string, rec cases.Arrival) error
}

// CaseInfo is what delivery needs to know about a case: the case engine's DeliveryCase (caseFor),
// or what a delivery request carries.
type CaseInfo struct {
	ID     string `json:"id"`
	Code   string `json:"code"`
	BodyID string `json:"body_id"`
	Party  Party  `json:"party"`
}

// Party is a case's party, as the case engine records it: the party of the deliverytask contract.
type Party = deliverytask.Party

// DocumentSource is what delivery needs from the documents module: the PDF of an issued document,
// and the document a case step asks to serve (CaseDocuments adapts the documents module and the
// case engine to it).
type DocumentSource interface {
	// PDF returns the bytes of an issued document (signed and sealed) with its metadata, as sc
	// may see it. Returns NotFound when there is no such document in sc's tenant; any other
	// error is treated as temporary (retried).
	PDF(ctx context.Context, sc tenants.Scope, documentID string) ([]byte, DocumentInfo, error)
	// IssueFor returns the document of kind (prior_notice, penalty_decision, ...) to serve for the
	// case, issuing it inside tx when the case has none to serve yet; a delivery that rolls back
	// leaves no document behind. Returning a document issued earlier is fine: a document has one
	// delivery, which a second request joins. Returns NotFound (no such case), FailedPrecondition
	// (the case's facts cannot fill the document).
	IssueFor(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID, kind string) (documentID string, err error)
}

// DocumentInfo describes an issued document.
type DocumentInfo struct {
	ID       string    `json:"id"`
	CaseID   string    `json:"case_id,omitempty"` // checked against the case when given
	Kind     string    `json:"kind"`
	Title    string    `json:"title"`            // e.g. 行政处罚决定书
	Number   string    `json:"number,omitempty"` // 文号
	FileName string    `json:"file_name"`        // e.g. 闽尤市监罚〔2025〕12号.pdf
	SHA256   string    `json:"sha256,omitempty"` // of the PDF; checked when given
	IssuedAt time.Time `json:"issued_at,omitzero"`
}
