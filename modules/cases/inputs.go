package cases

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"zhifa/modules/elements"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/rules"
)

// Input is the body of a transition. Every input embeds Common and checks itself.
type Input interface {
	base() *Common
	Validate() error
}

// Common are the fields every transition accepts.
type Common struct {
	// On is the day the step happened (default: today). A step recorded after the fact carries it.
	On civil.Date `json:"on,omitempty"`
	// At is the moment the step happened, for the periods counted in hours and the hours of the
	// day (emergency measures, enforcement); default: now, or the start of On.
	At *time.Time `json:"at,omitempty"`
	// Location is the officer's position on a field action, when the device gives it.
	Location *Location `json:"location,omitempty"`
	Note     string    `json:"note,omitempty"`
	// Paper marks a step handled on paper and entered afterwards (补录).
	Paper *Paper `json:"paper,omitempty"`
}

func (c *Common) base() *Common { return c }

// Paper says when the obstacle that forced paper handling ended (the backfill period counts from it).
type Paper struct {
	ObstacleEndedOn civil.Date `json:"obstacle_ended_on"`
	Reason          string     `json:"reason"`
}

// Bounds of inputs.
const (
	maxText     = 4000
	maxShort    = 200
	maxOfficers = 20
	// MaxFineFen is the largest amount any field accepts (10亿元), the bound of the benchmarks.
	MaxFineFen = elements.MaxFineFen
	earliest   = civil.Date("2000-01-01")
)

// problems collects the invalid fields of an input so that all are reported at once.
type problems []errs.FieldError

func (p *problems) add(field, zh, en string) { *p = append(*p, errs.Field(field, zh, en)) }

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return errs.E(errs.Invalid, "请求内容有误", "invalid request").WithFields(p...)
}

// text trims *s and checks its length (1..max when required, else 0..max).
func (p *problems) text(field string, s *string, max int, required bool) {
	*s = strings.TrimSpace(*s)
	n := utf8.RuneCountInString(*s)
	switch {
	case required && n == 0:
		p.add(field, "必填", "required")
	case n > max:
		p.add(field, fmt.Sprintf("不超过 %d 字", max), fmt.Sprintf("at most %d characters", max))
	}
}

// date checks an optional (or required) day, 2000-01-01 or later.
func (p *problems) date(field string, d civil.Date, required bool) {
	switch {
	case d == "" && required:
		p.add(field, "必填，格式 YYYY-MM-DD", "required, as YYYY-MM-DD")
	case d != "" && !d.Valid():
		p.add(field, "不是有效日期（YYYY-MM-DD）", "not a real date (YYYY-MM-DD)")
	case d != "" && d.Before(earliest):
		p.add(field, "日期不能早于 2000-01-01", "a date before 2000-01-01 is not accepted")
	}
}

