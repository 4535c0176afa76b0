package httpx_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/httpx"
)

func TestErrorHandlerNeverLeaksInternals(t *testing.T) {
	var logs bytes.Buffer
	e := echo.New()
	e.HTTPErrorHandler = httpx.ErrorHandler(slog.New(slog.NewJSONHandler(&logs, nil)))
	e.Use(middleware.RequestID(), middleware.Recover())
	e.GET("/boom", func(echo.Context) error {
		return errors.New("pq: password authentication failed for user secret_owner")
	})
	e.GET("/panic", func(echo.Context) error { panic("index out of range in secret_module") })
	e.GET("/rule", func(echo.Context) error {
		e := errs.E(errs.FailedPrecondition, "违反规则", "rule refused")
		e.Rule = &errs.Rule{ID: "penalty.summary", Law: "行政处罚法", Article: "51"}
		return e
	})
	for _, c := range []struct {
		path   string
		status int
		code   string
		hidden string
	}{
		{"/boom", 500, "internal", "secret_owner"},
		{"/panic", 500, "internal", "secret_module"},
		{"/rule", 422, "failed_precondition", ""},
	} {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, c.path, nil))
		var body httpx.ErrorBody
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
			t.Fatalf("%s: %v %s", c.path, err, rec.Body)
		}
		if rec.Code != c.status || string(body.Code) != c.code || body.RequestID == "" || body.Message.ZH == "" || body.Message.EN == "" {
			t.Errorf("%s: %d %+v", c.path, rec.Code, body)
		}
		if c.hidden != "" {
			if strings.Contains(rec.Body.String(), c.hidden) {
				t.Errorf("%s: internal text reached the client: %s", c.path, rec.Body)
			}
			if !strings.Contains(logs.String(), c.hidden) {
				t.Errorf("%s: internal text was not logged", c.path)
			}
		}
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/rule", nil))
	if !strings.Contains(rec.Body.String(), `"rule":{"id":"penalty.summary","law":"行政处罚法","article":"51"}`) {
		t.Errorf("the refusing rule is not in the body: %s", rec.Body)
	}
}
