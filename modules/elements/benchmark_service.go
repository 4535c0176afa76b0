package elements

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

var benchmarkUniques = []unique{{pg: "benchmarks_tenant_id_matter_id_title_key", lite: "benchmarks.title", field: "title",
	zh: "该事项已有同名裁量基准", en: "the matter already has a benchmark with this title"}}

var versionUniques = []unique{{pg: "benchmark_versions_pkey", lite: "benchmark_versions.version", field: "version",
	zh: "该版本已由他人同时发布，请重试", en: "this version was published concurrently; try again"}}

// Benchmarks lists the benchmarks the scope can see (its own and its ancestors'), by title. Any
// staff role. Returns Invalid for a bad filter.
func (s *Service) Benchmarks(ctx context.Context, sc tenants.Scope, f BenchmarkFilter) ([]Benchmark, int, error) {
	if f.MatterID != "" && !dbx.ValidID(f.MatterID) {
		return nil, 0, errs.E(errs.Invalid, "查询条件有误", "invalid filter").WithFields(errs.Field("matter_id", "须为 UUID", "must be a UUID"))
	}
	return listPage[Benchmark](ctx, s.db, sc, f.Page, func(_ bun.Tx, q *bun.SelectQuery) *bun.SelectQuery {
		q = likeAny(tenants.Inherited(sc, q), f.Q, "bm.title")
		if f.MatterID != "" {
			q = q.Where("bm.matter_id = ?", f.MatterID)
		}
		return q.OrderExpr("bm.title, bm.id")
	}, nil)
}

// FindBenchmark returns a benchmark the scope can see with all its versions, oldest first.
// Returns Invalid or NotFound.
func (s *Service) FindBenchmark(ctx context.Context, sc tenants.Scope, id string) (*Benchmark, error) {
	return findOne(ctx, s.db, sc, id, func(ctx context.Context, tx bun.IDB, sc tenants.Scope, id string) (*Benchmark, error) {
		b, err := findBenchmark(ctx, tx, sc, id)
		if err != nil {
			return nil, err
		}
		b.Versions, err = versions(ctx, tx, sc, id)
		return b, err
	})
}

// findBenchmark looks up a benchmark the scope can see, without its versions.
var findBenchmark = byID[Benchmark](tenants.Inherited[*bun.SelectQuery])

func versions(ctx context.Context, tx bun.IDB, sc tenants.Scope, benchmarkID string) ([]BenchmarkVersion, error) {
	out := []BenchmarkVersion{}
	err := tenants.Inherited(sc, tx.NewSelect().Model(&out)).Where("bv.benchmark_id = ?", benchmarkID).
		OrderExpr("bv.version").Scan(ctx)
	return out, err
}

// BenchmarkVersions lists the published versions of a benchmark the scope can see, oldest first.
// Returns Invalid or NotFound.
func (s *Service) BenchmarkVersions(ctx context.Context, sc tenants.Scope, id string) ([]BenchmarkVersion, error) {
	b, err := s.FindBenchmark(ctx, sc, id)
	if err != nil {
		return nil, err
	}
	return b.Versions, nil
}

// FindBenchmarkVersion returns one published version of a benchmark the scope can see: the
// version a case pinned. Returns Invalid or NotFound.
func (s *Service) FindBenchmarkVersion(ctx context.Context, sc tenants.Scope, id string, version int) (*BenchmarkVersion, error) {
	if err := checkID("id", id); err != nil {
		return nil, err
	}
	return selectOneIn[BenchmarkVersion](ctx, s.db, sc, func(q *bun.SelectQuery) *bun.SelectQuery {
		return tenants.Inherited(sc, q).Where("bv.benchmark_id = ? AND bv.version = ?", id, version)
	})
}

// BenchmarkVersionOn returns the version of a benchmark that applies on day d: the highest
// version whose EffectiveFrom is not after d. Returns Invalid, NotFound (none applies yet).
func (s *Service) BenchmarkVersionOn(ctx context.Context, sc tenants.Scope, id string, d civil.Date) (*BenchmarkVersion, error) {
	if err := checkID("id", id); err != nil {
		return nil, err
	}
	if !d.Valid() {
		return nil, badDate("date")
	}
	return selectOneIn[BenchmarkVersion](ctx, s.db, sc, func(q *bun.SelectQuery) *bun.SelectQuery {
		return tenants.Inherited(sc, q).Where("bv.benchmark_id = ? AND bv.effective_from <= ?", id, d).OrderExpr("bv.version DESC").Limit(1)
	})
}

// CreateBenchmark adds a benchmark for a matter the scope can see (a county may refine a
// province's matter) to the scope's tenant's catalogue, without versions. Needs elements.write.
// Returns Invalid (bad fields, no such matter), Forbidden, Conflict (same title for the matter).
func (s *Service) CreateBenchmark(ctx context.Context, sc tenants.Scope, in BenchmarkInput) (*Benchmark, error) {
	return createOne(ctx, s.db, sc, mayCreate(sc, authz.ElementsWrite), &in,
		func() (*Benchmark, error) { return in.benchmark(sc.TenantID(), s.stamp()), nil }, insertBenchmark)
}

