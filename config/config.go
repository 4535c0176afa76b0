// Package config is the platform's typed configuration: defaults, then a YAML file with
// environment variables expanded, then environment overrides for every key
// (ZHIFA_<SECTION>_<KEY>), then validation.
package config

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Environments a deployment runs in.
const (
	EnvDevelopment = "development"
	EnvProduction  = "production"
)

// Tiers a deployment may be configured for.
const (
	TierProvince = "province"
	TierCity     = "city"
	TierCounty   = "county"
	TierEmbedded = "embedded"
)

// DefaultSecretKey is the key the embedded default encrypts with. It is public, so a production
// configuration that still uses it is refused.
const DefaultSecretKey = "emhpZmEtZW1iZWRkZWQtZGVmYXVsdC1rZXktTk9UISE="

// Config is the whole configuration of one zhifa process.
type Config struct {
	// Env is "development" or "production". Production refuses the dev login and default secrets.
	Env        string     `yaml:"env"`
	Deployment Deployment `yaml:"deployment"`
	HTTP       HTTP       `yaml:"http"`
	DB         DB         `yaml:"db"`
	Redis      Redis      `yaml:"redis"`
	Identity   Identity   `yaml:"identity"`
	Disclosure Disclosure `yaml:"disclosure"`
	Secrets    Secrets    `yaml:"secrets"`
	Jobs       Jobs       `yaml:"jobs"`
	Log        Log        `yaml:"log"`
	Data       Data       `yaml:"data"`
	Delivery   Delivery   `yaml:"delivery"`
	Payments   Payments   `yaml:"payments"`
	Portal     Portal     `yaml:"portal"`
}

// Deployment says which tier this deployment serves and which tenant is its root (central tenant).
type Deployment struct {
	Tier       string `yaml:"tier"`
	RootTenant string `yaml:"root_tenant"`
	RootName   string `yaml:"root_name"`
}

// HTTP configures the API server.
type HTTP struct {
	Addr      string `yaml:"addr"`
	PublicURL string `yaml:"public_url"`
	BodyLimit string `yaml:"body_limit"`
}

// DB configures the database. Driver is "postgres" or "sqlite". DSN is the application's
// connection (a role that does not own the tables); MigrateDSN is the owner's, used by migrate.
type DB struct {
	Driver       string `yaml:"driver"`
	DSN          string `yaml:"dsn"`
	MigrateDSN   string `yaml:"migrate_dsn"`
	AppRole      string `yaml:"app_role"`
	MaxOpenConns int    `yaml:"max_open_conns"`
}

// Redis configures the Asynq backend. An empty Addr means the in-process backend.
type Redis struct {
	Addr     string `yaml:"addr"`
	Password string `yaml:"password"`
	DB       int    `yaml:"db"`
}

// Disclosure configures the public disclosure pages and API.
type Disclosure struct {
	// SearchesPerIP bounds the public reads (searches and records, pages and API) one client
	// address may make per minute (default 120).
	SearchesPerIP int `yaml:"searches_per_ip"`
}

// Identity configures Ory Kratos and the embedded default's dev login.
type Identity struct {
	KratosPublicURL string `yaml:"kratos_public_url"`
	KratosAdminURL  string `yaml:"kratos_admin_url"`
	DevLogin        bool   `yaml:"dev_login"`
	// SignInAttemptsPerIP bounds the sign-in, registration, recovery and verification forms one
	// client address may send to Kratos in ten minutes (default 30).
	SignInAttemptsPerIP int `yaml:"sign_in_attempts_per_ip"`
	// InviteTTL is how long the recovery link and code of a new account's invitation are valid
	// (default 72h).
	InviteTTL time.Duration `yaml:"invite_ttl"`
}

// Secrets holds the key that encrypts secrets at rest (base64 of 32 bytes).
type Secrets struct {
	Key string `yaml:"key"`
}

// Jobs configures the Asynq worker.
type Jobs struct {
	Concurrency   int           `yaml:"concurrency"`
	HealthAddr    string        `yaml:"health_addr"`
	RelayInterval time.Duration `yaml:"relay_interval"`
}

// Log configures structured logging.
type Log struct {
	Level  string `yaml:"level"`
	Format string `yaml:"format"`
}

// Data is where the embedded default keeps its files (SQLite database, uploads, keys).
type Data struct {
	Dir string `yaml:"dir"`
}

