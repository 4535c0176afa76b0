package tenants

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/secretbox"
)

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

// SettingDef declares a setting: its key, platform default and bounds. Modules declare theirs with
// DefineSetting at init; a value anywhere in the tree must satisfy the definition.
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
}

var (
	defsMu sync.RWMutex
	defs   = map[string]SettingDef{}
)

// DefineSetting registers a setting. It panics on a duplicate key or a default that fails its own
// definition: both are programming errors.
func DefineSetting(d SettingDef) {
	defsMu.Lock()
	defer defsMu.Unlock()
	if _, dup := defs[d.Key]; dup {
		panic("tenants: setting defined twice: " + d.Key)
	}
	raw, _ := json.Marshal(d.Default)
	if _, err := d.check(raw); err != nil {
		panic(fmt.Sprintf("tenants: default of %s: %v", d.Key, err))
	}
	if d.Kind == KindSecret && d.Default != "" {
		panic("tenants: a secret setting's default must be empty: " + d.Key)
	}
	defs[d.Key] = d
}

// Int64 returns a pointer to n, for SettingDef bounds.
func Int64(n int64) *int64 { return &n }

// SettingDefs lists every defined setting by key.
func SettingDefs() []SettingDef {
	defsMu.RLock()
	defer defsMu.RUnlock()
	out := make([]SettingDef, 0, len(defs))
	for _, d := range defs {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

func settingDef(key string) (SettingDef, bool) {
	defsMu.RLock()
	defer defsMu.RUnlock()
	d, ok := defs[key]
	return d, ok
}

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

// settingRow is one stored value at a tenant, or at a body within it (BodyID non-empty).
type settingRow struct {
	bun.BaseModel `bun:"table:settings,alias:s"`

	TenantID  string    `bun:"tenant_id,pk"`
	BodyID    string    `bun:"body_id,pk"`
	Key       string    `bun:"key,pk"`
	Value     string    `bun:"value,notnull"`
	Final     bool      `bun:"final,notnull"`
	UpdatedBy string    `bun:"updated_by,notnull"`
	UpdatedAt time.Time `bun:"updated_at,notnull"`
}

// SettingAudit records one change of a setting: who, when, old and new.
type SettingAudit struct {
	bun.BaseModel `bun:"table:settings_audit,alias:a"`

	ID       string    `bun:"id,pk" json:"id"`
	TenantID string    `bun:"tenant_id,notnull" json:"tenant_id"`
	BodyID   string    `bun:"body_id,notnull" json:"body_id,omitempty"`
	Key      string    `bun:"key,notnull" json:"key"`
	OldValue *string   `bun:"old_value" json:"old_value"`
	NewValue *string   `bun:"new_value" json:"new_value"`
	OldFinal *bool     `bun:"old_final" json:"old_final"`
	NewFinal bool      `bun:"new_final,notnull" json:"new_final"`
	Actor    string    `bun:"actor,notnull" json:"actor"`
	At       time.Time `bun:"at,notnull" json:"at"`
}

// Setting is a setting's effective value at a tenant (or body) and where it comes from.
type Setting struct {
	SettingDef
	Value json.RawMessage `json:"value"`
	// Source is the tenant whose value applies ("platform" for the default; "body:<id>" for a body's).
	Source string `json:"source"`
	// LockedBy names the tenant that marked the key final above this level ("" when children may override).
	LockedBy string `json:"locked_by,omitempty"`
	// Final reports whether the value at this level forbids overrides below it.
	Final bool `json:"final"`

	// sealed is a secret setting's stored value (see KindSecret), and sealedAt the tenant and
	// body of its row; never marshalled.
	sealed   string
	sealedAt [2]string
}

// Settings resolves every defined setting for the scope's tenant, or for one of its bodies when
// bodyID is not empty: platform default, then each ancestor from the root down, then the tenant,
// then the body; a value marked final stops every level below it from overriding.
func (s *Service) Settings(ctx context.Context, sc Scope, bodyID string) ([]Setting, error) {
	var out []Setting
	err := RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		var err error
		out, err = resolve(ctx, tx, sc, bodyID)
		return err
	})
	return out, err
}

