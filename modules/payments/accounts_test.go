package payments_test

import (
	"testing"

	"zhifa/modules/payments"
	"zhifa/tenants"
)

// TestStripeKeysAreMaskedByType: the account's secret settings show a Stripe key by its type and
// its last four characters, which tells a test key from a live one and a webhook secret from a
// key; the publishable key is no secret.
func TestStripeKeysAreMaskedByType(t *testing.T) {
	t.Parallel()
	defs := map[string]tenants.SettingDef{}
	for _, d := range payments.Settings() {
		defs[d.Key] = d
	}
	for _, key := range []string{payments.SettingSecretKey, payments.SettingWebhookSecret} {
		d := defs[key]
		if d.Kind != tenants.KindSecret || d.Mask == nil {
			t.Fatalf("%s: kind %q, mask set %v; want a secret with the Stripe mask", key, d.Kind, d.Mask != nil)
		}
		for in, want := range map[string]string{
			"":                                "",
			"sk_test_51HxYzAbCdEfGhIjKl4242":  "sk_test_…4242",
			"sk_live_51HxYzAbCdEfGhIjKl9876":  "sk_live_…9876",
			"rk_live_51HxYzAbCdEfGhIjKl1111":  "rk_live_…1111",
			"whsec_abcdefghijklmnopqrstuvwxy": "whsec_…vwxy",
			"sk_test_short":                   "sk_test_…",
			"plainsecretvalue1234":            "…1234",
			"tiny":                            "…",
		} {
			if got := d.Mask(in); got != want {
				t.Errorf("%s: Mask(%q) = %q, want %q", key, in, got, want)
			}
		}
	}
	if d := defs[payments.SettingPublishableKey]; d.Kind != tenants.KindString {
		t.Errorf("%s is %q, want a plain string", payments.SettingPublishableKey, d.Kind)
	}
}
