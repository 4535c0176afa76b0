package console

import "zhifa/modules/rules"

// pageCites are the legal bases the console's pages state beside a field or a choice (a form's
// help text, a select's option), written by the rules catalogue as a page shows them
// (《行政处罚法》第42条). Templates read them as .Cites.<key>; scripts read the same map from
// the page (ZC.cite(key), the JSON the layout writes in the body's data-cites). What an API answer carries
// (a deadline's or a refusal's rule) the pages take from the answer instead.
var pageCites = map[string]string{
	"limitation":       rules.MustLookup(rules.PenaltyLimitation).Cite().Screen(), // the act's day starts the limitation period
	"two_officers":     rules.Art(rules.LawPenalty, 42).Screen(),                  // filing and investigation by two officers
	"discretion":       rules.Art(rules.LawPenalty, 34).Screen(),                  // the benchmark of discretion
	"hearing_right":    rules.Cites{rules.Art(rules.LawPenalty, 63), rules.Art(rules.LawPenalty, 64)}.Screen(),
	"hearing_notice":   rules.MustLookup(rules.PenaltyHearingNotice).Cite().Screen(),      // notice 7 working days before
	"statement_review": rules.MustLookup(rules.PenaltyStatement).Cite().Screen(),          // statements heard and reviewed
	"legal_review":     rules.Art(rules.LawPenalty, 58).Screen(),                          // the legal review before deciding
	"payment":          rules.MustLookup(rules.PenaltyPayment).Cite().Screen(),            // 15 days to pay
	"payment_plan":     rules.PaymentPlan.Screen(),                                        // deferral or instalments
	"self_correction":  rules.Art(rules.LawPenalty, 75).Screen(),                          // the body corrects its own decision
	"on_the_spot":      rules.Art(rules.LawPenalty, 52).Screen(),                          // the on-the-spot decision's contents
	"post_receipt":     rules.Art(rules.LawCivilProcedure, 91).Screen(),                   // served by post on the receipt's day
	"left_at_address":  rules.Art(rules.LawCivilProcedure, 89).Screen(),                   // left at the address, with witnesses
	"public_notice":    rules.MustLookup(rules.ServicePublicNotice).Cite().Screen(),       // public notice, the last resort
	"emergency":        rules.MustLookup(rules.CoercionEmergencyApproval).Cite().Screen(), // approval within 24 hours
	"suspension":       rules.Art(rules.LawCoercion, 39).Screen(),                         // grounds of suspending enforcement
	"termination":      rules.Art(rules.LawCoercion, 40).Screen(),                         // grounds of ending enforcement
}
