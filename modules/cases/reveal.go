package cases

import (
	"bytes"
	"context"
	"encoding/json"
	"time"

	"github.com/uptrace/bun"

	"zhifa/modules/elements"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// The case page shows a person party's identity number masked (350102********1234), as the
// officer lists do; an organisation's unified social credit code is public and stays whole. The
// full number is given only by Reveal, which logs who asked for it and when (case_reveals, listed
// on the case). The log is its own table, not an event on the case's chain: looking at a number is
// no step of the case, and must not change its version or move it up the list. The stored record
// (facts and chain) keeps the full number; /chain verifies the stored bytes on the server.

// RevealField names what a reveal showed.
const RevealField = "party.id_number"

// Reveal is one logged reveal of a case's party's identity number.
type Reveal struct {
	bun.BaseModel `bun:"table:case_reveals,alias:rv"`

	ID       string    `bun:"id,pk" json:"id"`
	TenantID string    `bun:"tenant_id,notnull" json:"-"`
	CaseID   string    `bun:"case_id,notnull" json:"case_id"`
	Field    string    `bun:"field,notnull" json:"field"`
	Actor    string    `bun:"actor,notnull" json:"actor"`
	At       time.Time `bun:"at,notnull" json:"at"`
}

// Revealed is the answer of a reveal: the full number, and the log entry written for it.
type Revealed struct {
	IDNumber string `json:"id_number"`
	Reveal   Reveal `json:"reveal"`
}

// Reveal returns the full identity number of the case's party to a caller who may read the case,
// logging it in the same transaction. A read-only (subtree) scope cannot write the log, so it is
// refused. Returns Invalid (malformed ID), NotFound (no such case in the scope), Forbidden,
// FailedPrecondition (the party has no identity number: an organisation).
func (s *Service) Reveal(ctx context.Context, sc tenants.Scope, id string) (*Revealed, error) {
	if err := mayRead(sc, id); err != nil {
		return nil, err
	}
	if sc.ReadOnly() {
		return nil, tenants.ErrReadOnlyScope
	}
	var out *Revealed
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		c, err := findCase(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		if c.Facts.Party.IDNumber == "" {
			return errs.E(errs.FailedPrecondition, "当事人没有公民身份号码（单位的统一社会信用代码已完整显示）",
				"the party has no identity number (an organisation's credit code is shown in full)")
		}
		r := Reveal{ID: dbx.NewID(), TenantID: c.TenantID, CaseID: c.ID, Field: RevealField, Actor: sc.Actor(), At: dbx.Stamp(s.now())}
		if _, err := tx.NewInsert().Model(&r).Exec(ctx); err != nil {
			return err
		}
		out = &Revealed{IDNumber: c.Facts.Party.IDNumber, Reveal: r}
		return nil
	})
	return out, err
}

// caseReveals lists the logged reveals of a case, oldest first.
func caseReveals(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string) ([]Reveal, error) {
	out := []Reveal{}
	err := tenants.Own(sc, tx.NewSelect().Model(&out)).Where("rv.case_id = ?", caseID).OrderExpr("rv.at, rv.id").Scan(ctx)
	return out, err
}

// maskedCase returns a copy of c whose party's identity number is masked.
func maskedCase(c *Case) *Case {
	if c == nil {
		return nil
	}
	m := *c
	m.Facts.Party = c.Facts.Party.masked()
	return &m
}

// maskedEvent returns e with the party's identity number in its recorded input (the first event
// of a case carries the party) masked.
func maskedEvent(e Event) Event {
	if !bytes.Contains(e.Content, []byte(`"id_number"`)) {
		return e
	}
	var body map[string]json.RawMessage
	if json.Unmarshal(e.Content, &body) != nil {
		return e
	}
	var in map[string]json.RawMessage
	if json.Unmarshal(body["input"], &in) != nil {
		return e
	}
	var p map[string]json.RawMessage
	var id string
	if json.Unmarshal(in["party"], &p) != nil || json.Unmarshal(p["id_number"], &id) != nil || id == "" {
		return e
	}
	p["id_number"], _ = json.Marshal(elements.MaskResidentID(id))
	in["party"], _ = json.Marshal(p)
	body["input"], _ = json.Marshal(in)
	e.Content, _ = json.Marshal(body)
	return e
}

// masked returns the result as the API answers it: the party's identity number masked.
func (r *ActResult) masked() *ActResult {
	m := *r
	m.Case = maskedCase(r.Case)
	if r.Event != nil {
		ev := maskedEvent(*r.Event)
		m.Event = &ev
	}
	return &m
}
