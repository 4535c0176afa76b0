package cases

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/hibiken/asynq"
	"github.com/uptrace/bun"

	"zhifa/jobs"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

// The task types the case engine writes to the outbox, for the modules that handle them, and its
// own periodic task. Each payload is the body of a jobs.Envelope naming the case's tenant.
const (
	// TypeDeliverDocument asks the delivery module to serve a document on the party (送达): a prior
	// notice, a hearing notice, a penalty decision, a demand notice, a measure's decision.
	TypeDeliverDocument = "delivery:deliver_document"
	// TypePublishDecision asks the disclosure module to publish a penalty decision (双公示, Art. 48).
	TypePublishDecision = "disclosure:publish"
	// TypeSupervisionWarn raises a warning (预警) with the supervision module.
	TypeSupervisionWarn = "supervision:warn"
	// TypeSyncCase asks the exchange module to sync a closed case upward.
	TypeSyncCase = "exchange:sync_case"
	// TypeTransferCase asks the exchange module to hand a transferred case to its receiver (移送).
	TypeTransferCase = "exchange:transfer_case"
	// TypeScanOverdue is the case engine's periodic scan for cases past a deadline: one
	// supervision:warn per case and deadline day.
	TypeScanOverdue = "cases:scan_overdue"
	// TypePruneRequests drops idempotency records older than RequestRetention.
	TypePruneRequests = "cases:prune_requests"
)

// RequestRetention is how long an Idempotency-Key is remembered: far longer than any client
// retries, after which the key may be used again.
const RequestRetention = 30 * 24 * time.Hour

// DeliverDocument is the payload of delivery:deliver_document.
type DeliverDocument struct {
	CaseID   string `json:"case_id"`
	CaseCode string `json:"case_code"`
	BodyID   string `json:"body_id"`
	// Document: prior_notice, hearing_notice, penalty_decision, not_penalised_decision,
	// correction_order, freeze_decision, measure_extension, measure_release, demand_notice.
	Document string `json:"document"`
	// DocumentID is the document the step issued (with the documents module), which the delivery
	// module serves; empty: the delivery module finds or issues it by kind.
	DocumentID       string     `json:"document_id,omitempty"`
	Party            Party      `json:"party"`
	Method           string     `json:"method,omitempty"` // as recorded by the officer, if served already
	EDeliveryConsent bool       `json:"e_delivery_consent"`
	Due              civil.Date `json:"due"` // the day by which it must be served
}

// PublishDecision is the payload of disclosure:publish. The party's identity number is masked;
// the disclosure module applies its own redaction rules.
type PublishDecision struct {
	CaseID         string     `json:"case_id"`
	CaseCode       string     `json:"case_code"`
	BodyID         string     `json:"body_id"`
	MatterID       *string    `json:"matter_id,omitempty"`
	Party          Party      `json:"party"`
	DecisionNumber string     `json:"decision_number"`
	Penalty        Penalty    `json:"penalty"`
	Facts          string     `json:"facts"`
	DecidedOn      civil.Date `json:"decided_on"`
	PublishBy      civil.Date `json:"publish_by"`
}

// Warning is the payload of supervision:warn.
type Warning struct {
	CaseID   string `json:"case_id"`
	CaseCode string `json:"case_code"`
	BodyID   string `json:"body_id"`
	// Point is the warning point: deadline, overdue, late_backfill, major_case, criminal_transfer.
	Point   string     `json:"point"`
	Rule    errs.Rule  `json:"rule"`
	Message errs.Msg   `json:"message"`
	On      civil.Date `json:"on"`
	Due     civil.Date `json:"due,omitempty"`
}

// SyncCase is the payload of exchange:sync_case.
type SyncCase struct {
	CaseID    string     `json:"case_id"`
	CaseCode  string     `json:"case_code"`
	BodyID    string     `json:"body_id"`
	Kind      Kind       `json:"kind"`
	State     State      `json:"state"`
	Version   int        `json:"version"`
	ChainHead string     `json:"chain_head"`
	ClosedOn  civil.Date `json:"closed_on"`
}

// TransferCase is the payload of exchange:transfer_case.
type TransferCase struct {
	CaseID   string     `json:"case_id"`
	CaseCode string     `json:"case_code"`
	BodyID   string     `json:"body_id"`
	Target   string     `json:"target"`
	To       string     `json:"to"`
	ToBodyID string     `json:"to_body_id,omitempty"`
	Reason   string     `json:"reason"`
	On       civil.Date `json:"on"`
}

// Tasks registers the case engine's task handlers on mux and returns its periodic tasks.
func (s *Service) Tasks(mux *jobs.Mux) []jobs.Periodic {
	mux.Handle(TypeScanOverdue, s.HandleScanOverdue)
	mux.Handle(TypePruneRequests, s.HandlePruneRequests)
	mux.Handle(TypeServeNotices, s.HandleServeNotices)
	mux.Handle(rules.TypeCalendarLoaded, s.HandleCalendarLoaded)
	mux.Handle(TypeRecomputeWaiting, s.HandleRecomputeWaiting)
	return []jobs.Periodic{
		{Spec: "@every 1h", Type: TypeScanOverdue, Reason: "case deadline warnings", Queue: jobs.QueueLow},
		{Spec: "@every 1h", Type: TypeServeNotices, Reason: "cases: documents whose public notice period passed", Queue: jobs.QueueLow},
		{Spec: "@every 1h", Type: TypeRecomputeWaiting, Reason: "case deadline waiting for a loaded holiday notice", Queue: jobs.QueueLow},
		{Spec: "@every 24h", Type: TypePruneRequests, Reason: "case idempotency records past retention", Queue: jobs.QueueLow},
	}
}

