package selfservice

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"zhifa/app/testenv"
	"zhifa/modules/kernel/ratelimit"

	"github.com/labstack/echo/v4"
	"github.com/redis/go-redis/v9"
)

// settingsFlow is the shape of a Kratos v1.3 settings flow (trimmed): the default group's CSRF
// token, the profile, password and totp groups.
const settingsFlow = `{"id":"f1","ui":{"action":"http://x/.ory/kratos/public/self-service/settings?flow=f1","method":"POST","nodes":[
 {"type":"input","group":"default","attributes":{"name":"csrf_token","type":"hidden","value":"tok","node_type":"input"},"messages":[],"meta":{}},
 {"type":"input","group":"profile","attributes":{"name":"traits.email","type":"email","value":"lin@example.gov.cn","node_type":"input"},"messages":[],"meta":{"label":{"id":1070002,"text":"E-mail","type":"info"}}},
 {"type":"input","group":"profile","attributes":{"name":"traits.kind","type":"text","value":"officer","node_type":"input"},"messages":[],"meta":{"label":{"id":1070002,"text":"Kind of user","type":"info"}}},
 {"type":"input","group":"profile","attributes":{"name":"traits.name","type":"text","value":"林执法","node_type":"input"},"messages":[],"meta":{"label":{"id":1070002,"text":"Name","type":"info"}}},
 {"type":"input","group":"profile","attributes":{"name":"method","type":"submit","value":"profile","node_type":"input"},"messages":[],"meta":{"label":{"id":1070003,"text":"Save","type":"info"}}},
 {"type":"input","group":"password","attributes":{"name":"password","type":"password","required":true,"autocomplete":"new-password","node_type":"input"},"messages":[{"id":4000032,"text":"The password must be at least 8 characters long, but got 3.","type":"error","context":{"min_length":8,"actual_length":3}}],"meta":{"label":{"id":1070001,"text":"Password","type":"info"}}},
 {"type":"input","group":"password","attributes":{"name":"method","type":"submit","value":"password","node_type":"input"},"messages":[],"meta":{"label":{"id":1070003,"text":"Save","type":"info"}}},
 {"type":"img","group":"totp","attributes":{"src":"data:image/png;base64,iVBORw0KGgo=","id":"totp_qr","width":256,"height":256,"node_type":"img"},"messages":[],"meta":{"label":{"id":1050005,"text":"Authenticator app QR code","type":"info"}}},
 {"type":"img","group":"totp","attributes":{"src":"https://cdn.example/x.png","id":"other","width":1,"height":1,"node_type":"img"},"messages":[],"meta":{}},
 {"type":"text","group":"totp","attributes":{"text":{"id":1050006,"text":"ABCDEF","type":"info"},"id":"totp_secret_key","node_type":"text"},"messages":[],"meta":{"label":{"id":1050017,"text":"This is your authenticator app secret. Use it if you can not scan the QR code.","type":"info"}}},
 {"type":"script","group":"webauthn","attributes":{"src":"/.well-known/ory/webauthn.js","node_type":"script"},"messages":[],"meta":{}}
]}}`

