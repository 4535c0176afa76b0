// Package payments lets a party pay a fine online with Stripe (缴纳罚款): the amount due on the
// day of payment with the late surcharge (加处罚款) of 行政处罚法 Art. 72, each paying authority's
// own Stripe account, the signed webhook that settles a payment once, the fiscal e-receipt
// (财政电子票据) issued and served on the party, refunds when a decision is revoked or its fine
// reduced, and an hourly reconciliation with Stripe's records. In the embedded default a tenant
// without an account pays through a simulated page over the same signed-webhook path.
//
// Reading order: ports.go (Cases, the case engine as this module sees it: Terms and the payment,
// receipt and refund entries on the case's hash chain, in the engine's own types,
// cases.PaymentTerms, cases.Plan, cases.Pause, cases.Party and cases.PaymentRecord,
// ReceiptRecord, RefundRecord; this module imports the engine, never the reverse, and
// *cases.Service is the port's implementation as it is), paymenttask (the contract of
// payments:refund, which the case engine writes), views.go (Quote, Checkout, PaymentView: what
// the portal sees), due.go (QuoteOn: the law of what is due, pure), payment.go
// (the rows), accounts.go (the account settings), checkout.go (Quote, Checkout, the case's
// payments), gateway.go (the Stripe API), webhook.go (verification and processing), receipt.go,
// refund.go, reconcile.go, simulate.go (the simulated page), http.go, tasks.go, module.go.
//
// # What is due
//
// QuoteOn: the fine still unpaid, due on cases.PaymentTerms.PayDue (Art. 67: 15 days from
// service, moved off a rest day by the case engine), or with an approved plan (Art. 66 ¶2) the
// next unpaid instalment on its own day; plus 3% of that principal for each calendar day after its
// deadline up to and including the day of payment (paying on the deadline is in time, the day
// after is one day late), less the days a reconsideration or litigation was pending (Art. 72 ¶2),
// never more than the principal (rules.Surcharge). The day is China's civil day of the service's clock.
//
// # Accounts
//
// Settings payments.stripe_secret_key and payments.stripe_webhook_secret (secret settings:
// encrypted at rest, shown masked, read in clear only through tenants.Service.SecretValue) and
// payments.stripe_publishable_key. Settings inherit: a county without its own account uses its
// province's, whose webhook address (/api/v1/payments/webhook/{province}) then receives the
// county's events; an event is processed in the tenant its metadata names only if that tenant is
// the address's tenant or uses its account.
//
// # Checkout
//
// Checkout quotes the day's amount and writes a pending payment (unique per case, instalment and
// amount: a second checkout of the same amount returns the first while its page is open; one of
// another amount supersedes it, expired here and its session closed at Stripe), then
// creates the Checkout Session in CNY with the fine and the surcharge as line items, metadata
// {tenant_id, case_id, payment_id}, client_reference_id = payment ID, return addresses on the
// platform's public address only, and idempotency key "zhifa-checkout-<payment ID>". A session
// Stripe does not create marks the payment failed.
//
// # Webhook, once
//
// POST /api/v1/payments/webhook/{tenant}: body at most 64 KiB; the signature is checked with the
// tenant's webhook secret (stripe-go's webhook package: HMAC-SHA256, timestamp at most 5 minutes
// old; API version differences tolerated) before anything else, and a refused event (wrong secret,
// altered body, stale timestamp) answers 400 in Chinese and English with nothing written. Only
// then is the platform's scope (role authz.Platform, actor platform:payments) built for the
// payment's tenant, and in one transaction the event's ID is recorded (payment_events; a replay
// finds it and changes nothing) with its effect: checkout.session.completed or
// async_payment_succeeded with payment_status paid marks the payment paid (a different amount is
// still paid, and warned of), enters it on the case's chain (Cases.RecordPayment) and writes the
// payments:issue_receipt task (a payment the case no longer takes, paid on a superseded page as it
// closed, is still paid but warned of as unapplied, with no chain entry and no receipt, for a
// body head to refund); checkout.session.expired and payment_intent.canceled expire, and
// payment_intent.payment_failed fails, a payment that is not paid, so an event arriving after a
// later one is harmless.
//
// # Receipt
//
// payments:issue_receipt (task ID = outbox ID) issues the fiscal_receipt document through the
// documents module (number per payee body, series 票 and year; payer, payee, items 罚款 and
// 加处罚款, amount in figures and in capitals 大写, date, a 6-digit check code 校验码 from an HMAC
// under the platform's secret key; sealed and SM2-signed PDF), enters it on the chain
// (Cases.RecordReceipt) and writes delivery:deliver_document (the delivery module's contract,
// deliverytask.Deliver) with the document's ID, all in one transaction, once per payment.
//
// # Refunds and reconciliation
//
// See refund.go and reconcile.go: a refund is written before Stripe is asked (idempotency key =
// refund ID) and never exceeds what is left of the payment; reconciliation (hourly, the last 48
// hours) retrieves each Checkout Session and records a warning per payment and kind of
// disagreement (Compare), listed at GET /api/v1/payments/warnings.
//
// # Simulation
//
// Config.Simulate (the embedded default in development): a tenant with no Stripe key pays on
// /portal/pay/simulate/{payment ID}, a page marked 模拟支付 SIMULATION whose confirmation is a
// checkout.session.completed event signed with the tenant's simulation secret (SimulationSecret:
// derived from Config.SimulationKey, a random key made at the install's first start, never from the
// platform's secret key, whose embedded default is public) and processed by HandleWebhook; the payment, its chain entry and its
// receipt say simulated.
//
// # Tables
//
// payments, payment_refunds, payment_events, payment_warnings (tenant-owned, row-level security
// on PostgreSQL; migration 20260107000000_create_payments).
//
// # Terms
//
//	缴纳罚款 Checkout, Payment             加处罚款 Quote.SurchargeFen (Art. 72)
//	缴款期限 cases.PaymentTerms.PayDue (Art. 67)
//	暂缓、分期缴纳 cases.Plan, cases.PlanDeferral, cases.PlanInstalments (Art. 66)
//	复议、诉讼期间不计 cases.Pause, Quote.PausedDays
//	财政电子票据 fiscal_receipt, cases.ReceiptRecord
//	校验码 the receipt's check_code          退款 Refund, paymenttask.Refund
//	对账 HandleReconcile, Compare, Warning   模拟支付 Config.Simulate, SimulatePath
package payments
