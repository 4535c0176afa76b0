package tenants

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
)

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
	d, ok := s.defs.lookup(key)
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
		if stored, err = s.seal(d, sc.tenantID, req.BodyID, canon); err != nil {
			return nil, err
		}
		audited = string(maskedJSON(stored))
	}
	var out *Setting
	err = RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		if err := lockedAbove(ctx, tx, sc, key, req.BodyID); err != nil {
			return err
		}
		now := dbx.Stamp(s.now())
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
		all, err := s.resolveRows(ctx, tx, sc, req.BodyID) // fresh: the row just written
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
		if d, ok := s.defs.lookup(key); ok && d.Kind == KindSecret {
			old.value = string(maskedJSON(old.value))
		}
		if _, err := Own(sc, tx.NewDelete().Model((*settingRow)(nil))).
			Where("key = ? AND body_id = ?", key, bodyID).Exec(ctx); err != nil {
			return err
		}
		return audit(ctx, tx, sc, key, bodyID, old, nil, false, dbx.Stamp(s.now()))
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
