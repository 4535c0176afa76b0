package elements_test

import (
	"reflect"
	"testing"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/modules/elements"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/errs"
)

func items() []elements.BenchmarkItem {
	return []elements.BenchmarkItem{
		{Circumstance: "轻微", Description: "初次违法且危害后果轻微", MinFine: 0, MaxFine: 500_000},
		{Circumstance: "一般", Description: "", MinFine: 500_000, MaxFine: 2_000_000},
		{Circumstance: "严重", Description: "多次违法", MinFine: 2_000_000, MaxFine: 5_000_000, OtherPenalties: "没收违法所得"},
	}
}

func TestBenchmarkVersions(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		matter, err := w.svc.CreateMatter(ctx, w.provOp, matterInput("M-001", "对无照经营的行政处罚"))
		noErr(t, err)
		b, err := w.svc.CreateBenchmark(ctx, w.provOp, elements.BenchmarkInput{MatterID: matter.ID, Title: "无照经营裁量基准"})
		noErr(t, err)
		_, err = w.svc.CreateBenchmark(ctx, w.provOp, elements.BenchmarkInput{MatterID: matter.ID, Title: "无照经营裁量基准"})
		wantField(t, err, errs.Conflict, "title")
		_, err = w.svc.CreateBenchmark(ctx, w.provOp, elements.BenchmarkInput{MatterID: "0190c0de-0000-7000-8000-000000000000", Title: "x"})
		wantField(t, err, errs.Invalid, "matter_id")

		v1, err := w.svc.PublishVersion(ctx, w.provOp, b.ID, elements.VersionInput{EffectiveFrom: "2024-01-01", Items: items()})
		noErr(t, err)
		if v1.Version != 1 || v1.PublishedBy != "prov-op" {
			t.Fatalf("v1 = %+v", v1)
		}
		changed := items()
		changed[1].MaxFine = 3_000_000
		changed = append(changed, elements.BenchmarkItem{Circumstance: "特别严重", MinFine: 5_000_000, MaxFine: 10_000_000})
		v2, err := w.svc.PublishVersion(ctx, w.provOp, b.ID, elements.VersionInput{EffectiveFrom: "2025-01-01", Items: changed})
		noErr(t, err)
		if v2.Version != 2 {
			t.Fatalf("v2 = %+v", v2)
		}

		// v1 stays exactly as published.
		got1, err := w.svc.FindBenchmarkVersion(ctx, w.aOfficer, b.ID, 1)
		noErr(t, err)
		if !reflect.DeepEqual(got1.Items, items()) || got1.EffectiveFrom != "2024-01-01" || !got1.PublishedAt.Equal(v1.PublishedAt) {
			t.Fatalf("v1 after v2 = %+v", got1)
		}
		got2, err := w.svc.FindBenchmarkVersion(ctx, w.aOfficer, b.ID, 2)
		noErr(t, err)
		if len(got2.Items) != 4 || got2.Items[1].MaxFine != 3_000_000 || got2.Items[2].OtherPenalties != "没收违法所得" {
			t.Fatalf("v2 = %+v", got2)
		}
		full, err := w.svc.FindBenchmark(ctx, w.aOfficer, b.ID)
		noErr(t, err)
		if len(full.Versions) != 2 || full.Versions[0].Version != 1 {
			t.Fatalf("FindBenchmark = %+v", full)
		}
		for day, want := range map[civil.Date]int{"2024-06-01": 1, "2024-12-31": 1, "2025-01-01": 2, "2030-01-01": 2} {
			v, err := w.svc.BenchmarkVersionOn(ctx, w.aOfficer, b.ID, day)
			noErr(t, err)
			if v.Version != want {
				t.Errorf("version on %s = %d, want %d", day, v.Version, want)
			}
		}
		_, err = w.svc.BenchmarkVersionOn(ctx, w.aOfficer, b.ID, "2023-12-31")
		wantCode(t, err, errs.NotFound)
		_, err = w.svc.FindBenchmarkVersion(ctx, w.aOfficer, b.ID, 3)
		wantCode(t, err, errs.NotFound)

		// A later version cannot take effect before the latest one.
		_, err = w.svc.PublishVersion(ctx, w.provOp, b.ID, elements.VersionInput{EffectiveFrom: "2024-06-01", Items: items()})
		wantField(t, err, errs.Invalid, "effective_from")

		// The county reads the province's benchmark but cannot publish or change it; it may add its own.
		_, err = w.svc.PublishVersion(ctx, w.aOp, b.ID, elements.VersionInput{EffectiveFrom: "2026-01-01", Items: items()})
		wantCode(t, err, errs.Forbidden)
		_, err = w.svc.UpdateBenchmark(ctx, w.aOp, b.ID, elements.BenchmarkInput{MatterID: matter.ID, Title: "改"})
		wantCode(t, err, errs.Forbidden)
		wantCode(t, w.svc.DeleteBenchmark(ctx, w.aOp, b.ID), errs.Forbidden)
		own, err := w.svc.CreateBenchmark(ctx, w.aOp, elements.BenchmarkInput{MatterID: matter.ID, Title: "无照经营裁量基准"})
		noErr(t, err)
		bs, n, err := w.svc.Benchmarks(ctx, w.aOp, elements.BenchmarkFilter{MatterID: matter.ID})
		noErr(t, err)
		if n != 2 || len(bs) != 2 {
			t.Fatalf("county sees %d benchmarks", n)
		}
		_, n, err = w.svc.Benchmarks(ctx, w.bOp, elements.BenchmarkFilter{Q: "无照"})
		noErr(t, err)
		if n != 1 {
			t.Fatalf("sibling county sees %d benchmarks", n)
		}
		_, err = w.svc.FindBenchmark(ctx, w.bOp, own.ID)
		wantCode(t, err, errs.NotFound)

		// Title changes; the matter does not; published benchmarks and their matters stay.
		upd, err := w.svc.UpdateBenchmark(ctx, w.provOp, b.ID, elements.BenchmarkInput{MatterID: matter.ID, Title: "无照经营行政处罚裁量基准"})
		noErr(t, err)
		if upd.Title != "无照经营行政处罚裁量基准" || len(upd.Versions) != 2 {
			t.Fatalf("UpdateBenchmark = %+v", upd)
		}
		other, err := w.svc.CreateMatter(ctx, w.provOp, matterInput("M-002", "x"))
		noErr(t, err)
		_, err = w.svc.UpdateBenchmark(ctx, w.provOp, b.ID, elements.BenchmarkInput{MatterID: other.ID, Title: "x"})
		wantField(t, err, errs.Invalid, "matter_id")
		wantCode(t, w.svc.DeleteBenchmark(ctx, w.provOp, b.ID), errs.Conflict)
		wantCode(t, w.svc.DeleteMatter(ctx, w.provOp, matter.ID), errs.Conflict)
		noErr(t, w.svc.DeleteBenchmark(ctx, w.aOp, own.ID))
	})
}

