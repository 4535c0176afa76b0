package charts_test

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// The tests need helm and kubeconform, installed by `make tools` into
// $ZHIFA_TOOLS (default ~/.cache/zhifa/bin), and the offline Kubernetes JSON
// schemas generated into $ZHIFA_K8S_SCHEMAS (default ~/.cache/zhifa/k8s-schemas).
// A missing tool is a failure, never a skip.

const (
	chartDir    = "zhifa"
	releaseName = "zhifa"
	namespace   = "zhifa"
)

var tierFiles = []string{"values-province.yaml", "values-city.yaml", "values-county.yaml"}

func cacheDir(t *testing.T, env, sub string) string {
	t.Helper()
	if d := os.Getenv(env); d != "" {
		return d
	}
	home, err := os.UserHomeDir()
	if err != nil {
		t.Fatalf("%s is not set and the home directory is unknown (%v): run make tools", env, err)
	}
	return filepath.Join(home, ".cache", "zhifa", sub)
}

func tool(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join(cacheDir(t, "ZHIFA_TOOLS", "bin"), name)
	if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
		return p
	}
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	t.Fatalf("%s not found in $ZHIFA_TOOLS (%s) nor on PATH: run make tools", name, filepath.Dir(p))
	return ""
}

func schemaLocation(t *testing.T) string {
	t.Helper()
	dir := cacheDir(t, "ZHIFA_K8S_SCHEMAS", "k8s-schemas")
	if _, err := os.Stat(filepath.Join(dir, "deployment-apps-v1.json")); err != nil {
		t.Fatalf("offline Kubernetes schemas missing in %s (%v): run make tools", dir, err)
	}
	return filepath.Join(dir, "{{ .ResourceKind }}{{ .KindSuffix }}.json")
}

// run runs a tool with Helm's state directories kept inside the test's temp dir.
func run(t *testing.T, stdin io.Reader, name string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(tool(t, name), args...)
	home := t.TempDir()
	cmd.Env = append(os.Environ(),
		"HELM_CACHE_HOME="+filepath.Join(home, "cache"),
		"HELM_CONFIG_HOME="+filepath.Join(home, "config"),
		"HELM_DATA_HOME="+filepath.Join(home, "data"),
	)
	cmd.Stdin = stdin
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	err := cmd.Run()
	return out.String(), err
}

func secretKey(t *testing.T) string {
	t.Helper()
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(b)
}

// inlineSecrets gives the chart its secrets as values, so that it renders its own Secret.
func inlineSecrets(t *testing.T) []string {
	return []string{
		"--set", "secrets.dbDsn=postgres://zhifa_app:app-pw@db:5432/zhifa?sslmode=require",
		"--set", "secrets.dbMigrateDsn=postgres://zhifa_owner:owner-pw@db:5432/zhifa?sslmode=require",
		"--set", "secrets.redisPassword=redis-pw",
		"--set", "secrets.secretsKey=" + secretKey(t),
	}
}

type valuesCase struct {
	name string
	args []string // helm flags selecting values
}

// valuesCases covers every values file: the defaults (with secrets given
// inline, since they have no usable defaults) and each tier.
func valuesCases(t *testing.T) []valuesCase {
	cases := []valuesCase{{name: "values.yaml", args: inlineSecrets(t)}}
	for _, f := range tierFiles {
		cases = append(cases, valuesCase{name: f, args: []string{"-f", filepath.Join(chartDir, f)}})
	}
	return cases
}

func template(t *testing.T, args ...string) (string, error) {
	t.Helper()
	full := append([]string{"template", releaseName, chartDir, "--namespace", namespace}, args...)
	return run(t, nil, "helm", full...)
}

func mustTemplate(t *testing.T, args ...string) string {
	t.Helper()
	out, err := template(t, args...)
	if err != nil {
		t.Fatalf("helm template %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

type object map[string]any

func (o object) kind() string { s, _ := o["kind"].(string); return s }
func (o object) name() string { s, _ := dig(o, "metadata", "name").(string); return s }

func dig(v any, path ...any) any {
	for _, p := range path {
		switch key := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				if om, isObj := v.(object); isObj {
					m, ok = om, true
				}
			}
			if !ok {
				return nil
			}
			v = m[key]
		case int:
			l, ok := v.([]any)
			if !ok || key >= len(l) {
				return nil
			}
			v = l[key]
		}
	}
	return v
}

func decode(t *testing.T, manifests string) []object {
	t.Helper()
	dec := yaml.NewDecoder(strings.NewReader(manifests))
	var objs []object
	for {
		var o map[string]any
		err := dec.Decode(&o)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("rendered manifests are not valid YAML: %v", err)
		}
		if o != nil {
			objs = append(objs, o)
		}
	}
	return objs
}

