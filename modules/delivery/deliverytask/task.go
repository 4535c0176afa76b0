package deliverytask

import (
	"zhifa/jobs"
	"zhifa/modules/kernel/civil"
)

// Deliver is delivery:deliver_document: serve a document of a case on its party (送达).
var Deliver = jobs.Task[DeliverDocument]{Type: "delivery:deliver_document", Queue: jobs.QueueDefault}

// DeliverDocument is the payload of delivery:deliver_document.
type DeliverDocument struct {
	CaseID   string `json:"case_id"`
	CaseCode string `json:"case_code"`
	BodyID   string `json:"body_id"`
	// Document is the kind: prior_notice, hearing_notice, penalty_decision,
	// not_penalised_decision, correction_order, freeze_decision, measure_extension,
	// measure_release, demand_notice, fiscal_receipt.
	Document string `json:"document"`
	// DocumentID names the issued document; empty: the delivery module issues (or finds) it by kind.
	DocumentID string `json:"document_id,omitempty"`
	Party      Party  `json:"party"`
	// Method is how the officer served it already, if so: electronic (use the consent), a paper
	// method (a paper route waits for the receipt), or public_notice.
	Method           string `json:"method,omitempty"`
	EDeliveryConsent bool   `json:"e_delivery_consent"`
	// Due is the day by which it must be served; empty: the delivery module counts it (Art. 61).
	Due civil.Date `json:"due"`
}

// Party is a case's party, as the case engine records it.
type Party struct {
	Kind     string `json:"kind"` // person or organisation
	Name     string `json:"name"`
	IDNumber string `json:"id_number,omitempty"` // person: 公民身份号码
	USCC     string `json:"uscc,omitempty"`      // organisation: 统一社会信用代码
	Phone    string `json:"phone,omitempty"`
	Address  string `json:"address,omitempty"`
	// EDeliveryConsent is the case engine's flag; delivery relies on its own consent records.
	EDeliveryConsent bool `json:"e_delivery_consent,omitempty"`
}

// Key is the party's identity: its identity number or credit code.
func (p Party) Key() string {
	if p.USCC != "" {
		return p.USCC
	}
	return p.IDNumber
}
