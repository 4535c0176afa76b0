package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"zhifa/app"
	"zhifa/app/testenv"
	"zhifa/config"
	"zhifa/modules/identity"
)

// TestKratosLoginWhoamiPrincipal runs the production identity path against a real Kratos server:
// the dev login is off, a bootstrapped operator signs in with Kratos, is sent to set up the
// second factor the tenant asks staff for, links an authenticator, signs in with its code,
// registers an officer (a new Kratos identity), and each session token resolves to the right
// principal.
func TestKratosLoginWhoamiPrincipal(t *testing.T) {
	k := testenv.Kratos(t)
	p := startPlatform(t, "sqlite", func(c *config.Config) {
		c.Identity.DevLogin = false
		c.Identity.KratosPublicURL = k.PublicURL
		c.Identity.KratosAdminURL = k.AdminURL
	})
	ctx := context.Background()
	suffix := strings.ReplaceAll(t.Name(), "/", "-")
	opEmail := "op-" + strings.ToLower(suffix) + "@example.gov.cn"
	if _, err := app.BootstrapOperator(ctx, p.App, opEmail, "省平台运维", "operator-pass-1"); err != nil {
		t.Fatalf("bootstrap: %v", err)
	}
	opTok := k.Login(t, opEmail, "operator-pass-1")

	me := p.do(http.MethodGet, "/api/v1/me", opTok, "", nil)
	if me.Status != http.StatusOK || !strings.Contains(string(me.Raw), `"role":"tenant_operator","tenant_id":"35"`) ||
		!strings.Contains(string(me.Raw), `"second_factor":false`) {
		t.Fatalf("operator whoami: %d %s", me.Status, me.Raw)
	}
	// Staff act at a tenant only with a second factor (identity.staff_second_factor, on by default).
	if r := p.do(http.MethodGet, "/api/v1/tenants", opTok, "", nil); r.Status != http.StatusUnauthorized ||
		r.Body["next"] != identity.SecondFactorSetup || !strings.Contains(string(r.Raw), "双因素认证") {
		t.Fatalf("operator without a second factor lists tenants: %d %s", r.Status, r.Raw)
	}
	secret := k.EnableTOTP(t, opTok)
	// With an authenticator linked, a password-only session no longer counts (Kratos: aal2 required).
	if r := p.do(http.MethodGet, "/api/v1/me", k.Login(t, opEmail, "operator-pass-1"), "", nil); r.Status != http.StatusUnauthorized || r.Body["next"] != identity.SecondFactorLogin {
		t.Fatalf("password-only session after linking an authenticator: %d %s", r.Status, r.Raw)
	}
	opTok = k.LoginAAL2(t, opEmail, "operator-pass-1", secret)
	if me := p.do(http.MethodGet, "/api/v1/me", opTok, "", nil); !strings.Contains(string(me.Raw), `"second_factor":true`) {
		t.Fatalf("operator whoami after the second factor: %s", me.Raw)
	}
	if r := p.do(http.MethodGet, "/api/v1/tenants", opTok, "", nil); r.Status != http.StatusOK {
		t.Errorf("operator lists tenants: %d %s", r.Status, r.Raw)
	}
	// The operator lets the officers of the tenant in with a password only.
	if r := p.do(http.MethodPut, "/api/v1/settings/"+identity.SettingStaffSecondFactor, opTok, "", map[string]any{"value": false}); r.Status != http.StatusOK {
		t.Fatalf("turn the second factor off: %d %s", r.Status, r.Raw)
	}

	offEmail := "officer-" + strings.ToLower(suffix) + "@example.gov.cn"
	r := p.do(http.MethodPost, "/api/v1/accounts", opTok, "", map[string]any{
		"email": offEmail, "name": "执法人员 张三", "kind": "officer", "password": "officer-pass-1", "roles": []string{"officer"}})
	if r.Status != http.StatusCreated {
		t.Fatalf("register officer: %d %s", r.Status, r.Raw)
	}
	offTok := k.Login(t, offEmail, "officer-pass-1")
	me = p.do(http.MethodGet, "/api/v1/me", offTok, "", nil)
	if !strings.Contains(string(me.Raw), `"role":"officer"`) || !strings.Contains(string(me.Raw), r.Body["identity_id"].(string)) {
		t.Errorf("officer whoami: %s", me.Raw)
	}
	if r := p.do(http.MethodPost, "/api/v1/tenants", offTok, "", map[string]string{"id": "3599", "parent_id": "35", "tier": "city", "name": "x"}); r.Status != http.StatusForbidden {
		t.Errorf("officer creates a tenant: %d", r.Status)
	}
	if r := p.do(http.MethodPost, "/api/v1/accounts", opTok, "", map[string]any{"email": offEmail, "name": "x", "kind": "officer"}); r.Status != http.StatusConflict {
		t.Errorf("second registration of the same e-mail: %d %s", r.Status, r.Raw)
	}

	// A citizen who signed up in Kratos gets a citizen account on first use and no tenant.
	citEmail := "citizen-" + strings.ToLower(suffix) + "@example.com"
	k.CreateIdentity(t, citEmail, "citizen-pass-1", "王小明", "citizen")
	citTok := k.Login(t, citEmail, "citizen-pass-1")
	if me := p.do(http.MethodGet, "/api/v1/me", citTok, "", nil); !strings.Contains(string(me.Raw), `"kind":"citizen"`) {
		t.Errorf("citizen whoami: %s", me.Raw)
	}
	if r := p.do(http.MethodGet, "/api/v1/tenants", citTok, "35", nil); r.Status != http.StatusNotFound {
		t.Errorf("citizen reaches a tenant: %d", r.Status)
	}
	// An officer identity nobody registered on the platform is refused.
	strayEmail := "stray-" + strings.ToLower(suffix) + "@example.gov.cn"
	k.CreateIdentity(t, strayEmail, "stray-pass-12", "无名", "officer")
	if r := p.do(http.MethodGet, "/api/v1/me", k.Login(t, strayEmail, "stray-pass-12"), "", nil); r.Status != http.StatusUnauthorized {
		t.Errorf("unregistered officer identity: %d %s", r.Status, r.Raw)
	}
	for name, tok := range map[string]string{"garbage token": "ory_st_garbage", "no token": ""} {
		if r := p.do(http.MethodGet, "/api/v1/me", tok, "", nil); r.Status != http.StatusUnauthorized {
			t.Errorf("%s: %d", name, r.Status)
		}
	}
	if r := p.do(http.MethodPost, "/api/v1/dev/login", "", "", map[string]string{"email": opEmail}); r.Status != http.StatusNotFound {
		t.Errorf("dev login exists with the dev login off: %d", r.Status)
	}
}