func find(t *testing.T, objs []object, kind, name string) object {
	t.Helper()
	for _, o := range objs {
		if o.kind() == kind && o.name() == name {
			return o
		}
	}
	t.Fatalf("no %s %q in the rendered manifests", kind, name)
	return nil
}

func byKind(objs []object, kind string) []object {
	var out []object
	for _, o := range objs {
		if o.kind() == kind {
			out = append(out, o)
		}
	}
	return out
}

// config returns the zhifa.yaml rendered into the ConfigMap.
func config(t *testing.T, objs []object) map[string]any {
	t.Helper()
	cm := find(t, objs, "ConfigMap", releaseName)
	text, ok := dig(cm, "data", "zhifa.yaml").(string)
	if !ok {
		t.Fatalf("ConfigMap %s has no data.zhifa.yaml", releaseName)
	}
	var cfg map[string]any
	if err := yaml.Unmarshal([]byte(text), &cfg); err != nil {
		t.Fatalf("zhifa.yaml in the ConfigMap: %v\n%s", err, text)
	}
	return cfg
}

func container(t *testing.T, o object) map[string]any {
	t.Helper()
	c, ok := dig(o, "spec", "template", "spec", "containers", 0).(map[string]any)
	if !ok {
		t.Fatalf("%s %s has no container", o.kind(), o.name())
	}
	return c
}

func args(c map[string]any) string {
	var parts []string
	for _, a := range c["args"].([]any) {
		parts = append(parts, fmt.Sprint(a))
	}
	return strings.Join(parts, " ")
}

func TestLintStrict(t *testing.T) {
	for _, vc := range valuesCases(t) {
		t.Run(vc.name, func(t *testing.T) {
			t.Parallel()
			full := append([]string{"lint", "--strict", chartDir, "--namespace", namespace}, vc.args...)
			out, err := run(t, nil, "helm", full...)
			if err != nil || !strings.Contains(out, "0 chart(s) failed") {
				t.Fatalf("helm lint --strict with %s: %v\n%s", vc.name, err, out)
			}
		})
	}
}

var summaryRE = regexp.MustCompile(`Valid: (\d+), Invalid: (\d+), Errors: (\d+), Skipped: (\d+)`)

// kubeconform validates manifests strictly against the offline schemas and
// returns the number of valid and of skipped resources; any invalid resource
// or error is an error.
func kubeconform(t *testing.T, manifests string, extra ...string) (valid, skipped int, out string, err error) {
	t.Helper()
	a := append([]string{"-strict", "-summary", "-schema-location", schemaLocation(t)}, extra...)
	a = append(a, "-")
	out, err = run(t, strings.NewReader(manifests), "kubeconform", a...)
	m := summaryRE.FindStringSubmatch(out)
	if m == nil {
		return 0, 0, out, fmt.Errorf("no kubeconform summary (%v)", err)
	}
	if err != nil {
		return 0, 0, out, err
	}
	if m[2] != "0" || m[3] != "0" {
		return 0, 0, out, fmt.Errorf("invalid %s, errors %s", m[2], m[3])
	}
	valid, _ = strconv.Atoi(m[1])
	skipped, _ = strconv.Atoi(m[4])
	return valid, skipped, out, nil
}

func TestTemplatePassesKubeconform(t *testing.T) {
	for _, vc := range valuesCases(t) {
		t.Run(vc.name, func(t *testing.T) {
			t.Parallel()
			manifests := mustTemplate(t, vc.args...)
			n, skipped, out, err := kubeconform(t, manifests)
			if err != nil || skipped != 0 {
				t.Fatalf("kubeconform -strict: %v, %d skipped\n%s", err, skipped, out)
			}
			if want := len(decode(t, manifests)); n != want {
				t.Fatalf("kubeconform validated %d resources, the chart rendered %d\n%s", n, want, out)
			}
		})
	}
}

// TestKubeconformCatchesErrors guards against schemas that accept anything:
// the rendered chart with a wrong field type and with an unknown field must
// both be rejected.
func TestKubeconformCatchesErrors(t *testing.T) {
	manifests := mustTemplate(t, "-f", filepath.Join(chartDir, "values-city.yaml"))
	for name, mutate := range map[string]func(string) string{
		"wrong type": func(s string) string {
			return strings.Replace(s, "replicas: 2", `replicas: "two"`, 1)
		},
		"unknown field": func(s string) string {
			return strings.Replace(s, "restartPolicy: Never", "restartPolicy: Never\n      restartPolicyy: Never", 1)
		},
		"missing required field": func(s string) string {
			return strings.Replace(s, "      port: 80\n", "", 1) // Service port
		},
	} {
		t.Run(name, func(t *testing.T) {
			broken := mutate(manifests)
			if broken == manifests {
				t.Fatal("mutation did not apply; update the test")
			}
			if _, _, out, err := kubeconform(t, broken); err == nil {
				t.Fatalf("kubeconform accepted a broken manifest\n%s", out)
			}
		})
	}
}

