package exchangetask

import (
	"zhifa/jobs"
	"zhifa/modules/kernel/civil"
)

// Sync is exchange:sync_case: sync a closed case upward.
var Sync = jobs.Task[SyncCase]{Type: "exchange:sync_case", Queue: jobs.QueueLow}

// Transfer is exchange:transfer_case: hand a transferred case to its receiver (移送).
var Transfer = jobs.Task[TransferCase]{Type: "exchange:transfer_case", Queue: jobs.QueueDefault}

// SyncCase is the payload of exchange:sync_case.
type SyncCase struct {
	CaseID    string     `json:"case_id"`
	CaseCode  string     `json:"case_code"`
	BodyID    string     `json:"body_id"`
	Kind      string     `json:"kind"`  // inspection, penalty_summary, penalty_general, coercion, enforcement
	State     string     `json:"state"` // closed
	Version   int        `json:"version"`
	ChainHead string     `json:"chain_head"` // the hash of the case's last record entry
	ClosedOn  civil.Date `json:"closed_on"`
}

// TransferCase is the payload of exchange:transfer_case.
type TransferCase struct {
	CaseID   string     `json:"case_id"`
	CaseCode string     `json:"case_code"`
	BodyID   string     `json:"body_id"`
	Target   string     `json:"target"` // the kind of receiver, e.g. criminal
	To       string     `json:"to"`     // the receiver's name
	ToBodyID string     `json:"to_body_id,omitempty"`
	Reason   string     `json:"reason"`
	On       civil.Date `json:"on"`
}
