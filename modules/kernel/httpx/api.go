package httpx

import (
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3gen"
	"github.com/labstack/echo/v4"

	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
)

// Access says who may call an operation.
type Access int

const (
	// Scoped operations need a session and a tenant scope, and the scope's roles must allow Op.Action.
	Scoped Access = iota
	// Session operations need an authenticated principal but no tenant (e.g. "who am I").
	Session
	// Public operations need nothing (health, dev login, public verification).
	Public
)

// Param is a query parameter of an operation.
type Param struct {
	Name        string
	Description string
	Required    bool
	Type        string // "string" (default), "integer" or "boolean"
}

// Op describes one API operation: its route, who may call it, and its request and response shapes.
type Op struct {
	Method  string
	Path    string // OpenAPI form, relative to the API prefix: "/tenants/{id}"
	ID      string // operationId
	Summary string // Chinese / English
	Tag     string
	Access  Access
	Action  authz.Action // required for Scoped operations
	Query   []Param
	Body    any      // a value of the JSON request body type, or nil
	RawBody []string // non-JSON request content types (e.g. "text/csv"), documented as strings
	Reply   any      // a value of the JSON response type, or nil
	// RawReply are the non-JSON response content types (e.g. "application/pdf"), documented as
	// binary strings; with Reply, the operation answers either.
	RawReply []string
	Status   int // success status; default 200, or 204 when there is neither Reply nor RawReply
	// MaxBody is the largest request body the operation accepts (an upload declares its own);
	// 0: the server's http.body_limit. LimitBody applies it.
	MaxBody int64
}

// Auth provides the middlewares an API needs from the identity and tenancy layers.
type Auth struct {
	Session echo.MiddlewareFunc               // authenticates and sets the principal, or answers 401
	Tenant  echo.MiddlewareFunc               // resolves the tenant and builds the scope, or answers 404
	Roles   func(c echo.Context) []authz.Role // the roles of the request's scope
}

// API mounts operations under a prefix and keeps the OpenAPI document that describes them.
type API struct {
	g    *echo.Group
	auth Auth
	doc  *openapi3.T
	gen  *openapi3gen.Generator
	ops  []Op
	// limits are the declared body limits by method and echo route path.
	limits map[string]int64
}

// NewAPI returns an API mounted at prefix (e.g. "/api/v1") on e.
func NewAPI(e *echo.Echo, prefix, title, version string, auth Auth) *API {
	doc := &openapi3.T{
		OpenAPI: "3.0.3",
		Info:    &openapi3.Info{Title: title, Version: version},
		Servers: openapi3.Servers{{URL: prefix}},
		Paths:   openapi3.NewPaths(),
		Components: &openapi3.Components{
			Schemas: openapi3.Schemas{},
			SecuritySchemes: openapi3.SecuritySchemes{
				"sessionToken":  {Value: openapi3.NewSecurityScheme().WithType("apiKey").WithIn("header").WithName("X-Session-Token")},
				"sessionCookie": {Value: openapi3.NewSecurityScheme().WithType("apiKey").WithIn("cookie").WithName("ory_kratos_session")},
			},
			Parameters: openapi3.ParametersMap{
				"tenant": {Value: openapi3.NewHeaderParameter("X-Zhifa-Tenant").
					WithDescription("act at this tenant (one the caller holds a role at or above); default: the caller's home tenant").
					WithSchema(openapi3.NewStringSchema())},
			},
		},
	}
	a := &API{g: e.Group(prefix), auth: auth, doc: doc, gen: openapi3gen.NewGenerator(openapi3gen.UseAllExportedFields()),
		limits: map[string]int64{}}
	errRef := a.schema(ErrorBody{})
	doc.Components.Responses = openapi3.ResponseBodies{
		"Error": {Value: openapi3.NewResponse().WithDescription("错误 / error").WithJSONSchemaRef(errRef)},
	}
	return a
}

var pathParamRE = regexp.MustCompile(`\{([a-zA-Z_]+)\}`)

// Handle mounts h for op and adds op to the document. Scoped operations are wrapped in the
// session, tenant and authorisation checks, in that order; then every operation refuses query
// and path parameters holding control characters (400 naming each).
func (a *API) Handle(op Op, h echo.HandlerFunc) {
	if op.Access == Scoped && op.Action == "" {
		panic("httpx: scoped operation " + op.ID + " has no action")
	}
	var mw []echo.MiddlewareFunc
	switch op.Access {
	case Scoped:
		mw = append(mw, a.auth.Session, a.auth.Tenant, a.authorize(op.Action))
	case Session:
		mw = append(mw, a.auth.Session)
	}
	mw = append(mw, checkParams)
	r := a.g.Add(op.Method, pathParamRE.ReplaceAllString(op.Path, ":$1"), h, mw...)
	if op.MaxBody > 0 {
		a.limits[op.Method+" "+r.Path] = op.MaxBody
	}
	a.ops = append(a.ops, op)
	a.describe(op)
}

