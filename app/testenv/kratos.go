package testenv

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	client "github.com/ory/kratos-client-go"
	"gopkg.in/yaml.v3"
)

// KratosServer is a running Ory Kratos server with its public and admin APIs on loopback ports.
type KratosServer struct {
	// PublicURL is the base URL of the public (frontend) API, without a trailing slash.
	PublicURL string
	// AdminURL is the base URL of the admin API, without a trailing slash.
	AdminURL string
	// Dir is the temporary directory holding the rendered configuration, the SQLite database and
	// kratos.log.
	Dir string
	// ConfigPath is the configuration file the server runs with, rendered from
	// config/kratos/kratos.yml.
	ConfigPath string
	// StartTime is how long migrating and starting the server took.
	StartTime time.Duration

	proc *process
	once sync.Once
}

// KratosOptions configure a private Kratos server for browser tests (KratosFor).
type KratosOptions struct {
	// UIBase is the platform's address as the browser reaches it (http://127.0.0.1:PORT): the
	// self-service UI URLs and return URLs of config/kratos/kratos.yml are moved under it, and
	// Kratos' public base URL becomes its tunnel, UIBase + "/.ory/kratos/public/".
	UIBase string
	// SMTP is the courier's SMTP connection URI (smtp://127.0.0.1:PORT/?disable_starttls=true);
	// set, the server also runs its courier, sending recovery and verification e-mails.
	SMTP string
}

// KratosFor starts a Kratos server private to the test, configured by o, stopped at the test's
// cleanup.
func KratosFor(t testing.TB, o KratosOptions) *KratosServer {
	t.Helper()
	k, err := startKratos(Tool(t, "kratos"), o)
	if err != nil {
		t.Fatalf("testenv: kratos: %v", err)
	}
	t.Cleanup(k.Stop)
	return k
}

var sharedKratos struct {
	mu sync.Mutex
	k  *KratosServer
}

// Kratos returns the package's shared Ory Kratos server (binary from $ZHIFA_TOOLS or
// $HOME/.cache/zhifa/bin; SQLite DSN in a temporary directory; `kratos migrate sql -e --yes`, whose
// result is cached in $HOME/.cache/zhifa/kratos-db for the next start with the same binary;
// `kratos serve --dev -c <rendered config>`), public and admin API on random loopback ports,
// waited for until /health/ready answers. The configuration is config/kratos/kratos.yml with the
// ports, DSN, schema path, a low bcrypt cost and a quieter log replaced. It fails the test with
// "kratos not found: run make tools" when the binary is missing. Without Main the server is
// private to the calling test and stopped at its cleanup.
func Kratos(t testing.TB) *KratosServer {
	t.Helper()
	bin := Tool(t, "kratos")
	if !shared() {
		k, err := startKratos(bin, KratosOptions{})
		if err != nil {
			t.Fatalf("testenv: kratos: %v", err)
		}
		t.Cleanup(k.Stop)
		return k
	}
	sharedKratos.mu.Lock()
	defer sharedKratos.mu.Unlock()
	if sharedKratos.k == nil {
		k, err := startKratos(bin, KratosOptions{})
		if err != nil {
			t.Fatalf("testenv: kratos: %v", err)
		}
		sharedKratos.k = k
		onStopAll(func() {
			sharedKratos.mu.Lock()
			defer sharedKratos.mu.Unlock()
			if sharedKratos.k == k {
				sharedKratos.k = nil
			}
			k.Stop()
		})
	}
	return sharedKratos.k
}

// Stop kills the server's process group and removes its directory. It is safe to call more than
// once.
func (k *KratosServer) Stop() {
	k.once.Do(func() {
		k.proc.stop(syscall.SIGTERM, true, 5*time.Second)
		_ = os.RemoveAll(k.Dir)
	})
}

// Log returns the last lines of the server's log (warnings and errors only), for diagnosing a
// failing test.
func (k *KratosServer) Log() string { return fileTail(k.proc.logPath, 200) }

// AdminClient returns a kratos-client-go client for the admin API.
func (k *KratosServer) AdminClient() *client.APIClient { return newKratosClient(k.AdminURL) }

