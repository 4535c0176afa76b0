package disclosure_test

import (
	"fmt"
	"math/rand/v2"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"zhifa/app/apitest"
	"zhifa/app/dbtest"
	"zhifa/app/testkit"
	"zhifa/modules/disclosure"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
)

// testServer mounts the disclosure routes with apitest's stand-in authentication; every answer is
// checked against the OpenAPI document.
func testServer(t *testing.T, db *bun.DB, w *world) *testkit.Server {
	t.Helper()
	e, api := apitest.NewAPI(apitest.Auth(db))
	w.svc.Routes(api)
	srv := testkit.NewServer(t, e, api)
	srv.CheckResponses, srv.CheckErrors = true, true
	return srv
}

// TestPublicAPI is the public search and record, without login, as scenarios: published records
// only, a tenant's subtree (the root's lists everything), substring search, bad parameters 400.
func TestPublicAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		srv := testServer(t, db, w)
		a := w.publish(t, w.countyOp, w.body, "t1", person("case-1", "尤城管罚〔2025〕1号"))
		b := w.publish(t, w.siblingOp, w.siblingBody, "t2", organisation("case-2", "大城管罚〔2025〕2号"))
		gone := w.publish(t, w.countyOp, w.body, "t3", organisation("case-3", "尤城管罚〔2025〕3号"))
		_, err := w.svc.WithdrawRecord(ctx, w.head, gone.ID, disclosure.WithdrawInput{RevokedOn: "2025-09-30", Explanation: "已撤销"})
		noErr(t, err)
		w.set(t, w.countyOp, disclosure.KeyRequireHeadApproval, "true")
		pending := w.publish(t, w.countyOp, w.body, "t4", organisation("case-4", "尤城管罚〔2025〕4号"))
		list := "/api/v1/public/disclosures"
		q := func(v string) string { return list + "?" + v }
		srv.Run(t, []testkit.Scenario{
			{Name: "everything published", Method: "GET", Path: list, Status: 200, JSON: map[string]any{"total": 2}, Header: map[string]string{"Cache-Control": "public, max-age=60"},
				NotContains: []string{"尤城管罚〔2025〕3号", "尤城管罚〔2025〕4号"}},
			{Name: "the root's subtree", Method: "GET", Path: q("tenant=" + w.prov.ID), Status: 200, JSON: map[string]any{"total": 2}},
			{Name: "a county's own", Method: "GET", Path: q("tenant=" + w.county.ID), Status: 200,
				JSON: map[string]any{"total": 1, "items.0.id": a.ID, "items.0.party_name": "王小明", "items.0.party_kind": "person",
					"items.0.decision_number": "尤城管罚〔2025〕1号", "items.0.body_name": "尤溪县城市管理局", "items.0.categories": []any{"fine"},
					"items.0.decided_on": "2025-09-29", "items.0.published_on": "2025-09-30", "items.0.ends_on": "2027-09-30"}},
			{Name: "another province", Method: "GET", Path: q("tenant=" + w.other.ID), Status: 200, JSON: map[string]any{"total": 0, "items": []any{}}},
			{Name: "unknown tenant", Method: "GET", Path: q("tenant=99999"), Status: 404, Code: errs.NotFound, Fields: []string{"tenant"}},
			{Name: "substring of the party", Method: "GET", Path: q("q=" + url.QueryEscape("餐饮")), Status: 200, JSON: map[string]any{"total": 1, "items.0.id": b.ID}},
			{Name: "substring of the facts", Method: "GET", Path: q("q=" + url.QueryEscape("占道")), Status: 200, JSON: map[string]any{"total": 1, "items.0.id": a.ID}},
			{Name: "a wildcard is literal", Method: "GET", Path: q("q=" + url.QueryEscape("%")), Status: 200, JSON: map[string]any{"total": 0}},
			{Name: "by number", Method: "GET", Path: q("number=" + url.QueryEscape("大城管")), Status: 200, JSON: map[string]any{"total": 1, "items.0.id": b.ID}},
			{Name: "by party and USCC", Method: "GET", Path: q("party=" + url.QueryEscape("餐饮") + "&uscc=91350426ma2xyz1234"), Status: 200, JSON: map[string]any{"total": 1}},
			{Name: "by body", Method: "GET", Path: q("body=" + w.body.ID), Status: 200, JSON: map[string]any{"total": 1, "items.0.id": a.ID}},
			{Name: "by category", Method: "GET", Path: q("category=revocation"), Status: 200, JSON: map[string]any{"total": 1, "items.0.id": b.ID}},
			{Name: "by decision day", Method: "GET", Path: q("from=2025-09-30"), Status: 200, JSON: map[string]any{"total": 0}},
			{Name: "a page past the end", Method: "GET", Path: q("page=2"), Status: 200, JSON: map[string]any{"total": 2, "items": []any{}}},
			{Name: "bad page", Method: "GET", Path: q("page=0"), Status: 400, Code: errs.Invalid, Fields: []string{"page"}},
			{Name: "bad date", Method: "GET", Path: q("from=2025-02-30"), Status: 400, Code: errs.Invalid, Fields: []string{"from"}},
			{Name: "bad category", Method: "GET", Path: q("category=prison"), Status: 400, Code: errs.Invalid, Fields: []string{"category"}},
			{Name: "a term too long", Method: "GET", Path: q("q=" + strings.Repeat("字", 101)), Status: 400, Code: errs.Invalid, Fields: []string{"q"}},
			{Name: "a record with its history", Method: "GET", Path: list + "/" + b.ID, Status: 200,
				JSON: map[string]any{"id": b.ID, "party_uscc": "91350426MA2XYZ1234", "state": "published", "history.0.from": "", "history.0.to": "published",
					"content": "罚款人民币150000.00元；吊销许可证件", "credit_ends_on": "2028-09-29"},
				NotContains: []string{"6222021234567890123", "刘一", "0598-6321234"}},
			{Name: "a withdrawn record", Method: "GET", Path: list + "/" + gone.ID, Status: 404, Code: errs.NotFound},
			{Name: "a pending record", Method: "GET", Path: list + "/" + pending.ID, Status: 404, Code: errs.NotFound},
			{Name: "a malformed id", Method: "GET", Path: list + "/x", Status: 404, Code: errs.NotFound},
			{Name: "an officer cannot approve", Caller: testkit.Role(w.county, authz.Officer, w.body.ID), Method: "POST",
				Path: "/api/v1/disclosures/" + pending.ID + "/approve", Body: `{}`, Status: 403, Code: errs.Forbidden},
			{Name: "the review shows the originals", Caller: testkit.Role(w.county, authz.Officer, w.body.ID), Method: "GET", Path: "/api/v1/disclosures/" + a.ID,
				Status: 200, Contains: []string{"350102198503120016"}},
			{Name: "the sibling's head cannot approve", Caller: testkit.Role(w.sibling, authz.BodyHead, w.siblingBody.ID), Method: "POST",
				Path: "/api/v1/disclosures/" + pending.ID + "/approve", Body: `{}`, Status: 404, Code: errs.NotFound},
			{Name: "the head approves", Caller: testkit.Role(w.county, authz.BodyHead, w.body.ID), Method: "POST",
				Path: "/api/v1/disclosures/" + pending.ID + "/approve", Body: `{"mask_names":["刘一"]}`, Status: 200, JSON: map[string]any{"state": "published"}},
			{Name: "a withdrawal needs its explanation", Caller: testkit.Role(w.county, authz.BodyHead, w.body.ID), Method: "POST",
				Path: "/api/v1/disclosures/" + a.ID + "/withdraw", Body: `{"revoked_on":"2025-09-30"}`, Status: 400, Code: errs.Invalid, Fields: []string{"explanation"}},
			{Name: "an early end before the minimum", Caller: testkit.Role(w.county, authz.BodyHead, w.body.ID), Method: "POST",
				Path: "/api/v1/disclosures/" + a.ID + "/end", Body: `{"explanation":"信用修复"}`, Status: 422, Code: errs.FailedPrecondition},
		})
	})
}

