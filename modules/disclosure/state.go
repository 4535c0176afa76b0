package disclosure

import (
	"fmt"
	"slices"

	"zhifa/modules/kernel/errs"
)

// State is where a record is in its lifecycle (OVERSIGHT.md §1.6 [P]).
type State string

// The states of a record. Published and updated records are public; no other is.
const (
	StateNew        State = ""            // before the record exists (the first event's from)
	StatePending    State = "pending"     // awaiting the body head's approval (disclosure.require_head_approval)
	StatePublished  State = "published"   // public
	StateUpdated    State = "updated"     // republished after the decision was revised (福建 Art. 21 ¶2); public
	StateWithdrawn  State = "withdrawn"   // the decision revoked, annulled or held unlawful (行政处罚法 Art. 48)
	StateEndedEarly State = "ended_early" // ended after the minimum period (credit repair)
	StateExpired    State = "expired"     // the maximum period reached
	StateWithheld   State = "withheld"    // never published (a minor, a withheld warning): the reason recorded
)

// PublicStates are the states the public sees.
var PublicStates = []State{StatePublished, StateUpdated}

// Public reports whether a record in s is public.
func (s State) Public() bool { return slices.Contains(PublicStates, s) }

// transitions is the state machine: from each state, the states it may move to.
var transitions = map[State][]State{
	StateNew:       {StatePending, StatePublished, StateWithheld},
	StatePending:   {StatePublished, StateWithdrawn},
	StatePublished: {StateUpdated, StateWithdrawn, StateEndedEarly, StateExpired},
	StateUpdated:   {StateUpdated, StateWithdrawn, StateEndedEarly, StateExpired},
}

// CanMove reports whether the machine lets a record move from one state to another.
func CanMove(from, to State) bool { return slices.Contains(transitions[from], to) }

// outOfOrder is the Conflict of a move the machine does not allow.
func outOfOrder(from, to State) *errs.Error {
	return errs.E(errs.Conflict, fmt.Sprintf("公示记录当前状态（%s）不能变为 %s", from, to),
		fmt.Sprintf("a disclosure record cannot move from %s to %s", from, to)).
		WithFields(errs.Field("state", "当前状态为 "+string(from), "the record is "+string(from)))
}
