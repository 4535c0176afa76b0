package identity

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"time"

	ory "github.com/ory/kratos-client-go"
	"github.com/uptrace/bun"

	"zhifa/modules/kernel/errs"
)

// DevCookie is the cookie that carries a dev-login token in the browser.
const DevCookie = "zhifa_dev_session"

// devTokenPrefix marks dev-login tokens so they are never sent to Kratos.
const devTokenPrefix = "dev_"

// KratosIdentity is what a Kratos session says about its identity.
type KratosIdentity struct {
	ID    string
	Email string
	Name  string
	Kind  string
	// SecondFactor: the session was completed with a second factor (AAL2).
	SecondFactor bool
}

// SecondFactorLogin is the sign-in page asking for the second factor; SecondFactorSetup the
// settings page where staff set up their authenticator. Both take ?return_to=.
const (
	SecondFactorLogin = "/auth/login?aal=aal2"
	SecondFactorSetup = "/auth/settings"
)

// errSecondFactor answers a session whose identity has an authenticator but which was not
// completed with it (Kratos: session_aal2_required).
var errSecondFactor = errs.E(errs.Unauthenticated, "请输入身份验证器中的动态验证码，完成双因素认证",
	"enter the code of your authenticator app to complete the second factor").WithNext(SecondFactorLogin)

// Kratos talks to an Ory Kratos server: whoami on the public API, identity management on the admin API.
type Kratos struct {
	public *ory.APIClient
	admin  *ory.APIClient
}

// NewKratos returns a client for the Kratos public and admin URLs (admin may be empty).
func NewKratos(publicURL, adminURL string, hc *http.Client) *Kratos {
	mk := func(u string) *ory.APIClient {
		c := ory.NewConfiguration()
		c.Servers = ory.ServerConfigurations{{URL: u}}
		c.HTTPClient = hc
		return ory.NewAPIClient(c)
	}
	k := &Kratos{public: mk(publicURL)}
	if adminURL != "" {
		k.admin = mk(adminURL)
	}
	return k
}

// Whoami checks a session token or cookie header with Kratos. Returns Unauthenticated for an
// invalid or expired session and Unavailable when Kratos cannot be reached.
func (k *Kratos) Whoami(ctx context.Context, token, cookie string) (*KratosIdentity, error) {
	req := k.public.FrontendAPI.ToSession(ctx)
	if token != "" {
		req = req.XSessionToken(token)
	} else {
		req = req.Cookie(cookie)
	}
	sess, resp, err := req.Execute()
	if err != nil {
		if resp != nil && resp.StatusCode == http.StatusForbidden && strings.Contains(string(apiBody(err)), "session_aal2_required") {
			return nil, errSecondFactor
		}
		if resp != nil && (resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden) {
			return nil, errs.ErrUnauthenticated
		}
		return nil, errKratos(err)
	}
	if sess.Active != nil && !*sess.Active || sess.Identity == nil {
		return nil, errs.ErrUnauthenticated
	}
	id := &KratosIdentity{ID: sess.Identity.Id,
		SecondFactor: sess.AuthenticatorAssuranceLevel != nil && *sess.AuthenticatorAssuranceLevel == ory.AUTHENTICATORASSURANCELEVEL_AAL2}
	if traits, ok := sess.Identity.Traits.(map[string]any); ok {
		id.Email, _ = traits["email"].(string)
		id.Name, _ = traits["name"].(string)
		id.Kind, _ = traits["kind"].(string)
	}
	return id, nil
}

// CreateIdentity creates a Kratos identity with the platform's schema and returns its ID. Its
// e-mail address is recorded as verified (an operator vouches for it), so that the login hook
// requiring a verified address admits it; password "" gives it none (it sets one through the
// recovery link of its invitation). Returns Conflict when the e-mail is registered, Unavailable
// when Kratos cannot be reached.
func (k *Kratos) CreateIdentity(ctx context.Context, email, name, kind, password string) (string, error) {
	if k.admin == nil {
		return "", errNoAdmin
	}
	body := ory.NewCreateIdentityBody("default", map[string]any{"email": email, "name": name, "kind": kind})
	// The agency vouches for a staff member's address: sign-in requires a verified one.
	body.VerifiableAddresses = []ory.VerifiableIdentityAddress{*ory.NewVerifiableIdentityAddress("completed", email, true, "email")}
	if password != "" {
		body.Credentials = &ory.IdentityWithCredentials{Password: &ory.IdentityWithCredentialsPassword{
			Config: &ory.IdentityWithCredentialsPasswordConfig{Password: &password}}}
	}
	ident, resp, err := k.admin.IdentityAPI.CreateIdentity(ctx).CreateIdentityBody(*body).Execute()
	if err != nil {
		if resp != nil && resp.StatusCode == http.StatusConflict {
			return "", errs.E(errs.Conflict, "该邮箱已注册", "this e-mail is already registered")
		}
		if resp != nil && resp.StatusCode == http.StatusBadRequest {
			return "", errs.E(errs.Invalid, "身份服务拒绝了该账号信息", "the identity service refused the account data").WithCause(err)
		}
		return "", errKratos(err)
	}
	return ident.Id, nil
}

// apiBody is the body of a Kratos error answer (nil for other errors).
func apiBody(err error) []byte {
	var apiErr *ory.GenericOpenAPIError
	if errors.As(err, &apiErr) {
		return apiErr.Body()
	}
	return nil
}

// devSession is a dev-login session (embedded default only).
type devSession struct {
	bun.BaseModel `bun:"table:dev_sessions"`

	TokenHash  string    `bun:"token_hash,pk"`
	IdentityID string    `bun:"identity_id,notnull"`
	CreatedAt  time.Time `bun:"created_at,notnull"`
	ExpiresAt  time.Time `bun:"expires_at,notnull"`
}

func hashToken(t string) string {
	h := sha256.Sum256([]byte(t))
	return hex.EncodeToString(h[:])
}

// newDevSession stores a session for identityID made at now and returns its token.
func newDevSession(ctx context.Context, db bun.IDB, identityID string, ttl time.Duration, now time.Time) (string, time.Time, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", time.Time{}, err
	}
	tok := devTokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	s := devSession{TokenHash: hashToken(tok), IdentityID: identityID, CreatedAt: now, ExpiresAt: now.Add(ttl)}
	_, err := db.NewInsert().Model(&s).Exec(ctx)
	return tok, s.ExpiresAt, err
}

// devIdentity returns the identity of a dev session token live at now.
func devIdentity(ctx context.Context, db bun.IDB, tok string, now time.Time) (string, error) {
	var s devSession
	err := db.NewSelect().Model(&s).Where("token_hash = ?", hashToken(tok)).Scan(ctx)
	if err != nil || s.ExpiresAt.Before(now) {
		return "", errs.ErrUnauthenticated
	}
	return s.IdentityID, nil
}

// credentials extracts a session token (header, or the dev cookie) and the raw cookie header.
func credentials(r *http.Request) (token, cookie string) {
	token = strings.TrimSpace(r.Header.Get("X-Session-Token"))
	if token == "" {
		if c, err := r.Cookie(DevCookie); err == nil {
			token = c.Value
		}
	}
	return token, r.Header.Get("Cookie")
}