// Delivery configures electronic delivery (电子送达): the SMTP server that e-mail with the
// document attached goes through, and the HTTP gateway that sends SMS notifications.
type Delivery struct {
	SMTP SMTP `yaml:"smtp"`
	SMS  SMS  `yaml:"sms"`
}

// Payments configures fines paid online. Each paying authority's Stripe keys and webhook secret are
// tenant settings (payments.*), not configuration; this section says where Stripe's API is and
// whether payments are simulated.
type Payments struct {
	// StripeAPIURL is Stripe's API; empty: api.stripe.com. Tests point it at stripe-mock.
	StripeAPIURL string `yaml:"stripe_api_url"`
	// Simulate makes payments simulated through the same signed-webhook path, plainly marked as
	// simulation (the embedded default). Refused in production.
	Simulate bool `yaml:"simulate"`
}

// Portal bounds the citizen portal's case lookups so that case codes cannot be enumerated nor
// proofs guessed: lookups per client address per 10 minutes, failed proofs per account per hour,
// and failed proofs per case code per hour (past which the code is locked until the hour ends).
type Portal struct {
	LookupsPerIP           int `yaml:"lookups_per_ip"`
	FailedProofsPerAccount int `yaml:"failed_proofs_per_account"`
	FailedProofsPerCode    int `yaml:"failed_proofs_per_code"`
}

// SMTP TLS modes.
const (
	SMTPStartTLS = "starttls" // plain connection upgraded with STARTTLS, which the server must offer
	SMTPTLS      = "tls"      // implicit TLS from the first byte (usually port 465)
	SMTPNoTLS    = "none"     // no encryption: a relay on the same host or a test sink only
)

// SMTP configures the server e-mail is submitted to. An empty Host means none: the e-mail channel
// is then off (in development the application may log messages instead).
type SMTP struct {
	Host     string        `yaml:"host"`
	Port     int           `yaml:"port"`
	Username string        `yaml:"username"`
	Password string        `yaml:"password"`
	From     string        `yaml:"from"`     // the sender address, e.g. songda@scjg.fj.gov.cn
	TLSMode  string        `yaml:"tls_mode"` // starttls, tls or none
	Timeout  time.Duration `yaml:"timeout"`  // per command, and for the reply to the message
}

// SMS configures the HTTP gateway that sends SMS notifications (a JSON POST with a bearer token).
// An empty URL means none: the SMS channel is then off.
type SMS struct {
	URL     string        `yaml:"url"`
	Token   string        `yaml:"token"`
	Timeout time.Duration `yaml:"timeout"`
}

// Default returns the embedded default: SQLite under var/, in-process jobs, dev login.
func Default() Config {
	return Config{
		Env:        EnvDevelopment,
		Deployment: Deployment{Tier: TierEmbedded, RootTenant: "35", RootName: "福建省"},
		HTTP:       HTTP{Addr: "127.0.0.1:8080", BodyLimit: "4M"},
		DB:         DB{Driver: "sqlite", MaxOpenConns: 20},
		Identity:   Identity{DevLogin: true, SignInAttemptsPerIP: 30},
		Disclosure: Disclosure{SearchesPerIP: 120},
		Secrets:    Secrets{Key: DefaultSecretKey},
		Jobs:       Jobs{Concurrency: 10, HealthAddr: ":8081", RelayInterval: time.Second},
		Log:        Log{Level: "info", Format: "json"},
		Data:       Data{Dir: "var"},
		Delivery: Delivery{
			SMTP: SMTP{Port: 587, TLSMode: SMTPStartTLS, Timeout: 30 * time.Second},
			SMS:  SMS{Timeout: 10 * time.Second},
		},
		Payments: Payments{Simulate: true},
		Portal:   Portal{LookupsPerIP: 30, FailedProofsPerAccount: 10, FailedProofsPerCode: 5},
	}
}

// Load builds the configuration: defaults, then the file at path (if not empty) with ${VAR}
// expanded, then ZHIFA_* environment overrides from env, then validation.
func Load(path string, env func(string) (string, bool)) (Config, error) {
	cfg := Default()
	if path != "" {
		raw, err := os.ReadFile(path)
		if err != nil {
			return cfg, fmt.Errorf("config: read %s: %w", path, err)
		}
		expanded := os.Expand(string(raw), func(k string) string { v, _ := env(k); return v })
		dec := yaml.NewDecoder(strings.NewReader(expanded))
		dec.KnownFields(true)
		if err := dec.Decode(&cfg); err != nil {
			return cfg, fmt.Errorf("config: parse %s: %w", path, err)
		}
	}
	if err := applyEnv(&cfg, env); err != nil {
		return cfg, err
	}
	cfg.fillDerived()
	return cfg, cfg.Validate()
}

