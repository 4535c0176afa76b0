package identity

import (
	"context"
	"net/http"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"
	"github.com/uptrace/bun"

	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/mailer"
	"zhifa/tenants"
)

// Service authenticates requests and manages accounts and grants.
type Service struct {
	db       *bun.DB
	tenants  *tenants.Store
	settings SettingReader // nil: no setting asks for a second factor
	kratos   *Kratos       // nil: Kratos not configured
	devLogin bool
	now      func() time.Time
	// mailer sends invitations (nil: none can be sent), from the address from, naming platform;
	// an invitation's link and code are valid for inviteTTL.
	mailer    mailer.Mailer
	from      string
	platform  string
	inviteTTL time.Duration
	// sessions remembers recently authenticated credentials for a few seconds, so a burst of
	// requests asks Kratos and the database once. Changes made here to accounts and grants purge
	// it; changes made by another process apply within sessionTTL.
	sessions *expirable.LRU[string, authz.Principal]
}

// sessionTTL bounds how long an authenticated principal is reused without asking again.
const sessionTTL = 5 * time.Second

// Config wires the identity service.
type Config struct {
	DB       *bun.DB
	Tenants  *tenants.Store
	Settings SettingReader // the tenants service: SettingStaffSecondFactor
	Kratos   *Kratos       // may be nil when only the dev login is used
	DevLogin bool          // embedded default only; refused by config validation in production
	// Now is the clock (default time.Now): dev sessions' expiry and every row's timestamp.
	Now func() time.Time
	// PlatformName names the platform in invitations (default DefaultPlatformName).
	PlatformName string
	// InviteTTL is how long an invitation's recovery link and code are valid (default DefaultInviteTTL).
	InviteTTL time.Duration
}

// New returns the identity service.
func New(c Config) *Service {
	s := &Service{db: c.DB, tenants: c.Tenants, settings: c.Settings, kratos: c.Kratos, devLogin: c.DevLogin, now: c.Now,
		platform: c.PlatformName, inviteTTL: c.InviteTTL,
		sessions: expirable.NewLRU[string, authz.Principal](50000, nil, sessionTTL)}
	if s.now == nil {
		s.now = time.Now
	}
	if s.platform == "" {
		s.platform = DefaultPlatformName
	}
	if s.inviteTTL <= 0 {
		s.inviteTTL = DefaultInviteTTL
	}
	return s
}

// UseMailer sets the mail server invitations are sent through, from the address from (the
// platform's SMTP configuration, built with the other modules); nil sends none.
func (s *Service) UseMailer(m mailer.Mailer, from string) { s.mailer, s.from = m, from }

// errSuspended refuses the credentials of a suspended account.
var errSuspended = errs.E(errs.Unauthenticated, "账号已停用", "account suspended")

// authScope is the one system scope identity uses: reading an identity's grants across tenants
// before any tenant scope exists.
var authScope = tenants.System("authenticate: load an identity's grants")

// Authenticate resolves the request's credentials to a principal. A dev token is accepted only
// when the dev login is on; anything else goes to Kratos. Returns Unauthenticated when there are
// no valid credentials, Unavailable when Kratos cannot be reached.
func (s *Service) Authenticate(ctx context.Context, r *http.Request) (*authz.Principal, error) {
	token, cookie := credentials(r)
	key := hashToken(token + "\x00" + cookie)
	if p, ok := s.sessions.Get(key); ok {
		return &p, nil
	}
	p, err := s.authenticate(ctx, token, cookie)
	if err != nil {
		return nil, err
	}
	s.sessions.Add(key, *p)
	return p, nil
}

func (s *Service) authenticate(ctx context.Context, token, cookie string) (*authz.Principal, error) {
	switch {
	case s.devLogin && len(token) > len(devTokenPrefix) && token[:len(devTokenPrefix)] == devTokenPrefix:
		id, err := devIdentity(ctx, s.db, token, s.now())
		if err != nil {
			return nil, err
		}
		p, err := s.principal(ctx, id, nil)
		if p != nil {
			p.Dev = true
		}
		return p, err
	case s.kratos != nil && (token != "" || cookie != ""):
		ki, err := s.kratos.Whoami(ctx, token, cookie)
		if err != nil {
			return nil, err
		}
		p, err := s.principal(ctx, ki.ID, ki)
		if p != nil {
			p.SecondFactor = ki.SecondFactor
		}
		return p, err
	}
	return nil, errs.ErrUnauthenticated
}

