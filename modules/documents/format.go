package documents

import (
	"time"

	"zhifa/modules/documents/internal/sandbox"
)

// The writing of dates the templates' helper functions use, for the case engine when it fills a
// document's data (the dates of measures and deadlines). Amounts are written by kernel/money,
// numbers in Chinese numerals by kernel/zhnum.

// DateCN writes a day (YYYY-MM-DD) the way documents do: 2026-01-05 -> 2026年1月5日. Anything
// else is returned as it is.
func DateCN(day string) string { return sandbox.DateCN(day) }

// DateTimeCN writes a moment in China's civil time the way documents do, e.g. 2026年1月5日10时15分.
func DateTimeCN(t time.Time) string { return sandbox.DateTimeCN(t) }
