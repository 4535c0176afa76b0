package elements

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/httpx"
	"zhifa/tenants"
)

// LawList is a page of laws.
type LawList struct {
	Laws  []Law `json:"laws"`
	Total int   `json:"total"`
	Page
}

// ArticleList is a page of a law's articles.
type ArticleList struct {
	Articles []Article `json:"articles"`
	Total    int       `json:"total"`
	Page
}

// BodyList is a page of bodies.
type BodyList struct {
	Bodies []Body `json:"bodies"`
	Total  int    `json:"total"`
	Page
}

// MatterList is a page of matters.
type MatterList struct {
	Matters []Matter `json:"matters"`
	Total   int      `json:"total"`
	Page
}

// OfficerList is a page of officers (identity numbers masked).
type OfficerList struct {
	Officers []Officer `json:"officers"`
	Total    int       `json:"total"`
	Page
}

// BenchmarkList is a page of benchmarks (without versions).
type BenchmarkList struct {
	Benchmarks []Benchmark `json:"benchmarks"`
	Total      int         `json:"total"`
	Page
}

// VersionList lists the versions of a benchmark, oldest first.
type VersionList struct {
	Versions []BenchmarkVersion `json:"versions"`
}

var pageParams = []httpx.Param{
	{Name: "limit", Type: "integer", Description: fmt.Sprintf("每页条数 / page size, 1-%d (default %d)", MaxLimit, DefaultLimit)},
	{Name: "offset", Type: "integer", Description: "跳过条数 / rows to skip"},
}

func params(ps ...httpx.Param) []httpx.Param { return append(ps, pageParams...) }

func qParam(what string) httpx.Param {
	return httpx.Param{Name: "q", Description: "搜索 / search: " + what + " contains"}
}

// page reads limit and offset.
func page(c echo.Context) (Page, error) {
	limit, err := httpx.QueryInt(c, "limit", DefaultLimit, 1, MaxLimit)
	if err != nil {
		return Page{}, err
	}
	offset, err := httpx.QueryInt(c, "offset", 0, 0, MaxOffset)
	if err != nil {
		return Page{}, err
	}
	return Page{Limit: limit, Offset: offset}, nil
}

// queryBool reads an optional boolean query parameter.
func queryBool(c echo.Context, name string) (*bool, error) {
	s := c.QueryParam(name)
	if s == "" {
		return nil, nil
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return nil, errs.E(errs.Invalid, "查询参数有误", "invalid query parameter").
			WithFields(errs.Field(name, "须为 true 或 false", "must be true or false"))
	}
	return &b, nil
}

// Routes mounts the element databases' API: laws and articles, bodies, matters, officers,
// benchmarks and their versions, and bulk import.
func (s *Service) Routes(api *httpx.API) {
	s.lawRoutes(api)
	s.bodyRoutes(api)
	s.matterRoutes(api)
	s.officerRoutes(api)
	s.benchmarkRoutes(api)
	s.importRoutes(api)
}

