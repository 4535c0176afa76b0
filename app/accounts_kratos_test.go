package app_test

import (
	"bytes"
	"context"
	"net/http"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"zhifa/app"
	"zhifa/app/testenv"
	"zhifa/config"
	"zhifa/modules/identity"
)

// invitation is the text-only invitation e-mail taken apart.
type invitation struct {
	Subject, Text, Link, Code string
}

// awaitInvitation waits for the invitation to addr on sink and takes it apart.
func awaitInvitation(t *testing.T, sink *testenv.SMTPServer, addr string) invitation {
	t.Helper()
	m := sink.Await(t, "invitation to "+addr, 20*time.Second, func(m testenv.SMTPMessage) bool { return slices.Contains(m.To, addr) })
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		t.Fatalf("the invitation: %v", err)
	}
	if ct := msg.Header.Get("Content-Type"); ct != "text/plain; charset=UTF-8" || msg.Header.Get("Content-Transfer-Encoding") != "base64" {
		t.Fatalf("the invitation's content type: %q", ct)
	}
	subject, text := m.PlainText(t)
	inv := invitation{Subject: subject, Text: text}
	if m := regexp.MustCompile(`链接：(\S+)`).FindStringSubmatch(inv.Text); m != nil {
		inv.Link = m[1]
	}
	if m := regexp.MustCompile(`验证码：(\S+)`).FindStringSubmatch(inv.Text); m != nil {
		inv.Code = m[1]
	}
	return inv
}

