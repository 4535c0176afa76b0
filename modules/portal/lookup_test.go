package portal_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/portal"
)

// TestLookup: the right code and proof find the case (the proof case-insensitive, the code as
// typed with spaces and in lower case); a wrong code, a code of the right form naming no case, a
// code naming another tenant, and a wrong proof all get the same answer, which never says whether
// the code exists; the found case is the account's from then on.
func TestLookup(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		key := residentID()
		pc := w.newCase(t, w.a, key)
		acc := uuid.NewString()

		a := w.lookup(acc, "198.51.100.7", " "+strings.ToLower(pc.Code)+" ", strings.ToLower(key[len(key)-6:]))
		if a.status != http.StatusOK {
			t.Fatalf("right code and proof: %d %s", a.status, a.body)
		}
		var got portal.LookupReply
		a.json(t, &got)
		if got.Case.ID != pc.ID || got.Case.Code != pc.Code || strings.Contains(string(a.body), key) {
			t.Fatalf("found %+v (the party's key must never be sent)", got)
		}

		other := w.newCase(t, w.b, residentID())
		var first string
		failures := map[string]int64{} // per code: each failure counts against the code (5 an hour)
		for name, c := range map[string]struct{ code, proof string }{
			"wrong proof":             {pc.Code, "000000"},
			"proof of another case":   {pc.Code, other.PartyKey[len(other.PartyKey)-6:]},
			"code of no case":         {newCode(w.a), key[len(key)-6:]},
			"code of no tenant":       {"ZF999999-2025-0123456789A", key[len(key)-6:]},
			"not a code":              {"ZF-NOTHING", key[len(key)-6:]},
			"code named at the other": {strings.Replace(other.Code, w.b.ID, w.a.ID, 1), other.PartyKey[len(other.PartyKey)-6:]},
		} {
			a := w.lookup(uuid.NewString(), "198.51.100.8", c.code, c.proof)
			e := a.errorOf(t)
			failures[c.code]++
			left := strconv.FormatInt(5-failures[c.code], 10)
			if a.status != http.StatusNotFound || e.Code != errs.NotFound || e.Message.ZH != "案件不存在或身份信息不符，还可尝试 "+left+" 次" ||
				e.Message.EN != "case not found or identity does not match; attempts left: "+left || len(e.Fields) != 0 {
				t.Errorf("%s: %d %s", name, a.status, a.body)
			}
			// The same answer but for the attempts left, which count failures on the code, not cases.
			body := strings.ReplaceAll(string(a.body[:strings.Index(string(a.body), `"request_id"`)]), left, "N")
			if first == "" {
				first = body
			} else if body != first {
				t.Errorf("%s answers %s, another failure %s: the answers must be the same", name, body, first)
			}
		}

		for _, bad := range []portal.LookupInput{{Code: "", Proof: "123456"}, {Code: pc.Code, Proof: "12345"}, {Code: pc.Code, Proof: "12345?"}} {
			a := w.call("POST", "/api/v1/portal/lookup", acc, "198.51.100.9", bad)
			if a.status != http.StatusBadRequest {
				t.Errorf("%+v: %d %s", bad, a.status, a.body)
			}
		}
		if a := w.lookup("", "198.51.100.9", pc.Code, key[len(key)-6:]); a.status != http.StatusUnauthorized {
			t.Errorf("signed out: %d", a.status)
		}

		var mine portal.MyCasesReply
		w.call("GET", "/api/v1/portal/cases", acc, "", nil).json(t, &mine)
		if len(mine.Cases) != 1 || mine.Cases[0].ID != pc.ID {
			t.Fatalf("my cases %+v", mine)
		}
	})
}

// TestClaimsFence: only the account that proved sees the case; another account gets 404 on every
// operation, as it does for a case that does not exist, and sees nothing under "my cases".
func TestClaimsFence(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		pc := w.newCase(t, w.a, residentID())
		owner, stranger := uuid.NewString(), uuid.NewString()
		w.claim(t, owner, pc)
		if a := w.call("GET", "/api/v1/portal/cases/"+pc.ID, owner, "", nil); a.status != http.StatusOK {
			t.Fatalf("owner: %d %s", a.status, a.body)
		}
		base := "/api/v1/portal/cases/" + pc.ID
		for _, r := range []struct {
			method, path string
			body         any
		}{
			{"GET", base, nil},
			{"GET", base + "/documents/" + pc.Documents[0].ID + "/pdf", nil},
			{"POST", base + "/consent", portal.ConsentInput{Channels: nil}},
			{"POST", base + "/evaluation", portal.EvaluationInput{Rating: 9}},
			{"GET", base + "/reconsideration/draft", nil},
			{"POST", base + "/reconsideration", portal.ApplicationInput{}},
			{"GET", base + "/reconsideration", nil},
			{"GET", base + "/reconsideration/pdf", nil},
			{"GET", base + "/quote", nil},
			{"POST", base + "/checkout", nil},
			{"GET", base + "/payments", nil},
			{"GET", "/api/v1/portal/cases/not-an-id", nil},
		} {
			if a := w.call(r.method, r.path, stranger, "", r.body); a.status != http.StatusNotFound {
				t.Errorf("stranger %s %s: %d %s", r.method, r.path, a.status, a.body)
			}
		}
		var mine portal.MyCasesReply
		w.call("GET", "/api/v1/portal/cases", stranger, "", nil).json(t, &mine)
		if len(mine.Cases) != 0 {
			t.Errorf("the stranger's cases: %+v", mine)
		}
		if a := w.call("GET", "/portal/cases/"+pc.ID, stranger, "", nil, "Accept", "text/html"); a.status != http.StatusNotFound {
			t.Errorf("the stranger's case page: %d", a.status)
		}
		if a := w.call("GET", "/api/v1/portal/cases/"+pc.ID+"/documents/"+uuid.NewString()+"/pdf", owner, "", nil); a.status != http.StatusNotFound {
			t.Errorf("another document: %d", a.status)
		}
		a := w.call("GET", "/api/v1/portal/cases/"+pc.ID+"/documents/"+pc.Documents[0].ID+"/pdf", owner, "", nil)
		if a.status != http.StatusOK || a.header.Get("Content-Type") != "application/pdf" || !strings.Contains(a.header.Get("Content-Disposition"), "attachment") {
			t.Errorf("the owner's document: %d %v", a.status, a.header)
		}
	})
}

