package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"zhifa/app/browsertest"
	"zhifa/modules/elements"
	"zhifa/modules/kernel/civil"
)

// TestConsoleOfficerCertificates shows a body's administrator the officers as their certificates
// are today: expired and expiring ones first, each with its state, and the day's certificate
// notice written by the platform's own task (at 1280 px, then at a phone's 375 px).
func TestConsoleOfficerCertificates(t *testing.T) {
	p := startPlatform(t, "sqlite")
	const admin = "youxi.admin@demo.zhifa"
	token := p.login(admin)
	bodies := p.do(http.MethodGet, "/api/v1/bodies?q=1135042609960308UA", token, "", nil)
	list, _ := bodies.Body["bodies"].([]any)
	if len(list) != 1 {
		t.Fatalf("the administrator's body: %d %s", bodies.Status, bodies.Raw)
	}
	bodyID := list[0].(map[string]any)["id"].(string)
	today := civil.DateOf(p.App.Now()) // the platform's clock
	day := func(n int) string { return today.Time().AddDate(0, 0, n).Format("2006-01-02") }
	for _, o := range []struct{ name, id, number, expires string }{
		{"到期测试甲", validResidentID("35042619900101123"), "FJ350426-TEST-0001", day(10)},
		{"过期测试乙", validResidentID("35042619910202124"), "FJ350426-TEST-0002", day(-1)},
	} {
		r := p.do(http.MethodPost, "/api/v1/officers", token, "", map[string]any{"body_id": bodyID, "name": o.name, "id_number": o.id,
			"certificate": map[string]any{"number": o.number, "issued_on": "2021-01-01", "expires_on": o.expires}})
		if r.Status != http.StatusCreated {
			t.Fatalf("create %s: %d %s", o.name, r.Status, r.Raw)
		}
	}
	// The scheduler's task, as the worker receives it.
	task, err := elements.ScanCertificates.NewTask()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := p.App.Mux.ProcessTask(ctx, task); err != nil {
		t.Fatalf("%s: %v", elements.ScanCertificates.Type, err)
	}

	b := browsertest.New(t, p.URL)
	loginAs(t, b, admin)
	show := func() {
		t.Helper()
		b.Open("/console/elements#officers", "elements")
		b.WaitFor("the officers and the notice", `document.querySelectorAll('#list-table tbody tr[data-id]').length > 0 && !document.getElementById('cert-notices').hidden`)
	}
	show()
	states := browsertest.Eval[[]string](b, `[...document.querySelectorAll('#list-table tbody tr[data-id]')].map(tr => tr.querySelector('[data-state]').dataset.state)`)
	rank := map[string]int{"expired": 0, "expiring": 1, "valid": 3}
	for i := 1; i < len(states); i++ {
		r0, ok0 := rank[states[i-1]]
		r1, ok1 := rank[states[i]]
		if !ok0 {
			r0 = 2
		}
		if !ok1 {
			r1 = 2
		}
		if r1 < r0 {
			t.Errorf("officers are not listed expired, expiring, others, valid: %v", states)
			break
		}
	}
	rows := b.Text("#list-table tbody")
	for _, want := range []string{"已过期 expired", "即将到期 expiring", "剩 10 天 10 days left", "已过期 1 天 1 day ago"} {
		if !strings.Contains(rows, want) {
			t.Errorf("the officer list lacks %q:\n%s", want, rows)
		}
	}
	notice := b.Text("#cert-notices")
	for _, want := range []string{"执法证到期提醒", string(today), "尤溪县市场监督管理局",
		"到期测试甲 FJ350426-TEST-0001 " + day(10) + " 到期（剩 10 天 10 days left） expires on " + day(10),
		"过期测试乙 FJ350426-TEST-0002 已于 " + day(-1) + " 到期 expired on " + day(-1)} {
		if !strings.Contains(notice, want) {
			t.Errorf("the notice lacks %q:\n%s", want, notice)
		}
	}
	if strings.Contains(notice, "城市管理局") {
		t.Errorf("the market body's administrator sees another body's notice:\n%s", notice)
	}
	if n := b.Text("#notice-count"); n == "" || n == "0" {
		t.Errorf("the officers tab shows no count: %q", n)
	}
	b.Shot("certificates-officers-1280")

	b.EmulatePhone()
	show()
	b.CheckPhoneWidth("officers", "certificates-officers-375")
	b.CheckClean()
}