// ids checks a list of IDs and removes repeats.
func (p *problems) ids(field string, ids *[]string, required bool) {
	var out []string
	for _, id := range *ids {
		id = strings.TrimSpace(id)
		if !dbx.ValidID(id) {
			p.add(field, "须为 UUID："+id, "must be UUIDs: "+id)
			return
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	if required && len(out) == 0 {
		p.add(field, "必填", "required")
	}
	if len(out) > maxOfficers {
		p.add(field, fmt.Sprintf("至多 %d 人", maxOfficers), fmt.Sprintf("at most %d", maxOfficers))
	}
	*ids = out
}

// id checks one ID.
func (p *problems) id(field string, id *string, required bool) {
	*id = strings.TrimSpace(*id)
	if *id == "" {
		if required {
			p.add(field, "必填", "required")
		}
		return
	}
	if !dbx.ValidID(*id) {
		p.add(field, "须为 UUID", "must be a UUID")
	}
}

// money checks an amount in fen: 0..MaxFineFen.
func (p *problems) money(field string, v int64) {
	switch {
	case v < 0:
		p.add(field, "金额不能为负数", "an amount cannot be negative")
	case v > MaxFineFen:
		p.add(field, "金额超出合理范围（至多10亿元）", "the amount is beyond any sane range (at most ¥1,000,000,000)")
	}
}

// oneOf checks that v is one of allowed.
func (p *problems) oneOf(field, v string, required bool, allowed ...string) {
	if v == "" && !required {
		return
	}
	if !slices.Contains(allowed, v) {
		list := strings.Join(allowed, ", ")
		p.add(field, "须为 "+list, "must be one of "+list)
	}
}

// common checks the fields of Common.
func (p *problems) common(c *Common) {
	p.date("on", c.On, false)
	if c.At != nil {
		if c.At.IsZero() || c.At.Year() < 2000 {
			p.add("at", "时间无效", "not a real time")
		} else if c.On != "" && c.On.Valid() && civil.DateOf(*c.At) != c.On {
			p.add("at", "与 on 不是同一天（北京时间）", "is not on the day given in on (China time)")
		}
	}
	if l := c.Location; l != nil {
		if math.IsNaN(l.Lat) || l.Lat < -90 || l.Lat > 90 {
			p.add("location.lat", "纬度须在 -90 至 90 之间", "latitude must be between -90 and 90")
		}
		if math.IsNaN(l.Lng) || l.Lng < -180 || l.Lng > 180 {
			p.add("location.lng", "经度须在 -180 至 180 之间", "longitude must be between -180 and 180")
		}
		if math.IsNaN(l.AccuracyM) || l.AccuracyM < 0 || l.AccuracyM > 100000 {
			p.add("location.accuracy_m", "精度须在 0 至 100000 米之间", "accuracy must be 0 to 100000 metres")
		}
	}
	p.text("note", &c.Note, maxText, false)
	if c.Paper != nil {
		p.date("paper.obstacle_ended_on", c.Paper.ObstacleEndedOn, true)
		p.text("paper.reason", &c.Paper.Reason, maxShort, true)
	}
}

// penalty checks a penalty: known types, each once, and amounts that match the types.
func (p *problems) penalty(field string, pen *Penalty) {
	if len(pen.Types) == 0 {
		p.add(field+".types", "至少一种处罚种类", "at least one penalty type")
	}
	var seen []PenaltyType
	for _, t := range pen.Types {
		if !t.Valid() {
			p.add(field+".types", "未知处罚种类："+string(t), "unknown penalty type: "+string(t))
			continue
		}
		if !slices.Contains(seen, t) {
			seen = append(seen, t)
		}
	}
	pen.Types = seen
	p.money(field+".fine_fen", pen.FineFen)
	p.money(field+".confiscation_fen", pen.ConfiscationFen)
	if pen.has(PenaltyFine) != (pen.FineFen > 0) {
		p.add(field+".fine_fen", "处罚种类含罚款时须填写大于0的罚款金额，反之不得填写", "a fine needs an amount above 0, and an amount needs the fine type")
	}
	if pen.ConfiscationFen > 0 && !pen.has(PenaltyConfiscation) {
		p.add(field+".confiscation_fen", "填写没收金额须选择没收处罚种类", "a confiscated value needs the confiscation type")
	}
	p.text(field+".basis", &pen.Basis, maxText, false)
	for _, f := range []struct {
		name string
		ps   []elements.Provision
	}{{field + ".violated", pen.Violated}, {field + ".provisions", pen.Provisions}} {
		if err := elements.ValidateProvisions(f.name, f.ps); err != nil {
			*p = append(*p, errs.As(err).Fields...)
		}
	}
}

// Party checks.
func (p *problems) party(pt *Party) {
	trimAll(&pt.Name, &pt.IDNumber, &pt.USCC, &pt.Phone, &pt.Address)
	pt.IDNumber, pt.USCC = strings.ToUpper(pt.IDNumber), strings.ToUpper(pt.USCC)
	p.text("party.name", &pt.Name, 128, true)
	p.text("party.address", &pt.Address, maxShort, false)
	p.text("party.phone", &pt.Phone, 32, false)
	switch pt.Kind {
	case PartyPerson:
		if pt.IDNumber != "" && !elements.ValidResidentID(pt.IDNumber) {
			p.add("party.id_number", "公民身份号码无效", "not a valid resident identity number")
		}
		if pt.USCC != "" {
			p.add("party.uscc", "公民不填统一社会信用代码", "a person has no unified social credit code")
		}
	case PartyOrganisation:
		if pt.USCC != "" && !civil.ValidUSCC(pt.USCC) {
			p.add("party.uscc", "统一社会信用代码无效", "not a valid unified social credit code")
		}
		if pt.IDNumber != "" {
			p.add("party.id_number", "单位不填公民身份号码", "an organisation has no resident identity number")
		}
	default:
		p.add("party.kind", "须为 person 或 organisation", "must be person or organisation")
	}
}

// NewCase opens a case. Lead is required for a general-procedure penalty; Inspection for an
// inspection; Measure for a coercive measure; Enforcement for the enforcement of a decision.
type NewCase struct {
	Common
	Kind        Kind            `json:"kind"`
	BodyID      string          `json:"body_id"`
	Title       string          `json:"title"`
	MatterID    string          `json:"matter_id,omitempty"`
	Party       Party           `json:"party"`
	OfficerIDs  []string        `json:"officer_ids"`
	Lead        *Lead           `json:"lead,omitempty"`
	ActEndedOn  civil.Date      `json:"act_ended_on,omitempty"`
	Limitation5 bool            `json:"limitation_5y,omitempty"`
	Inspection  *NewInspection  `json:"inspection,omitempty"`
	Measure     *NewMeasure     `json:"measure,omitempty"`
	Enforcement *NewEnforcement `json:"enforcement,omitempty"`
	// IdempotencyKey makes a repeated creation return the first one's result (the HTTP handler
	// sets it from the Idempotency-Key header).
	IdempotencyKey string `json:"-"`
	parentID       string
}

// NewInspection plans an inspection.
type NewInspection struct {
	Basis     string   `json:"basis"` // random (双随机), targeted, complaint, joint
	Checklist []string `json:"checklist,omitempty"`
	Remote    bool     `json:"remote,omitempty"` // 非现场执法
}

// NewMeasure asks for a coercive measure.
type NewMeasure struct {
	Type      MeasureType `json:"type"`
	Items     string      `json:"items"`
	Reason    string      `json:"reason"`
	AmountFen int64       `json:"amount_fen,omitempty"` // the amount to freeze
}

// NewEnforcement opens the enforcement of a decision made elsewhere (or on paper).
type NewEnforcement struct {
	DecisionRef  string     `json:"decision_ref"`
	PrincipalFen int64      `json:"principal_fen"`
	PayDue       civil.Date `json:"payment_due"`
	RemediesEnd  civil.Date `json:"remedies_end,omitempty"`
}

var leadSources = []string{"complaint", "report", "inspection", "transfer", "monitoring", "assignment", "other"}

// Validate checks the request.
func (in *NewCase) Validate() error {
	var p problems
	p.common(&in.Common)
	if !in.Kind.Valid() {
		p.add("kind", "须为 inspection、penalty_summary、penalty_general、coercion 或 enforcement",
			"must be inspection, penalty_summary, penalty_general, coercion or enforcement")
	}
	p.id("body_id", &in.BodyID, true)
	p.id("matter_id", &in.MatterID, false)
	p.text("title", &in.Title, maxShort, true)
	p.party(&in.Party)
	p.ids("officer_ids", &in.OfficerIDs, false)
	p.date("act_ended_on", in.ActEndedOn, false)
	if l := in.Lead; l != nil {
		p.oneOf("lead.source", l.Source, true, leadSources...)
		p.date("lead.received_on", l.ReceivedOn, true)
		p.text("lead.summary", &l.Summary, maxText, true)
	} else if in.Kind == KindGeneral {
		p.add("lead", "普通程序案件须有案源", "a general-procedure case needs its lead")
	}
	if in.Kind == KindInspection {
		if in.Inspection == nil {
			p.add("inspection", "行政检查须有检查计划", "an inspection needs its plan")
		} else {
			p.oneOf("inspection.basis", in.Inspection.Basis, true, "random", "targeted", "complaint", "joint")
			for i := range in.Inspection.Checklist {
				p.text(fmt.Sprintf("inspection.checklist[%d]", i), &in.Inspection.Checklist[i], maxShort, true)
			}
		}
	}
	if in.Kind == KindCoercion {
		if m := in.Measure; m == nil {
			p.add("measure", "强制措施须写明种类、对象和理由", "a coercive measure needs its type, items and reason")
		} else {
			p.oneOf("measure.type", string(m.Type), true, string(MeasureSeal), string(MeasureSeize), string(MeasureFreeze))
			p.text("measure.items", &m.Items, maxText, true)
			p.text("measure.reason", &m.Reason, maxText, true)
			p.money("measure.amount_fen", m.AmountFen)
			if m.Type == MeasureFreeze && m.AmountFen <= 0 {
				p.add("measure.amount_fen", "冻结须写明金额", "a freeze needs the amount")
			}
		}
	}
	if in.Kind == KindEnforcement {
		if e := in.Enforcement; e == nil {
			p.add("enforcement", "强制执行须写明所执行的决定、金额和履行期限", "enforcement needs the decision, the amount and the payment deadline")
		} else {
			p.text("enforcement.decision_ref", &e.DecisionRef, maxShort, true)
			p.money("enforcement.principal_fen", e.PrincipalFen)
			if e.PrincipalFen == 0 {
				p.add("enforcement.principal_fen", "须大于0", "must be above 0")
			}
			p.date("enforcement.payment_due", e.PayDue, true)
			p.date("enforcement.remedies_end", e.RemediesEnd, false)
		}
	}
	return p.err()
}

// ReasonInput records a step with its reason: dismiss, suspend, resume, terminate, refer_enforcement,
// release, approve, approve_emergency, close, archive, submit_review, request_hearing,
// hand_over_cash, pass_review and return_review (the reviewer's opinion).
type ReasonInput struct {
	Common
	Reason string `json:"reason"`
}

// Validate checks the request; the reason is required.
func (in *ReasonInput) Validate() error {
	var p problems
	p.common(&in.Common)
	p.text("reason", &in.Reason, maxText, true)
	return p.err()
}

// StepInput records a step with an optional remark.
type StepInput struct {
	Common
}

// Validate checks the request.
func (in *StepInput) Validate() error {
	var p problems
	p.common(&in.Common)
	return p.err()
}

// VerifyInput records the verification of a lead (核查).
type VerifyInput struct {
	Common
	Findings    string     `json:"findings"`
	ActEndedOn  civil.Date `json:"act_ended_on,omitempty"`
	Limitation5 *bool      `json:"limitation_5y,omitempty"`
}

// Validate checks the request.
func (in *VerifyInput) Validate() error {
	var p problems
	p.common(&in.Common)
	p.text("findings", &in.Findings, maxText, true)
	p.date("act_ended_on", in.ActEndedOn, false)
	return p.err()
}

// FileInput files the case (立案): the head's approval, the team, and what the gates depend on.
type FileInput struct {
	Common
	OfficerIDs     []string   `json:"officer_ids,omitempty"` // the team (default: as opened)
	ActEndedOn     civil.Date `json:"act_ended_on,omitempty"`
	Limitation5    *bool      `json:"limitation_5y,omitempty"`
	Major          bool       `json:"major,omitempty"`
	Complex        bool       `json:"complex,omitempty"`
	ReviewRequired bool       `json:"review_required,omitempty"`
	Opinion        string     `json:"opinion,omitempty"`
}

// Validate checks the request.
func (in *FileInput) Validate() error {
	var p problems
	p.common(&in.Common)
	p.ids("officer_ids", &in.OfficerIDs, false)
	p.date("act_ended_on", in.ActEndedOn, false)
	p.text("opinion", &in.Opinion, maxText, false)
	return p.err()
}

// FieldInput is a field step by officers on site: investigation (调查取证), inspection, evidence
// preservation, taking a coercive measure.
type FieldInput struct {
	Common
	OfficerIDs []string `json:"officer_ids"`
	Record     string   `json:"record"` // 笔录: what was done and found
	Items      string   `json:"items,omitempty"`
	Remote     bool     `json:"remote,omitempty"`
	TermDays   int      `json:"term_days,omitempty"` // coercive measure: days (default the statutory term)
	Emergency  bool     `json:"emergency,omitempty"`
}

// Validate checks the request.
func (in *FieldInput) Validate() error {
	var p problems
	p.common(&in.Common)
	p.ids("officer_ids", &in.OfficerIDs, true)
	p.text("record", &in.Record, maxText, true)
	p.text("items", &in.Items, maxText, false)
	if in.TermDays < 0 || in.TermDays > 365 {
		p.add("term_days", "须在 1 至 365 之间", "must be 1 to 365")
	}
	return p.err()
}

// ReportInput records the investigation report (调查终结报告).
type ReportInput struct {
	Common
	Facts    string `json:"facts"`
	Evidence string `json:"evidence,omitempty"`
}

// Validate checks the request.
func (in *ReportInput) Validate() error {
	var p problems
	p.common(&in.Common)
	p.text("facts", &in.Facts, maxText, true)
	p.text("evidence", &in.Evidence, maxText, false)
	return p.err()
}

// ProposeInput proposes the penalty with the discretion benchmark applied (Art. 34).
type ProposeInput struct {
	Common
	Penalty Penalty `json:"penalty"`
	// BenchmarkID is the discretion benchmark applied; its version in force on the proposal's day
	// is pinned unless BenchmarkVersion names one.
	BenchmarkID      string `json:"benchmark_id,omitempty"`
	BenchmarkVersion int    `json:"benchmark_version,omitempty"`
	Circumstance     string `json:"circumstance,omitempty"`
	// OutsideReason explains a fine outside the benchmark's range, or a fine with no benchmark.
	OutsideReason string `json:"outside_reason,omitempty"`
}

// Validate checks the request.
func (in *ProposeInput) Validate() error {
	var p problems
	p.common(&in.Common)
	p.penalty("penalty", &in.Penalty)
	p.id("benchmark_id", &in.BenchmarkID, false)
	if in.BenchmarkVersion < 0 {
		p.add("benchmark_version", "须为正整数", "must be a positive integer")
	}
	p.text("circumstance", &in.Circumstance, 32, in.BenchmarkID != "")
	p.text("outside_reason", &in.OutsideReason, maxText, false)
	return p.err()
}

// NotifyInput records the prior notice served on the party (告知, Art. 44). The hearing right is
// offered when the law requires it (Art. 63); HearingRight offers it besides. Served says how the
// notice reached the party, as for the serve step.
type NotifyInput struct {
	Common
	Method       string `json:"method"`
	HearingRight bool   `json:"hearing_right,omitempty"`
	Served
}

var deliveryMethods = []string{"on_the_spot", "direct", "post", "electronic", "public_notice", "left_at_address"}

// Validate checks the request.
func (in *NotifyInput) Validate() error {
	var p problems
	p.common(&in.Common)
	p.oneOf("method", in.Method, true, deliveryMethods...)
	p.served(in.Method, &in.Served)
	return p.err()
}

// StatementInput records the party's statement or defence (陈述、申辩, Art. 45): what it said,
// when it was received, whether it was adopted and why. In a penalty case the written statement
// (or the record of an oral one) is attached: EvidenceID names it among the case's evidence.
type StatementInput struct {
	Common
	Summary    string     `json:"summary"`
	ReceivedOn civil.Date `json:"received_on,omitempty"` // default: the step's day
	Adopted    bool       `json:"adopted"`
	Reason     string     `json:"reason,omitempty"`
	EvidenceID string     `json:"evidence_id,omitempty"`
}

// Validate checks the request.
func (in *StatementInput) Validate() error {
	var p problems
	p.common(&in.Common)
	p.text("summary", &in.Summary, maxText, true)
	p.date("received_on", in.ReceivedOn, false)
	p.text("reason", &in.Reason, maxText, false)
	p.id("evidence_id", &in.EvidenceID, false)
	return p.err()
}

// WaiverInput records the party's written waiver of a right after the prior notice: of its
// statement and defence (waive_statement) or of the hearing (waive_hearing). The signed waiver is
// uploaded first as the case's evidence (documentary) and named by EvidenceID: a waiver without
// its document is not recorded.
type WaiverInput struct {
	Common
	EvidenceID string     `json:"evidence_id"`
	SignedOn   civil.Date `json:"signed_on,omitempty"` // the day on the waiver (default: the step's day)
}

// Validate checks the request; the document is required.
func (in *WaiverInput) Validate() error {
	var p problems
	p.common(&in.Common)
	in.EvidenceID = strings.TrimSpace(in.EvidenceID)
	if in.EvidenceID == "" {
		p.add("evidence_id", "须附当事人签名的书面放弃材料（先作为书证上传）", "attach the party's signed waiver (upload it as documentary evidence first)")
	} else {
		p.id("evidence_id", &in.EvidenceID, true)
	}
	p.date("signed_on", in.SignedOn, false)
	return p.err()
}

// ScheduleHearingInput notifies the party of the hearing (Art. 64).
type ScheduleHearingInput struct {
	Common
	HearingOn  civil.Date `json:"hearing_on"`
	PresiderID string     `json:"presider_id"`
	Place      string     `json:"place"`
}

// Validate checks the request.
func (in *ScheduleHearingInput) Validate() error {
	var p problems
	p.common(&in.Common)
	p.date("hearing_on", in.HearingOn, true)
	p.id("presider_id", &in.PresiderID, true)
	p.text("place", &in.Place, maxShort, true)
	return p.err()
}

// HearingInput records the hearing held (听证笔录).
type HearingInput struct {
	Common
	Summary string `json:"summary"`
}

// Validate checks the request.
func (in *HearingInput) Validate() error {
	var p problems
	p.common(&in.Common)
	p.text("summary", &in.Summary, maxText, true)
	return p.err()
}

// DiscussInput records the heads' collective discussion (集体讨论).
type DiscussInput struct {
	Common
	Participants []string `json:"participants"`
	Conclusion   string   `json:"conclusion"`
}

// Validate checks the request.
func (in *DiscussInput) Validate() error {
	var p problems
	p.common(&in.Common)
	if len(in.Participants) < 2 || len(in.Participants) > 30 {
		p.add("participants", "集体讨论须有2至30名负责人参加", "a collective discussion needs 2 to 30 heads")
	}
	for i := range in.Participants {
		p.text(fmt.Sprintf("participants[%d]", i), &in.Participants[i], 64, true)
	}
	p.text("conclusion", &in.Conclusion, maxText, true)
	return p.err()
}

// DecideInput is the penalty decision (Art. 59): the facts, the penalty and its basis, and how to
// pay. Number is the decision's document number (文号): where the platform issues the decision
// document it allocates the number, and a number given must be that one (leave it empty); without
// the documents module the number is required.
type DecideInput struct {
	Common
	Number     string   `json:"number,omitempty"`
	Penalty    Penalty  `json:"penalty"`
	Facts      string   `json:"facts"`
	PaymentHow string   `json:"payment_how,omitempty"`
	OfficerIDs []string `json:"officer_ids,omitempty"` // summary procedure: officers on site
	// NoticeGiven: summary procedure: the party was told the facts, reasons and basis and heard (Art. 44, 52).
	NoticeGiven bool `json:"notice_given,omitempty"`
	// Place is where a penalty was decided on the spot (the on-the-spot decision states it, Art. 52).
	Place string `json:"place,omitempty"`
}

// Validate checks the request.
func (in *DecideInput) Validate() error {
	var p problems
	p.common(&in.Common)
	p.text("number", &in.Number, 64, false)
	p.text("place", &in.Place, maxShort, false)
	p.penalty("penalty", &in.Penalty)
	p.text("facts", &in.Facts, maxText, true)
	p.text("payment_how", &in.PaymentHow, maxShort, false)
	p.ids("officer_ids", &in.OfficerIDs, false)
	return p.err()
}

// NotPenaliseInput decides not to penalise (不予处罚).
type NotPenaliseInput struct {
	Common
	// Ground: minor (轻微并及时改正，没有造成危害后果, Art. 33 ¶1), first_violation (初次违法且危害后果
	// 轻微并及时改正, 首违不罚, Art. 33 ¶1), no_fault (Art. 33 ¶2), under_14 (Art. 30), mental (Art. 31),
	// not_established (违法事实不能成立, Art. 57), limitation (Art. 36).
	Ground    string `json:"ground"`
	Education string `json:"education,omitempty"`
	Reason    string `json:"reason"`
}

var notPenalisedGrounds = []string{"minor", "first_violation", "no_fault", "under_14", "mental", "not_established", "limitation"}

// Validate checks the request.
func (in *NotPenaliseInput) Validate() error {
	var p problems
	p.common(&in.Common)
	p.oneOf("ground", in.Ground, true, notPenalisedGrounds...)
	p.text("education", &in.Education, maxText, false)
	p.text("reason", &in.Reason, maxText, true)
	return p.err()
}

// ServeInput records a document served on the party (送达). Served says how, by method.
type ServeInput struct {
	Common
	Method string `json:"method"`
	Served
}

// Validate checks the request.
func (in *ServeInput) Validate() error {
	var p problems
	p.common(&in.Common)
	p.oneOf("method", in.Method, true, deliveryMethods...)
	p.served(in.Method, &in.Served)
	return p.err()
}

// Served is what the service of a document records besides its method, by the rules of the Civil
// Procedure Law that 行政处罚法 Art. 61 applies: the signed receipt (送达回证, Art. 87); by post,
// the date on the return receipt, which is the day served (Art. 91); left at the address, the
// witnesses or the photos and video of it (Art. 89); by public notice, why, the failed attempts,
// and where and when it was published (Art. 95).
type Served struct {
	Receipt      string             `json:"receipt,omitempty"`
	ReceiptOn    civil.Date         `json:"receipt_on,omitempty"`
	Witnesses    []string           `json:"witnesses,omitempty"`
	EvidenceIDs  []string           `json:"evidence_ids,omitempty"`
	PublicNotice *PublicNoticeInput `json:"public_notice,omitempty"`
}

// PublicNoticeInput is a public notice (公告送达, 民事诉讼法 Art. 95): the last resort, when the
// party's whereabouts are unknown (whereabouts_unknown) or the other methods failed
// (other_methods_failed: the attempts, each dated before the publication).
type PublicNoticeInput struct {
	Reason      string         `json:"reason"`
	Attempts    []AttemptInput `json:"attempts,omitempty"`
	PublishedOn civil.Date     `json:"published_on"`
	Place       string         `json:"place"` // e.g. a newspaper, the notice board, the body's website
}

// AttemptInput is a failed attempt to serve by another method.
type AttemptInput struct {
	Method string     `json:"method"` // direct, post, left_at_address, electronic
	On     civil.Date `json:"on"`
	Result string     `json:"result"` // what happened, e.g. 查无此人、拒收退回
}

// Reasons for a public notice, and the methods an attempt may have used.
var (
	noticeReasons  = []string{"whereabouts_unknown", "other_methods_failed"}
	attemptMethods = []string{"direct", "post", "left_at_address", "electronic"}
)

const maxWitnesses = 10

// served checks what a document's service records for its method.
func (p *problems) served(method string, s *Served) {
	p.text("receipt", &s.Receipt, maxShort, false)
	p.date("receipt_on", s.ReceiptOn, method == "post")
	if s.ReceiptOn != "" && method != "post" {
		p.add("receipt_on", "仅邮寄送达填写回执日期", "only service by post has a return receipt date")
	}
	if len(s.Witnesses) > maxWitnesses {
		p.add("witnesses", fmt.Sprintf("至多 %d 人", maxWitnesses), fmt.Sprintf("at most %d", maxWitnesses))
	}
	for i := range s.Witnesses {
		p.text(fmt.Sprintf("witnesses[%d]", i), &s.Witnesses[i], 64, true)
	}
	p.ids("evidence_ids", &s.EvidenceIDs, false)
	switch {
	case method == "left_at_address" && len(s.Witnesses) == 0 && len(s.EvidenceIDs) == 0:
		p.add("witnesses", "留置送达须记录见证人，或以拍照、录像记录送达过程（"+rules.Art(rules.LawCivilProcedure, 89).Screen()+"）",
			"a document left at the address needs its witnesses, or photos or video of the leaving (Civil Procedure Law Art. 89)")
	case method != "left_at_address" && len(s.Witnesses)+len(s.EvidenceIDs) > 0:
		p.add("witnesses", "仅留置送达记录见证人或影像", "only a document left at the address records witnesses or images")
	}
	n := s.PublicNotice
	switch {
	case method == "public_notice" && n == nil:
		p.add("public_notice", "公告送达须写明原因、公告日期和公告地点（"+rules.MustLookup(rules.ServicePublicNotice).Cite().Screen()+"）",
			"a public notice needs its reason, publication day and place (Civil Procedure Law Art. 95)")
		return
	case method != "public_notice" && n != nil:
		p.add("public_notice", "仅公告送达填写", "only for service by public notice")
		return
	case n == nil:
		return
	}
	p.oneOf("public_notice.reason", n.Reason, true, noticeReasons...)
	p.date("public_notice.published_on", n.PublishedOn, true)
	p.text("public_notice.place", &n.Place, maxShort, true)
	if len(n.Attempts) > maxWitnesses {
		p.add("public_notice.attempts", fmt.Sprintf("至多 %d 次", maxWitnesses), fmt.Sprintf("at most %d", maxWitnesses))
	}
	for i := range n.Attempts {
		at, field := &n.Attempts[i], fmt.Sprintf("public_notice.attempts[%d]", i)
		p.oneOf(field+".method", at.Method, true, attemptMethods...)
		p.date(field+".on", at.On, true)
		p.text(field+".result", &at.Result, maxShort, true)
		if at.On.Valid() && n.PublishedOn.Valid() && !at.On.Before(n.PublishedOn) {
			p.add(field+".on", "须早于公告日期", "must be before the publication")
		}
	}
}

// PayInput records a payment.
type PayInput struct {
	Common
	AmountFen    int64  `json:"amount_fen"`
	SurchargeFen int64  `json:"surcharge_fen,omitempty"`
	Receipt      string `json:"receipt,omitempty"`
	// OnTheSpot: collected by the officers on the spot (Art. 68, 69).
	OnTheSpot     bool `json:"on_the_spot,omitempty"`
	HardToCollect bool `json:"hard_to_collect,omitempty"`
	RemoteArea    bool `json:"remote_area,omitempty"`
}

// Validate checks the request.
func (in *PayInput) Validate() error {
	var p problems
	p.common(&in.Common)
	p.money("amount_fen", in.AmountFen)
	p.money("surcharge_fen", in.SurchargeFen)
	if in.AmountFen == 0 {
		p.add("amount_fen", "须大于0", "must be above 0")
	}
	p.text("receipt", &in.Receipt, maxShort, false)
	return p.err()
}

// ConcludeInput concludes an inspection.
type ConcludeInput struct {
	Common
	Outcome   string     `json:"outcome"` // no_issue, correction_ordered, lead_opened
	Findings  string     `json:"findings"`
	CorrectBy civil.Date `json:"correct_by,omitempty"`
	// Violated names the provisions violated, which the order to correct states (default: the
	// articles of the case's enforcement matter).
	Violated string `json:"violated,omitempty"`
	// Lead opens a general-procedure case from the findings (outcome lead_opened).
	ActEndedOn civil.Date `json:"act_ended_on,omitempty"`
}

// Validate checks the request.
func (in *ConcludeInput) Validate() error {
	var p problems
	p.common(&in.Common)
	p.oneOf("outcome", in.Outcome, true, "no_issue", "correction_ordered", "lead_opened")
	p.text("findings", &in.Findings, maxText, true)
	p.text("violated", &in.Violated, maxShort, false)
	p.date("correct_by", in.CorrectBy, in.Outcome == "correction_ordered")
	p.date("act_ended_on", in.ActEndedOn, false)
	return p.err()
}

// VerifyCorrectionInput records the check of an ordered correction.
type VerifyCorrectionInput struct {
	Common
	Corrected bool   `json:"corrected"`
	Findings  string `json:"findings"`
}

// Validate checks the request.
func (in *VerifyCorrectionInput) Validate() error {
	var p problems
	p.common(&in.Common)
	p.text("findings", &in.Findings, maxText, true)
	return p.err()
}

// DaysInput asks for a number of days with a reason: an extension of the case limit (extend) or of
// a measure's term (extend_term).
type DaysInput struct {
	Common
	Days   int    `json:"days"`
	Reason string `json:"reason"`
}

// Validate checks the request.
func (in *DaysInput) Validate() error {
	var p problems
	p.common(&in.Common)
	if in.Days < 1 || in.Days > 365 {
		p.add("days", "须在 1 至 365 之间", "must be 1 to 365")
	}
	p.text("reason", &in.Reason, maxText, true)
	return p.err()
}

// ExcludeInput records a period not counted in the case's limit: testing, inspection, quarantine,
// appraisal (检测、检验、检疫、鉴定) or public notice (公告).
type ExcludeInput struct {
	Common
	Kind   string     `json:"kind"`
	From   civil.Date `json:"from"`
	To     civil.Date `json:"to"`
	Reason string     `json:"reason"`
}

// Validate checks the request.
func (in *ExcludeInput) Validate() error {
	var p problems
	p.common(&in.Common)
	p.oneOf("kind", in.Kind, true, "testing", "appraisal", "quarantine", "public_notice")
	p.date("from", in.From, true)
	p.date("to", in.To, true)
	if in.From.Valid() && in.To.Valid() && in.To.Before(in.From) {
		p.add("to", "不能早于 from", "cannot be before from")
	}
	p.text("reason", &in.Reason, maxText, true)
	return p.err()
}

// FlagInput changes the case's characteristics (major, complex, legal review required by a law).
type FlagInput struct {
	Common
	Major          *bool  `json:"major,omitempty"`
	Complex        *bool  `json:"complex,omitempty"`
	ReviewRequired *bool  `json:"review_required,omitempty"`
	Reason         string `json:"reason"`
}

// Validate checks the request.
func (in *FlagInput) Validate() error {
	var p problems
	p.common(&in.Common)
	if in.Major == nil && in.Complex == nil && in.ReviewRequired == nil {
		p.add("major", "至少修改一项", "change at least one flag")
	}
	p.text("reason", &in.Reason, maxText, true)
	return p.err()
}

// RecuseInput decides on a recusal (回避, Art. 43): the officer withdraws or the party applies.
type RecuseInput struct {
	Common
	OfficerID   string   `json:"officer_id"`
	AppliedBy   string   `json:"applied_by"` // officer, party
	Reason      string   `json:"reason"`
	Granted     bool     `json:"granted"`
	Replacement []string `json:"replacement,omitempty"`
}

// Validate checks the request.
func (in *RecuseInput) Validate() error {
	var p problems
	p.common(&in.Common)
	p.id("officer_id", &in.OfficerID, true)
	p.oneOf("applied_by", in.AppliedBy, true, "officer", "party")
	p.text("reason", &in.Reason, maxText, true)
	p.ids("replacement", &in.Replacement, false)
	return p.err()
}

// TransferInput transfers the case out (移送): to another body, to another tier, or to criminal
// justice (行刑衔接, Art. 27).
type TransferInput struct {
	Common
	Target   string `json:"target"` // body, tier, criminal
	To       string `json:"to"`
	ToBodyID string `json:"to_body_id,omitempty"`
	Reason   string `json:"reason"`
}

// Validate checks the request.
func (in *TransferInput) Validate() error {
	var p problems
	p.common(&in.Common)
	p.oneOf("target", in.Target, true, "body", "tier", "criminal")
	p.text("to", &in.To, maxShort, true)
	p.id("to_body_id", &in.ToBodyID, false)
	p.text("reason", &in.Reason, maxText, true)
	return p.err()
}

// HandleInput is the handling decision on seized things (强制法 Art. 27).
type HandleInput struct {
	Common
	Handling string `json:"handling"` // confiscate, destroy, return, transfer
	Reason   string `json:"reason"`
}

// Validate checks the request.
func (in *HandleInput) Validate() error {
	var p problems
	p.common(&in.Common)
	p.oneOf("handling", in.Handling, true, "confiscate", "destroy", "return", "transfer")
	p.text("reason", &in.Reason, maxText, true)
	return p.err()
}

// DemandInput serves the demand notice (催告, 强制法 Art. 35).
type DemandInput struct {
	Common
	PerformBy civil.Date `json:"perform_by"`
	Method    string     `json:"method"`
}

// Validate checks the request.
func (in *DemandInput) Validate() error {
	var p problems
	p.common(&in.Common)
	p.date("perform_by", in.PerformBy, true)
	p.oneOf("method", in.Method, true, deliveryMethods...)
	return p.err()
}

// SurchargeInput assesses the late surcharge (加处罚款). Without AmountFen the platform computes
// 3% a day since the payment deadline, capped at the principal.
type SurchargeInput struct {
	Common
	AmountFen *int64 `json:"amount_fen,omitempty"`
}

// Validate checks the request.
func (in *SurchargeInput) Validate() error {
	var p problems
	p.common(&in.Common)
	if in.AmountFen != nil {
		p.money("amount_fen", *in.AmountFen)
	}
	return p.err()
}

// ExecuteInput decides and carries out enforcement (强制法 Art. 37, 43).
type ExecuteInput struct {
	Common
	Means      string   `json:"means"`
	Emergency  bool     `json:"emergency,omitempty"`
	OfficerIDs []string `json:"officer_ids"`
}

// Validate checks the request.
func (in *ExecuteInput) Validate() error {
	var p problems
	p.common(&in.Common)
	p.text("means", &in.Means, maxText, true)
	p.ids("officer_ids", &in.OfficerIDs, true)
	return p.err()
}

// CourtInput applies to the people's court for enforcement (强制法 Art. 53, 54).
type CourtInput struct {
	Common
	Court string `json:"court"`
}

// Validate checks the request.
func (in *CourtInput) Validate() error {
	var p problems
	p.common(&in.Common)
	p.text("court", &in.Court, maxShort, true)
	return p.err()
}

// RulingInput records the court's ruling on an application for enforcement.
type RulingInput struct {
	Common
	Ruling  string `json:"ruling"` // enforced, refused
	Summary string `json:"summary"`
}

// Validate checks the request.
func (in *RulingInput) Validate() error {
	var p problems
	p.common(&in.Common)
	p.oneOf("ruling", in.Ruling, true, "enforced", "refused")
	p.text("summary", &in.Summary, maxText, true)
	return p.err()
}

// ArrangePaymentInput approves a deferral or instalments of the fine on the party's application
// (暂缓或者分期缴纳, Art. 66 ¶2).
type ArrangePaymentInput struct {
	Common
	Kind      string     `json:"kind"`       // deferral, instalments
	AppliedOn civil.Date `json:"applied_on"` // the day the party applied
	Reason    string     `json:"reason"`     // the party's economic difficulty
	// DeferredTo is the day a deferred fine is due (deferral).
	DeferredTo civil.Date `json:"deferred_to,omitempty"`
	// Instalments are the parts of the fine with their due days (instalments): at least two,
	// strictly increasing, summing to the fine.
	Instalments []InstalmentInput `json:"instalments,omitempty"`
}

// InstalmentInput is one instalment asked for.
type InstalmentInput struct {
	DueOn     civil.Date `json:"due_on"`
	AmountFen int64      `json:"amount_fen"`
}

// maxInstalments bounds a plan.
const maxInstalments = 36

// Validate checks the request.
func (in *ArrangePaymentInput) Validate() error {
	var p problems
	p.common(&in.Common)
	p.oneOf("kind", in.Kind, true, "deferral", "instalments")
	p.date("applied_on", in.AppliedOn, true)
	p.text("reason", &in.Reason, maxText, true)
	switch in.Kind {
	case "deferral":
		p.date("deferred_to", in.DeferredTo, true)
		if len(in.Instalments) > 0 {
			p.add("instalments", "暂缓缴纳不分期", "a deferral has no instalments")
		}
	case "instalments":
		if in.DeferredTo != "" {
			p.add("deferred_to", "分期缴纳填写各期日期", "instalments give each part's day")
		}
		if len(in.Instalments) < 2 || len(in.Instalments) > maxInstalments {
			p.add("instalments", fmt.Sprintf("分期须为2至%d期", maxInstalments), fmt.Sprintf("2 to %d instalments", maxInstalments))
		}
		for i, x := range in.Instalments {
			field := fmt.Sprintf("instalments[%d]", i)
			p.date(field+".due_on", x.DueOn, true)
			p.money(field+".amount_fen", x.AmountFen)
			if x.AmountFen <= 0 {
				p.add(field+".amount_fen", "须大于0", "must be above 0")
			}
			if i > 0 && x.DueOn.Valid() && in.Instalments[i-1].DueOn.Valid() && !x.DueOn.After(in.Instalments[i-1].DueOn) {
				p.add(field+".due_on", "各期日期须依次递增", "each instalment must fall after the one before")
			}
		}
	}
	return p.err()
}

// RecordRemedyInput records a reconsideration or lawsuit over the decision: filed (the surcharge
// stops accruing, Art. 73 ¶3) or decided.
type RecordRemedyInput struct {
	Common
	Kind    string `json:"kind"`              // reconsideration, litigation
	Event   string `json:"event"`             // filed, decided
	Outcome string `json:"outcome,omitempty"` // decided: upheld, changed, revoked, withdrawn
	Ref     string `json:"ref,omitempty"`     // the application's or the case's number
	Body    string `json:"body,omitempty"`    // the reconsideration authority or the court
}

// Validate checks the request.
func (in *RecordRemedyInput) Validate() error {
	var p problems
	p.common(&in.Common)
	p.oneOf("kind", in.Kind, true, RemedyReconsideration, RemedyLitigation)
	p.oneOf("event", in.Event, true, "filed", "decided")
	p.oneOf("outcome", in.Outcome, in.Event == "decided", OutcomeUpheld, OutcomeChanged, OutcomeRevoked, OutcomeWithdrawn)
	if in.Event == "filed" && in.Outcome != "" {
		p.add("outcome", "提出时尚无结果", "a filing has no outcome yet")
	}
	p.text("ref", &in.Ref, maxShort, false)
	p.text("body", &in.Body, maxShort, in.Event == "filed")
	return p.err()
}

// ReviseDecisionInput revokes the decision or reduces its fine (变更、撤销).
type ReviseDecisionInput struct {
	Common
	Outcome string `json:"outcome"`            // revoked, reduced
	FineFen int64  `json:"fine_fen,omitempty"` // reduced: the new fine, above 0 and below the current one
	Basis   string `json:"basis"`              // reconsideration, litigation, self_correction
	Ref     string `json:"ref,omitempty"`      // the reconsideration decision's or the judgment's number
	Reason  string `json:"reason"`
}

// Validate checks the request.
func (in *ReviseDecisionInput) Validate() error {
	var p problems
	p.common(&in.Common)
	p.oneOf("outcome", in.Outcome, true, RevisionRevoked, RevisionReduced)
	p.oneOf("basis", in.Basis, true, "reconsideration", "litigation", "self_correction")
	p.money("fine_fen", in.FineFen)
	switch {
	case in.Outcome == RevisionReduced && in.FineFen <= 0:
		p.add("fine_fen", "减少后的罚款须大于0（不再罚款的，撤销决定）", "the reduced fine must be above 0 (revoke the decision for none)")
	case in.Outcome == RevisionRevoked && in.FineFen != 0:
		p.add("fine_fen", "撤销决定不填写罚款", "a revocation has no fine")
	}
	p.text("ref", &in.Ref, maxShort, false)
	p.text("reason", &in.Reason, maxText, true)
	return p.err()
}