func (a *API) authorize(action authz.Action) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if !authz.Allowed(a.auth.Roles(c), action) {
				return errs.ErrForbidden.WithOp(string(action))
			}
			return next(c)
		}
	}
}

// BodyLimit is the body limit the operation at method and echo route path declares, or 0 (for
// LimitBody).
func (a *API) BodyLimit(method, path string) int64 { return a.limits[method+" "+path] }

// Document returns the OpenAPI document of every operation mounted so far.
func (a *API) Document() *openapi3.T { return a.doc }

// Ops returns the operations mounted so far.
func (a *API) Ops() []Op { return a.ops }

func (a *API) schema(v any) *openapi3.SchemaRef {
	ref, err := a.gen.NewSchemaRefForValue(v, a.doc.Components.Schemas)
	if err != nil {
		panic(fmt.Sprintf("httpx: schema for %T: %v", v, err))
	}
	t := reflect.TypeOf(v)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() == reflect.Struct && t.Name() != "" {
		name := schemaName(t)
		a.doc.Components.Schemas[name] = ref
		return openapi3.NewSchemaRef("#/components/schemas/"+name, ref.Value)
	}
	return ref
}

func schemaName(t reflect.Type) string {
	pkg := t.PkgPath()
	if i := strings.LastIndex(pkg, "/"); i >= 0 {
		pkg = pkg[i+1:]
	}
	return pkg + "." + t.Name()
}

func (a *API) describe(op Op) {
	o := openapi3.NewOperation()
	o.OperationID = op.ID
	o.Summary = op.Summary
	o.Tags = []string{op.Tag}
	for _, m := range pathParamRE.FindAllStringSubmatch(op.Path, -1) {
		o.AddParameter(openapi3.NewPathParameter(m[1]).WithSchema(openapi3.NewStringSchema()))
	}
	for _, q := range op.Query {
		s := openapi3.NewStringSchema()
		switch q.Type {
		case "integer":
			s = openapi3.NewIntegerSchema()
		case "boolean":
			s = openapi3.NewBoolSchema()
		}
		p := openapi3.NewQueryParameter(q.Name).WithDescription(q.Description).WithSchema(s)
		p.Required = q.Required
		o.AddParameter(p)
	}
	if op.Access != Public {
		o.Security = &openapi3.SecurityRequirements{{"sessionToken": {}}, {"sessionCookie": {}}}
	}
	if op.Access == Scoped {
		o.Parameters = append(o.Parameters, &openapi3.ParameterRef{Ref: "#/components/parameters/tenant"})
		o.Description = "action: " + string(op.Action)
	}
	if op.Body != nil || len(op.RawBody) > 0 {
		content := openapi3.Content{}
		if op.Body != nil {
			content["application/json"] = openapi3.NewMediaType().WithSchemaRef(a.schema(op.Body))
		}
		for _, ct := range op.RawBody {
			content[ct] = openapi3.NewMediaType().WithSchema(openapi3.NewStringSchema())
		}
		o.RequestBody = &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithRequired(true).WithContent(content)}
	}
	status := op.Status
	if status == 0 {
		status = http.StatusOK
		if op.Reply == nil && len(op.RawReply) == 0 {
			status = http.StatusNoContent
		}
	}
	resp := openapi3.NewResponse().WithDescription(http.StatusText(status))
	if op.Reply != nil || len(op.RawReply) > 0 {
		content := openapi3.Content{}
		if op.Reply != nil {
			content["application/json"] = openapi3.NewMediaType().WithSchemaRef(a.schema(op.Reply))
		}
		for _, ct := range op.RawReply {
			content[ct] = openapi3.NewMediaType().WithSchema(openapi3.NewStringSchema().WithFormat("binary"))
		}
		resp.Content = content
	}
	o.AddResponse(status, resp)
	o.Responses.Set("default", &openapi3.ResponseRef{Ref: "#/components/responses/Error"})
	a.doc.AddOperation(op.Path, op.Method, o)
}

// QueryInt reads an optional integer query parameter within [min, max], defaulting to def.
func QueryInt(c echo.Context, name string, def, min, max int) (int, error) {
	s := c.QueryParam(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < min || n > max {
		return 0, errs.E(errs.Invalid, "查询参数有误", "invalid query parameter").
			WithFields(errs.Field(name, fmt.Sprintf("须为 %d 至 %d 的整数", min, max), fmt.Sprintf("must be an integer from %d to %d", min, max)))
	}
	return n, nil
}