// PublicClient returns a kratos-client-go client for the public (frontend) API.
func (k *KratosServer) PublicClient() *client.APIClient { return newKratosClient(k.PublicURL) }

func newKratosClient(url string) *client.APIClient {
	cfg := client.NewConfiguration()
	cfg.Servers = client.ServerConfigurations{{URL: url}}
	cfg.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	return client.NewAPIClient(cfg)
}

// CreateIdentity creates an identity with a password through the admin API (kratos-client-go) and
// returns its ID. The traits are email, name and, when not empty, kind ("officer" or "citizen").
func (k *KratosServer) CreateIdentity(t testing.TB, email, password, name, kind string) string {
	t.Helper()
	traits := map[string]interface{}{"email": email, "name": name}
	if kind != "" {
		traits["kind"] = kind
	}
	return k.CreateIdentityWithTraits(t, traits, password)
}

// CreateIdentityWithTraits creates an identity of the default schema with the given traits and
// password, its e-mail verified, through the admin API and returns its ID.
func (k *KratosServer) CreateIdentityWithTraits(t testing.TB, traits map[string]interface{}, password string) string {
	t.Helper()
	body := client.NewCreateIdentityBody("default", traits)
	if email, ok := traits["email"].(string); ok {
		// as the platform creates staff (and a citizen's verified e-mail): sign-in requires it
		body.VerifiableAddresses = []client.VerifiableIdentityAddress{*client.NewVerifiableIdentityAddress("completed", email, true, "email")}
	}
	body.Credentials = &client.IdentityWithCredentials{
		Password: &client.IdentityWithCredentialsPassword{
			Config: &client.IdentityWithCredentialsPasswordConfig{Password: &password},
		},
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	id, _, err := k.AdminClient().IdentityAPI.CreateIdentity(ctx).CreateIdentityBody(*body).Execute()
	if err != nil {
		t.Fatalf("testenv: kratos create identity %v: %s", traits["email"], kratosErr(err))
	}
	return id.Id
}

// Login performs the native (API) login flow with password and returns the session token (the
// value clients send as X-Session-Token). It fails the test when the login is refused.
func (k *KratosServer) Login(t testing.TB, email, password string) string {
	t.Helper()
	token, err := k.TryLogin(email, password)
	if err != nil {
		t.Fatalf("testenv: kratos login %s: %v", email, err)
	}
	return token
}

// TryLogin performs the native (API) login flow with password and returns the session token, or
// the error Kratos answered with (for example for a wrong password).
func (k *KratosServer) TryLogin(email, password string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c := k.PublicClient()
	flow, _, err := c.FrontendAPI.CreateNativeLoginFlow(ctx).Execute()
	if err != nil {
		return "", fmt.Errorf("create login flow: %s", kratosErr(err))
	}
	method := client.NewUpdateLoginFlowWithPasswordMethod(email, "password", password)
	res, _, err := c.FrontendAPI.UpdateLoginFlow(ctx).Flow(flow.Id).
		UpdateLoginFlowBody(client.UpdateLoginFlowWithPasswordMethodAsUpdateLoginFlowBody(method)).Execute()
	if err != nil {
		return "", fmt.Errorf("login: %s", kratosErr(err))
	}
	if res.SessionToken == nil || *res.SessionToken == "" {
		return "", errors.New("login: no session token in the answer")
	}
	return *res.SessionToken, nil
}

// kratosErr renders a kratos-client-go error with what Kratos said: the messages of a returned
// flow, the message and reason of an error answer, or else the raw body.
func kratosErr(err error) string {
	var apiErr *client.GenericOpenAPIError
	if !errors.As(err, &apiErr) || len(apiErr.Body()) == 0 {
		return err.Error()
	}
	var body struct {
		UI struct {
			Messages []struct {
				Text string `json:"text"`
			} `json:"messages"`
			Nodes []struct {
				Messages []struct {
					Text string `json:"text"`
				} `json:"messages"`
			} `json:"nodes"`
		} `json:"ui"`
		Error struct {
			Message string `json:"message"`
			Reason  string `json:"reason"`
		} `json:"error"`
	}
	var msgs []string
	if json.Unmarshal(apiErr.Body(), &body) == nil {
		for _, m := range body.UI.Messages {
			msgs = append(msgs, m.Text)
		}
		for _, n := range body.UI.Nodes {
			for _, m := range n.Messages {
				msgs = append(msgs, m.Text)
			}
		}
		for _, m := range []string{body.Error.Message, body.Error.Reason} {
			if m != "" {
				msgs = append(msgs, m)
			}
		}
	}
	if len(msgs) == 0 {
		msgs = append(msgs, tail(string(apiErr.Body()), 2000))
	}
	return fmt.Sprintf("%v: %s", err, strings.Join(msgs, "; "))
}

func startKratos(bin string, o KratosOptions) (*KratosServer, error) {
	began := time.Now()
	root, err := repoRoot()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "zhifa-kratos-")
	if err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			_ = os.RemoveAll(dir)
		}
	}()
	dsn := "sqlite://" + filepath.Join(dir, "kratos.db") + "?_fk=true&mode=rwc"
	env := baseEnv("DSN="+dsn, "SQA_OPT_OUT=true")

	if err := migrateKratos(bin, dir, env); err != nil {
		return nil, err
	}

	var lastErr error
	for attempt := 0; attempt < 5; attempt++ {
		publicPort, err := freePort()
		if err != nil {
			return nil, err
		}
		adminPort, err := freePort()
		if err != nil {
			return nil, err
		}
		if adminPort == publicPort {
			continue
		}
		k := &KratosServer{
			PublicURL:  fmt.Sprintf("http://127.0.0.1:%d", publicPort),
			AdminURL:   fmt.Sprintf("http://127.0.0.1:%d", adminPort),
			Dir:        dir,
			ConfigPath: filepath.Join(dir, "kratos.yml"),
		}
		if err := renderKratosConfig(filepath.Join(root, "config", "kratos"), k.ConfigPath, dsn, publicPort, adminPort, o); err != nil {
			return nil, err
		}
		args := []string{bin, "serve", "--dev", "--sqa-opt-out", "-c", k.ConfigPath}
		if o.SMTP != "" {
			args = append(args, "--watch-courier")
		}
		k.proc, err = startProcess("kratos", args,
			env, dir, filepath.Join(dir, "kratos.log"), nil)
		if err != nil {
			return nil, err
		}
		if err = k.waitReady(60 * time.Second); err == nil {
			k.StartTime = time.Since(began)
			ok = true
			return k, nil
		}
		k.proc.stop(syscall.SIGKILL, true, 5*time.Second)
		lastErr = err
		if !isAddrInUse(k.proc.logTail()) {
			break
		}
	}
	return nil, lastErr
}

