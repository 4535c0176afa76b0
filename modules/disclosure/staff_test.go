package disclosure_test

import (
	"testing"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/modules/disclosure"
)

// TestRecordsForStaff: the staff list holds the records of the bodies whose cases the caller
// reads, due soonest first and filtered by state; an officer of one body does not see another
// body's, a sibling tenant sees none, an unknown state is refused.
func TestRecordsForStaff(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		a := w.publish(t, w.countyOp, w.body, "task-1", organisation("case-1", "尤城管罚〔2025〕8号"))
		w.publish(t, w.countyOp, w.samrBody, "task-2", organisation("case-2", "尤市监罚〔2025〕9号"))
		all, err := w.svc.Records(ctx, w.countyOp, "", 1)
		noErr(t, err)
		if all.Total != 2 || len(all.Items) != 2 {
			t.Fatalf("the county's operator lists %d records (total %d), want 2", len(all.Items), all.Total)
		}
		mine, err := w.svc.Records(ctx, w.officer, "", 1)
		noErr(t, err)
		if mine.Total != 1 || mine.Items[0].ID != a.ID {
			t.Errorf("the body's officer lists %+v, want only its body's record", mine.Items)
		}
		pub, err := w.svc.Records(ctx, w.countyOp, disclosure.StatePublished, 1)
		noErr(t, err)
		pending, err := w.svc.Records(ctx, w.countyOp, disclosure.StatePending, 1)
		noErr(t, err)
		if pub.Total+pending.Total != 2 {
			t.Errorf("published %d + pending %d, want the 2 records", pub.Total, pending.Total)
		}
		sib, err := w.svc.Records(ctx, w.siblingOp, "", 1)
		noErr(t, err)
		if sib.Total != 0 {
			t.Errorf("the sibling tenant lists %d records", sib.Total)
		}
		_, err = w.svc.Records(ctx, w.countyOp, "lost", 1)
		wantCode(t, err, "invalid")
	})
}
