package rules

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// The thresholds and gates of RULES.md, for the case engine's guards. Money is in fen (分), as in
// the element databases, so that a fine of ¥200.50 is not rounded under a ¥200 threshold; the
// thresholds the law states in yuan are compared as yuan × 100.

// PartyKind is who a case is against.
type PartyKind string

// The kinds of parties.
const (
	Person       PartyKind = "person"       // 公民
	Organisation PartyKind = "organisation" // 法人或者其他组织
)

// Valid reports whether k is a known kind.
func (k PartyKind) Valid() bool { return k == Person || k == Organisation }

// Gate IDs, carried on the errors and results of the gates.
const (
	GateSummary           = "penalty.summary"
	GateOnTheSpotCollect  = "penalty.on_the_spot_collection"
	GateHearing           = "penalty.hearing"
	GateSurcharge         = "penalty.surcharge"
	GateCoercionSurcharge = "coercion.surcharge"
	GateNoNightOrHoliday  = "coercion.no_night_or_holiday"
)

// The fixed numbers of the gates (no law lets a sector or province change them).
const (
	SummaryMaxPersonYuan   = 200  // 行政处罚法 Art. 51
	SummaryMaxOrgYuan      = 3000 // 行政处罚法 Art. 51
	OnTheSpotMaxYuan       = 100  // 行政处罚法 Art. 68
	SurchargePercentPerDay = 3    // 行政处罚法 Art. 72
)

// Night is when 行政强制法 Art. 43 forbids enforcement: from NightStartHour to NightEndHour in
// China. The law does not define 夜间; the platform uses 22:00-06:00, the night of
// 噪声污染防治法 Art. 88, the one statutory definition.
const (
	NightStartHour = 22
	NightEndHour   = 6
)

func ref(id, law string, article int) *errs.Rule {
	return Art(law, article).Ref(id)
}

// Refusal returns the FailedPrecondition error of a gate, carrying its rule.
func Refusal(rule *errs.Rule, zh, en string) *errs.Error {
	e := errs.E(errs.FailedPrecondition, zh, en)
	e.Rule = rule
	return e
}

// SummaryAllowed reports whether the summary (on-the-spot) procedure may decide the penalty
// (行政处罚法 Art. 51): a warning, or a fine of at most ¥200 for a person or ¥3,000 for an
// organisation. The rule is returned either way, for the record.
func SummaryAllowed(kind PartyKind, fineFen int64, warningOnly bool) (bool, *errs.Rule) {
	r := ref(GateSummary, LawPenalty, 51)
	if warningOnly {
		return true, r
	}
	if fineFen < 0 {
		return false, r
	}
	switch kind {
	case Person:
		return fineFen <= SummaryMaxPersonYuan*100, r
	case Organisation:
		return fineFen <= SummaryMaxOrgYuan*100, r
	}
	return false, r
}

// OnTheSpotCollectionAllowed reports whether officers may collect a fine on the spot (行政处罚法
// Art. 68): a fine of at most ¥100, or one that would be hard to collect later. Remote areas
// (Art. 69) are decided by the case engine on the party's request.
func OnTheSpotCollectionAllowed(fineFen int64, hardToCollectLater bool) (bool, *errs.Rule) {
	r := ref(GateOnTheSpotCollect, LawPenalty, 68)
	return fineFen >= 0 && (fineFen <= OnTheSpotMaxYuan*100 || hardToCollectLater), r
}

// HearingRequired reports whether the party must be told of the right to a hearing for a fine
// (行政处罚法 Art. 63: a "large" fine), using the tenant's thresholds (settings
// penalty.hearing_threshold_person_yuan and _org_yuan): at or above the threshold. Other kinds of
// penalty that always carry the right (confiscation of large value, licence revocation, closure...)
// are the case engine's. tx is the caller's transaction for sc. Returns Invalid for an unknown party
// kind or a negative fine.
func (e *Engine) HearingRequired(ctx context.Context, tx bun.IDB, sc tenants.Scope, kind PartyKind, fineFen int64) (bool, *errs.Rule, error) {
	return e.HearingRequiredAt(ctx, tx, sc, "", kind, fineFen)
}

// HearingRequiredAt is HearingRequired with the thresholds of one of the tenant's bodies (a
// sector's own standard).
func (e *Engine) HearingRequiredAt(ctx context.Context, tx bun.IDB, sc tenants.Scope, bodyID string, kind PartyKind, fineFen int64) (bool, *errs.Rule, error) {
	r := ref(GateHearing, LawPenalty, 63)
	key, def := KeyHearingPersonYuan, int64(2000)
	switch kind {
	case Person:
	case Organisation:
		key, def = KeyHearingOrgYuan, 10000
	default:
		return false, r, errs.E(errs.Invalid, "当事人类型须为 person 或 organisation", "the party kind must be person or organisation").
			WithFields(errs.Field("party_kind", "未知类型", "unknown kind"))
	}
	if fineFen < 0 {
		return false, r, errs.E(errs.Invalid, "罚款不能为负数", "a fine cannot be negative").WithFields(errs.Field("fine", "不能为负数", "cannot be negative"))
	}
	threshold := def
	if e.settings != nil && tx != nil {
		if !sc.Valid() {
			return false, r, tenants.ErrNoScope
		}
		if err := e.settings.SettingValue(tenants.WithScope(ctx, sc), tx, sc, bodyID, key, &threshold); err != nil {
			return false, r, err
		}
	}
	return fineFen >= threshold*100, r, nil
}

