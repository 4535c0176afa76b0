package supervisiontask

import (
	"zhifa/jobs"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/errs"
)

// Warn is supervision:warn: raise a warning (预警) on a case.
var Warn = jobs.Task[Warning]{Type: "supervision:warn", Queue: jobs.QueueDefault}

// Warning is the payload of supervision:warn.
type Warning struct {
	CaseID   string `json:"case_id"`
	CaseCode string `json:"case_code"`
	BodyID   string `json:"body_id"`
	// Point is the warning point: deadline, overdue, late_backfill, major_case, criminal_transfer
	// (the case engine); delivery_late, delivery_failed (delivery); disclosure_late (disclosure:
	// a decision not published by its day, or not withdrawn within 3 working days).
	Point   string     `json:"point"`
	Rule    errs.Rule  `json:"rule"`
	Message errs.Msg   `json:"message"`
	On      civil.Date `json:"on"`
	Due     civil.Date `json:"due,omitempty"`
	// DeliveryID and RouteID name the delivery (and its route) a delivery warning is about.
	DeliveryID string `json:"delivery_id,omitempty"`
	RouteID    string `json:"route_id,omitempty"`
}
