package disclosure

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/uptrace/bun"

	"zhifa/modules/elements"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/ratelimit"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

// Bodies is what the disclosure module needs from the element databases (elements.Service): the
// deciding body's name, USCC and sector.
type Bodies interface {
	FindBody(ctx context.Context, sc tenants.Scope, id string) (*elements.Body, error)
}

// Config wires the disclosure module.
type Config struct {
	DB       *bun.DB          // opened through tenants.Open, so that the guard knows the disclosure tables
	Rules    *rules.Engine    // the periods, counted on the holiday calendar
	Settings *tenants.Service // the module's settings and the rules' (Settings must be registered)
	Bodies   Bodies
	Tenants  *tenants.Store   // resolves the tenants the public asks for and the periodic tasks visit
	Now      func() time.Time // default: time.Now
	// Limiter counts the public reads of a client address, at most SearchesPerIP per minute (nil:
	// not counted).
	Limiter       *ratelimit.Limiter
	SearchesPerIP int64
}

// Service is the disclosure module: records from decisions, their redaction, lifecycle and clocks,
// and the public search.
type Service struct {
	db       *bun.DB
	rules    *rules.Engine
	settings *tenants.Service
	bodies   Bodies
	tenants  *tenants.Store
	now      func() time.Time
	limiter  *ratelimit.Limiter
	perIP    int64
}

// New returns the disclosure module.
func New(c Config) *Service {
	if c.Now == nil {
		c.Now = time.Now
	}
	return &Service{db: c.DB, rules: c.Rules, settings: c.Settings, bodies: c.Bodies, tenants: c.Tenants, now: c.Now,
		limiter: c.Limiter, perIP: c.SearchesPerIP}
}

// LimitPublic counts a public read (the API's or a public page's) against its address's limit:
// RateLimited past it, with Retry-After set.
func (s *Service) LimitPublic(c echo.Context) error {
	if s.limiter == nil {
		return nil
	}
	return s.limiter.Allow(c, "public", ratelimit.Limit{Max: s.perIP, Per: time.Minute})
}

// today is the current day in China.
func (s *Service) today() civil.Date { return civil.DateOf(s.now()) }

// due computes a catalogue rule from day from with the amounts of body, inside tx.
func (s *Service) due(ctx context.Context, tx bun.IDB, sc tenants.Scope, bodyID, id string, from civil.Date) (civil.Date, error) {
	d, err := s.rules.DueAt(ctx, tx, sc, bodyID, id, from.Time())
	if err != nil {
		return "", err
	}
	return civil.Date(rules.FormatDate(d.Due)), nil
}

// setting reads one setting of body into v, inside tx.
func (s *Service) setting(ctx context.Context, tx bun.IDB, sc tenants.Scope, bodyID, key string, v any) error {
	return s.settings.SettingValue(ctx, tx, sc, bodyID, key, v)
}

// find reads a record of the scope's tenant (its subtree for a subtree scope). Returns NotFound.
func find(ctx context.Context, tx bun.IDB, sc tenants.Scope, id string) (*Record, error) {
	var r Record
	err := tenants.Own(sc, tx.NewSelect().Model(&r)).Where("dr.id = ?", id).Limit(1).Scan(ctx)
	if noRows(err) {
		return nil, errNotFound
	}
	return &r, err
}

// noRows reports whether a query found no row.
func noRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

var errNotFound = errs.E(errs.NotFound, "公示记录不存在", "no such disclosure record")

// errConcurrent is the Conflict of a transition that lost a race with another one: worth a retry.
var errConcurrent = errs.E(errs.Conflict, "公示记录已被同时修改，请重试", "the disclosure record changed meanwhile: try again")

// move takes r from its state to to in tx, recording the transition (by actor, for reason) and
// whatever set changed on r; it fails with Conflict when the machine does not allow it or another
// transition won the race.
func (s *Service) move(ctx context.Context, tx bun.IDB, sc tenants.Scope, r *Record, to State, reason string, cols ...string) error {
	from := r.State
	if !CanMove(from, to) {
		return outOfOrder(from, to)
	}
	now := s.now()
	r.State, r.UpdatedAt = to, now
	r.Version++
	res, err := tx.NewUpdate().Model(r).Column(append([]string{"state", "version", "updated_at"}, cols...)...).
		Where("dr.id = ? AND dr.tenant_id = ? AND dr.version = ?", r.ID, r.TenantID, r.Version-1).Exec(ctx)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errConcurrent
	}
	return s.event(ctx, tx, sc, r, from, to, reason, now)
}

// event records a transition of r.
func (s *Service) event(ctx context.Context, tx bun.IDB, sc tenants.Scope, r *Record, from, to State, reason string, at time.Time) error {
	e := &Event{ID: dbx.NewID(), TenantID: r.TenantID, RecordID: r.ID, From: from, To: to, At: at, Actor: sc.Actor(), Reason: reason}
	_, err := tx.NewInsert().Model(e).Exec(ctx)
	return err
}
