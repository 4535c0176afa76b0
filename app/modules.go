package app

import (
	"context"
	"encoding/base64"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"zhifa/config"
	"zhifa/jobs"
	"zhifa/modules/cases"
	"zhifa/modules/console"
	"zhifa/modules/delivery"
	"zhifa/modules/disclosure"
	disclosurepages "zhifa/modules/disclosure/pages"
	"zhifa/modules/documents"
	"zhifa/modules/elements"
	"zhifa/modules/identity"
	"zhifa/modules/identity/selfservice"
	"zhifa/modules/kernel/httpx"
	"zhifa/modules/kernel/ratelimit"
	"zhifa/modules/kernel/webassets"
	"zhifa/modules/payments"
	"zhifa/modules/portal"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

// modules holds every bounded context the platform runs.
type modules struct {
	a        *App
	elements *elements.Service
	rules    *rules.Engine
	cases    *cases.Service
	docs     *documents.Service
	delivery *delivery.Service
	payments *payments.Service
	portal   *portal.Service
	disclose *disclosure.Service
}

// OutboxPrune is the periodic task that drops relayed outbox rows past retention.
var OutboxPrune = jobs.Periodic{Type: "outbox:prune", Queue: jobs.QueueLow, Spec: "@every 1h", Reason: "outbox prune"}

// Settings lists the settings of every module the platform runs, each module's from its own
// Settings(): New registers them into the tenancy service (which adds the kernel's own).
func Settings() [][]tenants.SettingDef {
	return [][]tenants.SettingDef{rules.Settings(), elements.Settings(), cases.Settings(), documents.Settings(),
		payments.Settings(), portal.Settings(), identity.Settings(), disclosure.Settings()}
}

func newModules(a *App, simKey []byte) *modules {
	cfg := a.Config
	uploads := filepath.Join(cfg.Data.Dir, "uploads")
	m := &modules{a: a, elements: elements.New(elements.Config{DB: a.DB, Now: a.Now}), rules: rules.NewEngine(a.DB, a.Tenants)}
	m.rules.SetClock(a.Now)
	m.rules.SetOperators(rootOperators(a))
	// The configuration's validation guarantees the key: base64 of 32 bytes.
	secret, _ := base64.StdEncoding.DecodeString(cfg.Secrets.Key)
	m.docs = documents.New(documents.Config{DB: a.DB, SecretKey: secret, PublicURL: cfg.HTTP.PublicURL, Now: a.Now})
	m.cases = cases.New(cases.Config{DB: a.DB, Rules: m.rules, Elements: m.elements, UploadDir: uploads,
		Documents: m.docs, Settings: a.Tenants, Now: a.Now})
	m.docs.SetCaseSource(m.cases)
	dcfg := delivery.Config{DB: a.DB, Rules: m.rules, Cases: m.cases, Documents: delivery.CaseDocuments(m.docs, m.cases),
		From: cfg.Delivery.SMTP.From, PortalURL: strings.TrimRight(cfg.HTTP.PublicURL, "/") + portal.InboxPath, UploadDir: uploads, Log: a.Log, Now: a.Now}
	dcfg.Mailer = mailer(cfg, a)
	a.Identity.UseMailer(dcfg.Mailer, cfg.Delivery.SMTP.From)
	if s := cfg.Delivery.SMS; s.URL != "" {
		dcfg.SMS = delivery.NewSMSGateway(s.URL, s.Token, s.Timeout)
	}
	m.delivery = delivery.New(dcfg)
	m.cases.SetConsents(m.delivery)
	a.Tenants.UseSecretKey(secret)
	m.payments = payments.New(payments.Config{DB: a.DB, Cases: m.cases, Documents: m.docs, Settings: a.Tenants, Tenants: a.Tenants.Store(),
		SecretKey: secret, PublicURL: cfg.HTTP.PublicURL, StripeAPIURL: cfg.Payments.StripeAPIURL, Simulate: cfg.Payments.Simulate, SimulationKey: simKey, Log: a.Log, Now: a.Now})
	m.portal = portal.New(portal.Config{DB: a.DB, Tenants: a.Tenants.Store(), Settings: a.Tenants, Cases: m.cases, Payments: m.payments,
		Consents: m.delivery, Identity: a.Identity, Redis: a.Jobs.Redis, Mailer: dcfg.Mailer, From: cfg.Delivery.SMTP.From, Documents: m.docs,
		DevLogin: cfg.Identity.DevLogin, SignIn: signIn(cfg), PublicURL: cfg.HTTP.PublicURL, Log: a.Log, Now: a.Now,
		Limits: portal.Limits{
			LookupsPerIP:           portal.Limit{Max: int64(cfg.Portal.LookupsPerIP), Per: portal.DefaultLimits.LookupsPerIP.Per},
			FailedProofsPerAccount: portal.Limit{Max: int64(cfg.Portal.FailedProofsPerAccount), Per: portal.DefaultLimits.FailedProofsPerAccount.Per},
			FailedProofsPerCode:    portal.Limit{Max: int64(cfg.Portal.FailedProofsPerCode), Per: portal.DefaultLimits.FailedProofsPerCode.Per}}})
	a.Identity.Tasks(a.Mux)
	m.disclose = disclosure.New(disclosure.Config{DB: a.DB, Rules: m.rules, Settings: a.Tenants, Bodies: m.elements, Tenants: a.Tenants.Store(), Now: a.Now,
		Limiter: ratelimit.New(a.Jobs.Redis, "disclosure:rl", a.Now), SearchesPerIP: int64(cfg.Disclosure.SearchesPerIP)})
	m.elements.Tasks(a.Mux)
	m.cases.Tasks(a.Mux)
	m.delivery.Tasks(a.Mux)
	m.payments.Tasks(a.Mux)
	m.portal.Tasks(a.Mux)
	m.disclose.Tasks(a.Mux)
	jobs.HandlePeriodic(a.Mux, OutboxPrune, func(ctx context.Context, _ tenants.Scope) error {
		n, err := jobs.Prune(ctx, a.DB, a.Now().Add(-jobs.RetentionAfterRelay))
		if err == nil && n > 0 {
			a.Log.Info("outbox pruned", "rows", n)
		}
		return err
	})
	return m
}

// rootOperators names the accounts that may load the holiday calendar: the operators of the root
// tenants, from the identity module's grants.
func rootOperators(a *App) rules.OperatorSource {
	return func(ctx context.Context) ([]rules.Operator, error) {
		accs, err := a.Identity.RootOperators(ctx)
		if err != nil {
			return nil, err
		}
		out := make([]rules.Operator, len(accs))
		for i, acc := range accs {
			out[i] = rules.Operator{Name: acc.Name, Email: acc.Email}
		}
		return out, nil
	}
}

// routes mounts every module's API and pages, and once the static files their pages share.
func (m *modules) routes(e *echo.Echo, api *httpx.API) {
	webassets.Shared().Mount(e)
	m.a.Tenants.Routes(api)
	m.a.Identity.Routes(api)
	m.elements.Routes(api)
	m.rules.Routes(api)
	m.cases.Routes(api)
	m.docs.Routes(api)
	m.docs.PublicRoutes(e)
	m.delivery.Routes(api)
	m.payments.Routes(api)
	m.payments.PublicRoutes(e)
	m.portal.Routes(api)
	m.disclose.Routes(api)
	disclosurepages.New(disclosurepages.Config{Public: m.disclose, Directory: m.elements, Tenants: m.a.Tenants.Store(),
		Root: m.a.Config.Deployment.RootTenant, Now: m.a.Now}).Routes(e)
	m.portal.Pages(e)
	cc := console.Config{Identity: m.a.Identity, CitizenHome: portal.InboxPath, DevLogin: m.a.Config.Identity.DevLogin,
		SignIn: signIn(m.a.Config), PublicURL: m.a.Config.HTTP.PublicURL}
	if id := m.a.Config.Identity; id.KratosPublicURL != "" {
		cc.SignOut = selfservice.LogoutPath
		selfservice.New(selfservice.Config{KratosPublicURL: id.KratosPublicURL, PublicURL: m.a.Config.HTTP.PublicURL,
			HTTPClient: &http.Client{Timeout: 10 * time.Second}, Log: m.a.Log,
			Limiter: ratelimit.New(m.a.Jobs.Redis, "signin:rl", m.a.Now), AttemptsPerIP: int64(id.SignInAttemptsPerIP)}).Routes(e)
	}
	console.New(cc).Routes(e)
}

// signIn is the page people sign in at when the dev login is off: the self-service login of the
// identity service ("" without Kratos).
func signIn(cfg config.Config) string {
	if cfg.Identity.KratosPublicURL == "" {
		return ""
	}
	return selfservice.LoginPath
}

// seedDemo loads each module's demo data under the root tenant.
func (m *modules) seedDemo(ctx context.Context, root *tenants.Tenant) error {
	if err := m.seedElements(ctx, root); err != nil {
		return err
	}
	if err := m.seedBodyGrants(ctx); err != nil {
		return err
	}
	if err := m.seedDocuments(ctx); err != nil {
		return err
	}
	if err := m.seedCases(ctx); err != nil {
		return err
	}
	if err := m.seedCitizenCase(ctx); err != nil {
		return err
	}
	// Today's certificate notices, without waiting for the hourly task.
	return m.elements.HandleScanCertificates(ctx, tenants.System("demo certificate notices"))
}

// mailer is the e-mail channel's client: the SMTP server when one is configured; in development
// without one, the log (messages are written to the console and recorded as only logged); in
// production without one, none, so that e-mail delivery is refused with the reason.
func mailer(cfg config.Config, a *App) delivery.Mailer {
	s := cfg.Delivery.SMTP
	switch {
	case s.Host != "":
		return delivery.NewSMTPMailer(delivery.SMTPConfig{Host: s.Host, Port: s.Port, Username: s.Username, Password: s.Password,
			From: s.From, TLSMode: s.TLSMode, Timeout: s.Timeout})
	case cfg.Env == config.EnvDevelopment:
		a.Log.Info("e-mail delivery: no SMTP server configured; messages are written to this log, not sent")
		return delivery.LogMailer{Log: a.Log}
	}
	a.Log.Warn("e-mail delivery is off: no SMTP server configured (delivery.smtp.host)")
	return nil
}
