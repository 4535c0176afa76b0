// Package portal is the citizen portal (当事人门户): a party looks its case up by the case code
// printed (and QR-coded) on every document, proves to be the party, and then follows the case,
// downloads its documents, signs the consent to electronic delivery, pays the fine and downloads
// the receipt, evaluates the enforcement, and applies for reconsideration in one click.
//
// Reading order: ports.go (what the case engine and payments provide: Cases, Payments, declared
// in their own read models: the portal imports the case engine, never the reverse, and serves
// the engine's view of the case, cases.PartyView, and records cases.PartyEntry), deps.go
// (what the other modules provide: Consents, Documents, SettingReader, Identity), claim.go (the claim
// and the proof), ratelimit.go, lookup.go, case.go, consent.go, evaluation.go,
// reconsideration.go, pay.go, tasks.go, settings.go, http.go (the API), pages.go (the pages),
// module.go (Config, New).
//
// # Lookup, proof and claims
//
// A lookup names a case code and the last six characters of the party's resident identity
// number or unified social credit code (case-insensitive, compared in constant time). The code
// names its tenant (ZF<division code>-<year>-...); the case engine finds the case under a party
// scope at that tenant (authz.Citizen, actor the portal account). A code that names no case and
// a proof that does not match get the same answer (404, "case not found or identity does not
// match"), so no answer tells whether a code exists. Lookups are limited in fixed windows kept in
// Redis: per client address (30 per 10 minutes, every lookup), per account (10 failed per hour)
// and per code (5 failed per hour: then the code is locked for everyone until the window ends);
// past a limit the answer is 429 with Retry-After. A proof's failure is counted (Redis INCR,
// atomic) before the proof is checked and taken back if it matches, so concurrent lookups never
// check more proofs than the limits allow; a failure's answer says how many attempts are left. A successful proof records a claim (account,
// tenant, case): the account sees the case under "my cases" and acts on it without proving again.
// Every other operation takes a case ID, finds the account's claim (across tenants, under a
// named system scope limited to the account) and acts under the party scope at the claim's
// tenant; without a claim it answers 404. Nothing is shown to whoever has not proved.
//
// # What the party does
//
// Consent: the party signs the e-delivery consent (channels inbox, email, sms; the inbox is the
// signed-in account's, the day signed today) through the delivery module inside the portal's
// transaction, which also enters EntryConsentSigned on the case's record. Evaluation (公众评议):
// a rating of 1 to 5 and a comment of at most 500 characters, once per case (a unique key), with
// EntryEvaluated. Payment: the payments module's quote (principal, late surcharge with its late
// and paused days and basis, total), its checkout (Stripe Checkout, or the embedded default's
// simulated page), and the payments with their fiscal receipts, which download as documents of
// the case.
//
// Reconsideration (一键复议): an application pre-filled from the decision (applicant, respondent,
// decision and its number, a request to revoke or change it, the opening of the facts and
// reasons, the reconsideration body), which the party edits and submits. One transaction writes
// the application, issues its PDF (documents type reconsideration_application, issued as the
// platform at the case's tenant), enters EntryReconsiderationApplied (the case engine refuses it
// after the 60 days of 行政复议法 Art. 20, and stops the late surcharge from that day, 行政处罚法
// Art. 72) and, when the reconsideration body has a mailbox (setting
// portal.reconsideration_email, per tenant or body), writes the task that e-mails the PDF there.
// Without a mailbox the application waits, listed as not sent with a warning; the periodic task
// queues it once one is set. On the mail server's acceptance the application is marked sent (the
// time and the server's reply) and EntryReconsiderationSent is entered; the page shows
// submitted, sent and decided (from the case's remedies).
//
// # Tasks
//
// portal:send_reconsideration (payload SendTask, through the outbox) and the periodic
// portal:send_waiting.
//
// # Tables
//
// portal_claims, portal_evaluations, portal_reconsiderations (tenant-owned, row-level security on
// PostgreSQL; migration 20260108000000_create_portal).
//
// # Terms
//
//	当事人门户 the portal            案件编码 PartyCase.Code (the lookup's code)
//	身份核验 proof (LookupInput.Proof) 认领 Claim
//	电子送达确认书 ConsentInput        公众评议 Evaluation
//	一键复议 Apply / Application       行政复议申请书 documents.TypeReconsiderationApplication
//	行政复议机关 Application.Authority 被申请人 Application.Respondent
//	缴纳罚款 Quote, Checkout           财政电子票据 payments.PaymentView.ReceiptID
package portal
