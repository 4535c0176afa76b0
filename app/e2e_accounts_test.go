package app_test

import (
	"strings"
	"testing"

	"zhifa/app/browsertest"
)

// TestConsoleAccounts drives the people page in Chromium as the county operator (dev login): the
// people of the tenant with their roles, a search, suspending and reinstating an officer, a new
// account (no invitation without Kratos) given a role, the audit list; at 1280 px and at a
// phone's 375 px, without overflow. ZHIFA_SCREENSHOTS keeps accounts-desktop and mobile-accounts.
func TestConsoleAccounts(t *testing.T) {
	p := startPlatform(t, "sqlite")
	b := browsertest.New(t, p.URL)
	loginAs(t, b, youxiOp)
	b.Open("/console/accounts", "accounts")
	b.WaitFor("the people", `document.querySelectorAll('#people-table tbody tr[data-id]').length >= 3`)
	if nav := b.Text(".mainnav"); !strings.Contains(nav, "人员与权限") || !strings.Contains(nav, "People and roles") {
		t.Errorf("the navigation lacks the page: %s", nav)
	}
	table := b.Text("#people-table")
	for _, want := range []string{"执法人员 李明辉", officer1, "执法人员 officer", "主体管理员 许婷", "执法主体管理员 body_admin", "正常 active"} {
		if !strings.Contains(table, want) {
			t.Errorf("the people table lacks %q:\n%s", want, table)
		}
	}
	if strings.Contains(table, "林建华") {
		t.Errorf("the county lists the province's operator:\n%s", table)
	}
	// The operator may give every staff role, the kind operator included; never to itself.
	roles := b.Text("#g-role")
	for _, want := range []string{"执法人员 officer", "平台运维 tenant_operator", "执法主体负责人 body_head"} {
		if !strings.Contains(roles, want) {
			t.Errorf("the grant form's roles lack %q: %s", want, roles)
		}
	}
	if persons := b.Text("#g-person"); strings.Contains(persons, "郑晓燕") {
		t.Errorf("the operator may grant to itself: %s", persons)
	}
	if !browsertest.Eval[bool](b, `!document.getElementById('audit-card').hidden`) {
		t.Errorf("the operator sees no audit")
	}

	// Search.
	b.SetValue("#q", "李明")
	b.Click(`#search-form button[type="submit"]`)
	b.WaitFor("one person", `document.querySelectorAll('#people-table tbody tr[data-id]').length === 1`)
	id := browsertest.Eval[string](b, `document.querySelector('#people-table tbody tr[data-id]').dataset.id`)

	// Suspend and reinstate.
	browsertest.Eval[bool](b, `(window.confirm = () => true, true)`)
	b.Click(`button[data-suspend="` + id + `"]`)
	b.WaitFor("suspended", `document.querySelector('#people-table tbody tr[data-state="suspended"]') !== null`)
	if got := b.Text("#people-note"); !strings.Contains(got, "已停用") || !strings.Contains(got, "执法人员 李明辉") {
		t.Errorf("after suspending: %q", got)
	}
	b.WaitFor("the audit row", `document.querySelector('#audit-table tr[data-action="suspended"]') !== null`)
	b.Shot("accounts-suspended")
	b.Click(`button[data-reinstate="` + id + `"]`)
	b.WaitFor("reinstated", `document.querySelector('#people-table tbody tr[data-state="active"]') !== null`)

	// A new account, then a role at a body.
	b.SetValue("#a-email", "wang.wu@demo.zhifa")
	b.SetValue("#a-name", "执法人员 王五")
	b.SetValue("#a-role", "officer")
	b.Click(`#account-form button[type="submit"]`)
	b.WaitFor("registered", `!document.querySelector('#account-form .form-ok').hidden`)
	if got := b.Text("#account-form .form-ok"); !strings.Contains(got, "已登记") || !strings.Contains(got, "不发送邀请") {
		t.Errorf("after registering: %q", got)
	}
	b.SetValue("#q", "wang.wu")
	b.Click(`#search-form button[type="submit"]`)
	b.WaitFor("the new person", `document.querySelector('#people-table tbody').textContent.includes('执法人员 王五')`)
	b.SetValue("#g-role", "legal_reviewer")
	b.WaitFor("the body choices", `document.querySelectorAll('#g-body option').length >= 2`)
	b.Click(`#grant-form button[type="submit"]`)
	b.WaitFor("granted", `!document.querySelector('#grant-form .form-ok').hidden`)
	if got := b.Text("#people-table"); !strings.Contains(got, "法制审核人员 legal_reviewer") {
		t.Errorf("the new person's roles: %s", got)
	}
	audit := b.Text("#audit-table")
	for _, want := range []string{"登记账号 account created", "授予 granted", "停用 suspended", "恢复 reinstated", "尤溪县平台运维 郑晓燕"} {
		if !strings.Contains(audit, want) {
			t.Errorf("the audit lacks %q:\n%s", want, audit)
		}
	}
	b.SetValue("#q", "")
	b.Click(`#search-form button[type="submit"]`)
	b.WaitFor("everyone", `document.querySelectorAll('#people-table tbody tr[data-id]').length >= 4`)
	b.Shot("accounts-desktop")

	b.EmulatePhone()
	b.Open("/console/accounts", "accounts")
	b.WaitFor("the people", `document.querySelectorAll('#people-table tbody tr[data-id]').length >= 4`)
	b.CheckPhoneWidth("accounts", "mobile-accounts")
	b.CheckClean()
}
