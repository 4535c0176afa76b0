package delivery

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"zhifa/jobs"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

// may checks that sc is valid and allows action a.
func may(sc tenants.Scope, a authz.Action) error {
	if !sc.Valid() {
		return tenants.ErrNoScope
	}
	if !sc.Can(a) {
		return errs.ErrForbidden.WithOp(string(a))
	}
	return nil
}

// checkID refuses a malformed ID before it reaches the database.
func checkID(field, id string) error {
	if !dbx.ValidID(id) {
		return errs.E(errs.Invalid, "标识格式不正确", "malformed ID").WithFields(errs.Field(field, "须为 UUID", "must be a UUID"))
	}
	return nil
}

// caseFor returns the case for which sc takes action a: a role of sc allowing a must reach the
// case's body (tenants.Scope.CanFor). Returns NotFound, Unavailable (no case engine wired).
func (s *Service) caseFor(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string, a authz.Action) (*CaseInfo, error) {
	if s.cases == nil {
		return nil, errs.E(errs.Unavailable, "送达模块未连接办案系统", "delivery is not connected to the case engine")
	}
	c, err := s.cases.CaseForDelivery(ctx, tx, sc, caseID)
	if err != nil {
		return nil, err
	}
	if !sc.CanFor(a, c.BodyID) {
		return nil, errs.ErrNotFound
	}
	return &CaseInfo{ID: c.ID, Code: c.Code, BodyID: c.BodyID, Party: partyOf(c.Party)}, nil
}

// today is the current day in China.
func (s *Service) today() civil.Date { return civil.DateOf(s.now()) }

// refuseNoConsent is the refusal of electronic delivery without a consent (Art. 61), offering paper
// and public-notice delivery.
func refuseNoConsent() error {
	e := errs.E(errs.FailedPrecondition,
		"当事人未签署电子送达确认书，不能电子送达（"+cite(RuleEDelivery).Screen()+"）；可直接送达、留置送达、邮寄送达（paper）或公告送达（public_notice）",
		"the party has not signed a consent to electronic delivery (Administrative Penalty Law Art. 61): deliver on paper (directly, left at the address, by post) or by public notice").
		WithFields(errs.Field("channels", "可选：paper、public_notice", "available: paper, public_notice"))
	r := RuleEDelivery
	e.Rule = &r
	return e
}

// refuseChannel refuses an electronic channel the consent does not name.
func refuseChannel(c Channel) error {
	e := errs.Ef(errs.FailedPrecondition,
		"当事人的电子送达确认书未同意以 %s 方式送达（"+cite(RuleEDelivery).Screen()+"）",
		"the party's consent does not name the channel %s (Administrative Penalty Law Art. 61)", c).
		WithFields(errs.Field("channels", "未经同意："+string(c), "not consented: "+string(c)))
	r := RuleEDelivery
	e.Rule = &r
	return e
}

// RecordConsent records the consent the party of a case signed (电子送达确认书). Officers and body
// heads (delivery.write) record the consent the party signed on paper or in person. The party
// signs its own consent in the citizen portal (party.act: a scope the portal builds only after
// the party proved who it is and holds the case's claim): then the inbox named is the signed-in
// account's (CitizenID is the scope's actor) and the day signed is today, whatever the input
// says. Returns Invalid (a field, named), NotFound (no such case for sc), FailedPrecondition (the
// party has no identity number or credit code), Conflict (a consent is already in force: revoke it
// first), Forbidden.
func (s *Service) RecordConsent(ctx context.Context, sc tenants.Scope, caseID string, in ConsentInput) (*Consent, error) {
	a, err := s.prepareConsent(sc, caseID, &in)
	if err != nil {
		return nil, err
	}
	var out *Consent
	err = tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		var err error
		out, err = s.recordConsent(ctx, tx, sc, caseID, a, in)
		return err
	})
	return out, err
}

// RecordConsentTx is RecordConsent inside the caller's transaction tx (opened under sc), so that
// the consent commits or rolls back with what the caller writes beside it (the portal's entry on
// the case's record). Same callers, rules and errors.
func (s *Service) RecordConsentTx(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string, in ConsentInput) (*Consent, error) {
	a, err := s.prepareConsent(sc, caseID, &in)
	if err != nil {
		return nil, err
	}
	return s.recordConsent(tenants.WithScope(ctx, sc), tx, sc, caseID, a, in)
}

