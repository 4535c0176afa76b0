package csvx

import (
	"fmt"
	"regexp"
	"strconv"

	"zhifa/modules/kernel/civil"
)

var datePatterns = []*regexp.Regexp{
	regexp.MustCompile(`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$`),
	regexp.MustCompile(`^(\d{4})年(\d{1,2})月(\d{1,2})日$`),
}

// Date reads a date column as spreadsheets write it: YYYY-MM-DD, YYYY/M/D, YYYY.M.D or
// YYYY年M月D日. Anything else is returned as it is, for the importer's validation to refuse with
// the field's name (civil.Date.Valid).
func Date(s string) civil.Date {
	for _, re := range datePatterns {
		if m := re.FindStringSubmatch(s); m != nil {
			mo, _ := strconv.Atoi(m[2])
			d, _ := strconv.Atoi(m[3])
			return civil.Date(fmt.Sprintf("%s-%02d-%02d", m[1], mo, d))
		}
	}
	return civil.Date(s)
}
