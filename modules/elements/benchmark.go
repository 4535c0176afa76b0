package elements

import (
	"fmt"
	"strings"
	"time"

	"zhifa/modules/kernel/civil"

	"github.com/uptrace/bun"
)

// Benchmark is a discretion benchmark (裁量基准) for a matter: fine ranges per circumstance.
// Its content lives in versions; publishing a new version never changes an old one, because
// cases pin the version they applied.
type Benchmark struct {
	bun.BaseModel `bun:"table:benchmarks,alias:bm"`

	ID        string             `bun:"id,pk" json:"id"`
	TenantID  string             `bun:"tenant_id,notnull" json:"tenant_id"`
	MatterID  string             `bun:"matter_id,notnull" json:"matter_id"`
	Title     string             `bun:"title,notnull" json:"title"`
	CreatedAt time.Time          `bun:"created_at,notnull" json:"created_at"`
	UpdatedAt time.Time          `bun:"updated_at,notnull" json:"updated_at"`
	Versions  []BenchmarkVersion `bun:"-" json:"versions,omitempty"` // filled by FindBenchmark
}

// BenchmarkVersion is one published, immutable version of a benchmark. It applies from
// EffectiveFrom until a later version takes effect.
type BenchmarkVersion struct {
	bun.BaseModel `bun:"table:benchmark_versions,alias:bv"`

	TenantID      string          `bun:"tenant_id,notnull" json:"-"`
	BenchmarkID   string          `bun:"benchmark_id,pk" json:"benchmark_id"`
	Version       int             `bun:"version,pk" json:"version"`
	EffectiveFrom civil.Date      `bun:"effective_from,notnull" json:"effective_from"`
	Items         []BenchmarkItem `bun:"items,notnull" json:"items"`
	PublishedBy   string          `bun:"published_by,notnull" json:"published_by"`
	PublishedAt   time.Time       `bun:"published_at,notnull" json:"published_at"`
}

// BenchmarkItem is the range for one circumstance (情节), e.g. 轻微, 一般, 严重. Fines are in fen
// (1 yuan = 100 fen).
type BenchmarkItem struct {
	Circumstance   string `json:"circumstance"`
	Description    string `json:"description"`
	MinFine        int64  `json:"min_fine_fen"`
	MaxFine        int64  `json:"max_fine_fen"`
	OtherPenalties string `json:"other_penalties,omitempty"` // e.g. 没收违法所得
}

// Fine returns whether amount (fen) lies within the item's range.
func (it BenchmarkItem) Fine(amount int64) bool { return amount >= it.MinFine && amount <= it.MaxFine }

// Bounds of a benchmark version.
const (
	MaxFineFen        = int64(100_000_000_000) // 10亿元: no fine range goes above it
	maxBenchmarkItems = 20
)

// BenchmarkInput is a request to create a benchmark or change its title.
type BenchmarkInput struct {
	MatterID string `json:"matter_id"`
	Title    string `json:"title"`
}

// Validate trims and checks the request's fields.
func (in *BenchmarkInput) Validate() error {
	in.MatterID, in.Title = strings.TrimSpace(in.MatterID), strings.TrimSpace(in.Title)
	var p problems
	if checkID("matter_id", in.MatterID) != nil {
		p.add("matter_id", "须为执法事项的 ID", "must be the ID of an enforcement matter")
	}
	if !validText(in.Title, 200) {
		p.add("title", "标题不能为空且不超过200字", "title is required, at most 200 characters")
	}
	return p.err("裁量基准信息有误", "invalid discretion benchmark")
}

// VersionInput is a request to publish a new version of a benchmark.
type VersionInput struct {
	EffectiveFrom civil.Date      `json:"effective_from"`
	Items         []BenchmarkItem `json:"items"`
}

// Validate trims and checks the version: a date, 1 to 20 items with distinct circumstances, and
// fine ranges with 0 ≤ min ≤ max ≤ MaxFineFen.
func (in *VersionInput) Validate() error {
	var p problems
	if !in.EffectiveFrom.Valid() {
		p.add("effective_from", "须为日期 YYYY-MM-DD", "must be a date YYYY-MM-DD")
	}
	if len(in.Items) == 0 || len(in.Items) > maxBenchmarkItems {
		p.add("items", "须有1至20个裁量情节", "needs 1 to 20 items")
	}
	seen := map[string]int{}
	for i := range in.Items {
		it := &in.Items[i]
		f := fmt.Sprintf("items[%d].", i)
		it.Circumstance, it.Description = strings.TrimSpace(it.Circumstance), strings.TrimSpace(it.Description)
		it.OtherPenalties = strings.TrimSpace(it.OtherPenalties)
		if !validText(it.Circumstance, 32) {
			p.add(f+"circumstance", "情节不能为空且不超过32字", "circumstance is required, at most 32 characters")
		} else if j, dup := seen[it.Circumstance]; dup {
			p.add(f+"circumstance", fmt.Sprintf("与第 %d 项情节重复", j+1), fmt.Sprintf("repeats item %d", j+1))
		} else {
			seen[it.Circumstance] = i
		}
		if utf8Len(it.Description) > 2000 {
			p.add(f+"description", "说明不超过2000字", "description has at most 2000 characters")
		}
		if utf8Len(it.OtherPenalties) > 500 {
			p.add(f+"other_penalties", "其他处罚不超过500字", "other penalties have at most 500 characters")
		}
		switch {
		case it.MinFine < 0 || it.MaxFine < 0:
			p.add(f+"min_fine_fen", "罚款金额不能为负数", "fines cannot be negative")
		case it.MaxFine > MaxFineFen:
			p.add(f+"max_fine_fen", "罚款上限超出合理范围", "the maximum fine is beyond any sane range")
		case it.MinFine > it.MaxFine:
			p.add(f+"min_fine_fen", "罚款下限不能高于上限", "the minimum fine cannot exceed the maximum")
		}
	}
	return p.err("裁量基准版本有误", "invalid benchmark version")
}

// BenchmarkFilter selects benchmarks.
type BenchmarkFilter struct {
	Q        string // title contains
	MatterID string
	Page
}
