// Package errs is the platform's one error type: a code that maps to an HTTP status, the
// operation that failed, and a message safe to show, in Chinese and English. Anything that is
// not an *Error is Internal: its text is logged, never shown.
package errs

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Code classifies an error.
type Code string

// The error codes and what they mean to a caller.
const (
	Invalid            Code = "invalid"             // the request is malformed or fails validation
	NotFound           Code = "not_found"           // no such object, or the caller may not see it
	Conflict           Code = "conflict"            // duplicate or concurrent change
	Unauthenticated    Code = "unauthenticated"     // no valid session
	Forbidden          Code = "forbidden"           // the caller's roles do not allow the action
	FailedPrecondition Code = "failed_precondition" // the object's state or the law refuses the action
	TooLarge           Code = "too_large"           // the request body exceeds the limit
	MethodNotAllowed   Code = "method_not_allowed"  // the endpoint exists but not for this method
	RateLimited        Code = "rate_limited"        // too many requests
	Unavailable        Code = "unavailable"         // a dependency is down; retry later
	Internal           Code = "internal"            // a bug or unexpected failure
)

var statuses = map[Code]int{
	Invalid:            http.StatusBadRequest,
	NotFound:           http.StatusNotFound,
	Conflict:           http.StatusConflict,
	Unauthenticated:    http.StatusUnauthorized,
	Forbidden:          http.StatusForbidden,
	FailedPrecondition: http.StatusUnprocessableEntity,
	TooLarge:           http.StatusRequestEntityTooLarge,
	MethodNotAllowed:   http.StatusMethodNotAllowed,
	RateLimited:        http.StatusTooManyRequests,
	Unavailable:        http.StatusServiceUnavailable,
	Internal:           http.StatusInternalServerError,
}

// HTTPStatus returns the HTTP status for a code; unknown codes are 500.
func (c Code) HTTPStatus() int {
	if s, ok := statuses[c]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// Msg is a message in Chinese and English.
type Msg struct {
	ZH string `json:"zh"`
	EN string `json:"en"`
}

// String joins both languages, Chinese first.
func (m Msg) String() string { return m.ZH + " / " + m.EN }

// FieldError names one invalid field (or row and column of an import) and why.
type FieldError struct {
	Field   string `json:"field"`
	Message Msg    `json:"message"`
}

// Error is the platform's error.
type Error struct {
	Code    Code
	Op      string // the operation, e.g. "tenants.Create"; for logs
	Message Msg
	Fields  []FieldError
	Rule    *Rule // the statutory rule that refused an action, if any
	// Next is the page that resolves the error (a sign-in asking for the second factor, the
	// settings to set one up), which a browser client opens with ?return_to= the page it was on.
	Next string
	Err  error // the cause; logged, never shown
}

// Rule names a rule and its legal basis, carried on errors the law causes.
type Rule struct {
	ID      string `json:"id"`
	Law     string `json:"law"`
	Article string `json:"article"`
	// Cite is the citation as a page shows it (《行政处罚法》第61条), written by the rules
	// catalogue; empty where the reference names its basis in words only.
	Cite string `json:"cite,omitempty"`
}

func (e *Error) Error() string {
	s := string(e.Code)
	if e.Op != "" {
		s = e.Op + ": " + s
	}
	s += ": " + e.Message.EN
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// E builds an error with a code and a message in both languages.
func E(code Code, zh, en string) *Error {
	return &Error{Code: code, Message: Msg{ZH: zh, EN: en}}
}

// Ef is E with an English format and a Chinese format sharing the same arguments.
func Ef(code Code, zh, en string, args ...any) *Error {
	return E(code, fmt.Sprintf(zh, args...), fmt.Sprintf(en, args...))
}

// WithOp returns e with its operation set.
func (e *Error) WithOp(op string) *Error { c := *e; c.Op = op; return &c }

// WithCause returns e wrapping err.
func (e *Error) WithCause(err error) *Error { c := *e; c.Err = err; return &c }

// WithNext returns e naming the page that resolves it.
func (e *Error) WithNext(page string) *Error { c := *e; c.Next = page; return &c }

// WithFields returns e carrying field errors.
func (e *Error) WithFields(f ...FieldError) *Error { c := *e; c.Fields = f; return &c }

// Field builds a FieldError.
func Field(field, zh, en string) FieldError {
	return FieldError{Field: field, Message: Msg{ZH: zh, EN: en}}
}

// CodeOf returns the code of err: an *Error's code, or Internal for anything else (nil: "").
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// Is reports whether err carries code.
func Is(err error, code Code) bool { return CodeOf(err) == code }

// As returns the *Error in err's chain, or an Internal error that hides err's text.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: Internal, Message: Msg{ZH: "服务器内部错误", EN: "internal server error"}, Err: err}
}

// Common errors.
var (
	ErrNotFound        = E(NotFound, "对象不存在", "not found")
	ErrUnauthenticated = E(Unauthenticated, "请先登录", "authentication required")
	ErrForbidden       = E(Forbidden, "无权执行此操作", "your roles do not allow this action")
)

// NextPage returns the page that resolves err (Error.Next) with return_to set to returnTo, an
// absolute URL of the page to come back to; "" when err names none.
func NextPage(err error, returnTo string) string {
	var e *Error
	if !errors.As(err, &e) || e.Next == "" {
		return ""
	}
	sep := "?"
	if strings.Contains(e.Next, "?") {
		sep = "&"
	}
	return e.Next + sep + "return_to=" + url.QueryEscape(returnTo)
}