// EnvKeys lists every environment variable that overrides a key, in declaration order.
func EnvKeys() []string {
	var keys []string
	walk(reflect.ValueOf(&Config{}).Elem(), "ZHIFA", func(name string, _ reflect.Value) { keys = append(keys, name) })
	return keys
}

func walk(v reflect.Value, prefix string, fn func(string, reflect.Value)) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		tag := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]
		name := prefix + "_" + strings.ToUpper(tag)
		f := v.Field(i)
		if f.Kind() == reflect.Struct {
			walk(f, name, fn)
			continue
		}
		fn(name, f)
	}
}

func applyEnv(cfg *Config, env func(string) (string, bool)) error {
	var errs []error
	walk(reflect.ValueOf(cfg).Elem(), "ZHIFA", func(name string, f reflect.Value) {
		s, ok := env(name)
		if !ok {
			return
		}
		if err := setField(f, s); err != nil {
			errs = append(errs, fmt.Errorf("config: %s=%q: %w", name, s, err))
		}
	})
	return errors.Join(errs...)
}

func setField(f reflect.Value, s string) error {
	switch f.Interface().(type) {
	case string:
		f.SetString(s)
	case bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return errors.New("want true or false")
		}
		f.SetBool(b)
	case int:
		n, err := strconv.Atoi(s)
		if err != nil {
			return errors.New("want an integer")
		}
		f.SetInt(int64(n))
	case time.Duration:
		d, err := time.ParseDuration(s)
		if err != nil {
			return errors.New("want a duration such as 1s or 500ms")
		}
		f.SetInt(int64(d))
	default:
		return fmt.Errorf("unsupported kind %s", f.Kind())
	}
	return nil
}

// fillDerived sets values that follow from others: the SQLite file under the data directory.
func (c *Config) fillDerived() {
	if c.DB.Driver == "sqlite" && c.DB.DSN == "" {
		c.DB.DSN = SQLiteDSN(filepath.Join(c.Data.Dir, "zhifa.db"))
	}
	if c.DB.MigrateDSN == "" {
		c.DB.MigrateDSN = c.DB.DSN
	}
	if c.HTTP.PublicURL == "" {
		addr := c.HTTP.Addr
		if strings.HasPrefix(addr, ":") {
			addr = "127.0.0.1" + addr
		}
		c.HTTP.PublicURL = "http://" + addr
	}
}

// SQLiteDSN returns the DSN for a SQLite database file with the pragmas the platform needs.
func SQLiteDSN(file string) string {
	return "file:" + file + "?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_txlock=immediate"
}

