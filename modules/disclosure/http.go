package disclosure

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/httpx"
	"zhifa/tenants"
)

// PublicCache is how long a cache may keep a public answer: a withdrawal shows within a minute.
const PublicCache = "public, max-age=60"

// QueryOf reads a public search from the request's parameters (the API's and the public
// pages'). A page that is not a number from 1 to 10000 is Invalid, naming it; the query then
// holds every other parameter, on page 1.
func QueryOf(c echo.Context) (Query, error) {
	q := Query{Q: c.QueryParam("q"), Party: c.QueryParam("party"), USCC: c.QueryParam("uscc"),
		Number: c.QueryParam("number"), Body: c.QueryParam("body"), Category: c.QueryParam("category"),
		From: civil.Date(c.QueryParam("from")), To: civil.Date(c.QueryParam("to")), Tenant: c.QueryParam("tenant"), Page: 1}
	page, err := httpx.QueryInt(c, "page", 1, 1, 10000)
	if err != nil {
		return q, err
	}
	q.Page = page
	return q, nil
}

// Routes mounts the disclosure API: the public search and record (no login), and for the bodies
// the review of a record with its originals, the head's approval, withdrawal and early end.
func (s *Service) Routes(api *httpx.API) {
	const tag = "disclosure"
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/public/disclosures", ID: "searchDisclosures", Tag: tag, Access: httpx.Public,
		Summary: "检索公示的行政处罚信息（公开）/ search the published decisions (public)", Reply: Page{},
		Query: []httpx.Param{{Name: "q", Description: "当事人名称、文号或违法事实中的文字 / text in the party's name, the number or the facts"},
			{Name: "party", Description: "当事人名称 / party name"}, {Name: "uscc", Description: "统一社会信用代码 / USCC"},
			{Name: "number", Description: "决定书文号 / decision number"}, {Name: "body", Description: "处罚机关（ID 或名称）/ body (ID or name)"},
			{Name: "category", Description: "处罚种类 / penalty type"}, {Name: "from", Description: "决定日期起 / decided from (YYYY-MM-DD)"},
			{Name: "to", Description: "决定日期止 / decided to (YYYY-MM-DD)"}, {Name: "tenant", Description: "租户（列出其下全部）/ tenant (its whole subtree)"},
			{Name: "page", Description: "页码 / page", Type: "integer"}}},
		func(c echo.Context) error {
			if err := s.LimitPublic(c); err != nil {
				return err
			}
			q, err := QueryOf(c)
			if err != nil {
				return err
			}
			out, err := s.Search(c.Request().Context(), q)
			if err != nil {
				return err
			}
			c.Response().Header().Set("Cache-Control", PublicCache)
			return c.JSON(http.StatusOK, out)
		})
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/public/disclosures/{id}", ID: "getDisclosure", Tag: tag, Access: httpx.Public,
		Summary: "公示的行政处罚信息及其公示记录（公开）/ a published decision with its history (public)", Reply: Detail{}},
		func(c echo.Context) error {
			if err := s.LimitPublic(c); err != nil {
				return err
			}
			out, err := s.Find(c.Request().Context(), c.Param("id"))
			if err != nil {
				return err
			}
			c.Response().Header().Set("Cache-Control", PublicCache)
			return c.JSON(http.StatusOK, out)
		})
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/disclosures", ID: "listDisclosures", Tag: tag, Action: authz.CasesRead,
		Summary: "本租户执法主体的公示记录（按应公示日期）/ the disclosure records of the bodies whose cases the caller reads, due soonest first",
		Query:   []httpx.Param{{Name: "state", Description: "状态 / state"}, {Name: "page", Description: "页码 / page", Type: "integer"}}, Reply: RecordsPage{}},
		func(c echo.Context) error {
			page, err := httpx.QueryInt(c, "page", 1, 1, 10000)
			if err != nil {
				return err
			}
			out, err := s.Records(c.Request().Context(), tenants.ScopeOf(c), State(c.QueryParam("state")), page)
			if err != nil {
				return err
			}
			return c.JSON(http.StatusOK, out)
		})
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/disclosures/{id}", ID: "reviewDisclosure", Tag: tag, Action: authz.CasesRead,
		Summary: "公示记录与原文（脱敏核对）/ a disclosure record beside its originals (redaction review)", Reply: Review{}},
		func(c echo.Context) error {
			out, err := s.Review(c.Request().Context(), tenants.ScopeOf(c), c.Param("id"))
			if err != nil {
				return err
			}
			return c.JSON(http.StatusOK, out)
		})
	api.Handle(httpx.Op{Method: http.MethodPost, Path: "/disclosures/{id}/approve", ID: "approveDisclosure", Tag: tag, Action: authz.CasesApprove,
		Summary: "机关负责人批准公示（可指定须隐去的他人姓名）/ the body head approves publication (names to mask)", Body: ApproveInput{}, Reply: Record{}},
		func(c echo.Context) error {
			var in ApproveInput
			if err := httpx.BindJSON(c, &in); err != nil {
				return err
			}
			out, err := s.Approve(c.Request().Context(), tenants.ScopeOf(c), c.Param("id"), in)
			if err != nil {
				return err
			}
			return c.JSON(http.StatusOK, out)
		})
	api.Handle(httpx.Op{Method: http.MethodPost, Path: "/disclosures/{id}/withdraw", ID: "withdrawDisclosure", Tag: tag, Action: authz.CasesApprove,
		Summary: "撤回公示：决定被变更、撤销、确认违法或无效（行政处罚法第48条，三个工作日内，公开说明理由）/ withdraw a revoked decision (Art. 48)",
		Body:    WithdrawInput{}, Reply: Record{}},
		func(c echo.Context) error {
			var in WithdrawInput
			if err := httpx.BindJSON(c, &in); err != nil {
				return err
			}
			out, err := s.WithdrawRecord(c.Request().Context(), tenants.ScopeOf(c), c.Param("id"), in)
			if err != nil {
				return err
			}
			return c.JSON(http.StatusOK, out)
		})
	api.Handle(httpx.Op{Method: http.MethodPost, Path: "/disclosures/{id}/end", ID: "endDisclosure", Tag: tag, Action: authz.CasesApprove,
		Summary: "最短公示期满后提前结束公示（信用修复）/ end publication early after the minimum period (credit repair)", Body: EndInput{}, Reply: Record{}},
		func(c echo.Context) error {
			var in EndInput
			if err := httpx.BindJSON(c, &in); err != nil {
				return err
			}
			out, err := s.EndEarly(c.Request().Context(), tenants.ScopeOf(c), c.Param("id"), in)
			if err != nil {
				return err
			}
			return c.JSON(http.StatusOK, out)
		})
}
