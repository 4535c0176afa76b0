package documents

import (
	"time"

	"zhifa/modules/documents/internal/sandbox"
)

// The writing of amounts and dates the templates' helper functions use, for the case engine when
// it fills a document's data (penalty.fine_text, the dates of measures and deadlines).

// YuanCN writes an amount in fen in Chinese capitals (大写), e.g. 500000 -> 伍仟元整. A negative
// or absurd amount gives "".
func YuanCN(fen int64) string { return sandbox.YuanCN(fen) }

// Yuan writes an amount in fen as yuan with thousands separators, e.g. 500000 -> 5,000.00.
func Yuan(fen int64) string { return sandbox.Yuan(fen) }

// DateCN writes a day (YYYY-MM-DD) the way documents do: 2026-01-05 -> 2026年1月5日. Anything
// else is returned as it is.
func DateCN(day string) string { return sandbox.DateCN(day) }

// DateTimeCN writes a moment in China's civil time the way documents do, e.g. 2026年1月5日10时15分.
func DateTimeCN(t time.Time) string { return sandbox.DateTimeCN(t) }

// CNNum writes a whole number below 10000 in Chinese, e.g. 60 -> 六十.
func CNNum(n int) string { return sandbox.CNNum(n) }