func (s *Service) lawRoutes(api *httpx.API) {
	const tag = "elements"
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/laws", ID: "listLaws", Tag: tag,
		Summary: "法律法规（含上级发布）/ laws of the tenant and the tenants above", Action: authz.ElementsRead,
		Query: params(qParam("name, short name or issuer"), httpx.Param{Name: "level", Description: "效力层级 / level"},
			httpx.Param{Name: "in_force_on", Description: "在该日有效 / in force on (YYYY-MM-DD)"}),
		Reply: LawList{}},
		handleList(func(c echo.Context, p Page) ([]Law, int, error) {
			f := LawFilter{Q: c.QueryParam("q"), Level: LawLevel(c.QueryParam("level")), InForceOn: civil.Date(c.QueryParam("in_force_on")), Page: p}
			return s.Laws(c.Request().Context(), tenants.ScopeOf(c), f)
		}, func(ls []Law, n int, p Page) LawList { return LawList{Laws: ls, Total: n, Page: p} }))
	api.Handle(httpx.Op{Method: http.MethodPost, Path: "/laws", ID: "createLaw", Tag: tag,
		Summary: "新增法律法规 / add a law", Action: authz.ElementsWrite, Body: LawInput{}, Reply: Law{}, Status: http.StatusCreated},
		handleBody(http.StatusCreated, noID(s.CreateLaw)))
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/laws/{id}", ID: "getLaw", Tag: tag,
		Summary: "法律法规详情 / one law", Action: authz.ElementsRead, Reply: Law{}},
		handleGet(s.FindLaw))
	api.Handle(httpx.Op{Method: http.MethodPut, Path: "/laws/{id}", ID: "updateLaw", Tag: tag,
		Summary: "修改法律法规 / replace a law", Action: authz.ElementsWrite, Body: LawInput{}, Reply: Law{}},
		handleBody(http.StatusOK, s.UpdateLaw))
	api.Handle(httpx.Op{Method: http.MethodDelete, Path: "/laws/{id}", ID: "deleteLaw", Tag: tag,
		Summary: "删除法律法规及其条款 / delete a law and its articles", Action: authz.ElementsWrite},
		handleDelete(s.DeleteLaw))
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/laws/{id}/articles", ID: "listArticles", Tag: tag,
		Summary: "法律法规的条款 / the articles of a law", Action: authz.ElementsRead,
		Query: params(qParam("number or text"), httpx.Param{Name: "in_force_on", Description: "在该日有效 / in force on (YYYY-MM-DD)"}),
		Reply: ArticleList{}},
		handleList(func(c echo.Context, p Page) ([]Article, int, error) {
			f := ArticleFilter{Q: c.QueryParam("q"), InForceOn: civil.Date(c.QueryParam("in_force_on")), Page: p}
			return s.Articles(c.Request().Context(), tenants.ScopeOf(c), c.Param("id"), f)
		}, func(as []Article, n int, p Page) ArticleList { return ArticleList{Articles: as, Total: n, Page: p} }))
	api.Handle(httpx.Op{Method: http.MethodPost, Path: "/laws/{id}/articles", ID: "createArticle", Tag: tag,
		Summary: "新增条款 / add an article to a law", Action: authz.ElementsWrite, Body: ArticleInput{}, Reply: Article{}, Status: http.StatusCreated},
		handleBody(http.StatusCreated, s.CreateArticle))
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/articles/{id}", ID: "getArticle", Tag: tag,
		Summary: "条款详情 / one article", Action: authz.ElementsRead, Reply: Article{}},
		handleGet(s.FindArticle))
	api.Handle(httpx.Op{Method: http.MethodPut, Path: "/articles/{id}", ID: "updateArticle", Tag: tag,
		Summary: "修改条款 / replace an article", Action: authz.ElementsWrite, Body: ArticleInput{}, Reply: Article{}},
		handleBody(http.StatusOK, s.UpdateArticle))
	api.Handle(httpx.Op{Method: http.MethodDelete, Path: "/articles/{id}", ID: "deleteArticle", Tag: tag,
		Summary: "删除条款 / delete an article", Action: authz.ElementsWrite},
		handleDelete(s.DeleteArticle))
}