func TestVersionValidation(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		edit  func(*elements.VersionInput)
		field string
	}{
		{"no date", func(v *elements.VersionInput) { v.EffectiveFrom = "" }, "effective_from"},
		{"no items", func(v *elements.VersionInput) { v.Items = nil }, "items"},
		{"min above max", func(v *elements.VersionInput) { v.Items[0].MinFine, v.Items[0].MaxFine = 600, 500 }, "items[0].min_fine_fen"},
		{"negative", func(v *elements.VersionInput) { v.Items[1].MinFine = -1 }, "items[1].min_fine_fen"},
		{"absurd", func(v *elements.VersionInput) { v.Items[2].MaxFine = elements.MaxFineFen + 1 }, "items[2].max_fine_fen"},
		{"no circumstance", func(v *elements.VersionInput) { v.Items[0].Circumstance = " " }, "items[0].circumstance"},
		{"repeated circumstance", func(v *elements.VersionInput) { v.Items[2].Circumstance = "轻微" }, "items[2].circumstance"},
		{"too many", func(v *elements.VersionInput) {
			for range 20 {
				v.Items = append(v.Items, v.Items[0])
			}
		}, "items"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := elements.VersionInput{EffectiveFrom: "2024-01-01", Items: items()}
			tc.edit(&v)
			wantField(t, v.Validate(), errs.Invalid, tc.field)
		})
	}
	v := elements.VersionInput{EffectiveFrom: "2024-01-01", Items: items()}
	noErr(t, v.Validate())
}
