package cases

import (
	"time"

	"zhifa/modules/kernel/civil"
)

// What a decision's money and remedies recorded after it was served: the deferral or instalments
// approved (Art. 66 ¶2), the payments received online with their fiscal receipts, refunds, the
// reconsiderations and lawsuits, the decision revoked or its fine reduced, and the party's
// evaluation. The fine "as it stands" is the decision's, or the revised one.

// The kinds of remedies (Remedy.Kind).
const (
	RemedyReconsideration = "reconsideration" // 行政复议 (行政复议法 Art. 20: 60 days)
	RemedyLitigation      = "litigation"      // 行政诉讼 (行政诉讼法 Art. 46: 6 months)
)

// The outcomes of a remedy (Remedy.Outcome).
const (
	OutcomeUpheld    = "upheld"    // 维持
	OutcomeChanged   = "changed"   // 变更
	OutcomeRevoked   = "revoked"   // 撤销
	OutcomeWithdrawn = "withdrawn" // 撤回申请、撤诉
)

// Remedy is a reconsideration or lawsuit over the decision: pending while To is empty (the late
// surcharge does not accrue meanwhile, Art. 73 ¶3), decided with its outcome on To.
type Remedy struct {
	Kind    string     `json:"kind"`
	From    civil.Date `json:"from"`
	To      civil.Date `json:"to,omitempty"`
	Outcome string     `json:"outcome,omitempty"`
	Ref     string     `json:"ref,omitempty"`  // the application's or the lawsuit's reference
	Body    string     `json:"body,omitempty"` // the reconsideration authority or the court
	By      string     `json:"by"`             // party (through the portal) or officer
	SentOn  civil.Date `json:"sent_on,omitempty"`
}

// OnlinePayment is a payment received online, as the payments module entered it.
type OnlinePayment struct {
	PaymentID     string     `json:"payment_id"`
	Provider      string     `json:"provider"`
	Reference     string     `json:"reference"`
	Simulated     bool       `json:"simulated,omitempty"`
	PrincipalFen  int64      `json:"principal_fen"`
	SurchargeFen  int64      `json:"surcharge_fen,omitempty"`
	Instalment    int        `json:"instalment,omitempty"` // 0: the whole fine (or what remained of it)
	PaidAt        time.Time  `json:"paid_at"`
	PaidOn        civil.Date `json:"paid_on"`
	ReceiptID     string     `json:"receipt_document_id,omitempty"`
	ReceiptNumber string     `json:"receipt_number,omitempty"`
}

// Refund is money refunded to the party after the decision was revoked or its fine reduced.
type Refund struct {
	RefundID  string    `json:"refund_id"`
	PaymentID string    `json:"payment_id"`
	AmountFen int64     `json:"amount_fen"`
	Reason    string    `json:"reason"`
	Reference string    `json:"reference"`
	At        time.Time `json:"at"`
}

// The outcomes of a revision (Revision.Outcome).
const (
	RevisionRevoked = "revoked" // 撤销处罚决定
	RevisionReduced = "reduced" // 变更（减少罚款）
)

// Revision is the decision revoked, or its fine reduced, by the body (on reconsideration, a court's
// judgment, or its own correction, Art. 75 ¶2).
type Revision struct {
	On           civil.Date `json:"on"`
	Outcome      string     `json:"outcome"`
	FineFen      int64      `json:"fine_fen"`       // the fine as revised (0 when revoked)
	PriorFineFen int64      `json:"prior_fine_fen"` // the fine before
	Basis        string     `json:"basis"`          // reconsideration, litigation, self_correction
	Ref          string     `json:"ref,omitempty"`
	Reason       string     `json:"reason"`
	RefundFen    int64      `json:"refund_fen,omitempty"` // the refund asked of the payments module, in total
}

// Evaluation is the party's evaluation of the enforcement (公众评议).
type Evaluation struct {
	Rating  int        `json:"rating"` // 1 to 5
	Comment string     `json:"comment,omitempty"`
	On      civil.Date `json:"on"`
	Ref     string     `json:"ref"`
}

// PartyEntryRef is an entry the portal made on the record.
type PartyEntryRef struct {
	Kind string     `json:"kind"`
	Ref  string     `json:"ref"`
	On   civil.Date `json:"on"`
}

// fineFen is the money the decision demands as it stands: the enforcement's principal, the
// revised fine, or the decided one.
func (f *Facts) fineFen() int64 {
	switch {
	case f.Enforcement != nil:
		return f.Enforcement.PrincipalFen
	case f.Revision != nil:
		return f.Revision.FineFen
	case f.Decision != nil:
		return f.Decision.Penalty.FineFen
	}
	return 0
}

// paid returns the principal and surcharge paid so far: online, and recorded by an officer.
func (f *Facts) paid() (principal, surcharge int64) {
	for _, p := range f.Payments {
		principal += p.PrincipalFen
		surcharge += p.SurchargeFen
	}
	if p := f.Payment; p != nil && !p.Online {
		principal += p.AmountFen
		surcharge += p.SurchargeFen
	}
	return principal, surcharge
}

// paidOnline is what was paid online, principal and surcharge.
func (f *Facts) paidOnline() int64 {
	var n int64
	for _, p := range f.Payments {
		n += p.PrincipalFen + p.SurchargeFen
	}
	return n
}

// refunded is what was refunded so far.
func (f *Facts) refunded() int64 {
	var n int64
	for _, r := range f.Refunds {
		n += r.AmountFen
	}
	return n
}

// outstanding is the principal still to pay.
func (f *Facts) outstanding() int64 {
	p, _ := f.paid()
	return max(f.fineFen()-p, 0)
}

// payDue is the day by which the money is to be paid: the earliest unpaid instalment of an
// approved plan, else the decision's deadline (Art. 67), else the enforcement's.
func (f *Facts) payDue() civil.Date {
	if f.Plan != nil {
		for _, in := range f.Plan.Instalments {
			if in.PaidOn == "" {
				return in.DueOn
			}
		}
	}
	if f.Delivery != nil {
		return f.Delivery.PayDue
	}
	if f.Enforcement != nil {
		return f.Enforcement.PayDue
	}
	return ""
}

// pendingRemedy returns the index of the pending remedy of kind, or -1.
func (f *Facts) pendingRemedy(kind string) int {
	for i, r := range f.Remedies {
		if r.Kind == kind && r.To == "" {
			return i
		}
	}
	return -1
}

// pauses are the remedies as periods the surcharge does not accrue.
func (f *Facts) pauses() []Pause {
	var out []Pause
	for _, r := range f.Remedies {
		out = append(out, Pause{Kind: r.Kind, From: r.From, To: r.To})
	}
	return out
}

// partyEntered reports whether the portal made the entry kind/ref already.
func (f *Facts) partyEntered(kind, ref string) bool {
	for _, e := range f.PartyEntries {
		if e.Kind == kind && e.Ref == ref {
			return true
		}
	}
	return false
}

// settle marks the fine paid in full on the day of the last payment (the online sums), as the pay
// step does for a payment an officer records.
func (f *Facts) settle(on civil.Date, receipt string) {
	var principal, surcharge int64
	for _, p := range f.Payments {
		principal += p.PrincipalFen
		surcharge += p.SurchargeFen
	}
	f.Payment = &Payment{PaidOn: on, AmountFen: principal, SurchargeFen: surcharge, Receipt: receipt, Online: true}
}
