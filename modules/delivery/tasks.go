package delivery

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/hibiken/asynq"
	"github.com/uptrace/bun"

	"zhifa/jobs"
	"zhifa/modules/cases"
	"zhifa/modules/delivery/deliverytask"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/mailer"
	"zhifa/modules/supervision/supervisiontask"
	"zhifa/tenants"
)

// The tasks delivery writes for itself. Each payload is the body of a jobs.Envelope naming the
// tenant (the periodic ones name a system reason). The task it handles for the case engine and the
// payments module is declared in its contract package, deliverytask; the warnings it raises are
// the supervision module's (supervisiontask.Warn).
var (
	// StoreInbox stores a document in the party's portal inbox.
	StoreInbox = jobs.Task[RouteTask]{Type: "delivery:store_inbox", Queue: jobs.QueueCritical}
	// SendEmail submits the e-mail carrying a document to the mail server.
	SendEmail = jobs.Task[RouteTask]{Type: "delivery:send_email", Queue: jobs.QueueCritical}
	// SendSMS sends the SMS that points to the inbox.
	SendSMS = jobs.Task[RouteTask]{Type: "delivery:send_sms", Queue: jobs.QueueDefault}
	// RecordServed settles serving arrivals and enters them in the case's record (CaseRecorder).
	RecordServed = jobs.Task[RecordTask]{Type: "delivery:record_served", Queue: jobs.QueueDefault}
	// ScanLate is the periodic check for deliveries not served within their due day (Art. 61: 7
	// working days): one supervision:warn per delivery.
	ScanLate = jobs.Periodic{Type: "delivery:scan_late", Queue: jobs.QueueLow, Spec: "@every 1h", Reason: "delivery: deliveries past their due day"}
	// DeemNotices is the periodic task that marks public notices served once their 30 days have
	// passed.
	DeemNotices = jobs.Periodic{Type: "delivery:deem_notices", Queue: jobs.QueueLow, Spec: "@every 1h",
		Reason: "delivery: public notices past their 30 days"}
)

// RouteTask is the payload of the tasks that work on one route.
type RouteTask struct {
	DeliveryID string `json:"delivery_id"`
	RouteID    string `json:"route_id"`
}

// Tasks registers the delivery task handlers on mux, the periodic tasks with them.
func (s *Service) Tasks(mux *jobs.Mux) {
	jobs.Handle(mux, deliverytask.Deliver, s.HandleDeliverDocument)
	jobs.Handle(mux, StoreInbox, s.HandleStoreInbox)
	jobs.Handle(mux, SendEmail, s.HandleSendEmail)
	jobs.Handle(mux, SendSMS, s.HandleSendSMS)
	jobs.Handle(mux, RecordServed, s.HandleRecordServed)
	jobs.HandlePeriodic(mux, ScanLate, s.HandleScanLate)
	jobs.HandlePeriodic(mux, DeemNotices, s.HandleDeemNotices)
}

// skip marks an error as final: Asynq does not retry it.
func skip(format string, args ...any) error {
	return fmt.Errorf("delivery: "+format+": %w", append(args, asynq.SkipRetry)...)
}

