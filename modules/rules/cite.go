package rules

import (
	"strconv"
	"strings"

	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/zhnum"
)

// Citations of legal provisions (引用法律条文), written from the laws the catalogue knows, in the
// formats they are read in:
//
//	Document  a legal document (执法文书): the law's full name, Chinese numerals, the item in
//	          brackets: 《中华人民共和国行政处罚法》第七十二条第一款第（一）项
//	Screen    a page or a list: the short name, Arabic numerals: 《行政处罚法》第72条第1款第1项
//	Label     a label or message naming the basis of a requirement: the short name, unbracketed,
//	          Chinese numerals: 行政处罚法第七十二条
//
// Several provisions are written as one citation (Cites), each law named once before its
// provisions, in their order.

// LawFiscalReceipts is the Ministry of Finance's rules on fiscal receipts (财政部令第70号), which a
// fiscal receipt of a fine cites.
const LawFiscalReceipts = "财政票据管理办法"

// Provisions cited beside the catalogue's rules.
var (
	// EndDayShift: a party's period that ends on a rest day ends on the next working day
	// (民法典 Art. 203; Rule.PartyDeadline).
	EndDayShift = Art(LawCivilCode, 203)
	// PaymentPlan: a fine deferred or paid in instalments on the party's application, with the
	// body's approval (行政处罚法 Art. 66 ¶2).
	PaymentPlan = Art(LawPenalty, 66, 2)
	// StatementRight: the party's right to state and defend itself after a prior notice, told
	// and heard (行政处罚法 Art. 44, 45), the basis of the statement period (PenaltyStatement).
	StatementRight = Cites{Art(LawPenalty, 44), Art(LawPenalty, 45)}
	// DemandStatement: the party's right to state and defend itself after a demand notice
	// (行政强制法 Art. 36).
	DemandStatement = Art(LawCoercion, 36)
	// EDelivery: electronic delivery with the party's signed consent, a document served when it
	// arrives (行政处罚法 Art. 61).
	EDelivery = Art(LawPenalty, 61)
	// RemedyPause: while a reconsideration or a suit runs, the late surcharge does not accrue
	// (行政处罚法 Art. 72 ¶2).
	RemedyPause = Art(LawPenalty, 72, 2)
)

// fullNames are the full names of the laws the catalogue names by their short names; a law not
// listed is its own full name (a regulation, a province's rules).
var fullNames = map[string]string{
	LawPenalty:         "中华人民共和国行政处罚法",
	LawCoercion:        "中华人民共和国行政强制法",
	LawReconsideration: "中华人民共和国行政复议法",
	LawLitigation:      "中华人民共和国行政诉讼法",
	LawCivilCode:       "中华人民共和国民法典",
	LawCivilProcedure:  "中华人民共和国民事诉讼法",
}

// FullName returns the full name of a law the catalogue names by its short name
// (行政处罚法 -> 中华人民共和国行政处罚法).
func FullName(law string) string {
	if f, ok := fullNames[law]; ok {
		return f
	}
	return law
}

// Cite is a citation of a provision: a law (by its short name, e.g. LawPenalty), an article, and
// where it goes down to them its paragraph (款) and item (项), 1-based (0: none).
type Cite struct {
	Law     string
	Article int
	Para    int
	Item    int
}

// Art cites an article of a law, down to its paragraph and item when they are given
// (Art(LawPenalty, 72, 1, 1) is 行政处罚法第七十二条第一款第（一）项).
func Art(law string, article int, paraItem ...int) Cite {
	c := Cite{Law: law, Article: article}
	if len(paraItem) > 0 {
		c.Para = paraItem[0]
	}
	if len(paraItem) > 1 {
		c.Item = paraItem[1]
	}
	return c
}

// Cite returns the citation of a catalogue rule's article.
func (r Rule) Cite() Cite { return Cite{Law: r.Law, Article: r.Article} }

// RefCite returns the citation of the article a rule reference (errs.Rule, as a refusal carries
// it) names.
func RefCite(r *errs.Rule) Cite {
	n, _ := strconv.Atoi(r.Article)
	return Cite{Law: r.Law, Article: n}
}

// Ref returns the reference of rule id, resting on the cited article, as an error or a warning
// carries it (with its Screen citation for the pages).
func (c Cite) Ref(id string) *errs.Rule {
	return &errs.Rule{ID: id, Law: c.Law, Article: strconv.Itoa(c.Article), Cite: c.Screen()}
}

// Document writes the citation as a legal document does: 《中华人民共和国行政处罚法》第二十七条.
func (c Cite) Document() string { return Cites{c}.Document() }

// Screen writes the citation for a page or a list: 《行政处罚法》第27条.
func (c Cite) Screen() string { return Cites{c}.Screen() }

// Label writes the citation as a label or message names a basis: 行政处罚法第二十七条.
func (c Cite) Label() string { return Cites{c}.Label() }

// provision writes the article, paragraph and item, in Chinese numerals or Arabic ones; nothing
// for a law cited as a whole (no article).
func (c Cite) provision(chinese bool) string {
	if c.Article == 0 {
		return ""
	}
	num := strconv.Itoa
	if chinese {
		num = zhnum.Write
	}
	s := "第" + num(c.Article) + "条"
	if c.Para > 0 {
		s += "第" + num(c.Para) + "款"
	}
	if c.Item > 0 {
		if chinese {
			s += "第（" + num(c.Item) + "）项"
		} else {
			s += "第" + num(c.Item) + "项"
		}
	}
	return s
}

// Cites are provisions cited together, in their order.
type Cites []Cite

// Document writes the provisions as a legal document does, each law by its full name once
// before its provisions: 《中华人民共和国行政处罚法》第三十三条第一款、第三十六条.
func (cs Cites) Document() string {
	return cs.write(func(law string) string { return "《" + FullName(law) + "》" }, true)
}

// Screen writes the provisions for a page or a list: 《行政处罚法》第33条第1款、第36条.
func (cs Cites) Screen() string {
	return cs.write(func(law string) string { return "《" + law + "》" }, false)
}

// Label writes the provisions as a label or message names a basis:
// 行政处罚法第六十三条、第六十四条; 行政处罚法第七十二条、行政强制法第四十五条.
func (cs Cites) Label() string {
	return cs.write(func(law string) string { return law }, true)
}

func (cs Cites) write(name func(string) string, chinese bool) string {
	var b strings.Builder
	last := ""
	for i, c := range cs {
		if i > 0 {
			b.WriteString("、")
		}
		if i == 0 || c.Law != last {
			b.WriteString(name(c.Law))
			last = c.Law
		}
		b.WriteString(c.provision(chinese))
	}
	return b.String()
}
