package tenants

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/httpx"
)

const echoScopeKey = "zhifa.scope"

// SetScope records the request's scope; only the tenant middleware calls it.
func SetScope(c echo.Context, s Scope) { c.Set(echoScopeKey, s) }

// ScopeOf returns the request's scope. Handlers of scoped operations always have one; elsewhere
// the zero (invalid) scope is returned and every store refuses it.
func ScopeOf(c echo.Context) Scope {
	s, _ := c.Get(echoScopeKey).(Scope)
	return s
}

// TreeReply is the tenant tree the caller may see.
type TreeReply struct {
	Current string   `json:"current"`
	Tenants []Tenant `json:"tenants"`
}

// SettingsReply lists effective settings.
type SettingsReply struct {
	Tenant   string    `json:"tenant"`
	BodyID   string    `json:"body_id,omitempty"`
	Settings []Setting `json:"settings"`
}

// AuditReply lists settings changes.
type AuditReply struct {
	Changes []SettingAudit `json:"changes"`
}

// Routes mounts the tenancy API.
func (s *Service) Routes(api *httpx.API) {
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/tenants", ID: "listTenants", Tag: "tenants",
		Summary: "租户树 / the tenant tree visible to the caller", Action: authz.TenantsRead, Reply: TreeReply{}},
		func(c echo.Context) error {
			sc := ScopeOf(c)
			ts, err := s.Tree(c.Request().Context(), sc)
			if err != nil {
				return err
			}
			return c.JSON(http.StatusOK, TreeReply{Current: sc.TenantID(), Tenants: ts})
		})
	api.Handle(httpx.Op{Method: http.MethodPost, Path: "/tenants", ID: "createTenant", Tag: "tenants",
		Summary: "新建下级租户 / create a tenant under one in the caller's subtree", Action: authz.TenantsWrite,
		Body: NewTenant{}, Reply: Tenant{}, Status: http.StatusCreated},
		func(c echo.Context) error {
			var req NewTenant
			if err := httpx.BindJSON(c, &req); err != nil {
				return err
			}
			t, err := s.Create(c.Request().Context(), ScopeOf(c), req)
			if err != nil {
				return err
			}
			return c.JSON(http.StatusCreated, t)
		})
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/tenants/{id}", ID: "getTenant", Tag: "tenants",
		Summary: "租户详情 / one tenant", Action: authz.TenantsRead, Reply: Tenant{}},
		func(c echo.Context) error {
			t, err := s.Get(c.Request().Context(), ScopeOf(c), c.Param("id"))
			if err != nil {
				return err
			}
			return c.JSON(http.StatusOK, t)
		})
	bodyParam := []httpx.Param{{Name: "body_id", Description: "a body of the tenant, for its own settings"}}
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/settings", ID: "listSettings", Tag: "settings",
		Summary: "生效设置及来源 / effective settings and where each comes from", Action: authz.SettingsRead,
		Query: bodyParam, Reply: SettingsReply{}},
		func(c echo.Context) error {
			sc := ScopeOf(c)
			body := c.QueryParam("body_id")
			st, err := s.Settings(c.Request().Context(), sc, body)
			if err != nil {
				return err
			}
			return c.JSON(http.StatusOK, SettingsReply{Tenant: sc.TenantID(), BodyID: body, Settings: st})
		})
	api.Handle(httpx.Op{Method: http.MethodPut, Path: "/settings/{key}", ID: "setSetting", Tag: "settings",
		Summary: "设置（可锁定下级）/ set a value, optionally final for the tenants below", Action: authz.SettingsWrite,
		Body: SetSetting{}, Reply: Setting{}},
		func(c echo.Context) error {
			var req SetSetting
			if err := httpx.BindJSON(c, &req); err != nil {
				return err
			}
			if len(req.Value) == 0 {
				return errs.E(errs.Invalid, "缺少设置值", "value is required").WithFields(errs.Field("value", "必填", "required"))
			}
			st, err := s.Set(c.Request().Context(), ScopeOf(c), c.Param("key"), req)
			if err != nil {
				return err
			}
			return c.JSON(http.StatusOK, st)
		})
	api.Handle(httpx.Op{Method: http.MethodDelete, Path: "/settings/{key}", ID: "resetSetting", Tag: "settings",
		Summary: "恢复继承值 / remove the own value so the inherited one applies", Action: authz.SettingsWrite, Query: bodyParam},
		func(c echo.Context) error {
			if err := s.Reset(c.Request().Context(), ScopeOf(c), c.Param("key"), c.QueryParam("body_id")); err != nil {
				return err
			}
			return c.NoContent(http.StatusNoContent)
		})
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/settings-audit", ID: "listSettingsAudit", Tag: "settings",
		Summary: "设置变更记录 / who changed which setting when", Action: authz.SettingsRead,
		Query: []httpx.Param{{Name: "limit", Type: "integer"}}, Reply: AuditReply{}},
		func(c echo.Context) error {
			limit, err := httpx.QueryInt(c, "limit", 100, 1, 1000)
			if err != nil {
				return err
			}
			ch, err := s.Audit(c.Request().Context(), ScopeOf(c), limit)
			if err != nil {
				return err
			}
			return c.JSON(http.StatusOK, AuditReply{Changes: ch})
		})
}
