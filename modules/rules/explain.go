package rules

import (
	"fmt"
	"strings"
	"time"

	"zhifa/modules/kernel/errs"
)

// RuleView is a rule as a tenant sees it: the effective amount and where it comes from beside the
// statutory default.
type RuleView struct {
	ID            string   `json:"id"`
	Law           string   `json:"law"`
	Article       int      `json:"article"`
	Amount        int      `json:"amount"`        // the caller tenant's effective amount
	Default       int      `json:"default"`       // the statutory amount
	AmountSource  string   `json:"amount_source"` // "statute", "tenant:<id>", "body:<id>" or "tenant_setting"
	Unit          Unit     `json:"unit"`
	From          string   `json:"from"`
	FromTitle     errs.Msg `json:"from_title"`
	Title         errs.Msg `json:"title"`
	PartyDeadline bool     `json:"party_deadline"`
	Runs          Against  `json:"runs"` // whom it binds: "party" (ends, 已届满) or "agency" (overdue, 已逾期)
	Before        bool     `json:"before"`
	Wait          bool     `json:"wait"`
	SettingKey    string   `json:"setting_key,omitempty"`
	Basis         string   `json:"basis,omitempty"`
	Cite          string   `json:"cite"` // the article as a page shows it: 《行政处罚法》第61条
}

// View returns r as seen with amount from source.
func (r Rule) View(amount int, source string) RuleView {
	return RuleView{ID: r.ID, Law: r.Law, Article: r.Article, Cite: r.Cite().Screen(), Amount: amount, Default: r.Amount, AmountSource: source,
		Unit: r.Unit, From: r.From, FromTitle: r.FromTitle, Title: r.Title, PartyDeadline: r.PartyDeadline, Runs: r.Runs(),
		Before: r.Before, Wait: r.Wait, SettingKey: r.SettingKey, Basis: r.Basis}
}

// DueView is a computed deadline for people and the API: dates as YYYY-MM-DD for day units and
// RFC 3339 (China time) for hours, with how it was counted.
type DueView struct {
	Rule    RuleView `json:"rule"`
	From    string   `json:"from"`
	Due     string   `json:"due"`
	RawDue  string   `json:"raw_due"` // the end before any shift (equal to Due when not shifted)
	Shifted bool     `json:"shifted"`
	// ShiftBasis cites the provision that moved a shifted end off a rest day (民法典 Art. 203),
	// as a page shows it; empty when not shifted.
	ShiftBasis  string   `json:"shift_basis,omitempty"`
	Amount      int      `json:"amount"`
	Default     int      `json:"default"`
	Source      string   `json:"source"`
	Unit        Unit     `json:"unit"`
	Skipped     []Skip   `json:"skipped"`
	MakeUp      []Skip   `json:"makeup_workdays"`
	Explanation errs.Msg `json:"explanation"`
}

// formatIn writes t as the unit shows it.
func formatIn(u Unit, t time.Time) string {
	if u == Hour {
		return t.In(Location).Format(time.RFC3339)
	}
	return FormatDate(t)
}

// View returns d for the API.
func (d *Due) View() DueView {
	v := DueView{Rule: d.Rule.View(d.Amount, d.Source), From: formatIn(d.Rule.Unit, d.From), Due: formatIn(d.Rule.Unit, d.Due),
		Shifted: d.Shifted, Amount: d.Amount, Default: d.Rule.Amount, Source: d.Source, Unit: d.Rule.Unit,
		Skipped: d.Skipped, MakeUp: d.MakeUp, Explanation: Explain(d)}
	v.RawDue = v.Due
	if d.Shifted {
		v.ShiftBasis = EndDayShift.Screen()
	}
	if d.RawDue != nil {
		v.RawDue = formatIn(d.Rule.Unit, *d.RawDue)
	}
	if v.Skipped == nil {
		v.Skipped = []Skip{}
	}
	if v.MakeUp == nil {
		v.MakeUp = []Skip{}
	}
	return v
}

var unitWords = map[Unit][2]string{
	WorkingDay: {"个工作日", "working days"}, CalendarDay: {"日", "days"}, Month: {"个月", "months"},
	Year: {"年", "years"}, Hour: {"小时", "hours"},
}