// idPattern is a resident identity number (GB 11643-1999: area, birth date, sequence, check).
var idPattern = regexp.MustCompile(`[1-9][0-9]{5}(18|19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx]`)

// TestPublicNeverShowsIdentity is a property test: for decisions whose parties, facts and basis
// carry random identity numbers and phone numbers, no answer of the public API contains an
// identity-number pattern or a party's phone.
func TestPublicNeverShowsIdentity(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		srv := testServer(t, db, w)
		rng := rand.New(rand.NewPCG(12, 48))
		var phones []string
		for i := range 40 {
			born := fmt.Sprintf("%04d%02d%02d", 1950+rng.IntN(55), 1+rng.IntN(12), 1+rng.IntN(28))
			id := testkit.ResidentIDBorn(rng.IntN(1000), born)
			phone := fmt.Sprintf("1%d%09d", 3+rng.IntN(7), rng.IntN(1e9))
			other := testkit.ResidentIDBorn(rng.IntN(1000), born)
			phones = append(phones, phone)
			p := person(fmt.Sprintf("case-%d", i), fmt.Sprintf("尤城管罚〔2025〕%d号", i))
			if i%2 == 1 {
				p = organisation(fmt.Sprintf("case-%d", i), fmt.Sprintf("尤城管罚〔2025〕%d号", i))
			}
			p.Party.Phone, p.Party.IDNumber = phone, id
			p.Facts = fmt.Sprintf("当事人（%s，手机%s；邻居证件号%s）%s违法经营。", id, phone, strings.ToLower(other), []string{"", "联系", "电话："}[i%3])
			p.Penalty.Basis = "依据第三十四条，联系" + phone
			w.publish(t, w.countyOp, w.body, "", p)
		}
		check := func(path string) {
			r := srv.Do(t, testkit.Scenario{Name: path, Method: "GET", Path: path, Status: 200})
			if m := idPattern.FindString(r.Text()); m != "" {
				t.Errorf("%s shows an identity number %s", path, m)
			}
			for _, ph := range phones {
				if strings.Contains(r.Text(), ph) {
					t.Errorf("%s shows a party's phone %s", path, ph)
				}
			}
		}
		for page := 1; page <= 2; page++ {
			check(fmt.Sprintf("/api/v1/public/disclosures?page=%d", page))
		}
		page, err := w.svc.Search(ctx, disclosure.Query{Page: 1})
		noErr(t, err)
		for _, it := range page.Items {
			check("/api/v1/public/disclosures/" + it.ID)
		}
	})
}
