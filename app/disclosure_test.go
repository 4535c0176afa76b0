package app_test

import (
	"context"
	"testing"

	"github.com/hibiken/asynq"
	"github.com/uptrace/bun"

	"zhifa/jobs"
	"zhifa/modules/disclosure/disclosuretask"
	"zhifa/tenants"
)

// publishDemoDecisions hands every disclosure:publish the demo's decisions wrote to the platform's
// mux, as the relay and the worker would, and returns the ID of the record of caseID.
func publishDemoDecisions(t *testing.T, p *platform, caseID string) string {
	t.Helper()
	ctx, sc := context.Background(), tenants.System("test: demo disclosures")
	var rows []jobs.OutboxRow
	if err := tenants.RunInTx(ctx, p.App.DB, sc, func(ctx context.Context, tx bun.Tx) error {
		return tx.NewSelect().Model(&rows).Where("o.task_type = ?", disclosuretask.Publish.Type).OrderExpr("o.id").Scan(ctx)
	}); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := p.App.Mux.ProcessTask(ctx, asynq.NewTask(r.TaskType, []byte(r.Payload))); err != nil {
			t.Fatalf("%s %s: %v", r.TaskType, r.ID, err)
		}
	}
	var id string
	if err := tenants.RunInTx(ctx, p.App.DB, sc, func(ctx context.Context, tx bun.Tx) error {
		return tx.NewSelect().Table("disclosure_records").Column("id").Where("case_id = ? AND state = 'published'", caseID).Scan(ctx, &id)
	}); err != nil {
		t.Fatalf("the demo case %s has no published record (%d decisions): %v", caseID, len(rows), err)
	}
	return id
}
