// Package cases is the case engine (办案): administrative inspections (行政检查), penalties by the
// summary procedure (简易程序) and the general procedure (普通程序), coercive measures (查封、
// 扣押、冻结) and the enforcement of decisions (催告、加处罚款、申请法院强制执行), from case
// source to archive.
//
// Each kind of case is an explicit state machine (machine.go); each step is defined once, in the
// file that implements it (penaltySteps in penalty.go, coercionSteps, ...), and steps.go lists
// them (Steps) for the Service, which indexes them when it is built. A transition runs in one
// transaction: the scope's role and body, the machine, the guards of the law (each refusal is a
// FailedPrecondition naming the rule, law and article, in Chinese and English), the state change at
// the case's next version (UPDATE ... WHERE version = ?; the loser of a race gets Conflict), an
// event appended to the case's hash chain, the outbox rows of its side effects, and the record of
// its Idempotency-Key. Every deadline is computed by the rules engine (package rules) from the
// case's recorded steps: the same code as the deadline calculator.
//
// Tables (all tenant-owned, row-level security on PostgreSQL): cases (state, version, facts as
// JSON, the public code, the chain head, the next due day, the day a pending public notice
// serves, the year of a holiday notice a deadline waits for), case_officers (the team),
// case_events (the whole-process record: each event stores the canonical JSON it hashes and the
// previous event's hash), case_evidence (files stored by SHA-256 under the upload directory, the
// hash in the chain), case_requests (idempotency keys with the response they produced).
//
// # Documents and their delivery
//
// With the documents module connected (Config.Documents), a step that produces a document issues
// it inside its own transaction, under the acting officer's scope, after its guards and before its
// event (documents.go): notify (行政处罚事先告知书), schedule_hearing (听证告知书), decide (行政处罚决定书),
// not_penalise (不予行政处罚决定书), conclude with an order (责令改正通知书), take (查封、扣押决定书,
// handed over on the spot, or 冻结决定书), extend_term, release, demand (催告书) and decide_on_site
// (当场行政处罚决定书, served at once). The document is filled from the case as the step left it
// (docdata.go: Service.DocumentData, which is also the documents module's CaseSource for any
// platform type, each type's data within its declared fields);
// its number (文号) becomes the decision's (the platform numbers decisions per body and year: a
// number the officer gives must be that one); its ID rides in delivery:deliver_document; the event
// records its ID, number and the SM3 and SHA-256 digests of its PDF (derived "documents"); the
// case keeps it in Facts.Documents with when and how it was served. A document the case's facts
// cannot fill refuses the step (FailedPrecondition naming the missing items) and nothing is
// written. Documents handed over in person (direct, left_at_address, on_the_spot) are served with
// the step.
//
// # The engine at the centre
//
// The engine imports none of the modules built on it (portal, payments, delivery, console, and the
// coming disclosure, supervision and exchange; app/architecture_test.go asserts it). It exports
// read models and entry points in its own vocabulary, and each consumer declares its port in them
// and adapts on its own side: PartyView, PartyEntry and RecordPartyEntry for the portal
// (partyview.go, party.go); PaymentTerms, Plan, Pause and the payment, receipt and refund records
// for the payments module (money.go, platform.go; payments.Cases is declared in them, and
// *Service satisfies it as it is);
// DeliveryCase, Arrival and LatestDocument for the delivery module (delivery.go), which also
// adapts the documents module for its deliveries (delivery.CaseDocuments). What the engine needs
// from delivery it declares itself: ConsentSource, returning a Consent (module.go). The JSON of
// these records is what the facts and events store; TestStoredShapes pins it.
//
// Each arrival of a document the delivery module reports (RecordDelivery, an Arrival) is one
// event, delivered (送达到达), taken by the platform under the delivery task's scope (no
// cases.write): the channel, address, time and document; once per route. The first arrival of a
// document not yet served serves it as the serve step would: a penalty decision moves the case
// from decided to served and the payment deadline (Art. 67) runs from that day; a prior notice's
// hearing window (Art. 64) runs from that day; a freeze's decision is served. A document served by
// hand is not served again by its arrival, and the serve step refuses a document served on
// arrival; with the delivery module connected (SetConsents) it does not take "electronic" (the
// platform records electronic service when the document arrives), and electronic steps need a
// consent in force there rather than the party's flag.
//
// # Fines paid online and the citizen portal
//
// For the payments module (platform.go): Terms is what a decision demands as its record stands
// (PaymentTerms: the fine, or the revised one; the payment deadline; the approved plan; the
// remedies as periods the surcharge does not accrue; what was paid and refunded).
// RecordPayment, RecordReceipt and RecordRefund enter the platform's events payment_received
// (罚款在线缴纳到账: the whole fine or the last instalment moves served to paid, or an enforcement
// case from demanded to paid), receipt_issued (财政电子票据: a document of the case, kind
// fiscal_receipt) and refunded (退还罚款), each once per payment or refund, under a scope with
// payments.settle, inside the payments module's transaction. For the portal (party.go): the
// case as its proven party sees it (PartyView: status, the deadlines running against the party
// with their articles, the documents addressed to the party, the steps and days without
// notes, the remedies), the PDFs of those documents, and the party's entries consent_signed,
// evaluated (once per case), reconsideration_applied (within 60 days of service, 行政复议法
// Art. 20; opens a pending reconsideration) and reconsideration_sent, each once per reference
// (RecordPartyEntry), under party.act. None of these events can be taken through the API.
//
// Tasks written to the outbox, each declared with its payload by the module that handles it, in
// its contract package (the only packages of its consumers the engine imports):
// delivery:deliver_document (deliverytask), disclosure:publish (disclosuretask), supervision:warn
// (supervisiontask), exchange:sync_case and exchange:transfer_case (exchangetask), payments:refund
// (paymenttask, by revise_decision); tasks.go maps the case onto them. The engine handles
// rules:calendar_loaded, its own contract with the rules engine (casetask). The periodic
// cases:scan_overdue warns
// once per case and due day; the periodic cases:serve_notices serves the documents whose public
// notice period passed (notice.go: once, the column cases.notice_due_on finds them).
//
// # Deadlines waiting for a holiday notice
//
// A deadline whose count needs a year whose State Council notice is not loaded has status
// unknown_calendar, the year (CalendarYear) and no due day: "待 2027 年节假日安排加载 / waiting for
// the 2027 holiday notice", with its rule and article (a step that must count such a period itself
// is refused naming the year). The case stores the earliest such year in calendar_wait, listed by
// GET /cases?calendar_wait=2027. The case engine handles rules:calendar_loaded, written by a load
// of the notice (calendar.go): the cases waiting for the year are counted again and their next due
// day and wait stored, without a step or an event; the hourly cases:recompute_waiting does the same
// for any year loaded since (a load by a system scope, or a step counted with a calendar another
// process cached before the load).
//
// # State machines
//
// A step written "= " keeps the state. Who: W officers and heads (cases.write), H the body head
// (cases.approve), R the legal reviewer (cases.review).
//
// Penalty, general procedure (普通程序, KindGeneral):
//
//	lead 案源            --verify 核查 (W)-------------------------> verified
//	lead, verified      --dismiss 不予立案 (H)----------------------> closed
//	verified            --file 立案 (H; Art. 36 limitation, Art. 42 team of 2 certified, Art. 54)--> filed
//	filed               --investigate 调查取证 (W; Art. 42, location)--> investigating
//	filed, investigating --preserve 先行登记保存 (W; Art. 56) = ; decide_preservation (H; 7 working days, late flagged) =
//	filed..decided      --add_evidence 证据 (W; upload, SHA-256 in the chain; after the notice: the party's statements and waivers, the record of service) =
//	investigating       --report 调查终结报告 (W)-------------------> reported
//	reported            --propose 拟处罚 (W; Art. 34 benchmark version pinned, reason outside its range)--> proposed
//	proposed            --notify 告知 (W; Art. 44; hearing right when Art. 63 requires; e-delivery needs consent; served as serve is:
//	                      the statement period, Art. 44, 45, and the hearing window run from the day served)--> notified
//	notified..hearing_held --statement 陈述、申辩 (W; Art. 45: the written statement or its record attached, received_on, adopted and why) =
//	notified..hearing_held --waive_statement 书面放弃陈述、申辩 (W; the signed waiver attached) =
//	notified            --request_hearing 申请听证 (W; Art. 64: within 5 working days)--> hearing_requested
//	notified            --waive_hearing 书面放弃听证 (W; the signed waiver attached) =
//	hearing_requested   --schedule_hearing 听证通知 (W; Art. 64: 7 working days before; presider not an investigator)--> hearing_scheduled
//	hearing_scheduled   --hold_hearing 举行听证 (W)-----------------> hearing_held
//	notified, hearing_held --submit_review 提交法制审核 (W)-----------> in_review
//	in_review           --pass_review 审核通过 (R)------------------> reviewed
//	in_review           --return_review 退回补充调查 (R)-------------> investigating
//	notified, hearing_held, reviewed --discuss 集体讨论 (H; Art. 57)--> discussed
//	notified, hearing_held, reviewed, discussed --decide 处罚决定 (H)--> decided
//	    guards: prior notice (Art. 62), served (a public notice's period passed, 民事诉讼法 Art. 95); the
//	    hearing window closed, waived or heard (Art. 64); the statement period ended, or a written
//	    waiver or a statement on file (Art. 44, 45, naming the notice's number); not
//	    heavier than notified (Art. 45); legal review passed when major, complex, heard or required
//	    (Art. 58); collective discussion when major or complex (Art. 57); within 90 days of filing
//	    plus excluded periods and extensions (Art. 60); payment terms in the document (Art. 59).
//	    Outbox: delivery:deliver_document, disclosure:publish.
//	reported, notified, hearing_held, reviewed, discussed --not_penalise 不予处罚 (H; Art. 30, 33: education recorded)--> not_penalised
//	decided             --serve 送达 (W; Art. 61: 7 working days, late flagged and warned; by the Civil Procedure Law: left at the
//	                      address with witnesses or images, Art. 89; by post on the return receipt's date, Art. 91)--> served
//	decided             --serve by public_notice 公告送达 (W; 民事诉讼法 Art. 95: whereabouts unknown or a failed attempt; Art. 61
//	                      judged on the publication) = ; notice_served 公告期满视为送达 (platform, cases:serve_notices, the day
//	                      after the 30th day from publication)--> served (the payment clock and the remedies from the 30th day)
//	served              --pay 缴纳 (W; Art. 67, surcharge ≤ fine Art. 72)--> paid
//	served              --arrange_payment 批准暂缓或分期缴纳 (H; Art. 66 ¶2: on the party's application after service; a deferral
//	                      past the payment deadline, or instalments on or after it, increasing, summing to the fine; a new
//	                      approval replaces a plan none of whose parts was paid, else Conflict) =
//	served              --refer_enforcement 转强制执行 (H; after the 15-day payment deadline, or the plan's unpaid part)--> enforcing (opens an enforcement case)
//	served, paid, enforcing, closed --record_remedy 记录复议、诉讼 (W; filed: one pending of each kind, the surcharge
//	                      stops, Art. 73 ¶3; decided: closes it with its outcome) =
//	served, paid, enforcing --revise_decision 变更、撤销处罚决定 (H; Art. 75 ¶2; under enforcement only once the enforcement
//	                      case ended, 强制法 Art. 40): revoked --> closed; reduced = (paid in full --> paid; from enforcing --> served).
//	                      Outbox: payments:refund when more was paid online than the revised decision demands.
//	served (no money), paid, not_penalised, enforcing (its enforcement case closed) --close 结案 (W)--> closed (outbox exchange:sync_case)
//	closed, terminated, transferred --archive 归档 (W)--> archived
//	lead..discussed     --flag 重大/复杂 (H) = ; recuse 回避 (H; Art. 43, team stays ≥ 2 certified) =
//	filed..discussed    --extend 延长办案期限 (H; before the limit passes) = ; exclude_period 检测、公告期间 (W) =
//	lead..discussed     --suspend 中止 (H)--> suspended --resume 恢复 (H)--> the state it left
//	lead..discussed, suspended --terminate 终止 (H)--> terminated
//	lead..discussed     --transfer 移送 / 行刑衔接 (H; Art. 27)--> transferred
//
// Penalty, summary procedure (简易程序, KindSummary):
//
//	on_site 现场   --decide_on_site 当场处罚 (W; Art. 51: ≤ ¥200 person, ≤ ¥3,000 organisation, or a warning;
//	                 Art. 42 two certified officers; Art. 44 the party told and heard; served at once)--> served
//	on_site       --add_evidence (W) = ; transfer 移送 (H)--> transferred
//	served        --pay (W; on the spot only ≤ ¥100, hard to collect later, or remote areas, Art. 68, 69)--> paid
//	paid          --hand_over_cash 上交 (W; Art. 71: 2 working days, late flagged) =
//	served        --arrange_payment (H; Art. 66 ¶2) = ; refer_enforcement (H)--> enforcing
//	served, paid, enforcing, closed --record_remedy (W) = ; served, paid, enforcing --revise_decision (H)--> as above
//	served (no money), paid, enforcing --close (W)--> closed --archive (W)--> archived
//
// Inspection (行政检查, KindInspection):
//
//	planned 已计划  --inspect 实施检查 (W; two certified officers, location)--> inspected
//	inspected      --conclude 检查结论 (W): no_issue --> closed; correction_ordered --> correcting;
//	                 lead_opened --> closed (opens a general-procedure case as its lead)
//	correcting     --verify_correction 整改复查 (W)--> closed (not corrected: opens a lead)
//	planned..correcting --add_evidence (W) = ; planned, inspected --recuse (H) = ; planned --terminate (H)--> terminated
//	inspected, correcting --transfer (H)--> transferred ; closed, terminated, transferred --archive (W)--> archived
//
// Coercive measure (查封、扣押、冻结, KindCoercion; 行政强制法):
//
//	requested 待批准 --approve 批准 (H; Art. 18(1))--> approved --take 实施 (W; Art. 18 two officers; Art. 24, 25 term ≤ 30 days)--> in_force
//	requested       --emergency_take 当场实施 (W; Art. 19)--> emergency
//	emergency       --approve_emergency 补办批准 (H; within 24 clock hours, else refused: release)--> in_force
//	emergency, in_force --release 解除 (W; Art. 28)--> released
//	in_force        --serve 送达决定书 (W; a freeze's within 3 working days, Art. 31) = ; extend_term 延长 (H; once, ≤ 30 days, before the term ends, Art. 25) =
//	in_force        --exclude_period 检测期间 (W; Art. 25 ¶3) = ; handle 处理决定 (H; within the term)--> handled
//	handled, released --close (W)--> closed --archive (W)--> archived
//
// Enforcement of a decision (强制执行, KindEnforcement):
//
//	pending 待催告    --demand 催告 (W; Art. 35, after the payment deadline)--> demanded
//	demanded         --statement 陈述申辩 (W; Art. 36) = ; assess_surcharge 加处罚款 (W; 3% a day, ≤ the principal, 处罚法 Art. 72, 强制法 Art. 45) =
//	demanded         --pay (W; surcharge ≤ principal)--> paid
//	demanded         --execute 强制执行 (H; after the demand's period, Art. 37; not at night or on rest days unless an emergency, Art. 43)--> executed
//	demanded         --apply_court 申请法院强制执行 (H; 10 working days after the demand, Art. 54; within 3 months after the remedy periods, Art. 53)--> court_applied
//	court_applied    --record_ruling (W)--> executed (enforced) or closed (refused)
//	pending, demanded --suspend (H)--> suspended --resume (H)--> back ; terminate (H)--> terminated
//	paid, executed   --close (W)--> closed --archive (W)--> archived
//
// Every step accepts on (the day it happened, for steps recorded after the fact), at (the moment,
// for hour-based rules), location ({lat, lng, accuracy_m}, recorded when given), note, and paper
// ({obstacle_ended_on, reason}: handled on paper and backfilled; the backfill period counts from
// when the obstacle ended, per the tenant's setting, and a late backfill is flagged and warned).
// Steps are recorded in order: a step dated before the case's last one, or in the future, is
// Invalid.
//
// Terms:
//
//	案件 Case (Kind, State, Facts)        案件编码 Case.Code (ValidCode: ZF + tenant + year + random + check)
//	案源 Lead                               立案 ActFile
//	调查取证 ActInvestigate                  先行登记保存 ActPreserve / Preservation
//	调查终结报告 ActReport / Report          裁量基准（版本锁定）PinnedBenchmark
//	告知 ActNotify / Notice                  陈述、申辩 ActStatement / Statement
//	听证 Hearing                             法制审核 Review
//	集体讨论 Discussion                      处罚决定 ActDecide / Decision
//	不予处罚（首违不罚）ActNotPenalise        送达 ActServe / Delivery
//	缴纳罚款 ActPay / Payment                加处罚款 ActAssessSurcharge
//	催告 ActDemand                           申请法院强制执行 ActApplyCourt
//	中止 / 终止 ActSuspend / ActTerminate     移送 / 行刑衔接 ActTransfer
//	回避 ActRecuse / Recusal                 延长办案期限 ActExtend / Extension
//	结案 / 归档 ActClose / ActArchive         补录 Paper / Backfill
//	全过程记录 Event (hash chain)             证据 Evidence
//	执法文书 DocumentRef (Facts.Documents)     文号 Decision.Number (from the document)
//	送达到达 ActDelivered (RecordDelivery)     复议机关、管辖法院 SettingReconsiderationAuthority, SettingCourt
//	暂缓、分期缴纳 ActArrangePayment / Plan     行政复议、行政诉讼 ActRecordRemedy / Remedy
//	变更、撤销处罚决定 ActReviseDecision / Revision   退款 payments:refund / Refund
//	在线缴纳 ActPaymentReceived / OnlinePayment   财政电子票据 ActReceiptIssued (KindFiscalReceipt)
//	公众评议 ActEvaluated / Evaluation         一键复议 ActReconsiderationApplied
//	公告送达 PublicNotice (Facts.PublicNotices)  公告期满视为送达 ActNoticeServed
//	留置送达 Served.Witnesses, EvidenceIDs     邮寄送达回执日期 Served.ReceiptOn
//	陈述、申辩期限 Notice.StatementDue          书面放弃 Waiver (ActWaiveStatement, ActWaiveHearing)
//	陈述申辩意见及采纳情况 Decision.StatementOpinion
package cases
