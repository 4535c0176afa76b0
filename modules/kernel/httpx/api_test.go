package httpx_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/labstack/echo/v4"

	"zhifa/modules/kernel/httpx"
)

type replyBody struct {
	HTML string `json:"html"`
}

// TestReplyContent: an operation's answer is documented with the content types it answers: JSON
// for Reply, binary strings for RawReply, both when it has both; with neither it is a 204. An
// answer of a type not documented does not match the document.
func TestReplyContent(t *testing.T) {
	t.Parallel()
	e := echo.New()
	api := httpx.NewAPI(e, "/api", "test", "1", httpx.Auth{})
	none := func(echo.Context) error { return nil }
	for _, op := range []httpx.Op{
		{Method: "GET", Path: "/json", ID: "json", Reply: replyBody{}},
		{Method: "GET", Path: "/pdf", ID: "pdf", RawReply: []string{"application/pdf"}},
		{Method: "GET", Path: "/html", ID: "html", RawReply: []string{"text/html"}},
		{Method: "POST", Path: "/either", ID: "either", Reply: replyBody{}, RawReply: []string{"application/pdf"}},
		{Method: "POST", Path: "/created", ID: "created", RawReply: []string{"application/pdf"}, Status: http.StatusCreated},
		{Method: "DELETE", Path: "/none", ID: "none"},
	} {
		op.Access, op.Tag, op.Summary = httpx.Public, "test", op.ID
		api.Handle(op, none)
	}
	raw, err := json.Marshal(api.Document())
	if err != nil {
		t.Fatal(err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("invalid document: %v", err)
	}

	for path, want := range map[string]string{
		"GET /json":     "200 application/json",
		"GET /pdf":      "200 application/pdf:binary",
		"GET /html":     "200 text/html:binary",
		"POST /either":  "200 application/json application/pdf:binary",
		"POST /created": "201 application/pdf:binary",
		"DELETE /none":  "204",
	} {
		method, p, _ := strings.Cut(path, " ")
		o := doc.Paths.Find(p).GetOperation(method)
		var got []string
		for status, r := range o.Responses.Map() {
			if status == "default" {
				continue
			}
			got = append(got, status)
			var types []string
			for ct, mt := range r.Value.Content {
				if mt.Schema.Value.Format == "binary" {
					ct += ":binary"
				}
				types = append(types, ct)
			}
			sort.Strings(types)
			got = append(got, types...)
		}
		if strings.Join(got, " ") != want {
			t.Errorf("%s answers %q, want %q", path, strings.Join(got, " "), want)
		}
	}

	doc.Servers = nil
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	pdf, js := []byte("%PDF-1.7\n\x00\xff binary"), []byte(`{"html":"<p>x</p>"}`)
	for _, c := range []struct {
		name, method, path, contentType string
		body                            []byte
		match                           bool
	}{
		{"a PDF", "GET", "/pdf", "application/pdf", pdf, true},
		{"JSON where a PDF is documented", "GET", "/pdf", "application/json", js, false},
		{"a PDF where JSON is documented", "GET", "/json", "application/pdf", pdf, false},
		{"either: the JSON", "POST", "/either", "application/json", js, true},
		{"either: the PDF", "POST", "/either", "application/pdf", pdf, true},
		{"either: neither", "POST", "/either", "text/html; charset=UTF-8", []byte("<p>"), false},
		{"HTML with its charset", "GET", "/html", "text/html; charset=UTF-8", []byte("<!doctype html>"), true},
	} {
		req, _ := http.NewRequest(c.method, c.path, nil)
		route, params, err := router.FindRoute(req)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		err = openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
			RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
			Status:                 http.StatusOK,
			Header:                 http.Header{"Content-Type": {c.contentType}},
			Body:                   io.NopCloser(bytes.NewReader(c.body)),
		})
		if (err == nil) != c.match {
			t.Errorf("%s: matches the document: %v, want %v", c.name, err == nil, c.match)
		}
	}
}

// TestParamsControlCharacters: every operation refuses a query or path parameter holding a
// control character or bytes that are not UTF-8 (400 naming it) before its handler runs; a tab
// is text.
func TestParamsControlCharacters(t *testing.T) {
	t.Parallel()
	e := echo.New()
	e.HTTPErrorHandler = httpx.ErrorHandler(slog.New(slog.NewTextHandler(io.Discard, nil)))
	api := httpx.NewAPI(e, "/api", "test", "1", httpx.Auth{})
	api.Handle(httpx.Op{Method: "GET", Path: "/things/{id}", ID: "thing", Access: httpx.Public, Tag: "test", Summary: "thing"},
		func(c echo.Context) error { return c.String(http.StatusOK, "ran") })
	for target, want := range map[string]string{
		"/api/things/a?q=%00":       "400 q",
		"/api/things/a?q=x%1Fy":     "400 q",
		"/api/things/a?q=%FF":       "400 q",
		"/api/things/a%00b":         "400 id",
		"/api/things/a?q=%09&n=%E5": "400 n",
		"/api/things/a?q=%09":       "200 ran",
	} {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest("GET", target, nil))
		got := strconv.Itoa(rec.Code) + " " + rec.Body.String()
		if rec.Code == http.StatusBadRequest {
			var b httpx.ErrorBody
			if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil || len(b.Fields) != 1 || b.Message.EN == "" || b.Message.ZH == "" {
				t.Errorf("%s: %s", target, rec.Body)
				continue
			}
			got = "400 " + b.Fields[0].Field
		}
		if got != want {
			t.Errorf("%s: %s, want %s", target, got, want)
		}
	}
}