// principal loads the account and grants of an identity. A Kratos identity without an account is
// a citizen who signed up through Kratos: it gets a citizen account on first use. A suspended
// account is refused (Unauthenticated: 账号已停用).
func (s *Service) principal(ctx context.Context, identityID string, ki *KratosIdentity) (*authz.Principal, error) {
	var acc Account
	err := s.db.NewSelect().Model(&acc).Where("identity_id = ?", identityID).Scan(ctx)
	if err != nil {
		if !errs.Is(dbx.NotFound(err), errs.NotFound) {
			return nil, err
		}
		if ki == nil || (ki.Kind != "" && ki.Kind != KindCitizen) {
			return nil, errs.E(errs.Unauthenticated, "账号未在本平台登记", "this identity has no account on the platform")
		}
		acc = Account{IdentityID: ki.ID, Email: ki.Email, Name: ki.Name, Kind: KindCitizen, CreatedAt: dbx.Stamp(s.now())}
		if _, err := s.db.NewInsert().Model(&acc).On("CONFLICT (identity_id) DO NOTHING").Exec(ctx); err != nil {
			return nil, err
		}
	}
	if acc.SuspendedAt != nil {
		return nil, errSuspended
	}
	return s.principalOf(ctx, &acc)
}

// principalOf is the principal of acc with its grants.
func (s *Service) principalOf(ctx context.Context, acc *Account) (*authz.Principal, error) {
	p := &authz.Principal{IdentityID: acc.IdentityID, Name: acc.Name, Kind: acc.Kind}
	if acc.HomeTenant != nil {
		p.HomeTenant = *acc.HomeTenant
	}
	var grants []GrantRow
	err := tenants.RunInTx(ctx, s.db, authScope, func(ctx context.Context, tx bun.Tx) error {
		return tenants.Own(authScope, tx.NewSelect().Model(&grants)).Where("g.identity_id = ?", acc.IdentityID).Scan(ctx)
	})
	if err != nil {
		return nil, err
	}
	for _, g := range grants {
		p.Grants = append(p.Grants, authz.Grant{Role: g.Role, TenantID: g.TenantID, BodyID: g.BodyID})
	}
	if acc.Kind == KindCitizen {
		p.Grants = append(p.Grants, authz.Grant{Role: authz.Citizen})
	}
	return p, nil
}

// DevLogin starts a dev-login session for the account with email and returns its token.
// Only when the dev login is on (else NotFound, as if the route did not exist).
func (s *Service) DevLogin(ctx context.Context, email string) (string, time.Time, *Account, error) {
	if !s.devLogin {
		return "", time.Time{}, nil, errs.ErrNotFound
	}
	var acc Account
	if err := s.db.NewSelect().Model(&acc).Where("email = ?", email).Scan(ctx); err != nil {
		return "", time.Time{}, nil, errs.E(errs.NotFound, "没有这个演示账号", "no such demo account").WithCause(err)
	}
	tok, exp, err := newDevSession(ctx, s.db, acc.IdentityID, 12*time.Hour, dbx.Stamp(s.now()))
	return tok, exp, &acc, err
}

// DevLogout ends a dev-login session.
func (s *Service) DevLogout(ctx context.Context, token string) error {
	_, err := s.db.NewDelete().Model((*devSession)(nil)).Where("token_hash = ?", hashToken(token)).Exec(ctx)
	s.sessions.Purge()
	return err
}

// DevAccount is an account offered on the dev-login page, with where it holds roles.
type DevAccount struct {
	Account
	Roles []string `json:"roles"`
}

// DevAccounts lists the accounts the dev login can sign in as (nil when the dev login is off).
func (s *Service) DevAccounts(ctx context.Context) ([]DevAccount, error) {
	if !s.devLogin {
		return nil, errs.ErrNotFound
	}
	var accs []Account
	if err := s.db.NewSelect().Model(&accs).OrderExpr("kind, email").Limit(200).Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]DevAccount, len(accs))
	for i, a := range accs {
		out[i].Account = a
		p, err := s.principalOf(ctx, &a)
		if err != nil {
			return nil, err
		}
		for _, g := range p.Grants {
			out[i].Roles = append(out[i].Roles, string(g.Role)+"@"+g.TenantID)
		}
	}
	return out, nil
}

// CreatedAccount is a registered account and what became of its invitation.
type CreatedAccount struct {
	Account
	// Invite is InviteQueued when an invitation e-mail (a Kratos recovery link and code) is on
	// its way; InviteNone without Kratos (the embedded default, the dev login), without a mail
	// server, or when an initial password was given.
	Invite string `json:"invite"`
}

// What CreateAccount says of the invitation.
const (
	InviteQueued = "queued"
	InviteNone   = "none"
)

