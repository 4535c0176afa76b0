package tenants

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"

	"github.com/uptrace/bun"
)

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
		out, err = s.resolve(ctx, tx, sc, bodyID)
		return err
	})
	return out, err
}

// SettingValue resolves one setting into v (a pointer of the setting's Go type).
func (s *Service) SettingValue(ctx context.Context, tx bun.IDB, sc Scope, bodyID, key string, v any) error {
	all, err := s.resolve(ctx, tx, sc, bodyID)
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

// settingsMemo holds the settings resolved in one transaction, by registry, tenant path and body: a step
// that reads several settings (or the same one several times) queries them once. Settings do not
// depend on the caller's roles, and a transaction sees the rows it read until it ends, so the memo
// lives exactly as long as the transaction (RunInTx puts a fresh one in its context).
type settingsMemo struct {
	mu sync.Mutex
	m  map[memoKey][]Setting
}

// memoKey is what the settings resolved depend on: the service's registry, the tenant and body.
type memoKey struct {
	defs       *settingDefs
	path, body string
}

type settingsMemoKey struct{}

func withSettingsMemo(ctx context.Context) context.Context {
	return context.WithValue(ctx, settingsMemoKey{}, &settingsMemo{m: map[memoKey][]Setting{}})
}

// resolve returns the effective settings of sc's tenant (and bodyID), from the transaction's memo
// when it resolved them already. The caller gets its own slice.
func (s *Service) resolve(ctx context.Context, tx bun.IDB, sc Scope, bodyID string) ([]Setting, error) {
	memo, _ := ctx.Value(settingsMemoKey{}).(*settingsMemo)
	if memo == nil {
		return s.resolveRows(ctx, tx, sc, bodyID)
	}
	key := memoKey{s.defs, sc.path, bodyID}
	memo.mu.Lock()
	cached, ok := memo.m[key]
	memo.mu.Unlock()
	if ok {
		return slices.Clone(cached), nil
	}
	out, err := s.resolveRows(ctx, tx, sc, bodyID)
	if err != nil {
		return nil, err
	}
	memo.mu.Lock()
	memo.m[key] = out
	memo.mu.Unlock()
	return slices.Clone(out), nil
}

// resolveRows reads the setting rows of sc's tenant, its ancestors and bodyID and resolves them.
func (s *Service) resolveRows(ctx context.Context, tx bun.IDB, sc Scope, bodyID string) ([]Setting, error) {
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
	for _, d := range s.defs.sorted {
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