// SettingValue resolves one setting into v (a pointer of the setting's Go type).
func (s *Service) SettingValue(ctx context.Context, tx bun.IDB, sc Scope, bodyID, key string, v any) error {
	all, err := resolve(ctx, tx, sc, bodyID)
	if err != nil {
		return err
	}
	for _, st := range all {
		if st.Key == key {
			if st.Kind == KindSecret {
				return fmt.Errorf("tenants: setting %q is secret: read it with SecretValue", key)
			}
			return json.Unmarshal(st.Value, v)
		}
	}
	return fmt.Errorf("tenants: setting %q is not defined", key)
}

// settingsMemo holds the settings resolved in one transaction, by tenant path and body: a step
// that reads several settings (or the same one several times) queries them once. Settings do not
// depend on the caller's roles, and a transaction sees the rows it read until it ends, so the memo
// lives exactly as long as the transaction (RunInTx puts a fresh one in its context).
type settingsMemo struct {
	mu sync.Mutex
	m  map[string][]Setting
}

type settingsMemoKey struct{}

func withSettingsMemo(ctx context.Context) context.Context {
	return context.WithValue(ctx, settingsMemoKey{}, &settingsMemo{m: map[string][]Setting{}})
}

// resolve returns the effective settings of sc's tenant (and bodyID), from the transaction's memo
// when it resolved them already. The caller gets its own slice.
func resolve(ctx context.Context, tx bun.IDB, sc Scope, bodyID string) ([]Setting, error) {
	memo, _ := ctx.Value(settingsMemoKey{}).(*settingsMemo)
	if memo == nil {
		return resolveRows(ctx, tx, sc, bodyID)
	}
	key := sc.path + "|" + bodyID
	memo.mu.Lock()
	cached, ok := memo.m[key]
	memo.mu.Unlock()
	if ok {
		return slices.Clone(cached), nil
	}
	out, err := resolveRows(ctx, tx, sc, bodyID)
	if err != nil {
		return nil, err
	}
	memo.mu.Lock()
	memo.m[key] = out
	memo.mu.Unlock()
	return slices.Clone(out), nil
}

// resolveRows reads the setting rows of sc's tenant, its ancestors and bodyID and resolves them.
func resolveRows(ctx context.Context, tx bun.IDB, sc Scope, bodyID string) ([]Setting, error) {
	var rows []settingRow
	q := Inherited(sc, tx.NewSelect().Model(&rows)).Where("s.body_id = '' OR s.body_id = ?", bodyID)
	if err := q.Scan(ctx); err != nil {
		return nil, err
	}
	levels := append(sc.Ancestors(), sc.tenantID)
	byLevel := map[string]map[string]settingRow{}
	for _, r := range rows {
		lvl := r.TenantID
		if r.BodyID != "" {
			lvl = "body:" + r.BodyID
		}
		if byLevel[lvl] == nil {
			byLevel[lvl] = map[string]settingRow{}
		}
		byLevel[lvl][r.Key] = r
	}
	if bodyID != "" {
		levels = append(levels, "body:"+bodyID)
	}
	root := levels[0]
	var province *string
	if r, ok := byLevel[root][KeyProvinceRules]; ok {
		province = &r.Value
	}
	p := provinceOf(root, province)
	var out []Setting
	for _, d := range SettingDefs() {
		d = d.forProvince(p, root)
		raw, _ := json.Marshal(d.Default)
		st := Setting{SettingDef: d, Value: raw, Source: "platform"}
		for _, lvl := range levels {
			r, ok := byLevel[lvl][d.Key]
			if !ok || (d.RootOnly && lvl != root) {
				continue
			}
			if st.LockedBy != "" {
				break
			}
			st.Value, st.Source, st.Final = json.RawMessage(r.Value), lvl, r.Final
			if d.Kind == KindSecret {
				st.sealed, st.sealedAt = r.Value, [2]string{r.TenantID, r.BodyID}
				st.Value = maskedJSON(r.Value)
			}
			if r.Final && lvl != levels[len(levels)-1] {
				st.LockedBy = lvl
			}
		}
		out = append(out, st)
	}
	return out, nil
}

