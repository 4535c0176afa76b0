package cases

import (
	"zhifa/modules/kernel/errs"
	"zhifa/modules/rules"
)

// Suspension (中止) and termination (终止) cite a provision only where one governs them. 行政强制法
// Art. 39 (中止执行) and Art. 40 (终结执行) govern the agency's enforcement of a decision
// (KindEnforcement) and list its grounds. 行政处罚法 has no general article on suspending or ending
// an investigation (sector rules, e.g. market regulation's procedure rules, have their own): a
// penalty case records its ground and reason with no citation rather than a false one; so do an
// inspection and a coercive measure not yet taken.

// HaltInput records a suspension or a termination: its ground (one of the kind's, see haltGrounds)
// and the reason in words.
type HaltInput struct {
	Common
	// Ground is why: e.g. party_missing, awaiting_other, force_majeure for a penalty case;
	// cannot_perform, third_party_claim, irreparable_loss (Art. 39) or person_died, org_ended,
	// object_lost, decision_revoked (Art. 40) for an enforcement case; other everywhere.
	Ground string `json:"ground,omitempty"`
	Reason string `json:"reason"`
}

// Validate checks the request; the reason is required (the ground is checked against the case's
// kind when the step is taken).
func (in *HaltInput) Validate() error {
	var p problems
	p.common(&in.Common)
	p.text("ground", &in.Ground, maxShort, false)
	p.text("reason", &in.Reason, maxText, true)
	return p.err()
}

// groundOther is the ground every kind accepts: the reason says what it is.
const groundOther = "other"

// haltGrounds are the grounds of a suspension or termination, by kind. A kind absent here may
// only be halted on groundOther (the default when no ground is given).
var haltGrounds = map[Action]map[Kind][]string{
	ActSuspend: {
		KindGeneral:     {"party_missing", "awaiting_other", "force_majeure", groundOther},
		KindEnforcement: {"cannot_perform", "third_party_claim", "irreparable_loss", groundOther}, // 强制法 Art. 39 ¶1 (1)-(4)
	},
	ActTerminate: {
		KindGeneral:     {"party_died", "party_dissolved", groundOther},
		KindEnforcement: {"person_died", "org_ended", "object_lost", "decision_revoked", groundOther}, // 强制法 Art. 40 (1)-(5)
	},
}

// haltRules are the provisions a suspension or termination cites, by kind: only the enforcement
// of a decision has one.
func haltRules(a Action) map[Kind]*errs.Rule {
	if a == ActSuspend {
		return map[Kind]*errs.Rule{KindEnforcement: ref("coercion.suspension", rules.LawCoercion, 39)}
	}
	return map[Kind]*errs.Rule{KindEnforcement: ruleTermination}
}

// checkGround fills a missing ground where the kind knows only groundOther and refuses one the
// kind does not list.
func checkGround(a *act, in *HaltInput) error {
	grounds := haltGrounds[a.def.Action][a.c.Kind]
	if len(grounds) == 0 {
		grounds = []string{groundOther}
	}
	if in.Ground == "" && len(grounds) == 1 {
		in.Ground = grounds[0]
	}
	var p problems
	p.oneOf("ground", in.Ground, true, grounds...)
	return p.err()
}
