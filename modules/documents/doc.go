// Package documents is the enforcement documents module (执法文书): the platform's template set,
// its customisation by tenants and departments, issuing numbered, sealed and signed documents as
// PDF, and their public verification.
//
// # Types and templates
//
// A document type (types.go: Types, the one list of them, registered with the platform set when
// the service starts) declares the data its templates may use (fields.go: the contract
// with the case engine, which fills it through CaseSource: cases.Service.DocumentData) and the items a template of it must
// contain: for the penalty decision the six items of 行政处罚法 Art. 59 (party; facts and evidence;
// type and basis of the penalty; how and by when to pay; the reconsideration and litigation
// routes and periods, 行政复议法 Art. 20 and 行政诉讼法 Art. 46; the agency's name and the date)
// and the seal; for the others theirs. TypeFor maps the case engine's document kinds to types.
// The types, in the order of a case (a test keeps this list equal to Types):
//
//	case_filing                 立案审批表
//	inspection_record           现场检查（勘验）笔录
//	inquiry_record              询问笔录
//	preservation_notice         先行登记保存通知书
//	correction_order            责令改正通知书
//	prior_notice                行政处罚事先告知书
//	hearing_notice              听证通知书
//	hearing_record              听证笔录
//	legal_review                法制审核意见书
//	penalty_decision            行政处罚决定书
//	summary_decision            当场行政处罚决定书
//	not_penalised_decision      不予行政处罚决定书
//	seizure_decision            查封（扣押）决定书及清单
//	demand_notice               催告书
//	surcharge_decision          加处罚款决定书
//	delivery_receipt            送达回证
//	e_delivery_consent          电子送达确认书
//	closing_report              结案报告
//	case_transfer               案件移送书
//	freeze_decision             冻结决定书
//	measure_extension           延长查封（扣押）期限决定书
//	measure_release             解除查封（扣押）决定书
//	reconsideration_application 行政复议申请书
//	fiscal_receipt              财政电子票据
//
// The platform set is platform/<type>.v<N>.html, versioned and never edited in place. A tenant
// operator (for the tenant and the tenants below it) or a body admin (for the body) copies a
// version into a draft, edits its source, wording, letterhead and seal image, previews it with a
// real case of the body, and publishes it as the next version. The tenant tree's settings decide
// who may (policy.go): documents.allow_department_templates (bodies) and
// documents.allow_tenant_templates (the tenants below the level that sets it false), inherited
// and lockable like every setting. Saving or publishing a source that does not parse, is unsafe,
// or lacks a required item is refused with the item named, and nothing is saved.
//
// # The template language
//
// Go's html/template, restricted (internal/sandbox, bound to the types' fields by compile.go): declared fields only ({{.party.name}}), range only
// over declared lists, at most three deep, a fixed set of helper functions (yuan, yuan_cn,
// cn_num, date_cn, join, clause, sep, default, blank, check, multiline, add, seal, qrcode and the safe
// builtins), no template/define/block, no printf or call. Each execution runs in its own
// goroutine with a deadline, a loop budget checked at every iteration and an output limit checked
// at every write; the output must be document markup (internal/typeset: markup.go), a small
// HTML subset with a fixed set of classes, which both the HTML and the PDF renderers draw.
//
// The two internal packages import no domain package: internal/typeset is the typesetting
// engine (markup, layout, PDF writer, embedded fonts, the generated seal and the QR code),
// internal/sandbox the template language (checks, bounded execution, helper functions). This
// package keeps the domain: types, template storage, issuing, seals, signatures, verification,
// proofreading and HTTP.
//
// # Issuing
//
// Issue runs in the caller's transaction (the case engine issues a step's document inside the
// step's own transaction, passing the data of the case as the step left it): the case engine's data, the template version in
// effect for the body (pinned by ID and source SHA-256), the document number 文号 (per body,
// series and year, from a counter row updated in the same transaction: no gaps, no duplicates,
// a rollback returns the number), the PDF (internal/typeset: A4, CJK line breaking, tables,
// the seal over the signature, the QR code with the case code and <public_url>/verify/<id>), the
// SM2 signature of its SM3 digest with the body's key (sign.go: made on first use, the private
// key encrypted at rest with SM4-GCM), and the data snapshot. Re-rendering the snapshot with
// the pinned version gives the same bytes, whatever was published since.
//
// # Verification
//
// /verify/{id} (the QR code's address), /verify (upload a PDF) and the API GET /api/v1/verify/{id}
// and POST /api/v1/verify say whether a document is authentic and unchanged, which body signed it
// and when, and nothing about the party.
//
// Tables (tenant-owned, row-level security on PostgreSQL): document_templates (catalogue: the
// tenants below read a tenant's versions), documents, document_keys, document_counters.
//
// Terms:
//
//	执法文书 Document                 文书种类 Type / TypeInfo
//	文书模板 Template (版本 Version)   平台标准版 platform template
//	必备事项 Requirement              文号 Document.Number (prefix setting documents.number_prefix)
//	电子印章 seal (seal.go, typeset)           电子签名 SM2 signature (sign.go)
//	核验 Verify / Verdict             样稿 preview (PreviewTemplate)
//	行政处罚决定书 TypePenaltyDecision  送达回证 TypeDeliveryReceipt  电子送达确认书 TypeEDeliveryConsent
//	财政电子票据 TypeFiscalReceipt (issued by the payments module with its own data)
package documents