func (s *Service) bodyRoutes(api *httpx.API) {
	const tag = "elements"
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/bodies", ID: "listBodies", Tag: tag,
		Summary: "执法主体 / the tenant's enforcement bodies", Action: authz.ElementsRead,
		Query: params(qParam("name or code"), httpx.Param{Name: "kind", Description: "主体类别 / kind"},
			httpx.Param{Name: "sector", Description: "执法领域 / sector"}, httpx.Param{Name: "active", Type: "boolean"}),
		Reply: BodyList{}},
		handleList(func(c echo.Context, p Page) ([]Body, int, error) {
			active, err := queryBool(c, "active")
			if err != nil {
				return nil, 0, err
			}
			f := BodyFilter{Q: c.QueryParam("q"), Kind: BodyKind(c.QueryParam("kind")), Sector: Sector(c.QueryParam("sector")), Active: active, Page: p}
			return s.Bodies(c.Request().Context(), tenants.ScopeOf(c), f)
		}, func(bs []Body, n int, p Page) BodyList { return BodyList{Bodies: bs, Total: n, Page: p} }))
	api.Handle(httpx.Op{Method: http.MethodPost, Path: "/bodies", ID: "createBody", Tag: tag,
		Summary: "新增执法主体 / register an enforcement body", Action: authz.ElementsWrite, Body: BodyInput{}, Reply: Body{}, Status: http.StatusCreated},
		handleBody(http.StatusCreated, noID(s.CreateBody)))
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/bodies/{id}", ID: "getBody", Tag: tag,
		Summary: "执法主体详情 / one body", Action: authz.ElementsRead, Reply: Body{}},
		handleGet(s.FindBody))
	api.Handle(httpx.Op{Method: http.MethodPut, Path: "/bodies/{id}", ID: "updateBody", Tag: tag,
		Summary: "修改执法主体 / replace a body", Action: authz.ElementsWrite, Body: BodyInput{}, Reply: Body{}},
		handleBody(http.StatusOK, s.UpdateBody))
	api.Handle(httpx.Op{Method: http.MethodDelete, Path: "/bodies/{id}", ID: "deleteBody", Tag: tag,
		Summary: "删除执法主体（无人员、无事项时）/ delete a body without officers or matters", Action: authz.ElementsWrite},
		handleDelete(s.DeleteBody))
}

func (s *Service) matterRoutes(api *httpx.API) {
	const tag = "elements"
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/matters", ID: "listMatters", Tag: tag,
		Summary: "执法事项（含上级发布）/ matters of the tenant and the tenants above", Action: authz.ElementsRead,
		Query: params(qParam("code or name"), httpx.Param{Name: "kind", Description: "事项类别 / kind"},
			httpx.Param{Name: "sector", Description: "执法领域 / sector"}, httpx.Param{Name: "body_id", Description: "实施主体 / enforced by this body"},
			httpx.Param{Name: "article_id", Description: "依据条款 / based on this article"}),
		Reply: MatterList{}},
		handleList(func(c echo.Context, p Page) ([]Matter, int, error) {
			f := MatterFilter{Q: c.QueryParam("q"), Kind: MatterKind(c.QueryParam("kind")), Sector: Sector(c.QueryParam("sector")),
				BodyID: c.QueryParam("body_id"), ArticleID: c.QueryParam("article_id"), Page: p}
			return s.Matters(c.Request().Context(), tenants.ScopeOf(c), f)
		}, func(ms []Matter, n int, p Page) MatterList { return MatterList{Matters: ms, Total: n, Page: p} }))
	api.Handle(httpx.Op{Method: http.MethodPost, Path: "/matters", ID: "createMatter", Tag: tag,
		Summary: "新增执法事项 / add an enforcement matter", Action: authz.ElementsWrite, Body: MatterInput{}, Reply: Matter{}, Status: http.StatusCreated},
		handleBody(http.StatusCreated, noID(s.CreateMatter)))
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/matters/{id}", ID: "getMatter", Tag: tag,
		Summary: "执法事项详情 / one matter with its articles and bodies", Action: authz.ElementsRead, Reply: Matter{}},
		handleGet(s.FindMatter))
	api.Handle(httpx.Op{Method: http.MethodPut, Path: "/matters/{id}", ID: "updateMatter", Tag: tag,
		Summary: "修改执法事项 / replace a matter", Action: authz.ElementsWrite, Body: MatterInput{}, Reply: Matter{}},
		handleBody(http.StatusOK, s.UpdateMatter))
	api.Handle(httpx.Op{Method: http.MethodDelete, Path: "/matters/{id}", ID: "deleteMatter", Tag: tag,
		Summary: "删除执法事项 / delete a matter", Action: authz.ElementsWrite},
		handleDelete(s.DeleteMatter))
}

