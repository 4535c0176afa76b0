package identity

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// The actions of the grants audit (persisted: never rename one).
const (
	AuditAccountCreated = "account_created"
	AuditGranted        = "granted"
	AuditRevoked        = "revoked"
	AuditSuspended      = "suspended"
	AuditReinstated     = "reinstated"
)

// AuditRow is one change of who holds what at a tenant, written in the transaction of the change.
type AuditRow struct {
	bun.BaseModel `bun:"table:grants_audit,alias:ga"`

	ID         string     `bun:"id,pk" json:"id"`
	TenantID   string     `bun:"tenant_id,notnull" json:"tenant_id"`
	At         time.Time  `bun:"at,notnull" json:"at"`
	Actor      string     `bun:"actor,notnull" json:"actor"`
	Action     string     `bun:"action,notnull" json:"action"`
	IdentityID string     `bun:"identity_id,notnull" json:"identity_id"`
	Role       authz.Role `bun:"role,notnull" json:"role,omitempty"`
	BodyID     string     `bun:"body_id,notnull" json:"body_id,omitempty"`
	Detail     string     `bun:"detail,notnull" json:"detail,omitempty"`

	// ActorName and Name are the accounts' names, for reading (not stored).
	ActorName string `bun:"-" json:"actor_name"`
	Name      string `bun:"-" json:"name"`
}

// audit writes one audit row at the scope's tenant inside tx.
func (s *Service) audit(ctx context.Context, tx bun.Tx, sc tenants.Scope, action, identityID string, role authz.Role, bodyID, detail string) error {
	row := AuditRow{ID: dbx.NewID(), TenantID: sc.TenantID(), At: dbx.Stamp(s.now()), Actor: sc.Actor(), Action: action,
		IdentityID: identityID, Role: role, BodyID: bodyID, Detail: detail}
	_, err := tx.NewInsert().Model(&row).Exec(ctx)
	return err
}

// AuditPage is a page of the grants audit, newest first.
type AuditPage struct {
	Rows       []AuditRow `json:"rows"`
	NextOffset *int       `json:"next_offset,omitempty"` // where the next page starts; none: the last page
}

// Audit lists the grants audit of the scope's tenant, newest first, a page of limit rows (at most
// MaxPage) from offset. Only the tenant's operator reads it (Administers("")); returns Forbidden.
func (s *Service) Audit(ctx context.Context, sc tenants.Scope, limit, offset int) (*AuditPage, error) {
	if !sc.IsSystem() && !sc.Administers("") {
		return nil, errs.E(errs.Forbidden, "授权记录仅本级平台运维可查看", "the grants audit is for the tenant's operator")
	}
	limit, offset = page(limit, offset)
	out := &AuditPage{Rows: []AuditRow{}}
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		if err := tenants.Own(sc, tx.NewSelect().Model(&out.Rows)).OrderExpr("ga.at DESC, ga.id DESC").
			Limit(int64(limit + 1)).Offset(int64(offset)).Scan(ctx); err != nil {
			return err
		}
		ids := []string{}
		for _, r := range out.Rows {
			ids = append(ids, r.Actor, r.IdentityID)
		}
		names, err := s.names(ctx, tx, ids)
		for i := range out.Rows {
			out.Rows[i].ActorName, out.Rows[i].Name = names[out.Rows[i].Actor], names[out.Rows[i].IdentityID]
		}
		return err
	})
	if len(out.Rows) > limit {
		out.Rows = out.Rows[:limit]
		next := offset + limit
		out.NextOffset = &next
	}
	return out, err
}

// names returns the names of the accounts ids.
func (s *Service) names(ctx context.Context, tx bun.IDB, ids []string) (map[string]string, error) {
	out := map[string]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var accs []Account
	if err := tx.NewSelect().Model(&accs).Column("identity_id", "name").Where("identity_id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
		return nil, err
	}
	for _, a := range accs {
		out[a.IdentityID] = a.Name
	}
	return out, nil
}

// MaxPage bounds a page of accounts or audit rows; DefaultPage is a page when none is asked.
const (
	MaxPage     = 200
	DefaultPage = 50
)

// page bounds a requested page.
func page(limit, offset int) (int, int) {
	if limit <= 0 {
		limit = DefaultPage
	}
	return min(limit, MaxPage), max(offset, 0)
}
