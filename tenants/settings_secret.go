package tenants

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/secretbox"
)

// maxSecretBytes bounds a secret setting's clear value.
const maxSecretBytes = 500

// secretPurpose labels the key that encrypts secret settings (secretbox.New derives it).
const secretPurpose = "zhifa/tenants/secret-setting/v1"

// storedSecret is how a secret setting's row keeps its value: sealed (base64 of the nonce and
// the SM4-GCM ciphertext, the row's tenant, body and key as associated data) beside its mask.
type storedSecret struct {
	Sealed string `json:"sealed"`
	Mask   string `json:"mask"`
}

// UseSecretKey gives the service the platform's secret key (config secrets.key, decoded), which
// secret settings are encrypted under. Without it, setting or reading a secret fails.
func (s *Service) UseSecretKey(key []byte) error {
	box, err := secretbox.New(key, secretPurpose)
	if err != nil {
		return err
	}
	s.box = box
	return nil
}

// errNoSecretKey refuses secret settings on a service that has no secret key.
var errNoSecretKey = errs.E(errs.Unavailable, "未配置平台密钥，无法保存或读取保密设置", "no platform secret key is configured: secret settings are unavailable")

func secretAAD(tenantID, bodyID, key string) []byte {
	return []byte("settings|" + tenantID + "|" + bodyID + "|" + key)
}

// seal returns the stored form of secret setting d's canonical JSON value (a string), masked as
// d masks it; the empty string is stored as it is (nothing to hide).
func (s *Service) seal(d SettingDef, tenantID, bodyID string, canon json.RawMessage) (string, error) {
	var clear string
	if err := json.Unmarshal(canon, &clear); err != nil {
		return "", err
	}
	if clear == "" {
		return string(canon), nil
	}
	if s.box == nil {
		return "", errNoSecretKey
	}
	sealed, err := s.box.Seal([]byte(clear), secretAAD(tenantID, bodyID, d.Key))
	if err != nil {
		return "", err
	}
	out, err := json.Marshal(storedSecret{Sealed: base64.StdEncoding.EncodeToString(sealed), Mask: d.mask(clear)})
	return string(out), err
}

// maskedJSON returns the JSON string shown for a secret setting's stored value: its mask, or ""
// when it is not set.
func maskedJSON(stored string) json.RawMessage {
	var st storedSecret
	if json.Unmarshal([]byte(stored), &st) != nil {
		return json.RawMessage(`""`)
	}
	out, _ := json.Marshal(st.Mask)
	return out
}

// mask shows a clear value of d as the API and the audit do: d's own Mask, or Mask.
func (d SettingDef) mask(clear string) string {
	if d.Mask != nil {
		return d.Mask(clear)
	}
	return Mask(clear)
}

// Mask shows enough of a secret to tell which one it is and nothing to use: its last four
// characters, as "…4242". A value too short to keep four characters hidden shows only "…".
func Mask(v string) string { return MaskKeeping(v) }

// MaskKeeping is Mask keeping the first of prefixes that v starts with, as "sk_test_…4242": a
// SettingDef's Mask for the keys whose type prefix tells them apart (the module that owns the key
// format names the prefixes).
func MaskKeeping(v string, prefixes ...string) string {
	if v == "" {
		return ""
	}
	prefix := ""
	for _, p := range prefixes {
		if strings.HasPrefix(v, p) {
			prefix = p
			break
		}
	}
	rest := v[len(prefix):]
	if len(rest) < 12 {
		return prefix + "…"
	}
	return prefix + "…" + rest[len(rest)-4:]
}

// SecretValue resolves a secret setting (inherited like every setting) for the scope's tenant,
// or one of its bodies, and returns it in clear with the level it comes from (Setting.Source: a
// tenant ID, "body:<id>", or "platform" when no level sets it, the value then ""). Only Go code
// calls it (a module reading its account keys), never an API. tx is the caller's transaction
// under sc. Fails for an undefined or non-secret key, without a secret key, or for a stored value
// that does not open (another secret key).
func (s *Service) SecretValue(ctx context.Context, tx bun.IDB, sc Scope, bodyID, key string) (value, source string, err error) {
	d, ok := s.defs.lookup(key)
	if !ok || d.Kind != KindSecret {
		return "", "", fmt.Errorf("tenants: %q is not a secret setting", key)
	}
	all, err := s.resolve(WithScope(ctx, sc), tx, sc, bodyID)
	if err != nil {
		return "", "", err
	}
	for _, st := range all {
		if st.Key != key {
			continue
		}
		var stored storedSecret
		if st.sealed == "" || json.Unmarshal([]byte(st.sealed), &stored) != nil || stored.Sealed == "" {
			return "", st.Source, nil
		}
		if s.box == nil {
			return "", "", errNoSecretKey
		}
		raw, err := base64.StdEncoding.DecodeString(stored.Sealed)
		if err != nil {
			return "", "", fmt.Errorf("tenants: secret setting %s: %w", key, err)
		}
		clear, err := s.box.Open(raw, secretAAD(st.sealedAt[0], st.sealedAt[1], key))
		if err != nil {
			return "", "", fmt.Errorf("tenants: secret setting %s of %s: %w", key, st.Source, err)
		}
		return string(clear), st.Source, nil
	}
	return "", "", fmt.Errorf("tenants: setting %q is not defined", key)
}