func TestSettingsFormsOnePerMethod(t *testing.T) {
	var f flow
	if err := json.Unmarshal([]byte(settingsFlow), &f); err != nil {
		t.Fatal(err)
	}
	fs := forms(Settings, &f)
	if len(fs) != 3 {
		t.Fatalf("%d forms, want profile, password and totp", len(fs))
	}
	for i, want := range []string{"个人信息", "修改密码", "身份验证器（双因素认证）"} {
		if fs[i].Heading.ZH != want || fs[i].Method != "POST" || !strings.HasSuffix(fs[i].Action, "flow=f1") {
			t.Errorf("form %d: %+v", i, fs[i])
		}
		if fs[i].Fields[0].Name != "csrf_token" || fs[i].Fields[0].Kind != "hidden" || fs[i].Fields[0].Value != "tok" {
			t.Errorf("form %d does not start with the CSRF token: %+v", i, fs[i].Fields[0])
		}
	}
	kinds := map[string]string{}
	for _, fm := range fs {
		for _, fd := range fm.Fields {
			kinds[fd.Name+fd.ID] = fd.Kind
		}
	}
	for name, want := range map[string]string{
		"traits.emailf-traits-email": "readonly", // shown, sent unchanged
		"traits.kindf-traits-kind":   "hidden",   // the stored kind, never offered
		"traits.namef-traits-name":   "input",
		"passwordf-password":         "input",
		"methodf-method":             "submit",
		"totp_qr":                    "img",
		"totp_secret_key":            "text",
		"other":                      "", // an image that is not Kratos' QR code is not shown
	} {
		if kinds[name] != want {
			t.Errorf("%s renders as %q, want %q", name, kinds[name], want)
		}
	}
	pw := fs[1].Fields[1]
	if len(pw.Messages) != 1 || pw.Messages[0].ZH != "密码至少 8 位，当前 3 位。" || !strings.Contains(pw.Messages[0].EN, "at least 8 characters") {
		t.Errorf("the password's message reads %+v", pw.Messages)
	}
	if pw.Label.ZH != "密码" || pw.Label.EN != "Password" || pw.Autocomplete != "new-password" || !pw.Required {
		t.Errorf("the password field: %+v", pw)
	}
}

func TestRegistrationOffersNoKind(t *testing.T) {
	var f flow
	if err := json.Unmarshal([]byte(settingsFlow), &f); err != nil {
		t.Fatal(err)
	}
	for _, fd := range forms(Registration, &f)[0].Fields {
		if fd.Name == "traits.kind" {
			t.Fatalf("the registration renders the account kind as %q", fd.Kind)
		}
		if fd.Name == "traits.email" && fd.Kind != "input" {
			t.Errorf("the registration's e-mail is %q, want an input", fd.Kind)
		}
	}
}

func TestTranslate(t *testing.T) {
	for _, c := range []struct {
		name   string
		in     text
		node   string
		zh, en string
	}{
		{"invalid credentials", text{ID: 4000006, Text: "The provided credentials are invalid, check for spelling mistakes."}, "",
			"账号或密码不正确，请检查后重试。", "The provided credentials are invalid, check for spelling mistakes."},
		{"a trait's label from the schema", text{ID: 1070002, Text: "Name"}, "traits.name", "姓名", "Name"},
		{"a trait the catalogue lacks", text{ID: 1070002, Text: "Nickname"}, "traits.nick", "Nickname", ""},
		{"unknown id: Kratos' English under a generic line", text{ID: 4999999, Text: "Something new."}, "", unknownZH, "Something new."},
		{"context filled", text{ID: 4000003, Text: "length must be >= 8, but got 3", Context: map[string]any{"min_length": 8, "actual_length": 3}}, "",
			"长度至少 8 位，当前 3 位。", "length must be >= 8, but got 3"},
		{"a time in Beijing time", text{ID: 1060001, Text: "You successfully recovered your account.", Context: map[string]any{"privileged_session_expires_at": "2026-12-08T02:15:00.123Z"}}, "",
			"已成功找回账号。请在 2026年12月8日 10:15 前设置新密码。", "You successfully recovered your account."},
	} {
		got := translate(c.in, c.node)
		if got.ZH != c.zh || got.EN != c.en {
			t.Errorf("%s: %q / %q, want %q / %q", c.name, got.ZH, got.EN, c.zh, c.en)
		}
	}
}

