package app_test

import (
	"bytes"
	"strings"
	"testing"

	"zhifa/app"
)

func runCLI(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := app.Main(args, &out, &errOut)
	return code, out.String() + errOut.String()
}

func TestCLI(t *testing.T) {
	data := t.TempDir()
	t.Setenv("ZHIFA_LOG_LEVEL", "error")
	if code, out := runCLI(t, "help"); code != 0 || !strings.Contains(out, "zhifa migrate") {
		t.Errorf("help: %d %s", code, out)
	}
	if code, out := runCLI(t, "migrate", "--data", data, "status"); code != 0 || !strings.Contains(out, "create_tenants  pending") {
		t.Errorf("status before up: %d %s", code, out)
	}
	if code, out := runCLI(t, "migrate", "--data", data, "up"); code != 0 || !strings.Contains(out, "migrated to group") {
		t.Errorf("up: %d %s", code, out)
	}
	if code, out := runCLI(t, "migrate", "--data", data, "status"); code != 0 || strings.Contains(out, "pending") {
		t.Errorf("status after up: %d %s", code, out)
	}
	for range 2 { // seeding is idempotent
		if code, out := runCLI(t, "seed", "--data", data, "demo"); code != 0 {
			t.Fatalf("seed: %d %s", code, out)
		}
	}
	if code, out := runCLI(t, "migrate", "--data", data, "sideways"); code != 1 || !strings.Contains(out, "want up, down or status") {
		t.Errorf("bad migrate command: %d %s", code, out)
	}
	if code, out := runCLI(t, "fly"); code != 1 || !strings.Contains(out, `unknown command "fly"`) {
		t.Errorf("unknown command: %d %s", code, out)
	}
	t.Setenv("ZHIFA_ENV", "production")
	if code, out := runCLI(t, "serve"); code != 1 || !strings.Contains(out, "identity.dev_login: must be false in production") ||
		!strings.Contains(out, "secrets.key: is the public default key") {
		t.Errorf("production with the embedded defaults started: %d %s", code, out)
	}
}