// HandleDeliverDocument opens the delivery the case engine asked for: with a consent in force for
// the party, through every channel it names (that this deployment has); with a paper method or a
// public notice, a route that waits for the officer's record; without consent, a delivery that
// needs the officer to choose paper or public notice. Idempotent: the task ID (the outbox ID) is
// kept, and a document has one delivery.
func (s *Service) HandleDeliverDocument(ctx context.Context, sc tenants.Scope, p deliverytask.DeliverDocument) error {
	if !dbx.ValidID(p.CaseID) || p.Document == "" || (p.Due != "" && !p.Due.Valid()) {
		return skip("%s: payload without a case, a document kind or a valid due day", deliverytask.Deliver.Type)
	}
	if s.docs == nil {
		return errors.New("delivery: no documents module is connected; the task waits for it")
	}
	source, _ := asynq.GetTaskID(ctx)
	return tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		if source != "" {
			if d, err := findDeliveryWhere(ctx, tx, sc, "source", source); err != nil || d != nil {
				return err
			}
		}
		consent, err := activeConsent(ctx, tx, sc, p.CaseID)
		if err != nil {
			return err
		}
		if consent != nil && p.Party.Key() != "" && consent.PartyKey != p.Party.Key() {
			s.log.WarnContext(ctx, "consent names another party; not used", "case", p.CaseID, "consent", consent.ID)
			consent = nil
		}
		var channels []Channel
		method := ""
		switch {
		case p.Method == "" || p.Method == "electronic":
			if consent != nil {
				for _, c := range consent.Channels {
					if s.channelReady(c) == nil {
						channels = append(channels, c)
					}
				}
			}
		case p.Method == string(ChannelPublicNotice):
			channels = []Channel{ChannelPublicNotice}
		default:
			channels, method = []Channel{ChannelPaper}, p.Method
		}
		docID := p.DocumentID
		if docID == "" {
			if docID, err = s.docs.IssueFor(ctx, tx, sc, p.CaseID, p.Document); err != nil {
				return err
			}
		}
		due := p.Due
		if due == "" {
			if due, err = s.dueFrom(ctx, tx, sc, s.now()); err != nil {
				return err
			}
		}
		info := CaseInfo{ID: p.CaseID, Code: p.CaseCode, BodyID: p.BodyID, Party: p.Party}
		_, err = s.open(ctx, tx, sc, openSpec{info: info, documentID: docID, kind: p.Document, source: source, due: due,
			channels: channels, method: method, consent: consent})
		return err
	})
}

// lastTry reports whether a failed attempt may not be retried: the route used its attempts, or
// Asynq will not run the task again.
func (s *Service) lastTry(ctx context.Context, attempts int) bool {
	if attempts >= s.maxAttempts {
		return true
	}
	n, ok1 := asynq.GetRetryCount(ctx)
	m, ok2 := asynq.GetMaxRetry(ctx)
	return ok1 && ok2 && n >= m
}

// document fetches the PDF of l's document. A missing or corrupt document fails the route (the
// returned error is then nil and done is true); other errors are temporary.
func (s *Service) document(ctx context.Context, sc tenants.Scope, l *loaded) (pdf []byte, info DocumentInfo, done bool, err error) {
	if s.docs == nil {
		err = errors.New("no documents module is connected")
	} else {
		pdf, info, err = s.docs.PDF(ctx, sc, l.d.DocumentID)
	}
	switch {
	case errs.Is(err, errs.NotFound):
		return nil, info, true, s.fail(ctx, sc, l, "文书不存在", "the document does not exist", "")
	case err != nil:
		if s.lastTry(ctx, l.r.Attempts) {
			return nil, info, true, s.fail(ctx, sc, l, "无法取得文书", "the document could not be fetched: "+err.Error(), "")
		}
		err = fmt.Errorf("delivery: fetch document %s: %w", l.d.DocumentID, err)
		if l.claimed {
			if rerr := s.release(ctx, sc, l, err.Error(), false); rerr != nil {
				return nil, info, false, rerr
			}
		}
		return nil, info, false, err
	case info.SHA256 != "" && sha256Hex(pdf) != info.SHA256:
		return nil, info, true, s.fail(ctx, sc, l, "文书内容与其哈希不符", "the document's bytes do not match its hash", "")
	}
	if info.FileName == "" {
		info.FileName = l.d.DocumentKind + ".pdf"
	}
	if info.Title == "" {
		info.Title = l.d.DocumentKind
	}
	return pdf, info, false, nil
}