// migrateKratos creates dir/kratos.db with the schema of the binary: a copy of a database
// migrated earlier by the same binary (cached next to the tools, keyed by the binary's size and
// modification time), or else by running `kratos migrate sql -e --yes`, whose result is then cached.
func migrateKratos(bin, dir string, env []string) error {
	db := filepath.Join(dir, "kratos.db")
	cache := ""
	if fi, err := os.Stat(bin); err == nil {
		if home, err := os.UserHomeDir(); err == nil {
			cache = filepath.Join(home, ".cache", "zhifa", "kratos-db",
				fmt.Sprintf("%d-%d.db", fi.Size(), fi.ModTime().UnixNano()))
		}
	}
	if cache != "" && copyFile(cache, db) == nil {
		return nil
	}
	migrate := exec.Command(bin, "migrate", "sql", "-e", "--yes")
	migrate.Env = env
	migrate.Dir = dir
	migrate.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if out, err := migrate.CombinedOutput(); err != nil {
		return fmt.Errorf("kratos migrate sql failed: %v\n%s", err, tail(string(out), 3000))
	}
	if cache == "" {
		return nil
	}
	if _, err := os.Stat(db + "-wal"); err == nil {
		return nil // not checkpointed: do not cache a partial file
	}
	// Publish atomically, so that packages tested in parallel never read a partial copy.
	if err := os.MkdirAll(filepath.Dir(cache), 0o755); err == nil {
		tmp := fmt.Sprintf("%s.%d.tmp", cache, os.Getpid())
		if copyFile(db, tmp) == nil {
			if os.Rename(tmp, cache) != nil {
				_ = os.Remove(tmp)
			}
		}
	}
	return nil
}