func TestRenderedResources(t *testing.T) {
	objs := decode(t, mustTemplate(t, inlineSecrets(t)...))

	deployments := byKind(objs, "Deployment")
	if len(deployments) != 3 {
		t.Fatalf("want 3 Deployments, got %d", len(deployments))
	}
	for _, kind := range []string{"Service", "ConfigMap", "Secret", "ServiceAccount", "PodDisruptionBudget", "Job"} {
		if len(byKind(objs, kind)) == 0 {
			t.Errorf("no %s rendered", kind)
		}
	}
	if n := len(byKind(objs, "ServiceMonitor")); n != 0 {
		t.Errorf("ServiceMonitor must be off by default, got %d", n)
	}
	if n := len(byKind(objs, "Ingress")); n != 0 {
		t.Errorf("Ingress must be off by default, got %d", n)
	}

	api := find(t, objs, "Deployment", releaseName+"-api")
	worker := find(t, objs, "Deployment", releaseName+"-worker")
	scheduler := find(t, objs, "Deployment", releaseName+"-scheduler")

	for o, want := range map[*object]string{
		&api:       "serve --config /etc/zhifa/zhifa.yaml",
		&worker:    "worker --no-scheduler --config /etc/zhifa/zhifa.yaml",
		&scheduler: "worker --scheduler-only --config /etc/zhifa/zhifa.yaml",
	} {
		c := container(t, *o)
		if got := args(c); got != want {
			t.Errorf("%s args = %q, want %q", o.name(), got, want)
		}
		if dig(*o, "spec", "template", "spec", "securityContext", "runAsNonRoot") != true {
			t.Errorf("%s: pod securityContext.runAsNonRoot is not true", o.name())
		}
		if dig(c, "securityContext", "readOnlyRootFilesystem") != true {
			t.Errorf("%s: readOnlyRootFilesystem is not true", o.name())
		}
		if dig(c, "resources", "limits", "memory") == nil {
			t.Errorf("%s: no memory limit", o.name())
		}
		if dig(c, "livenessProbe", "httpGet", "path") != "/healthz" || dig(c, "readinessProbe", "httpGet", "path") != "/readyz" {
			t.Errorf("%s: want liveness /healthz and readiness /readyz, got %v and %v", o.name(),
				dig(c, "livenessProbe", "httpGet", "path"), dig(c, "readinessProbe", "httpGet", "path"))
		}
	}
	if got := dig(api, "spec", "replicas"); got != 2 {
		t.Errorf("api replicas = %v, want the default 2", got)
	}
	if got := dig(scheduler, "spec", "replicas"); got != 1 {
		t.Errorf("scheduler replicas = %v, want 1", got)
	}
	if got := dig(scheduler, "spec", "strategy", "type"); got != "Recreate" {
		t.Errorf("scheduler strategy = %v, want Recreate", got)
	}
	if got := dig(container(t, worker), "ports", 0, "containerPort"); got != 8081 {
		t.Errorf("worker health port = %v, want 8081", got)
	}

	job := find(t, objs, "Job", releaseName+"-migrate")
	if got := dig(job, "metadata", "annotations", "helm.sh/hook"); got != "pre-install,pre-upgrade" {
		t.Errorf("migrate Job helm.sh/hook = %v, want pre-install,pre-upgrade", got)
	}
	jc := container(t, job)
	if got := args(jc); got != "migrate up --config /etc/zhifa/zhifa.yaml" {
		t.Errorf("migrate Job args = %q", got)
	}
	if got := dig(jc, "env", 0, "name"); got != "ZHIFA_DB_MIGRATE_DSN" {
		t.Errorf("migrate Job first env = %v, want ZHIFA_DB_MIGRATE_DSN", got)
	}
	// Everything the pre-install hook mounts must itself be a hook, created first.
	for _, o := range objs {
		hook, _ := dig(o, "metadata", "annotations", "helm.sh/hook").(string)
		if o.kind() != "Job" && strings.Contains(o.name(), "migrate") && hook != "pre-install,pre-upgrade" {
			t.Errorf("%s %s used by the migrate hook is not itself a pre-install,pre-upgrade hook", o.kind(), o.name())
		}
	}

	// The DSNs never reach the ConfigMap; they are in the Secrets.
	cfg := config(t, objs)
	if dig(cfg, "db", "dsn") != nil || dig(cfg, "secrets") != nil {
		t.Errorf("secret settings leaked into zhifa.yaml: %v", cfg)
	}
	if dig(cfg, "env") != "production" || dig(cfg, "http", "addr") != ":8080" || dig(cfg, "jobs", "health_addr") != ":8081" {
		t.Errorf("unexpected zhifa.yaml: %v", cfg)
	}
	if dig(cfg, "delivery", "smtp", "port") != 587 || dig(cfg, "delivery", "smtp", "tls_mode") != "starttls" || dig(cfg, "delivery", "sms", "timeout") != "10s" ||
		dig(cfg, "delivery", "smtp", "password") != nil {
		t.Errorf("unexpected delivery section: %v", dig(cfg, "delivery"))
	}
	env := map[string]any{}
	for _, e := range dig(container(t, worker), "env").([]any) {
		env[fmt.Sprint(dig(e, "name"))] = dig(e, "valueFrom", "secretKeyRef", "key")
	}
	if env["ZHIFA_DELIVERY_SMTP_PASSWORD"] != "smtp-password" || env["ZHIFA_DELIVERY_SMS_TOKEN"] != "sms-token" {
		t.Errorf("the worker does not read the SMTP password and SMS token from the Secret: %v", env)
	}
	secret := find(t, objs, "Secret", releaseName)
	for _, key := range []string{"db-dsn", "secrets-key", "redis-password"} {
		if dig(secret, "data", key) == nil {
			t.Errorf("Secret %s has no %s", releaseName, key)
		}
	}
	if dig(secret, "data", "db-migrate-dsn") != nil {
		t.Errorf("the owner DSN must only be in the migrate hook Secret")
	}
	if s, _ := dig(find(t, objs, "Secret", releaseName+"-migrate"), "data", "db-migrate-dsn").(string); s == "" {
		t.Errorf("migrate Secret has no db-migrate-dsn")
	}
}