func TestValueString(t *testing.T) {
	for _, c := range []struct {
		in   any
		want string
	}{{nil, ""}, {"x", "x"}, {true, "true"}, {false, "false"}, {float64(12), "12"}, {1.5, "1.5"}} {
		if got := valueString(c.in); got != c.want {
			t.Errorf("valueString(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestPagesWithoutKratos: a page that cannot reach Kratos is a 503 page in both languages; a page
// without a flow starts one through the tunnel, passing on where to return; the tunnel refuses a
// body beyond its limit with 413 before calling Kratos.
func TestPagesWithoutKratos(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + l.Addr().String()
	l.Close() // nothing listens there now
	e := echo.New()
	New(Config{KratosPublicURL: dead, PublicURL: "https://zhifa.example"}).Routes(e)
	do := func(method, target string, body io.Reader) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest(method, target, body))
		return rec
	}
	if rec := do("GET", "/auth/login?flow=abc", nil); rec.Code != http.StatusServiceUnavailable ||
		!strings.Contains(rec.Body.String(), "身份服务暂不可用") || !strings.Contains(rec.Body.String(), "identity service is unavailable") {
		t.Errorf("Kratos down: %d %s", rec.Code, rec.Body)
	}
	rt := url.QueryEscape("https://zhifa.example/console/cases")
	if rec := do("GET", "/auth/login?aal=aal2&return_to="+rt+"&evil=1", nil); rec.Code != http.StatusSeeOther ||
		rec.Header().Get("Location") != TunnelPrefix+"/self-service/login/browser?aal=aal2&refresh=false&return_to="+rt {
		t.Errorf("start: %d %q", rec.Code, rec.Header().Get("Location"))
	}
	if rec := do("POST", TunnelPrefix+"/self-service/login?flow=x", strings.NewReader(strings.Repeat("a", maxTunnelBody+1))); rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("a large body through the tunnel: %d", rec.Code)
	}
	if rec := do("POST", TunnelPrefix+"/self-service/login?flow=x", strings.NewReader("a=b")); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("the tunnel with Kratos down: %d", rec.Code)
	}
}

// TestSignInAttemptsLimited: past the limit, a client address's forms to the sign-in flows are
// answered 429 with the wait, before they reach Kratos; another address, and the settings flow,
// are not held back.
func TestSignInAttemptsLimited(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: testenv.Redis(t)})
	t.Cleanup(func() { rdb.Close() })
	var reached atomic.Int64
	kratos := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached.Add(1)
		http.Redirect(w, r, "/auth/login?flow=x", http.StatusSeeOther)
	}))
	t.Cleanup(kratos.Close)
	e := echo.New()
	New(Config{KratosPublicURL: kratos.URL, PublicURL: "https://zhifa.example",
		Limiter: ratelimit.New(rdb, "signin:rl:"+t.Name(), nil), AttemptsPerIP: 3}).Routes(e)
	post := func(path, addr string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", TunnelPrefix+path, strings.NewReader("identifier=a&password=b"))
		req.RemoteAddr = addr + ":40000"
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		return rec
	}
	for i := 1; i <= 3; i++ {
		if rec := post("/self-service/login?flow=x", "10.0.0.1"); rec.Code != http.StatusSeeOther {
			t.Fatalf("attempt %d: %d", i, rec.Code)
		}
	}
	rec := post("/self-service/recovery?flow=y", "10.0.0.1")
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" ||
		!strings.Contains(rec.Body.String(), "尝试次数过多") || !strings.Contains(rec.Body.String(), "too many attempts") {
		t.Errorf("the fourth attempt: %d %q", rec.Code, rec.Header().Get("Retry-After"))
	}
	if n := reached.Load(); n != 3 {
		t.Errorf("Kratos received %d forms, want 3", n)
	}
	if rec := post("/self-service/login?flow=x", "10.0.0.2"); rec.Code != http.StatusSeeOther {
		t.Errorf("another address: %d", rec.Code)
	}
	if rec := post("/self-service/settings?flow=z", "10.0.0.1"); rec.Code != http.StatusSeeOther {
		t.Errorf("the settings flow (signed in) is held back: %d", rec.Code)
	}
}