func (s *Service) officerRoutes(api *httpx.API) {
	const tag = "elements"
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/officers", ID: "listOfficers", Tag: tag,
		Summary: "执法人员（身份证号脱敏；已过期、即将到期的执法证排在前面）/ the tenant's officers, identity numbers masked, expired and expiring certificates first",
		Action:  authz.ElementsRead,
		Query: params(qParam("name or certificate number"), httpx.Param{Name: "body_id", Description: "所属主体 / body"},
			httpx.Param{Name: "cert_status", Description: "执法证登记状态 / certificate status as set (valid, suspended, revoked)"},
			httpx.Param{Name: "valid_on", Description: "执法证在该日有效 / certificate valid on (YYYY-MM-DD)"},
			httpx.Param{Name: "on", Description: "计算执法证状态的日期，默认今天 / the day certificate.state is computed for (YYYY-MM-DD), default today"}),
		Reply: OfficerList{}},
		handleList(func(c echo.Context, p Page) ([]Officer, int, error) {
			f := OfficerFilter{Q: c.QueryParam("q"), BodyID: c.QueryParam("body_id"), CertStatus: CertStatus(c.QueryParam("cert_status")),
				ValidOn: civil.Date(c.QueryParam("valid_on")), On: civil.Date(c.QueryParam("on")), Page: p}
			return s.Officers(c.Request().Context(), tenants.ScopeOf(c), f)
		}, func(os []Officer, n int, p Page) OfficerList { return OfficerList{Officers: os, Total: n, Page: p} }))
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/certificate-notices", ID: "listCertificateNotices", Tag: tag,
		Summary: "执法证到期提醒（每日每个执法主体一条）/ the day's certificate notices of the bodies you administer: expiring and expired certificates",
		Action:  authz.OfficersWrite,
		Query:   []httpx.Param{{Name: "on", Description: "提醒日期，默认今天 / the notices' day (YYYY-MM-DD), default today"}},
		Reply:   CertificateNoticeList{}},
		func(c echo.Context) error {
			out, err := s.CertificateNotices(c.Request().Context(), tenants.ScopeOf(c), civil.Date(c.QueryParam("on")))
			if err != nil {
				return err
			}
			return c.JSON(http.StatusOK, out)
		})
	api.Handle(httpx.Op{Method: http.MethodPost, Path: "/officers", ID: "createOfficer", Tag: tag,
		Summary: "登记执法人员及执法证 / register an officer and certificate", Action: authz.OfficersWrite,
		Body: OfficerInput{}, Reply: Officer{}, Status: http.StatusCreated},
		handleBody(http.StatusCreated, noID(s.CreateOfficer)))
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/officers/{id}", ID: "getOfficer", Tag: tag,
		Summary: "执法人员详情（有管理权限时显示完整身份证号）/ one officer (full identity number for officers.write)",
		Action:  authz.ElementsRead, Reply: Officer{}},
		handleGet(s.FindOfficer))
	api.Handle(httpx.Op{Method: http.MethodPut, Path: "/officers/{id}", ID: "updateOfficer", Tag: tag,
		Summary: "修改执法人员及执法证 / replace an officer and certificate", Action: authz.OfficersWrite, Body: OfficerInput{}, Reply: Officer{}},
		handleBody(http.StatusOK, s.UpdateOfficer))
	api.Handle(httpx.Op{Method: http.MethodDelete, Path: "/officers/{id}", ID: "deleteOfficer", Tag: tag,
		Summary: "删除执法人员 / delete an officer", Action: authz.OfficersWrite},
		handleDelete(s.DeleteOfficer))
}

