package browsertest

import "testing"

func TestOnMachine(t *testing.T) {
	for _, c := range []struct {
		url  string
		want bool
	}{
		{"http://127.0.0.1:8080/console", true},
		{"http://localhost:3000/static/app.js", true},
		{"http://[::1]:8080/api/v1/me", true},
		{"data:image/png;base64,iVBORw0KGgo=", true},
		{"blob:http://127.0.0.1:8080/5f0c-11ee", true},
		{"https://cdn.jsdelivr.net/npm/x.js", false},
		{"http://10.0.0.5/intranet", false},
		{"http://127.0.0.1.example.com/", false},
		{"chrome-extension://abc/x.js", false},
	} {
		got, err := onMachine(c.url)
		if err != nil || got != c.want {
			t.Errorf("onMachine(%q) = %v, %v; want %v", c.url, got, err, c.want)
		}
	}
	if _, err := onMachine("http://[::1"); err == nil {
		t.Error("an unparsable URL is not reported")
	}
}
