package app

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"zhifa/config"
	"zhifa/modules/identity"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/httpx"
)

func (a *App) newEcho() *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = httpx.ErrorHandler(a.Log)
	limit, _ := config.ParseSize(a.Config.HTTP.BodyLimit)
	e.Use(
		middleware.RequestID(),
		a.logRequests(),
		middleware.RecoverWithConfig(middleware.RecoverConfig{DisableErrorHandler: false, LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
			a.Log.Error("panic", "err", err.Error(), "stack", string(stack))
			return errs.As(err)
		}}),
		// Every answer's security headers and cookie flags, by its family of address (security.go).
		securityHeaders(a.Config.HTTP.PublicURL),
		// Every body, multipart or not, within its route's declared limit (uploads declare theirs).
		httpx.LimitBody(limit, func(method, path string) int64 { return a.API.BodyLimit(method, path) }),
		a.metricsMiddleware(),
	)
	e.GET("/healthz", func(c echo.Context) error { return c.JSON(http.StatusOK, map[string]string{"status": "ok"}) })
	e.GET("/readyz", func(c echo.Context) error {
		if err := a.Ready(c.Request().Context()); err != nil {
			a.Log.Warn("not ready", "err", err.Error())
			return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "reason": err.Error()})
		}
		return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
	})
	e.GET("/metrics", echo.WrapHandler(promhttp.HandlerFor(a.Metrics, promhttp.HandlerOpts{})))
	a.API = httpx.NewAPI(e, "/api/v1", "Zhifa 执法监督一体化平台 API", Version, httpx.Auth{
		Session: a.Identity.Session, Tenant: a.Identity.Tenant, Roles: identity.Roles,
	})
	e.GET("/api/openapi.json", func(c echo.Context) error { return c.JSON(http.StatusOK, a.API.Document()) })
	a.modules.routes(e, a.API)
	return e
}

// logRequests writes one structured line per request.
func (a *App) logRequests() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			err := next(c)
			if err != nil {
				c.Error(err)
			}
			status := c.Response().Status
			lvl := slog.LevelInfo
			if status >= 500 {
				lvl = slog.LevelError
			}
			a.Log.Log(c.Request().Context(), lvl, "http", "request_id", c.Response().Header().Get(echo.HeaderXRequestID),
				"method", c.Request().Method, "route", c.Path(), "status", status,
				"duration_ms", float64(time.Since(start).Microseconds())/1000, "bytes", c.Response().Size)
			return nil
		}
	}
}

// Serve runs the HTTP server on the configured address until ctx ends, then drains it.
func (a *App) Serve(ctx context.Context) error {
	srv := &http.Server{Addr: a.Config.HTTP.Addr, Handler: a.Echo, ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 60 * time.Second, WriteTimeout: 120 * time.Second, IdleTimeout: 120 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	a.Log.Info("serving", "addr", a.Config.HTTP.Addr, "public_url", a.Config.HTTP.PublicURL)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	return srv.Shutdown(sctx)
}
