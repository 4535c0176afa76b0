package testkit

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/labstack/echo/v4"

	"zhifa/modules/kernel/httpx"
)

// Server is a package's routes under test, on the echo instance its test world built: the
// scenarios run against it, and its OpenAPI document is valid.
type Server struct {
	Echo *echo.Echo
	// Doc is the API's OpenAPI document.
	Doc    *openapi3.T
	prefix string // the API's path prefix
	router routers.Router
	// CheckResponses, when set, checks every 2xx answer of the API against the operation of the
	// document it answers; CheckErrors, with it, every error answer too (but a 404 or 405 to a
	// path or method the document lacks, which is the router's own).
	CheckResponses, CheckErrors bool
	// RequestIDs, when set, requires every error answer to carry its request ID, as the running
	// platform's do.
	RequestIDs bool
}

// NewServer returns the Server of e, whose API is api; the test stops if the API's OpenAPI
// document is not valid.
func NewServer(t testing.TB, e *echo.Echo, api *httpx.API) *Server {
	t.Helper()
	raw, err := json.Marshal(api.Document())
	NoErr(t, err)
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	NoErr(t, err)
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("OpenAPI document: %v", err)
	}
	s := &Server{Echo: e, Doc: doc}
	if len(doc.Servers) > 0 {
		s.prefix = doc.Servers[0].URL
	}
	bare := *doc
	bare.Servers = nil
	s.router, err = legacy.NewRouter(&bare)
	NoErr(t, err)
	return s
}

// Run runs each scenario, in order, as a subtest named after it.
func (s *Server) Run(t *testing.T, scenarios []Scenario) {
	t.Helper()
	for _, sc := range scenarios {
		t.Run(sc.Name, func(t *testing.T) { s.check(t, sc, false) })
	}
}

// Do runs one scenario in t itself and returns its answer, for a step whose answer the next
// steps need: a wrong status stops the test.
func (s *Server) Do(t testing.TB, sc Scenario) *Response {
	t.Helper()
	return s.check(t, sc, true)
}

func (s *Server) check(t testing.TB, sc Scenario, fatal bool) *Response {
	t.Helper()
	req := sc.request()
	r := record(s.Echo, req)
	problems := s.problems(sc, req, r)
	if fatal && r.Status != sc.Status {
		t.Fatalf("%s: %s %s: %s", sc.Name, sc.Method, sc.Path, problems[0])
	}
	for _, p := range problems {
		t.Errorf("%s: %s %s: %s", sc.Name, sc.Method, sc.Path, p)
	}
	if sc.Check != nil && r.Status == sc.Status {
		sc.Check(t, r)
	}
	return r
}

// problems lists how r, the answer to req, falls short of sc and of what s checks of every
// answer (nil: it does not).
func (s *Server) problems(sc Scenario, req *http.Request, r *Response) []string {
	problems := sc.problems(r)
	if r.Status != sc.Status {
		return problems
	}
	if s.CheckResponses && (r.Status < 300 || s.CheckErrors) {
		problems = append(problems, s.againstDocument(req, r)...)
	}
	if s.RequestIDs && r.Status >= 400 && r.String("request_id") == "" {
		problems = append(problems, fmt.Sprintf("the error carries no request ID: %.300s", r.Body))
	}
	return problems
}

// againstDocument checks an answer of the API against the operation of the document it
// answers.
func (s *Server) againstDocument(req *http.Request, r *Response) []string {
	if !strings.HasPrefix(req.URL.Path, s.prefix+"/") {
		return nil
	}
	u, _ := url.Parse(strings.TrimPrefix(req.URL.RequestURI(), s.prefix))
	bare, _ := http.NewRequest(req.Method, u.String(), nil)
	route, params, err := s.router.FindRoute(bare)
	if err != nil {
		if r.Status == http.StatusNotFound || r.Status == http.StatusMethodNotAllowed {
			return nil // no such operation: the router's own answer
		}
		return []string{"the operation is not in the document: " + err.Error()}
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: bare, PathParams: params, Route: route},
		Status:                 r.Status,
		Header:                 r.Header,
		Body:                   io.NopCloser(bytes.NewReader(r.Body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		return []string{"the answer does not match the document: " + err.Error()}
	}
	return nil
}
