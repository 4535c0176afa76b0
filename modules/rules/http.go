package rules

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/httpx"
	"zhifa/tenants"
)

// RuleList is the catalogue as the caller's tenant sees it.
type RuleList struct {
	Tenant string     `json:"tenant"`
	BodyID string     `json:"body_id,omitempty"`
	Rules  []RuleView `json:"rules"`
}

// CalendarList lists the years that have a schedule.
type CalendarList struct {
	Years []CalendarYear `json:"years"`
}

// CalendarReply is one year's schedule, its source and the history of its loads.
type CalendarReply struct {
	CalendarYear
	History []CalendarLoad `json:"history"`
}

// CalendarLoad is one load of a year, for the audit trail.
type CalendarLoad struct {
	Revision     int64     `json:"revision"`
	Actor        string    `json:"actor"`
	ActingTenant string    `json:"acting_tenant"`
	At           time.Time `json:"at"`
	Replaced     bool      `json:"replaced"` // an earlier load of the year was replaced
}

// Routes mounts the rules API: the catalogue, the deadline calculator, and the holiday calendar.
func (e *Engine) Routes(api *httpx.API) {
	bodyParam := httpx.Param{Name: "body_id", Description: "a body of the tenant, to use its own settings"}
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/rules", ID: "listRules", Tag: "rules",
		Summary: "法定期限目录（本租户生效数额）/ the catalogue of statutory periods with the tenant's amounts", Action: authz.ElementsRead,
		Query: []httpx.Param{bodyParam}, Reply: RuleList{}},
		func(c echo.Context) error {
			sc, body := tenants.ScopeOf(c), c.QueryParam("body_id")
			if err := checkBody(body); err != nil {
				return err
			}
			am, err := e.effectiveAmounts(c.Request().Context(), sc, body)
			if err != nil {
				return err
			}
			out := RuleList{Tenant: sc.TenantID(), BodyID: body, Rules: []RuleView{}}
			for _, r := range catalogue {
				a := am.of(r)
				out.Rules = append(out.Rules, r.View(a.value, a.source))
			}
			return c.JSON(http.StatusOK, out)
		})
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/rules/{id}", ID: "getRule", Tag: "rules",
		Summary: "一条法定期限（本租户生效数额）/ one rule with the tenant's amount", Action: authz.ElementsRead,
		Query: []httpx.Param{bodyParam}, Reply: RuleView{}},
		func(c echo.Context) error {
			r, ok := Lookup(c.Param("id"))
			if !ok {
				return errUnknownRule(c.Param("id"))
			}
			body := c.QueryParam("body_id")
			if err := checkBody(body); err != nil {
				return err
			}
			am, err := e.effectiveAmounts(c.Request().Context(), tenants.ScopeOf(c), body)
			if err != nil {
				return err
			}
			a := am.of(r)
			return c.JSON(http.StatusOK, r.View(a.value, a.source))
		})
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/rules/{id}/due", ID: "computeDue", Tag: "rules",
		Summary: "计算期限 / compute a deadline from an event", Action: authz.ElementsRead,
		Query: []httpx.Param{{Name: "from", Required: true, Description: "the event: YYYY-MM-DD, or an RFC 3339 date-time for hour rules"}, bodyParam},
		Reply: DueView{}},
		func(c echo.Context) error {
			r, ok := Lookup(c.Param("id"))
			if !ok {
				return errUnknownRule(c.Param("id"))
			}
			body := c.QueryParam("body_id")
			if err := checkBody(body); err != nil {
				return err
			}
			from, err := ParseFrom(c.QueryParam("from"), r.Unit)
			if err != nil {
				return err
			}
			d, err := e.dueExact(c.Request().Context(), tenants.ScopeOf(c), body, r, from)
			if err != nil {
				return err
			}
			return c.JSON(http.StatusOK, d.View())
		})
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/calendar", ID: "listCalendarYears", Tag: "rules",
		Summary: "节假日安排年份及来源 / the years of the holiday calendar and their sources", Action: authz.ElementsRead, Reply: CalendarList{}},
		func(c echo.Context) error {
			ys, err := e.CalendarYears(c.Request().Context())
			if err != nil {
				return err
			}
			return c.JSON(http.StatusOK, CalendarList{Years: ys})
		})
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/calendar/status", ID: "getCalendarStatus", Tag: "rules",
		Summary: "今天需要而未加载的节假日安排年份及可加载的运维 / the holiday notices needed today and not loaded, and who can load them",
		Action:  authz.ElementsRead, Reply: CalendarStatus{}},
		func(c echo.Context) error {
			st, err := e.CalendarStatus(c.Request().Context(), tenants.ScopeOf(c))
			if err != nil {
				return err
			}
			return c.JSON(http.StatusOK, st)
		})
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/calendar/{year}", ID: "getCalendarYear", Tag: "rules",
		Summary: "某年节假日安排及来源 / one year's holiday schedule, its source and its loads", Action: authz.ElementsRead, Reply: CalendarReply{}},
		func(c echo.Context) error {
			year, err := yearParam(c)
			if err != nil {
				return err
			}
			return e.replyYear(c, year)
		})
	api.Handle(httpx.Op{Method: http.MethodPut, Path: "/calendar/{year}", ID: "loadCalendarYear", Tag: "rules",
		Summary: "加载某年国务院节假日安排：文号、日期、放假区间和调休上班日（根租户平台运维）/ load a year's State Council holiday notice: its number, date, holiday ranges and make-up workdays (root tenant operators)",
		Action:  authz.TenantsWrite, Body: NoticeInput{}, Reply: CalendarReply{}},
		func(c echo.Context) error {
			sc := tenants.ScopeOf(c)
			if err := canLoadCalendar(sc); err != nil {
				return err
			}
			year, err := yearParam(c)
			if err != nil {
				return err
			}
			var in NoticeInput
			if err := httpx.BindJSON(c, &in); err != nil {
				return err
			}
			s, err := in.Schedule(year)
			if err != nil {
				return err
			}
			if _, err := e.LoadCalendar(c.Request().Context(), sc, year, s); err != nil {
				return err
			}
			return e.replyYear(c, year)
		})
}

