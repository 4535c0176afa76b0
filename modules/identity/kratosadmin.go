package identity

import (
	"context"
	"net/http"
	"time"

	ory "github.com/ory/kratos-client-go"

	"zhifa/modules/kernel/errs"
)

// errNoAdmin refuses an identity-management call when Kratos' admin API is not configured.
var errNoAdmin = errs.E(errs.Unavailable, "未配置身份管理接口", "the identity admin API is not configured")

// errKratos is the Unavailable error of a failed admin call.
func errKratos(err error) error {
	return errs.E(errs.Unavailable, "身份服务暂不可用", "identity service unavailable").WithCause(err)
}

// Admin reports whether the admin API is configured: identities are created, suspended and
// invited through it.
func (k *Kratos) Admin() bool { return k != nil && k.admin != nil }

// SetActive sets the identity's state: active, or inactive (Kratos then refuses its sign-in).
func (k *Kratos) SetActive(ctx context.Context, identityID string, active bool) error {
	if k.admin == nil {
		return errNoAdmin
	}
	state := "inactive"
	if active {
		state = "active"
	}
	p := ory.NewJsonPatch("replace", "/state")
	p.Value = state
	_, _, err := k.admin.IdentityAPI.PatchIdentity(ctx, identityID).JsonPatch([]ory.JsonPatch{*p}).Execute()
	if err != nil {
		return errKratos(err)
	}
	return nil
}

// EndSessions revokes every session of the identity; an identity without sessions is no error.
func (k *Kratos) EndSessions(ctx context.Context, identityID string) error {
	if k.admin == nil {
		return errNoAdmin
	}
	resp, err := k.admin.IdentityAPI.DeleteIdentitySessions(ctx, identityID).Execute()
	if err != nil && (resp == nil || resp.StatusCode != http.StatusNotFound) {
		return errKratos(err)
	}
	return nil
}

// DeleteIdentity removes an identity (undoing a creation whose account was not stored).
func (k *Kratos) DeleteIdentity(ctx context.Context, identityID string) error {
	if k.admin == nil {
		return errNoAdmin
	}
	if _, err := k.admin.IdentityAPI.DeleteIdentity(ctx, identityID).Execute(); err != nil {
		return errKratos(err)
	}
	return nil
}

// Recovery is a recovery link and code for an identity: opening the link and entering the code
// signs it in to set a password.
type Recovery struct {
	Link      string
	Code      string
	ExpiresAt time.Time
}

// RecoveryCode asks Kratos for a recovery link and code for the identity, valid for ttl.
func (k *Kratos) RecoveryCode(ctx context.Context, identityID string, ttl time.Duration) (*Recovery, error) {
	if k.admin == nil {
		return nil, errNoAdmin
	}
	body := ory.NewCreateRecoveryCodeForIdentityBody(identityID)
	exp := ttl.String()
	body.ExpiresIn = &exp
	rc, _, err := k.admin.IdentityAPI.CreateRecoveryCodeForIdentity(ctx).CreateRecoveryCodeForIdentityBody(*body).Execute()
	if err != nil {
		return nil, errKratos(err)
	}
	out := &Recovery{Link: rc.RecoveryLink, Code: rc.RecoveryCode, ExpiresAt: time.Now().Add(ttl)}
	if rc.ExpiresAt != nil {
		out.ExpiresAt = *rc.ExpiresAt
	}
	return out, nil
}