// CreateAccount registers a person at the scope's tenant with roles there: in Kratos (when
// configured; no password unless one is given, the address verified) and locally, with the roles
// the grant table lets the caller give, each change audited, and, with Kratos, an invitation
// queued in the same transaction (Invite). Tenant operators create any kind; body admins only
// officers and legal reviewers of their bodies. Returns Invalid, Conflict (e-mail taken),
// Forbidden, Unavailable.
func (s *Service) CreateAccount(ctx context.Context, sc tenants.Scope, req NewAccount) (*CreatedAccount, error) {
	defer s.sessions.Purge() // the change applies to the next request, after commit
	if err := s.mayGrant(sc, "", req.Roles, req.BodyID); err != nil {
		return nil, err
	}
	if req.Kind == KindOperator && !sc.Administers("") {
		return nil, errOperatorKind
	}
	acc := &Account{Email: req.Email, Name: req.Name, Kind: req.Kind, CreatedAt: dbx.Stamp(s.now())}
	home := sc.TenantID()
	acc.HomeTenant = &home
	if n, err := s.db.NewSelect().Model((*Account)(nil)).Where("email = ?", req.Email).Count(ctx); err != nil {
		return nil, err
	} else if n > 0 {
		return nil, errs.E(errs.Conflict, "该邮箱已注册", "this e-mail is already registered").WithFields(errs.Field("email", "已注册", "already registered"))
	}
	out := &CreatedAccount{Account: *acc, Invite: InviteNone}
	if s.kratos.Admin() {
		id, err := s.kratos.CreateIdentity(ctx, req.Email, req.Name, req.Kind, req.Password)
		if err != nil {
			return nil, err
		}
		acc.IdentityID = id
		if req.Password == "" && s.mailer != nil {
			out.Invite = InviteQueued
		}
	} else {
		acc.IdentityID = dbx.NewID()
	}
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(acc).Exec(ctx); err != nil {
			if dbx.IsUniqueViolation(err) {
				return errs.E(errs.Conflict, "该邮箱已注册", "this e-mail is already registered")
			}
			return err
		}
		if err := s.audit(ctx, tx, sc, AuditAccountCreated, acc.IdentityID, "", req.BodyID, acc.Email+" "+acc.Name); err != nil {
			return err
		}
		for _, r := range req.Roles {
			if err := s.insertGrant(ctx, tx, sc, NewGrant{IdentityID: acc.IdentityID, Role: r, BodyID: req.BodyID}); err != nil {
				return err
			}
		}
		if out.Invite != InviteQueued {
			return nil
		}
		_, err := Invite.Enqueue(ctx, tx, sc, InvitePayload{IdentityID: acc.IdentityID, Email: acc.Email, Name: acc.Name,
			Tenant: sc.TenantID(), InvitedBy: sc.Actor()})
		return err
	})
	if err != nil {
		if s.kratos.Admin() { // the identity was created for this account alone
			_ = s.kratos.DeleteIdentity(context.WithoutCancel(ctx), acc.IdentityID)
		}
		return nil, err
	}
	out.Account = *acc
	return out, nil
}

// errOperatorKind refuses an operator account to a caller that is not the tenant's operator.
var errOperatorKind = errs.E(errs.Forbidden, "授权规则：只有本级平台运维可以创建平台运维类账号",
	"grant rule: only a tenant-wide tenant operator creates an account of kind operator")

// EnsureAccount creates or returns the local account for an identity (seeding and bootstrap).
func (s *Service) EnsureAccount(ctx context.Context, acc Account) (*Account, error) {
	if acc.CreatedAt.IsZero() {
		acc.CreatedAt = dbx.Stamp(s.now())
	}
	if _, err := s.db.NewInsert().Model(&acc).On("CONFLICT (identity_id) DO NOTHING").Exec(ctx); err != nil {
		return nil, err
	}
	var out Account
	return &out, s.db.NewSelect().Model(&out).Where("identity_id = ?", acc.IdentityID).Scan(ctx)
}