// prepareConsent checks who records the consent and the request, and returns the action sc takes
// (delivery.write for staff, party.act for the party itself); for the party it sets the inbox
// account and the day signed.
func (s *Service) prepareConsent(sc tenants.Scope, caseID string, in *ConsentInput) (authz.Action, error) {
	a := authz.DeliveryWrite
	switch {
	case !sc.Valid():
		return "", tenants.ErrNoScope
	case sc.Can(authz.DeliveryWrite):
	case sc.Can(authz.PartyAct):
		a, in.CitizenID, in.SignedOn = authz.PartyAct, sc.Actor(), s.today()
	default:
		return "", errs.ErrForbidden.WithOp(string(authz.DeliveryWrite))
	}
	if err := checkID("case_id", caseID); err != nil {
		return "", err
	}
	return a, in.check(s.today())
}

// recordConsent records the consent for the case, on which sc takes action a.
func (s *Service) recordConsent(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string, a authz.Action, in ConsentInput) (*Consent, error) {
	info, err := s.caseFor(ctx, tx, sc, caseID, a)
	if err != nil {
		return nil, err
	}
	key := info.Party.Key()
	if key == "" {
		return nil, errs.E(errs.FailedPrecondition, "当事人缺少身份证号码或统一社会信用代码，无法确认送达对象",
			"the party has no identity number or credit code to bind the consent to")
	}
	c := &Consent{ID: dbx.NewID(), TenantID: sc.TenantID(), CaseID: caseID, PartyKind: info.Party.Kind, PartyName: info.Party.Name,
		PartyKey: key, Channels: ChannelSet(in.Channels), Email: in.Email, Mobile: in.Mobile, CitizenID: in.CitizenID,
		DocumentID: in.DocumentID, SignedOn: in.SignedOn, RecordedBy: sc.Actor(), RecordedAt: dbx.Stamp(s.now())}
	if err := insert(ctx, tx, c, "本案已有有效的电子送达确认书，请先撤回", "a consent is in force for this case: revoke it first"); err != nil {
		return nil, err
	}
	c.view()
	return c, nil
}

// RevokeConsent revokes the consent in force for a case: its electronic channels still pending
// fail at once (each warned, so that the officer chooses another way), and no new one starts; an
// attempt already under way cannot be called back. Officers and body heads. Returns Invalid,
// NotFound (no such case, or no consent in force), Forbidden.
func (s *Service) RevokeConsent(ctx context.Context, sc tenants.Scope, caseID string, in RevokeInput) (*Consent, error) {
	if err := may(sc, authz.DeliveryWrite); err != nil {
		return nil, err
	}
	if err := checkID("case_id", caseID); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var out *Consent
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		if _, err := s.caseFor(ctx, tx, sc, caseID, authz.DeliveryWrite); err != nil {
			return err
		}
		c, err := activeConsent(ctx, tx, sc, caseID)
		if err != nil {
			return err
		}
		if c == nil {
			return errs.E(errs.NotFound, "本案没有有效的电子送达确认书", "no consent is in force for this case")
		}
		now := dbx.Stamp(s.now())
		if _, err := tenants.Own(sc, tx.NewUpdate().Model((*Consent)(nil))).Set("revoked_at = ?", now).Set("revoked_by = ?", sc.Actor()).
			Set("revoke_reason = ?", in.Reason).Where("dc.id = ? AND dc.revoked_at IS NULL", c.ID).Exec(ctx); err != nil {
			return err
		}
		var pending []Route
		if err := tenants.Own(sc, tx.NewSelect().Model(&pending)).Where("r.consent_id = ? AND r.status = ?", c.ID, RoutePending).Scan(ctx); err != nil {
			return err
		}
		for _, r := range pending {
			if err := s.failTx(ctx, tx, sc, r.DeliveryID, r.ID, "当事人已撤回电子送达确认书", "the party revoked the consent to electronic delivery", ""); err != nil {
				return err
			}
		}
		out, err = findConsent(ctx, tx, sc, c.ID)
		return err
	})
	return out, err
}

// ConsentReply is a case's consent in force and every consent it had.
type ConsentReply struct {
	Active  *Consent  `json:"active"`
	History []Consent `json:"history"`
}

// Consents returns a case's consent in force (nil when none) and its history. Staff who may read
// the case (delivery.read). Returns Invalid, NotFound, Forbidden.
func (s *Service) Consents(ctx context.Context, sc tenants.Scope, caseID string) (*ConsentReply, error) {
	if err := may(sc, authz.DeliveryRead); err != nil {
		return nil, err
	}
	if err := checkID("case_id", caseID); err != nil {
		return nil, err
	}
	out := &ConsentReply{}
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		if _, err := s.caseFor(ctx, tx, sc, caseID, authz.DeliveryRead); err != nil {
			return err
		}
		var err error
		if out.History, err = caseConsents(ctx, tx, sc, caseID); err != nil {
			return err
		}
		for i := range out.History {
			if out.History[i].Active() {
				out.Active = &out.History[i]
			}
		}
		return nil
	})
	return out, err
}

