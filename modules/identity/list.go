package identity

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// The states of an account.
const (
	StateActive    = "active"
	StateSuspended = "suspended"
)

// maxQuery bounds a search, in characters (a character outside the Basic Multilingual Plane,
// such as 𠮷, counts as one).
const maxQuery = 64

// AccountQuery selects the accounts listed: Q a substring of the name or e-mail (case-insensitive),
// Role one role they hold at the tenant, State active or suspended; a page of Limit (at most
// MaxPage) from Offset.
type AccountQuery struct {
	Q      string
	Role   authz.Role
	State  string
	Limit  int
	Offset int
}

// validate checks the query's fields.
func (q *AccountQuery) validate() error {
	var f []errs.FieldError
	q.Q = strings.TrimSpace(q.Q)
	if utf8.RuneCountInString(q.Q) > maxQuery {
		f = append(f, errs.Field("q", "搜索词不超过64字", "at most 64 characters"))
	}
	if q.Role != "" && (!q.Role.Valid() || q.Role == authz.Citizen) {
		f = append(f, errs.Field("role", "未知的角色", "unknown role"))
	}
	if q.State != "" && q.State != StateActive && q.State != StateSuspended {
		f = append(f, errs.Field("state", "须为 active 或 suspended", "must be active or suspended"))
	}
	if q.Limit < 0 || q.Limit > MaxPage || q.Offset < 0 {
		f = append(f, errs.Field("limit", "每页1至200条，偏移不小于0", "limit 1 to 200, offset at least 0"))
	}
	if len(f) > 0 {
		return errs.E(errs.Invalid, "查询条件有误", "invalid query").WithFields(f...)
	}
	return nil
}

// AccountView is an account holding roles at a tenant, with its grants there.
type AccountView struct {
	Account
	State  string     `json:"state"` // StateActive or StateSuspended
	Grants []GrantRow `json:"grants"`
	// LastChange is the latest change of the account at the tenant: created, granted, revoked,
	// suspended or reinstated.
	LastChange time.Time `json:"last_change"`
}

// AccountsPage is a page of accounts, by name.
type AccountsPage struct {
	Accounts   []AccountView `json:"accounts"`
	NextOffset *int          `json:"next_offset,omitempty"` // where the next page starts; none: the last page
}

// Accounts lists the accounts holding grants at the scope's tenant that match q, by name and
// e-mail. Returns Invalid.
func (s *Service) Accounts(ctx context.Context, sc tenants.Scope, q AccountQuery) (*AccountsPage, error) {
	if err := q.validate(); err != nil {
		return nil, err
	}
	limit, offset := page(q.Limit, q.Offset)
	out := &AccountsPage{Accounts: []AccountView{}}
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		var accs []Account
		holders := tx.NewSelect().Table("grants").Column("identity_id").Where("tenant_id = ?", sc.TenantID())
		if q.Role != "" {
			holders = holders.Where("role = ?", q.Role)
		}
		sel := tx.NewSelect().Model(&accs).Where("acc.identity_id IN (?)", holders)
		if q.Q != "" {
			pat := dbx.Contains(strings.ToLower(q.Q))
			sel = sel.Where(`(lower(acc.name) LIKE ? ESCAPE '\' OR lower(acc.email) LIKE ? ESCAPE '\')`, pat, pat)
		}
		switch q.State {
		case StateActive:
			sel = sel.Where("acc.suspended_at IS NULL")
		case StateSuspended:
			sel = sel.Where("acc.suspended_at IS NOT NULL")
		}
		if err := sel.OrderExpr("acc.name, acc.email").Limit(int64(limit + 1)).Offset(int64(offset)).Scan(ctx); err != nil {
			return err
		}
		if len(accs) > limit {
			accs = accs[:limit]
			next := offset + limit
			out.NextOffset = &next
		}
		if len(accs) == 0 {
			return nil
		}
		ids := make([]string, len(accs))
		byID := map[string]*AccountView{}
		for i, a := range accs {
			ids[i] = a.IdentityID
			out.Accounts = append(out.Accounts, AccountView{Account: a, State: stateOf(&a), Grants: []GrantRow{}, LastChange: a.CreatedAt})
		}
		for i := range out.Accounts {
			byID[out.Accounts[i].IdentityID] = &out.Accounts[i]
		}
		var grants []GrantRow
		if err := tenants.Own(sc, tx.NewSelect().Model(&grants)).Where("g.identity_id IN (?)", bun.In(ids)).
			OrderExpr("g.created_at, g.id").Scan(ctx); err != nil {
			return err
		}
		for _, g := range grants {
			v := byID[g.IdentityID]
			v.Grants = append(v.Grants, g)
			v.LastChange = latest(v.LastChange, g.CreatedAt)
		}
		var changes []AuditRow
		if err := tenants.Own(sc, tx.NewSelect().Model(&changes)).Column("identity_id", "at").
			Where("ga.identity_id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
			return err
		}
		for _, c := range changes {
			v := byID[c.IdentityID]
			v.LastChange = latest(v.LastChange, c.At)
		}
		return nil
	})
	return out, err
}

// stateOf is the state of acc.
func stateOf(acc *Account) string {
	if acc.SuspendedAt != nil {
		return StateSuspended
	}
	return StateActive
}

// latest is the later of a and b.
func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
