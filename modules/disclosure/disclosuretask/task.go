package disclosuretask

import (
	"zhifa/jobs"
	"zhifa/modules/kernel/civil"
)

// Publish is disclosure:publish: publish a penalty decision by its publication day.
var Publish = jobs.Task[PublishDecision]{Type: "disclosure:publish", Queue: jobs.QueueDefault}

// PublishDecision is the payload of disclosure:publish.
type PublishDecision struct {
	CaseID         string     `json:"case_id"`
	CaseCode       string     `json:"case_code"`
	BodyID         string     `json:"body_id"`
	MatterID       *string    `json:"matter_id,omitempty"`
	Party          Party      `json:"party"`
	DecisionNumber string     `json:"decision_number"`
	Penalty        Penalty    `json:"penalty"`
	Facts          string     `json:"facts"`
	DecidedOn      civil.Date `json:"decided_on"`
	PublishBy      civil.Date `json:"publish_by"` // the day by which it must be public
	// ActOn is the day the illegal act ended (行政处罚法 Art. 36), when the case recorded it: a
	// party under 18 on that day is never published. Rows written before it existed lack it.
	ActOn civil.Date `json:"act_on,omitempty"`
}

// Party is the decision's party, its identity number masked.
type Party struct {
	Kind     string `json:"kind"` // person or organisation
	Name     string `json:"name"`
	IDNumber string `json:"id_number,omitempty"` // masked
	// BornOn is a person's birth date, read from the identity number before it was masked.
	BornOn           civil.Date `json:"born_on,omitempty"`
	USCC             string     `json:"uscc,omitempty"`
	Phone            string     `json:"phone,omitempty"`
	Address          string     `json:"address,omitempty"`
	EDeliveryConsent bool       `json:"e_delivery_consent,omitempty"`
}

// Penalty is the penalty decided. Amounts are in fen.
type Penalty struct {
	Types           []string    `json:"types"` // warning, fine, confiscation, ...
	FineFen         int64       `json:"fine_fen,omitempty"`
	ConfiscationFen int64       `json:"confiscation_fen,omitempty"`
	Violated        []Provision `json:"violated,omitempty"`   // 违法依据
	Provisions      []Provision `json:"provisions,omitempty"` // 处罚依据
	Basis           string      `json:"basis"`                // the penalty basis as documents print it
}

// Provision is a provision of a law, as the law database names it.
type Provision struct {
	ArticleID string `json:"article_id"`
	Paragraph int    `json:"paragraph,omitempty"`
	Item      int    `json:"item,omitempty"`
	Law       string `json:"law,omitempty"`    // 中华人民共和国食品安全法
	Number    string `json:"number,omitempty"` // 第三十四条
}

// Withdraw is disclosure:withdraw: take down a published decision that was changed, revoked,
// annulled or held unlawful or void (行政处罚法 Art. 48: within 3 working days, with a public
// explanation).
var Withdraw = jobs.Task[WithdrawDecision]{Type: "disclosure:withdraw", Queue: jobs.QueueDefault}

// WithdrawDecision is the payload of disclosure:withdraw.
type WithdrawDecision struct {
	CaseID         string     `json:"case_id"`
	DecisionNumber string     `json:"decision_number"`
	RevokedOn      civil.Date `json:"revoked_on"`  // the day the decision was revoked: the 3 working days count from it
	Explanation    string     `json:"explanation"` // the public explanation (公开说明理由)
}
