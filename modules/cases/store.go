package cases

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// The queries of the case tables. Each takes the caller's transaction (opened by tenants.RunInTx
// under sc) and limits every statement with tenants.Own; another tenant's case is NotFound.

// findCase returns a case of the scope's tenant. Returns NotFound.
func findCase(ctx context.Context, tx bun.IDB, sc tenants.Scope, id string) (*Case, error) {
	c := new(Case)
	if err := tenants.Own(sc, tx.NewSelect().Model(c)).Where("c.id = ?", id).Scan(ctx); err != nil {
		return nil, dbx.NotFound(err)
	}
	return c, nil
}

// caseEvents returns a case's events in order.
func caseEvents(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string) ([]Event, error) {
	out := []Event{}
	err := tenants.Own(sc, tx.NewSelect().Model(&out)).Where("e.case_id = ?", caseID).OrderExpr("e.seq").Scan(ctx)
	return out, err
}

// caseEvidence returns a case's evidence in order.
func caseEvidence(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string) ([]Evidence, error) {
	out := []Evidence{}
	err := tenants.Own(sc, tx.NewSelect().Model(&out)).Where("ev.case_id = ?", caseID).OrderExpr("ev.seq, ev.id").Scan(ctx)
	return out, err
}

// insertCase inserts a new case with its team and first event.
func insertCase(ctx context.Context, tx bun.IDB, sc tenants.Scope, c *Case, ev *Event) error {
	if _, err := tx.NewInsert().Model(c).Exec(ctx); err != nil {
		if dbx.IsUniqueViolation(err) {
			return errs.E(errs.Conflict, "案件编码冲突，请重试", "case code collision; try again").WithCause(err)
		}
		return err
	}
	if err := writeTeam(ctx, tx, sc, c, false); err != nil {
		return err
	}
	_, err := tx.NewInsert().Model(ev).Exec(ctx)
	return err
}

// writeTeam writes the case's team to case_officers (replace: remove the old rows first).
func writeTeam(ctx context.Context, tx bun.IDB, sc tenants.Scope, c *Case, replace bool) error {
	if replace {
		if _, err := tenants.Own(sc, tx.NewDelete().Model((*caseOfficer)(nil))).Where("co.case_id = ?", c.ID).Exec(ctx); err != nil {
			return err
		}
	}
	if len(c.Facts.Team) == 0 {
		return nil
	}
	rows := make([]caseOfficer, len(c.Facts.Team))
	for i, id := range c.Facts.Team {
		rows[i] = caseOfficer{TenantID: c.TenantID, CaseID: c.ID, OfficerID: id}
	}
	_, err := tx.NewInsert().Model(&rows).Exec(ctx)
	return err
}

// updateCase writes a transition: the state, facts and chain head (and the day its pending public
// notice serves), if and only if the case is still at version (optimistic concurrency). Returns
// Conflict when another transition won.
func updateCase(ctx context.Context, tx bun.IDB, sc tenants.Scope, c *Case, version int) error {
	c.NoticeDueOn = c.Facts.noticeDue()
	res, err := tenants.Own(sc, tx.NewUpdate().Model(c)).
		Column("state", "version", "facts", "next_due_on", "notice_due_on", "calendar_wait", "late_backfill", "last_seq", "chain_head", "updated_at").
		Where("c.id = ? AND c.version = ?", c.ID, version).Exec(ctx)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		if err != nil {
			return err
		}
		return errConcurrent
	}
	return nil
}

// request is the record of a transition request under an idempotency key: replaying the key
// returns Response.
type request struct {
	bun.BaseModel `bun:"table:case_requests,alias:r"`

	TenantID    string    `bun:"tenant_id,pk"`
	Actor       string    `bun:"actor,pk"`
	Key         string    `bun:"idem_key,pk"`
	CaseID      string    `bun:"case_id,notnull"`
	Action      Action    `bun:"action,notnull"`
	RequestHash string    `bun:"request_hash,notnull"`
	Response    string    `bun:"response,notnull"`
	CreatedAt   time.Time `bun:"created_at,notnull"`
}

