package testenv

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	client "github.com/ory/kratos-client-go"
	"github.com/pquerna/otp/totp"
)

// TOTPCode is the authenticator app's current code for secret (RFC 6238, as Kratos checks it).
func TOTPCode(t testing.TB, secret string) string {
	t.Helper()
	code, err := totp.GenerateCode(secret, time.Now())
	if err != nil {
		t.Fatalf("testenv: totp code: %v", err)
	}
	return code
}

// EnableTOTP links an authenticator to the identity of the session token through the native
// settings flow, as the settings page does in a browser, and returns the authenticator's secret.
func (k *KratosServer) EnableTOTP(t testing.TB, token string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c := k.PublicClient()
	flow, _, err := c.FrontendAPI.CreateNativeSettingsFlow(ctx).XSessionToken(token).Execute()
	if err != nil {
		t.Fatalf("testenv: kratos settings flow: %s", kratosErr(err))
	}
	raw, err := json.Marshal(flow.Ui.Nodes)
	if err != nil {
		t.Fatal(err)
	}
	var nodes []struct {
		Attributes struct {
			ID   string `json:"id"`
			Text struct {
				Text string `json:"text"`
			} `json:"text"`
		} `json:"attributes"`
	}
	if err := json.Unmarshal(raw, &nodes); err != nil {
		t.Fatal(err)
	}
	secret := ""
	for _, n := range nodes {
		if n.Attributes.ID == "totp_secret_key" {
			secret = n.Attributes.Text.Text
		}
	}
	if secret == "" {
		t.Fatalf("testenv: the settings flow offers no TOTP secret (is totp enabled in kratos.yml?)")
	}
	body := client.NewUpdateSettingsFlowWithTotpMethod("totp")
	body.SetTotpCode(TOTPCode(t, secret))
	if _, _, err := c.FrontendAPI.UpdateSettingsFlow(ctx).Flow(flow.Id).XSessionToken(token).
		UpdateSettingsFlowBody(client.UpdateSettingsFlowWithTotpMethodAsUpdateSettingsFlowBody(body)).Execute(); err != nil {
		t.Fatalf("testenv: kratos link totp: %s", kratosErr(err))
	}
	return secret
}

// LoginAAL2 signs in with password, then gives the authenticator's code for the second factor
// (native flows), and returns the session token, now of assurance level aal2.
func (k *KratosServer) LoginAAL2(t testing.TB, email, password, secret string) string {
	t.Helper()
	token := k.Login(t, email, password)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c := k.PublicClient()
	flow, _, err := c.FrontendAPI.CreateNativeLoginFlow(ctx).Aal("aal2").XSessionToken(token).Execute()
	if err != nil {
		t.Fatalf("testenv: kratos aal2 login flow: %s", kratosErr(err))
	}
	body := client.NewUpdateLoginFlowWithTotpMethod("totp", TOTPCode(t, secret))
	res, _, err := c.FrontendAPI.UpdateLoginFlow(ctx).Flow(flow.Id).XSessionToken(token).
		UpdateLoginFlowBody(client.UpdateLoginFlowWithTotpMethodAsUpdateLoginFlowBody(body)).Execute()
	if err != nil {
		t.Fatalf("testenv: kratos second factor: %s", kratosErr(err))
	}
	if res.SessionToken != nil && *res.SessionToken != "" {
		return *res.SessionToken
	}
	if res.Session.AuthenticatorAssuranceLevel == nil || *res.Session.AuthenticatorAssuranceLevel != client.AUTHENTICATORASSURANCELEVEL_AAL2 {
		t.Fatal(fmt.Errorf("testenv: the session is not aal2 after the second factor"))
	}
	return token
}

// LoginLinkingTOTP signs a staff member in as the tenants' second-factor setting asks: password,
// an authenticator linked to the identity, then its code. It returns the aal2 session token.
func (k *KratosServer) LoginLinkingTOTP(t testing.TB, email, password string) string {
	t.Helper()
	return k.LoginAAL2(t, email, password, k.EnableTOTP(t, k.Login(t, email, password)))
}
