package identity

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/httpx"
	"zhifa/tenants"
)

// TenantHeader selects the tenant a request acts at; default: the principal's home tenant.
const TenantHeader = "X-Zhifa-Tenant"

// Session is the middleware that authenticates a request and records its principal, or answers 401.
func (s *Service) Session(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		p, err := s.Authenticate(c.Request().Context(), c.Request())
		if err != nil {
			return err
		}
		httpx.SetPrincipal(c, p)
		return next(c)
	}
}

// Tenant is the middleware that resolves the tenant a request acts at and builds its scope. A
// tenant that does not exist, or where the principal holds no role (directly or, for subtree
// roles, above it), answers 404: the caller cannot tell the two apart. Staff without a second
// factor at a tenant whose setting asks for one are refused (401, naming the settings page).
func (s *Service) Tenant(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		p := httpx.PrincipalOf(c)
		if p == nil {
			return errs.ErrUnauthenticated
		}
		t, reach, err := s.tenantOf(c, p)
		if err != nil {
			return err
		}
		sc := tenants.GrantScope(t, p.IdentityID, reach)
		if err := s.checkSecondFactor(c.Request().Context(), p, sc); err != nil {
			return err
		}
		tenants.SetScope(c, sc)
		return next(c)
	}
}

// tenantOf returns the tenant the request names (TenantHeader, else p's home tenant) and what p
// holds there. Returns NotFound: no tenant named, no such tenant, or no role of p there.
func (s *Service) tenantOf(c echo.Context, p *authz.Principal) (*tenants.Tenant, authz.Reach, error) {
	id := strings.TrimSpace(c.Request().Header.Get(TenantHeader))
	if id == "" {
		id = p.HomeTenant
	}
	if id == "" {
		return nil, nil, errs.E(errs.NotFound, "未指定租户", "no tenant: send "+TenantHeader)
	}
	t, err := s.tenants.Lookup(c.Request().Context(), id)
	if err != nil {
		return nil, nil, errs.E(errs.NotFound, "租户不存在或无权访问", "tenant not found")
	}
	reach := p.ReachAt(t.ID, t.Ancestors())
	if len(reach) == 0 {
		return nil, nil, errs.E(errs.NotFound, "租户不存在或无权访问", "tenant not found")
	}
	return t, reach, nil
}

// me answers GET /me: the caller's principal and what it may do at the tenant the request names
// (TenantHeader, else its home tenant); where it holds no role the tenant, roles and actions are
// empty rather than an error, so that a citizen or a person without grants still learns who they are.
func (s *Service) me(c echo.Context) error {
	p := httpx.PrincipalOf(c)
	if p == nil {
		return errs.ErrUnauthenticated
	}
	me := p.MeAt("", nil)
	if t, _, err := s.tenantOf(c, p); err == nil {
		me = p.MeAt(t.ID, t.Ancestors())
	}
	return c.JSON(http.StatusOK, me)
}

// Roles returns the roles of the request's scope, for the API's authorisation check.
func Roles(c echo.Context) []authz.Role { return tenants.ScopeOf(c).Roles() }

// DevLoginRequest asks for a dev-login session.
type DevLoginRequest struct {
	Email string `json:"email"`
}

// DevLoginReply carries the session token to send as X-Session-Token.
type DevLoginReply struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
	Account   Account   `json:"account"`
	Notice    string    `json:"notice"`
}

// DevAccountsReply lists the demo accounts.
type DevAccountsReply struct {
	Notice   string       `json:"notice"`
	Accounts []DevAccount `json:"accounts"`
}

// GrantsReply lists grants at a tenant.
type GrantsReply struct {
	Grants []GrantRow `json:"grants"`
}

const devNotice = "开发登录，仅限内置演示环境，生产环境禁用 / DEV LOGIN: embedded demo only, disabled in production"

