package cases

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"zhifa/modules/delivery/deliverytask"
	"zhifa/modules/documents"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/errs"
)

// The documents a case produces (执法文书). A step that produces one (the prior notice, the hearing
// notice, the decision, the order to correct, the decisions of coercive measures, the demand
// notice) issues it through the documents module inside its own transaction, under the acting
// officer's scope, after its guards and before its event is written: the document sees the facts
// the step recorded; its number (文号) becomes the decision's; its ID rides in the
// delivery:deliver_document task; the event records its ID, number and the digests of its PDF. A
// document the case's facts cannot fill refuses the step (FailedPrecondition naming the missing
// items), and nothing is written. The case engine is also the documents module's CaseSource: the
// data of any platform document type, as far as the case's facts go.

// pendingDocument is a document a step issues with its transition.
type pendingDocument struct {
	typ      documents.Type
	delivery *deliverytask.DeliverDocument // the task that serves it; nil when it is served at once
	servedBy string                        // served at once: how (on_the_spot)
}

// deliver issues a document of type typ with the transition and writes the delivery:deliver_document
// task that serves it on the party, naming the document issued (without the documents module the
// task names only the kind, and the delivery module finds the document). A document the officer
// handed over in person or left at the party's address (method) is served with the step; one
// sent by post, by public notice or electronically is served when the delivery module records
// its arrival.
func (a *act) deliver(typ documents.Type, method string, due civil.Date, queue string) {
	f := a.facts()
	p := &deliverytask.DeliverDocument{CaseID: a.c.ID, CaseCode: a.c.Code, BodyID: a.c.BodyID, Document: string(typ), Party: deliveryParty(f.Party),
		Method: method, EDeliveryConsent: f.Party.EDeliveryConsent, Due: due}
	doc := &pendingDocument{typ: typ, delivery: p}
	if servedInPerson[method] {
		doc.servedBy = method
	}
	a.docs = append(a.docs, doc)
	enqueue(a, deliverytask.Deliver.On(queue), p)
}

// servedInPerson are the methods by which the officer serves a document with the step itself.
var servedInPerson = map[string]bool{"direct": true, "on_the_spot": true, "left_at_address": true}

// issueInternal issues a document of type typ with the transition that is the body's own record,
// served on nobody (the filing approval form).
func (a *act) issueInternal(typ documents.Type) {
	a.docs = append(a.docs, &pendingDocument{typ: typ})
}

// issueServed issues a document of type typ with the transition, served at once (handed over on the
// spot: an on-the-spot decision, a seizure's decision and list).
func (a *act) issueServed(typ documents.Type, how string) {
	a.docs = append(a.docs, &pendingDocument{typ: typ, servedBy: how})
}

// needConsent refuses electronic service without the party's consent (Art. 61): a consent in
// force in the delivery module when it is connected, else the party's flag.
func (a *act) needConsent() error {
	ok, err := a.consented()
	if err != nil {
		return err
	}
	if !ok {
		return refuse(ruleEDelivery, "当事人未签署电子送达确认书，不能电子送达", "the party has not consented to electronic delivery")
	}
	return nil
}

// consented reports whether the party consented to electronic delivery.
func (a *act) consented() (bool, error) {
	if a.s.consents == nil {
		return a.facts().Party.EDeliveryConsent, nil
	}
	c, err := a.s.consents.ConsentInForce(a.ctx, a.tx, a.sc, a.c.ID)
	return c != nil, err
}

// issueDocuments issues the step's documents in its transaction (when the documents module is
// connected): each from the case as the step left it, numbered, sealed and signed; their IDs go
// into the delivery tasks, the decision's number into the decision, and their IDs, numbers and
// digests into the event. The first failure refuses the step.
func (a *act) issueDocuments() error {
	if len(a.docs) == 0 {
		return nil
	}
	consent, err := a.consented()
	if err != nil {
		return err
	}
	var issued []map[string]any
	for _, p := range a.docs {
		if p.delivery != nil {
			p.delivery.EDeliveryConsent = consent
		}
		if a.s.docs == nil {
			continue
		}
		typ := p.typ
		if _, ok := documents.Lookup(typ); !ok {
			return fmt.Errorf("cases: no document type %s", typ)
		}
		data, err := a.s.documentData(a.ctx, a.tx, a.sc, a.c, typ, a)
		if err != nil {
			return err
		}
		doc, err := a.s.docs.Issue(a.ctx, a.tx, a.sc, documents.IssueRequest{CaseID: a.c.ID, Type: typ, Data: data})
		if err != nil {
			return err
		}
		if err := a.numberDecision(typ, doc.Number); err != nil {
			return err
		}
		ref := DocumentRef{ID: doc.ID, Kind: string(typ), Number: doc.Number, PDFSM3: doc.PDFSM3,
			IssuedOn: civil.DateOf(doc.IssuedAt), Action: a.def.Action}
		if p.servedBy != "" {
			ref.ServedOn, ref.ServedBy = a.on, p.servedBy
		}
		if p.delivery != nil {
			p.delivery.DocumentID = doc.ID
		}
		a.facts().Documents = append(a.facts().Documents, ref)
		sum := sha256.Sum256(doc.PDF)
		issued = append(issued, map[string]any{"id": doc.ID, "type": string(typ), "number": doc.Number,
			"template": doc.TemplateRef, "template_version": doc.TemplateVersion,
			"pdf_sm3": doc.PDFSM3, "pdf_sha256": hex.EncodeToString(sum[:])})
	}
	if len(issued) > 0 {
		a.record("documents", issued)
	}
	return nil
}

// numberDecision gives a decision the number of its document: the platform allocates document
// numbers per body, series and year without gaps or duplicates, so a number the officer gave must
// be that one.
func (a *act) numberDecision(typ documents.Type, number string) error {
	dec := a.facts().Decision
	if dec == nil || (typ != documents.TypePenaltyDecision && typ != documents.TypeSummaryDecision) {
		return nil
	}
	if dec.Number != "" && dec.Number != number {
		return errs.E(errs.Invalid, fmt.Sprintf("决定书文号由平台按执法主体、年度顺序编号（本决定书为 %s），请勿自行填写", number),
			fmt.Sprintf("the platform numbers decisions per body and year (this one is %s): leave the number empty", number)).
			WithFields(errs.Field("number", "由平台编号："+number, "numbered by the platform: "+number))
	}
	dec.Number = number
	if a.publish != nil {
		a.publish.DecisionNumber = number
	}
	a.record("decision_number", number)
	return nil
}