// benchmark returns a new benchmark of tenant tenantID, without versions, made from the validated
// request.
func (in *BenchmarkInput) benchmark(tenantID string, now time.Time) *Benchmark {
	return &Benchmark{ID: dbx.NewID(), TenantID: tenantID, MatterID: in.MatterID, Title: in.Title, CreatedAt: now, UpdatedAt: now}
}

func insertBenchmark(ctx context.Context, tx bun.Tx, sc tenants.Scope, b *Benchmark) error {
	if _, err := findMatterByID(ctx, tx, sc, b.MatterID); err != nil {
		if errs.Is(err, errs.NotFound) {
			return errs.E(errs.Invalid, "执法事项不存在", "no such enforcement matter").
				WithFields(errs.Field("matter_id", "不存在", "does not exist"))
		}
		return err
	}
	return insertRow(ctx, tx, b, benchmarkUniques...)
}

// UpdateBenchmark changes the title of a benchmark of the scope's tenant; its matter cannot
// change. Needs elements.write. Returns Invalid, NotFound, Forbidden, Conflict.
func (s *Service) UpdateBenchmark(ctx context.Context, sc tenants.Scope, id string, in BenchmarkInput) (*Benchmark, error) {
	return writeOne(ctx, s.db, sc, id, mayWrite(sc, authz.ElementsWrite), &in, findBenchmark,
		func(b *Benchmark) error { return ownCatalogue(sc, b.TenantID) },
		func(ctx context.Context, tx bun.Tx, b *Benchmark) (*Benchmark, error) {
			if in.MatterID != b.MatterID {
				return nil, errs.E(errs.Invalid, "裁量基准所属的执法事项不能更改", "the matter of a benchmark cannot change").
					WithFields(errs.Field("matter_id", "不能更改", "cannot change"))
			}
			b.Title, b.UpdatedAt = in.Title, s.stamp()
			if err := updateRow(ctx, tx, sc, b, id, benchmarkUniques, "title", "updated_at"); err != nil {
				return nil, err
			}
			var err error
			b.Versions, err = versions(ctx, tx, sc, id)
			return b, err
		})
}

// DeleteBenchmark removes a benchmark of the scope's tenant that has no published version
// (published versions are pinned by cases). Needs elements.write. Returns NotFound, Forbidden,
// Conflict.
func (s *Service) DeleteBenchmark(ctx context.Context, sc tenants.Scope, id string) error {
	return deleteOne(ctx, s.db, sc, id, authz.ElementsWrite, findBenchmark,
		func(b *Benchmark) error { return ownCatalogue(sc, b.TenantID) },
		func(ctx context.Context, tx bun.Tx) error {
			return unreferenced(ctx, tenants.Own(sc, tx.NewSelect().Model((*BenchmarkVersion)(nil))).Where("bv.benchmark_id = ?", id),
				"已发布版本的裁量基准不能删除", "a benchmark with published versions cannot be deleted")
		}, "该裁量基准仍被其他记录引用，不能删除", "other records still refer to the benchmark")
}

// PublishVersion publishes the next version of a benchmark of the scope's tenant. Earlier versions
// stay as they are. Its EffectiveFrom may not precede the latest version's. Needs
// elements.write. Returns Invalid, NotFound, Forbidden, Conflict (published concurrently).
func (s *Service) PublishVersion(ctx context.Context, sc tenants.Scope, id string, in VersionInput) (*BenchmarkVersion, error) {
	return writeOne(ctx, s.db, sc, id, mayWrite(sc, authz.ElementsWrite), &in, findBenchmark,
		func(b *Benchmark) error { return ownCatalogue(sc, b.TenantID) },
		func(ctx context.Context, tx bun.Tx, b *Benchmark) (*BenchmarkVersion, error) {
			return publish(ctx, tx, sc, b, in, s.stamp())
		})
}

func publish(ctx context.Context, tx bun.Tx, sc tenants.Scope, b *Benchmark, in VersionInput, now time.Time) (*BenchmarkVersion, error) {
	var last []BenchmarkVersion
	if err := tenants.Own(sc, tx.NewSelect().Model(&last)).Where("bv.benchmark_id = ?", b.ID).
		OrderExpr("bv.version DESC").Limit(1).Scan(ctx); err != nil {
		return nil, err
	}
	v := &BenchmarkVersion{TenantID: b.TenantID, BenchmarkID: b.ID, Version: 1, EffectiveFrom: in.EffectiveFrom,
		Items: in.Items, PublishedBy: sc.Actor(), PublishedAt: now}
	if len(last) > 0 {
		v.Version = last[0].Version + 1
		if in.EffectiveFrom.Before(last[0].EffectiveFrom) {
			return nil, errs.Ef(errs.Invalid, "生效日期不能早于第 %d 版的生效日期 %s", "effective_from cannot precede that of version %d (%s)",
				last[0].Version, last[0].EffectiveFrom).WithFields(errs.Field("effective_from", "早于上一版本", "precedes the previous version"))
		}
	}
	if err := insertRow(ctx, tx, v, versionUniques...); err != nil {
		return nil, err
	}
	_, err := tenants.Own(sc, tx.NewUpdate().Model(b)).Set("updated_at = ?", v.PublishedAt).Where("bm.id = ?", b.ID).Exec(ctx)
	return v, err
}
