package paymenttask

import "zhifa/jobs"

// Refund is payments:refund: refund the difference after a decision was revoked or its fine reduced.
var Refund = jobs.Task[RefundCase]{Type: "payments:refund", Queue: jobs.QueueDefault}

// The reasons of a refund (RefundCase.Reason).
const (
	ReasonRevoked = "revoked" // the decision was revoked
	ReasonReduced = "reduced" // the fine was reduced
)

// RefundCase is the payload of payments:refund.
type RefundCase struct {
	CaseID string `json:"case_id"`
	// AmountFen is what is to be refunded in total on the case, in fen (principal and surcharge
	// paid, less what the changed decision still demands).
	AmountFen int64  `json:"amount_fen"`
	Reason    string `json:"reason"` // ReasonRevoked, ReasonReduced
}
