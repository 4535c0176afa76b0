package cases

import (
	"io"
	"maps"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/labstack/echo/v4"

	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/blobs"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/httpx"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

// HeaderIdempotencyKey names the header every transition carries; HeaderReplayed marks a replayed
// answer.
const (
	HeaderIdempotencyKey = "Idempotency-Key"
	HeaderReplayed       = "Idempotent-Replayed"
)

// ListReply is a page of cases.
type ListReply struct {
	Cases  []Summary `json:"cases"`
	Total  int       `json:"total"`
	Limit  int       `json:"limit"`
	Offset int       `json:"offset"`
}

// EvidenceReply lists a case's evidence.
type EvidenceReply struct {
	Evidence []Evidence `json:"evidence"`
}

// Routes mounts the case API under the API prefix: create, list, detail (with deadlines, record
// and next actions), one endpoint per action, evidence upload, list and download, and chain
// verification.
func (s *Service) Routes(api *httpx.API) {
	api.Handle(httpx.Op{Method: http.MethodPost, Path: "/cases", ID: "createCase", Tag: "cases",
		Summary: "新建案件（案源、检查计划、强制措施、强制执行）/ open a case; Idempotency-Key header required",
		Action:  authz.CasesWrite, Body: NewCase{}, Reply: ActResult{}, Status: http.StatusCreated},
		func(c echo.Context) error {
			var in NewCase
			if err := httpx.BindJSON(c, &in); err != nil {
				return err
			}
			in.IdempotencyKey = c.Request().Header.Get(HeaderIdempotencyKey)
			if err := checkKey(in.IdempotencyKey); err != nil {
				return err
			}
			res, err := s.Create(c.Request().Context(), tenants.ScopeOf(c), in)
			if err != nil {
				return err
			}
			return reply(c, http.StatusCreated, res)
		})
	idempotent(api, http.MethodPost, "/cases")

	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/cases", ID: "listCases", Tag: "cases",
		Summary: "案件列表 / list cases, most recently changed first", Action: authz.CasesRead, Reply: ListReply{},
		Query: []httpx.Param{
			{Name: "state", Description: "a state, e.g. investigating"},
			{Name: "kind", Description: "inspection, penalty_summary, penalty_general, coercion, enforcement"},
			{Name: "body_id", Description: "an enforcement body"},
			{Name: "officer", Description: "me: the cases whose team includes the caller"},
			{Name: "overdue", Type: "boolean", Description: "only cases with a deadline before today"},
			{Name: "calendar_wait", Type: "integer", Description: "only cases with a deadline waiting for this year's holiday notice, e.g. 2027"},
			{Name: "q", Description: "a case code, or part of the party's name"},
			{Name: "limit", Type: "integer"}, {Name: "offset", Type: "integer"},
		}},
		func(c echo.Context) error {
			f, err := filterOf(c)
			if err != nil {
				return err
			}
			out, n, err := s.List(c.Request().Context(), tenants.ScopeOf(c), f)
			if err != nil {
				return err
			}
			return c.JSON(http.StatusOK, ListReply{Cases: out, Total: n, Limit: f.Limit, Offset: f.Offset})
		})

	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/cases/{id}", ID: "getCase", Tag: "cases",
		Summary: "案件详情：期限、记录、可执行的下一步 / a case with its deadlines, record and next actions",
		Action:  authz.CasesRead, Reply: Detail{}},
		func(c echo.Context) error {
			d, err := s.Find(c.Request().Context(), tenants.ScopeOf(c), c.Param("id"))
			if err != nil {
				return err
			}
			return c.JSON(http.StatusOK, d)
		})

	api.Handle(httpx.Op{Method: http.MethodPost, Path: "/cases/{id}/reveal", ID: "revealCaseParty", Tag: "cases",
		Summary: "显示当事人完整身份号码（记录查看人和时间）/ the party's full identity number; each reveal is logged on the case",
		Action:  authz.CasesRead, Reply: Revealed{}},
		func(c echo.Context) error {
			r, err := s.Reveal(c.Request().Context(), tenants.ScopeOf(c), c.Param("id"))
			if err != nil {
				return err
			}
			c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
			return c.JSON(http.StatusOK, r)
		})

	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/cases/{id}/chain", ID: "verifyCaseChain", Tag: "cases",
		Summary: "校验全过程记录哈希链 / verify the case's hash chain; names the first broken event",
		Action:  authz.CasesRead, Reply: ChainReport{}},
		func(c echo.Context) error {
			rep, err := s.VerifyChain(c.Request().Context(), tenants.ScopeOf(c), c.Param("id"))
			if err != nil {
				return err
			}
			return c.JSON(http.StatusOK, rep)
		})

	for _, a := range s.steps.sorted() {
		def := s.steps[a]
		if def.Input == nil {
			continue
		}
		path := "/cases/{id}/actions/" + string(a)
		api.Handle(httpx.Op{Method: http.MethodPost, Path: path, ID: "case_" + string(a), Tag: "case actions",
			Summary: def.Title.ZH + " / " + def.Title.EN + ruleNote(def), Action: def.Perm, Body: def.Input(), Reply: ActResult{}},
			func(c echo.Context) error {
				raw, err := jsonBody(c)
				if err != nil {
					return s.hidden(c.Request().Context(), tenants.ScopeOf(c), c.Param("id"), err)
				}
				res, err := s.Act(c.Request().Context(), tenants.ScopeOf(c), c.Param("id"), a, c.Request().Header.Get(HeaderIdempotencyKey), raw)
				if err != nil {
					return err
				}
				return reply(c, http.StatusOK, res)
			})
		idempotent(api, http.MethodPost, path)
	}

	api.Handle(httpx.Op{Method: http.MethodPost, Path: "/cases/{id}/evidence", ID: "addCaseEvidence", Tag: "cases",
		Summary: "上传证据（multipart：file、title、kind、collected_on、on、note、lat、lng、accuracy_m）/ upload evidence; its SHA-256 enters the chain",
		Action:  authz.CasesWrite, RawBody: []string{"multipart/form-data"}, Reply: ActResult{}, Status: http.StatusCreated,
		MaxBody: s.maxUpload + blobs.MaxFieldBytes},
		s.upload)
	idempotent(api, http.MethodPost, "/cases/{id}/evidence")

	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/cases/{id}/evidence", ID: "listCaseEvidence", Tag: "cases",
		Summary: "证据列表 / a case's evidence", Action: authz.CasesRead, Reply: EvidenceReply{}},
		func(c echo.Context) error {
			out, err := s.Evidence(c.Request().Context(), tenants.ScopeOf(c), c.Param("id"))
			if err != nil {
				return err
			}
			return c.JSON(http.StatusOK, EvidenceReply{Evidence: out})
		})

	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/cases/{id}/evidence/{evidence_id}/file", ID: "getCaseEvidenceFile", Tag: "cases",
		Summary: "下载证据文件（X-Content-SHA256 为记录的哈希）/ download an evidence file", Action: authz.CasesRead, RawReply: []string{"*/*"}},
		func(c echo.Context) error {
			ev, f, err := s.OpenEvidence(c.Request().Context(), tenants.ScopeOf(c), c.Param("id"), c.Param("evidence_id"))
			if err != nil {
				return err
			}
			defer f.Close()
			h := c.Response().Header()
			h.Set("X-Content-SHA256", ev.SHA256)
			h.Set(echo.HeaderContentDisposition, mime.FormatMediaType("attachment", map[string]string{"filename": ev.FileName}))
			h.Set("X-Content-Type-Options", "nosniff")
			return c.Stream(http.StatusOK, ev.ContentType, f)
		})
}