func (e *Engine) replyYear(c echo.Context, year int) error {
	ctx := c.Request().Context()
	cy, err := e.CalendarYear(ctx, year)
	if err != nil {
		return err
	}
	audits, err := e.CalendarAudits(ctx, year, 100)
	if err != nil {
		return err
	}
	out := CalendarReply{CalendarYear: *cy, History: []CalendarLoad{}}
	for _, a := range audits {
		out.History = append(out.History, CalendarLoad{Revision: a.Revision, Actor: a.Actor, ActingTenant: a.ActingTenant, At: a.At, Replaced: a.OldSchedule != nil})
	}
	return c.JSON(http.StatusOK, out)
}

func yearParam(c echo.Context) (int, error) {
	y, err := strconv.Atoi(c.Param("year"))
	if err != nil || y < MinYear || y > MaxYear {
		return 0, errs.E(errs.Invalid, "年份有误", "invalid year").
			WithFields(errs.Field("year", "须为 2000 至 2100 的年份", "must be a year from 2000 to 2100"))
	}
	return y, nil
}

func checkBody(id string) error {
	if id != "" && !dbx.ValidID(id) {
		return errs.E(errs.Invalid, "执法主体编号有误", "invalid body id").WithFields(errs.Field("body_id", "格式不正确", "malformed"))
	}
	return nil
}

// ParseFrom reads the event a period counts from: a date (YYYY-MM-DD, China) for day units; for
// hour units a date-time, RFC 3339 or YYYY-MM-DDTHH:MM[:SS] in China time. A "+" of an offset that
// a query string turned into a space is read back. Returns Invalid naming "from".
func ParseFrom(s string, u Unit) (time.Time, error) {
	bad := func(zh, en string) (time.Time, error) {
		return time.Time{}, errs.E(errs.Invalid, "起算时间有误", "invalid from").WithFields(errs.Field("from", zh, en))
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return bad("必填：起算日期 YYYY-MM-DD（小时类期限须含时刻）", "required: the date YYYY-MM-DD (a date-time for hour rules)")
	}
	if len(s) > 40 {
		return bad("过长", "too long")
	}
	if i := strings.LastIndexByte(s, ' '); i > 10 {
		s = s[:i] + "+" + s[i+1:]
	}
	var t time.Time
	var err error
	dateOnly := false
	if t, err = ParseDate(s); err == nil {
		dateOnly = true
	} else if t, err = time.Parse(time.RFC3339, s); err != nil {
		if t, err = time.ParseInLocation("2006-01-02T15:04:05", s, Location); err != nil {
			t, err = time.ParseInLocation("2006-01-02T15:04", s, Location)
		}
	}
	if err != nil {
		return bad("须为有效日期 YYYY-MM-DD 或日期时间 2025-09-30T14:00:00+08:00", "must be a real date YYYY-MM-DD or a date-time like 2025-09-30T14:00:00+08:00")
	}
	if y := t.In(Location).Year(); y < 1900 || y > MaxYear {
		return bad("年份须在 1900 至 2100 之间", "the year must be 1900 to 2100")
	}
	if u == Hour && dateOnly {
		return bad("小时类期限须给出时刻，如 2025-09-30T14:00:00+08:00", "an hour rule needs a date-time, e.g. 2025-09-30T14:00:00+08:00")
	}
	return t, nil
}