// HandlePruneRequests drops the idempotency records of every tenant older than RequestRetention.
// It runs under a system scope (the periodic envelope).
func (s *Service) HandlePruneRequests(ctx context.Context, sc tenants.Scope, _ json.RawMessage) error {
	if !sc.IsSystem() {
		return fmt.Errorf("cases: %s needs a system scope: %w", TypePruneRequests, asynq.SkipRetry)
	}
	cutoff := s.now().Add(-RequestRetention)
	return tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.NewDelete().Model((*request)(nil)).Where("r.created_at < ?", cutoff).Exec(ctx)
		return err
	})
}

// scanBatch bounds one scan.
const scanBatch = 1000

// overdueRow is a case a scan found: past its next deadline and not warned of it yet, or with a
// public notice whose period passed.
type overdueRow struct {
	bun.BaseModel `bun:"table:cases,alias:c"`

	ID        string     `bun:"id"`
	TenantID  string     `bun:"tenant_id"`
	NextDueOn civil.Date `bun:"next_due_on"`
}

// HandleScanOverdue finds the cases past a deadline that no warning named yet and, per tenant,
// writes one supervision:warn for each (with the overdue rule and article) and marks it warned, in
// one transaction per tenant. It runs under a system scope (the periodic envelope).
func (s *Service) HandleScanOverdue(ctx context.Context, sc tenants.Scope, _ json.RawMessage) error {
	if !sc.IsSystem() {
		return fmt.Errorf("cases: %s needs a system scope: %w", TypeScanOverdue, asynq.SkipRetry)
	}
	today := civil.DateOf(s.now())
	var rows []overdueRow
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		return tx.NewSelect().Model(&rows).
			Where("c.next_due_on IS NOT NULL AND c.next_due_on < ?", today).
			Where("(c.warned_due_on IS NULL OR c.warned_due_on <> c.next_due_on)").
			OrderExpr("c.tenant_id, c.next_due_on").Limit(scanBatch).Scan(ctx)
	})
	if err != nil {
		return err
	}
	return s.perTenant(ctx, TypeScanOverdue, rows, func(ctx context.Context, tx bun.Tx, sc tenants.Scope, r overdueRow) error {
		return s.warnOverdue(ctx, tx, sc, r, today)
	})
}

// perTenant runs fn for each row, in one transaction per tenant under the tenant operator's scope
// of the task typ, in the rows' order.
func (s *Service) perTenant(ctx context.Context, typ string, rows []overdueRow, fn func(ctx context.Context, tx bun.Tx, sc tenants.Scope, r overdueRow) error) error {
	byTenant := map[string][]overdueRow{}
	var order []string
	for _, r := range rows {
		if byTenant[r.TenantID] == nil {
			order = append(order, r.TenantID)
		}
		byTenant[r.TenantID] = append(byTenant[r.TenantID], r)
	}
	store := tenants.NewStore(s.db)
	for _, tid := range order {
		t, err := store.Lookup(ctx, tid)
		if err != nil {
			return err
		}
		tsc := tenants.NewScope(t, "job:"+typ, []authz.Role{authz.TenantOperator}, nil)
		if err := tenants.RunInTx(ctx, s.db, tsc, func(ctx context.Context, tx bun.Tx) error {
			for _, r := range byTenant[tid] {
				if err := fn(ctx, tx, tsc, r); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return err
		}
	}
	return nil
}

// warnOverdue marks one case warned for its due day and writes the warning.
func (s *Service) warnOverdue(ctx context.Context, tx bun.Tx, sc tenants.Scope, r overdueRow, today civil.Date) error {
	res, err := tenants.Own(sc, tx.NewUpdate().Model((*Case)(nil))).Set("warned_due_on = next_due_on").
		Where("c.id = ? AND c.next_due_on = ?", r.ID, r.NextDueOn).Exec(ctx)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil // changed meanwhile; the next scan sees it
	}
	c, err := findCase(ctx, tx, sc, r.ID)
	if err != nil {
		return err
	}
	w := Warning{CaseID: c.ID, CaseCode: c.Code, BodyID: c.BodyID, Point: "overdue", On: today, Due: r.NextDueOn,
		Message: errs.Msg{ZH: "案件期限已过：" + string(r.NextDueOn), EN: "a case deadline has passed: " + string(r.NextDueOn)}}
	ds, err := s.probe(ctx, tx, sc, c).deadlines()
	if err != nil {
		return err
	}
	for _, d := range ds {
		if d.Status == DueOverdue && d.Due[:10] == string(r.NextDueOn) {
			w.Rule = errs.Rule{ID: d.RuleID, Law: d.Law, Article: fmt.Sprint(d.Article)}
			w.Message = errs.Msg{ZH: fmt.Sprintf("%s：期限 %s 已过", d.Title.ZH, d.Due), EN: fmt.Sprintf("%s: due %s has passed", d.Title.EN, d.Due)}
			break
		}
	}
	_, err = jobs.Enqueue(ctx, tx, sc, TypeSupervisionWarn, jobs.QueueDefault, w)
	return err
}
