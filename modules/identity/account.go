package identity

import (
	"net/mail"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
)

// Kinds of accounts.
const (
	KindOfficer  = "officer"
	KindCitizen  = "citizen"
	KindOperator = "operator"
)

// Account is the platform's profile of a Kratos identity.
type Account struct {
	bun.BaseModel `bun:"table:accounts,alias:acc"`

	IdentityID string    `bun:"identity_id,pk" json:"identity_id"`
	Email      string    `bun:"email,notnull" json:"email"`
	Name       string    `bun:"name,notnull" json:"name"`
	Kind       string    `bun:"kind,notnull" json:"kind"`
	HomeTenant *string   `bun:"home_tenant" json:"home_tenant,omitempty"`
	CreatedAt  time.Time `bun:"created_at,notnull" json:"created_at"`
	// SuspendedAt is when the account was suspended (停用), nil while it is active; SuspendedBy
	// is who did it. A suspended account's credentials are refused.
	SuspendedAt *time.Time `bun:"suspended_at" json:"suspended_at,omitempty"`
	SuspendedBy string     `bun:"suspended_by,notnull" json:"suspended_by,omitempty"`
}

// GrantRow is a stored role grant.
type GrantRow struct {
	bun.BaseModel `bun:"table:grants,alias:g"`

	ID         string     `bun:"id,pk" json:"id"`
	TenantID   string     `bun:"tenant_id,notnull" json:"tenant_id"`
	IdentityID string     `bun:"identity_id,notnull" json:"identity_id"`
	Role       authz.Role `bun:"role,notnull" json:"role"`
	BodyID     string     `bun:"body_id,notnull" json:"body_id,omitempty"`
	CreatedAt  time.Time  `bun:"created_at,notnull" json:"created_at"`
	CreatedBy  string     `bun:"created_by,notnull" json:"created_by"`
}

// NewAccount is a request to register a person on the platform at the caller's tenant.
type NewAccount struct {
	Email string `json:"email"`
	Name  string `json:"name"`
	Kind  string `json:"kind"`
	// Password is an initial password for the Kratos identity (bootstrap and tests); without one
	// the person sets it through the invitation's recovery link.
	Password string       `json:"password,omitempty"`
	Roles    []authz.Role `json:"roles"`
	BodyID   string       `json:"body_id,omitempty"`
}

// Validate checks the request's fields.
func (n *NewAccount) Validate() error {
	var f []errs.FieldError
	n.Email = strings.ToLower(strings.TrimSpace(n.Email))
	if a, err := mail.ParseAddress(n.Email); err != nil || a.Address != n.Email {
		f = append(f, errs.Field("email", "邮箱格式不正确", "not a valid e-mail address"))
	}
	if l := len([]rune(strings.TrimSpace(n.Name))); l == 0 || l > 64 {
		f = append(f, errs.Field("name", "姓名不能为空且不超过64字", "name is required, at most 64 characters"))
	}
	switch n.Kind {
	case KindOfficer, KindOperator:
	default:
		f = append(f, errs.Field("kind", "须为 officer 或 operator", "must be officer or operator"))
	}
	if n.Password != "" && len(n.Password) < 8 {
		f = append(f, errs.Field("password", "密码至少8位", "password must have at least 8 characters"))
	}
	for _, r := range n.Roles {
		if !r.Valid() || r == authz.Citizen {
			f = append(f, errs.Field("roles", "未知或不可授予的角色："+string(r), "unknown or ungrantable role: "+string(r)))
		}
	}
	if len(f) > 0 {
		return errs.E(errs.Invalid, "账号信息有误", "invalid account").WithFields(f...)
	}
	return nil
}

// NewGrant is a request to grant a role at the caller's tenant.
type NewGrant struct {
	IdentityID string     `json:"identity_id"`
	Role       authz.Role `json:"role"`
	BodyID     string     `json:"body_id,omitempty"`
}

// Validate checks the request's fields.
func (n *NewGrant) Validate() error {
	var f []errs.FieldError
	if n.IdentityID == "" {
		f = append(f, errs.Field("identity_id", "必填", "required"))
	}
	if !n.Role.Valid() || n.Role == authz.Citizen {
		f = append(f, errs.Field("role", "未知或不可授予的角色", "unknown or ungrantable role"))
	}
	if len(f) > 0 {
		return errs.E(errs.Invalid, "授权信息有误", "invalid grant").WithFields(f...)
	}
	return nil
}
