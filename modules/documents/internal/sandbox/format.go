package sandbox

import "time"

// The writing of amounts and dates the helper functions use, for the callers that fill a
// document's data.

// YuanCN writes an amount in fen in Chinese capitals (大写), e.g. 500000 -> 伍仟元整. A negative
// or absurd amount gives "".
func YuanCN(fen int64) string {
	s, err := fnYuanCN(fen)
	if err != nil {
		return ""
	}
	return s
}

// Yuan writes an amount in fen as yuan with thousands separators, e.g. 500000 -> 5,000.00.
func Yuan(fen int64) string {
	s, _ := fnYuan(fen)
	return s
}

// DateCN writes a day (YYYY-MM-DD) the way documents do: 2026-01-05 -> 2026年1月5日. Anything
// else is returned as it is.
func DateCN(day string) string {
	s, _ := fnDateCN(day)
	return s
}

// DateTimeCN writes a moment in China's civil time the way documents do, e.g. 2026年1月5日10时15分.
func DateTimeCN(t time.Time) string {
	s, _ := fnDateTimeCN(t.UTC().Format(time.RFC3339))
	return s
}

// CNNum writes a whole number below 10000 in Chinese, e.g. 60 -> 六十.
func CNNum(n int) string {
	s, _ := fnCNNum(n)
	return s
}
