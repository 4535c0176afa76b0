package portal

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"zhifa/modules/cases"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// Evaluation is the party's public evaluation of the enforcement (公众评议): a rating from 1 to 5
// and a comment. A case has at most one.
type Evaluation struct {
	bun.BaseModel `bun:"table:portal_evaluations,alias:pe"`

	ID          string     `bun:"id,pk" json:"id"`
	TenantID    string     `bun:"tenant_id,notnull" json:"-"`
	CaseID      string     `bun:"case_id,notnull" json:"case_id"`
	AccountID   string     `bun:"account_id,notnull" json:"-"`
	Rating      int        `bun:"rating,notnull" json:"rating"`
	Comment     string     `bun:"comment,notnull" json:"comment"`
	EvaluatedOn civil.Date `bun:"evaluated_on,notnull" json:"evaluated_on"`
	CreatedAt   time.Time  `bun:"created_at,notnull" json:"created_at"`
}

// EvaluationInput is an evaluation to record.
type EvaluationInput struct {
	Rating  int    `json:"rating"`
	Comment string `json:"comment"`
}

// MaxCommentRunes bounds an evaluation's comment.
const MaxCommentRunes = 500

// Validate checks the rating (1-5) and the comment (at most 500 characters).
func (in *EvaluationInput) Validate() error {
	var f []errs.FieldError
	if in.Rating < 1 || in.Rating > 5 {
		f = append(f, errs.Field("rating", "请选择1至5分", "choose a rating from 1 to 5"))
	}
	in.Comment = strings.TrimSpace(in.Comment)
	if utf8.RuneCountInString(in.Comment) > MaxCommentRunes {
		f = append(f, errs.Field("comment", "评议意见不超过500字", "at most 500 characters"))
	}
	if len(f) > 0 {
		return errs.E(errs.Invalid, "评议内容有误", "invalid evaluation").WithFields(f...)
	}
	return nil
}

// Evaluate records the party's evaluation of a claimed case and enters it on the case's record
// (EntryEvaluated), in one transaction; once per case. Returns Unauthenticated, NotFound (not
// claimed), Invalid, Conflict (already evaluated).
func (s *Service) Evaluate(ctx context.Context, p *authz.Principal, caseID string, in EvaluationInput) (*Evaluation, error) {
	sc, _, err := s.claimed(ctx, p, caseID)
	if err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	now := dbx.Stamp(s.now())
	ev := &Evaluation{ID: dbx.NewID(), TenantID: sc.TenantID(), CaseID: caseID, AccountID: sc.Actor(), Rating: in.Rating,
		Comment: in.Comment, EvaluatedOn: civil.DateOf(s.now()), CreatedAt: now}
	err = tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		if prev, err := findEvaluation(ctx, tx, sc, caseID); err != nil {
			return err
		} else if prev != nil {
			return evaluatedAlready()
		}
		if _, err := tx.NewInsert().Model(ev).Exec(ctx); err != nil {
			if dbx.IsUniqueViolation(err) {
				return evaluatedAlready()
			}
			return err
		}
		return s.cases.RecordPartyEntry(ctx, tx, sc, caseID, cases.PartyEntry{Kind: cases.EntryEvaluated, Ref: ev.ID, On: ev.EvaluatedOn, At: now,
			Data: map[string]any{"rating": ev.Rating, "comment": ev.Comment}})
	})
	if err != nil {
		return nil, err
	}
	return ev, nil
}

func evaluatedAlready() error {
	return errs.E(errs.Conflict, "本案已评议，每案只能评议一次", "this case has been evaluated already: once per case")
}

// findEvaluation returns the case's evaluation, or nil.
func findEvaluation(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string) (*Evaluation, error) {
	ev := new(Evaluation)
	err := tenants.Own(sc, tx.NewSelect().Model(ev)).Where("pe.case_id = ?", caseID).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return ev, nil
}
