package app_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// TestOpenAPIDocumentMatchesRoutes keeps /api/openapi.json true: it is a valid OpenAPI 3 document,
// and it describes exactly the routes mounted under /api/v1, no more and no fewer.
func TestOpenAPIDocumentMatchesRoutes(t *testing.T) {
	p := startPlatform(t, "sqlite")
	doc := p.openAPI()
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("invalid OpenAPI document: %v", err)
	}
	documented := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented[method+" "+path] = true
		}
	}
	var missing []string
	for _, r := range p.App.Echo.Routes() {
		if !strings.HasPrefix(r.Path, "/api/v1/") {
			continue
		}
		key := r.Method + " " + echoToOpenAPI(strings.TrimPrefix(r.Path, "/api/v1"))
		if !documented[key] {
			missing = append(missing, key)
		}
		delete(documented, key)
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("routes missing from the document: %v", missing)
	}
	if len(documented) > 0 {
		t.Errorf("documented operations with no route: %v", documented)
	}
	for _, op := range p.App.API.Ops() {
		if op.Summary == "" || op.ID == "" {
			t.Errorf("%s %s lacks an operation ID or summary", op.Method, op.Path)
		}
	}
}

func echoToOpenAPI(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if strings.HasPrefix(s, ":") {
			parts[i] = "{" + s[1:] + "}"
		}
	}
	return strings.Join(parts, "/")
}

// openAPI fetches and parses the served document.
func (p *platform) openAPI() *openapi3.T {
	p.t.Helper()
	r := p.do(http.MethodGet, "/api/openapi.json", "", "", nil)
	if r.Status != http.StatusOK {
		p.t.Fatalf("openapi.json: %d", r.Status)
	}
	doc, err := openapi3.NewLoader().LoadFromData(r.Raw)
	if err != nil {
		p.t.Fatalf("parse openapi.json: %v", err)
	}
	return doc
}

// checkAgainstDocument validates one API response against the operation the document gives for it.
func (p *platform) checkAgainstDocument(method, path string, status int, header http.Header, body []byte) {
	p.t.Helper()
	if !strings.HasPrefix(path, "/api/v1/") {
		return
	}
	if p.router == nil {
		doc := p.openAPI()
		doc.Servers = nil
		r, err := legacy.NewRouter(doc)
		if err != nil {
			p.t.Fatal(err)
		}
		p.router = r
	}
	u, _ := url.Parse(strings.TrimPrefix(path, "/api/v1"))
	req, _ := http.NewRequest(method, u.String(), nil)
	route, params, err := p.router.FindRoute(req)
	if err != nil {
		if status == http.StatusNotFound || status == http.StatusMethodNotAllowed {
			return // no such operation: the 404/405 is the framework's
		}
		p.t.Errorf("%s %s answered %d but is not in the document: %v", method, path, status, err)
		return
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		p.t.Errorf("%s %s: the %d response does not match the document: %v", method, path, status, err)
	}
}