// HandleStoreInbox stores the document in the party's portal inbox: storing it is delivering it
// (the inbox is the designated system). The item, the route's arrival and the follow-up tasks
// (record on the case, the SMS notification) commit together, so a retry finds the route
// delivered and does nothing.
func (s *Service) HandleStoreInbox(ctx context.Context, sc tenants.Scope, t RouteTask) error {
	l, err := s.load(ctx, sc, t, StoreInbox.Type, ChannelInbox, false)
	if err != nil || l.finished() {
		return err
	}
	pdf, info, done, err := s.document(ctx, sc, l)
	if done || err != nil {
		return err
	}
	now := dbx.Stamp(s.now())
	err = tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		item := &InboxItem{ID: dbx.NewID(), TenantID: sc.TenantID(), RouteID: l.r.ID, DeliveryID: l.d.ID, CitizenID: l.r.Address,
			PartyKey: l.d.PartyKey, CaseID: l.d.CaseID, CaseCode: l.d.CaseCode, BodyID: l.d.BodyID, DocumentID: l.d.DocumentID,
			DocumentKind: l.d.DocumentKind, Title: info.Title, Number: info.Number, FileName: info.FileName, Content: pdf,
			SHA256: sha256Hex(pdf), Size: int64(len(pdf)), StoredAt: now}
		if _, err := tx.NewInsert().Model(item).On("CONFLICT (route_id) DO NOTHING").Exec(ctx); err != nil {
			return err
		}
		a := &arrival{r: l.r, at: now, reply: "stored as inbox item " + item.ID}
		if err := s.arriveBatch(ctx, tx, sc, []*arrival{a}); err != nil {
			return err
		}
		if !a.ok {
			return errFinished // delivered or failed meanwhile: keep no item
		}
		sms, err := findRouteOf(ctx, tx, sc, l.d.ID, ChannelSMS)
		if err == nil && sms != nil && sms.Status == RoutePending {
			_, err = SendSMS.Enqueue(ctx, tx, sc, RouteTask{DeliveryID: l.d.ID, RouteID: sms.ID})
		}
		return err
	})
	if errors.Is(err, errFinished) {
		return nil
	}
	return err
}

// errFinished rolls back a transaction that found its route finished by another attempt.
var errFinished = errors.New("delivery: the route was finished meanwhile")

// messageID is the Message-ID of a route's e-mail: derived from the route, so that a copy sent
// again after a crash is recognisable as the same message.
func (s *Service) messageID(routeID string) string {
	return "<" + routeID + ".delivery@" + mailer.Domain(s.from) + ">"
}

// HandleSendEmail submits the e-mail with the PDF attached. Delivery is complete when the
// receiving mail server accepts the message: its reply and the time are recorded.
//
// Exactly once, as far as SMTP allows: the route is claimed ("sending", a lease, one more attempt)
// in a committed transaction before the server is contacted, and the arrival is written right
// after the server's 250, before QUIT. A retry finds the route delivered and sends nothing;
// concurrent runs find it claimed. Only a crash between the 250 and that write (or a reply lost
// on the wire) leaves the fate of a message unknown: the route stays "sending" until its lease
// runs out, and the next attempt sends it again with the same Message-ID and X-Zhifa-Delivery
// header, so the copy is recognisable as a duplicate; the arrival recorded is then the second
// one, never earlier than the real one.
//
// A 5xx reply (or an address the server refuses for good) fails the route without retry and warns
// (supervision:warn) so that the officer chooses another way; a 4xx reply, a refused or dropped
// connection, or a timeout is retried with Asynq's backoff until the route's attempts run out.
func (s *Service) HandleSendEmail(ctx context.Context, sc tenants.Scope, t RouteTask) error {
	l, err := s.load(ctx, sc, t, SendEmail.Type, ChannelEmail, true)
	if err != nil || l.finished() {
		return err
	}
	if s.mailer == nil {
		return s.fail(ctx, sc, l, "未配置邮件服务器", "no mail server is configured", "")
	}
	pdf, info, done, err := s.document(ctx, sc, l)
	if done || err != nil {
		return err
	}
	uncertain := l.r.LastError == uncertainNote
	msg := &Message{To: l.r.Address, MessageID: s.messageID(l.r.ID), RouteID: l.r.ID, FileName: info.FileName, PDF: pdf,
		Subject: fmt.Sprintf("电子送达：%s（案件编号 %s）", info.Title, l.d.CaseCode),
		Text:    s.emailText(l.d, info)}
	rc, err := s.mailer.Send(ctx, msg)
	at := dbx.Stamp(s.now())
	if err != nil {
		return s.failedAttempt(ctx, sc, l, err)
	}
	note := ""
	if uncertain {
		note = uncertainNote
	}
	return s.arrive(ctx, sc, l, at, rc.Reply, note)
}