// ActiveConsent returns the consent in force for a case, or nil, inside the caller's transaction
// tx (opened under sc). For the case engine's guard on electronic service.
func (s *Service) ActiveConsent(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string) (*Consent, error) {
	if !sc.Valid() {
		return nil, tenants.ErrNoScope
	}
	return activeConsent(tenants.WithScope(ctx, sc), tx, sc, caseID)
}

// Deliveries lists a case's deliveries with their channels, statuses and times. Staff who may read
// the case (delivery.read). Returns Invalid, NotFound, Forbidden.
func (s *Service) Deliveries(ctx context.Context, sc tenants.Scope, caseID string) ([]Delivery, error) {
	if err := may(sc, authz.DeliveryRead); err != nil {
		return nil, err
	}
	if err := checkID("case_id", caseID); err != nil {
		return nil, err
	}
	var out []Delivery
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		if _, err := s.caseFor(ctx, tx, sc, caseID, authz.DeliveryRead); err != nil {
			return err
		}
		c, err := activeConsent(ctx, tx, sc, caseID)
		if err != nil {
			return err
		}
		if out, err = caseDeliveries(ctx, tx, sc, caseID); err != nil {
			return err
		}
		for i := range out {
			out[i].settle(c, s.today())
		}
		return nil
	})
	return out, err
}

// DeliverInput asks to deliver a document of a case now, through the channels chosen.
type DeliverInput struct {
	// DocumentID is an issued document of the case; or Document names the kind to issue (or find).
	DocumentID string    `json:"document_id,omitempty"`
	Document   string    `json:"document,omitempty"`
	Channels   []Channel `json:"channels"`
	// Method is how paper delivery will be done: direct, left_at_address, post, on_the_spot.
	Method string `json:"method,omitempty"`
	// DueOn is the day it must be served by (default: 7 working days from today, Art. 61, 85).
	DueOn civil.Date `json:"due_on,omitempty"`
}

// Validate checks the request.
func (in *DeliverInput) Validate() error {
	var f []errs.FieldError
	if (in.DocumentID == "") == (in.Document == "") {
		f = append(f, errs.Field("document", "须给出 document_id 或 document（文书种类）之一", "give either document_id or document (a kind)"))
	}
	if in.DocumentID != "" && len(in.DocumentID) > 64 {
		f = append(f, errs.Field("document_id", "过长", "too long"))
	}
	if in.Document != "" && (len(in.Document) > 64 || strings.ContainsAny(in.Document, " /")) {
		f = append(f, errs.Field("document", "文书种类有误", "not a document kind"))
	}
	if len(in.Channels) == 0 {
		f = append(f, errs.Field("channels", "至少选择一种送达方式", "choose at least one channel"))
	}
	seen := map[Channel]bool{}
	for _, c := range in.Channels {
		if !c.Valid() || seen[c] {
			f = append(f, errs.Field("channels", "送达方式有误或重复："+string(c), "unknown or repeated channel: "+string(c)))
		}
		seen[c] = true
	}
	if in.Method != "" && !slices.Contains(PaperMethods, in.Method) {
		f = append(f, errs.Field("method", "须为 direct、left_at_address、post 或 on_the_spot", "must be direct, left_at_address, post or on_the_spot"))
	}
	if in.DueOn != "" && !in.DueOn.Valid() {
		f = append(f, errs.Field("due_on", "须为日期 YYYY-MM-DD", "must be a date YYYY-MM-DD"))
	}
	if len(f) > 0 {
		return errs.E(errs.Invalid, "送达请求有误", "the delivery request has invalid fields").WithFields(f...)
	}
	return nil
}

