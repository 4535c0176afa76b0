package rules_test

import (
	"testing"

	"zhifa/modules/rules"
)

// TestCite writes citations in the three formats: a legal document's (full name, Chinese
// numerals, the item bracketed), a screen's (short name, Arabic numerals) and a label's.
func TestCite(t *testing.T) {
	t.Parallel()
	cases := []struct {
		cite                  rules.Cites
		document, screen, lab string
	}{
		{rules.Cites{rules.Art(rules.LawPenalty, 27)},
			"《中华人民共和国行政处罚法》第二十七条", "《行政处罚法》第27条", "行政处罚法第二十七条"},
		{rules.Cites{rules.Art(rules.LawPenalty, 28, 1)},
			"《中华人民共和国行政处罚法》第二十八条第一款", "《行政处罚法》第28条第1款", "行政处罚法第二十八条第一款"},
		{rules.Cites{rules.Art(rules.LawPenalty, 72, 1, 1)},
			"《中华人民共和国行政处罚法》第七十二条第一款第（一）项", "《行政处罚法》第72条第1款第1项", "行政处罚法第七十二条第一款第（一）项"},
		{rules.Cites{rules.Art(rules.LawCoercion, 9, 0, 4)},
			"《中华人民共和国行政强制法》第九条第（四）项", "《行政强制法》第9条第4项", "行政强制法第九条第（四）项"},
		{rules.Cites{rules.Art(rules.LawPenalty, 63), rules.Art(rules.LawPenalty, 64)},
			"《中华人民共和国行政处罚法》第六十三条、第六十四条", "《行政处罚法》第63条、第64条", "行政处罚法第六十三条、第六十四条"},
		{rules.Cites{rules.Art(rules.LawPenalty, 72), rules.Art(rules.LawCoercion, 45)},
			"《中华人民共和国行政处罚法》第七十二条、《中华人民共和国行政强制法》第四十五条", "《行政处罚法》第72条、《行政强制法》第45条",
			"行政处罚法第七十二条、行政强制法第四十五条"},
		{rules.Cites{rules.Art(rules.LawFiscalReceipts, 6), rules.Art(rules.LawPenalty, 70)},
			"《财政票据管理办法》第六条、《中华人民共和国行政处罚法》第七十条", "《财政票据管理办法》第6条、《行政处罚法》第70条",
			"财政票据管理办法第六条、行政处罚法第七十条"},
		{rules.Cites{rules.Art(rules.LawReconsideration, 20), rules.Art(rules.LawPenalty, 57, 1, 3)},
			"《中华人民共和国行政复议法》第二十条、《中华人民共和国行政处罚法》第五十七条第一款第（三）项",
			"《行政复议法》第20条、《行政处罚法》第57条第1款第3项", "行政复议法第二十条、行政处罚法第五十七条第一款第（三）项"},
		// a law cited as a whole (a rule of a document without articles)
		{rules.Cites{rules.Art(rules.LawFiscalReceipts, 0)}, "《财政票据管理办法》", "《财政票据管理办法》", "财政票据管理办法"},
		{nil, "", "", ""},
	}
	for _, c := range cases {
		if got := c.cite.Document(); got != c.document {
			t.Errorf("Document: %s, want %s", got, c.document)
		}
		if got := c.cite.Screen(); got != c.screen {
			t.Errorf("Screen: %s, want %s", got, c.screen)
		}
		if got := c.cite.Label(); got != c.lab {
			t.Errorf("Label: %s, want %s", got, c.lab)
		}
		if len(c.cite) == 1 && (c.cite[0].Document() != c.document || c.cite[0].Screen() != c.screen || c.cite[0].Label() != c.lab) {
			t.Errorf("%+v: a citation alone writes as a list of one", c.cite[0])
		}
	}
	if r, _ := rules.Lookup(rules.PenaltyPayment); r.Cite().Screen() != "《行政处罚法》第67条" {
		t.Errorf("the payment rule cites %s", r.Cite().Screen())
	}
	if got := rules.MustLookup(rules.ServicePublicNotice).Cite().Label(); got != "民事诉讼法第九十五条" {
		t.Errorf("the public notice rule cites %s", got)
	}
	// A reference carries its citation as the pages show it.
	if ref := rules.MustLookup(rules.PenaltyDelivery).Ref(); ref.ID != rules.PenaltyDelivery || ref.Law != rules.LawPenalty || ref.Article != "61" || ref.Cite != "《行政处罚法》第61条" {
		t.Errorf("the delivery rule's reference is %+v", *ref)
	}
	if ref := rules.PaymentPlan.Ref("penalty.payment_plan"); ref.Article != "66" || ref.Cite != "《行政处罚法》第66条第2款" {
		t.Errorf("the payment plan's reference is %+v", *ref)
	}
	if got := rules.RefCite(rules.MustLookup(rules.RemedyReconsideration).Ref()).Screen(); got != "《行政复议法》第20条" {
		t.Errorf("the reconsideration rule's reference cites %s", got)
	}
	defer func() {
		if recover() == nil {
			t.Error("MustLookup of an unknown rule did not panic")
		}
	}()
	rules.MustLookup("penalty.no_such_rule")
}

// TestFullName names the laws the catalogue cites in full, and others as they are.
func TestFullName(t *testing.T) {
	t.Parallel()
	for law, want := range map[string]string{rules.LawPenalty: "中华人民共和国行政处罚法", rules.LawCivilCode: "中华人民共和国民法典",
		rules.LawLitigation: "中华人民共和国行政诉讼法", rules.LawFiscalReceipts: "财政票据管理办法", rules.LawFujianPlatform: rules.LawFujianPlatform} {
		if got := rules.FullName(law); got != want {
			t.Errorf("%s: %s, want %s", law, got, want)
		}
	}
}
