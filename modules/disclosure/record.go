package disclosure

import (
	"time"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/civil"
)

// Record is one decision's disclosure record: only what may be public (the redacted party and
// facts), with its state and clocks. The fields are those the 双公示 CF_* set is derived from.
type Record struct {
	bun.BaseModel `bun:"table:disclosure_records,alias:dr"`

	ID             string `bun:"id,pk" json:"id"`
	TenantID       string `bun:"tenant_id,notnull" json:"tenant_id"`
	CaseID         string `bun:"case_id,notnull" json:"case_id"`
	CaseCode       string `bun:"case_code,notnull" json:"case_code"`
	BodyID         string `bun:"body_id,notnull" json:"body_id"`
	BodyName       string `bun:"body_name,notnull" json:"body_name"` // 处罚机关 (and the data source)
	BodyUSCC       string `bun:"body_uscc,notnull" json:"body_uscc"`
	DecisionNumber string `bun:"decision_number,notnull" json:"decision_number"`
	State          State  `bun:"state,notnull" json:"state"`
	// WithheldReason says why a withheld record is never published (redact.Reason).
	WithheldReason string `bun:"withheld_reason,notnull" json:"withheld_reason,omitempty"`
	PartyKind      string `bun:"party_kind,notnull" json:"party_kind"` // redact.Kind
	PartyName      string `bun:"party_name,notnull" json:"party_name"`
	PartyUSCC      string `bun:"party_uscc,notnull" json:"party_uscc,omitempty"`
	// LegalRep is an organisation's legal representative (法定代表人): the case engine does not
	// give it yet, so it stays empty until it does.
	LegalRep         string     `bun:"legal_rep,notnull" json:"legal_rep,omitempty"`
	Facts            string     `bun:"facts,notnull" json:"facts"` // redacted
	Basis            string     `bun:"basis,notnull" json:"basis"`
	Categories       []string   `bun:"categories,notnull,type:text" json:"categories"` // 行政处罚法 Art. 9 types
	Content          string     `bun:"content,notnull" json:"content"`                 // 处罚内容
	FineFen          int64      `bun:"fine_fen,notnull" json:"fine_fen"`
	ConfiscationFen  int64      `bun:"confiscation_fen,notnull" json:"confiscation_fen"`
	LicenceSuspended bool       `bun:"licence_suspended,notnull" json:"licence_suspended"`
	LicenceRevoked   bool       `bun:"licence_revoked,notnull" json:"licence_revoked"`
	DecidedOn        civil.Date `bun:"decided_on,notnull" json:"decided_on"`
	PublishBy        civil.Date `bun:"publish_by,notnull" json:"publish_by"`
	PublishedOn      civil.Date `bun:"published_on,notnull" json:"published_on,omitempty"`
	// MinEndOn is the first day publication may end early (credit repair); EndsOn the day it
	// expires on this platform; CreditEndsOn the credit publication's end (公示截止期).
	MinEndOn     civil.Date `bun:"min_end_on,notnull" json:"min_end_on,omitempty"`
	EndsOn       civil.Date `bun:"ends_on,notnull" json:"ends_on,omitempty"`
	CreditEndsOn civil.Date `bun:"credit_ends_on,notnull" json:"credit_ends_on,omitempty"`
	// WithdrawDue is the last day of the 3 working days a withdrawal had (Art. 48); Explanation
	// the public explanation of a withdrawal or an early end.
	WithdrawDue  civil.Date `bun:"withdraw_due,notnull" json:"withdraw_due,omitempty"`
	Explanation  string     `bun:"explanation,notnull" json:"explanation,omitempty"`
	LateWarnedAt *time.Time `bun:"late_warned_at" json:"-"`
	Version      int        `bun:"version,notnull" json:"version"`
	SourceTask   string     `bun:"source_task,notnull" json:"-"`
	CreatedAt    time.Time  `bun:"created_at,notnull" json:"created_at"`
	UpdatedAt    time.Time  `bun:"updated_at,notnull" json:"updated_at"`
}

// original is what the review needs beside a record and the public never sees: the party as the
// case engine gave it (its identity number masked by the producer), the facts unredacted, and
// the names the reviewer masked. Only the module's non-public API reads it.
type original struct {
	bun.BaseModel `bun:"table:disclosure_originals,alias:dor"`

	RecordID    string        `bun:"record_id,pk"`
	TenantID    string        `bun:"tenant_id,notnull"`
	Party       originalParty `bun:"party,notnull,type:jsonb"`
	Facts       string        `bun:"facts,notnull"`
	MaskedNames []string      `bun:"masked_names,notnull,type:jsonb"`
}

// originalParty is the party of the task's payload.
type originalParty struct {
	Kind     string     `json:"kind"`
	Name     string     `json:"name"`
	IDNumber string     `json:"id_number,omitempty"`
	BornOn   civil.Date `json:"born_on,omitempty"`
	USCC     string     `json:"uscc,omitempty"`
	Phone    string     `json:"phone,omitempty"`
	Address  string     `json:"address,omitempty"`
}

// Event is one transition of a record: its public history.
type Event struct {
	bun.BaseModel `bun:"table:disclosure_events,alias:de"`

	ID       string    `bun:"id,pk" json:"-"`
	TenantID string    `bun:"tenant_id,notnull" json:"-"`
	RecordID string    `bun:"record_id,notnull" json:"-"`
	From     State     `bun:"from_state,notnull" json:"from"`
	To       State     `bun:"to_state,notnull" json:"to"`
	At       time.Time `bun:"at,notnull" json:"at"`
	Actor    string    `bun:"actor,notnull" json:"-"`
	Reason   string    `bun:"reason,notnull" json:"reason"`
}
