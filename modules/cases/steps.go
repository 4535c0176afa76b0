package cases

import (
	"maps"
	"slices"

	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
)

// The actions the engine defines. Each file defines the steps it implements (penaltySteps,
// coercionSteps, ...); definitions lists them all, and New indexes them into the Service's
// registry. The state machines (machine.go) say where each step may be taken; a step no machine
// names is an entry of the platform or the party (RecordDelivery, RecordPayment, RecordPartyEntry,
// ...), never taken through the API.

// steps collects one file's definitions, in the order written.
type steps []*actionDef

// define adds d to s.
func (s *steps) define(d *actionDef) { *s = append(*s, d) }

// definitions lists every action the engine defines.
func definitions() []*actionDef {
	return slices.Concat(penaltySteps(), statementSteps(), revisionSteps(), coercionSteps(), enforcementSteps(),
		commonSteps(), noticeSteps(), deliverySteps(), platformSteps(), partySteps())
}

// registry is the Service's index of the definitions by action.
type registry map[Action]*actionDef

// newRegistry indexes defs. An action defined twice is a programming error: it panics.
func newRegistry(defs []*actionDef) registry {
	r := registry{}
	for _, d := range defs {
		if _, dup := r[d.Action]; dup {
			panic("cases: action defined twice: " + string(d.Action))
		}
		r[d.Action] = d
	}
	return r
}

// sorted lists the registered actions in a stable order.
func (r registry) sorted() []Action { return slices.Sorted(maps.Keys(r)) }

// Step describes one action the engine defines, for the API, the pages and the tests that keep
// the registries in step (machines, rules catalogue, documentation).
type Step struct {
	Action Action
	Title  errs.Msg
	// Permission is what the step needs; empty for an entry of the platform or the party.
	Permission authz.Action
	// Rule is the provision the step implements; KindRules, when set, replaces it by kind.
	Rule      *errs.Rule
	KindRules map[Kind]*errs.Rule
	// Due are the catalogue rules (IDs) that govern the step.
	Due []string
	// Field: the officer's location is worth recording with the step.
	Field bool
	// Endpoint: the step is taken by POST /api/v1/cases/{id}/actions/{action}.
	Endpoint bool
}

// Steps lists every action the engine defines, by action.
func Steps() []Step {
	r := newRegistry(definitions())
	out := make([]Step, 0, len(r))
	for _, a := range r.sorted() {
		d := r[a]
		out = append(out, Step{Action: a, Title: d.Title, Permission: d.Perm, Rule: d.Rule, KindRules: maps.Clone(d.KindRule),
			Due: slices.Clone(d.Due), Field: d.Field, Endpoint: d.Input != nil})
	}
	return out
}