// Validate reports every problem with the configuration at once, each naming its key.
func (c Config) Validate() error {
	var errs []string
	bad := func(key, msg string, args ...any) { errs = append(errs, key+": "+fmt.Sprintf(msg, args...)) }
	switch c.Env {
	case EnvDevelopment, EnvProduction:
	default:
		bad("env", "must be %q or %q, got %q", EnvDevelopment, EnvProduction, c.Env)
	}
	switch c.Deployment.Tier {
	case TierProvince, TierCity, TierCounty, TierEmbedded:
	default:
		bad("deployment.tier", "must be province, city, county or embedded, got %q", c.Deployment.Tier)
	}
	if c.Deployment.RootTenant == "" || strings.ContainsAny(c.Deployment.RootTenant, "/ ") {
		bad("deployment.root_tenant", "must be a division code such as 35, got %q", c.Deployment.RootTenant)
	}
	if c.HTTP.Addr == "" {
		bad("http.addr", "must not be empty")
	}
	if _, err := ParseSize(c.HTTP.BodyLimit); err != nil {
		bad("http.body_limit", "%v", err)
	}
	switch c.DB.Driver {
	case "postgres", "sqlite":
	default:
		bad("db.driver", "must be postgres or sqlite, got %q", c.DB.Driver)
	}
	if c.DB.DSN == "" {
		bad("db.dsn", "must not be empty")
	}
	if c.DB.MaxOpenConns < 1 {
		bad("db.max_open_conns", "must be at least 1")
	}
	if c.Jobs.Concurrency < 1 {
		bad("jobs.concurrency", "must be at least 1")
	}
	if c.Jobs.RelayInterval <= 0 {
		bad("jobs.relay_interval", "must be positive")
	}
	if k, err := base64.StdEncoding.DecodeString(c.Secrets.Key); err != nil || len(k) != 32 {
		bad("secrets.key", "must be the base64 encoding of 32 bytes")
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		bad("log.level", "must be debug, info, warn or error")
	}
	if !c.Identity.DevLogin && c.Identity.KratosPublicURL == "" {
		bad("identity.kratos_public_url", "is required when the dev login is off")
	}
	c.Delivery.validate(bad)
	for key, n := range map[string]int{"identity.sign_in_attempts_per_ip": c.Identity.SignInAttemptsPerIP, "disclosure.searches_per_ip": c.Disclosure.SearchesPerIP, "portal.lookups_per_ip": c.Portal.LookupsPerIP,
		"portal.failed_proofs_per_account": c.Portal.FailedProofsPerAccount, "portal.failed_proofs_per_code": c.Portal.FailedProofsPerCode} {
		if n < 1 {
			bad(key, "must be at least 1")
		}
	}
	if u := c.Payments.StripeAPIURL; u != "" {
		if p, err := url.Parse(u); err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			bad("payments.stripe_api_url", "must be an http or https URL, got %q", u)
		}
	}
	if c.Env == EnvProduction {
		if c.Identity.DevLogin {
			bad("identity.dev_login", "must be false in production: the dev login lets anyone in")
		}
		if c.Secrets.Key == DefaultSecretKey {
			bad("secrets.key", "is the public default key; set a secret one for production")
		}
		if c.DB.Driver != "postgres" {
			bad("db.driver", "production requires postgres")
		}
		if c.Redis.Addr == "" {
			bad("redis.addr", "production requires a Redis server for jobs")
		}
		if c.Payments.Simulate {
			bad("payments.simulate", "must be false in production: simulated payments collect no money")
		}
		if c.Deployment.Tier == TierEmbedded {
			bad("deployment.tier", "production requires province, city or county")
		}
	}
	if len(errs) > 0 {
		return errors.New("config invalid:\n  " + strings.Join(errs, "\n  "))
	}
	return nil
}

// validate reports the delivery section's problems through bad.
func (d Delivery) validate(bad func(key, msg string, args ...any)) {
	s := d.SMTP
	if s.Port < 1 || s.Port > 65535 {
		bad("delivery.smtp.port", "must be from 1 to 65535, got %d", s.Port)
	}
	switch s.TLSMode {
	case SMTPStartTLS, SMTPTLS, SMTPNoTLS:
	default:
		bad("delivery.smtp.tls_mode", "must be starttls, tls or none, got %q", s.TLSMode)
	}
	if s.Timeout <= 0 {
		bad("delivery.smtp.timeout", "must be positive")
	}
	if s.Host != "" {
		if strings.ContainsAny(s.Host, " /:") && net.ParseIP(s.Host) == nil {
			bad("delivery.smtp.host", "must be a host name or address without a port, got %q", s.Host)
		}
		if a, err := mail.ParseAddress(s.From); err != nil || a.Name != "" || !strings.Contains(a.Address, "@") {
			bad("delivery.smtp.from", "must be a bare e-mail address such as songda@example.gov.cn, got %q", s.From)
		}
	}
	if (s.Username == "") != (s.Password == "") {
		bad("delivery.smtp.password", "username and password are set together")
	}
	if s.Username != "" && s.TLSMode == SMTPNoTLS && !loopback(s.Host) {
		bad("delivery.smtp.tls_mode", "is none: the credentials would cross the network in clear; use starttls or tls")
	}
	m := d.SMS
	if m.Timeout <= 0 {
		bad("delivery.sms.timeout", "must be positive")
	}
	if m.URL != "" {
		if u, err := url.Parse(m.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("delivery.sms.url", "must be an http or https URL, got %q", m.URL)
		}
		if m.Token == "" {
			bad("delivery.sms.token", "is required with delivery.sms.url")
		}
	}
}

// loopback reports whether host names this machine.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// ParseSize parses a size such as 4M, 512K or 1048576 into bytes.
func ParseSize(s string) (int64, error) {
	mult := int64(1)
	switch {
	case strings.HasSuffix(s, "K"):
		mult, s = 1<<10, strings.TrimSuffix(s, "K")
	case strings.HasSuffix(s, "M"):
		mult, s = 1<<20, strings.TrimSuffix(s, "M")
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("want a size such as 4M or 512K, got %q", s)
	}
	return n * mult, nil
}
