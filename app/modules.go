package app

import (
	"context"
	"encoding/json"
	"path/filepath"
	"time"

	"github.com/labstack/echo/v4"

	"zhifa/jobs"
	"zhifa/modules/cases"
	"zhifa/modules/console"
	"zhifa/modules/elements"
	"zhifa/modules/httpx"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

// modules holds every bounded context the platform runs.
type modules struct {
	a        *App
	elements *elements.Service
	rules    *rules.Engine
	cases    *cases.Service
}

// TypeOutboxPrune is the periodic task that drops relayed outbox rows past retention.
const TypeOutboxPrune = "outbox:prune"

func newModules(a *App) *modules {
	m := &modules{a: a, elements: elements.New(a.DB), rules: rules.NewEngine(a.DB, a.Tenants)}
	m.cases = cases.New(cases.Config{DB: a.DB, Rules: m.rules, Elements: m.elements, UploadDir: filepath.Join(a.Config.Data.Dir, "uploads")})
	a.Periodic = append(a.Periodic, m.cases.Tasks(a.Mux)...)
	a.Mux.Handle(TypeOutboxPrune, func(ctx context.Context, _ tenants.Scope, _ json.RawMessage) error {
		n, err := jobs.Prune(ctx, a.DB, time.Now().Add(-jobs.RetentionAfterRelay))
		if err == nil && n > 0 {
			a.Log.Info("outbox pruned", "rows", n)
		}
		return err
	})
	a.Periodic = append(a.Periodic, jobs.Periodic{Spec: "@every 1h", Type: TypeOutboxPrune, Reason: "outbox prune", Queue: jobs.QueueLow})
	return m
}

// routes mounts every module's API and pages.
func (m *modules) routes(e *echo.Echo, api *httpx.API) {
	m.a.Tenants.Routes(api)
	m.a.Identity.Routes(api)
	m.elements.Routes(api)
	m.rules.Routes(api)
	m.cases.Routes(api)
	console.New(console.Config{Identity: m.a.Identity, DevLogin: m.a.Config.Identity.DevLogin, KratosPublicURL: m.a.Config.Identity.KratosPublicURL}).Routes(e)
}

// seedDemo loads each module's demo data under the root tenant.
func (m *modules) seedDemo(ctx context.Context, root *tenants.Tenant) error {
	if err := m.seedElements(ctx, root); err != nil {
		return err
	}
	if err := m.seedBodyGrants(ctx); err != nil {
		return err
	}
	return m.seedCases(ctx)
}
