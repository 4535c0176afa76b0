package cases_test

import (
	"runtime"
	"sync/atomic"
	"testing"

	"zhifa/app/dbtest"
	"zhifa/modules/cases"
)

// BenchmarkTransition measures one transition (guards, state change at the next version, chain
// event, idempotency record, deadlines recomputed) through the service on PostgreSQL, from 32
// parallel clients each working on its own case.
func BenchmarkTransition(b *testing.B) {
	db := dbtest.Postgres(b)
	w := newWorld(b, db)
	per := max(1, 32/runtime.GOMAXPROCS(0))
	clients := per * runtime.GOMAXPROCS(0)
	ids := make([]string, clients)
	for i := range ids {
		ids[i] = w.filed(b, person(), nil).ID
	}
	var next atomic.Int64
	b.SetParallelism(per)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		id := ids[int(next.Add(1)-1)%clients]
		major := false
		for pb.Next() {
			major = !major
			if _, err := w.svc.Act(ctx, w.head, id, cases.ActFlag, key(), m{"on": "2025-09-04", "major": major, "reason": "基准测试"}); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