func (s *Service) benchmarkRoutes(api *httpx.API) {
	const tag = "elements"
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/benchmarks", ID: "listBenchmarks", Tag: tag,
		Summary: "裁量基准（含上级发布）/ benchmarks of the tenant and the tenants above", Action: authz.ElementsRead,
		Query: params(qParam("title"), httpx.Param{Name: "matter_id", Description: "执法事项 / matter"}), Reply: BenchmarkList{}},
		handleList(func(c echo.Context, p Page) ([]Benchmark, int, error) {
			f := BenchmarkFilter{Q: c.QueryParam("q"), MatterID: c.QueryParam("matter_id"), Page: p}
			return s.Benchmarks(c.Request().Context(), tenants.ScopeOf(c), f)
		}, func(bs []Benchmark, n int, p Page) BenchmarkList {
			return BenchmarkList{Benchmarks: bs, Total: n, Page: p}
		}))
	api.Handle(httpx.Op{Method: http.MethodPost, Path: "/benchmarks", ID: "createBenchmark", Tag: tag,
		Summary: "新增裁量基准（随后发布版本）/ add a benchmark (then publish versions)", Action: authz.ElementsWrite,
		Body: BenchmarkInput{}, Reply: Benchmark{}, Status: http.StatusCreated},
		handleBody(http.StatusCreated, noID(s.CreateBenchmark)))
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/benchmarks/{id}", ID: "getBenchmark", Tag: tag,
		Summary: "裁量基准及其全部版本 / a benchmark with all its versions", Action: authz.ElementsRead, Reply: Benchmark{}},
		handleGet(s.FindBenchmark))
	api.Handle(httpx.Op{Method: http.MethodPut, Path: "/benchmarks/{id}", ID: "updateBenchmark", Tag: tag,
		Summary: "修改裁量基准标题 / change a benchmark's title", Action: authz.ElementsWrite, Body: BenchmarkInput{}, Reply: Benchmark{}},
		handleBody(http.StatusOK, s.UpdateBenchmark))
	api.Handle(httpx.Op{Method: http.MethodDelete, Path: "/benchmarks/{id}", ID: "deleteBenchmark", Tag: tag,
		Summary: "删除未发布版本的裁量基准 / delete a benchmark without versions", Action: authz.ElementsWrite},
		handleDelete(s.DeleteBenchmark))
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/benchmarks/{id}/versions", ID: "listBenchmarkVersions", Tag: tag,
		Summary: "裁量基准的版本 / the versions of a benchmark", Action: authz.ElementsRead, Reply: VersionList{}},
		func(c echo.Context) error {
			vs, err := s.BenchmarkVersions(c.Request().Context(), tenants.ScopeOf(c), c.Param("id"))
			if err != nil {
				return err
			}
			return c.JSON(http.StatusOK, VersionList{Versions: vs})
		})
	api.Handle(httpx.Op{Method: http.MethodPost, Path: "/benchmarks/{id}/versions", ID: "publishBenchmarkVersion", Tag: tag,
		Summary: "发布新版本（旧版本不变）/ publish the next version (earlier ones never change)", Action: authz.ElementsWrite,
		Body: VersionInput{}, Reply: BenchmarkVersion{}, Status: http.StatusCreated},
		handleBody(http.StatusCreated, s.PublishVersion))
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/benchmarks/{id}/versions/{version}", ID: "getBenchmarkVersion", Tag: tag,
		Summary: "裁量基准的某一版本 / one version of a benchmark", Action: authz.ElementsRead, Reply: BenchmarkVersion{}},
		func(c echo.Context) error {
			n, err := strconv.Atoi(c.Param("version"))
			if err != nil || n < 1 {
				return errs.E(errs.Invalid, "版本号须为正整数", "version must be a positive integer").
					WithFields(errs.Field("version", "须为正整数", "must be a positive integer"))
			}
			v, err := s.FindBenchmarkVersion(c.Request().Context(), tenants.ScopeOf(c), c.Param("id"), n)
			if err != nil {
				return err
			}
			return c.JSON(http.StatusOK, v)
		})
}