// TestAccountInviteSuspendKratos runs account management against a real Kratos and a real SMTP
// sink: an operator creates an officer, whose Kratos identity has no password and a verified
// address and who receives an invitation with a recovery link whose flow Kratos knows and a code
// of six digits or more; an officer signed in with Kratos is suspended (its session token answers
// 401 at once and it cannot sign in) and reinstated (it signs in again); each step is audited.
func TestAccountInviteSuspendKratos(t *testing.T) {
	k := testenv.Kratos(t)
	sink := testenv.SMTPSink(t)
	p := startPlatform(t, "sqlite", func(c *config.Config) {
		c.Identity.DevLogin = false
		c.Identity.KratosPublicURL = k.PublicURL
		c.Identity.KratosAdminURL = k.AdminURL
		c.Identity.InviteTTL = 48 * time.Hour
		c.Delivery.SMTP = config.SMTP{Host: sink.Host, Port: sink.Port, From: "noreply@zhifa.fj.gov.cn", TLSMode: config.SMTPNoTLS, Timeout: 5 * time.Second}
	})
	startWorker(t, p.App)
	ctx := context.Background()
	suffix := strings.ToLower(strings.ReplaceAll(t.Name(), "/", "-"))
	opEmail := "op-" + suffix + "@example.gov.cn"
	if _, err := app.BootstrapOperator(ctx, p.App, opEmail, "省平台运维 林建华", "operator-pass-1"); err != nil {
		t.Fatalf("bootstrap: %v", err)
	}
	// staff act at a tenant with a second factor (identity.staff_second_factor)
	op := k.LoginLinkingTOTP(t, opEmail, "operator-pass-1")

	// The invitation.
	invEmail := "invited-" + suffix + "@example.gov.cn"
	before := time.Now()
	r := p.do(http.MethodPost, "/api/v1/accounts", op, "", map[string]any{"email": invEmail, "name": "执法人员 王五", "kind": "officer", "roles": []string{"officer"}})
	if r.Status != http.StatusCreated || r.Body["invite"] != identity.InviteQueued {
		t.Fatalf("create: %d %s", r.Status, r.Raw)
	}
	invID := r.Body["identity_id"].(string)
	ident, _, err := k.AdminClient().IdentityAPI.GetIdentity(ctx, invID).IncludeCredential([]string{"password"}).Execute()
	if err != nil {
		t.Fatalf("the Kratos identity: %v", err)
	}
	if len(ident.VerifiableAddresses) != 1 || !ident.VerifiableAddresses[0].Verified || ident.VerifiableAddresses[0].Value != invEmail {
		t.Errorf("the address is not verified: %+v", ident.VerifiableAddresses)
	}
	if c, ok := ident.GetCredentials()["password"]; ok && c.Config != nil && len(c.Config) > 0 {
		t.Errorf("the invited identity has a password: %+v", c)
	}
	if traits := ident.Traits.(map[string]any); traits["kind"] != "officer" || traits["name"] != "执法人员 王五" {
		t.Errorf("traits: %v", traits)
	}
	inv := awaitInvitation(t, sink, invEmail)
	for _, want := range []string{"执法人员 王五，您好", "省平台运维 林建华邀请您使用执法监督一体化平台（福建省）", "请打开以下链接，输入验证码，设置您的密码",
		"北京时间 " + before.Add(48*time.Hour).In(time.FixedZone("CST", 8*3600)).Format("2006年1月2日"), "Beijing time (UTC+8)",
		"Open the link below, enter the code and set your password"} {
		if !strings.Contains(inv.Text, want) {
			t.Errorf("the invitation does not say %q:\n%s", want, inv.Text)
		}
	}
	if !strings.Contains(inv.Subject, "邀请您使用执法监督一体化平台") || !regexp.MustCompile(`^[0-9]{6,}$`).MatchString(inv.Code) {
		t.Errorf("subject %q, code %q", inv.Subject, inv.Code)
	}
	link, err := url.Parse(inv.Link)
	// The link opens the recovery page the Kratos configuration names (selfservice.flows.recovery.ui_url).
	if err != nil || link.Path != "/auth/recovery" || link.Query().Get("flow") == "" {
		t.Fatalf("the recovery link: %q", inv.Link)
	}
	flow, _, err := k.PublicClient().FrontendAPI.GetRecoveryFlow(ctx).Id(link.Query().Get("flow")).Execute()
	if err != nil || flow.Id != link.Query().Get("flow") || flow.ExpiresAt.Before(before.Add(47*time.Hour)) {
		t.Errorf("Kratos does not know the recovery flow %s: %v", link.Query().Get("flow"), err)
	}

	// Suspension of an officer signed in with Kratos.
	offEmail := "suspended-" + suffix + "@example.gov.cn"
	r = p.do(http.MethodPost, "/api/v1/accounts", op, "", map[string]any{"email": offEmail, "name": "执法人员 赵六", "kind": "officer", "password": "officer-pass-1", "roles": []string{"officer"}})
	if r.Status != http.StatusCreated || r.Body["invite"] != identity.InviteNone {
		t.Fatalf("create with a password: %d %s", r.Status, r.Raw)
	}
	offID := r.Body["identity_id"].(string)
	off := k.Login(t, offEmail, "officer-pass-1")
	if r := p.do(http.MethodGet, "/api/v1/me", off, "", nil); r.Status != http.StatusOK {
		t.Fatalf("the officer: %d %s", r.Status, r.Raw)
	}
	if r := p.do(http.MethodPost, "/api/v1/accounts/"+offID+"/suspend", op, "", nil); r.Status != http.StatusOK {
		t.Fatalf("suspend: %d %s", r.Status, r.Raw)
	}
	if r := p.do(http.MethodGet, "/api/v1/me", off, "", nil); r.Status != http.StatusUnauthorized {
		t.Errorf("the suspended officer's session: %d %s", r.Status, r.Raw)
	}
	if _, _, err := k.PublicClient().FrontendAPI.ToSession(ctx).XSessionToken(off).Execute(); err == nil {
		t.Errorf("Kratos still accepts the suspended officer's session token")
	}
	if _, err := k.TryLogin(offEmail, "officer-pass-1"); err == nil {
		t.Errorf("the suspended officer signs in")
	}
	if r := p.do(http.MethodPost, "/api/v1/accounts/"+offID+"/reinstate", op, "", nil); r.Status != http.StatusOK {
		t.Fatalf("reinstate: %d %s", r.Status, r.Raw)
	}
	off = k.Login(t, offEmail, "officer-pass-1")
	if r := p.do(http.MethodGet, "/api/v1/me", off, "", nil); r.Status != http.StatusOK {
		t.Errorf("the reinstated officer: %d %s", r.Status, r.Raw)
	}

	var got []string
	for _, a := range p.audit(op) {
		got = append(got, a.Action+":"+a.Name)
	}
	want := []string{"reinstated:执法人员 赵六", "suspended:执法人员 赵六", "granted:执法人员 赵六", "account_created:执法人员 赵六",
		"granted:执法人员 王五", "account_created:执法人员 王五"}
	if len(got) < len(want) || strings.Join(got[:len(want)], " ") != strings.Join(want, " ") {
		t.Errorf("audit: %v, want first %v", got, want)
	}
}