// findRequest returns the request recorded under the actor's key, or nil.
func findRequest(ctx context.Context, tx bun.IDB, sc tenants.Scope, key string) (*request, error) {
	r := new(request)
	err := tenants.Own(sc, tx.NewSelect().Model(r)).Where("r.actor = ? AND r.idem_key = ?", sc.Actor(), key).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return r, err
}

// Filter selects cases for a list.
type Filter struct {
	State   State
	Kind    Kind
	BodyID  string
	Mine    bool // cases whose team includes the caller's officer record
	Overdue bool // cases with a deadline before today
	// CalendarWait: cases with a deadline waiting for this year's holiday notice (0: any or none)
	CalendarWait int
	Q            string // case code, or part of the party's name
	Limit        int
	Offset       int
}

// Bounds of list pages.
const (
	DefaultLimit = 50
	MaxLimit     = 200
	MaxOffset    = 10000
)

// Summary is a case in a list.
type Summary struct {
	bun.BaseModel `bun:"table:cases,alias:c"`

	ID           string      `bun:"id" json:"id"`
	Code         string      `bun:"code" json:"code"`
	Kind         Kind        `bun:"kind" json:"kind"`
	State        State       `bun:"state" json:"state"`
	Title        string      `bun:"title" json:"title"`
	BodyID       string      `bun:"body_id" json:"body_id"`
	PartyName    string      `bun:"party_name" json:"party_name"`
	NextDueOn    *civil.Date `bun:"next_due_on" json:"next_due_on,omitempty"`
	CalendarWait *int        `bun:"calendar_wait" json:"calendar_wait,omitempty"` // a deadline waits for this year's holiday notice
	Overdue      bool        `bun:"-" json:"overdue"`
	LateBackfill bool        `bun:"late_backfill" json:"late_backfill"`
	Version      int         `bun:"version" json:"version"`
	UpdatedAt    time.Time   `bun:"updated_at" json:"updated_at"`
}

// listCases runs f against the scope's cases. today decides what is overdue.
func listCases(ctx context.Context, tx bun.IDB, sc tenants.Scope, f Filter, today civil.Date) ([]Summary, int, error) {
	out := []Summary{}
	q := tenants.Own(sc, tx.NewSelect().Model(&out))
	if f.BodyID != "" {
		q = q.Where("c.body_id = ?", f.BodyID)
	}
	if f.State != "" {
		q = q.Where("c.state = ?", f.State)
	}
	if f.Kind != "" {
		q = q.Where("c.kind = ?", f.Kind)
	}
	if f.Overdue {
		q = q.Where("c.next_due_on IS NOT NULL AND c.next_due_on < ?", today)
	}
	if f.CalendarWait != 0 {
		q = q.Where("c.calendar_wait = ?", f.CalendarWait)
	}
	if f.Mine {
		q = q.Where(`c.id IN (SELECT co.case_id FROM case_officers AS co JOIN officers AS o ON o.id = co.officer_id
			WHERE co.tenant_id = ? AND o.tenant_id = ? AND o.identity_id = ?)`, sc.TenantID(), sc.TenantID(), sc.Actor())
	}
	if text := strings.TrimSpace(f.Q); text != "" {
		if ValidCode(strings.ToUpper(text)) {
			q = q.Where("c.code = ?", strings.ToUpper(text))
		} else {
			q = q.Where(`c.party_name LIKE ? ESCAPE '\'`, dbx.Contains(text))
		}
	}
	n, err := q.OrderExpr("c.updated_at DESC, c.id DESC").Limit(int64(f.Limit)).Offset(int64(f.Offset)).ScanAndCount(ctx)
	for i := range out {
		out[i].Overdue = out[i].NextDueOn != nil && out[i].NextDueOn.Before(today)
	}
	return out, int(n), err
}
