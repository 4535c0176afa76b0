package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/uptrace/bun"

	"zhifa/config"
	"zhifa/jobs"
	"zhifa/migrations"
	"zhifa/modules/identity"
	"zhifa/modules/kernel/httpx"
	"zhifa/modules/kernel/secretbox"
	"zhifa/tenants"
)

// Version is the platform's version, set at build time.
var Version = "dev"

// App is one running platform process.
type App struct {
	Config   config.Config
	Log      *slog.Logger
	DB       *bun.DB
	Jobs     *jobs.Backend
	Tenants  *tenants.Service
	Identity *identity.Service
	Echo     *echo.Echo
	API      *httpx.API
	Metrics  *prometheus.Registry
	Mux      *jobs.Mux // every module's task handlers and periodic tasks
	// Now is the platform's clock (time.Now unless WithClock says otherwise): the one clock every
	// service, the outbox relay and the demo are given.
	Now     func() time.Time
	modules *modules
}

// Option changes how New builds the platform.
type Option func(*App)

// WithClock gives the platform the clock now in place of time.Now (tests pin a day with it).
func WithClock(now func() time.Time) Option { return func(a *App) { a.Now = now } }

// New builds the platform from cfg: it connects to the database (migrating it first when the
// driver is SQLite, the embedded default), the job backend and Kratos, builds every module and
// mounts the HTTP routes. Close releases what New acquired.
func New(ctx context.Context, cfg config.Config, log *slog.Logger, opts ...Option) (*App, error) {
	a := &App{Config: cfg, Log: log, Metrics: prometheus.NewRegistry(), Now: time.Now}
	for _, o := range opts {
		o(a)
	}
	a.Metrics.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if cfg.DB.Driver == "sqlite" {
		if err := os.MkdirAll(cfg.Data.Dir, 0o750); err != nil {
			return nil, fmt.Errorf("app: data dir: %w", err)
		}
		if _, err := Migrate(ctx, cfg, "up"); err != nil {
			return nil, err
		}
	}
	db, err := tenants.Open(cfg.DB.Driver, cfg.DB.DSN, cfg.DB.MaxOpenConns, migrations.TenantTables())
	if err != nil {
		return nil, err
	}
	a.DB = db
	if a.Jobs, err = jobs.Connect(cfg.Redis); err != nil {
		db.Close()
		return nil, err
	}
	a.Tenants = tenants.NewService(db, Settings()...)
	a.Tenants.UseClock(a.Now)
	var kratos *identity.Kratos
	if cfg.Identity.KratosPublicURL != "" {
		kratos = identity.NewKratos(cfg.Identity.KratosPublicURL, cfg.Identity.KratosAdminURL, &http.Client{Timeout: 10 * time.Second})
	}
	a.Identity = identity.New(identity.Config{DB: db, Tenants: a.Tenants.Store(), Settings: a.Tenants, Kratos: kratos, DevLogin: cfg.Identity.DevLogin, InviteTTL: cfg.Identity.InviteTTL, Now: a.Now})
	if _, err := a.Tenants.EnsureRoot(ctx, cfg.Deployment.RootTenant, cfg.Deployment.RootName, rootTier(cfg.Deployment.Tier)); err != nil {
		a.Close()
		return nil, fmt.Errorf("app: root tenant: %w", err)
	}
	simKey, err := simulationKey(cfg)
	if err != nil {
		a.Close()
		return nil, err
	}
	a.Mux = jobs.NewMux(a.Tenants.Store())
	a.modules = newModules(a, simKey)
	a.Echo = a.newEcho()
	return a, nil
}

// SimulationKeyFile is the file under the data directory that holds the install's key of simulated
// payments' webhooks, made at random on the first start with simulation on.
const SimulationKeyFile = "payments-simulation.key"

// simulationKey is the install's simulation key when payments are simulated (nil otherwise).
func simulationKey(cfg config.Config) ([]byte, error) {
	if !cfg.Payments.Simulate {
		return nil, nil
	}
	k, err := secretbox.KeyFile(filepath.Join(cfg.Data.Dir, SimulationKeyFile))
	if err != nil {
		return nil, fmt.Errorf("app: the simulation key: %w", err)
	}
	return k, nil
}

func rootTier(tier string) tenants.Tier {
	switch tier {
	case config.TierCity:
		return tenants.TierCity
	case config.TierCounty:
		return tenants.TierCounty
	}
	return tenants.TierProvince
}

// Close releases the database and job backend.
func (a *App) Close() error {
	var errs []error
	if a.Jobs != nil {
		errs = append(errs, a.Jobs.Close())
	}
	if a.DB != nil {
		errs = append(errs, a.DB.Close())
	}
	return errors.Join(errs...)
}

// Ready reports whether the database and Redis answer.
func (a *App) Ready(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := a.DB.PingContext(ctx); err != nil {
		return fmt.Errorf("database: %w", err)
	}
	if err := a.Jobs.Ping(ctx); err != nil {
		return fmt.Errorf("redis: %w", err)
	}
	return nil
}

// Migrate runs a migration command ("up", "down" or "status") as the table owner and returns
// a human-readable report.
func Migrate(ctx context.Context, cfg config.Config, cmd string) (string, error) {
	if cfg.DB.Driver == "sqlite" {
		if err := os.MkdirAll(filepath.Dir(sqliteFile(cfg.DB.MigrateDSN)), 0o750); err != nil {
			return "", err
		}
	}
	db, err := tenants.Open(cfg.DB.Driver, cfg.DB.MigrateDSN, 2, nil)
	if err != nil {
		return "", err
	}
	defer db.Close()
	switch cmd {
	case "up":
		g, err := migrations.Up(ctx, db, cfg.DB.AppRole)
		if err != nil {
			return "", fmt.Errorf("migrate up: %w", err)
		}
		if g.IsZero() {
			return "database is up to date", nil
		}
		return fmt.Sprintf("migrated to %s", g), nil
	case "down":
		g, err := migrations.Down(ctx, db)
		if err != nil {
			return "", fmt.Errorf("migrate down: %w", err)
		}
		if g.IsZero() {
			return "nothing to roll back", nil
		}
		return fmt.Sprintf("rolled back %s", g), nil
	case "status":
		ms, err := migrations.Status(ctx, db)
		if err != nil {
			return "", err
		}
		out := ""
		for _, m := range ms {
			state := "pending"
			if m.IsApplied() {
				state = "applied (group " + fmt.Sprint(m.GroupID) + ")"
			}
			out += fmt.Sprintf("%s_%s  %s\n", m.Name, m.Comment, state)
		}
		return out, nil
	}
	return "", fmt.Errorf("migrate: unknown command %q (want up, down or status)", cmd)
}

func sqliteFile(dsn string) string {
	s := dsn
	if len(s) > 5 && s[:5] == "file:" {
		s = s[5:]
	}
	for i := range s {
		if s[i] == '?' {
			return s[:i]
		}
	}
	return s
}
