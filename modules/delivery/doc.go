// Package delivery serves a case's documents on its party (送达, 行政处罚法 Art. 61): electronic
// delivery with the party's signed consent, through the citizen portal inbox, e-mail with the PDF
// attached, and an SMS notification; and the paper (送达回证) and public-notice (公告送达) fallbacks.
//
// Reading order: delivery.go (Channel, Delivery, Route and their statuses), consent.go (Consent
// and the address checks), ports.go (what the other modules provide: CaseRecorder, declared in
// the case engine's read models cases.DeliveryCase and cases.Arrival and implemented by
// cases.Service as it is; DocumentSource), documents_adapter.go (CaseDocuments: the documents
// module and the case engine as a DocumentSource), cases_adapter.go (the engine's party as
// delivery's Party; ConsentInForce, the consents as the engine's cases.ConsentSource), service.go
// (the use cases), paper.go (paper and public notice), inbox.go (the
// citizen inbox), attempt.go and batch.go (the hot path of sending), mail.go and sms.go (the
// channels' clients), tasks.go (task types and handlers), http.go (the API), module.go (Config, New).
//
// # Consent
//
// A consent (电子送达确认书) belongs to one case: the party signs it for that case, naming the
// channels (inbox, email, sms) and the addresses (an e-mail address checked for syntax and the form
// of its domain, a mainland mobile number, and the portal account whose inbox receives the
// documents). A case has at most one consent in force; revoking it fails the electronic routes
// still pending and starts no new one. Per case rather than per party across a body's cases,
// because the consent is evidence of that case's file and a party's addresses change between
// cases; a portal flow that copies a consent into a new case is the portal's business. Officers
// record a consent the party signed (delivery.write); the proven party signs its own in the
// citizen portal (party.act: then the inbox is the signed-in account's and the day signed today),
// through RecordConsentTx, so that the portal's entry on the case's record commits with it. Without a
// consent in force, electronic delivery is refused (FailedPrecondition naming Art. 61) and paper or
// public-notice delivery is offered (Delivery.Options). The case engine's own flag
// (Party.EDeliveryConsent) is not trusted: only a recorded consent opens electronic channels, and
// ActiveConsent lets the engine ask.
//
// # The citizen and the inbox
//
// The consent names the party's portal account (CitizenID: the identity ID of the Kratos citizen
// who reads the inbox; for an organisation, its representative's account). Storing a document in
// the inbox serves it: the item keeps the exact bytes, addressed to that account and to the party's
// identity number or credit code. A citizen lists and fetches the items addressed to their own
// account (principal kind citizen, action inbox.read, whatever tenant served them): the query runs
// under a named system scope and is limited to the account, which is the fence, not the tenant.
// Officers see deliveries, never another party's inbox.
//
// # Deliveries, routes and times
//
// A document has one Delivery; each channel it travels by is a Route, and (document, channel) is
// unique, so no document goes twice through a channel. The delivery time is when the document
// reaches the designated system: the mail server's acceptance (its reply is kept), the inbox
// storage, the day on the paper receipt, or the end of a public notice's 30 days (民事诉讼法 Art. 95;
// the day of publication not counted). The first serving arrival serves the document; SMS only
// notifies and serves nothing. Every serving arrival is entered in the case's record through
// CaseRecorder.RecordDelivery, from the delivery:record_served task.
//
// # Tasks, retries and exactly once
//
// Tasks (all through the transactional outbox): delivery:deliver_document, written by the case
// engine and the payments module and declared with its payload in the contract package
// deliverytask; delivery:store_inbox, delivery:send_email, delivery:send_sms,
// delivery:record_served and the periodic delivery:scan_late and delivery:deem_notices, declared
// in tasks.go; and supervision:warn, the supervision module's (supervisiontask.Warn), which
// delivery writes.
//
// A 4xx reply, a refused or dropped connection, a timeout and a gateway's 5xx, 408 or 429 are
// retried with Asynq's backoff (the relay gives every task MaxRetry 10); a route fails after
// Config.MaxAttempts attempts (8, about two and a half hours of Asynq's default backoff). A 5xx
// reply, a gateway's other 4xx, a missing document or a revoked consent fail the route at once
// (SkipRetry). A failed route warns (supervision:warn, point delivery_failed) so that the officer
// chooses another way; the delivery then needs action unless another channel is under way.
//
// Before contacting a server an attempt claims its route in a committed transaction ("sending", a
// lease, one more attempt), and it writes the arrival right after the server's acceptance, before
// QUIT: a retry finds the route delivered and sends nothing, and concurrent attempts find it
// claimed. What SMTP cannot close is the window between the server's 250 and that write (a crash,
// or a reply lost on the wire): the route then stays "sending" (after a crash, until its lease runs
// out), and the next attempt sends the message again with the same Message-ID
// (<route-id.delivery@sender-domain>) and X-Zhifa-Delivery header, so that the copy is
// recognisable as a duplicate, and the route keeps a note saying so; the arrival recorded is the
// later one, never earlier than the real one. The SMS gateway gets the route ID as Idempotency-Key
// for the same reason. Nothing is marked delivered that no receiving system accepted.
//
// The claim and the arrival of concurrent attempts are committed together (batch.go), with
// statements that handle a whole batch, which is what lets one worker process sustain more than a
// thousand e-mails a second on PostgreSQL.
//
// The periodic check flags each delivery not served by its due day (Art. 61: on the spot or within
// 7 working days, counted by the rules engine with the holiday calendar; a public notice published
// by the due day counts as in time), once, with supervision:warn (point delivery_late).
//
// # Tables
//
// delivery_consents, deliveries, delivery_routes, delivery_inbox (all tenant-owned, row-level
// security on PostgreSQL; migration 20260106000000_create_delivery). Scanned receipts are files
// under <upload dir>/delivery/<tenant>/, content-addressed by SHA-256.
//
// # Terms
//
//	送达 Delivery                      电子送达 electronic channels (ChannelInbox, ChannelEmail)
//	电子送达确认书 Consent              送达地址 Consent.Email, Consent.Mobile, Consent.CitizenID
//	电子送达收件箱 InboxItem            短信提醒 ChannelSMS (notification only)
//	直接送达、留置送达、邮寄送达 ChannelPaper, PaperMethods
//	送达回证 Route.ReceiptSHA           公告送达 ChannelPublicNotice, rules.PublicNoticeServedOn
//	送达期限（七个工作日）Delivery.DueOn  视为送达 Route.DeemedOn
//	预警 supervisiontask.Warning (supervision:warn)
package delivery
