package app_test

import "regexp"

// citation matches a citation of an article as a page might write it, with or without the law
// before it, in Arabic or Chinese numerals: 《行政处罚法》第72条第2款, 第七十二条第二款.
var citation = regexp.MustCompile(`(?:《[^》]+》)?第[0-9一二三四五六七八九十百零]+条(?:第[0-9一二三四五六七八九十]+款)?(?:第[（(]?[0-9一二三四五六七八九十]+[）)]?项)?`)

// pageCites returns the citations a page's text holds, joined by " | ": a page that writes one
// of its own beside the one the API gave shows two.
func pageCites(text string) string {
	out := ""
	for i, m := range citation.FindAllString(text, -1) {
		if i > 0 {
			out += " | "
		}
		out += m
	}
	return out
}
