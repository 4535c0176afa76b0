// Package disclosure is the disclosure platform (公示): every penalty decision the case engine
// sends (disclosure:publish) becomes one record, redacted before anything is public (package
// redact), published for its lawful period and searchable by the public across the central
// tenant's tree.
//
// A record's lifecycle is an explicit state machine (state.go): pending (when the body requires
// the head's approval, disclosure.require_head_approval) → published → updated (republished when
// the decision is revised: 福建 Art. 21 ¶2; its ends never move by themselves) → withdrawn (the
// decision revoked: within 3 working days, 行政处罚法 Art. 48, with a public explanation) or
// ended_early (credit repair, after the minimum period) or expired (the maximum reached, by the
// periodic disclosure:expire). A decision the law forbids publishing is withheld, with the reason
// recorded. Every transition is an event: the record's public history.
//
// The periods: the platform's display window is the rules' (disclosure.min_days, max_days:
// 福建 Art. 21, counted from publication); the credit period the module's settings (一般 / 严重,
// counted from the decision; a decision with several categories takes the longest). The
// publication's due day (publish_by) is the case engine's, counted on the holiday calendar; a
// record not public by then raises supervision:warn once, as does a withdrawal after its 3
// working days.
//
// Public fields and originals are stored apart: disclosure_records holds only what may be public,
// disclosure_originals what the review needs (read only by Review and Approve, never by a public
// route). The public routes read every tenant's published records through a system scope, or a
// tenant's subtree through its read-only subtree scope; no other state is ever public.
package disclosure