func TestTierValues(t *testing.T) {
	type want struct {
		tier, rootTenant    string
		apiReplicas, worker int
		secret              string
	}
	wants := map[string]want{
		"values-province.yaml": {"province", "35", 4, 4, "zhifa-province-secrets"},
		"values-city.yaml":     {"city", "3501", 2, 2, "zhifa-city-secrets"},
		"values-county.yaml":   {"county", "350102", 1, 1, "zhifa-county-secrets"},
	}
	memLimits := map[string]string{}
	for _, f := range tierFiles {
		w := wants[f]
		t.Run(f, func(t *testing.T) {
			objs := decode(t, mustTemplate(t, "-f", filepath.Join(chartDir, f)))
			cfg := config(t, objs)
			if got := dig(cfg, "deployment", "tier"); got != w.tier {
				t.Errorf("deployment.tier = %v, want %s", got, w.tier)
			}
			if got := dig(cfg, "deployment", "root_tenant"); got != w.rootTenant {
				t.Errorf("deployment.root_tenant = %#v, want the string %q", got, w.rootTenant)
			}
			api := find(t, objs, "Deployment", releaseName+"-api")
			if got := dig(api, "spec", "replicas"); got != w.apiReplicas {
				t.Errorf("api replicas = %v, want %d", got, w.apiReplicas)
			}
			if got := dig(find(t, objs, "Deployment", releaseName+"-worker"), "spec", "replicas"); got != w.worker {
				t.Errorf("worker replicas = %v, want %d", got, w.worker)
			}
			if got := dig(find(t, objs, "Deployment", releaseName+"-scheduler"), "spec", "replicas"); got != 1 {
				t.Errorf("scheduler replicas = %v, want 1", got)
			}
			if got := dig(api, "metadata", "labels", "zhifa.gov.cn/tier"); got != w.tier {
				t.Errorf("tier label = %v, want %s", got, w.tier)
			}
			// existingSecret: the chart creates no Secret and every reference points at it.
			if s := byKind(objs, "Secret"); len(s) != 0 {
				t.Errorf("existingSecret is set but the chart rendered %d Secret(s)", len(s))
			}
			for _, o := range append(byKind(objs, "Deployment"), byKind(objs, "Job")...) {
				for _, e := range dig(container(t, o), "env").([]any) {
					if ref := dig(e, "valueFrom", "secretKeyRef", "name"); ref != nil && ref != w.secret {
						t.Errorf("%s %s reads secret %v, want %s", o.kind(), o.name(), ref, w.secret)
					}
				}
			}
			ing := find(t, objs, "Ingress", releaseName)
			host, _ := dig(ing, "spec", "rules", 0, "host").(string)
			if !strings.HasSuffix(host, ".example.gov.cn") || !strings.Contains(fmt.Sprint(dig(cfg, "http", "public_url")), host) {
				t.Errorf("ingress host %q does not match public_url %v", host, dig(cfg, "http", "public_url"))
			}
			memLimits[f], _ = dig(container(t, api), "resources", "limits", "memory").(string)
		})
	}
	if memLimits["values-county.yaml"] == memLimits["values-province.yaml"] {
		t.Errorf("county and province API memory limits are both %q; the county stack should be smaller", memLimits["values-county.yaml"])
	}
}

