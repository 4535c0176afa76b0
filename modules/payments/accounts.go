package payments

import (
	"context"
	"encoding/hex"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// The payment account of a paying authority: its Stripe keys, tenant settings (inherited: a
// county without its own account uses the province's). The secret key and the webhook secret are
// secret settings (stored encrypted, shown masked, read in clear only here).
const (
	SettingSecretKey      = "payments.stripe_secret_key"
	SettingPublishableKey = "payments.stripe_publishable_key"
	SettingWebhookSecret  = "payments.stripe_webhook_secret"
)

// Settings lists the payments module's settings: the account's keys, the secret ones masked with
// their Stripe key type.
func Settings() []tenants.SettingDef {
	return []tenants.SettingDef{
		{Key: SettingSecretKey, Kind: tenants.KindSecret, Default: "", Mask: maskStripeKey,
			Title: errs.Msg{ZH: "网上缴款：Stripe 私钥（sk_...），空则继承上级或不开通", EN: "online payment: the Stripe secret key (sk_...); empty: inherited, or none"}},
		{Key: SettingPublishableKey, Kind: tenants.KindString, Default: "",
			Title: errs.Msg{ZH: "网上缴款：Stripe 公钥（pk_...）", EN: "online payment: the Stripe publishable key (pk_...)"}},
		{Key: SettingWebhookSecret, Kind: tenants.KindSecret, Default: "", Mask: maskStripeKey,
			Title: errs.Msg{ZH: "网上缴款：Stripe Webhook 签名密钥（whsec_...），用于 /api/v1/payments/webhook/{本租户}", EN: "online payment: the Stripe webhook signing secret (whsec_...) of /api/v1/payments/webhook/{this tenant}"}},
	}
}

// stripeKeyTypes are the prefixes that tell Stripe's keys apart (secret, restricted, publishable;
// test or live; webhook signing secret).
var stripeKeyTypes = []string{"sk_test_", "sk_live_", "rk_test_", "rk_live_", "pk_test_", "pk_live_", "whsec_"}

// maskStripeKey shows a Stripe key by its type and its last four characters ("sk_test_…4242").
func maskStripeKey(v string) string { return tenants.MaskKeeping(v, stripeKeyTypes...) }

// account is the payment account a tenant uses.
type account struct {
	secretKey string
	// owner is the tenant whose settings hold the secret key (the account's owner, whose webhook
	// address receives its events); for a simulated account, the tenant itself.
	owner     string
	simulated bool
}

// accountOf resolves the account of sc's tenant. Without a Stripe key it is the simulated one when
// simulation is on; otherwise FailedPrecondition (online payment is not open here).
func (s *Service) accountOf(ctx context.Context, tx bun.IDB, sc tenants.Scope) (*account, error) {
	key, source, err := s.settings.SecretValue(ctx, tx, sc, "", SettingSecretKey)
	if err != nil {
		return nil, err
	}
	if key != "" {
		return &account{secretKey: key, owner: source}, nil
	}
	if !s.simulate {
		return nil, errs.E(errs.FailedPrecondition, "本机关尚未开通网上缴款，请按处罚决定书载明的方式缴纳",
			"online payment is not open for this authority: pay as the decision says")
	}
	return &account{owner: sc.TenantID(), simulated: true}, nil
}

// webhookSecret returns the secret that signs the webhooks of sc's tenant as an account owner:
// its webhook secret setting, or, for a tenant paying by simulation, the simulation secret.
// Returns Invalid when there is none (the address is not an account's).
func (s *Service) webhookSecret(ctx context.Context, tx bun.IDB, sc tenants.Scope) (string, error) {
	secret, _, err := s.settings.SecretValue(ctx, tx, sc, "", SettingWebhookSecret)
	if err != nil || secret != "" {
		return secret, err
	}
	acct, err := s.accountOf(ctx, tx, sc)
	if err == nil && acct.simulated {
		return s.simulationSecret(sc.TenantID()), nil
	}
	return "", errWebhookRefused
}

// simulationSecret is the webhook secret a tenant's simulated payments are signed with.
func (s *Service) simulationSecret(tenantID string) string {
	return SimulationSecret(s.simKey, tenantID)
}

// SimulationSecret is the webhook secret of a tenant's simulated payments under key (Config.SimulationKey):
// derived from the per-install key, so that only this install can sign them.
func SimulationSecret(key []byte, tenantID string) string {
	return "whsec_sim_" + hex.EncodeToString(derive(key, "zhifa/payments/simulation-webhook/v1", tenantID))[:40]
}
