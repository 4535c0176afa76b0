package testkit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"zhifa/modules/kernel/errs"
)

// Scenario is one HTTP request of a test table and what its answer must show, in the manner of
// pocketbase's tests.ApiScenario: who sends what, the status, content that must and must not
// be in the answer, and values at JSON paths.
type Scenario struct {
	Name   string
	Caller Caller
	Method string
	Path   string
	// Body is sent as it is when it is a string or []byte, and as JSON otherwise (nil: none).
	Body any
	// ContentType is the body's type (default application/json when there is a body).
	ContentType string
	Headers     map[string]string

	Status int
	// Code is the error code the answer carries, Fields the fields its error must name. Every
	// error answer must have a message in both languages whatever the scenario says.
	Code   errs.Code
	Fields []string
	// Contains and NotContains are substrings the answer must and must not have.
	Contains    []string
	NotContains []string
	// JSON maps paths of the answer (keys and indexes joined by dots: "fields.0.field") to the
	// value each must hold, compared as JSON (1 matches 1.0; []any{} an empty list).
	JSON map[string]any
	// Header maps answer headers to the values they must have.
	Header map[string]string
	// Check, when set, checks what the fields above cannot say.
	Check func(t testing.TB, r *Response)
}

// Response is a recorded answer.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
	// JSON is the decoded body when it is JSON (else nil).
	JSON any
}

// Text returns the body as a string.
func (r *Response) Text() string { return string(r.Body) }

// Get returns the JSON value at path (keys and indexes joined by dots) and whether it exists.
func (r *Response) Get(path string) (any, bool) {
	v := r.JSON
	for _, k := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[k]; !ok {
				return nil, false
			}
		case []any:
			var i int
			if _, err := fmt.Sscanf(k, "%d", &i); err != nil || fmt.Sprint(i) != k || i < 0 || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// String returns the string at path ("" if there is none).
func (r *Response) String(path string) string {
	v, _ := r.Get(path)
	s, _ := v.(string)
	return s
}

// Reader returns body as a request's body: a string or []byte as it is, anything else as JSON
// (nil: no body).
func Reader(body any) io.Reader {
	switch b := body.(type) {
	case nil:
		return nil
	case string:
		return strings.NewReader(b)
	case []byte:
		return bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			panic(fmt.Sprintf("testkit: a body that is not JSON: %v", err))
		}
		return bytes.NewReader(raw)
	}
}

// request builds the scenario's request.
func (s Scenario) request() *http.Request {
	body, ctype := Reader(s.Body), s.ContentType
	if body != nil && ctype == "" {
		ctype = "application/json"
	}
	req := httptest.NewRequest(s.Method, s.Path, body)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	s.Caller.sign(req)
	for k, v := range s.Headers {
		req.Header.Set(k, v)
	}
	return req
}

// record serves req on h and keeps the answer.
func record(h http.Handler, req *http.Request) *Response {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	r := &Response{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
	if strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(r.Body, &r.JSON); err != nil {
			r.JSON = nil
		}
	}
	return r
}

// problems lists how r falls short of the scenario (nil: it does not). A wrong status is
// the only problem reported, as the rest would only repeat it.
func (s Scenario) problems(r *Response) []string {
	if r.Status != s.Status {
		return []string{fmt.Sprintf("status %d, want %d: %.600s", r.Status, s.Status, r.Body)}
	}
	var out []string
	bad := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	if r.Status >= 400 {
		if code, ok := r.Get("code"); ok {
			zh, en := r.String("message.zh"), r.String("message.en")
			if zh == "" || en == "" {
				bad("the error lacks a message in both languages: %s", r.Body)
			}
			if s.Code != "" && code != string(s.Code) {
				bad("code %v, want %s", code, s.Code)
			}
		} else if s.Code != "" || len(s.Fields) > 0 {
			bad("the answer is no error: %.300s", r.Body)
		}
	}
	for _, f := range s.Fields {
		if !namesField(r, f) {
			bad("the error does not name field %q: %s", f, r.Body)
		}
	}
	text := r.Text()
	for _, c := range s.Contains {
		if !strings.Contains(text, c) {
			bad("the answer lacks %s: %.600s", c, text)
		}
	}
	for _, c := range s.NotContains {
		if strings.Contains(text, c) {
			bad("the answer has %s: %.600s", c, text)
		}
	}
	for path, want := range s.JSON {
		got, ok := r.Get(path)
		if !ok {
			bad("the answer has no %s: %.600s", path, text)
			continue
		}
		g, _ := json.Marshal(got)
		w, err := json.Marshal(want)
		if err != nil || !bytes.Equal(g, w) {
			bad("%s = %s, want %s", path, g, w)
		}
	}
	for k, want := range s.Header {
		if got := r.Header.Get(k); got != want {
			bad("header %s = %q, want %q", k, got, want)
		}
	}
	return out
}

// namesField reports whether r is an error naming field.
func namesField(r *Response, field string) bool {
	fs, _ := r.Get("fields")
	list, _ := fs.([]any)
	for _, f := range list {
		if m, ok := f.(map[string]any); ok && m["field"] == field {
			return true
		}
	}
	return false
}
