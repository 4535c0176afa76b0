// Package elements owns the element databases (要素库) that case handling, supervision and
// disclosure build on: laws and their articles, enforcement bodies, enforcement matters, officers
// with their certificates, and discretion benchmarks with their versions. It validates the codes
// those records carry (unified social credit codes, resident identity numbers) and loads them in
// bulk from CSV or JSON.
//
// Tables: laws, articles, matters, matter_articles, matter_bodies, benchmarks and
// benchmark_versions are catalogues (a province loads them; the tenants below read them but
// cannot change them); bodies, officers and certificate_notices are owned by their tenant.
// Identity numbers, certificate numbers and unified social credit codes are unique on the whole
// platform.
//
// Dates of force are civil days (civil.Date, "2006-01-02"). A law or article is in force from
// EffectiveFrom up to, not including, EffectiveTo (失效日期); a certificate is valid from IssuedOn
// to ExpiresOn inclusive; a benchmark version applies from its EffectiveFrom until a later version
// takes effect. Fines are integers in fen.
//
// A certificate's Status is what an authority set (valid, suspended, revoked); its State is
// computed for a day (certificate.go): revoked and suspended win, then expired or not yet valid,
// then expiring (within the tenant setting elements.certificate_expiry_warn_days of ExpiresOn,
// default 30), else valid. The officer lists show it and sort by it; the case engine refuses a step
// naming an officer whose certificate is not valid on the step's day. The hourly task
// elements:scan_certificates (tasks.go) writes, once a day per body, a CertificateNotice listing
// the officers whose certificates are expiring or have expired while still recorded as valid;
// the console shows it to the body's administrators.
//
// Terms:
//
//	要素库                     element databases (this package)
//	法律法规 / 条款             Law / Article
//	效力层级                   LawLevel
//	施行日期 / 失效日期         EffectiveFrom / EffectiveTo
//	执法主体                   Body (BodyKind: 行政机关 administrative_organ, 法律法规授权组织
//	                           authorised_organisation, 受委托组织 entrusted_organisation)
//	统一社会信用代码            USCC, Body.Code (civil.ValidUSCC, GB 32100-2015)
//	执法领域                   Sector
//	执法事项                   Matter (MatterKind: 行政处罚 penalty, 行政检查 inspection,
//	                           行政强制 coercion, other)
//	执法人员 / 执法证           Officer / Certificate (one person, one certificate)
//	执法证状态                 CertStatus (as set) / CertState (on a day: 有效 valid, 即将到期
//	                           expiring, 已过期 expired, 未生效 not_yet_valid, 暂扣 suspended,
//	                           吊销/注销 revoked, 未持证 none)
//	执法证到期提醒              CertificateNotice
//	公民身份号码               Officer.IDNumber (ValidResidentID, GB 11643-1999; MaskResidentID)
//	裁量基准 / 版本 / 情节      Benchmark / BenchmarkVersion / BenchmarkItem.Circumstance
//	批量导入                   Import (ImportKind, ImportColumns, ImportReport)
package elements
