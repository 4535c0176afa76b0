package tenants

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"zhifa/modules/kernel/errs"
)

// Settings inherit down the tenant tree. This file holds their definitions and each Service's
// registry of them; settings_resolve.go the inheritance (platform default, ancestors, tenant,
// body; final values), settings_write.go the writes and their audit, settings_secret.go the
// secret settings (encrypted at rest, shown masked).

// SettingKind is the JSON type of a setting's value.
type SettingKind string

// The kinds of settings.
const (
	KindInt    SettingKind = "int"
	KindBool   SettingKind = "bool"
	KindString SettingKind = "string"
	// KindSecret is a string kept secret (a payment account's API key): stored encrypted
	// (SM4-GCM, package secretbox), shown by the API and the audit only masked
	// ("sk_test_…4242"), read in clear only through SecretValue. Its default must be "".
	KindSecret SettingKind = "secret"
)

// SettingDef declares a setting: its key, platform default and bounds. Each module lists its own
// in one Settings() function, the composition root passes them to NewService, and a value
// anywhere in the tree must satisfy the definition.
type SettingDef struct {
	Key     string      `json:"key"`
	Kind    SettingKind `json:"kind"`
	Default any         `json:"default"`
	Min     *int64      `json:"min,omitempty"`
	Max     *int64      `json:"max,omitempty"`
	Title   errs.Msg    `json:"title"`
	Basis   string      `json:"basis,omitempty"` // the law or rule the default comes from
	// Choices, for a string, are the values it may take.
	Choices []string `json:"choices,omitempty"`
	// RootOnly: only the root tenant sets it (the deployment's own choices, e.g. KeyProvinceRules).
	RootOnly bool `json:"root_only,omitempty"`
	// Bases, when set, replace Basis by the deployment's provincial rules (KeyProvinceRules): a
	// setting cites its province's provision only, and none where its province has none.
	Bases map[string]string `json:"-"`
	// Mask, for a secret, shows its clear value as the API and the audit do (nil: Mask, the last
	// four characters); the module that knows the secret's format may keep more (the key type of
	// payments' Stripe keys).
	Mask func(clear string) string `json:"-"`
}

// Int64 returns a pointer to n, for SettingDef bounds.
func Int64(n int64) *int64 { return &n }

// settingDefs is a Service's registry of settings, fixed when the Service is built.
type settingDefs struct {
	byKey  map[string]SettingDef
	sorted []SettingDef // by key
}

// newSettingDefs registers every definition of lists. A key defined twice, a default that fails
// its own definition and a secret with a default are programming errors: it panics.
func newSettingDefs(lists ...[]SettingDef) *settingDefs {
	r := &settingDefs{byKey: map[string]SettingDef{}}
	for _, d := range slices.Concat(lists...) {
		if _, dup := r.byKey[d.Key]; dup {
			panic("tenants: setting defined twice: " + d.Key)
		}
		raw, _ := json.Marshal(d.Default)
		if _, err := d.check(raw); err != nil {
			panic(fmt.Sprintf("tenants: default of %s: %v", d.Key, err))
		}
		if d.Kind == KindSecret && d.Default != "" {
			panic("tenants: a secret setting's default must be empty: " + d.Key)
		}
		r.byKey[d.Key] = d
		r.sorted = append(r.sorted, d)
	}
	slices.SortFunc(r.sorted, func(a, b SettingDef) int { return strings.Compare(a.Key, b.Key) })
	return r
}

// lookup returns the definition of key.
func (r *settingDefs) lookup(key string) (SettingDef, bool) {
	d, ok := r.byKey[key]
	return d, ok
}

// SettingDefs lists every setting the service knows, by key: the kernel's own (Settings) and
// those it was built with.
func (s *Service) SettingDefs() []SettingDef { return slices.Clone(s.defs.sorted) }

// check validates raw against d and returns it in canonical form.
func (d SettingDef) check(raw json.RawMessage) (json.RawMessage, error) {
	bad := func(zh, en string) error {
		return errs.E(errs.Invalid, "设置值无效", "invalid setting value").WithFields(errs.Field("value", zh, en))
	}
	var v any
	switch d.Kind {
	case KindInt:
		var n int64
		if err := json.Unmarshal(raw, &n); err != nil {
			return nil, bad("须为整数", "must be an integer")
		}
		if (d.Min != nil && n < *d.Min) || (d.Max != nil && n > *d.Max) {
			return nil, bad(fmt.Sprintf("须在 %d 至 %d 之间", *d.Min, *d.Max), fmt.Sprintf("must be between %d and %d", *d.Min, *d.Max))
		}
		v = n
	case KindBool:
		var b bool
		if err := json.Unmarshal(raw, &b); err != nil {
			return nil, bad("须为 true 或 false", "must be true or false")
		}
		v = b
	case KindString:
		var s string
		if err := json.Unmarshal(raw, &s); err != nil || len([]rune(s)) > 200 {
			return nil, bad("须为不超过200字的字符串", "must be a string of at most 200 characters")
		}
		if d.Choices != nil && !slices.Contains(d.Choices, s) {
			list := strings.Join(d.Choices, ", ")
			return nil, bad("须为 "+list, "must be one of "+list)
		}
		v = s
	case KindSecret:
		var s string
		if err := json.Unmarshal(raw, &s); err != nil || len(s) > maxSecretBytes || strings.TrimSpace(s) != s {
			return nil, bad(fmt.Sprintf("须为不超过%d字节、首尾无空白的字符串", maxSecretBytes),
				fmt.Sprintf("must be a string of at most %d bytes without surrounding blanks", maxSecretBytes))
		}
		v = s
	default:
		return nil, fmt.Errorf("unknown kind %q", d.Kind)
	}
	return json.Marshal(v)
}
