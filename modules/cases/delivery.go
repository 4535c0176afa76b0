package cases

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"zhifa/modules/documents"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// What the delivery module reads of a case (DeliveryCase: its code, body and party), the arrivals
// of its documents entered in its record (Arrival, RecordDelivery), and the document of a kind
// its steps issued (LatestDocument). The delivery module declares its port in these terms.

// ActDelivered is the platform's entry of a document's arrival (送达到达) reported by the delivery
// module: one event per serving route that reached the party. It is never taken through the API.
const ActDelivered Action = "delivered"

// deliverySteps defines the platform's entry of an arrival, which the delivery module reports.
func deliverySteps() []*actionDef {
	var s steps
	s.define(&actionDef{Action: ActDelivered, Title: msg("文书送达到达", "a document reached the party"), Rule: ruleEDelivery})
	return s
}

// DeliveryCase is what the delivery module reads of a case: its public code, its body and its
// party as recorded (the identity number unmasked: the delivery module checks consents against it).
type DeliveryCase struct {
	ID     string
	Code   string
	BodyID string
	Party  Party
}

// Arrival is one arrival of a document at the party, as the delivery module reports it and the
// event of the arrival keeps it ("record").
type Arrival struct {
	DeliveryID   string `json:"delivery_id"`
	RouteID      string `json:"route_id"`
	DocumentID   string `json:"document_id"`
	DocumentKind string `json:"document_kind"`
	// Channel is the route's channel: inbox, email, sms, paper, public_notice.
	Channel string `json:"channel"`
	// Method: paper, the way it was handed over (direct, left_at_address, post, on_the_spot);
	// public notice, the medium.
	Method string `json:"method,omitempty"`
	// Address is where it arrived: the e-mail address, the portal account, or empty.
	Address string `json:"address,omitempty"`
	// At is the legal delivery time: the mail server's acceptance, the inbox storage, the day on
	// the paper receipt (00:00 China time), or the end of a public notice's 30 days.
	At       time.Time  `json:"at"`
	ServedOn civil.Date `json:"served_on"`
	// Reply is what the receiving system answered (the SMTP reply, the inbox item).
	Reply     string `json:"reply,omitempty"`
	MessageID string `json:"message_id,omitempty"`
	// ReceiptSHA256 is the hash of the scanned 送达回证 (paper) or of the published notice's record.
	ReceiptSHA256 string `json:"receipt_sha256,omitempty"`
	// Deemed is set for a public notice: served by the lapse of 30 days (民事诉讼法 Art. 95).
	Deemed bool       `json:"deemed,omitempty"`
	Due    civil.Date `json:"due"`
	Late   bool       `json:"late,omitempty"`
	// Serves is set on the first arrival of the document: the one whose time is the delivery time.
	Serves bool `json:"serves"`
}

// arrivalMethods are the serving methods of the channels whose arrival says how the document was
// served; another channel's arrival names its method (Arrival.Method).
var arrivalMethods = map[string]string{"inbox": "electronic", "email": "electronic", "public_notice": "public_notice"}

// arrivalInput is what the event of an arrival records: the delivery module's record of it.
type arrivalInput struct {
	Common
	Record Arrival `json:"record"`
}

// Validate accepts the record as the delivery module wrote it.
func (in *arrivalInput) Validate() error { return nil }

// CaseForDelivery returns the case's code, body and party (DeliveryCase) for the delivery module, inside its
// transaction tx. Any staff role that may read the case (the delivery tasks run as the tenant's
// operator). Returns Invalid (malformed ID) or NotFound (no such case, or another body's for a
// body-bound role). The proven party's portal scope (party.act) may read its own case's party to
// sign the consent: the portal checks the account's claim on the case before it calls.
func (s *Service) CaseForDelivery(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string) (*DeliveryCase, error) {
	if sc.Can(authz.PartyAct) && !sc.Can(authz.CasesRead) {
		if err := mayParty(sc); err != nil {
			return nil, err
		}
		if err := checkID("id", caseID); err != nil {
			return nil, err
		}
	} else if err := mayRead(sc, caseID); err != nil {
		return nil, err
	}
	c, err := findCase(ctx, tx, sc, caseID)
	if err != nil {
		return nil, err
	}
	if !sc.ActsFor(c.BodyID) {
		return nil, errs.ErrNotFound
	}
	return &DeliveryCase{ID: c.ID, Code: c.Code, BodyID: c.BodyID, Party: c.Facts.Party}, nil
}

// RecordDelivery enters a document's arrival in the case's record inside the delivery module's
// transaction tx: an event (delivered) with the channel, address, time and document, once per
// route (a retried task finds the route recorded and adds nothing). The first arrival that
// serves a document (rec.Serves) serves it, as the officer's serve step would, unless the officer
// served it first: a penalty decision moves the case from decided to served, with the payment
// deadline of Art. 67 counted from the day served; a prior notice's windows to state a defence
// and ask for a hearing run from the day served; a freeze's decision is served. It is the delivery
// module's call, made from its task under the task's scope (the tenant's operator), so it needs no
// cases.write; a read-only scope or one without a tenant is refused. Returns NotFound (no such
// case, or another body's for a body-bound scope), Unavailable (the case kept changing: retry).
func (s *Service) RecordDelivery(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string, rec Arrival) error {
	switch {
	case !sc.Valid():
		return tenants.ErrNoScope
	case sc.ReadOnly():
		return tenants.ErrReadOnlyScope
	case sc.TenantID() == "":
		return errs.E(errs.Invalid, "送达记录须在具体租户下进行", "recording a delivery needs a tenant scope")
	}
	ctx = tenants.WithScope(ctx, sc) // the serving's own queries (its deadlines) run under sc too
	return s.enter(ctx, tx, sc, caseID, func(ctx context.Context, c *Case) (*act, error) { return s.arrival(ctx, tx, sc, c, rec) })
}

