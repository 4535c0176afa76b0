package testkit

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/httpx"
)

// thing is the reply of the test API's one operation.
type thing struct {
	ID string `json:"id"`
}

// testAPI serves GET /api/v1/things/{id}: "1" is a thing, "bad" answers 200 with what the
// document does not describe, anything else is not found; with ids, each answer has a request ID.
func testAPI(t *testing.T, ids bool) *Server {
	e := echo.New()
	if ids {
		e.Use(middleware.RequestID())
	}
	e.HTTPErrorHandler = httpx.ErrorHandler(slog.New(slog.NewTextHandler(io.Discard, nil)))
	api := httpx.NewAPI(e, "/api/v1", "test", "0", httpx.Auth{})
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/things/{id}", ID: "getThing", Summary: "物 / a thing", Access: httpx.Public, Reply: thing{}},
		func(c echo.Context) error {
			switch c.Param("id") {
			case "1":
				return c.JSON(http.StatusOK, thing{ID: "1"})
			case "bad":
				return c.JSON(http.StatusOK, map[string]int{"id": 1})
			}
			return errs.ErrNotFound
		})
	return NewServer(t, e, api)
}

// TestServerChecks: what a Server checks of every answer beside its scenario: successes against
// the document (CheckResponses), errors too (CheckErrors) but not the router's own 404 and 405,
// and the request ID of errors (RequestIDs).
func TestServerChecks(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name                 string
		ids, check, checkErr bool
		rid                  bool // the server requires request IDs
		s                    Scenario
		want                 string // a substring of the one problem ("": none)
	}{
		{"a documented success", false, true, false, false, Scenario{Method: "GET", Path: "/api/v1/things/1", Status: 200}, ""},
		{"an undocumented success", false, true, false, false, Scenario{Method: "GET", Path: "/api/v1/things/bad", Status: 200}, "does not match the document"},
		{"unchecked", false, false, false, false, Scenario{Method: "GET", Path: "/api/v1/things/bad", Status: 200}, ""},
		{"an error, successes only", false, true, false, false, Scenario{Method: "GET", Path: "/api/v1/things/2", Status: 404, Code: errs.NotFound}, ""},
		{"a documented error", false, true, true, false, Scenario{Method: "GET", Path: "/api/v1/things/2", Status: 404, Code: errs.NotFound}, ""},
		{"the router's 404", false, true, true, false, Scenario{Method: "GET", Path: "/api/v1/nothing", Status: 404, Code: errs.NotFound}, ""},
		{"the router's 405", false, true, true, false, Scenario{Method: "PUT", Path: "/api/v1/things/1", Status: 405}, ""},
		{"an error without its request ID", false, false, false, true, Scenario{Method: "GET", Path: "/api/v1/things/2", Status: 404}, "no request ID"},
		{"an error with its request ID", true, false, false, true, Scenario{Method: "GET", Path: "/api/v1/things/2", Status: 404}, ""},
	} {
		s := testAPI(t, c.ids)
		s.CheckResponses, s.CheckErrors, s.RequestIDs = c.check, c.checkErr, c.rid
		req := c.s.request()
		got := s.problems(c.s, req, record(s.Echo, req))
		if c.want == "" && len(got) != 0 || c.want != "" && (len(got) != 1 || !strings.Contains(got[0], c.want)) {
			t.Errorf("%s: problems %q, want one with %q", c.name, got, c.want)
		}
	}
}
