package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"zhifa/config"
	"zhifa/jobs"
)

const usage = `zhifa: integrated administrative law-enforcement platform (执法监督一体化平台)

Usage:
  zhifa run     [--config FILE] [--data DIR]   the whole platform in one process (API + worker + scheduler)
  zhifa serve   [--config FILE]                the HTTP API only
  zhifa worker  [--config FILE] [--no-scheduler | --scheduler-only]
  zhifa migrate [--config FILE] up|down|status
  zhifa seed    [--config FILE] [--data DIR] demo
  zhifa operator [--config FILE] EMAIL NAME    register the first tenant operator at the root tenant
                                               (password from ZHIFA_BOOTSTRAP_PASSWORD)
  zhifa config  [--config FILE]                print the configuration override keys

Every key can be overridden by ZHIFA_<SECTION>_<KEY>, e.g. ZHIFA_HTTP_ADDR=:8080.
`

// Main runs the CLI with args (without the program name) and returns the exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		return 0
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cmd, rest := args[0], args[1:]
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", os.Getenv("ZHIFA_CONFIG"), "YAML config file")
	dataDir := fs.String("data", "", "directory for the embedded default's files (SQLite, uploads, keys)")
	noSched := fs.Bool("no-scheduler", false, "worker: do not run the periodic scheduler")
	schedOnly := fs.Bool("scheduler-only", false, "worker: run only the periodic scheduler")
	if err := fs.Parse(rest); err != nil {
		return 2
	}
	env := os.LookupEnv
	if *dataDir != "" {
		env = func(k string) (string, bool) {
			if k == "ZHIFA_DATA_DIR" {
				return *dataDir, true
			}
			return os.LookupEnv(k)
		}
	}
	cfg, err := config.Load(*cfgPath, env)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	log := NewLogger(cfg.Log, stdout)
	if err := dispatch(ctx, cmd, fs.Args(), cfg, log, stdout, *noSched, *schedOnly); err != nil {
		log.Error(cmd+" failed", "err", err.Error())
		fmt.Fprintln(stderr, "error:", err)
		return 1
	}
	return 0
}

func dispatch(ctx context.Context, cmd string, args []string, cfg config.Config, log *slog.Logger, stdout io.Writer, noSched, schedOnly bool) error {
	switch cmd {
	case "migrate":
		if len(args) != 1 {
			return errors.New("migrate needs one of: up, down, status")
		}
		out, err := Migrate(ctx, cfg, args[0])
		if err == nil {
			fmt.Fprintln(stdout, strings.TrimSpace(out))
		}
		return err
	case "config":
		for _, k := range config.EnvKeys() {
			fmt.Fprintln(stdout, k)
		}
		return nil
	case "seed":
		if len(args) != 1 || args[0] != "demo" {
			return errors.New("seed needs: demo")
		}
		a, err := New(ctx, cfg, log)
		if err != nil {
			return err
		}
		defer a.Close()
		return SeedDemo(ctx, a)
	case "operator":
		if len(args) != 2 {
			return errors.New("operator needs: EMAIL NAME (and ZHIFA_BOOTSTRAP_PASSWORD in the environment)")
		}
		pw := os.Getenv("ZHIFA_BOOTSTRAP_PASSWORD")
		if pw == "" {
			return errors.New("set ZHIFA_BOOTSTRAP_PASSWORD to the operator's initial password")
		}
		a, err := New(ctx, cfg, log)
		if err != nil {
			return err
		}
		defer a.Close()
		acc, err := BootstrapOperator(ctx, a, args[0], args[1], pw)
		if err == nil {
			fmt.Fprintf(stdout, "operator %s registered (identity %s) at tenant %s\n", acc.Email, acc.IdentityID, cfg.Deployment.RootTenant)
		}
		return err
	case "run", "serve", "worker":
	default:
		return fmt.Errorf("unknown command %q\n%s", cmd, usage)
	}
	a, err := New(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	switch cmd {
	case "run":
		if cfg.Deployment.Tier == config.TierEmbedded {
			if err := SeedDemo(ctx, a); err != nil {
				return fmt.Errorf("seed demo: %w", err)
			}
		}
		fmt.Fprintf(stdout, "\n  Zhifa 执法监督一体化平台 is running: open %s/\n", cfg.HTTP.PublicURL)
		if cfg.Identity.DevLogin {
			fmt.Fprintf(stdout, "  Dev login (embedded demo only): %s/login\n\n", cfg.HTTP.PublicURL)
		}
		errc := make(chan error, 2)
		go func() { errc <- a.Serve(ctx) }()
		go func() { errc <- a.worker().Run(ctx, jobs.RunOptions{Worker: true, Scheduler: true}) }()
		return firstErr(ctx, errc, 2)
	case "serve":
		return a.Serve(ctx)
	default: // worker
		opts := jobs.RunOptions{Worker: !schedOnly, Scheduler: !noSched}
		errc := make(chan error, 2)
		go func() { errc <- a.serveHealth(ctx) }()
		go func() { errc <- a.worker().Run(ctx, opts) }()
		return firstErr(ctx, errc, 2)
	}
}

// firstErr waits for n goroutines, returning the first error; ctx's end is not an error.
func firstErr(ctx context.Context, errc chan error, n int) error {
	var first error
	for range n {
		if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) && first == nil {
			first = err
			if ctx.Err() == nil {
				return first
			}
		}
	}
	return first
}

func (a *App) worker() *jobs.Worker {
	return jobs.NewWorker(jobs.WorkerConfig{Backend: a.Jobs, DB: a.DB, Mux: a.Mux,
		Concurrency: a.Config.Jobs.Concurrency, RelayEvery: a.Config.Jobs.RelayInterval, Log: a.Log, Now: a.Now})
}

// serveHealth serves /healthz, /readyz and /metrics for a worker process.
func (a *App) serveHealth(ctx context.Context) error {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.GET("/healthz", func(c echo.Context) error { return c.JSON(http.StatusOK, map[string]string{"status": "ok"}) })
	e.GET("/readyz", func(c echo.Context) error {
		if err := a.Ready(c.Request().Context()); err != nil {
			return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "reason": err.Error()})
		}
		return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
	})
	e.GET("/metrics", echo.WrapHandler(promhttp.HandlerFor(a.Metrics, promhttp.HandlerOpts{})))
	srv := &http.Server{Addr: a.Config.Jobs.HealthAddr, Handler: e, ReadHeaderTimeout: 10e9}
	go func() { <-ctx.Done(); srv.Close() }()
	return srv.ListenAndServe()
}

// NewLogger returns the structured logger cfg asks for, writing to w.
func NewLogger(cfg config.Log, w io.Writer) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(cfg.Level))
	opts := &slog.HandlerOptions{Level: lvl}
	if cfg.Format == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}