// ruleNote cites the provision an action implements, naming the kinds when it depends on them.
func ruleNote(def *actionDef) string {
	cite := func(r *errs.Rule) string { return rules.RefCite(r).Screen() }
	if def.KindRule == nil {
		if def.Rule == nil {
			return ""
		}
		return "（" + cite(def.Rule) + "）"
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(def.KindRule)) {
		parts = append(parts, string(k)+"："+cite(def.KindRule[k]))
	}
	return "（" + strings.Join(parts, "；") + "；其他案件不引条文 / no citation for other kinds）"
}

// idempotent documents the Idempotency-Key header on an operation.
func idempotent(api *httpx.API, method, path string) {
	item := api.Document().Paths.Find(path)
	if item == nil {
		return
	}
	if op := item.GetOperation(method); op != nil {
		p := openapi3.NewHeaderParameter(HeaderIdempotencyKey).WithRequired(true).WithSchema(openapi3.NewStringSchema().WithMaxLength(MaxKeyLength)).
			WithDescription("a key unique to this request (e.g. a UUID): a replay returns the first result and changes nothing; reused with another body: 422")
		op.AddParameter(p)
	}
}

// reply answers a transition, marking a replay.
func reply(c echo.Context, status int, res *ActResult) error {
	if res.Replayed {
		c.Response().Header().Set(HeaderReplayed, "true")
	}
	return c.JSON(status, res.masked())
}

