package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"zhifa/app"
	"zhifa/app/browsertest"
	"zhifa/app/testenv"
	"zhifa/config"
	"zhifa/tenants"
)

// signinPlatform is a production-shaped platform for the sign-in scenarios: the dev login off,
// a real Kratos whose self-service UI is the platform's /auth pages (through its tunnel), and
// Kratos' and the platform's e-mail going to one real SMTP server; the demo data loaded.
type signinPlatform struct {
	*platform
	kratos *testenv.KratosServer
	sink   *testenv.SMTPServer
	suffix string // unique per run: Kratos and the sink outlive nothing, but names stay readable
}

func startSigninPlatform(t *testing.T) *signinPlatform {
	t.Helper()
	sink := testenv.SMTPSink(t)
	var k *testenv.KratosServer
	p := startPlatform(t, "sqlite", func(c *config.Config) {
		k = testenv.KratosFor(t, testenv.KratosOptions{UIBase: c.HTTP.PublicURL,
			SMTP: fmt.Sprintf("smtp://%s/?disable_starttls=true", sink.Addr)})
		c.Identity.DevLogin = false
		c.Identity.KratosPublicURL = k.PublicURL
		c.Identity.KratosAdminURL = k.AdminURL
		c.Delivery.SMTP = config.SMTP{Host: sink.Host, Port: sink.Port, From: "no-reply@zhifa.example", TLSMode: config.SMTPNoTLS, Timeout: 5 * time.Second}
	})
	if err := app.SeedDemo(context.Background(), p.App); err != nil {
		t.Fatal(err)
	}
	startWorker(t, p.App) // the invitations are tasks
	return &signinPlatform{platform: p, kratos: k, sink: sink, suffix: uuid.NewString()[:8]}
}

var sixDigits = regexp.MustCompile(`\b(\d{6})\b`)

// codeMailed waits for the e-mail to addr whose subject contains subject and returns the
// six-digit code in its text.
func (s *signinPlatform) codeMailed(t *testing.T, addr, subject string) string {
	t.Helper()
	m := s.sink.Await(t, "e-mail to "+addr+" about "+subject, 30*time.Second, func(m testenv.SMTPMessage) bool {
		subj, _ := m.PlainText(t)
		return len(m.To) == 1 && m.To[0] == addr && strings.Contains(subj, subject)
	})
	subj, text := m.PlainText(t)
	c := sixDigits.FindStringSubmatch(text)
	if c == nil {
		t.Fatalf("the e-mail %q holds no code:\n%s", subj, text)
	}
	return c[1]
}

// onAuthPage waits until the browser shows the self-service page of flow ("login", ...).
func onAuthPage(b *browsertest.Browser, flow string) {
	b.WaitFor("the "+flow+" page", fmt.Sprintf(`document.body && document.body.dataset.page === "auth-%s" && location.search.includes("flow=")`, flow))
}

// submitForm clicks the submit button of the form holding sel's field, with method value.
func submitForm(b *browsertest.Browser, method string) {
	b.Click(fmt.Sprintf(`form button[name="method"][value=%q]`, method))
}

// signInWithPassword fills the sign-in page's password form and sends it.
func signInWithPassword(b *browsertest.Browser, email, password string) {
	b.SetValue(`input[name="identifier"]`, email)
	b.SetValue(`input[name="password"]`, password)
	submitForm(b, "password")
}

