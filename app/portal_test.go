package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"zhifa/app"
	"zhifa/app/testenv"
	"zhifa/app/testkit"
	"zhifa/config"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// The portal tests run the citizen portal on the whole platform: the late surcharge of Art. 72 as
// the party's quote shows it for cases whose payment deadline has passed, paused by a
// reconsideration applied for in the portal; and a citizen signed in with a real Kratos.

const (
	surchargeFineFen = 100000
	partyName        = "李四"
)

// partyID is the resident identity number of the surcharge cases' party.
var partyID = validResidentID("35042619900101123")

// walkServed opens a general-procedure penalty case of the demo market regulation body against
// the party and takes it through the API to a fine of surchargeFineFen decided and handed over in
// person, each step on its day: days holds the days of create and verify, file, investigate,
// report, propose, notify (a fine this small carries no hearing right, Art. 63), decide and serve. It returns the case's ID and code.
func walkServed(t *testing.T, p *platform, title string, days [8]string) (string, string) {
	t.Helper()
	officerTok, headTok := p.login(officer1), p.login(bodyHead)
	bodies := list(p.do(http.MethodGet, "/api/v1/bodies?q=1135042609960308UA", officerTok, "", nil), "bodies")
	if len(bodies) != 1 {
		t.Fatalf("the demo body: %v", bodies)
	}
	bodyID := bodies[0]["id"].(string)
	var team []string
	for _, o := range list(p.do(http.MethodGet, "/api/v1/officers?body_id="+bodyID+"&limit=200", officerTok, "", nil), "officers") {
		if o["name"] == "李明辉" || o["name"] == "张丽萍" {
			team = append(team, o["id"].(string))
		}
	}
	opened, _ := time.Parse("2006-01-02", days[0])
	matters := list(p.do(http.MethodGet, "/api/v1/matters?q=SC-FS-0003", officerTok, "", nil), "matters")
	if len(matters) != 1 {
		t.Fatalf("the demo matter SC-FS-0003: %v", matters)
	}
	r := p.do(http.MethodPost, "/api/v1/cases", officerTok, "", map[string]any{"kind": "penalty_general", "body_id": bodyID, "title": title,
		"officer_ids": team, "matter_id": matters[0]["id"], "on": days[0], "act_ended_on": opened.AddDate(0, 0, -3).Format("2006-01-02"),
		"party": map[string]any{"kind": "person", "name": partyName, "id_number": partyID, "address": "福建省三明市尤溪县城关镇紫阳路1号", "phone": "13905980000"},
		"lead":  map[string]any{"source": "inspection", "received_on": days[0], "summary": "日常巡查发现当事人未经登记从事食品摊贩经营。"}}, key()...)
	c, _ := r.Body["case"].(map[string]any)
	if r.Status != http.StatusCreated || c == nil || len(team) != 2 {
		t.Fatalf("open the case: %d %s (team %v)", r.Status, r.Raw, team)
	}
	id := c["id"].(string)
	penalty := map[string]any{"types": []string{"fine"}, "fine_fen": surchargeFineFen} // the provisions: the matter's
	for _, s := range []struct {
		tok, action, on string
		body            map[string]any
	}{
		{officerTok, "verify", days[0], map[string]any{"findings": "现场核实：当事人未取得食品摊贩登记卡。"}},
		{headTok, "file", days[1], map[string]any{"opinion": "同意立案。"}},
		{officerTok, "investigate", days[2], map[string]any{"officer_ids": team, "location": map[string]any{"lat": 26.1701, "lng": 118.1903, "accuracy_m": 15},
			"record": "现场检查：当事人在紫阳路口经营早餐摊点，未能出示食品摊贩登记卡。"}},
		{officerTok, "report", days[3], map[string]any{"facts": "当事人未经登记从事食品摊贩经营。", "evidence": "现场检查笔录、询问笔录"}},
		{officerTok, "propose", days[4], map[string]any{"penalty": penalty, "outside_reason": "本事项尚无适用的裁量基准，按法定幅度的下限拟处罚款。"}},
		{officerTok, "notify", days[5], map[string]any{"method": "direct"}},
		{headTok, "decide", days[6], map[string]any{"penalty": penalty, "facts": "经查，当事人未经登记从事早餐食品摊贩经营。",
			"payment_how": "通过当事人门户在线缴纳或者到指定银行缴纳罚款"}},
		{officerTok, "serve", days[7], map[string]any{"method": "direct", "receipt": "送达回证（当事人签收）"}},
	} {
		s.body["on"] = s.on
		takeStep(t, p, s.tok, id, s.action, s.body)
		if s.action == "notify" {
			// the party waives its statement in writing, so that the decision may follow at once (Art. 44, 45)
			doc := uploadDocument(t, p, officerTok, id, s.on, "当事人放弃陈述、申辩的书面声明")
			takeStep(t, p, officerTok, id, "waive_statement", map[string]any{"on": s.on, "evidence_id": doc})
		}
	}
	return id, c["code"].(string)
}