// SetSetting is a request to set a setting at the scope's tenant or at one of its bodies.
type SetSetting struct {
	Value  json.RawMessage `json:"value"`
	Final  bool            `json:"final"`
	BodyID string          `json:"body_id,omitempty"`
}

// Set stores a setting at the scope's tenant (tenant operators) or at a body of it (its body
// admin or a tenant operator), and audits the change in the same transaction. Returns Invalid
// (unknown key, bad value), FailedPrecondition (a level above marked the key final), Forbidden.
func (s *Service) Set(ctx context.Context, sc Scope, key string, req SetSetting) (*Setting, error) {
	if err := s.canWrite(sc, req.BodyID); err != nil {
		return nil, err
	}
	d, ok := settingDef(key)
	if !ok {
		return nil, errs.Ef(errs.Invalid, "未知设置项 %s", "unknown setting %s", key)
	}
	if d.RootOnly && (len(sc.Ancestors()) > 0 || req.BodyID != "") {
		return nil, errRootOnly(key)
	}
	canon, err := d.check(req.Value)
	if err != nil {
		return nil, err
	}
	stored, audited := string(canon), string(canon)
	if d.Kind == KindSecret {
		if stored, err = s.seal(sc.tenantID, req.BodyID, key, canon); err != nil {
			return nil, err
		}
		audited = string(maskedJSON(stored))
	}
	var out *Setting
	err = RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		if err := lockedAbove(ctx, tx, sc, key, req.BodyID); err != nil {
			return err
		}
		now := dbx.Now()
		row := settingRow{TenantID: sc.tenantID, BodyID: req.BodyID, Key: key, Value: stored, Final: req.Final, UpdatedBy: sc.actor, UpdatedAt: now}
		old, err := current(ctx, tx, sc, key, req.BodyID)
		if err != nil {
			return err
		}
		if old != nil && d.Kind == KindSecret {
			old.value = string(maskedJSON(old.value))
		}
		if _, err := tx.NewInsert().Model(&row).On("CONFLICT (tenant_id, body_id, key) DO UPDATE").
			Set("value = EXCLUDED.value, final = EXCLUDED.final, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at").
			Exec(ctx); err != nil {
			return err
		}
		if err := audit(ctx, tx, sc, key, req.BodyID, old, &audited, req.Final, now); err != nil {
			return err
		}
		all, err := resolveRows(ctx, tx, sc, req.BodyID) // fresh: the row just written
		if err != nil {
			return err
		}
		for i := range all {
			if all[i].Key == key {
				out = &all[i]
			}
		}
		return nil
	})
	return out, err
}

// Reset removes the scope's own value for key (so the inherited one applies again), audited.
// Returns NotFound when there is no own value.
func (s *Service) Reset(ctx context.Context, sc Scope, key, bodyID string) error {
	if err := s.canWrite(sc, bodyID); err != nil {
		return err
	}
	return RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		old, err := current(ctx, tx, sc, key, bodyID)
		if err != nil {
			return err
		}
		if old == nil {
			return errs.ErrNotFound
		}
		if d, ok := settingDef(key); ok && d.Kind == KindSecret {
			old.value = string(maskedJSON(old.value))
		}
		if _, err := Own(sc, tx.NewDelete().Model((*settingRow)(nil))).
			Where("key = ? AND body_id = ?", key, bodyID).Exec(ctx); err != nil {
			return err
		}
		return audit(ctx, tx, sc, key, bodyID, old, nil, false, dbx.Now())
	})
}