// emailText is the body of a delivery e-mail.
func (s *Service) emailText(d *Delivery, info DocumentInfo) string {
	t := fmt.Sprintf("%s：\n\n根据您签署的电子送达确认书，现向您送达《%s》", d.PartyName, info.Title)
	if info.Number != "" {
		t += "（" + info.Number + "）"
	}
	t += fmt.Sprintf("，案件编号 %s，文书见附件（PDF，已加盖电子印章）。本邮件到达您指定的电子邮箱之日即为送达之日（%s）。\n", d.CaseCode, cite(RuleEDelivery).Document())
	if s.portalURL != "" {
		t += "\n您也可以登录 " + s.portalURL + " 在电子送达收件箱查看并核验文书。\n"
	}
	return t + "\n本邮件由系统发送，请勿回复。\n"
}

// HandleSendSMS sends the SMS that tells the party a document waits in the inbox. It is a
// notification: its acceptance by the gateway is recorded, but the document was served when it
// reached the inbox. Retries and failures work as for e-mail; the gateway deduplicates by the
// route ID (Idempotency-Key) when a timeout leaves a request's fate unknown.
func (s *Service) HandleSendSMS(ctx context.Context, sc tenants.Scope, t RouteTask) error {
	l, err := s.load(ctx, sc, t, SendSMS.Type, ChannelSMS, true)
	if err != nil || l.finished() {
		return err
	}
	if s.sms == nil {
		return s.fail(ctx, sc, l, "未配置短信网关", "no SMS gateway is configured", "")
	}
	text := fmt.Sprintf("【执法平台】%s：您有一份文书（案件编号 %s）已送达至电子送达收件箱", l.d.PartyName, l.d.CaseCode)
	if s.portalURL != "" {
		text += "，请登录 " + s.portalURL + " 查看"
	}
	rc, err := s.sms.Notify(ctx, &Notice{To: l.r.Address, Text: text + "。", Reference: l.r.ID})
	at := dbx.Stamp(s.now())
	if err != nil {
		return s.failedAttempt(ctx, sc, l, err)
	}
	return s.arrive(ctx, sc, l, at, rc.Reply, "")
}

// failedAttempt settles an attempt that did not get an acceptance: a permanent refusal, or the
// last attempt, fails the route (no retry); otherwise the route is released and the task retried.
func (s *Service) failedAttempt(ctx context.Context, sc tenants.Scope, l *loaded, sendErr error) error {
	var se *SendError
	if !errors.As(sendErr, &se) {
		se = &SendError{Err: sendErr}
	}
	reply := ""
	if se.Code != 0 {
		reply = fmt.Sprintf("%d %s", se.Code, se.Reply)
	}
	if se.Permanent {
		if err := s.fail(ctx, sc, l, "接收方拒绝："+reply, "refused by the receiving system: "+se.Error(), reply); err != nil {
			return err
		}
		return skip("%s route %s refused: %v", l.r.Channel, l.r.ID, se)
	}
	if s.lastTry(ctx, l.r.Attempts) {
		if err := s.fail(ctx, sc, l, fmt.Sprintf("%d 次尝试均未成功", l.r.Attempts),
			fmt.Sprintf("no acceptance after %d attempts: %v", l.r.Attempts, se), reply); err != nil {
			return err
		}
		return skip("%s route %s: out of attempts: %v", l.r.Channel, l.r.ID, se)
	}
	// A copy of an earlier attempt may have arrived: the route stays uncertain until one is accepted.
	if err := s.release(ctx, sc, l, se.Error(), se.Uncertain || l.r.LastError == uncertainNote); err != nil {
		return err
	}
	return fmt.Errorf("delivery: %s route %s, attempt %d: %w", l.r.Channel, l.r.ID, l.r.Attempts, se)
}