// jsonBody reads an action's JSON body (an empty body means {}).
func jsonBody(c echo.Context) ([]byte, error) {
	raw, err := io.ReadAll(c.Request().Body)
	if err != nil {
		if errs.Is(err, errs.TooLarge) { // cut at the route's limit (httpx.LimitBody)
			return nil, err
		}
		return nil, errs.E(errs.Invalid, "无法读取请求体", "cannot read the request body")
	}
	if len(strings.TrimSpace(string(raw))) == 0 {
		return []byte("{}"), nil
	}
	if mt, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType)); mt != echo.MIMEApplicationJSON {
		return nil, errs.E(errs.Invalid, "请求体须为 JSON（Content-Type: application/json）", "request body must be JSON (Content-Type: application/json)")
	}
	return raw, nil
}

// filterOf reads the list filter from the query.
func filterOf(c echo.Context) (Filter, error) {
	f := Filter{State: State(c.QueryParam("state")), Kind: Kind(c.QueryParam("kind")), BodyID: c.QueryParam("body_id"), Q: c.QueryParam("q")}
	var p problems
	switch c.QueryParam("officer") {
	case "":
	case "me":
		f.Mine = true
	default:
		p.add("officer", "只支持 me", "only me is supported")
	}
	switch c.QueryParam("overdue") {
	case "", "false":
	case "true":
		f.Overdue = true
	default:
		p.add("overdue", "须为 true 或 false", "must be true or false")
	}
	if err := p.err(); err != nil {
		return f, err
	}
	var err error
	if f.CalendarWait, err = httpx.QueryInt(c, "calendar_wait", 0, rules.MinYear, rules.MaxYear); err != nil {
		return f, err
	}
	if f.Limit, err = httpx.QueryInt(c, "limit", DefaultLimit, 1, MaxLimit); err != nil {
		return f, err
	}
	f.Offset, err = httpx.QueryInt(c, "offset", 0, 0, MaxOffset)
	return f, err
}

// upload handles a multipart evidence upload; a malformed upload for a case the caller cannot see
// is NotFound.
func (s *Service) upload(c echo.Context) error {
	return s.hidden(c.Request().Context(), tenants.ScopeOf(c), c.Param("id"), s.receive(c))
}

// receive streams a multipart evidence upload (its file staged as it arrives) and adds it.
func (s *Service) receive(c echo.Context) error {
	req, sc, id := c.Request(), tenants.ScopeOf(c), c.Param("id")
	key := req.Header.Get(HeaderIdempotencyKey)
	if err := s.mayUpload(req.Context(), sc, id, key, nil); err != nil {
		return err
	}
	form, err := s.files().ReceiveForm(req, sc.TenantID(),
		errs.E(errs.Invalid, "须上传一个文件（字段 file）", "upload exactly one file (field file)").WithFields(errs.Field("file", "必填", "required")))
	if err != nil {
		return err
	}
	defer form.File.Discard()
	val := form.Value
	in := EvidenceInput{Title: val("title"), Kind: val("kind"), CollectedOn: civil.Date(val("collected_on"))}
	in.On, in.Note = civil.Date(val("on")), val("note")
	var p problems
	if at := val("at"); at != "" {
		t, err := time.Parse(time.RFC3339, at)
		if err != nil {
			p.add("at", "须为 RFC 3339 时间", "must be an RFC 3339 time")
		}
		in.At = &t
	}
	if val("lat") != "" || val("lng") != "" {
		lat, err1 := strconv.ParseFloat(val("lat"), 64)
		lng, err2 := strconv.ParseFloat(val("lng"), 64)
		acc, err3 := 0.0, error(nil)
		if v := val("accuracy_m"); v != "" {
			acc, err3 = strconv.ParseFloat(v, 64)
		}
		if err1 != nil || err2 != nil || err3 != nil {
			p.add("location", "lat、lng、accuracy_m 须为数字", "lat, lng and accuracy_m must be numbers")
		}
		in.Location = &Location{Lat: lat, Lng: lng, AccuracyM: acc}
	}
	if err := p.err(); err != nil {
		return err
	}
	res, err := s.recordEvidence(req.Context(), sc, id, key, in, form.FileName, form.File)
	if err != nil {
		return err
	}
	return reply(c, http.StatusCreated, res)
}