func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o600)
}

// waitReady waits until both APIs answer /health/ready with 200.
func (k *KratosServer) waitReady(timeout time.Duration) error {
	hc := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(timeout)
	var lastErr error
	for time.Now().Before(deadline) {
		if k.proc.exited() {
			return fmt.Errorf("kratos exited during start-up: %v\n%s", k.proc.waitErr, k.proc.logTail())
		}
		lastErr = nil
		for _, base := range []string{k.AdminURL, k.PublicURL} {
			resp, err := hc.Get(base + "/health/ready")
			if err != nil {
				lastErr = err
				break
			}
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				lastErr = fmt.Errorf("%s/health/ready: %s", base, resp.Status)
				break
			}
		}
		if lastErr == nil {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("kratos not ready after %s: %v\n%s", timeout, lastErr, k.proc.logTail())
}

// renderKratosConfig writes to out the configuration in cfgDir/kratos.yml with the test's ports
// and DSN, the files it names under /etc/config/kratos/ (identity schema, e-mail templates)
// resolved to those in cfgDir, bcrypt cost 4 (allowed in --dev mode), warnings-only text logs,
// and o applied.
func renderKratosConfig(cfgDir, out, dsn string, publicPort, adminPort int, o KratosOptions) error {
	src := filepath.Join(cfgDir, "kratos.yml")
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	var cfg map[string]interface{}
	if err := yaml.Unmarshal(b, &cfg); err != nil {
		return fmt.Errorf("%s: %w", src, err)
	}
	set := func(path string, v interface{}) {
		keys := strings.Split(path, ".")
		m := cfg
		for _, k := range keys[:len(keys)-1] {
			next, ok := m[k].(map[string]interface{})
			if !ok {
				next = map[string]interface{}{}
				m[k] = next
			}
			m = next
		}
		m[keys[len(keys)-1]] = v
	}
	set("dsn", dsn)
	set("serve.public.base_url", fmt.Sprintf("http://127.0.0.1:%d/", publicPort))
	set("serve.public.host", "127.0.0.1")
	set("serve.public.port", publicPort)
	set("serve.admin.base_url", fmt.Sprintf("http://127.0.0.1:%d/", adminPort))
	set("serve.admin.host", "127.0.0.1")
	set("serve.admin.port", adminPort)
	set("hashers.algorithm", "bcrypt")
	set("hashers.bcrypt.cost", 4)
	set("selfservice.methods.password.config.haveibeenpwned_enabled", false)
	set("log.level", "warning")
	set("log.format", "text")
	const prodUI, prodFiles = "http://127.0.0.1:8080", "file:///etc/config/kratos/"
	var missing error
	rewrite := func(v string) string {
		if o.UIBase != "" && strings.HasPrefix(v, prodUI) {
			v = o.UIBase + strings.TrimPrefix(v, prodUI)
		}
		if strings.HasPrefix(v, prodFiles) {
			local := filepath.Join(cfgDir, strings.TrimPrefix(v, prodFiles))
			if _, err := os.Stat(local); err != nil {
				missing = fmt.Errorf("%s: %w", v, err)
			}
			v = "file://" + local
		}
		return v
	}
	cfg = rewriteStrings(cfg, rewrite).(map[string]interface{})
	if missing != nil {
		return missing
	}
	if o.UIBase != "" {
		set("serve.public.base_url", o.UIBase+"/.ory/kratos/public/")
	}
	if o.SMTP != "" {
		set("courier.smtp.connection_uri", o.SMTP)
	}

	rendered, err := yaml.Marshal(cfg)
	if err != nil {
		return err
	}
	return os.WriteFile(out, rendered, 0o600)
}

// rewriteStrings returns v with f applied to every string in it (a YAML document's maps and lists).
func rewriteStrings(v interface{}, f func(string) string) interface{} {
	switch v := v.(type) {
	case string:
		return f(v)
	case map[string]interface{}:
		for k, x := range v {
			v[k] = rewriteStrings(x, f)
		}
	case []interface{}:
		for i, x := range v {
			v[i] = rewriteStrings(x, f)
		}
	}
	return v
}

func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}