// Explain says in both languages how d was counted.
func Explain(d *Due) errs.Msg {
	r := d.Rule
	w := unitWords[r.Unit]
	from, due := formatIn(r.Unit, d.From), formatIn(r.Unit, d.Due)
	var zh, en strings.Builder
	switch {
	case r.Unit == Hour:
		fmt.Fprintf(&zh, "自 %s 起按钟点计算 %d 小时，至 %s 止（不因夜间或节假日顺延）。", from, d.Amount, due)
		fmt.Fprintf(&en, "%d clock hours from %s end at %s (never shifted for nights or holidays).", d.Amount, from, due)
	case r.Before:
		fmt.Fprintf(&zh, "自 %s 向前倒数 %d%s（当日不计）", from, d.Amount, w[0])
		fmt.Fprintf(&en, "Counting %d %s back from %s (that day not counted)", d.Amount, w[1], from)
	default:
		fmt.Fprintf(&zh, "自 %s 次日起算 %d%s（当日不计）", from, d.Amount, w[0])
		fmt.Fprintf(&en, "Counting %d %s from the day after %s", d.Amount, w[1], from)
	}
	if r.Unit != Hour {
		if r.Unit == WorkingDay && len(d.Skipped) > 0 {
			z, e := summarise(d.Skipped)
			fmt.Fprintf(&zh, "，跳过休息日 %s", z)
			fmt.Fprintf(&en, ", skipping rest days: %s", e)
		}
		if len(d.MakeUp) > 0 {
			dates := make([]string, len(d.MakeUp))
			for i, m := range d.MakeUp {
				dates[i] = m.Date
			}
			fmt.Fprintf(&zh, "，调休上班日 %s 计入", strings.Join(dates, "、"))
			fmt.Fprintf(&en, ", counting the make-up workdays %s", strings.Join(dates, ", "))
		}
		switch {
		case d.Shifted:
			z, e := summarise(d.Skipped)
			fmt.Fprintf(&zh, "，期间届满日 %s 为休息日（%s），依%s顺延至 %s。", FormatDate(*d.RawDue), z, EndDayShift.Screen(), due)
			fmt.Fprintf(&en, "; the period ended on %s, a rest day (%s), so it moves to the next working day %s (Civil Code Art. 203).", FormatDate(*d.RawDue), e, due)
		case r.Before:
			fmt.Fprintf(&zh, "，最迟于 %s。", due)
			fmt.Fprintf(&en, ": at the latest on %s.", due)
		default:
			fmt.Fprintf(&zh, "，届满日为 %s。", due)
			fmt.Fprintf(&en, ": the period ends on %s.", due)
		}
		if !r.PartyDeadline && (r.Unit == CalendarDay || r.Unit == Month || r.Unit == Year) {
			zh.WriteString("本期限为机关自身期限，不因节假日顺延。")
			en.WriteString(" This is the agency's own limit: it is not shifted for rest days.")
		}
	}
	if r.Wait {
		fmt.Fprintf(&zh, "等待期，%s 届满后方可进行。", due)
		fmt.Fprintf(&en, " A waiting period: the act may happen only after %s.", due)
	}
	return errs.Msg{ZH: zh.String(), EN: en.String()}
}

// summarise groups skipped dates by reason: "国庆节、中秋节 8 天，周末 1 天".
func summarise(skipped []Skip) (string, string) {
	var order []string
	count := map[string]int{}
	for _, s := range skipped {
		key := s.Name
		if s.Kind == SkipWeekend {
			key = "周末"
		}
		if count[key] == 0 {
			order = append(order, key)
		}
		count[key]++
	}
	zh, en := make([]string, len(order)), make([]string, len(order))
	for i, k := range order {
		zh[i] = fmt.Sprintf("%s %d 天", k, count[k])
		name := k
		if k == "周末" {
			name = "weekend"
		}
		en[i] = fmt.Sprintf("%s %d", name, count[k])
	}
	return strings.Join(zh, "，"), strings.Join(en, ", ")
}