// SurchargeCap returns the most a late surcharge may total: the principal itself (行政处罚法
// Art. 72; 行政强制法 Art. 45).
func SurchargeCap(principalFen int64) int64 { return max(principalFen, 0) }

// Surcharge returns the late surcharge after days late (行政处罚法 Art. 72: 3% of the fine a day,
// rounded down to the fen), capped at the principal. Days during reconsideration or litigation are
// the caller's to exclude.
func Surcharge(principalFen int64, days int) int64 {
	if principalFen <= 0 || days <= 0 {
		return 0
	}
	if days*SurchargePercentPerDay >= 100 {
		return principalFen
	}
	k := int64(days * SurchargePercentPerDay) // below 100: no overflow in either product
	return principalFen/100*k + principalFen%100*k/100
}

// CheckSurcharge refuses a surcharge above the principal (行政强制法 Art. 45).
func CheckSurcharge(principalFen, surchargeFen int64) error {
	if surchargeFen > SurchargeCap(principalFen) {
		return Refusal(ref(GateCoercionSurcharge, LawCoercion, 45), "加处罚款或者滞纳金的数额不得超出金钱给付义务的数额",
			"a surcharge or late fee may not exceed the principal")
	}
	return nil
}

// LimitationExpired reports whether an act that ended on actEnded is past the limitation period of
// years when discovered (行政处罚法 Art. 36): the period ends on the same date years later (start
// day not counted, no shift: the agency's limit), and an act discovered on that day is in time.
func LimitationExpired(years int, actEnded, discovered time.Time) bool {
	return Day(discovered).After(YearsAfter(actEnded, years))
}

// Limitation checks the limitation period of an act with the tenant's settings (2 years, or 5 when
// safety is set: life, health or financial security harmed). It returns the period's end and
// FailedPrecondition carrying Art. 36 when the act was discovered after it.
func (e *Engine) Limitation(ctx context.Context, tx bun.IDB, sc tenants.Scope, actEnded, discovered time.Time, safety bool) (*Due, error) {
	id := PenaltyLimitation
	if safety {
		id = PenaltyLimitationSafety
	}
	d, err := e.Due(ctx, tx, sc, id, actEnded)
	if err != nil {
		return nil, err
	}
	if Day(discovered).After(d.Due) {
		return d, Refusal(d.Rule.Ref(), fmt.Sprintf("违法行为已超过 %d 年处罚时效（%s 届满），不再给予行政处罚", d.Amount, FormatDate(d.Due)),
			fmt.Sprintf("the act is past the %d-year limitation period (ended %s): no penalty may be imposed", d.Amount, FormatDate(d.Due)))
	}
	return d, nil
}

// EnforcementTimeAllowed reports whether enforcement may happen at t without an emergency
// (行政强制法 Art. 43): not at night (22:00-06:00 in China) and not on a statutory rest day. The
// platform reads 法定节假日 as every rest day of the calendar, weekends not made workdays included,
// as the same law's Art. 69 does; a make-up workday is a working day. Fails for an unknown year.
func EnforcementTimeAllowed(c *Calendar, t time.Time) (bool, error) {
	h := t.In(Location).Hour()
	if h >= NightStartHour || h < NightEndHour {
		return false, nil
	}
	return c.IsWorkingDay(t)
}

// IsEnforcementDay reports whether enforcement without an emergency may happen at instant t: in the
// day-time of a working day (see EnforcementTimeAllowed).
func (e *Engine) IsEnforcementDay(ctx context.Context, t time.Time) (bool, error) {
	cal, err := e.Calendar(ctx)
	if err != nil {
		return false, err
	}
	return EnforcementTimeAllowed(cal, t)
}

// CheckEnforcementTime refuses enforcement at t at night or on a rest day unless emergency is set
// (行政强制法 Art. 43), with FailedPrecondition carrying the article; an unknown year fails too.
func (e *Engine) CheckEnforcementTime(ctx context.Context, t time.Time, emergency bool) error {
	if emergency {
		return nil
	}
	ok, err := e.IsEnforcementDay(ctx, t)
	if err != nil {
		return err
	}
	if !ok {
		return Refusal(ref(GateNoNightOrHoliday, LawCoercion, 43), "不得在夜间（22时至次日6时）或者法定节假日实施行政强制执行，情况紧急的除外",
			"no enforcement at night (22:00-06:00) or on a statutory rest day unless it is an emergency")
	}
	return nil
}