func (s *Service) importRoutes(api *httpx.API) {
	for _, kind := range ImportKinds {
		cols := ImportColumns[kind]
		action := authz.ElementsWrite
		if kind == ImportOfficers {
			action = authz.OfficersWrite
		}
		summary := fmt.Sprintf("批量导入（CSV 或 JSON，全部成功才导入）/ bulk import of %s, all rows or none; 422 with the row report when any row is refused. Columns: %s; optional: %s",
			kind, strings.Join(cols.Required, ", "), strings.Join(cols.Optional, ", "))
		api.Handle(httpx.Op{Method: http.MethodPost, Path: "/import/" + string(kind), ID: "import" + strings.ToUpper(string(kind[:1])) + string(kind[1:]),
			Tag: "elements", Summary: summary, Action: action, Body: []map[string]any{}, RawBody: []string{"text/csv"},
			Reply: ImportReport{}, Status: http.StatusCreated, MaxBody: MaxImportBytes},
			func(c echo.Context) error {
				data, err := io.ReadAll(io.LimitReader(c.Request().Body, MaxImportBytes+1))
				if err != nil {
					if errs.Is(err, errs.TooLarge) { // cut at the route's limit
						return errs.Ef(errs.TooLarge, "导入文件不能超过 %d MB", "an import file may not exceed %d MB", MaxImportBytes>>20)
					}
					return errs.E(errs.Invalid, "无法读取请求体", "cannot read the request body").WithCause(err)
				}
				rep, err := s.Import(c.Request().Context(), tenants.ScopeOf(c), kind, c.Request().Header.Get(echo.HeaderContentType), bytes.NewReader(data))
				if rep != nil && len(rep.Errors) > 0 {
					return c.JSON(http.StatusUnprocessableEntity, rep)
				}
				if err != nil {
					return err
				}
				return c.JSON(http.StatusCreated, rep)
			})
	}
}

// handleGet answers 200 with what find returns for the path's id.
func handleGet[T any](find func(ctx context.Context, sc tenants.Scope, id string) (T, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		out, err := find(c.Request().Context(), tenants.ScopeOf(c), c.Param("id"))
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, out)
	}
}

// handleBody answers status with what call returns for the path's id ("" on a path without one)
// and the JSON request body.
func handleBody[In, T any](status int, call func(ctx context.Context, sc tenants.Scope, id string, in In) (T, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		var in In
		if err := httpx.BindJSON(c, &in); err != nil {
			return err
		}
		out, err := call(c.Request().Context(), tenants.ScopeOf(c), c.Param("id"), in)
		if err != nil {
			return err
		}
		return c.JSON(status, out)
	}
}

// noID adapts a call on a path without an id for handleBody.
func noID[In, T any](call func(ctx context.Context, sc tenants.Scope, in In) (T, error)) func(context.Context, tenants.Scope, string, In) (T, error) {
	return func(ctx context.Context, sc tenants.Scope, _ string, in In) (T, error) { return call(ctx, sc, in) }
}

// handleDelete answers 204 once del removed what the path's id names.
func handleDelete(del func(ctx context.Context, sc tenants.Scope, id string) error) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := del(c.Request().Context(), tenants.ScopeOf(c), c.Param("id")); err != nil {
			return err
		}
		return c.NoContent(http.StatusNoContent)
	}
}

// handleList answers 200 with what reply makes of the rows (never null) and the total that list
// returns for the page that limit and offset ask for, and of that page, normalised.
func handleList[T, R any](list func(c echo.Context, p Page) ([]T, int, error), reply func(rows []T, total int, p Page) R) echo.HandlerFunc {
	return func(c echo.Context) error {
		p, err := page(c)
		if err != nil {
			return err
		}
		rows, n, err := list(c, p)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, reply(nonNil(rows), n, p.norm()))
	}
}

// nonNil returns s, or an empty slice for nil, so that lists render as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