// release lets l's claimed route be tried again after a failed attempt: pending, or, when the
// message may have arrived all the same (uncertain), still "sending" with its lease dropped, so
// that the next attempt knows it sends a possible duplicate.
func (s *Service) release(ctx context.Context, sc tenants.Scope, l *loaded, lastError string, uncertain bool) error {
	return tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		return releaseRoute(ctx, tx, sc, l.r.ID, lastError, uncertain, dbx.Stamp(s.now()))
	})
}

// settleServed marks d served by r (delivered) unless another route served it first, inside tx,
// and updates d.
func settleServed(ctx context.Context, tx bun.IDB, sc tenants.Scope, d *Delivery, r *Route, now time.Time) error {
	if d.ServedAt != nil || r.DeliveredAt == nil {
		return nil
	}
	res, err := tenants.Own(sc, tx.NewUpdate().Model((*Delivery)(nil))).Set("status = ?", StatusServed).Set("served_at = ?", *r.DeliveredAt).
		Set("served_on = ?", r.ServedOn).Set("served_route_id = ?", r.ID).Set("updated_at = ?", now).
		Where("d.id = ? AND d.served_at IS NULL", d.ID).Exec(ctx)
	if err != nil {
		return err
	}
	if rowsAffected(res) == 1 {
		d.Status, d.ServedAt, d.ServedOn, d.ServedRoute = StatusServed, r.DeliveredAt, r.ServedOn, r.ID
		return nil
	}
	fresh, err := findDeliveryOnly(ctx, tx, sc, d.ID)
	if err == nil {
		*d = *fresh
	}
	return err
}

// fail marks l's route failed for good (unless it finished meanwhile), settles the delivery, and
// warns (supervision:warn) so that the officer chooses another way. An SMS waiting for an inbox
// that failed fails with it.
func (s *Service) fail(ctx context.Context, sc tenants.Scope, l *loaded, zh, en, reply string) error {
	return tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		return s.failTx(ctx, tx, sc, l.d.ID, l.r.ID, zh, en, reply)
	})
}

func (s *Service) failTx(ctx context.Context, tx bun.IDB, sc tenants.Scope, deliveryID, routeID, zh, en, reply string) error {
	now := dbx.Stamp(s.now())
	q := tenants.Own(sc, tx.NewUpdate().Model((*Route)(nil))).Set("status = ?", RouteFailed).Set("failed_at = ?", now).
		Set("last_error = ?", clip(en, 1000)).Set("lease_until = NULL").Set("updated_at = ?", now).Where("r.id = ?", routeID)
	if reply != "" {
		q = q.Set("reply = ?", clip(reply, 1000))
	}
	res, err := unfinished(q).Exec(ctx)
	if err != nil || rowsAffected(res) == 0 {
		return err
	}
	d, err := findDelivery(ctx, tx, sc, deliveryID)
	if err != nil {
		return err
	}
	r := d.route(routeChannel(d, routeID))
	if r.Channel == ChannelInbox {
		if sms := d.route(ChannelSMS); sms != nil && sms.Status == RoutePending {
			if err := s.failTx(ctx, tx, sc, deliveryID, sms.ID, "电子送达收件箱未送达，短信提醒取消", "the inbox delivery failed: no SMS to send", ""); err != nil {
				return err
			}
		}
	}
	consent, err := activeConsent(ctx, tx, sc, d.CaseID)
	if err != nil {
		return err
	}
	if err := s.saveStatus(ctx, tx, sc, d, consent); err != nil {
		return err
	}
	w := supervisiontask.Warning{CaseID: d.CaseID, CaseCode: d.CaseCode, BodyID: d.BodyID, Point: "delivery_failed", Rule: RuleDelivery,
		On: s.today(), Due: d.DueOn, DeliveryID: d.ID, RouteID: routeID,
		Message: errs.Msg{ZH: fmt.Sprintf("%s送达失败（%s）：%s；请选择其他送达方式", channelZH[r.Channel], d.DocumentKind, zh),
			EN: fmt.Sprintf("%s delivery of %s failed: %s; choose another way", r.Channel, d.DocumentKind, en)}}
	_, err = supervisiontask.Warn.Enqueue(ctx, tx, sc, w)
	return err
}

