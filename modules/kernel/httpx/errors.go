package httpx

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"zhifa/modules/kernel/errs"
)

// ErrorBody is what every failed API request answers.
type ErrorBody struct {
	Code      errs.Code         `json:"code"`
	Message   errs.Msg          `json:"message"`
	Fields    []errs.FieldError `json:"fields,omitempty"`
	Rule      *errs.Rule        `json:"rule,omitempty"`
	Next      string            `json:"next,omitempty"` // the page that resolves the error (errs.Error.Next)
	RequestID string            `json:"request_id"`
}

// echoErrors maps the framework's own errors (routing, body limit) to platform errors.
func fromEcho(he *echo.HTTPError) *errs.Error {
	switch he.Code {
	case http.StatusNotFound:
		return errs.E(errs.NotFound, "请求的地址不存在", "no such endpoint")
	case http.StatusMethodNotAllowed:
		return errs.E(errs.MethodNotAllowed, "不支持的请求方法", "method not allowed")
	case http.StatusRequestEntityTooLarge:
		return errs.E(errs.TooLarge, "请求体过大", "request body too large")
	case http.StatusUnsupportedMediaType:
		return errs.E(errs.Invalid, "不支持的内容类型", "unsupported content type")
	case http.StatusTooManyRequests:
		return errs.E(errs.RateLimited, "请求过于频繁，请稍后再试", "too many requests; try again later")
	case http.StatusUnauthorized:
		return errs.ErrUnauthenticated
	case http.StatusForbidden:
		return errs.ErrForbidden
	}
	if he.Code >= 400 && he.Code < 500 {
		return errs.E(errs.Invalid, "请求无效", "bad request")
	}
	return errs.As(he)
}

// ErrorHandler returns echo's error handler: platform errors render with their code's status;
// anything unknown is logged with its text and answered as a generic 500.
func ErrorHandler(log *slog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		var e *errs.Error
		var he *echo.HTTPError
		switch {
		case errors.As(err, &e):
		case errors.As(err, &he):
			e = fromEcho(he)
		default:
			e = errs.As(err)
		}
		status := e.Code.HTTPStatus()
		rid := c.Response().Header().Get(echo.HeaderXRequestID)
		if status >= 500 {
			log.ErrorContext(c.Request().Context(), "request failed", "request_id", rid, "err", err.Error(),
				"method", c.Request().Method, "path", c.Path())
		}
		if c.Request().Method == http.MethodHead {
			_ = c.NoContent(status)
			return
		}
		if wantsHTML(c) {
			_ = c.HTML(status, errorPage(status, e, rid))
			return
		}
		_ = c.JSON(status, ErrorBody{Code: e.Code, Message: e.Message, Fields: e.Fields, Rule: e.Rule, Next: e.Next, RequestID: rid})
	}
}
