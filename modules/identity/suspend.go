package identity

import (
	"context"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// The refusals of suspension, each naming the rule it applies.
var (
	errSuspendSelf = errs.E(errs.Forbidden, "停用规则：不得停用或恢复自己的账号",
		"suspension rule: no one suspends or reinstates their own account")
	errSuspendElsewhere = errs.E(errs.Forbidden, "停用规则：该账号在其他租户也持有角色，须先由那里撤销，才能在本租户停用或恢复",
		"suspension rule: the account holds roles at other tenants too; they are revoked there before it is suspended or reinstated here")
)

// Suspend suspends (停用) an account holding roles at the scope's tenant: the caller must be allowed
// by the grant table to give every role the account holds (authz.Reach.MayGrant), never for
// itself. The account is marked suspended and audited in one transaction, after which its
// credentials are refused at once (dev sessions included); with Kratos, its identity is then set
// inactive and its sessions revoked. Suspending a suspended account again only repeats the Kratos
// steps. Returns NotFound (no account with roles here, another tenant's), Forbidden, Unavailable.
func (s *Service) Suspend(ctx context.Context, sc tenants.Scope, identityID string) (*Account, error) {
	defer s.sessions.Purge()
	elsewhere, err := s.grantsElsewhere(ctx, sc, identityID)
	if err != nil {
		return nil, err
	}
	var acc Account
	err = tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		if err := s.mayChangeAccount(ctx, tx, sc, identityID, elsewhere, &acc); err != nil {
			return err
		}
		if acc.SuspendedAt != nil {
			return nil
		}
		now := dbx.Stamp(s.now())
		acc.SuspendedAt, acc.SuspendedBy = &now, sc.Actor()
		if _, err := tx.NewUpdate().Model(&acc).Column("suspended_at", "suspended_by").WherePK().Exec(ctx); err != nil {
			return err
		}
		return s.audit(ctx, tx, sc, AuditSuspended, identityID, "", "", "")
	})
	if err != nil {
		return nil, err
	}
	s.sessions.Purge() // refused from now on, before Kratos is asked
	if s.kratos.Admin() {
		if err := s.kratos.SetActive(ctx, identityID, false); err != nil {
			return nil, err
		}
		if err := s.kratos.EndSessions(ctx, identityID); err != nil {
			return nil, err
		}
	}
	return &acc, nil
}

// Reinstate lifts a suspension, as Suspend allows it (the same rule): with Kratos the identity is
// set active first, then the account is marked active and audited. Reinstating an active account
// changes nothing. Returns NotFound, Forbidden, Unavailable.
func (s *Service) Reinstate(ctx context.Context, sc tenants.Scope, identityID string) (*Account, error) {
	defer s.sessions.Purge()
	elsewhere, err := s.grantsElsewhere(ctx, sc, identityID)
	if err != nil {
		return nil, err
	}
	var acc Account
	err = tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		if err := s.mayChangeAccount(ctx, tx, sc, identityID, elsewhere, &acc); err != nil {
			return err
		}
		if acc.SuspendedAt == nil {
			return nil
		}
		if s.kratos.Admin() {
			if err := s.kratos.SetActive(ctx, identityID, true); err != nil {
				return err
			}
		}
		acc.SuspendedAt, acc.SuspendedBy = nil, ""
		if _, err := tx.NewUpdate().Model(&acc).Column("suspended_at", "suspended_by").WherePK().Exec(ctx); err != nil {
			return err
		}
		return s.audit(ctx, tx, sc, AuditReinstated, identityID, "", "", "")
	})
	if err != nil {
		return nil, err
	}
	return &acc, nil
}

// mayChangeAccount loads into acc the account identityID, which must hold roles at the scope's
// tenant and nowhere else, and refuses unless the caller may give each of them (not to itself);
// elsewhere counts its grants at other tenants (grantsElsewhere).
func (s *Service) mayChangeAccount(ctx context.Context, tx bun.Tx, sc tenants.Scope, identityID string, elsewhere int64, acc *Account) error {
	if sc.ReadOnly() {
		return tenants.ErrReadOnlyScope
	}
	var grants []GrantRow
	if err := tenants.Own(sc, tx.NewSelect().Model(&grants)).Where("g.identity_id = ?", identityID).Scan(ctx); err != nil {
		return err
	}
	if len(grants) == 0 {
		return errs.E(errs.NotFound, "账号不存在", "no such account")
	}
	if err := tx.NewSelect().Model(acc).Where("identity_id = ?", identityID).Scan(ctx); err != nil {
		return dbx.NotFound(err)
	}
	if identityID == sc.Actor() {
		return errSuspendSelf
	}
	for _, g := range grants {
		if err := s.mayGrant(sc, identityID, []authz.Role{g.Role}, g.BodyID); err != nil {
			return err
		}
	}
	if elsewhere > 0 {
		return errSuspendElsewhere
	}
	return nil
}

// grantsElsewhere counts the grants identityID holds at tenants other than the scope's (read
// under the authentication scope, before the scope's transaction).
func (s *Service) grantsElsewhere(ctx context.Context, sc tenants.Scope, identityID string) (int64, error) {
	var n int64
	err := tenants.RunInTx(ctx, s.db, authScope, func(ctx context.Context, tx bun.Tx) error {
		var err error
		n, err = tenants.Own(authScope, tx.NewSelect().Model((*GrantRow)(nil))).
			Where("g.identity_id = ? AND g.tenant_id <> ?", identityID, sc.TenantID()).Count(ctx)
		return err
	})
	return n, err
}
