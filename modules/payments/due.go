package payments

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"zhifa/modules/cases"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/rules"
)

// What is due on a day: the law of Art. 66, 67 and 72 of the 行政处罚法, free of storage.
//
//   - The principal is the fine still unpaid (cases.PaymentTerms: FineFen less PaidFen) and its
//     deadline PayDue (Art. 67: 15 days from service, already moved off a rest day by the case
//     engine); with an approved plan (Art. 66 ¶2) it is the first unpaid instalment and that
//     instalment's own due day (a deferral is one instalment of the whole fine).
//   - The late surcharge (Art. 72 ¶1 (1)) is 3% of that principal for every calendar day after the
//     deadline up to and including the day of payment: paying on the deadline is in time, paying
//     the day after it is one day late. Rest days after the deadline count like any other day;
//     only the deadline itself moves off a rest day.
//   - Days on which a reconsideration or litigation was pending (PaymentTerms.Paused, each
//     period inclusive, an open one up to the day of payment) do not accrue (Art. 72 ¶2).
//   - The surcharge never exceeds the principal (Art. 72 ¶1; 行政强制法 Art. 45): rules.Surcharge.

// QuoteOn returns what a payment made on day on would charge under t. A revoked decision, a fine
// of nothing, or a fine (or plan) paid in full gives a quote with Paid set and nothing to pay.
// Returns FailedPrecondition when the decision was not served yet (nothing is due before Art. 67's
// period starts) and Invalid for a day that is not a date.
func QuoteOn(t cases.PaymentTerms, on civil.Date) (Quote, error) {
	q := Quote{CaseID: t.CaseID, On: on}
	if !on.Valid() {
		return q, errs.E(errs.Invalid, "日期无效", "not a valid date").WithFields(errs.Field("on", "须为 YYYY-MM-DD", "must be YYYY-MM-DD"))
	}
	left := t.FineFen - t.PaidFen
	if t.Revoked || left <= 0 {
		q.Paid = true
		q.Basis, q.BasisEN = "无应缴罚款（已缴清或决定已撤销）", "nothing to pay: paid in full, or the decision was revoked"
		return q, nil
	}
	if t.ServedOn.IsZero() {
		return q, rules.Refusal(payRule.Ref(),
			"处罚决定书尚未送达，缴纳罚款的期限尚未起算", "the decision has not been served: the period to pay has not started")
	}
	q.PrincipalFen, q.DueOn = left, t.PayDue
	if t.Plan != nil && len(t.Plan.Instalments) > 0 {
		next, ok := nextInstalment(t.Plan)
		if !ok {
			q.Paid = true
			q.Basis, q.BasisEN = "分期（暂缓）缴纳的各期均已缴清", "every instalment of the plan is paid"
			return q, nil
		}
		q.Instalment, q.DueOn, q.PrincipalFen = next.Seq, next.DueOn, min(next.AmountFen, left)
	}
	if !q.DueOn.Valid() {
		return q, errs.E(errs.FailedPrecondition, "案件未记载缴款期限", "the case records no payment deadline")
	}
	late := daysBetween(q.DueOn, on)
	paused := pausedDays(t.Paused, q.DueOn, on)
	q.LateDays, q.PausedDays = max(late-paused, 0), paused
	q.SurchargeFen = rules.Surcharge(q.PrincipalFen, q.LateDays)
	q.Capped = q.SurchargeFen > 0 && q.SurchargeFen == rules.SurchargeCap(q.PrincipalFen)
	q.TotalFen = q.PrincipalFen + q.SurchargeFen
	q.Basis, q.BasisEN = basis(q, t.Plan)
	return q, nil
}

// nextInstalment returns the unpaid instalment with the lowest sequence number.
func nextInstalment(p *cases.Plan) (cases.Instalment, bool) {
	ins := slices.Clone(p.Instalments)
	slices.SortFunc(ins, func(a, b cases.Instalment) int { return cmp.Compare(a.Seq, b.Seq) })
	for _, in := range ins {
		if in.PaidOn.IsZero() {
			return in, true
		}
	}
	return cases.Instalment{}, false
}

// daysBetween returns how many days after from the day to is (0 when it is not after).
func daysBetween(from, to civil.Date) int {
	if !to.After(from) {
		return 0
	}
	return int(to.Time().Sub(from.Time()).Round(time.Hour).Hours() / 24)
}

// pausedDays counts the days after due up to and including on that fall in a pause (each day
// once, however the pauses overlap). An open pause runs to on.
func pausedDays(ps []cases.Pause, due, on civil.Date) int {
	paused := map[civil.Date]bool{}
	for _, p := range ps {
		if !p.From.Valid() {
			continue
		}
		to := p.To
		if to.IsZero() || to.After(on) {
			to = on
		}
		from := p.From
		if !from.After(due) {
			from = addDays(due, 1)
		}
		for d := from; !d.After(to); d = addDays(d, 1) {
			paused[d] = true
		}
	}
	return len(paused)
}

func addDays(d civil.Date, n int) civil.Date { return civil.DateOf(d.Time().AddDate(0, 0, n)) }

// payRule is the catalogue's period to pay a fine (行政处罚法 Art. 67).
var payRule = rules.MustLookup(rules.PenaltyPayment)

// surchargeArticle cites the late surcharge (行政处罚法 Art. 72) as a line of a receipt or of a
// checkout names it: 行政处罚法第七十二条.
var surchargeArticle = rules.Art(rules.LawPenalty, 72)

// basis explains a quote with its articles, in Chinese and English.
func basis(q Quote, plan *cases.Plan) (string, string) {
	due := fmt.Sprintf("缴款期限 %s（%s）", q.DueOn, payRule.Cite().Screen())
	dueEN := fmt.Sprintf("due %s (Art. 67)", q.DueOn)
	if plan != nil {
		kind, kindEN := "分期缴纳", "instalment"
		if plan.Kind == cases.PlanDeferral {
			kind, kindEN = "暂缓缴纳", "deferral"
		}
		due = fmt.Sprintf("经批准%s，第%d期缴款期限 %s（%s）", kind, q.Instalment, q.DueOn, rules.PaymentPlan.Screen())
		dueEN = fmt.Sprintf("approved %s, part %d due %s (Art. 66 ¶2)", kindEN, q.Instalment, q.DueOn)
	}
	zh, en := due+"；未逾期，不加处罚款", dueEN+"; not late: no surcharge"
	if q.LateDays > 0 || q.PausedDays > 0 {
		zh = fmt.Sprintf("%s；逾期 %d 日，每日按罚款数额的3%%加处罚款（%s）", due, q.LateDays+q.PausedDays,
			rules.Art(rules.LawPenalty, 72, 1, 1).Screen())
		en = fmt.Sprintf("%s; %d days late, 3%% of the fine a day (Art. 72 ¶1 (1))", dueEN, q.LateDays+q.PausedDays)
		if q.PausedDays > 0 {
			zh += fmt.Sprintf("，其中申请行政复议或者提起行政诉讼期间 %d 日不予计算（%s）", q.PausedDays, rules.RemedyPause.Screen())
			en += fmt.Sprintf(", of which %d days with a reconsideration or litigation pending do not accrue (Art. 72 ¶2)", q.PausedDays)
		}
		zh += fmt.Sprintf("，计 %d 日", q.LateDays)
		en += fmt.Sprintf(": %d days accrue", q.LateDays)
		if q.Capped {
			zh += "；加处罚款的数额不超出罚款的数额"
			en += "; the surcharge is capped at the fine"
		}
	}
	return zh, en
}
