package httpx

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"zhifa/modules/kernel/errs"
)

// Validator is implemented by request bodies that check themselves after decoding.
type Validator interface {
	Validate() error
}

// BindJSON decodes the request body into v strictly: the content type must be JSON, unknown fields
// and trailing data are refused, and v.Validate runs if v implements Validator. Every failure is
// an errs.Invalid (or TooLarge) naming what is wrong.
func BindJSON(c echo.Context, v any) error {
	ct := c.Request().Header.Get(echo.HeaderContentType)
	if mt, _, _ := mime.ParseMediaType(ct); mt != echo.MIMEApplicationJSON {
		return errs.E(errs.Invalid, "请求体须为 JSON（Content-Type: application/json）", "request body must be JSON (Content-Type: application/json)")
	}
	if err := DecodeJSON(c.Request().Body, v); err != nil {
		return err
	}
	if val, ok := v.(Validator); ok {
		return val.Validate()
	}
	return nil
}

// DecodeJSON decodes one JSON value from r into v strictly, as every request body and every
// step's input is read: an unknown field, data after the value, and a string anywhere in it that
// holds a control character (other than tab, line feed, carriage return) are refused. Every
// failure is an errs.Invalid in Chinese and English that names the field when there is one (a
// wrong type, an unknown field, a control character), or an errs.TooLarge when r is a request
// body cut at its limit.
func DecodeJSON(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errs.E(errs.Invalid, "JSON 之后有多余内容", "unexpected data after the JSON body")
	}
	return checkText(v)
}

func decodeError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var he *echo.HTTPError
	var tm *time.ParseError
	var ee *errs.Error
	switch {
	case errors.As(err, &ee): // the body cut at its limit (LimitBody)
		return ee
	case errors.As(err, &syn):
		return errs.Ef(errs.Invalid, "JSON 格式错误（第 %d 字节）", "malformed JSON at byte %d", syn.Offset)
	case errors.As(err, &typ):
		return errs.E(errs.Invalid, "字段类型错误", "wrong type for a field").
			WithFields(errs.Field(typ.Field, "应为 "+typ.Type.String(), "want "+typ.Type.String()))
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return errs.E(errs.Invalid, "请求体为空或不完整", "request body is empty or truncated")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return errs.E(errs.Invalid, "包含未知字段", "unknown field in request").
			WithFields(errs.Field(f, "未知字段", "unknown field"))
	case errors.As(err, &he):
		return fromEcho(he)
	case errors.As(err, &tm):
		return errs.E(errs.Invalid, "无法解析请求体（日期时间须为 RFC 3339）", "cannot parse the request body (times are RFC 3339)").WithCause(err)
	}
	return errs.E(errs.Invalid, "无法解析请求体", "cannot parse request body").WithCause(fmt.Errorf("decode: %w", err))
}