// Grant gives a role at the scope's tenant, as the grant table allows (authz.Reach.MayGrant):
// tenant operators grant any staff role; body admins grant officers and legal reviewers in their
// own bodies; nobody grants to itself. Granting an existing grant again is harmless.
// Returns Invalid, NotFound (no such account), Forbidden.
func (s *Service) Grant(ctx context.Context, sc tenants.Scope, req NewGrant) (*GrantRow, error) {
	defer s.sessions.Purge() // the change applies to the next request, after commit
	if err := s.mayGrant(sc, req.IdentityID, []authz.Role{req.Role}, req.BodyID); err != nil {
		return nil, err
	}
	var out GrantRow
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		if n, err := tx.NewSelect().Model((*Account)(nil)).Where("identity_id = ?", req.IdentityID).Count(ctx); err != nil {
			return err
		} else if n == 0 {
			return errs.E(errs.NotFound, "账号不存在", "no such account")
		}
		if err := s.insertGrant(ctx, tx, sc, req); err != nil {
			return err
		}
		return tenants.Own(sc, tx.NewSelect().Model(&out)).
			Where("g.identity_id = ? AND g.role = ? AND g.body_id = ?", req.IdentityID, req.Role, req.BodyID).Scan(ctx)
	})
	return &out, err
}

// Revoke removes a grant of the scope's tenant, as the grant table allows taking it back (the same
// as giving it). Returns NotFound (including another tenant's grant), Forbidden.
func (s *Service) Revoke(ctx context.Context, sc tenants.Scope, grantID string) error {
	defer s.sessions.Purge() // the change applies to the next request, after commit
	return tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		var g GrantRow
		if err := tenants.Own(sc, tx.NewSelect().Model(&g)).Where("g.id = ?", grantID).Scan(ctx); err != nil {
			return dbx.NotFound(err)
		}
		if err := s.mayGrant(sc, g.IdentityID, []authz.Role{g.Role}, g.BodyID); err != nil {
			return err
		}
		if _, err := tenants.Own(sc, tx.NewDelete().Model((*GrantRow)(nil))).Where("id = ?", grantID).Exec(ctx); err != nil {
			return err
		}
		return s.audit(ctx, tx, sc, AuditRevoked, g.IdentityID, g.Role, g.BodyID, "")
	})
}

// Grants lists the grants made at the scope's tenant.
func (s *Service) Grants(ctx context.Context, sc tenants.Scope) ([]GrantRow, error) {
	var out []GrantRow
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		return tenants.Own(sc, tx.NewSelect().Model(&out)).OrderExpr("g.created_at, g.id").Scan(ctx)
	})
	return out, err
}

// operatorsScope is the system scope that lists the root tenants' operators, for the platform's
// own notices (who can load the holiday calendar).
var operatorsScope = tenants.System("identity: list the operators of the root tenants")

// RootOperators lists the accounts that hold the tenant operator role at a root tenant (one
// without a parent), by name: the people who may load the platform's holiday calendar.
func (s *Service) RootOperators(ctx context.Context) ([]Account, error) {
	out := []Account{}
	err := tenants.RunInTx(ctx, s.db, operatorsScope, func(ctx context.Context, tx bun.Tx) error {
		return tx.NewSelect().Model(&out).
			Where(`acc.identity_id IN (SELECT g.identity_id FROM grants AS g JOIN tenants AS t ON t.id = g.tenant_id
				WHERE g.role = ? AND t.parent_id IS NULL)`, authz.TenantOperator).
			OrderExpr("acc.name, acc.email").Scan(ctx)
	})
	return out, err
}

// mayGrant refuses a grant (or revocation) of roles at bodyID to grantee ("": a new account) that
// the grant table (authz.Reach.MayGrant) does not allow the caller; with no roles, the caller must
// administer bodyID.
func (s *Service) mayGrant(sc tenants.Scope, grantee string, roles []authz.Role, bodyID string) error {
	if sc.ReadOnly() {
		return tenants.ErrReadOnlyScope
	}
	if sc.IsSystem() {
		return nil
	}
	if len(roles) == 0 && !sc.Administers(bodyID) {
		return errs.ErrForbidden
	}
	for _, r := range roles {
		if err := sc.Reach().MayGrant(sc.Actor(), grantee, r, bodyID); err != nil {
			return err
		}
	}
	return nil
}

// insertGrant stores a grant at the scope's tenant and audits it; a grant that exists already is
// left alone, unaudited.
func (s *Service) insertGrant(ctx context.Context, tx bun.Tx, sc tenants.Scope, req NewGrant) error {
	g := GrantRow{ID: dbx.NewID(), TenantID: sc.TenantID(), IdentityID: req.IdentityID, Role: req.Role,
		BodyID: req.BodyID, CreatedAt: dbx.Stamp(s.now()), CreatedBy: sc.Actor()}
	res, err := tx.NewInsert().Model(&g).On("CONFLICT (identity_id, tenant_id, role, body_id) DO NOTHING").Exec(ctx)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return err
	}
	return s.audit(ctx, tx, sc, AuditGranted, req.IdentityID, req.Role, req.BodyID, "")
}