// Deliver delivers a document of a case through the channels chosen (送达), or adds channels to its
// delivery: electronic channels only with the party's consent naming them (Art. 61); a channel
// already under way or delivered is left as it is; a failed one is tried again. Electronic channels
// are sent by tasks written in the same transaction; paper and public notice wait for the officer
// to record them. Officers and body heads (delivery.write). Returns Invalid, NotFound,
// FailedPrecondition (no consent, or a channel not consented, naming Art. 61; a channel not
// configured), Unavailable (no documents module), Forbidden.
func (s *Service) Deliver(ctx context.Context, sc tenants.Scope, caseID string, in DeliverInput) (*Delivery, error) {
	if err := may(sc, authz.DeliveryWrite); err != nil {
		return nil, err
	}
	if err := checkID("case_id", caseID); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if s.docs == nil {
		return nil, errs.E(errs.Unavailable, "送达模块未连接文书系统", "delivery is not connected to the documents module")
	}
	for _, c := range in.Channels {
		if err := s.channelReady(c); err != nil {
			return nil, err
		}
	}
	kind := in.Document
	if in.DocumentID != "" {
		_, info, err := s.docs.PDF(ctx, sc, in.DocumentID)
		if err != nil {
			return nil, err
		}
		if info.CaseID != "" && info.CaseID != caseID {
			return nil, errs.E(errs.Invalid, "该文书不属于本案", "the document belongs to another case").
				WithFields(errs.Field("document_id", "不属于本案", "not a document of this case"))
		}
		kind = info.Kind
	}
	var out *Delivery
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		info, err := s.caseFor(ctx, tx, sc, caseID, authz.DeliveryWrite)
		if err != nil {
			return err
		}
		consent, err := activeConsent(ctx, tx, sc, caseID)
		if err != nil {
			return err
		}
		for _, c := range in.Channels {
			if !c.Electronic() {
				continue
			}
			if consent == nil {
				return refuseNoConsent()
			}
			if !consent.Channels.Has(c) {
				return refuseChannel(c)
			}
		}
		docID := in.DocumentID
		if docID == "" {
			if docID, err = s.docs.IssueFor(ctx, tx, sc, caseID, kind); err != nil {
				return err
			}
		}
		if slices.Contains(in.Channels, ChannelSMS) && !slices.Contains(in.Channels, ChannelInbox) {
			d, err := findDeliveryWhere(ctx, tx, sc, "document_id", docID)
			if err != nil {
				return err
			}
			if r := d.routeOrNil(ChannelInbox); r == nil || r.Status == RouteFailed {
				return errs.E(errs.Invalid, "短信仅作提醒，须同时送达至电子送达收件箱", "SMS only notifies: deliver to the inbox too").
					WithFields(errs.Field("channels", "须包含 inbox", "must include inbox"))
			}
		}
		due := in.DueOn
		if due == "" {
			if due, err = s.dueFrom(ctx, tx, sc, s.now()); err != nil {
				return err
			}
		}
		out, err = s.open(ctx, tx, sc, openSpec{info: *info, documentID: docID, kind: kind, due: due,
			channels: in.Channels, method: in.Method, consent: consent})
		if err != nil {
			return err
		}
		out.settle(consent, s.today())
		return nil
	})
	return out, err
}

// routeOrNil is route on a delivery that may be nil.
func (d *Delivery) routeOrNil(c Channel) *Route {
	if d == nil {
		return nil
	}
	return d.route(c)
}

// channelReady refuses an electronic channel this deployment has not configured.
func (s *Service) channelReady(c Channel) error {
	switch {
	case c == ChannelEmail && s.mailer == nil:
		return errs.E(errs.FailedPrecondition, "本平台未配置邮件服务器，不能以电子邮件送达", "no mail server is configured: e-mail delivery is off").
			WithFields(errs.Field("channels", "未启用：email", "not available: email"))
	case c == ChannelSMS && s.sms == nil:
		return errs.E(errs.FailedPrecondition, "本平台未配置短信网关，不能发送短信提醒", "no SMS gateway is configured: SMS notification is off").
			WithFields(errs.Field("channels", "未启用：sms", "not available: sms"))
	}
	return nil
}

// dueFrom is the last day of Art. 61's 7 working days from t, with sc's settings.
func (s *Service) dueFrom(ctx context.Context, tx bun.IDB, sc tenants.Scope, t time.Time) (civil.Date, error) {
	if s.rules == nil {
		return "", errs.E(errs.Unavailable, "送达模块未连接期限规则", "delivery is not connected to the rules engine")
	}
	d, err := s.rules.Due(ctx, tx, sc, rules.PenaltyDelivery, t)
	if err != nil {
		return "", err
	}
	return civil.DateOf(d.Due), nil
}

// openSpec is a delivery to open (or join) and the channels to add to it.
type openSpec struct {
	info       CaseInfo
	documentID string
	kind       string
	source     string // the task that asked for it, for idempotency
	due        civil.Date
	channels   []Channel
	method     string
	consent    *Consent
}