// routeChannel returns the channel of d's route id.
func routeChannel(d *Delivery, id string) Channel {
	for _, r := range d.Routes {
		if r.ID == id {
			return r.Channel
		}
	}
	return ""
}

// channelZH names the channels in Chinese.
var channelZH = map[Channel]string{ChannelInbox: "电子送达收件箱", ChannelEmail: "电子邮件", ChannelSMS: "短信提醒",
	ChannelPaper: "纸质送达", ChannelPublicNotice: "公告送达"}

// HandleRecordServed settles serving arrivals, one transaction each: the delivery is served by
// the first route whose arrival is settled (its time is the delivery time), and the arrival is
// entered in the case's record through the CaseRecorder, which marks the route recorded in the same
// transaction. Doing this here keeps the send's own transaction small. Without a case engine the
// delivery is still settled; a refusal by the case engine is kept on the route (RecordError) and
// not retried; any other failure retries the task, whose recorded routes are then skipped.
func (s *Service) HandleRecordServed(ctx context.Context, sc tenants.Scope, t RecordTask) error {
	if len(t.RouteIDs) == 0 {
		return skip("%s: bad payload", RecordServed.Type)
	}
	var retry, refused []error
	for _, id := range t.RouteIDs {
		if !dbx.ValidID(id) {
			return skip("%s: bad route ID", RecordServed.Type)
		}
		err := s.recordOne(ctx, sc, id)
		switch {
		case err == nil:
		case errors.Is(err, asynq.SkipRetry):
			refused = append(refused, err)
		default:
			retry = append(retry, err)
		}
	}
	if len(retry) > 0 {
		return errors.Join(retry...)
	}
	return errors.Join(refused...)
}

// recordOne settles and records one route.
func (s *Service) recordOne(ctx context.Context, sc tenants.Scope, routeID string) error {
	settle := func(ctx context.Context, tx bun.IDB, enter bool) error {
		r, err := findRoute(ctx, tx, sc, routeID)
		if err != nil || r.Status != RouteDelivered || r.RecordedAt != nil || !r.Channel.Serves() {
			return err
		}
		d, err := findDeliveryOnly(ctx, tx, sc, r.DeliveryID)
		if err != nil {
			return err
		}
		if err := settleServed(ctx, tx, sc, d, r, dbx.Stamp(s.now())); err != nil || !enter {
			return err
		}
		if s.cases == nil {
			s.log.WarnContext(ctx, "delivery arrival not recorded on the case: no case engine connected", "route", r.ID)
			return nil
		}
		if err := s.cases.RecordDelivery(ctx, tx, sc, d.CaseID, record(d, r)); err != nil {
			return err
		}
		_, err = tenants.Own(sc, tx.NewUpdate().Model((*Route)(nil))).Set("recorded_at = ?", dbx.Stamp(s.now())).Set("record_error = ''").
			Where("r.id = ?", r.ID).Exec(ctx)
		return err
	}
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error { return settle(ctx, tx, true) })
	if err == nil {
		return nil
	}
	if c := errs.CodeOf(err); slices.Contains([]errs.Code{errs.Invalid, errs.NotFound, errs.Conflict, errs.FailedPrecondition}, c) {
		if uerr := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
			if err := settle(ctx, tx, false); err != nil {
				return err
			}
			_, err := tenants.Own(sc, tx.NewUpdate().Model((*Route)(nil))).Set("record_error = ?", clip(errs.As(err).Message.EN, 500)).
				Where("r.id = ?", routeID).Exec(ctx)
			return err
		}); uerr != nil {
			return uerr
		}
		return skip("%s: the case engine refused route %s: %v", RecordServed.Type, routeID, err)
	}
	return err
}