func TestServiceMonitor(t *testing.T) {
	manifests := mustTemplate(t, append(inlineSecrets(t), "--set", "serviceMonitor.enabled=true")...)
	objs := decode(t, manifests)
	sm := find(t, objs, "ServiceMonitor", releaseName)
	if got := len(dig(sm, "spec", "endpoints").([]any)); got != 2 {
		t.Errorf("ServiceMonitor endpoints = %d, want 2 (API and jobs)", got)
	}
	// No Kubernetes schema describes the Prometheus Operator CRD.
	valid, skipped, out, err := kubeconform(t, manifests, "-skip", "ServiceMonitor")
	if err != nil || skipped != 1 || valid != len(objs)-1 {
		t.Fatalf("kubeconform: %v, %d valid and %d skipped of %d\n%s", err, valid, skipped, len(objs), out)
	}
}

func TestRenderingRefusesUnsafeValues(t *testing.T) {
	key := secretKey(t)
	dsn := []string{"--set", "secrets.dbDsn=postgres://a@db/zhifa", "--set", "secrets.dbMigrateDsn=postgres://o@db/zhifa"}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no secrets at all", nil, "secrets.dbDsn is required (or set secrets.existingSecret"},
		{"no migrate DSN", []string{"--set", "secrets.dbDsn=postgres://a@db/zhifa", "--set", "secrets.secretsKey=" + key},
			"secrets.dbMigrateDsn is required"},
		{"no secrets key in production", dsn, "secrets.secretsKey is required in production"},
		{"short secrets key", append(dsn, "--set", "secrets.secretsKey="+base64.StdEncoding.EncodeToString([]byte("short"))),
			"secretsKey"},
		{"dev login in production", append(append(dsn, "--set", "secrets.secretsKey="+key), "--set", "config.identity.dev_login=true"),
			"config.identity.dev_login must be false when config.env is production"},
		{"secret in the ConfigMap values", append(append(dsn, "--set", "secrets.secretsKey="+key), "--set", "config.db.dsn=postgres://x@db/zhifa"),
			"dsn"},
		{"unknown tier", append(append(dsn, "--set", "secrets.secretsKey="+key), "--set", "config.deployment.tier=township"),
			"tier"},
		{"SMS gateway without its token", append(append(dsn, "--set", "secrets.secretsKey="+key), "--set", "config.delivery.sms.url=https://sms.example.gov.cn/send"),
			"secrets.smsToken is required with config.delivery.sms.url"},
		{"SMTP user without a password", append(append(dsn, "--set", "secrets.secretsKey="+key), "--set", "config.delivery.smtp.host=smtp.example.gov.cn",
			"--set", "config.delivery.smtp.from=songda@example.gov.cn", "--set", "config.delivery.smtp.username=songda"),
			"secrets.smtpPassword is required with config.delivery.smtp.username"},
		{"SMTP host without a sender", append(append(dsn, "--set", "secrets.secretsKey="+key), "--set", "config.delivery.smtp.host=smtp.example.gov.cn"),
			"from"},
		{"SMTP password in the ConfigMap values", append(append(dsn, "--set", "secrets.secretsKey="+key), "--set", "config.delivery.smtp.password=x"),
			"password"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out, err := template(t, tc.args...)
			if err == nil {
				t.Fatalf("helm template succeeded; want a failure mentioning %q", tc.want)
			}
			if !strings.Contains(out, tc.want) {
				t.Fatalf("helm template failed without mentioning %q:\n%s", tc.want, out)
			}
		})
	}

	// Outside production the chart does not insist on a secrets key (the
	// application decides), but the DSNs are still needed.
	if out, err := template(t, append(dsn, "--set", "config.env=staging")...); err != nil {
		t.Fatalf("staging without a secrets key should render: %v\n%s", err, out)
	}
}
