package app_test

import (
	"net/http"
	"strings"
	"testing"

	"zhifa/app/browsertest"
)

// TestCasePartyReveal opens a demo case of a person at 1280 and 375 px: the header shows the
// party's identity number masked and says how the case was opened (no filing claimed for it);
// 显示完整号码 Reveal shows it in full, and the platform logs the reveal on the case.
func TestCasePartyReveal(t *testing.T) {
	p := startPlatform(t, "sqlite")
	officerTok := p.login(officer1)
	pay := demoCitizenCases(t, p, officerTok)[portalPayTitle]
	const full, masked = "350426198803152318", "350426********2318"

	b := browsertest.New(t, p.URL)
	loginAs(t, b, officer1)
	b.Open("/console/cases/"+pay.ID, "case")
	b.WaitFor("the party's number", `!!document.getElementById('case-party-id')`)
	if got := b.Text("#case-party-id"); got != masked {
		t.Errorf("the header shows the number %q, want %q", got, masked)
	}
	if head := b.Text("#case-head"); strings.Contains(head, full) || strings.Contains(head, "立案登记") || !strings.Contains(head, "登记案源") || !strings.Contains(head, "立案 Filed") {
		t.Errorf("the header reads %q: want the number masked, 登记案源 for the opening and 立案 for the filing", head)
	}
	if first := browsertest.Eval[string](b, `document.querySelector('#history li.event[data-action="create"] .ev-title').textContent`); !strings.Contains(first, "登记案源") {
		t.Errorf("the record's first event reads %q", first)
	}
	b.Shot("case-reveal-1280-masked")
	b.Click("#reveal-id")
	b.WaitFor("the full number", `document.getElementById('case-party-id').textContent === '`+full+`'`)
	if note := b.Text("#reveal-note"); !strings.Contains(note, "已记录查看") {
		t.Errorf("the reveal note reads %q", note)
	}
	b.Shot("case-reveal-1280-revealed")
	d := p.do(http.MethodGet, "/api/v1/cases/"+pay.ID, officerTok, "", nil)
	if reveals, _ := d.Body["reveals"].([]any); len(reveals) != 1 {
		t.Errorf("the case logs %d reveals, want 1: %v", len(reveals), d.Body["reveals"])
	}

	phone := browsertest.New(t, p.URL)
	phone.EmulatePhone()
	loginAs(t, phone, officer1)
	phone.Open("/console/cases/"+pay.ID, "case")
	phone.WaitFor("the party's number", `!!document.getElementById('reveal-id')`)
	if note := phone.Text("#reveal-note"); !strings.Contains(note, "1 次") {
		t.Errorf("the phone page does not say the number was revealed once: %q", note)
	}
	phone.CheckPhoneWidth("the case with the masked number", "case-reveal-375")
	b.CheckClean()
	phone.CheckClean()
}
