package disclosure_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/app/testenv"
	"zhifa/modules/disclosure"
	"zhifa/modules/kernel/dbx"
	"zhifa/tenants"
)

// benchRecords is how many published records the search benchmark holds, over two counties.
const benchRecords = 100000

// BenchmarkPublicSearch measures the public search (Search, the statements the HTTP route runs)
// on PostgreSQL over benchRecords published records: a party-name substring (LIKE, no trigram
// index yet) and a decision number. It reports p50/p99 per query kind.
func BenchmarkPublicSearch(b *testing.B) {
	db, info := dbtest.PostgresInfo(b)
	w := newWorld(b, db)
	for i, sc := range []tenants.Scope{w.countyOp, w.siblingOp} {
		seedPublished(b, db, sc, w.body.ID, i, benchRecords/2)
	}
	testenv.Analyze(b, info.OwnerDSN)
	for _, c := range []struct {
		name string
		q    disclosure.Query
	}{
		{"party", disclosure.Query{Party: "餐饮4711"}},
		{"number", disclosure.Query{Number: "〔2025〕4711号"}},
		{"tenant", disclosure.Query{Tenant: w.county.ID, Party: "餐饮4711"}},
		{"everything", disclosure.Query{Q: "占道"}},
		{"tenant_everything", disclosure.Query{Tenant: w.county.ID, Q: "占道"}},
	} {
		b.Run(c.name, func(b *testing.B) {
			lat := make([]time.Duration, 0, b.N)
			for range b.N {
				t0 := time.Now()
				if _, err := w.svc.Search(ctx, c.q); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(t0))
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50_ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99_ms")
		})
	}
}

// seedPublished inserts n published records at sc's tenant, 1000 a statement.
func seedPublished(b *testing.B, db *bun.DB, sc tenants.Scope, bodyID string, tenant, n int) {
	b.Helper()
	now := time.Now()
	for start := 0; start < n; start += 1000 {
		rs := make([]disclosure.Record, 0, 1000)
		for i := start; i < min(n, start+1000); i++ {
			rs = append(rs, disclosure.Record{ID: dbx.NewID(), TenantID: sc.TenantID(), CaseID: fmt.Sprintf("c%d-%d", tenant, i), CaseCode: "x", BodyID: bodyID,
				BodyName: "尤溪县城市管理局", BodyUSCC: "x", DecisionNumber: fmt.Sprintf("尤城管罚〔2025〕%d号", i), State: disclosure.StatePublished,
				PartyKind: "organisation", PartyName: fmt.Sprintf("尤溪县某餐饮%d有限公司", i), Facts: "当事人占道经营", Basis: "x", Categories: []string{"fine"},
				Content: "罚款", DecidedOn: "2025-09-29", PublishBy: "2025-10-14", PublishedOn: "2025-09-30", EndsOn: "2027-09-30", Version: 1, CreatedAt: now, UpdatedAt: now})
		}
		noErr(b, tenants.RunInTx(ctx, db, sc, func(ctx context.Context, tx bun.Tx) error {
			_, err := tx.NewInsert().Model(&rs).Exec(ctx)
			return err
		}))
	}
}
