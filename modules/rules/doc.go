// Package rules is the statutory deadline and threshold engine: the catalogue of every period and
// limit of RULES.md (Catalogue, one Rule per provision with its law and article), the State
// Council's holiday calendar, the counting of periods, and the gates the case engine checks.
//
// Reading order: contract.go (Rule, Unit, Due, Skip), catalogue.go (the rules), calendar.go (the
// holiday schedules and the merged Calendar), periods.go (the pure counting functions and
// Compute), gates.go (thresholds: summary procedure, hearing, surcharge, limitation, enforcement
// hours), engine.go (Engine: amounts from tenant settings, the cached calendar), calendar_notice.go
// (a notice as entered, and its checks), calendar_store.go (loading a year's notice),
// calendar_status.go (the notices needed and missing), explain.go (views for people), http.go
// (the API), settings.go, cite.go (citations of provisions, Cite and Cites, written for a legal
// document, a screen or a label, with the laws' full names and Chinese numerals).
//
// Counting (民法典 Art. 201-203; 行政处罚法 Art. 85; 行政强制法 Art. 69): the start day is not counted;
// working days skip statutory holidays and weekends not made workdays and count make-up workdays
// (调休上班日); a month or year period ends on the corresponding day or the last day of a shorter
// month; a party's deadline that ends on a rest day moves to the next working day, the agency's own
// limits keep their raw date; hours are clock hours, never shifted. Dates are civil dates in
// China (UTC+8, Location). Every skipped date is recorded with its reason.
//
// Unknown years fail closed: a count that must look up a date of a year whose notice is not loaded
// (2027 today) fails with FailedPrecondition naming the year. A count looks up only the dates it
// must (working days: every date up to the end; a shift: the end and the rest days after it;
// unshifted calendar days, months, years and hours: none), so an agency's 90 days into 2027 compute
// while a party's 15 days into 2027 do not.
//
// Amounts: every number a law lets a sector or province change is a tenant setting (settings.go)
// whose platform default is the statutory number; a rule's SettingKey names it and Engine.Due uses
// the caller tenant's (or body's) effective value, e.g. backfill 5 working days in Fujian and 3 in
// Guangdong.
//
// Calendar: the notices are embedded (holidays/, the public holiday-cn data set, MIT) and merged
// across files (a notice may list dates of the neighbouring year; a date's own year's notice wins).
// A root tenant's operator loads a new year's notice through PUT /api/v1/calendar/{year} as it is
// written (calendar_notice.go, NoticeInput): its number (文号) and date, the holiday ranges and the
// make-up workdays, each checked with the field named (ranges within the year, not overlapping;
// make-up days on weekends, outside the ranges); it is stored in the platform table
// holiday_calendars (no tenant_id: the calendar is the platform's), audited in
// holiday_calendars_audit, and overrides the embedded file of that year. The same transaction
// writes the task rules:calendar_loaded (casetask.CalendarLoaded, the case engine's contract) at the
// operator's tenant: the case engine handles it by counting the deadlines that waited for the year. GET /api/v1/calendar/status
// (calendar_status.go) tells every staff user which notices are needed today and missing (next
// year's from 1 November, the current year's all year) and who can load them (OperatorSource, the
// root tenants' operators, supplied by the application); the engine's clock is SetClock. Each API process
// caches the merged calendar and, after CalendarTTL (10 s), compares SUM(revision) of the table (one
// aggregate over a dozen rows) with its cache, reloading when it changed; a load through a process
// applies there at once. The check runs inside the caller's transaction when there is one.
//
// Tables: holiday_calendars, holiday_calendars_audit (migration 20260103000000_create_calendar).
//
// Terms: 期限 period / deadline (Rule, Due), 工作日 working day (WorkingDay), 法定节假日 statutory
// holiday (SkipHoliday), 调休上班日 make-up workday (SkipMakeUp), 顺延 end-day shift (Due.Shifted),
// 节假日安排 holiday notice (Schedule), 补录 backfill (cases.backfill_working_days), 公示期限
// disclosure window (disclosure.min_days / disclosure.max_days), 听证 hearing thresholds
// (penalty.hearing_threshold_*), 简易程序 summary procedure (SummaryAllowed), 加处罚款 late surcharge
// (Surcharge), 处罚时效 limitation (Limitation), 夜间 night (NightStartHour-NightEndHour).
package rules