// open finds or creates the delivery of a document and adds the channels of o to it, writing the
// tasks of the electronic ones to the outbox, inside tx.
func (s *Service) open(ctx context.Context, tx bun.IDB, sc tenants.Scope, o openSpec) (*Delivery, error) {
	now := dbx.Stamp(s.now())
	d, err := findDeliveryWhere(ctx, tx, sc, "document_id", o.documentID)
	if err != nil {
		return nil, err
	}
	if d == nil {
		d = &Delivery{ID: dbx.NewID(), TenantID: sc.TenantID(), CaseID: o.info.ID, CaseCode: o.info.Code, BodyID: o.info.BodyID,
			DocumentID: o.documentID, DocumentKind: o.kind, PartyKind: o.info.Party.Kind, PartyName: o.info.Party.Name,
			PartyKey: o.info.Party.Key(), Source: o.source, Status: StatusNeedsAction, DueOn: o.due,
			CreatedBy: sc.Actor(), CreatedAt: now, UpdatedAt: now, Routes: []Route{}}
		if err := insert(ctx, tx, d, "该文书的送达记录已存在", "this document already has a delivery"); err != nil {
			return nil, err
		}
	}
	var queued []Channel
	for _, c := range o.channels {
		address, consentID := "", ""
		if c.Electronic() {
			consentID = o.consent.ID
			switch c {
			case ChannelEmail:
				address = o.consent.Email
			case ChannelSMS:
				address = o.consent.Mobile
			case ChannelInbox:
				address = o.consent.CitizenID
			}
		}
		method := ""
		if c == ChannelPaper {
			method = o.method
		}
		r := d.route(c)
		switch {
		case r == nil:
			d.Routes = append(d.Routes, Route{ID: dbx.NewID(), TenantID: sc.TenantID(), DeliveryID: d.ID, DocumentID: d.DocumentID,
				Channel: c, Method: method, Address: address, ConsentID: consentID, Status: RoutePending, CreatedBy: sc.Actor(),
				CreatedAt: now, UpdatedAt: now})
			r = &d.Routes[len(d.Routes)-1]
			if err := insert(ctx, tx, r, "该文书已选择此送达方式", "this channel was already chosen for the document"); err != nil {
				return nil, err
			}
		case r.Status == RouteFailed:
			r.Status, r.Attempts, r.Address, r.ConsentID, r.Method, r.LastError, r.FailedAt, r.UpdatedAt =
				RoutePending, 0, address, consentID, method, "", nil, now
			if _, err := tenants.Own(sc, tx.NewUpdate().Model(r)).Column("status", "attempts", "address", "consent_id", "method", "last_error", "failed_at", "updated_at").
				Where("r.id = ? AND r.status = ?", r.ID, RouteFailed).Exec(ctx); err != nil {
				return nil, err
			}
		default:
			continue
		}
		queued = append(queued, c)
	}
	for _, c := range queued {
		if err := s.enqueueRoute(ctx, tx, sc, d, d.route(c)); err != nil {
			return nil, err
		}
	}
	if err := s.saveStatus(ctx, tx, sc, d, o.consent); err != nil {
		return nil, err
	}
	return d, nil
}

// enqueueRoute writes the task that sends r, if it is sent by a task. An SMS waits for the inbox:
// it is sent when the inbox item is stored.
func (s *Service) enqueueRoute(ctx context.Context, tx bun.IDB, sc tenants.Scope, d *Delivery, r *Route) error {
	var send jobs.Task[RouteTask]
	switch r.Channel {
	case ChannelInbox:
		send = StoreInbox
	case ChannelEmail:
		send = SendEmail
	case ChannelSMS:
		if in := d.route(ChannelInbox); in == nil || in.Status != RouteDelivered {
			return nil
		}
		send = SendSMS
	default:
		return nil
	}
	_, err := send.Enqueue(ctx, tx, sc, RouteTask{DeliveryID: d.ID, RouteID: r.ID})
	return err
}

// saveStatus settles d and stores its status.
func (s *Service) saveStatus(ctx context.Context, tx bun.IDB, sc tenants.Scope, d *Delivery, consent *Consent) error {
	d.settle(consent, s.today())
	d.UpdatedAt = dbx.Stamp(s.now())
	_, err := tenants.Own(sc, tx.NewUpdate().Model(d)).Column("status", "updated_at").Where("d.id = ?", d.ID).Exec(ctx)
	return err
}

// sha256Hex returns the hex SHA-256 of b.
func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
