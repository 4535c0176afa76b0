package cases_test

import (
	"bytes"
	"mime/multipart"
	"os"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"zhifa/app/apitest"
	"zhifa/app/dbtest"
	"zhifa/app/testkit"
	"zhifa/modules/cases"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// testServer mounts the case routes with stand-in middlewares: the tenant, actor, roles and
// bodies come from X-Test-* headers. Every success is checked against the OpenAPI document.
func testServer(t *testing.T, w *world) *testkit.Server {
	t.Helper()
	e, api := apitest.NewAPI(apitest.Auth(w.db))
	w.svc.Routes(api)
	srv := testkit.NewServer(t, e, api)
	srv.CheckResponses = true
	return srv
}

// staff is a caller acting at tn as actor with role, bound to bodies.
func staff(tn *tenants.Tenant, actor string, role authz.Role, bodies ...string) testkit.Caller {
	return testkit.Caller{Tenant: tn.ID, Actor: actor, Roles: []authz.Role{role}, Bodies: bodies}
}

// idem is the headers of a request carrying a fresh Idempotency-Key.
func idem() map[string]string { return map[string]string{cases.HeaderIdempotencyKey: key()} }

// TestHTTP drives the API as scenarios: status codes, the rule in refusals, idempotency headers,
// evidence upload and download, chain verification, and county B's 404s, which show nothing of
// the case.
func TestHTTP(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		srv := testServer(t, w)
		if op := srv.Doc.Paths.Find("/cases/{id}/actions/decide").Post; op == nil || op.RequestBody == nil || op.Parameters.GetByInAndName("header", "Idempotency-Key") == nil {
			t.Fatalf("decide is not documented with its body and Idempotency-Key")
		}
		officer := staff(w.a, w.officerID, authz.Officer, w.body.ID)
		head := staff(w.a, "head", authz.BodyHead, w.body.ID)
		bHead := staff(w.b, "b-head", authz.BodyHead)
		supervisor := staff(w.a, "sup", authz.Supervisor)
		const api = "/api/v1"
		newCase := `{"on":"2025-09-01","kind":"penalty_general","body_id":"` + w.body.ID + `","title":"无照经营","party":{"kind":"person","name":"王小明","id_number":"` + residentID(900) + `"},
			"officer_ids":["` + w.o1.ID + `","` + w.o2.ID + `"],"act_ended_on":"2025-08-20","lead":{"source":"complaint","received_on":"2025-09-01","summary":"举报"}}`
		srv.Do(t, testkit.Scenario{Name: "create without Idempotency-Key", Caller: officer, Method: "POST", Path: api + "/cases", Body: newCase,
			Status: 400, Code: errs.Invalid, Contains: []string{"Idempotency-Key"}})
		create := testkit.Scenario{Name: "create", Caller: officer, Method: "POST", Path: api + "/cases", Body: newCase, Headers: idem(), Status: 201,
			Header: map[string]string{cases.HeaderReplayed: ""}}
		id := srv.Do(t, create).String("case.id")
		if id == "" {
			t.Fatal("create answered no case ID")
		}
		create.Name, create.Header, create.JSON = "replayed create", map[string]string{cases.HeaderReplayed: "true"}, map[string]any{"case.id": id}
		srv.Do(t, create)
		casePath := api + "/cases/" + id
		for _, step := range []struct {
			who    testkit.Caller
			action string
			body   string
		}{
			{officer, "verify", `{"on":"2025-09-02","findings":"属实"}`},
			{head, "file", `{"on":"2025-09-03"}`},
			{officer, "investigate", `{"on":"2025-09-05","officer_ids":["` + w.o1.ID + `","` + w.o2.ID + `"],"record":"笔录","location":{"lat":26.1,"lng":118.2,"accuracy_m":9.5}}`},
		} {
			srv.Do(t, testkit.Scenario{Name: step.action, Caller: step.who, Method: "POST", Path: casePath + "/actions/" + step.action, Body: step.body,
				Headers: idem(), Status: 200})
		}

		// Evidence upload (multipart), listed, downloaded with its hash.
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for k, v := range map[string]string{"title": "现场照片", "kind": "audiovisual", "on": "2025-09-06", "lat": "26.1", "lng": "118.2", "accuracy_m": "10"} {
			noErr(t, mw.WriteField(k, v))
		}
		fw, err := mw.CreateFormFile("file", "../../etc/现场 照片.png")
		noErr(t, err)
		_, _ = fw.Write(pngBytes)
		noErr(t, mw.Close())
		upload := testkit.Scenario{Name: "upload without key", Caller: officer, Method: "POST", Path: casePath + "/evidence",
			ContentType: mw.FormDataContentType(), Body: buf.Bytes(), Status: 400, Code: errs.Invalid, NotContains: []string{sha(pngBytes)}}
		srv.Do(t, upload)
		upload.Name, upload.Headers, upload.Status, upload.Code, upload.Contains, upload.NotContains = "upload", idem(), 201, "", []string{sha(pngBytes)}, nil
		srv.Do(t, upload)
		list := srv.Do(t, testkit.Scenario{Name: "evidence list", Caller: officer, Method: "GET", Path: casePath + "/evidence", Status: 200,
			JSON: map[string]any{"evidence.0.title": "现场照片"}})
		if evs, _ := list.Get("evidence"); len(evs.([]any)) != 1 || strings.Contains(list.String("evidence.0.file_name"), "/") {
			t.Fatalf("evidence list: %s", list.Body)
		}
		evID := list.String("evidence.0.id")
		srv.Do(t, testkit.Scenario{Name: "download", Caller: supervisor, Method: "GET", Path: casePath + "/evidence/" + evID + "/file", Status: 200,
			Header: map[string]string{"X-Content-SHA256": sha(pngBytes), "Content-Type": "image/png"},
			Check: func(t testing.TB, r *testkit.Response) {
				if !bytes.Equal(r.Body, pngBytes) {
					t.Errorf("download: %d bytes, want the %d uploaded", len(r.Body), len(pngBytes))
				}
			}})

		// What county B must never see of A's case: its party, its title, its evidence.
		secret := []string{"王小明", "无照经营", "现场照片", sha(pngBytes)}
		upload.Name, upload.Caller, upload.Headers, upload.Status, upload.Code, upload.Contains, upload.NotContains =
			"B: upload", bHead, idem(), 404, errs.NotFound, nil, secret
		srv.Run(t, []testkit.Scenario{
			{Name: "detail", Caller: officer, Method: "GET", Path: casePath, Status: 200, Contains: []string{`"next_actions"`}},
			{Name: "detail shows the 90-day limit", Caller: officer, Method: "GET", Path: casePath, Status: 200, Contains: []string{`"rule_id":"penalty.decide"`}},
			{Name: "list mine", Caller: officer, Method: "GET", Path: api + "/cases?officer=me&state=investigating&body_id=" + w.body.ID, Status: 200,
				Contains: []string{`"total":1`}},
			{Name: "list by party name", Caller: supervisor, Method: "GET", Path: api + "/cases?q=" + "小明", Status: 200, Contains: []string{`"total":1`}},
			{Name: "list overdue", Caller: officer, Method: "GET", Path: api + "/cases?overdue=true", Status: 200, Contains: []string{`"total":1`}},
			{Name: "bad filter", Caller: officer, Method: "GET", Path: api + "/cases?state=flying", Status: 400, Code: errs.Invalid, Contains: []string{`"state"`}},
			{Name: "bad officer filter", Caller: officer, Method: "GET", Path: api + "/cases?officer=you", Status: 400, Code: errs.Invalid},
			{Name: "chain", Caller: supervisor, Method: "GET", Path: casePath + "/chain", Status: 200, Contains: []string{`"valid":true`}},
			{Name: "report", Caller: officer, Method: "POST", Path: casePath + "/actions/report", Body: `{"on":"2025-09-15","facts":"x"}`, Headers: idem(), Status: 200},
			{Name: "no action key", Caller: officer, Method: "POST", Path: casePath + "/actions/propose",
				Body: `{"on":"2025-09-16","penalty":{"types":["fine"],"fine_fen":100,"basis":"x"}}`, Status: 400, Code: errs.Invalid, Contains: []string{"Idempotency-Key"}},
			{Name: "discretion refusal", Caller: officer, Method: "POST", Path: casePath + "/actions/propose",
				Body: `{"on":"2025-09-16","penalty":{"types":["fine"],"fine_fen":100,"basis":"x"}}`, Headers: idem(), Status: 422, Code: errs.FailedPrecondition,
				Contains: []string{`"rule":{"id":"penalty.discretion","law":"行政处罚法","article":"34","cite":"《行政处罚法》第34条"}`}},
			{Name: "out of order", Caller: head, Method: "POST", Path: casePath + "/actions/decide",
				Body: `{"on":"2025-09-16","number":"1","penalty":{"types":["warning"],"basis":"x"},"facts":"x"}`, Headers: idem(), Status: 409, Code: errs.Conflict,
				Contains: []string{`"conflict"`}},
			{Name: "role", Caller: officer, Method: "POST", Path: casePath + "/actions/terminate", Body: `{"reason":"x"}`, Headers: idem(), Status: 403, Code: errs.Forbidden},
			{Name: "not JSON", Caller: officer, Method: "POST", Path: casePath + "/actions/statement", ContentType: "text/plain", Body: `x`, Headers: idem(), Status: 400,
				Code: errs.Invalid},
			{Name: "supervisor cannot act", Caller: supervisor, Method: "POST", Path: casePath + "/actions/report", Body: `{"facts":"x"}`, Headers: idem(), Status: 403,
				Code: errs.Forbidden},
			{Name: "malformed id", Caller: officer, Method: "GET", Path: api + "/cases/x", Status: 400, Code: errs.Invalid},
			{Name: "B: detail", Caller: bHead, Method: "GET", Path: casePath, Status: 404, Code: errs.NotFound, NotContains: secret},
			{Name: "B: act", Caller: bHead, Method: "POST", Path: casePath + "/actions/report", Body: `{"facts":"x"}`, Headers: idem(), Status: 404, Code: errs.NotFound,
				NotContains: secret},
			{Name: "B: chain", Caller: bHead, Method: "GET", Path: casePath + "/chain", Status: 404, Code: errs.NotFound, NotContains: append(secret, `"valid"`)},
			{Name: "B: evidence", Caller: bHead, Method: "GET", Path: casePath + "/evidence", Status: 404, Code: errs.NotFound, NotContains: secret},
			{Name: "B: evidence file", Caller: bHead, Method: "GET", Path: casePath + "/evidence/" + evID + "/file", Status: 404, Code: errs.NotFound,
				NotContains: append(secret, string(pngBytes[:8]))},
			{Name: "B: list", Caller: bHead, Method: "GET", Path: api + "/cases", Status: 200, Contains: []string{`"total":0`}, NotContains: append(secret, id)},
			upload,
		})
	})
}

// TestDocDescribesEveryMachine keeps doc.go's state machines in step with machine.go.
func TestDocDescribesEveryMachine(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("doc.go")
	noErr(t, err)
	doc := string(raw)
	for _, k := range cases.Kinds {
		for _, a := range cases.MachineActions(k) {
			if !strings.Contains(doc, string(a)) {
				t.Errorf("doc.go does not describe %s of %s", a, k)
			}
		}
	}
}