// arrival starts the act of the arrival of rec on c, or returns nil when its route is recorded
// already.
func (s *Service) arrival(ctx context.Context, tx bun.IDB, sc tenants.Scope, c *Case, rec Arrival) (*act, error) {
	f := &c.Facts
	ref := f.documentByID(rec.DocumentID)
	if ref != nil {
		for _, r := range ref.Arrivals {
			if r == rec.RouteID {
				return nil, nil
			}
		}
	} else {
		// a document the steps did not issue (issued or delivered by hand): the case keeps it from now on
		f.Documents = append(f.Documents, DocumentRef{ID: rec.DocumentID, Kind: rec.DocumentKind, Action: ActDelivered})
		ref = &f.Documents[len(f.Documents)-1]
	}
	on := rec.ServedOn
	if on == "" {
		on = civil.DateOf(rec.At)
	}
	a := s.entry(ctx, tx, sc, c, ActDelivered, &arrivalInput{Record: rec}, on, rec.At)
	ref.Arrivals = append(ref.Arrivals, rec.RouteID)
	a.record("document_id", ref.ID)
	if ref.Number != "" {
		a.record("document_number", ref.Number)
	}
	a.record("channel", rec.Channel)
	a.record("at", a.at.UTC().Format(time.RFC3339Nano))
	if rec.Late {
		a.late = true
	}
	switch {
	case ref.ServedOn != "":
		a.record("already_served_on", ref.ServedOn) // by the officer, or by an earlier arrival
	case rec.Serves:
		if err := a.serveArrival(ref, rec); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// serveArrival serves ref by the arrival rec: the document is served on the day it reached the
// party, with the effects the officer's serve step has.
func (a *act) serveArrival(ref *DocumentRef, rec Arrival) error {
	method := arrivalMethods[rec.Channel]
	if method == "" {
		method = rec.Method
	}
	return a.serveDocument(ref.Kind, ref, method, rec.Channel, a.on)
}

// serveDocument serves the case's document of kind (ref, when the documents module issued it) on
// the act's day, by method through channel, as the serve step would: a penalty decision moves the
// case from decided to served, with the payment deadline of Art. 67 counted from that day and the
// 7 working days of Art. 61 judged on sent (the publication of a public notice, else the day
// served); a prior notice's windows to state a defence and ask for a hearing run from that day; a
// freeze's decision is served. A document that is not the case's latest of its kind is marked
// served without these effects. The document's pending public notice is settled.
func (a *act) serveDocument(kind string, ref *DocumentRef, method, channel string, sent civil.Date) error {
	f := a.facts()
	docID := ""
	if ref != nil {
		ref.ServedOn, ref.ServedBy, docID = a.on, channel, ref.ID
	}
	a.record("served", true)
	f.settleNotices(kind, method)
	latest := ref == nil
	if r := f.document(kind); r != nil && ref != nil {
		latest = r.ID == ref.ID
	}
	switch documents.Type(kind) {
	case documents.TypePenaltyDecision:
		if a.c.State != StateDecided || f.Decision == nil || f.Delivery != nil || !latest {
			return nil
		}
		a.to = StateServed
		at := a.at
		a.late = false // lateIf decides from the rules engine's count
		return a.serveDecision(&Delivery{Method: method, At: &at, Channel: channel, DocumentID: docID}, a.on, sent)
	case documents.TypePriorNotice:
		// served by its arrival: a notice sent electronically, or one whose public notice ran; the
		// day the notify step recorded for another method stands
		n := f.Notice
		if n == nil || (n.ServedOn != "" && (a.c.State != StateNotified || n.ServedBy != "electronic")) || !latest {
			return nil
		}
		return a.noticeServed(n, a.on, method)
	case documents.TypeFreezeDecision:
		if m := f.Measure; m != nil && m.ServedOn == "" && latest {
			a.late = false
			return a.serveMeasure()
		}
	}
	return nil
}

// LatestDocument returns the ID of the case's latest document of kind its steps issued (or an
// arrival recorded), or "" when it has none, inside tx, for a scope that may read the case. The
// delivery module asks it for the document a delivery request names by kind. Returns Invalid
// (malformed ID) or NotFound.
func (s *Service) LatestDocument(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string, kind documents.Type) (string, error) {
	if err := mayRead(sc, caseID); err != nil {
		return "", err
	}
	c, err := findCase(ctx, tx, sc, caseID)
	if err != nil {
		return "", err
	}
	if ref := c.Facts.document(string(kind)); ref != nil {
		return ref.ID, nil
	}
	return "", nil
}