// record is the case record of r's arrival.
func record(d *Delivery, r *Route) cases.Arrival {
	rec := cases.Arrival{DeliveryID: d.ID, RouteID: r.ID, DocumentID: d.DocumentID, DocumentKind: d.DocumentKind, Channel: string(r.Channel),
		Method: r.Method, Address: r.Address, ServedOn: r.ServedOn, Reply: r.Reply, MessageID: r.MessageID,
		ReceiptSHA256: r.ReceiptSHA, Deemed: r.Channel == ChannelPublicNotice, Due: d.DueOn, Serves: d.ServedRoute == r.ID}
	if r.DeliveredAt != nil {
		rec.At = *r.DeliveredAt
	}
	rec.Late = d.DueOn != "" && r.ServedOn.After(d.DueOn)
	if r.Channel == ChannelPublicNotice {
		rec.Method = r.Notice
		rec.Late = d.DueOn != "" && r.PublishedOn.After(d.DueOn)
	}
	return rec
}

// scanBatch bounds one periodic scan.
const scanBatch = 1000

// byTenant runs fn once per tenant named in ids (tenant -> row IDs), under that tenant's scope, in
// one transaction per tenant.
func (s *Service) byTenant(ctx context.Context, typ string, ids map[string][]string, order []string,
	fn func(ctx context.Context, tx bun.Tx, sc tenants.Scope, id string) error) error {
	store := tenants.NewStore(s.db)
	for _, tid := range order {
		t, err := store.Lookup(ctx, tid)
		if err != nil {
			return err
		}
		tsc := tenants.NewScope(t, "job:"+typ, []authz.Role{authz.TenantOperator}, nil)
		if err := tenants.RunInTx(ctx, s.db, tsc, func(ctx context.Context, tx bun.Tx) error {
			for _, id := range ids[tid] {
				if err := fn(ctx, tx, tsc, id); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return err
		}
	}
	return nil
}

// scanRow is a row a periodic scan found.
type scanRow struct {
	ID       string `bun:"id"`
	TenantID string `bun:"tenant_id"`
}

// groupByTenant groups rows by tenant, keeping the order tenants first appear in.
func groupByTenant(rows []scanRow) (map[string][]string, []string) {
	ids := map[string][]string{}
	var order []string
	for _, r := range rows {
		if ids[r.TenantID] == nil {
			order = append(order, r.TenantID)
		}
		ids[r.TenantID] = append(ids[r.TenantID], r.ID)
	}
	return ids, order
}

// HandleScanLate finds the deliveries not served by their due day (Art. 61: on the spot or within
// 7 working days, counted with the holiday calendar when the delivery was opened) that no warning
// named yet, and per tenant marks each warned and writes one supervision:warn. A public notice
// published by the due day counts as delivery in time. It runs under a system scope (the periodic
// envelope).
func (s *Service) HandleScanLate(ctx context.Context, sc tenants.Scope) error {
	if !sc.IsSystem() {
		return skip("%s needs a system scope", ScanLate.Type)
	}
	today := s.today()
	var rows []scanRow
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		return tx.NewSelect().Model((*Delivery)(nil)).Column("d.id", "d.tenant_id").
			Where("d.served_at IS NULL AND d.warned_late_on IS NULL AND d.due_on < ?", today).
			Where("NOT EXISTS (SELECT 1 FROM delivery_routes AS r WHERE r.delivery_id = d.id AND r.status = ? AND r.channel <> ?)", RouteDelivered, ChannelSMS).
			Where("NOT EXISTS (SELECT 1 FROM delivery_routes AS r WHERE r.delivery_id = d.id AND r.channel = ? AND r.published_on IS NOT NULL AND r.published_on <= d.due_on)", ChannelPublicNotice).
			OrderExpr("d.tenant_id, d.due_on").Limit(scanBatch).Scan(ctx, &rows)
	})
	if err != nil {
		return err
	}
	ids, order := groupByTenant(rows)
	return s.byTenant(ctx, ScanLate.Type, ids, order, func(ctx context.Context, tx bun.Tx, sc tenants.Scope, id string) error {
		res, err := tenants.Own(sc, tx.NewUpdate().Model((*Delivery)(nil))).Set("warned_late_on = ?", today).
			Where("d.id = ? AND d.served_at IS NULL AND d.warned_late_on IS NULL", id).
			Where("NOT EXISTS (SELECT 1 FROM delivery_routes AS r WHERE r.delivery_id = d.id AND r.status = ? AND r.channel <> ?)", RouteDelivered, ChannelSMS).Exec(ctx)
		if err != nil || rowsAffected(res) == 0 {
			return err
		}
		d, err := findDelivery(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		w := supervisiontask.Warning{CaseID: d.CaseID, CaseCode: d.CaseCode, BodyID: d.BodyID, Point: "delivery_late", Rule: RuleDelivery,
			On: today, Due: d.DueOn, DeliveryID: d.ID,
			Message: errs.Msg{ZH: fmt.Sprintf("文书（%s）未在送达期限 %s 前送达（%s：七个工作日）", d.DocumentKind, d.DueOn, cite(RuleDelivery).Screen()),
				EN: fmt.Sprintf("the %s was not served by %s (Administrative Penalty Law Art. 61: 7 working days)", d.DocumentKind, d.DueOn)}}
		_, err = supervisiontask.Warn.Enqueue(ctx, tx, sc, w)
		return err
	})
}

// HandleDeemNotices marks served the public notices whose 30 days have passed (民事诉讼法 Art.
// 95): the day of publication is not counted, the notice is served at the end of the 30th day
// after it (DeemedOn), and the task marks it from the next day on. It runs under a system scope.
func (s *Service) HandleDeemNotices(ctx context.Context, sc tenants.Scope) error {
	if !sc.IsSystem() {
		return skip("%s needs a system scope", DeemNotices.Type)
	}
	today := s.today()
	var rows []scanRow
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		return tx.NewSelect().Model((*Route)(nil)).Column("r.id", "r.tenant_id").
			Where("r.status = ? AND r.deemed_on < ?", RoutePublished, today).
			OrderExpr("r.tenant_id, r.deemed_on").Limit(scanBatch).Scan(ctx, &rows)
	})
	if err != nil {
		return err
	}
	ids, order := groupByTenant(rows)
	return s.byTenant(ctx, DeemNotices.Type, ids, order, func(ctx context.Context, tx bun.Tx, sc tenants.Scope, id string) error {
		r, err := findRoute(ctx, tx, sc, id)
		if err != nil || r.Status != RoutePublished {
			return err
		}
		at := deemedAt(r.DeemedOn)
		res, err := tenants.Own(sc, tx.NewUpdate().Model((*Route)(nil))).Set("status = ?", RouteDelivered).Set("delivered_at = ?", at).
			Set("served_on = ?", r.DeemedOn).Set("reply = ?", "deemed served: 30 days after publication on "+string(r.PublishedOn)).
			Set("updated_at = ?", dbx.Stamp(s.now())).Where("r.id = ? AND r.status = ?", id, RoutePublished).Exec(ctx)
		if err != nil || rowsAffected(res) == 0 {
			return err
		}
		r.Status, r.DeliveredAt, r.ServedOn = RouteDelivered, &at, r.DeemedOn
		return queueRecord(ctx, tx, sc, r.ID)
	})
}

// deemedAt is the moment a public notice deemed served on day d is served: the end of d.
func deemedAt(d civil.Date) time.Time {
	return d.Time().AddDate(0, 0, 1).UTC()
}
