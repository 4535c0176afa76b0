package app_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"zhifa/app/browsertest"
	"zhifa/config"
)

// TestPublicDisclosurePages: a member of the public, on a phone and without signing in, finds the
// demo's published decisions, searches by the party's name, and opens one: its summary, facts,
// basis and history in Chinese with English, no identity number or phone number anywhere; an
// unknown record is 404, a bad date is the page with its message (400).
func TestPublicDisclosurePages(t *testing.T) {
	p, _ := startMailingPlatform(t) // the demo's decisions are published by the worker
	poll(t, "the demo's decisions published", 30*time.Second, func() bool {
		r := p.do(http.MethodGet, "/api/v1/public/disclosures", "", "", nil)
		total, _ := r.Body["total"].(float64)
		return r.Status == http.StatusOK && total > 0
	})
	b := browsertest.New(t, p.URL)
	b.EmulatePhone()
	// The way in: the verification page every served decision's QR code opens links the list.
	b.Navigate("/verify")
	b.WaitFor("the verification page", `!!document.querySelector('footer a[href="/public/disclosures"]')`)
	b.Click(`footer a[href="/public/disclosures"]`)
	b.WaitFor("the list", `document.body.dataset.page === 'disclosures' && !!document.getElementById('results')`)
	if n := browsertest.Eval[int](b, `document.querySelectorAll('#results li.disclosure').length`); n == 0 {
		t.Fatal("the public list is empty")
	}
	list := b.Text("#results")
	for _, want := range []string{"王小明", "自然人", "罚款", "尤溪县市场监督管理局", "公示期"} {
		if !strings.Contains(list, want) {
			t.Errorf("the list lacks %q:\n%s", want, list)
		}
	}
	b.CheckPhoneWidth("the public list", "disclosure-01-list")

	b.SetValue("#q", "王小明")
	b.Click(`form.public-search button[type="submit"]`)
	b.WaitFor("the search", `location.search.includes('q=') && !!document.getElementById('results')`)
	for _, name := range browsertest.Eval[[]string](b, `[...document.querySelectorAll('#results li.disclosure h2 a')].map(a => a.textContent)`) {
		if name != "王小明" {
			t.Errorf("searching 王小明 lists %q", name)
		}
	}
	b.Click(`#results li.disclosure h2 a`)
	b.WaitFor("the record", `document.body.dataset.page === 'disclosure' && !!document.getElementById('summary')`)
	summary := b.Text("#summary")
	for _, want := range []string{"王小明（自然人）", "决定书文号", "罚款", "¥", "尤溪县市场监督管理局", "公示期"} {
		if !strings.Contains(summary, want) {
			t.Errorf("the summary lacks %q:\n%s", want, summary)
		}
	}
	if b.Text("#facts") == "" || b.Text("#basis") == "" || !strings.Contains(b.Text("#history"), "公示") {
		t.Errorf("facts %q, basis %q, history %q", b.Text("#facts"), b.Text("#basis"), b.Text("#history"))
	}
	page := browsertest.Eval[string](b, `document.body.innerText`)
	// an identity number, or a mobile number standing alone (not inside the body's USCC)
	if m := regexp.MustCompile(`(^|[^0-9A-Z])(\d{17}[\dXx]|1[3-9]\d{9})([^0-9A-Z]|$)`).FindString(page); m != "" {
		t.Errorf("the public record shows %q", m)
	}
	b.CheckPhoneWidth("the public record", "disclosure-02-record")

	// 事前公开: the bodies, their certified officers and matters, never an identity number.
	b.Navigate("/public/disclosures")
	b.WaitFor("the list", `document.body.dataset.page === 'disclosures'`)
	b.Click(`a[href="/public/bodies"]`)
	b.WaitFor("the directory", `document.body.dataset.page === 'bodies' && document.querySelectorAll('section.body').length > 0`)
	dir := b.Text("main")
	for _, want := range []string{"尤溪县市场监督管理局", "执法证", "有效期至", "执法事项", "SC-FS-0002", "行政机关"} {
		if !strings.Contains(dir, want) {
			t.Errorf("the directory lacks %q", want)
		}
	}
	if m := regexp.MustCompile(`(^|[^0-9A-Z])\d{17}[\dXx]([^0-9A-Z]|$)`).FindString(dir); m != "" {
		t.Errorf("the directory shows an identity number %q", m)
	}
	b.CheckPhoneWidth("the directory", "disclosure-03-bodies")
	b.EmulateDesktop()
	b.Navigate("/public/disclosures?q=" + url.QueryEscape("王小明"))
	b.WaitFor("the list at 1280 px", `document.body.dataset.page === 'disclosures' && !!document.getElementById('results')`)
	b.Shot("disclosure-06-list-desktop")

	for path, want := range map[string]int{"/public/bodies?tenant=99": 404, "/public/disclosures/01a1ff72-0000-7000-8000-000000000000": 404, "/public/disclosures?from=2026-13-45": 400} {
		resp, err := http.Get(p.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s: %d, want %d", path, resp.StatusCode, want)
		}
	}
	b.CheckClean()
}

