package disclosure_test

import (
	"context"
	"testing"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/jobs"
	"zhifa/modules/disclosure"
	"zhifa/modules/disclosure/disclosuretask"
	"zhifa/tenants"
)

// TestTasks runs the module's tasks through the worker's mux as the relay hands them over:
// disclosure:publish twice publishes once; disclosure:withdraw takes the record down with its
// explanation; a withdrawal of an unknown decision is retried; disclosure:expire runs under its
// system envelope.
func TestTasks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		mux := jobs.NewMux(tenants.NewStore(db))
		w.svc.Tasks(mux)
		p := person("case-1", "尤城管罚〔2025〕1号")
		p.BodyID = w.body.ID
		for range 2 {
			task, err := disclosuretask.Publish.NewTask(w.countyOp, p)
			noErr(t, err)
			noErr(t, mux.ProcessTask(ctx, task))
		}
		var rs []disclosure.Record
		noErr(t, tenants.RunInTx(ctx, db, w.countyOp, func(ctx context.Context, tx bun.Tx) error {
			return tenants.Own(w.countyOp, tx.NewSelect().Model(&rs)).Scan(ctx)
		}))
		if len(rs) != 1 || rs[0].State != disclosure.StatePublished {
			t.Fatalf("records %+v, want one published", rs)
		}
		unknown, err := disclosuretask.Withdraw.NewTask(w.countyOp, disclosuretask.WithdrawDecision{CaseID: "case-9", DecisionNumber: "x", RevokedOn: "2025-09-30", Explanation: "撤销"})
		noErr(t, err)
		if err := mux.ProcessTask(ctx, unknown); err == nil {
			t.Error("a withdrawal of an unknown decision succeeded")
		}
		wd, err := disclosuretask.Withdraw.NewTask(w.countyOp, disclosuretask.WithdrawDecision{CaseID: "case-1", DecisionNumber: "尤城管罚〔2025〕1号",
			RevokedOn: "2025-09-30", Explanation: "该决定已被人民法院判决撤销"})
		noErr(t, err)
		noErr(t, mux.ProcessTask(ctx, wd))
		noErr(t, mux.ProcessTask(ctx, wd))
		rv, err := w.svc.Review(ctx, w.head, rs[0].ID)
		noErr(t, err)
		if rv.Record.State != disclosure.StateWithdrawn || rv.Record.Explanation != "该决定已被人民法院判决撤销" || len(rv.History) != 2 {
			t.Errorf("withdrawn: %s %q, history %d", rv.Record.State, rv.Record.Explanation, len(rv.History))
		}
		exp, err := disclosure.Expire.NewTask()
		noErr(t, err)
		noErr(t, mux.ProcessTask(ctx, exp))
	})
}