// TestSignInStaffScenario: the operator creates an officer; the officer sets a password from the
// e-mailed invitation (a Kratos recovery link and code), links an authenticator app, is asked for its code when opening the
// console, opens and works a case, signs out; a wrong password and a replayed or unknown flow
// get Kratos' messages in Chinese with English, never a 500. Pages at 375 px and 1280 px.
func TestSignInStaffScenario(t *testing.T) {
	s := startSigninPlatform(t)
	ctx := context.Background()

	// The operator, bootstrapped, with an authenticator (the tenant asks staff for one).
	opEmail := "op-" + s.suffix + "@example.gov.cn"
	if _, err := app.BootstrapOperator(ctx, s.App, opEmail, "省平台运维", "operator-pass-1"); err != nil {
		t.Fatal(err)
	}
	opTok := s.kratos.LoginLinkingTOTP(t, opEmail, "operator-pass-1")
	ensureCalendarAheadAs(t, s.platform, opTok)

	// The operator registers the officer at the county's market regulator, without a password.
	var bodyID string
	if err := tenants.RunInTx(ctx, s.App.DB, tenants.System("test: the demo county body"), func(ctx context.Context, tx bun.Tx) error {
		return tx.NewRaw("SELECT id FROM bodies WHERE name = ?", "尤溪县市场监督管理局").Scan(ctx, &bodyID)
	}); err != nil {
		t.Fatal(err)
	}
	email := "officer-" + s.suffix + "@example.gov.cn"
	acc := s.do(http.MethodPost, "/api/v1/accounts", opTok, "350426", map[string]any{
		"email": email, "name": "林执法", "kind": "officer", "roles": []string{"officer"}, "body_id": bodyID})
	if acc.Status != http.StatusCreated {
		t.Fatalf("create the officer: %d %s", acc.Status, acc.Raw)
	}
	identityID := acc.Body["identity_id"].(string)
	if r := s.do(http.MethodPost, "/api/v1/officers", opTok, "350426", map[string]any{"body_id": bodyID, "name": "林执法",
		"id_number": validResidentID("35042619900303101"), "identity_id": identityID,
		"certificate": map[string]any{"number": "FJ350426-SIGN-" + s.suffix[:4], "issued_on": "2024-01-01", "expires_on": "2029-12-31"}}); r.Status != http.StatusCreated {
		t.Fatalf("register the officer's certificate: %d %s", r.Status, r.Raw)
	}

	b := browsertest.New(t, s.URL)
	// Signing in with no password yet: Kratos' message, in Chinese with its English.
	b.Navigate("/console")
	onAuthPage(b, "login")
	if got := b.Path(); !strings.HasPrefix(got, "/auth/login?flow=") {
		t.Errorf("the console sends a visitor to %s", got)
	}
	b.Shot("signin-01-login")
	signInWithPassword(b, email, "no-password-yet")
	onAuthPage(b, "login")
	b.WaitFor("the refusal", `!!document.querySelector('.notice-error')`)
	if msg := b.Text(".notice-error"); !strings.Contains(msg, "账号或密码不正确") || !strings.Contains(msg, "credentials are invalid") {
		t.Errorf("a wrong password reads %q", msg)
	}
	b.Shot("signin-02-wrong-password")

	// First password: the invitation e-mailed at the account's creation opens the recovery page;
	// its code opens the settings.
	inv := awaitInvitation(t, s.sink, email)
	if !strings.HasPrefix(inv.Link, s.URL+"/auth/recovery?flow=") {
		t.Fatalf("the invitation links %q", inv.Link)
	}
	b.Navigate(strings.TrimPrefix(inv.Link, s.URL))
	onAuthPage(b, "recovery")
	b.WaitFor("the code form", `!!document.querySelector('input[name="code"]')`)
	b.Shot("signin-03-invitation")
	b.SetValue(`input[name="code"]`, inv.Code)
	submitForm(b, "code")
	onAuthPage(b, "settings")
	b.WaitFor("the password form", `!!document.querySelector('form input[name="password"]')`)
	b.Shot("signin-04-settings")
	b.EmulatePhone()
	b.CheckPhoneWidth("the settings page", "signin-04-settings-phone")
	b.EmulateDesktop()
	if head := b.Text("#auth-title"); !strings.Contains(head, "账号设置") {
		t.Errorf("the settings page is titled %q", head)
	}
	if got := b.Text(".field .mono"); got != email {
		t.Errorf("the settings show the sign-in e-mail %q, want %s (not editable)", got, email)
	}
	b.SetValue(`input[name="password"]`, "Officer-pass-2026")
	submitForm(b, "password")
	b.WaitFor("the password saved", `[...document.querySelectorAll('.notice')].some(e => e.textContent.includes('已保存'))`)

	// The authenticator: the QR code and the secret, then a code from it.
	secret := strings.TrimSpace(b.Text("#totp_secret_key"))
	if secret == "" || !browsertest.Eval[bool](b, `document.getElementById('totp_qr').src.startsWith('data:image/png')`) {
		t.Fatalf("the settings page shows no authenticator QR code or secret (%q)", secret)
	}
	b.Shot("signin-05-totp")
	b.SetValue(`input[name="totp_code"]`, testenv.TOTPCode(t, secret))
	submitForm(b, "totp")
	b.WaitFor("the authenticator linked", `!!document.querySelector('button[name="totp_unlink"]')`)

	// Linking the authenticator proved it: this session counts as signed in with both factors.
	b.Navigate("/console/cases")
	b.WaitReady("cases")

	// Work a case: open one from a lead with a colleague, and verify the lead.
	fillLeadCase(b)
	browsertest.Eval[bool](b, `(() => { const e = [...document.querySelectorAll('#n-officers input')].find(i => !i.checked); e.checked = true; e.dispatchEvent(new Event('change', {bubbles: true})); return true })()`)
	b.Click("#case-submit")
	b.WaitFor("the new case", `location.pathname.startsWith('/console/cases/') && document.body.dataset.page === 'case' && document.body.dataset.ready === 'true'`)
	casePath := browsertest.Eval[string](b, `location.pathname`)
	c := casePage{t: t, b: b}
	if head := b.Text("#case-head"); !strings.Contains(head, "尤溪县醇香酒业商行") || !strings.Contains(head, "尤溪县市场监督管理局") {
		t.Errorf("the case's head reads %q", head)
	}
	c.take("verify", "verified", func() {
		b.SetValue("#a-verify-findings", "现场核实：货架上有散装白酒 20 斤，无法提供供货者许可证。")
	})

	// Sign out: the session ends at Kratos, and the console asks to sign in again.
	b.Click("a.logout")
	b.WaitFor("signed out", `location.pathname === "/login" && document.body.textContent.includes("已退出登录")`)
	b.Shot("signin-06-signed-out")
	b.Navigate(casePath)
	onAuthPage(b, "login")

	// Signing in again: the password, then the authenticator's code; a wrong code is refused.
	signInWithPassword(b, email, "Officer-pass-2026")
	onAuthPage(b, "login")
	b.WaitFor("the second step", `!!document.querySelector('input[name="totp_code"]')`)
	if head := b.Text("#auth-title"); !strings.Contains(head, "双因素认证") {
		t.Errorf("the second step is titled %q", head)
	}
	b.Shot("signin-07-aal2")
	b.EmulatePhone()
	b.CheckPhoneWidth("the second-factor page", "signin-07-aal2-phone")
	b.EmulateDesktop()
	b.SetValue(`input[name="totp_code"]`, "000000")
	submitForm(b, "totp")
	onAuthPage(b, "login")
	b.WaitFor("the wrong code refused", `!!document.querySelector('.field-error, .notice-error')`)
	if msg := b.Text("main"); !strings.Contains(msg, "动态验证码不正确") || !strings.Contains(msg, "authentication code is invalid") {
		t.Errorf("a wrong authenticator code reads %q", msg)
	}
	replay := b.Path() // this flow, about to be used
	b.SetValue(`input[name="totp_code"]`, testenv.TOTPCode(t, secret))
	submitForm(b, "totp")
	b.WaitReady("case")
	if got := b.Path(); got != casePath {
		t.Errorf("after the second factor the officer is at %s, want %s", got, casePath)
	}

	// A used flow and an unknown one start afresh, never a 500.
	for _, path := range []string{replay, "/auth/login?flow=" + uuid.NewString(), "/auth/error?id=" + uuid.NewString()} {
		resp, err := http.Get(s.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode >= 500 {
			t.Errorf("GET %s: %d", path, resp.StatusCode)
		}
	}
	// In the browser, the used flow: its form again, and sending it again is answered by Kratos.
	b.Navigate(replay)
	b.WaitFor("a page", `document.body && document.body.dataset.page !== undefined`)
	if !browsertest.Eval[bool](b, `!!document.querySelector('input[name="totp_code"]')`) {
		t.Fatalf("the used flow shows %s", b.Path())
	}
	b.SetValue(`input[name="totp_code"]`, testenv.TOTPCode(t, secret))
	submitForm(b, "totp")
	b.WaitReady("dashboard") // Kratos: signed in already, so to the platform
	if got := b.Path(); got != "/console" {
		t.Errorf("a replayed flow ends at %s, want the console", got)
	}

	// Suspended by the operator, the officer's session stops working at once, and signing in is refused.
	if r := s.do(http.MethodPost, "/api/v1/accounts/"+identityID+"/suspend", opTok, "350426", nil); r.Status != http.StatusOK {
		t.Fatalf("suspend: %d %s", r.Status, r.Raw)
	}
	b.Navigate("/console/cases")
	onAuthPage(b, "login")
	signInWithPassword(b, email, "Officer-pass-2026")
	b.WaitFor("the refusal", `!!document.querySelector('.notice-error')`)
	b.Shot("signin-09-suspended")
	if msg := b.Text(".notice-error"); !strings.Contains(msg, "账号已停用") || !strings.Contains(msg, "disabled") {
		t.Errorf("a suspended officer's sign-in reads %q", msg)
	}
	b.CheckClean()
}

// TestSignInCitizenScenario: a citizen registers, verifies the e-mail with the code Kratos sends,
// signs in on the way to the case's code, proves to be its party and pays the fine (simulated),
// then recovers a forgotten password with the code Kratos e-mails and signs in with the new one;
// an unverified account cannot sign in, and no account kind is offered at registration.
func TestSignInCitizenScenario(t *testing.T) {
	s := startSigninPlatform(t)
	ctx := context.Background()
	var found struct {
		ID   string `bun:"id"`
		Code string `bun:"code"`
	}
	if err := tenants.RunInTx(ctx, s.App.DB, tenants.System("test: the demo case's code, as printed on its documents"), func(ctx context.Context, tx bun.Tx) error {
		return tx.NewRaw("SELECT id, code FROM cases WHERE title = ?", demoPayTitle).Scan(ctx, &found)
	}); err != nil {
		t.Fatal(err)
	}
	email := "citizen-" + s.suffix + "@example.com"

	b := browsertest.New(t, s.URL)
	b.EmulatePhone()
	b.Navigate("/auth/registration")
	onAuthPage(b, "registration")
	if browsertest.Eval[bool](b, `!!document.querySelector('[name="traits.kind"]')`) {
		t.Error("the registration offers an account kind")
	}
	b.CheckPhoneWidth("the registration page", "signin-11-registration")
	b.SetValue(`input[name="traits.email"]`, email)
	b.SetValue(`input[name="traits.name"]`, "王小明")
	b.SetValue(`input[name="password"]`, "Citizen-pass-2026")
	submitForm(b, "password")
	onAuthPage(b, "verification")
	code := s.codeMailed(t, email, "邮箱验证码")

	// Not verified yet: the sign-in is refused with Kratos' reason.
	b2 := browsertest.New(t, s.URL)
	b2.Navigate("/auth/login")
	onAuthPage(b2, "login")
	signInWithPassword(b2, email, "Citizen-pass-2026")
	b2.WaitFor("the refusal", `!!document.querySelector('.notice-error')`)
	if msg := b2.Text(".notice-error"); !strings.Contains(msg, "请先验证您的邮箱") {
		t.Errorf("an unverified sign-in reads %q", msg)
	}

	b.CheckPhoneWidth("the verification page", "signin-12-verification")
	b.SetValue(`input[name="code"]`, code)
	submitForm(b, "code")
	b.WaitFor("verified", `[...document.querySelectorAll('.notice')].some(e => e.textContent.includes('邮箱已验证'))`)

	// Sign in on the way to the case's code, prove, pay.
	next := "/portal/c/" + found.Code
	b.Navigate("/portal/login?next=" + url.QueryEscape(next))
	onAuthPage(b, "login")
	signInWithPassword(b, email, "Citizen-pass-2026")
	b.WaitReady("lookup")
	if got := b.Path(); got != next {
		t.Errorf("after signing in the citizen is at %s, want %s", got, next)
	}
	if portalLookUp(t, b, found.Code, demoProof) != "" {
		t.Fatal("the right proof did not open the case")
	}
	b.WaitFor("the quote", `!document.getElementById('quote').hidden`)
	b.Click("#pay-submit")
	b.WaitFor("the simulated payment page", `location.pathname.startsWith('/portal/pay/simulate/') && !!document.querySelector('button.confirm')`)
	b.Click("button.confirm")
	b.WaitReady("payment")
	b.WaitFor("the payment confirmed", `document.getElementById('payment').dataset.paid === 'true'`)

	// A forgotten password: recovery with the code Kratos e-mails, a new password, and in again.
	b.Click("#nav-logout")
	b.WaitFor("signed out", `location.pathname === "/login" && document.body.textContent.includes("已退出登录")`)
	b.Navigate("/auth/login")
	onAuthPage(b, "login")
	b.Click(`a[href="/auth/recovery"]`)
	onAuthPage(b, "recovery")
	b.SetValue(`input[name="email"]`, email)
	submitForm(b, "code")
	b.WaitFor("the code form", `!!document.querySelector('input[name="code"]')`)
	if msg := b.Text(".notice"); !strings.Contains(msg, "验证码的邮件已发送") {
		t.Errorf("after asking for a code the page reads %q", msg)
	}
	b.CheckPhoneWidth("the recovery page", "signin-13-recovery")
	b.SetValue(`input[name="code"]`, s.codeMailed(t, email, "找回账号验证码"))
	submitForm(b, "code")
	onAuthPage(b, "settings")
	b.SetValue(`input[name="password"]`, "Citizen-pass-2027")
	submitForm(b, "password")
	b.WaitFor("the password saved", `[...document.querySelectorAll('.notice')].some(e => e.textContent.includes('已保存'))`)
	b.Click(`a[href="/auth/logout"]`)
	b.WaitFor("signed out", `location.pathname === "/login"`)
	b.Navigate("/portal/login?next=" + url.QueryEscape(next))
	onAuthPage(b, "login")
	signInWithPassword(b, email, "Citizen-pass-2027")
	b.WaitReady("case") // the code of a case already claimed opens the case
	if got := b.Path(); got != "/portal/cases/"+found.ID {
		t.Errorf("signed in again, the citizen is at %s, want the case", got)
	}
	b.CheckClean()
}
