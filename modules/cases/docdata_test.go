package cases_test

import (
	"context"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/modules/documents"
	"zhifa/tenants"
)

// TestDocumentDataIsDeclared: the data the case engine fills for each document type, from the
// cases whose steps fill it, uses only the fields the type declares and leaves none of its
// required items empty (apart from those the documents module adds when it issues); from a case
// that has only been registered, it still declares every key, and misses exactly the items a
// registered case cannot fill.
func TestDocumentDataIsDeclared(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWired(t, db)
		full := w.populated(t)
		minimal := w.lead(t, person())
		data := func(caseID string, typ documents.Type) map[string]any {
			var out map[string]any
			noErr(t, tenants.RunInTx(ctx, db, w.officer, func(ctx context.Context, tx bun.Tx) error {
				var err error
				out, err = w.svc.DocumentData(ctx, tx, w.officer, caseID, typ)
				return err
			}))
			return out
		}
		// what a registered case cannot fill: the records and decisions of steps it has not taken
		unfilled := map[documents.Type]string{
			documents.TypeCaseFiling:         "filing.opinion",
			documents.TypeInspectionRecord:   "inspection.place inspection.record inspection.started_at",
			documents.TypeInquiryRecord:      "inquiry.person inquiry.qa",
			documents.TypePreservationNotice: "items preservation.basis",
			documents.TypeCorrectionOrder:    "correction.deadline correction.requirement facts violated",
			documents.TypePriorNotice:        "facts penalty.basis penalty.text violated",
			documents.TypeHearingNotice:      "penalty.text",
			documents.TypeHearingRecord:      "hearing.held_at hearing.presider hearing.record",
			documents.TypeLegalReview:        "review.opinion review.reviewed_on review.reviewer",
			documents.TypePenaltyDecision:    "evidence facts penalty.basis penalty.text remedies.litigation_months remedies.reconsideration_days violated",
		}
		for _, ti := range documents.Types() {
			if id, ok := full[ti.Type]; ok {
				undeclared, missing := ti.Check(data(id, ti.Type))
				if len(undeclared) > 0 || len(missing) > 0 {
					t.Errorf("%s from a case that fills it: undeclared %v, missing %v", ti.Type, undeclared, missing)
				}
			}
			undeclared, missing := ti.Check(data(minimal.ID, ti.Type))
			if len(undeclared) > 0 {
				t.Errorf("%s from a registered case: undeclared %v", ti.Type, undeclared)
			}
			if want, ok := unfilled[ti.Type]; ok && strings.Join(missing, " ") != want {
				t.Errorf("%s from a registered case misses %v, want %s", ti.Type, missing, want)
			}
		}
	})
}
