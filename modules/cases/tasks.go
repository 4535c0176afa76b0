package cases

import (
	"context"
	"fmt"
	"time"

	"github.com/hibiken/asynq"
	"github.com/uptrace/bun"

	"zhifa/jobs"
	"zhifa/modules/cases/casetask"
	"zhifa/modules/delivery/deliverytask"
	"zhifa/modules/disclosure/disclosuretask"
	"zhifa/modules/elements"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/rules"
	"zhifa/modules/supervision/supervisiontask"
	"zhifa/tenants"
)

// The case engine's periodic tasks. The tasks it writes for other modules are declared by the
// modules that handle them, in their contract packages (deliverytask, disclosuretask,
// supervisiontask, exchangetask, paymenttask); the one it handles for the rules engine is in
// casetask.
var (
	// ScanOverdue is the periodic scan for cases past a deadline: one supervision:warn per case
	// and deadline day.
	ScanOverdue = jobs.Periodic{Type: "cases:scan_overdue", Queue: jobs.QueueLow, Spec: "@every 1h", Reason: "case deadline warnings"}
	// PruneRequests drops idempotency records older than RequestRetention.
	PruneRequests = jobs.Periodic{Type: "cases:prune_requests", Queue: jobs.QueueLow, Spec: "@every 24h",
		Reason: "case idempotency records past retention"}
)

// RequestRetention is how long an Idempotency-Key is remembered: far longer than any client
// retries, after which the key may be used again.
const RequestRetention = 30 * 24 * time.Hour

// Tasks registers the case engine's task handlers on mux, its periodic tasks with them.
func (s *Service) Tasks(mux *jobs.Mux) {
	jobs.HandlePeriodic(mux, ScanOverdue, s.HandleScanOverdue)
	jobs.HandlePeriodic(mux, ServeNotices, s.HandleServeNotices)
	jobs.HandlePeriodic(mux, RecomputeWaiting, s.HandleRecomputeWaiting)
	jobs.HandlePeriodic(mux, PruneRequests, s.HandlePruneRequests)
	jobs.Handle(mux, casetask.CalendarLoaded, s.HandleCalendarLoaded)
}

// enqueue writes t's task with the transition, from *p as it stands when the transition commits
// (the documents the step issues fill in their IDs and the decision's number meanwhile).
func enqueue[P any](a *act, t jobs.Task[P], p *P) {
	a.tasks = append(a.tasks, func() error {
		_, err := t.Enqueue(a.ctx, a.tx, a.sc, *p)
		return err
	})
}

// deliveryParty is the party as a delivery:deliver_document names it.
func deliveryParty(p Party) deliverytask.Party {
	return deliverytask.Party{Kind: string(p.Kind), Name: p.Name, IDNumber: p.IDNumber, USCC: p.USCC, Phone: p.Phone, Address: p.Address,
		EDeliveryConsent: p.EDeliveryConsent}
}

// publication is the disclosure:publish of a decision on a case, its party's identity number
// masked; DecisionNumber is filled in when the decision's document is numbered.
func publication(c *Case, party Party, in *DecideInput, on, by civil.Date) *disclosuretask.PublishDecision {
	m := party.masked()
	born, _ := birthDate(party)
	pen := in.Penalty
	var types []string // nil stays null, as the decision's own penalty is
	for _, t := range pen.Types {
		types = append(types, string(t))
	}
	return &disclosuretask.PublishDecision{CaseID: c.ID, CaseCode: c.Code, BodyID: c.BodyID, MatterID: c.MatterID,
		Party: disclosuretask.Party{Kind: string(m.Kind), Name: m.Name, IDNumber: m.IDNumber, BornOn: born, USCC: m.USCC, Phone: m.Phone, Address: m.Address,
			EDeliveryConsent: m.EDeliveryConsent},
		DecisionNumber: in.Number, Facts: in.Facts, DecidedOn: on, PublishBy: by, ActOn: c.Facts.ActEndedOn,
		Penalty: disclosuretask.Penalty{Types: types, FineFen: pen.FineFen, ConfiscationFen: pen.ConfiscationFen,
			Violated: provisions(pen.Violated), Provisions: provisions(pen.Provisions), Basis: pen.Basis}}
}

// provisions are ps as a disclosure:publish names them.
func provisions(ps []elements.Provision) []disclosuretask.Provision {
	if ps == nil {
		return nil
	}
	out := make([]disclosuretask.Provision, len(ps))
	for i, p := range ps {
		out[i] = disclosuretask.Provision(p)
	}
	return out
}

// warning is a supervision:warn on c.
func warning(c *Case, point string, msg errs.Msg, on civil.Date) *supervisiontask.Warning {
	return &supervisiontask.Warning{CaseID: c.ID, CaseCode: c.Code, BodyID: c.BodyID, Point: point, Message: msg, On: on}
}

// HandlePruneRequests drops the idempotency records of every tenant older than RequestRetention.
// It runs under a system scope (the periodic envelope).
func (s *Service) HandlePruneRequests(ctx context.Context, sc tenants.Scope) error {
	if !sc.IsSystem() {
		return fmt.Errorf("cases: %s needs a system scope: %w", PruneRequests.Type, asynq.SkipRetry)
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
func (s *Service) HandleScanOverdue(ctx context.Context, sc tenants.Scope) error {
	if !sc.IsSystem() {
		return fmt.Errorf("cases: %s needs a system scope: %w", ScanOverdue.Type, asynq.SkipRetry)
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
	return s.perTenant(ctx, ScanOverdue.Type, rows, func(ctx context.Context, tx bun.Tx, sc tenants.Scope, r overdueRow) error {
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
	w := warning(c, "overdue", errs.Msg{ZH: "案件期限已过：" + string(r.NextDueOn), EN: "a case deadline has passed: " + string(r.NextDueOn)}, today)
	w.Due = r.NextDueOn
	ds, err := s.probe(ctx, tx, sc, c).deadlines()
	if err != nil {
		return err
	}
	for _, d := range ds {
		if d.Status == DueOverdue && d.Due[:10] == string(r.NextDueOn) {
			w.Rule = *rules.Art(d.Law, d.Article).Ref(d.RuleID)
			w.Message = errs.Msg{ZH: fmt.Sprintf("%s：期限 %s 已过", d.Title.ZH, d.Due), EN: fmt.Sprintf("%s: due %s has passed", d.Title.EN, d.Due)}
			break
		}
	}
	_, err = supervisiontask.Warn.Enqueue(ctx, tx, sc, *w)
	return err
}