func (s *Service) canWrite(sc Scope, bodyID string) error {
	if sc.readOnly {
		return ErrReadOnlyScope
	}
	if sc.Administers(bodyID) {
		return nil
	}
	return errs.ErrForbidden
}

// lockedAbove refuses a write when a level above the target marked key final.
func lockedAbove(ctx context.Context, tx bun.Tx, sc Scope, key, bodyID string) error {
	above := sc.Ancestors()
	if bodyID != "" {
		above = append(above, sc.tenantID)
	}
	if len(above) == 0 {
		return nil
	}
	var r settingRow
	err := Inherited(sc, tx.NewSelect().Model(&r)).
		Where("s.key = ? AND s.body_id = '' AND s.final AND s.tenant_id IN (?)", key, bun.In(above)).
		Limit(1).Scan(ctx)
	if err == nil {
		return errs.Ef(errs.FailedPrecondition, "上级（%s）已锁定设置项 %s，不允许下级修改", "setting %s is locked by %s above; children may not override it", r.TenantID, key).
			WithFields(errs.Field(key, "已被上级锁定", "locked by a parent"))
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil // nothing above locks the key
	}
	return err
}

type oldValue struct {
	value string
	final bool
}

func current(ctx context.Context, tx bun.Tx, sc Scope, key, bodyID string) (*oldValue, error) {
	var r settingRow
	err := Own(sc, tx.NewSelect().Model(&r)).Where("s.key = ? AND s.body_id = ?", key, bodyID).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &oldValue{r.Value, r.Final}, nil
}

func audit(ctx context.Context, tx bun.Tx, sc Scope, key, bodyID string, old *oldValue, nv *string, final bool, at time.Time) error {
	a := SettingAudit{ID: dbx.NewID(), TenantID: sc.tenantID, BodyID: bodyID, Key: key, NewValue: nv, NewFinal: final, Actor: sc.actor, At: at}
	if old != nil {
		a.OldValue, a.OldFinal = &old.value, &old.final
	}
	_, err := tx.NewInsert().Model(&a).Exec(ctx)
	return err
}

// Audit lists the scope's tenant's setting changes, newest first.
func (s *Service) Audit(ctx context.Context, sc Scope, limit int) ([]SettingAudit, error) {
	var out []SettingAudit
	err := RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		return Own(sc, tx.NewSelect().Model(&out)).OrderExpr("a.at DESC, a.id DESC").Limit(int64(limit)).Scan(ctx)
	})
	return out, err
}

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

// seal returns the stored form of a secret setting's canonical JSON value (a string); the empty
// string is stored as it is (nothing to hide).
func (s *Service) seal(tenantID, bodyID, key string, canon json.RawMessage) (string, error) {
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
	sealed, err := s.box.Seal([]byte(clear), secretAAD(tenantID, bodyID, key))
	if err != nil {
		return "", err
	}
	out, err := json.Marshal(storedSecret{Sealed: base64.StdEncoding.EncodeToString(sealed), Mask: Mask(clear)})
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

// Mask shows enough of a secret to tell which one it is and nothing to use: the leading type
// prefix of an API key (sk_test_, whsec_, ...) and the last four characters, as
// "sk_test_…4242". A value too short to keep four characters hidden shows only "…".
func Mask(v string) string {
	if v == "" {
		return ""
	}
	prefix := ""
	for _, p := range []string{"sk_test_", "sk_live_", "rk_test_", "rk_live_", "pk_test_", "pk_live_", "whsec_"} {
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
	d, ok := settingDef(key)
	if !ok || d.Kind != KindSecret {
		return "", "", fmt.Errorf("tenants: %q is not a secret setting", key)
	}
	all, err := resolve(WithScope(ctx, sc), tx, sc, bodyID)
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