// uploadDocument uploads a signed document of the party (documentary evidence) to a case on on
// and returns its evidence ID.
func uploadDocument(t *testing.T, p *platform, tok, caseID, on, title string) string {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("title", title)
	mw.WriteField("kind", "documentary")
	mw.WriteField("on", on)
	fw, _ := mw.CreateFormFile("file", "声明.txt")
	fw.Write([]byte(title + "\n声明人：" + partyName + "\n"))
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, p.URL+"/api/v1/cases/"+caseID+"/evidence", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("X-Session-Token", tok)
	req.Header.Set("Idempotency-Key", uuid.NewString())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Event struct {
			Content struct {
				Evidence []struct {
					ID string `json:"id"`
				} `json:"evidence"`
			} `json:"content"`
		} `json:"event"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusCreated || len(out.Event.Content.Evidence) != 1 {
		t.Fatalf("upload %s: %d %v", title, resp.StatusCode, err)
	}
	return out.Event.Content.Evidence[0].ID
}

// daysAfter counts the calendar days from one date to a later one.
func daysAfter(t *testing.T, from, to string) int {
	t.Helper()
	a, err1 := time.Parse("2006-01-02", from)
	b, err2 := time.Parse("2006-01-02", to)
	if err1 != nil || err2 != nil {
		t.Fatalf("dates %q %q", from, to)
	}
	return int(b.Sub(a).Hours() / 24)
}

// checkSurcharge asserts a quote's law on its own day (the quote's "on", so that nothing depends
// on the clock): the late days are the calendar days since the deadline less the paused ones, and
// the surcharge is 3% of the fine for each, capped at the fine (Art. 72).
func checkSurcharge(t *testing.T, q reply, wantDue string) (late, paused int) {
	t.Helper()
	if q.Status != http.StatusOK || q.Body["due_on"] != wantDue {
		t.Fatalf("quote: %d %s, want due %s", q.Status, q.Raw, wantDue)
	}
	on := q.Body["on"].(string)
	late, paused = int(fen(q.Body, "late_days")), int(fen(q.Body, "paused_days"))
	if late+paused != daysAfter(t, wantDue, on) {
		t.Errorf("on %s: %d late and %d paused days, want %d days since %s", on, late, paused, daysAfter(t, wantDue, on), wantDue)
	}
	want := min(int64(surchargeFineFen)*3*int64(late)/100, surchargeFineFen)
	if fen(q.Body, "surcharge_fen") != want || fen(q.Body, "total_fen") != surchargeFineFen+want || fen(q.Body, "principal_fen") != surchargeFineFen {
		t.Errorf("on %s after %d late days: %s, want a surcharge of %d", on, late, q.Raw, want)
	}
	if capped := want == surchargeFineFen; q.Body["capped"] != capped {
		t.Errorf("capped = %v, want %v", q.Body["capped"], capped)
	}
	return late, paused
}

// TestPortalAPISurcharge: two cases of the party, past their payment deadline. The first, served
// on 19 Sep 2025, was due on 4 Oct, in the National Day holiday (1-8 Oct): the deadline moves to
// 9 Oct; its surcharge is capped at the fine, and its reconsideration is refused, 60 days after
// service having passed (行政复议法 Art. 20). The second, served 30 days ago, accrues 3% a day;
// after the party applies for reconsideration in the portal, the days while it is pending do not
// accrue (Art. 72 ¶2).
func TestPortalAPISurcharge(t *testing.T) {
	for _, driver := range []string{"sqlite", "postgres"} {
		t.Run(driver, func(t *testing.T) {
			p := startPlatform(t, driver)
			ensureCalendarAhead(t, p)
			citTok, officerTok := p.login(citizenDemo), p.login(officer1)
			holiday, holidayCode := walkServed(t, p, "国庆前送达的摊贩案", [8]string{"2025-09-01", "2025-09-02", "2025-09-03", "2025-09-05",
				"2025-09-08", "2025-09-09", "2025-09-18", "2025-09-19"})
			recent, recentCode := walkServed(t, p, "近期送达的摊贩案", [8]string{chinaDay(-40), chinaDay(-39), chinaDay(-38), chinaDay(-36),
				chinaDay(-35), chinaDay(-34), chinaDay(-31), chinaDay(-30)})
			for _, code := range []string{holidayCode, recentCode} {
				if r := p.do(http.MethodPost, "/api/v1/portal/lookup", citTok, "", map[string]any{"code": code, "proof": partyID[12:]}); r.Status != http.StatusOK {
					t.Fatalf("lookup %s: %d %s", code, r.Status, r.Raw)
				}
			}

			// Due in the holiday: moved to 9 Oct 2025; long since capped.
			if late, paused := checkSurcharge(t, p.do(http.MethodGet, "/api/v1/portal/cases/"+holiday+"/quote", citTok, "", nil), "2025-10-09"); late < 34 || paused != 0 {
				t.Errorf("the holiday case: %d late, %d paused days", late, paused)
			}
			draft := p.do(http.MethodGet, "/api/v1/portal/cases/"+holiday+"/reconsideration/draft", citTok, "", nil)
			if draft.Status != http.StatusOK || draft.Body["open"] != false {
				t.Errorf("the holiday case's draft: %d %s, want closed", draft.Status, draft.Raw)
			}
			if r := p.do(http.MethodPost, "/api/v1/portal/cases/"+holiday+"/reconsideration", citTok, "", application(t, draft)); r.Status != http.StatusUnprocessableEntity ||
				!strings.Contains(string(r.Raw), "20") {
				t.Errorf("a reconsideration 60 days after service: %d %s", r.Status, r.Raw)
			}
			if r := p.do(http.MethodGet, "/api/v1/portal/cases/"+holiday+"/reconsideration", citTok, "", nil); r.Status != http.StatusNotFound {
				t.Errorf("the refused application was kept: %d %s", r.Status, r.Raw)
			}

			// Served 30 days ago: the surcharge accrues until the party applies for reconsideration.
			due := caseDetail(t, p, officerTok, recent).Body["facts"].(map[string]any)["delivery"].(map[string]any)["payment_due"].(string)
			before := p.do(http.MethodGet, "/api/v1/portal/cases/"+recent+"/quote", citTok, "", nil)
			lateBefore, pausedBefore := checkSurcharge(t, before, due)
			if lateBefore == 0 || pausedBefore != 0 || before.Body["capped"] != false {
				t.Errorf("before the application: %s", before.Raw)
			}
			draft = p.do(http.MethodGet, "/api/v1/portal/cases/"+recent+"/reconsideration/draft", citTok, "", nil)
			if r := p.do(http.MethodPost, "/api/v1/portal/cases/"+recent+"/reconsideration", citTok, "", application(t, draft)); r.Status != http.StatusCreated {
				t.Fatalf("the application: %d %s", r.Status, r.Raw)
			}
			after := p.do(http.MethodGet, "/api/v1/portal/cases/"+recent+"/quote", citTok, "", nil)
			lateAfter, pausedAfter := checkSurcharge(t, after, due)
			if pausedAfter < 1 || lateAfter+pausedAfter < lateBefore || lateAfter > lateBefore ||
				!strings.Contains(after.Body["basis"].(string), "《行政处罚法》第72条第2款") {
				t.Errorf("after the application (%d late, %d paused before): %s", lateBefore, pausedBefore, after.Raw)
			}
			if d := caseDetail(t, p, officerTok, recent); events(d, "reconsideration_applied") != 1 || !chainValid(t, p, officerTok, recent) {
				t.Errorf("the application on the case's record: %d events", events(d, "reconsideration_applied"))
			}
		})
	}
}

// application fills the application for reconsideration from its draft, with the party's reasons.
func application(t *testing.T, draft reply) map[string]any {
	t.Helper()
	in := map[string]any{}
	for _, k := range []string{"applicant", "applicant_address", "applicant_phone", "respondent", "decision_number", "request", "facts_reasons", "authority"} {
		in[k] = draft.Body[k]
	}
	in["facts_reasons"] = draft.Body["facts_reasons"].(string) + "申请人系初次经营，已主动办理登记，罚款数额过高。"
	return in
}

// TestPortalKratosLogin runs the portal on the production identity path: the dev login off, a
// citizen who signed up in Kratos calls the portal API with its session token, proves to be the
// party of the demo case and reads it; without a session the API answers 401, another citizen
// finds nothing, and the portal's sign-in page sends the browser to Kratos's login flow.
func TestPortalKratosLogin(t *testing.T) {
	k := testenv.Kratos(t)
	p := startPlatform(t, "sqlite", func(c *config.Config) {
		c.Identity.DevLogin = false
		c.Identity.KratosPublicURL = k.PublicURL
		c.Identity.KratosAdminURL = k.AdminURL
	})
	ctx := context.Background()
	if err := app.SeedDemo(ctx, p.App); err != nil {
		t.Fatal(err)
	}
	var found struct {
		ID   string `bun:"id"`
		Code string `bun:"code"`
	}
	if err := tenants.RunInTx(ctx, p.App.DB, tenants.System("test: the demo case's code, as printed on its documents"), func(ctx context.Context, tx bun.Tx) error {
		return tx.NewRaw("SELECT id, code FROM cases WHERE title = ?", demoPayTitle).Scan(ctx, &found)
	}); err != nil {
		t.Fatal(err)
	}

	suffix := strings.ToLower(strings.ReplaceAll(t.Name(), "/", "-")) + "-" + uuid.NewString()[:8] // unique in Kratos across runs
	k.CreateIdentity(t, "party-"+suffix+"@example.com", "citizen-pass-1", "王小明", "citizen")
	k.CreateIdentity(t, "other-"+suffix+"@example.com", "citizen-pass-2", "张三", "citizen")
	tok := k.Login(t, "party-"+suffix+"@example.com", "citizen-pass-1")
	other := k.Login(t, "other-"+suffix+"@example.com", "citizen-pass-2")
	lookup := map[string]any{"code": found.Code, "proof": demoProof}

	p.server(t).Run(t, []testkit.Scenario{
		{Name: "lookup without a session", Method: "POST", Path: "/api/v1/portal/lookup", Body: lookup, Status: 401, Code: errs.Unauthenticated,
			NotContains: []string{found.ID, demoPayTitle}},
		{Name: "my cases without a session", Method: "GET", Path: "/api/v1/portal/cases", Status: 401, Code: errs.Unauthenticated},
		{Name: "a case without a session", Method: "GET", Path: "/api/v1/portal/cases/" + found.ID, Status: 401, Code: errs.Unauthenticated,
			NotContains: []string{found.Code, demoPayTitle}},
	})
	if r := p.do(http.MethodPost, "/api/v1/portal/lookup", tok, "", map[string]any{"code": found.Code, "proof": "000000"}); r.Status != http.StatusNotFound {
		t.Errorf("lookup with a wrong proof: %d %s", r.Status, r.Raw)
	}
	if r := p.do(http.MethodGet, "/api/v1/portal/cases/"+found.ID, tok, "", nil); r.Status != http.StatusNotFound {
		t.Errorf("the case before the claim: %d %s", r.Status, r.Raw)
	}
	r := p.do(http.MethodPost, "/api/v1/portal/lookup", tok, "", lookup)
	if c, _ := r.Body["case"].(map[string]any); r.Status != http.StatusOK || c["id"] != found.ID {
		t.Fatalf("lookup with the right proof: %d %s", r.Status, r.Raw)
	}
	if r := p.do(http.MethodGet, "/api/v1/portal/cases/"+found.ID, tok, "", nil); r.Status != http.StatusOK || !strings.Contains(string(r.Raw), found.Code) {
		t.Errorf("the claimed case: %d %s", r.Status, r.Raw)
	}
	if r := p.do(http.MethodGet, "/api/v1/portal/cases", tok, "", nil); len(list(r, "cases")) != 1 || list(r, "cases")[0]["id"] != found.ID {
		t.Errorf("my cases: %s", r.Raw)
	}
	if r := p.do(http.MethodGet, "/api/v1/portal/cases/"+found.ID, other, "", nil); r.Status != http.StatusNotFound {
		t.Errorf("another citizen reads the claimed case: %d %s", r.Status, r.Raw)
	}

	// The sign-in page hands the browser to the self-service login, which starts Kratos' browser
	// flow through the tunnel, coming back to the page asked for.
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	next := "/portal/cases/" + found.ID
	resp, err := noFollow.Get(p.URL + "/portal/login?next=" + url.QueryEscape(next))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	want := "/auth/login?return_to=" + url.QueryEscape(p.URL+next)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
		t.Errorf("GET /portal/login = %d to %q, want 303 to %q", resp.StatusCode, resp.Header.Get("Location"), want)
	}
	if resp, err = noFollow.Get(p.URL + want); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if want := "/.ory/kratos/public/self-service/login/browser?return_to=" + url.QueryEscape(p.URL+next); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
		t.Errorf("GET /auth/login = %d to %q, want 303 to %q", resp.StatusCode, resp.Header.Get("Location"), want)
	}
}
