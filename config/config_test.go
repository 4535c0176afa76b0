package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"zhifa/config"
)

func envOf(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestDefaultIsTheEmbeddedPlatform(t *testing.T) {
	cfg, err := config.Load("", envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.DB.Driver != "sqlite" || !strings.Contains(cfg.DB.DSN, filepath.Join("var", "zhifa.db")) || !cfg.Identity.DevLogin || cfg.Redis.Addr != "" {
		t.Errorf("default = %+v", cfg)
	}
	cfg, err = config.Load("", envOf(map[string]string{"ZHIFA_DATA_DIR": "/srv/z"}))
	if err != nil || !strings.Contains(cfg.DB.DSN, "/srv/z/zhifa.db") {
		t.Errorf("data dir does not move the SQLite file: %q %v", cfg.DB.DSN, err)
	}
}

func TestFileThenEnvironment(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "c.yaml")
	os.WriteFile(file, []byte(`
env: production
deployment: {tier: county, root_tenant: "350426", root_name: 尤溪县}
http: {addr: ":9000"}
db: {driver: postgres, dsn: "${PGDSN}"}
redis: {addr: "redis:6379"}
identity: {kratos_public_url: "http://kratos:4433", dev_login: false}
secrets: {key: "${KEY}"}
jobs: {relay_interval: 2s}
payments: {simulate: false}
`), 0o600)
	key := "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
	cfg, err := config.Load(file, envOf(map[string]string{
		"PGDSN": "postgres://app@db/zhifa", "KEY": key,
		"ZHIFA_HTTP_ADDR": ":9100", "ZHIFA_JOBS_CONCURRENCY": "3",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.DB.DSN != "postgres://app@db/zhifa" || cfg.DB.MigrateDSN != cfg.DB.DSN {
		t.Errorf("expanded dsn = %q / %q", cfg.DB.DSN, cfg.DB.MigrateDSN)
	}
	if cfg.HTTP.Addr != ":9100" || cfg.Jobs.Concurrency != 3 || cfg.Jobs.RelayInterval != 2*time.Second {
		t.Errorf("overrides: %+v %+v", cfg.HTTP, cfg.Jobs)
	}
}

func TestValidationNamesEveryBadKey(t *testing.T) {
	prod := map[string]string{"ZHIFA_ENV": "production"}
	cases := []struct {
		name string
		env  map[string]string
		want []string
	}{
		{"production refuses the embedded defaults", prod, []string{
			"identity.dev_login", "secrets.key: is the public default key", "db.driver: production requires postgres",
			"redis.addr", "deployment.tier", "payments.simulate"}},
		{"bad values", map[string]string{"ZHIFA_HTTP_BODY_LIMIT": "lots", "ZHIFA_DB_DRIVER": "mysql",
			"ZHIFA_LOG_LEVEL": "loud", "ZHIFA_SECRETS_KEY": "c2hvcnQ=", "ZHIFA_DEPLOYMENT_ROOT_TENANT": "35/01",
			"ZHIFA_PORTAL_LOOKUPS_PER_IP": "0", "ZHIFA_PAYMENTS_STRIPE_API_URL": "stripe-mock:12111"},
			[]string{"http.body_limit", "db.driver", "log.level", "secrets.key", "deployment.root_tenant", "portal.lookups_per_ip", "payments.stripe_api_url"}},
		{"bad types in the environment", map[string]string{"ZHIFA_JOBS_CONCURRENCY": "many", "ZHIFA_IDENTITY_DEV_LOGIN": "perhaps"},
			[]string{"ZHIFA_JOBS_CONCURRENCY", "ZHIFA_IDENTITY_DEV_LOGIN"}},
	}
	for _, c := range cases {
		_, err := config.Load("", envOf(c.env))
		if err == nil {
			t.Errorf("%s: accepted", c.name)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error does not mention %q:\n%v", c.name, w, err)
			}
		}
	}
	if _, err := config.Load(filepath.Join(t.TempDir(), "missing.yaml"), envOf(nil)); err == nil {
		t.Error("a missing file is accepted")
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("htp: {addr: x}\n"), 0o600)
	if _, err := config.Load(bad, envOf(nil)); err == nil || !strings.Contains(err.Error(), "htp") {
		t.Errorf("unknown key in file: %v", err)
	}
}

func TestTierExamplesLoad(t *testing.T) {
	env := envOf(map[string]string{
		"ZHIFA_DB_DSN": "postgres://app@db/zhifa", "ZHIFA_DB_MIGRATE_DSN": "postgres://owner@db/zhifa",
		"ZHIFA_SECRETS_KEY": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=", "ZHIFA_REDIS_PASSWORD": "x",
	})
	for _, f := range []string{"province.yaml", "city.yaml", "county.yaml", "embedded.yaml"} {
		if _, err := config.Load(f, env); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	for _, k := range []string{"ZHIFA_HTTP_ADDR", "ZHIFA_DB_DSN", "ZHIFA_IDENTITY_DEV_LOGIN", "ZHIFA_DEPLOYMENT_ROOT_TENANT"} {
		found := false
		for _, e := range config.EnvKeys() {
			found = found || e == k
		}
		if !found {
			t.Errorf("%s is not an override key", k)
		}
	}
}
