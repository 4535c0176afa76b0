package httpx_test

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/httpx"
)

// fuzzBody has a field of every kind a request body declares.
type fuzzBody struct {
	Embedded
	Name   string            `json:"name"`
	Ptr    *string           `json:"ptr"`
	N      int               `json:"n"`
	Amount int64             `json:"amount_fen"`
	Ratio  float64           `json:"ratio"`
	OK     *bool             `json:"ok"`
	At     *time.Time        `json:"at"`
	Items  []fuzzItem        `json:"items"`
	Tags   map[string]string `json:"tags"`
	Any    any               `json:"any"`
	Raw    json.RawMessage   `json:"raw,omitempty"`
	Codes  [2]string         `json:"codes"`
}

type fuzzItem struct {
	Memo  string   `json:"memo"`
	Count uint8    `json:"count"`
	Sub   []string `json:"sub"`
}

// Validate refuses a body whose name is "refuse", as a body's own check does.
func (b *fuzzBody) Validate() error {
	if b.Name == "refuse" {
		return errs.E(errs.Invalid, "名称无效", "invalid name").WithFields(errs.Field("name", "无效", "invalid"))
	}
	return nil
}

// fuzzLimit is the body limit of the fuzzed route: small, so that the fuzzer reaches it.
const fuzzLimit = 512

// FuzzBindJSON: any content type and body either binds (and then every string in the value is
// text, and the value survives encoding and decoding again unchanged) or is refused with an
// Invalid (TooLarge over the route's limit) in Chinese and English: a 4xx, never a 5xx or a panic.
func FuzzBindJSON(f *testing.F) {
	for _, s := range []struct{ ct, body string }{
		{"application/json", `{"name":"张三","at":"2025-10-01T09:00:00+08:00","items":[{"memo":"现场检查","count":2,"sub":["a"]}],"tags":{"k":"v"}}`},
		{"application/json; charset=utf-8", `{"note":"第一行\r\n第二行\t完","ptr":"x","ok":true,"amount_fen":500000,"ratio":0.5,"codes":["a","b"]}`},
		{"application/json", `{"any":{"x":[1,"\u0000",{"y":null}]},"raw":{"z":"\u0000"}}`},
		{"application/json", `{"name":"x"} {}`},
		{"application/json", `{"name":"refuse"}`},
		{"application/json", `{"n":1e400}`},
		{"application/json", `{"tags":{"\u0000":"v"}}`},
		{"application/json", "{\"name\":\"\xff\"}"},
		{"application/json", `{"at":"2025-10-01 09:00"}`},
		{"application/json", `[` + strings.Repeat(`[`, 100)},
		{"application/json", `{"name":"` + strings.Repeat("长", 200) + `"}`},
		{"text/plain", `{"name":"x"}`},
		{"", ``},
	} {
		f.Add(s.ct, []byte(s.body))
	}
	e := echo.New()
	limit := httpx.LimitBody(fuzzLimit, func(string, string) int64 { return 0 })
	f.Fuzz(func(t *testing.T, ct string, body []byte) {
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		req.ContentLength = -1 // read to the limit, as a chunked body is
		req.Header.Set(echo.HeaderContentType, ct)
		var v fuzzBody
		err := limit(func(c echo.Context) error { return httpx.BindJSON(c, &v) })(e.NewContext(req, httptest.NewRecorder()))
		if err != nil {
			refusal(t, err, len(body))
			if mt, _, _ := mime.ParseMediaType(ct); mt != echo.MIMEApplicationJSON && errs.As(err).Message.EN != "request body must be JSON (Content-Type: application/json)" {
				t.Fatalf("content type %q: %v", ct, err)
			}
			return
		}
		if len(body) > fuzzLimit {
			t.Fatalf("a body of %d bytes over the limit of %d bound", len(body), fuzzLimit)
		}
		again, err := json.Marshal(&v)
		if err != nil {
			t.Fatalf("a bound value does not encode: %v", err)
		}
		var w fuzzBody
		if err := httpx.DecodeJSON(bytes.NewReader(again), &w); err != nil {
			t.Fatalf("a bound value, encoded again, is refused: %v\n%s", err, again)
		}
		if twice, _ := json.Marshal(&w); !bytes.Equal(again, twice) {
			t.Fatalf("encoding and decoding changed the value:\n%s\n%s", again, twice)
		}
		v.Raw = nil // bytes, checked where they are read
		if s, ok := badString(&v); ok {
			t.Fatalf("a bound value holds the string %q", s)
		}
	})
}

// badString returns a string (key or value) of v's encoding that BadText refuses.
func badString(v any) (string, bool) {
	b, _ := json.Marshal(v)
	dec := json.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", false
		}
		s, ok := tok.(string)
		if ok && httpx.BadText(s) {
			return s, true
		}
	}
}

// refusal fails t unless err is a 4xx platform error with a message in both languages:
// Invalid, or TooLarge for a body over the limit.
func refusal(t *testing.T, err error, n int) {
	t.Helper()
	e := errs.As(err)
	switch {
	case e.Code == errs.TooLarge && n > fuzzLimit:
	case e.Code != errs.Invalid:
		t.Fatalf("refused with %s (%d), want Invalid: %v", e.Code, e.Code.HTTPStatus(), err)
	}
	if s := e.Code.HTTPStatus(); s < 400 || s >= 500 || e.Message.ZH == "" || e.Message.EN == "" {
		t.Fatalf("refusal %d %+v", s, e.Message)
	}
}
