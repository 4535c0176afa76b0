package disclosure

import (
	"context"
	"slices"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/civil"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

// serious are the penalty types whose credit information is 严重 (the 2025 credit-repair
// measures, as OVERSIGHT.md §1.6 summarises them: 吊销许可证, 限制从业, and the closure and
// detention at least as heavy); every other type is 一般.
var serious = []string{"revocation", "restriction", "closure", "detention"}

// clocks are a record's periods from its publication.
type clocks struct {
	// MinEndOn is the last day of the minimum period: publication may end early after it, the
	// later of the platform's minimum (福建 Art. 21: 60 days) and the credit minimum.
	MinEndOn civil.Date
	// EndsOn is the last day on this platform (福建 Art. 21: at most 2 years): expired after it.
	EndsOn civil.Date
	// CreditEndsOn is the credit publication's end (公示截止期), from the decision: the longest of
	// its categories' periods.
	CreditEndsOn civil.Date
}

// periods computes the clocks of a decision of body with categories, decided on decided and
// published on published, with the settings in force in tx.
func (s *Service) periods(ctx context.Context, tx bun.IDB, sc tenants.Scope, bodyID string, categories []string, decided, published civil.Date) (clocks, error) {
	var p clocks
	minEnd, err := s.due(ctx, tx, sc, bodyID, rules.DisclosureMinPeriod, published)
	if err != nil {
		return p, err
	}
	if p.EndsOn, err = s.due(ctx, tx, sc, bodyID, rules.DisclosureMaxPeriod, published); err != nil {
		return p, err
	}
	creditMin, creditEnd := civil.Date(""), civil.Date("")
	for _, c := range categories {
		minKey, key := KeyCreditGeneralMinMonths, KeyCreditGeneralMonths
		if slices.Contains(serious, c) {
			minKey, key = KeyCreditSeriousMinMonths, KeyCreditSeriousMonths
		}
		var lo, hi int
		if err := s.setting(ctx, tx, sc, bodyID, minKey, &lo); err != nil {
			return p, err
		}
		if err := s.setting(ctx, tx, sc, bodyID, key, &hi); err != nil {
			return p, err
		}
		creditMin = later(creditMin, civil.DateOf(rules.MonthsAfter(decided.Time(), lo)))
		creditEnd = later(creditEnd, civil.DateOf(rules.MonthsAfter(decided.Time(), hi)))
	}
	p.MinEndOn, p.CreditEndsOn = later(minEnd, creditMin), creditEnd
	return p, nil
}

// later returns the later of two days ("" is earlier than any).
func later(a, b civil.Date) civil.Date {
	if b.After(a) {
		return b
	}
	return a
}
