package app_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"zhifa/modules/elements"
)

// TestTenantIsolationThroughEveryEndpoint creates one object of every kind in county A, then calls
// every mounted operation that takes an object's ID as county B's operator with A's IDs: each must
// answer 404, every list must leave A's objects out, and afterwards all of A's objects are intact.
// A new route is covered as soon as it is mounted; one whose path parameter has no object below
// fails the test until it is added.
func TestTenantIsolationThroughEveryEndpoint(t *testing.T) {
	for _, driver := range []string{"sqlite", "postgres"} {
		t.Run(driver, func(t *testing.T) {
			p := startPlatform(t, driver)
			a := p.login(youxiOp) // county 尤溪县 350426
			prov := p.login(provOp)
			mk := p.do(http.MethodPost, "/api/v1/accounts", prov, "350427", map[string]any{
				"email": "shaxian.operator@demo.zhifa", "name": "沙县运维", "kind": "operator", "roles": []string{"tenant_operator"}})
			if mk.Status != http.StatusCreated {
				t.Fatalf("county B operator: %d %s", mk.Status, mk.Raw)
			}
			b := p.login("shaxian.operator@demo.zhifa") // county 沙县区 350427

			create := func(path string, body any) string {
				t.Helper()
				r := p.do(http.MethodPost, path, a, "", body)
				id, _ := r.Body["id"].(string)
				if r.Status != http.StatusCreated || id == "" {
					t.Fatalf("create %s: %d %s", path, r.Status, r.Raw)
				}
				return id
			}
			lawBody := map[string]any{"name": "尤溪县测试规范", "level": "normative_document", "issuer": "尤溪县人民政府", "promulgated_on": "2025-01-02", "effective_from": "2025-02-01"}
			law := create("/api/v1/laws", lawBody)
			articleBody := map[string]any{"number": "第一条", "text": "测试条文。"}
			article := create("/api/v1/laws/"+law+"/articles", articleBody)
			bodyBody := map[string]any{"name": "尤溪县测试局", "code": validUSCC("11350426MB0000001"), "kind": "administrative_organ", "sector": "other"}
			body := create("/api/v1/bodies", bodyBody)
			matterBody := map[string]any{"code": "YX-T-0001", "name": "测试事项", "kind": "penalty", "sector": "other", "article_ids": []string{article}, "body_ids": []string{body}}
			matter := create("/api/v1/matters", matterBody)
			officerBody := map[string]any{"body_id": body, "name": "测试人员", "id_number": validResidentID("35042619990101123"),
				"certificate": map[string]any{"number": "FJ-T-0001", "issued_on": "2025-01-01", "expires_on": "2030-01-01"}}
			officer := create("/api/v1/officers", officerBody)
			// A case in A, opened by one of A's officers at the demo market regulation body.
			demoBody := p.do(http.MethodGet, "/api/v1/bodies?q=1135042609960308UA", a, "", nil)
			bodyList, _ := demoBody.Body["bodies"].([]any)
			if len(bodyList) != 1 {
				t.Fatalf("demo body: %s", demoBody.Raw)
			}
			marketBody := bodyList[0].(map[string]any)["id"].(string)
			caseBody := map[string]any{"kind": "penalty_general", "body_id": marketBody, "title": "隔离测试案件",
				"party": map[string]any{"kind": "organisation", "name": "某食品店", "uscc": validUSCC("92350426MA0000001")},
				"lead":  map[string]any{"source": "complaint", "received_on": "2026-03-02", "summary": "投诉"}}
			cr := p.do(http.MethodPost, "/api/v1/cases", p.login("youxi.officer1@demo.zhifa"), "", caseBody, "Idempotency-Key", "isolation-case")
			caseID, _ := cr.Body["case"].(map[string]any)["id"].(string)
			if cr.Status != http.StatusCreated || caseID == "" {
				t.Fatalf("case: %d %s", cr.Status, cr.Raw)
			}
			// County B's case-handling staff, who would pass authorisation on their own cases.
			if r := p.do(http.MethodPost, "/api/v1/accounts", b, "", map[string]any{"email": "shaxian.head@demo.zhifa", "name": "沙县局长",
				"kind": "officer", "roles": []string{"body_head", "officer", "legal_reviewer"}}); r.Status != http.StatusCreated {
				t.Fatalf("county B staff: %d %s", r.Status, r.Raw)
			}
			bStaff := p.login("shaxian.head@demo.zhifa")
			benchBody := map[string]any{"matter_id": matter, "title": "测试基准"}
			bench := create("/api/v1/benchmarks", benchBody)
			versionBody := map[string]any{"effective_from": "2025-03-01", "items": []map[string]any{{"circumstance": "一般", "description": "x", "min_fine_fen": 100, "max_fine_fen": 500}}}
			if r := p.do(http.MethodPost, "/api/v1/benchmarks/"+bench+"/versions", a, "", versionBody); r.Status != http.StatusCreated {
				t.Fatalf("version: %d %s", r.Status, r.Raw)
			}
			person := p.do(http.MethodPost, "/api/v1/accounts", a, "", map[string]any{"email": "yx.person@demo.zhifa", "name": "尤溪人员", "kind": "officer"})
			grant := p.do(http.MethodPost, "/api/v1/grants", a, "", map[string]any{"identity_id": person.Body["identity_id"], "role": "supervisor"})
			grantID, _ := grant.Body["id"].(string)
			personID, _ := person.Body["identity_id"].(string)
			if grant.Status != http.StatusCreated {
				t.Fatalf("grant: %d %s", grant.Status, grant.Raw)
			}

			// A's documents and deliveries: the demo's decided case of the citizen, with its consent,
			// deliveries, evidence, issued documents and the inbox item it put in the citizen's portal;
			// and a draft of A's penalty decision template.
			officerA := p.login("youxi.officer1@demo.zhifa")
			found := p.do(http.MethodGet, "/api/v1/cases?q="+url.QueryEscape("王小明"), officerA, "", nil)
			citizenCases, _ := found.Body["cases"].([]any)
			var citizenCase, payCase, payCode string
			for _, c := range citizenCases {
				switch c := c.(map[string]any); c["title"] {
				case "销售超过保质期的饮料":
					citizenCase = c["id"].(string)
				case "未经登记从事食品摊贩经营":
					payCase, payCode = c["id"].(string), c["code"].(string)
				}
			}
			if citizenCase == "" || payCase == "" {
				t.Fatalf("the demo citizen's cases: %s", found.Raw)
			}
			detail := p.do(http.MethodGet, "/api/v1/cases/"+citizenCase, officerA, "", nil)
			docs, _ := detail.Body["documents"].([]any)
			evidence, _ := detail.Body["evidence"].([]any)
			if len(docs) == 0 || len(evidence) == 0 {
				t.Fatalf("the demo citizen's case has no documents or evidence: %s", detail.Raw)
			}
			docID := docs[len(docs)-1].(map[string]any)["id"].(string)
			evidenceID := evidence[0].(map[string]any)["id"].(string)
			dl := p.do(http.MethodGet, "/api/v1/cases/"+citizenCase+"/deliveries", officerA, "", nil)
			deliveries, _ := dl.Body["deliveries"].([]any)
			if len(deliveries) == 0 {
				t.Fatalf("the demo citizen's case has no deliveries: %s", dl.Raw)
			}
			deliveryID := deliveries[0].(map[string]any)["id"].(string)
			if r := p.do(http.MethodGet, "/api/v1/cases/"+citizenCase+"/delivery-consent", officerA, "", nil); r.Status != http.StatusOK || r.Body["active"] == nil {
				t.Fatalf("the demo citizen's consent: %d %s", r.Status, r.Raw)
			}
			citizen := p.login("citizen@demo.zhifa")
			inbox := p.do(http.MethodGet, "/api/v1/portal/inbox", citizen, "", nil)
			items, _ := inbox.Body["items"].([]any)
			if len(items) == 0 {
				t.Fatalf("the demo citizen's inbox is empty: %s", inbox.Raw)
			}
			inboxItem := items[0].(map[string]any)["id"].(string)
			// The citizen proves to be the party of the case to pay and starts a payment: A's
			// portal claim and payment. Another citizen is the caller for the portal's routes.
			if r := p.do(http.MethodPost, "/api/v1/portal/lookup", citizen, "", map[string]any{"code": payCode, "proof": validResidentID("35042619880315231")[12:]}); r.Status != http.StatusOK {
				t.Fatalf("the citizen's lookup: %d %s", r.Status, r.Raw)
			}
			co := p.do(http.MethodPost, "/api/v1/portal/cases/"+payCase+"/checkout", citizen, "", map[string]any{
				"success_url": p.URL + "/portal/cases/" + payCase + "/payment", "cancel_url": p.URL + "/portal/cases/" + payCase}, "Idempotency-Key", "isolation-checkout")
			paymentID, _ := co.Body["payment_id"].(string)
			if co.Status != http.StatusOK && co.Status != http.StatusCreated || paymentID == "" {
				t.Fatalf("the citizen's checkout: %d %s", co.Status, co.Raw)
			}
			citizenB := p.login("citizen2@demo.zhifa")
			draft := create("/api/v1/document-templates", map[string]any{"type": "penalty_decision", "body_id": marketBody})
			draftBefore := p.do(http.MethodGet, "/api/v1/document-templates/"+draft, a, "", nil)
			// A's disclosure record: the demo's decisions published, as the worker would.
			disclosureID := publishDemoDecisions(t, p, citizenCase)
			// What must never leave A: its parties' names and identity numbers.
			secrets := []string{"某食品店", validUSCC("92350426MA0000001"), validResidentID("35042619880315231")}

			// The object each path parameter names, and a valid body for writes.
			ids := map[string]string{
				"/laws/": law, "/articles/": article, "/bodies/": body, "/matters/": matter, "/officers/": officer,
				"/benchmarks/": bench, "/grants/": grantID, "/accounts/": personID, "/tenants/": "350426", "/settings/": "cases.backfill_working_days",
				"/rules/": "penalty.delivery", "/calendar/": "2026", "/cases/": citizenCase,
				"/document-types/": "penalty_decision", "/document-templates/": draft, "/documents/": docID, "/verify/": docID,
				"/portal/inbox/": inboxItem, "/portal/cases/": payCase, "/payments/": paymentID, "/payments/webhook/": "350426",
				"/disclosures/": disclosureID, "/public/disclosures/": disclosureID,
			}
			subIDs := map[string]string{"{delivery_id}": deliveryID, "{evidence_id}": evidenceID, "{document_id}": docID}
			bodies := map[string]any{
				"/laws/": lawBody, "/articles/": articleBody, "/bodies/": bodyBody, "/matters/": matterBody, "/officers/": officerBody,
				"/benchmarks/": benchBody, "/laws/{id}/articles": articleBody, "/benchmarks/{id}/versions": versionBody,
				"/settings/":           map[string]any{"value": 9},
				"/document-templates/": map[string]any{"title": "B 的修改"}, "/document-templates/{id}/preview": map[string]any{"case_id": citizenCase},
				"/cases/{id}/delivery-consent":                       map[string]any{"channels": []string{"email"}, "email": "b@example.cn", "signed_on": "2026-01-05"},
				"/cases/{id}/delivery-consent/revoke":                map[string]any{"reason": "B 撤回"},
				"/cases/{id}/deliveries":                             map[string]any{"document": "penalty_decision", "channels": []string{"paper"}, "method": "direct"},
				"/cases/{id}/deliveries/{delivery_id}/public-notice": map[string]any{"medium": "尤溪县人民政府网站", "published_on": "2026-01-05"},
				"/payments/{id}/refunds":                             map[string]any{"amount_fen": 100, "reason": "reduced"},
				"/portal/cases/{id}/consent":                         map[string]any{"channels": []string{"inbox"}},
				"/portal/cases/{id}/evaluation":                      map[string]any{"rating": 1, "comment": "B 的评议"},
				"/portal/cases/{id}/reconsideration":                 map[string]any{"request": "撤销", "reasons": "B"},
				"/portal/cases/{id}/checkout":                        map[string]any{"success_url": p.URL + "/portal/", "cancel_url": p.URL + "/portal/"},
				"/disclosures/{id}/withdraw":                         map[string]any{"revoked_on": "2026-03-02", "explanation": "B 撤回"},
				"/disclosures/{id}/end":                              map[string]any{"explanation": "B 结束"},
				"/disclosures/{id}/approve":                          map[string]any{},
			}
			if r := p.do(http.MethodPut, "/api/v1/settings/cases.backfill_working_days", a, "", map[string]any{"value": 4}); r.Status != http.StatusOK {
				t.Fatalf("A's setting: %d %s", r.Status, r.Raw)
			}
			param := regexp.MustCompile(`\{[a-z_]+\}`)
			for _, op := range p.App.API.Ops() {
				if !strings.Contains(op.Path, "{") {
					continue
				}
				prefix := op.Path[:strings.Index(op.Path, "{")]
				id, ok := ids[prefix]
				if !ok {
					t.Errorf("%s %s: no object of tenant A for this path; add one", op.Method, op.Path)
					continue
				}
				path := "/api/v1" + strings.Replace(op.Path, "{id}", id, 1)
				path = strings.Replace(path, "{key}", id, 1)
				for k, v := range subIDs {
					path = strings.Replace(path, k, v, 1)
				}
				path = param.ReplaceAllString(path, "1")
				var reqBody any
				if op.Body != nil {
					if reqBody = bodies[op.Path]; reqBody == nil {
						reqBody = bodies[prefix]
					}
				}
				caller := b
				switch prefix {
				case "/cases/", "/payments/", "/disclosures/":
					caller = bStaff
				case "/portal/cases/":
					caller = citizenB // a citizen without a claim on A's case
				}
				r := p.do(op.Method, path, caller, "", reqBody, "Idempotency-Key", "isolation-"+op.ID)
				if prefix == "/rules/" || prefix == "/calendar/" {
					// The catalogue and the holiday calendar are the platform's, the same for every
					// tenant (a due date uses the caller's own settings); loading a year needs the
					// operator of a root tenant.
					if op.Method == http.MethodPut && r.Status != http.StatusForbidden {
						t.Errorf("B %s %s = %d %s, want 403", op.Method, path, r.Status, r.Raw)
					}
					continue
				}
				if prefix == "/settings/" {
					// Settings are addressed by key within the caller's own tenant: B writes its own
					// value, never A's. A's value is checked below.
					continue
				}
				if prefix == "/payments/webhook/" {
					// The webhook is public and answers only to a signature made with the
					// tenant's webhook secret: an unsigned call is refused and changes nothing.
					if r.Status != http.StatusBadRequest {
						t.Errorf("B %s %s = %d %s, want 400", op.Method, path, r.Status, r.Raw)
					}
					continue
				}
				if prefix == "/document-types/" || prefix == "/verify/" || prefix == "/public/disclosures/" {
					// The platform's document types, the public verification and the published
					// decisions answer everyone, and none says more of a party than its name.
					if r.Status != http.StatusOK {
						t.Errorf("B %s %s = %d %s, want 200", op.Method, path, r.Status, r.Raw)
					}
					for _, secret := range secrets {
						if strings.Contains(string(r.Raw), secret) {
							t.Errorf("B %s %s reveals A's party data %q", op.Method, path, secret)
						}
					}
					continue
				}
				if r.Status != http.StatusNotFound {
					t.Errorf("B %s %s = %d %s, want 404", op.Method, path, r.Status, r.Raw)
				}
			}
			for _, list := range []string{"/laws", "/bodies", "/matters", "/officers", "/benchmarks", "/grants", "/tenants", "/settings-audit", "/cases", "/accounts", "/grants/audit",
				"/documents?case_id=" + citizenCase, "/document-templates?type=penalty_decision", "/portal/inbox", "/portal/cases", "/payments/warnings"} {
				for _, who := range []string{b, bStaff, citizenB} {
					r := p.do(http.MethodGet, "/api/v1"+list, who, "", nil)
					for _, id := range []string{law, article, body, matter, officer, bench, grantID, personID, caseID, citizenCase, payCase, paymentID, docID, draft, inboxItem, `"350426"`} {
						if strings.Contains(string(r.Raw), strings.Trim(id, `"`)) && r.Status == http.StatusOK {
							t.Errorf("B's %s lists A's object %s", list, id)
						}
					}
				}
			}
			// B naming A's tenant in the header is refused outright.
			if r := p.do(http.MethodGet, "/api/v1/bodies", b, "350426", nil); r.Status != http.StatusNotFound {
				t.Errorf("B acting at A's tenant: %d", r.Status)
			}
			for prefix, id := range ids {
				if prefix == "/settings/" || prefix == "/grants/" || prefix == "/accounts/" || strings.HasPrefix(prefix, "/payments/") {
					continue
				}
				who := a
				if prefix == "/portal/cases/" {
					who = citizen
				}
				if prefix == "/portal/inbox/" {
					// the inbox is the citizen's: A's own operator does not see it either
					if r := p.do(http.MethodGet, "/api/v1"+prefix+id, a, "", nil); r.Status != http.StatusNotFound {
						t.Errorf("A's operator reads the citizen's inbox item: %d", r.Status)
					}
					who = citizen
				}
				if r := p.do(http.MethodGet, "/api/v1"+prefix+id, who, "", nil); r.Status != http.StatusOK {
					t.Errorf("A's %s%s after B's attempts: %d", prefix, id, r.Status)
				}
			}
			if after := p.do(http.MethodGet, "/api/v1/document-templates/"+draft, a, "", nil); string(after.Raw) != string(draftBefore.Raw) {
				t.Errorf("A's template draft changed:\n%s\n%s", draftBefore.Raw, after.Raw)
			}
			if r := p.do(http.MethodGet, "/api/v1/cases/"+citizenCase+"/delivery-consent", officerA, "", nil); r.Body["active"] == nil {
				t.Errorf("A's consent is gone: %s", r.Raw)
			}
			st := p.do(http.MethodGet, "/api/v1/settings", a, "", nil)
			if !strings.Contains(string(st.Raw), `"key":"cases.backfill_working_days","kind":"int","default":5,`) || !strings.Contains(string(st.Raw), `"value":4,"source":"350426"`) {
				t.Errorf("A's setting changed: %s", st.Raw)
			}
			if r := p.do(http.MethodGet, "/api/v1/cases/"+payCase+"/payments", officerA, "", nil); !strings.Contains(string(r.Raw), paymentID) {
				t.Errorf("A's payment is gone: %s", r.Raw)
			}
			if g := p.do(http.MethodGet, "/api/v1/grants", a, "", nil); !strings.Contains(string(g.Raw), grantID) {
				t.Errorf("A's grant is gone")
			}
		})
	}
}

// validResidentID completes 17 digits with the GB 11643-1999 check character.
func validResidentID(prefix string) string {
	for _, c := range "0123456789X" {
		if s := prefix + string(c); elements.ValidResidentID(s) {
			return s
		}
	}
	panic("no check digit completes " + prefix)
}
