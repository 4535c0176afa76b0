package cases

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"zhifa/modules/delivery"
	"zhifa/modules/documents"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// The case engine as the delivery module sees it (delivery.CaseRecorder): the case's party, and
// the arrivals of its documents entered in its record. And the documents module as the delivery
// module sees it (delivery.DocumentSource, DeliveryDocuments): the PDFs of the documents the
// steps issued.

// ActDelivered is the platform's entry of a document's arrival (送达到达) reported by the delivery
// module: one event per serving route that reached the party. It is never taken through the API.
const ActDelivered Action = "delivered"

func init() {
	define(&actionDef{Action: ActDelivered, Title: msg("文书送达到达", "a document reached the party"), Rule: ruleEDelivery})
}

// arrivalInput is what the event of an arrival records: the delivery module's record of it.
type arrivalInput struct {
	Common
	Record delivery.DeliveryRecord `json:"record"`
}

// Validate accepts the record as the delivery module wrote it.
func (in *arrivalInput) Validate() error { return nil }

// CaseForDelivery returns the case's code, body and party for the delivery module, inside its
// transaction tx. Any staff role that may read the case (the delivery tasks run as the tenant's
// operator). Returns Invalid (malformed ID) or NotFound (no such case, or another body's for a
// body-bound role). The proven party's portal scope (party.act) may read its own case's party to
// sign the consent: the portal checks the account's claim on the case before it calls.
func (s *Service) CaseForDelivery(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string) (*delivery.CaseInfo, error) {
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
	p := c.Facts.Party
	return &delivery.CaseInfo{ID: c.ID, Code: c.Code, BodyID: c.BodyID, Party: delivery.Party{Kind: string(p.Kind), Name: p.Name,
		IDNumber: p.IDNumber, USCC: p.USCC, Phone: p.Phone, Address: p.Address, EDeliveryConsent: p.EDeliveryConsent}}, nil
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
func (s *Service) RecordDelivery(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string, rec delivery.DeliveryRecord) error {
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
func (s *Service) arrival(ctx context.Context, tx bun.IDB, sc tenants.Scope, c *Case, rec delivery.DeliveryRecord) (*act, error) {
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
	a.record("channel", string(rec.Channel))
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
func (a *act) serveArrival(ref *DocumentRef, rec delivery.DeliveryRecord) error {
	method := map[delivery.Channel]string{delivery.ChannelInbox: "electronic", delivery.ChannelEmail: "electronic",
		delivery.ChannelPublicNotice: "public_notice"}[rec.Channel]
	if method == "" {
		method = rec.Method
	}
	return a.serveDocument(ref.Kind, ref, method, string(rec.Channel), a.on)
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

// DeliveryDocuments returns the documents of cases as the delivery module needs them
// (delivery.DocumentSource), over the documents module; nil without one.
func (s *Service) DeliveryDocuments() delivery.DocumentSource {
	if s.docs == nil {
		return nil
	}
	return deliveryDocs{s: s}
}

// deliveryDocs serves the delivery module the PDFs of issued documents, and the document a step
// issued when a delivery asks for one by kind.
type deliveryDocs struct{ s *Service }

// PDF returns an issued document's signed PDF with its name, number and case. documents.read
// (every staff role, the tasks' tenant operator included). Returns NotFound.
func (d deliveryDocs) PDF(ctx context.Context, sc tenants.Scope, documentID string) ([]byte, delivery.DocumentInfo, error) {
	pdf, doc, err := d.s.docs.PDF(ctx, sc, documentID)
	if err != nil {
		return nil, delivery.DocumentInfo{}, err
	}
	title := string(doc.Type)
	if ti, ok := documents.Lookup(doc.Type); ok {
		title = ti.Name.ZH
	}
	name := title
	if doc.Number != "" {
		name = doc.Number
	}
	return pdf, delivery.DocumentInfo{ID: doc.ID, CaseID: doc.CaseID, Kind: string(doc.Type), Title: title, Number: doc.Number,
		FileName: name + ".pdf", IssuedAt: doc.IssuedAt}, nil
}

// IssueFor returns the case's document of kind to serve: the latest one its steps issued; when
// there is none, one issued now in tx, for a scope that may issue documents (an officer asking the
// delivery module to serve it). The delivery tasks' scope may not issue: for them a missing
// document is FailedPrecondition. Returns NotFound (no such case), Invalid (unknown kind),
// FailedPrecondition (the case's facts cannot fill the document, naming the items).
func (d deliveryDocs) IssueFor(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID, kind string) (string, error) {
	typ, ok := documents.TypeFor(kind)
	if !ok {
		return "", errs.E(errs.Invalid, "未知文书种类", "unknown document kind").WithFields(errs.Field("document", "未知："+kind, "unknown: "+kind))
	}
	if err := mayRead(sc, caseID); err != nil {
		return "", err
	}
	c, err := findCase(ctx, tx, sc, caseID)
	if err != nil {
		return "", err
	}
	if ref := c.Facts.document(string(typ)); ref != nil {
		return ref.ID, nil
	}
	if !sc.Can(authz.DocumentsIssue) {
		return "", errs.E(errs.FailedPrecondition, fmt.Sprintf("本案尚未签发%s，须由执法人员签发后送达", typeName(typ)),
			fmt.Sprintf("the case has no %s issued: an officer issues it first", typ))
	}
	doc, err := d.s.docs.Issue(ctx, tx, sc, documents.IssueRequest{CaseID: caseID, Type: typ})
	if err != nil {
		return "", err
	}
	return doc.ID, nil
}

// typeName is a document type's Chinese name.
func typeName(t documents.Type) string {
	if ti, ok := documents.Lookup(t); ok {
		return ti.Name.ZH
	}
	return string(t)
}