// TestPublicDisclosureRateLimit: an address past disclosure.searches_per_ip is answered 429 with
// Retry-After, by the API and the pages alike (one count for both).
func TestPublicDisclosureRateLimit(t *testing.T) {
	p := startPlatform(t, "sqlite", func(c *config.Config) { c.Disclosure.SearchesPerIP = 3 })
	for i, path := range []string{"/api/v1/public/disclosures", "/public/disclosures", "/api/v1/public/disclosures?q=王"} {
		resp, err := http.Get(p.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("read %d (%s): %d", i+1, path, resp.StatusCode)
		}
	}
	for _, path := range []string{"/public/disclosures", "/api/v1/public/disclosures/01a1ff72-0000-7000-8000-000000000000"} {
		resp, err := http.Get(p.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" || !strings.Contains(string(body), "请求过于频繁") {
			t.Errorf("%s past the limit: %d %q %s", path, resp.StatusCode, resp.Header.Get("Retry-After"), body)
		}
	}
}

// TestConsoleDisclosures: the body head sees the body's records due soonest first, opens one and
// reads the public text beside the original, and withdraws it with the day of the revocation and a
// public explanation; the public page of the record then says it is no longer published.
func TestConsoleDisclosures(t *testing.T) {
	p, _ := startMailingPlatform(t)
	poll(t, "the demo's decisions published", 30*time.Second, func() bool {
		r := p.do(http.MethodGet, "/api/v1/public/disclosures", "", "", nil)
		total, _ := r.Body["total"].(float64)
		return total >= 3
	})
	b := browsertest.New(t, p.URL)
	loginAs(t, b, "youxi.head@demo.zhifa")
	b.Open("/console/disclosures", "disclosures")
	b.WaitFor("the records", `document.querySelectorAll('#records-table tbody tr[data-id]').length >= 3`)
	rows := b.Text("#records-table tbody")
	for _, want := range []string{"尤市监罚", "王小明", "公示中", "至"} {
		if !strings.Contains(rows, want) {
			t.Errorf("the records lack %q:\n%s", want, rows)
		}
	}
	// the demo's oldest decision was published after its 7 working days: marked late
	if n := browsertest.Eval[int](b, `document.querySelectorAll('#records-table tbody .overdue').length`); n == 0 {
		t.Error("no record is marked late, though the demo's first decision was published after its due day")
	}
	b.Shot("disclosure-04-console")
	id := browsertest.Eval[string](b, `document.querySelector('#records-table tbody tr[data-state="published"]').dataset.id`)
	b.Click(fmt.Sprintf(`#records-table tbody tr[data-id=%q] button`, id))
	b.WaitFor("the review", `!document.getElementById('review').hidden && !document.getElementById('withdraw-form').hidden`)
	if b.Text("#review-public") == "" || b.Text("#review-original") == "" {
		t.Errorf("the review shows %q beside %q", b.Text("#review-public"), b.Text("#review-original"))
	}
	b.SetValue("#revoked-on", chinaDay(0))
	b.SetValue("#withdraw-why", "该处罚决定已被依法撤销。")
	b.Click(`#withdraw-form button[type="submit"]`)
	b.WaitFor("withdrawn", `!document.getElementById('review-note').hidden && document.querySelector('#records-table tbody tr[data-id="`+id+`"]').dataset.state === 'withdrawn'`)
	if h := b.Text("#review-history"); !strings.Contains(h, "已撤回") || !strings.Contains(h, "该处罚决定已被依法撤销") {
		t.Errorf("the history reads %q", h)
	}
	b.EmulatePhone()
	b.CheckPhoneWidth("the disclosures page", "disclosure-05-console-phone")
	resp, err := http.Get(p.URL + "/public/disclosures/" + id)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("the withdrawn record's public page: %d, want 404", resp.StatusCode)
	}
	b.CheckClean()
}