// TestRateLimits runs the fixed windows on a real redis-server: 30 lookups per address in 10
// minutes; 10 failed proofs per account in an hour; 5 failed proofs per case code in an hour,
// after which the code is locked even for the right proof. Each refusal is 429 with its message
// in both languages and Retry-After.
func TestRateLimits(t *testing.T) {
	t.Parallel()
	w := newWorld(t, dbtest.SQLite(t))
	key := residentID()
	pc := w.newCase(t, w.a, key)
	proof := key[len(key)-6:]

	// Per address: every lookup counts, right or wrong.
	for i := range 30 {
		if a := w.lookup(uuid.NewString(), "203.0.113.1", newCode(w.a), "000000"); a.status != http.StatusNotFound {
			t.Fatalf("lookup %d from the address: %d %s", i+1, a.status, a.body)
		}
	}
	a := w.lookup(uuid.NewString(), "203.0.113.1", pc.Code, proof)
	wantLimited(t, a, "查询过于频繁")
	if a := w.lookup(uuid.NewString(), "203.0.113.2", pc.Code, proof); a.status != http.StatusOK {
		t.Fatalf("another address: %d %s", a.status, a.body)
	}

	// Per account: failures count, across codes and addresses.
	acc := uuid.NewString()
	for i := range 10 {
		if a := w.lookup(acc, "203.0.113."+strconv.Itoa(10+i), newCode(w.a), "000000"); a.status != http.StatusNotFound {
			t.Fatalf("failure %d of the account: %d", i+1, a.status)
		}
	}
	wantLimited(t, w.lookup(acc, "203.0.113.30", pc.Code, proof), "查询过于频繁")

	// Per code: five failures lock it for everyone, the right proof included.
	for i := range 5 {
		if a := w.lookup(uuid.NewString(), "203.0.113."+strconv.Itoa(40+i), pc.Code, "00000"+strconv.Itoa(i)); a.status != http.StatusNotFound {
			t.Fatalf("failure %d on the code: %d", i+1, a.status)
		}
	}
	wantLimited(t, w.lookup(uuid.NewString(), "203.0.113.50", pc.Code, proof), "锁定")
	// A code that names no case locks the same way: the lock says nothing either.
	ghost := newCode(w.a)
	for i := range 5 {
		w.lookup(uuid.NewString(), "203.0.113."+strconv.Itoa(60+i), ghost, "000000")
	}
	wantLimited(t, w.lookup(uuid.NewString(), "203.0.113.70", ghost, "000000"), "锁定")
	// Another code is not locked.
	other := w.newCase(t, w.a, residentID())
	if a := w.lookup(uuid.NewString(), "203.0.113.71", other.Code, other.PartyKey[12:]); a.status != http.StatusOK {
		t.Fatalf("another code: %d %s", a.status, a.body)
	}
	// The window ends: the code opens again.
	w.clock.Advance(61 * 60 * 1e9)
	if a := w.lookup(uuid.NewString(), "203.0.113.72", pc.Code, proof); a.status != http.StatusOK {
		t.Fatalf("after the hour: %d %s", a.status, a.body)
	}
}

func wantLimited(t *testing.T, a answer, zh string) {
	t.Helper()
	e := a.errorOf(t)
	ra, err := strconv.Atoi(a.header.Get("Retry-After"))
	if a.status != http.StatusTooManyRequests || e.Code != errs.RateLimited || !strings.Contains(e.Message.ZH, zh) || !strings.Contains(e.Message.EN, "try again in") ||
		err != nil || ra <= 0 || ra > 3600 {
		t.Fatalf("want 429 (%s) with Retry-After: %d %v %s", zh, a.status, a.header, a.body)
	}
}