// Routes mounts the identity API. The dev-login routes exist only when the dev login is on.
func (s *Service) Routes(api *httpx.API) {
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/me", ID: "whoami", Tag: "identity", Access: httpx.Session,
		Summary: "当前登录身份及本租户可执行的操作 / the caller's principal, grants and the actions allowed at the tenant", Reply: authz.Me{}},
		s.me)
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/grants", ID: "listGrants", Tag: "identity",
		Summary: "本租户的授权 / grants at the tenant", Action: authz.GrantsWrite, Reply: GrantsReply{}},
		func(c echo.Context) error {
			gs, err := s.Grants(c.Request().Context(), tenants.ScopeOf(c))
			if err != nil {
				return err
			}
			return c.JSON(http.StatusOK, GrantsReply{Grants: gs})
		})
	api.Handle(httpx.Op{Method: http.MethodPost, Path: "/grants", ID: "createGrant", Tag: "identity",
		Summary: "授予角色 / grant a role at the tenant", Action: authz.GrantsWrite, Body: NewGrant{}, Reply: GrantRow{}, Status: http.StatusCreated},
		func(c echo.Context) error {
			var req NewGrant
			if err := httpx.BindJSON(c, &req); err != nil {
				return err
			}
			g, err := s.Grant(c.Request().Context(), tenants.ScopeOf(c), req)
			if err != nil {
				return err
			}
			return c.JSON(http.StatusCreated, g)
		})
	api.Handle(httpx.Op{Method: http.MethodDelete, Path: "/grants/{id}", ID: "revokeGrant", Tag: "identity",
		Summary: "撤销授权 / revoke a grant", Action: authz.GrantsWrite},
		func(c echo.Context) error {
			if err := s.Revoke(c.Request().Context(), tenants.ScopeOf(c), c.Param("id")); err != nil {
				return err
			}
			return c.NoContent(http.StatusNoContent)
		})
	api.Handle(httpx.Op{Method: http.MethodPost, Path: "/accounts", ID: "createAccount", Tag: "identity",
		Summary: "登记人员账号并发送邀请 / register a person (Kratos identity without a password, account, roles) and invite them by e-mail",
		Action:  authz.GrantsWrite, Body: NewAccount{}, Reply: CreatedAccount{}, Status: http.StatusCreated},
		func(c echo.Context) error {
			var req NewAccount
			if err := httpx.BindJSON(c, &req); err != nil {
				return err
			}
			a, err := s.CreateAccount(c.Request().Context(), tenants.ScopeOf(c), req)
			if err != nil {
				return err
			}
			return c.JSON(http.StatusCreated, a)
		})
	s.accountRoutes(api)
	if !s.devLogin {
		return
	}
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/dev/accounts", ID: "devAccounts", Tag: "dev", Access: httpx.Public,
		Summary: "演示账号（仅内置演示）/ demo accounts (embedded default only)", Reply: DevAccountsReply{}},
		func(c echo.Context) error {
			accs, err := s.DevAccounts(c.Request().Context())
			if err != nil {
				return err
			}
			return c.JSON(http.StatusOK, DevAccountsReply{Notice: devNotice, Accounts: accs})
		})
	api.Handle(httpx.Op{Method: http.MethodPost, Path: "/dev/login", ID: "devLogin", Tag: "dev", Access: httpx.Public,
		Summary: "开发登录（仅内置演示）/ dev login (embedded default only): returns a session token", Body: DevLoginRequest{}, Reply: DevLoginReply{}},
		func(c echo.Context) error {
			var req DevLoginRequest
			if err := httpx.BindJSON(c, &req); err != nil {
				return err
			}
			tok, exp, acc, err := s.DevLogin(c.Request().Context(), strings.TrimSpace(req.Email))
			if err != nil {
				return err
			}
			c.SetCookie(&http.Cookie{Name: DevCookie, Value: tok, Path: "/", Expires: exp, HttpOnly: true, SameSite: http.SameSiteLaxMode})
			return c.JSON(http.StatusOK, DevLoginReply{Token: tok, ExpiresAt: exp, Account: *acc, Notice: devNotice})
		})
	api.Handle(httpx.Op{Method: http.MethodPost, Path: "/dev/logout", ID: "devLogout", Tag: "dev", Access: httpx.Session,
		Summary: "退出开发登录 / end the dev-login session"},
		func(c echo.Context) error {
			tok, _ := credentials(c.Request())
			if err := s.DevLogout(c.Request().Context(), tok); err != nil {
				return err
			}
			c.SetCookie(&http.Cookie{Name: DevCookie, Value: "", Path: "/", MaxAge: -1})
			return c.NoContent(http.StatusNoContent)
		})
}

// accountRoutes mounts listing, suspending and reinstating accounts and the grants audit.
func (s *Service) accountRoutes(api *httpx.API) {
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/accounts", ID: "listAccounts", Tag: "identity",
		Summary: "本租户的人员及其角色 / the people holding roles at the tenant, with their grants", Action: authz.GrantsWrite,
		Query: []httpx.Param{
			{Name: "q", Description: "part of the name or e-mail (case-insensitive)"},
			{Name: "role", Description: "a role held at the tenant, e.g. officer"},
			{Name: "state", Description: "active or suspended"},
			{Name: "limit", Type: "integer"}, {Name: "offset", Type: "integer"},
		}, Reply: AccountsPage{}},
		func(c echo.Context) error {
			q := AccountQuery{Q: c.QueryParam("q"), Role: authz.Role(c.QueryParam("role")), State: c.QueryParam("state")}
			var err error
			if q.Limit, err = httpx.QueryInt(c, "limit", DefaultPage, 1, MaxPage); err != nil {
				return err
			}
			if q.Offset, err = httpx.QueryInt(c, "offset", 0, 0, 1<<30); err != nil {
				return err
			}
			out, err := s.Accounts(c.Request().Context(), tenants.ScopeOf(c), q)
			if err != nil {
				return err
			}
			return c.JSON(http.StatusOK, out)
		})
	for _, op := range []struct {
		verb, id, summary string
		do                func(context.Context, tenants.Scope, string) (*Account, error)
	}{
		{"suspend", "suspendAccount", "停用账号（立即退出登录）/ suspend an account: its sessions end at once", s.Suspend},
		{"reinstate", "reinstateAccount", "恢复账号 / reinstate a suspended account", s.Reinstate},
	} {
		api.Handle(httpx.Op{Method: http.MethodPost, Path: "/accounts/{id}/" + op.verb, ID: op.id, Tag: "identity",
			Summary: op.summary, Action: authz.GrantsWrite, Reply: Account{}},
			func(c echo.Context) error {
				a, err := op.do(c.Request().Context(), tenants.ScopeOf(c), c.Param("id"))
				if err != nil {
					return err
				}
				return c.JSON(http.StatusOK, a)
			})
	}
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/grants/audit", ID: "grantsAudit", Tag: "identity",
		Summary: "授权变更记录（本级平台运维）/ the grants audit of the tenant, newest first (the tenant's operator)", Action: authz.GrantsWrite,
		Query: []httpx.Param{{Name: "limit", Type: "integer"}, {Name: "offset", Type: "integer"}}, Reply: AuditPage{}},
		func(c echo.Context) error {
			limit, err := httpx.QueryInt(c, "limit", DefaultPage, 1, MaxPage)
			if err != nil {
				return err
			}
			offset, err := httpx.QueryInt(c, "offset", 0, 0, 1<<30)
			if err != nil {
				return err
			}
			out, err := s.Audit(c.Request().Context(), tenants.ScopeOf(c), limit, offset)
			if err != nil {
				return err
			}
			return c.JSON(http.StatusOK, out)
		})
}
