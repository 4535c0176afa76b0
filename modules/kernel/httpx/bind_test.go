package httpx_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/httpx"
)

type decodeBody struct {
	Name string    `json:"name"`
	At   time.Time `json:"at"`
	Sub  struct {
		N int `json:"n"`
	} `json:"sub"`
}

// TestDecodeJSON: every way a body can be wrong is an Invalid in both languages, naming the field
// where there is one.
func TestDecodeJSON(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, body string
		zh, en     string // the message
		field      string // the field named, if any
	}{
		{"malformed", `{"name":}`, "JSON 格式错误（第 9 字节）", "malformed JSON at byte 9", ""},
		{"a wrong type", `{"sub":{"n":"x"}}`, "字段类型错误", "wrong type for a field", "sub.n"},
		{"an unknown field", `{"name":"x","nmae":"y"}`, "包含未知字段", "unknown field in request", "nmae"},
		{"data after the value", `{"name":"x"} {}`, "JSON 之后有多余内容", "unexpected data after the JSON body", ""},
		{"empty", ``, "请求体为空或不完整", "request body is empty or truncated", ""},
		{"truncated", `{"name":"x"`, "请求体为空或不完整", "request body is empty or truncated", ""},
		{"a time that is not RFC 3339", `{"at":"2025-10-01 09:00"}`, "无法解析请求体（日期时间须为 RFC 3339）", "cannot parse the request body (times are RFC 3339)", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var v decodeBody
			err := httpx.DecodeJSON(strings.NewReader(c.body), &v)
			var e *errs.Error
			if !errors.As(err, &e) || e.Code != errs.Invalid || e.Message.ZH != c.zh || e.Message.EN != c.en {
				t.Fatalf("DecodeJSON(%s) = %#v, want Invalid %q / %q", c.body, err, c.zh, c.en)
			}
			if c.field == "" && len(e.Fields) > 0 || c.field != "" && (len(e.Fields) != 1 || e.Fields[0].Field != c.field) {
				t.Errorf("fields %+v, want %q", e.Fields, c.field)
			}
		})
	}
	var v decodeBody
	if err := httpx.DecodeJSON(strings.NewReader(`{"name":"张三","at":"2025-10-01T09:00:00+08:00","sub":{"n":2}}`+"\n"), &v); err != nil || v.Name != "张三" || v.Sub.N != 2 || v.At.IsZero() {
		t.Errorf("a good body: %+v, %v", v, err)
	}
}

// TestBindJSON: a request body must be JSON by its content type, is decoded by DecodeJSON, then
// checks itself.
func TestBindJSON(t *testing.T) {
	t.Parallel()
	e := echo.New()
	bind := func(ct, body string) error {
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		req.Header.Set(echo.HeaderContentType, ct)
		var v validated
		return httpx.BindJSON(e.NewContext(req, httptest.NewRecorder()), &v)
	}
	for _, c := range []struct {
		name, ct, body, zh string
	}{
		{"not JSON", "text/plain", `{"name":"x"}`, "请求体须为 JSON（Content-Type: application/json）"},
		{"an unknown field", "application/json", `{"x":1}`, "包含未知字段"},
		{"its own check", "application/json; charset=utf-8", `{"name":""}`, "名称必填"},
	} {
		if err := bind(c.ct, c.body); errs.CodeOf(err) != errs.Invalid || err.(*errs.Error).Message.ZH != c.zh {
			t.Errorf("%s: %v, want %q", c.name, err, c.zh)
		}
	}
	if err := bind("application/json", `{"name":"x"}`); err != nil {
		t.Errorf("a good body: %v", err)
	}
}

type validated struct {
	Name string `json:"name"`
}

func (v *validated) Validate() error {
	if v.Name == "" {
		return errs.E(errs.Invalid, "名称必填", "name is required")
	}
	return nil
}

// Embedded is a struct whose fields a body takes as its own.
type Embedded struct {
	Note string `json:"note"`
}

type textBody struct {
	Embedded
	Name  string                  `json:"name"`
	Ptr   *string                 `json:"ptr"`
	Items []struct{ Memo string } `json:"items"`
	Tags  map[string]string       `json:"tags"`
	Any   any                     `json:"any"`
	Raw   json.RawMessage         `json:"raw"`
}

// TestDecodeJSONControlCharacters: a string anywhere in a body holding a control character (NUL
// first of all) is Invalid, naming each field by its path; tab, line feed and carriage return
// are text, and a raw value is left to whoever decodes it.
func TestDecodeJSONControlCharacters(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, body string
		fields     []string
	}{
		{"NUL", `{"name":"张\u0000三"}`, []string{"name"}},
		{"escape", `{"name":"\u001b[31m"}`, []string{"name"}},
		{"DEL", `{"name":"a\u007f"}`, []string{"name"}},
		{"embedded", `{"note":"\u0000"}`, []string{"note"}},
		{"pointer", `{"ptr":"\u0007"}`, []string{"ptr"}},
		{"list and map", `{"items":[{"Memo":"ok"},{"Memo":"\u0000"}],"tags":{"k":"\u0001"}}`, []string{"items[1].Memo", "tags.k"}},
		{"map key", `{"tags":{"\u0000":"v"}}`, []string{"tags.\x00"}},
		{"any", `{"any":{"x":["\u0000"]}}`, []string{"any.x[0]"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var v textBody
			err := httpx.DecodeJSON(strings.NewReader(c.body), &v)
			e := errs.As(err)
			if e == nil || e.Code != errs.Invalid || e.Message.ZH != "请求含有不允许的字符" || e.Message.EN != "the request holds characters that are not allowed" {
				t.Fatalf("DecodeJSON(%s) = %v, want Invalid", c.body, err)
			}
			var got []string
			for _, f := range e.Fields {
				got = append(got, f.Field)
				if !strings.Contains(f.Message.ZH, "控制字符") || !strings.Contains(f.Message.EN, "control character") {
					t.Errorf("field %s: %+v", f.Field, f.Message)
				}
			}
			if strings.Join(got, ",") != strings.Join(c.fields, ",") {
				t.Errorf("fields %v, want %v", got, c.fields)
			}
		})
	}
	var v textBody
	if err := httpx.DecodeJSON(strings.NewReader(`{"name":"第一行\r\n第二行\t完","raw":"\u0000"}`), &v); err != nil || v.Name != "第一行\r\n第二行\t完" {
		t.Errorf("tab, line feed and carriage return, and a raw value: %+v, %v", v, err)
	}
}
