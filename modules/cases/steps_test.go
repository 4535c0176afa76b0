package cases_test

import (
	"os"
	"regexp"
	"slices"
	"testing"

	"zhifa/modules/cases"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/rules"
)

// entries are the steps no state machine names: the platform's and the party's entries, recorded
// through the engine's Go entry points (RecordDelivery, ServeNotices, RecordPayment,
// RecordReceipt, RecordRefund, RecordPartyEntry), never through the API.
var entries = []cases.Action{
	cases.ActDelivered, cases.ActNoticeServed,
	cases.ActPaymentReceived, cases.ActReceiptIssued, cases.ActRefunded,
	cases.ActConsentSigned, cases.ActEvaluated, cases.ActReconsiderationApplied, cases.ActReconsiderationSent,
}

func stepsByAction(t *testing.T) map[cases.Action]cases.Step {
	t.Helper()
	out := map[cases.Action]cases.Step{}
	for _, s := range cases.Steps() {
		out[s.Action] = s
	}
	if len(out) == 0 {
		t.Fatal("no steps defined")
	}
	return out
}

// TestEveryMachineEdgeHasAStep: every action a state machine names is defined, for the staff (a
// permission) and through an endpoint (add_evidence: the upload).
func TestEveryMachineEdgeHasAStep(t *testing.T) {
	t.Parallel()
	steps := stepsByAction(t)
	for _, k := range cases.Kinds {
		for _, tr := range cases.Machine(k) {
			s, ok := steps[tr.Action]
			switch {
			case !ok:
				t.Errorf("%s: the machine names %s, which no step defines", k, tr.Action)
			case s.Permission == "":
				t.Errorf("%s: %s is an edge without a permission", k, tr.Action)
			case !s.Endpoint && tr.Action != cases.ActAddEvidence:
				t.Errorf("%s: %s is an edge without an endpoint", k, tr.Action)
			}
		}
	}
}

// TestEveryStepIsAnEdgeOrAnEntry: a defined step is either named by a state machine or one of
// the known entries, which take no permission and have no endpoint.
func TestEveryStepIsAnEdgeOrAnEntry(t *testing.T) {
	t.Parallel()
	steps := stepsByAction(t)
	onEdge := map[cases.Action]bool{}
	for _, k := range cases.Kinds {
		for _, a := range cases.MachineActions(k) {
			onEdge[a] = true
		}
	}
	for a, s := range steps {
		entry := slices.Contains(entries, a)
		switch {
		case onEdge[a] && entry:
			t.Errorf("%s is listed as an entry but a machine names it", a)
		case !onEdge[a] && !entry:
			t.Errorf("%s is defined, but no machine names it and it is not a known entry", a)
		case entry && (s.Permission != "" || s.Endpoint):
			t.Errorf("entry %s has permission %q, endpoint %v: entries are not taken through the API", a, s.Permission, s.Endpoint)
		}
	}
	for _, a := range entries {
		if _, ok := steps[a]; !ok {
			t.Errorf("entry %s is not defined", a)
		}
	}
}

// TestStepRulesAreTheCatalogues: the deadlines a step names are rules of the catalogue, and the
// provisions it cites name a law and an article (a catalogue ID the catalogue does not know would
// cite neither), the catalogue's own where the ID is the catalogue's.
func TestStepRulesAreTheCatalogues(t *testing.T) {
	t.Parallel()
	for _, s := range cases.Steps() {
		for _, id := range s.Due {
			if _, ok := rules.Lookup(id); !ok {
				t.Errorf("%s: Due names %q, not a rule of the catalogue", s.Action, id)
			}
		}
		if s.Rule != nil && s.KindRules != nil {
			t.Errorf("%s has both a rule and rules by kind", s.Action)
		}
		cited := map[string]*errs.Rule{}
		if s.Rule != nil {
			cited["every kind"] = s.Rule
		}
		for k, r := range s.KindRules {
			if r != nil {
				cited[string(k)] = r
			}
		}
		for where, r := range cited {
			if r.Law == "" || r.Article == "" {
				t.Errorf("%s (%s) cites %+v: no law or article", s.Action, where, *r)
			}
			if c, ok := rules.Lookup(r.ID); ok && *c.Ref() != *r {
				t.Errorf("%s (%s) cites %+v, the catalogue's %s is %+v", s.Action, where, *r, r.ID, *c.Ref())
			}
		}
	}
}

// TestDocDescribesEveryStep keeps doc.go in step with the defined actions: each is named there as
// a word (the machines' edges and the entries alike).
func TestDocDescribesEveryStep(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("doc.go")
	noErr(t, err)
	for _, s := range cases.Steps() {
		if !regexp.MustCompile(`(^|[^a-z_])` + string(s.Action) + `([^a-z_]|$)`).Match(raw) {
			t.Errorf("doc.go does not name the step %s", s.Action)
		}
	}
}
