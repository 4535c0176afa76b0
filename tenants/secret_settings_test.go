package tenants_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

const secretKey = "test.account_secret_key"

// secretDefs define the test's secret setting, masked with the key types its values carry.
var secretDefs = []tenants.SettingDef{{Key: secretKey, Kind: tenants.KindSecret, Default: "",
	Mask:  func(v string) string { return tenants.MaskKeeping(v, "sk_test_", "whsec_") },
	Title: errs.Msg{ZH: "测试用保密设置", EN: "a secret setting for tests"}}}

var platformKey = []byte("0123456789abcdef0123456789abcdef")

func TestSecretSettingsAreEncryptedMaskedAndInherited(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		svc := tenants.NewService(db, secretDefs)
		if err := svc.UseSecretKey(platformKey); err != nil {
			t.Fatal(err)
		}
		prov := dbtest.NewTenant(t, db, nil)
		county := dbtest.NewTenant(t, db, dbtest.NewTenant(t, db, prov))
		provOp := dbtest.Scope(prov, "prov-op", authz.TenantOperator)
		countyOp := dbtest.Scope(county, "county-op", authz.TenantOperator)
		const clear = "sk_test_51HxYzAbCdEfGhIjKlMn4242"

		st, err := svc.Set(ctx, provOp, secretKey, tenants.SetSetting{Value: json.RawMessage(`"` + clear + `"`)})
		if err != nil {
			t.Fatal(err)
		}
		if string(st.Value) != `"sk_test_…4242"` {
			t.Errorf("Set answered %s, want the mask", st.Value)
		}
		// The county inherits the province's account: listed masked, read in clear through Go.
		all, err := svc.Settings(ctx, countyOp, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range all {
			if s.Key == secretKey && (string(s.Value) != `"sk_test_…4242"` || s.Source != prov.ID) {
				t.Errorf("county sees %s from %s", s.Value, s.Source)
			}
			if b, _ := json.Marshal(s); strings.Contains(string(b), "HxYz") {
				t.Errorf("the settings answer carries the secret: %s", b)
			}
		}
		read := func(sc tenants.Scope) (string, string) {
			t.Helper()
			var v, src string
			if err := tenants.RunInTx(ctx, db, sc, func(ctx context.Context, tx bun.Tx) error {
				var err error
				v, src, err = svc.SecretValue(ctx, tx, sc, "", secretKey)
				return err
			}); err != nil {
				t.Fatalf("secret value: %v", err)
			}
			return v, src
		}
		if got, src := read(countyOp); got != clear || src != prov.ID {
			t.Errorf("county reads %q from %s, want the province's key", got, src)
		}
		// The county's own account replaces it for the county only.
		if _, err := svc.Set(ctx, countyOp, secretKey, tenants.SetSetting{Value: json.RawMessage(`"sk_test_county00000000009999"`)}); err != nil {
			t.Fatal(err)
		}
		if got, src := read(countyOp); got != "sk_test_county00000000009999" || src != county.ID {
			t.Errorf("county reads %q from %s after its own", got, src)
		}
		if got, _ := read(provOp); got != clear {
			t.Errorf("province reads %q", got)
		}
		// At rest and in the audit: never the clear value.
		var stored []string
		if err := tenants.RunInTx(ctx, db, tenants.System("test: read the settings rows"), func(ctx context.Context, tx bun.Tx) error {
			return tx.NewRaw("SELECT value FROM settings WHERE key = ?", secretKey).Scan(ctx, &stored)
		}); err != nil {
			t.Fatal(err)
		}
		if len(stored) != 2 {
			t.Fatalf("%d rows", len(stored))
		}
		for _, v := range stored {
			if strings.Contains(v, "HxYz") || strings.Contains(v, "county0000") || !strings.Contains(v, `"sealed"`) {
				t.Errorf("stored in clear: %s", v)
			}
		}
		if _, err := svc.Set(ctx, provOp, secretKey, tenants.SetSetting{Value: json.RawMessage(`"whsec_rotatedSecretValue1234"`)}); err != nil {
			t.Fatal(err)
		}
		audit, err := svc.Audit(ctx, provOp, 10)
		if err != nil || len(audit) != 2 {
			t.Fatalf("audit: %d rows, %v", len(audit), err)
		}
		if *audit[0].OldValue != `"sk_test_…4242"` || *audit[0].NewValue != `"whsec_…1234"` {
			t.Errorf("audit = %s -> %s, want masks", *audit[0].OldValue, *audit[0].NewValue)
		}
		if err := svc.Reset(ctx, countyOp, secretKey, ""); err != nil {
			t.Fatal(err)
		}
		if ca, _ := svc.Audit(ctx, countyOp, 10); len(ca) != 2 || *ca[0].OldValue != `"sk_test_…9999"` || ca[0].NewValue != nil {
			t.Errorf("county audit after reset: %+v", ca[0])
		}
		// SettingValue refuses a secret; another platform key cannot open it; no key, no secrets.
		if err := tenants.RunInTx(ctx, db, provOp, func(ctx context.Context, tx bun.Tx) error {
			var v string
			return svc.SettingValue(ctx, tx, provOp, "", secretKey, &v)
		}); err == nil {
			t.Error("SettingValue read a secret setting")
		}
		other := tenants.NewService(db, secretDefs)
		if err := other.UseSecretKey([]byte("fedcba9876543210fedcba9876543210")); err != nil {
			t.Fatal(err)
		}
		if err := tenants.RunInTx(ctx, db, provOp, func(ctx context.Context, tx bun.Tx) error {
			_, _, err := other.SecretValue(ctx, tx, provOp, "", secretKey)
			return err
		}); err == nil {
			t.Error("another platform key opened the secret")
		}
		if _, err := tenants.NewService(db, secretDefs).Set(ctx, provOp, secretKey, tenants.SetSetting{Value: json.RawMessage(`"sk_test_x"`)}); !errs.Is(err, errs.Unavailable) {
			t.Errorf("set without a platform key: %v", err)
		}
		if _, err := svc.Set(ctx, provOp, secretKey, tenants.SetSetting{Value: json.RawMessage(`" padded "`)}); !errs.Is(err, errs.Invalid) {
			t.Errorf("padded value: %v", err)
		}
	})
}

func TestMask(t *testing.T) {
	for in, want := range map[string]string{
		"":                     "",
		"plainsecretvalue1234": "…1234",
		"key_plainsecret1234":  "…1234", // a prefix Mask does not know is hidden like the rest
		"tiny":                 "…",
	} {
		if got := tenants.Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"":                           "",
		"key_a_51HxYzAbCdEfGhIj4242": "key_a_…4242",
		"key_b_51HxYzAbCdEfGhIj9876": "key_b_…9876",
		"key_a_short":                "key_a_…",
		"plainsecretvalue1234":       "…1234",
		"tiny":                       "…",
	} {
		if got := tenants.MaskKeeping(in, "key_a_", "key_b_"); got != want {
			t.Errorf("MaskKeeping(%q) = %q, want %q", in, got, want)
		}
	}
}
