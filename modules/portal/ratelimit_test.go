package portal_test

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/alicebob/miniredis/v2"
	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"
	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/modules/portal"
)

// TestRateLimitsConcurrent sends 20 wrong proofs at once, on both databases and on both Redis
// backends (a real redis-server, and the embedded default's miniredis): each attempt is reserved
// before its proof is checked, so exactly 5 are checked against one code and exactly 10 against
// one account (404, saying how many attempts remain); the others are refused (429) unchecked.
func TestRateLimitsConcurrent(t *testing.T) {
	t.Parallel()
	backends := map[string]func(t *testing.T) func(*portal.Config){
		"redis-server": func(*testing.T) func(*portal.Config) { return func(*portal.Config) {} },
		"miniredis": func(t *testing.T) func(*portal.Config) {
			m := miniredis.RunT(t)
			rdb := redis.NewClient(&redis.Options{Addr: m.Addr()})
			t.Cleanup(func() { rdb.Close() })
			return func(c *portal.Config) { c.Redis = rdb }
		},
	}
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		for name, backend := range backends {
			t.Run(name, func(t *testing.T) {
				w := newWorld(t, db, backend(t))
				pc := w.newCase(t, w.a, residentID())

				// One code, twenty accounts.
				// Each answer counts down what the code has left: 4, 3, 2, 1, 0.
				checked, refused := w.concurrentFailures(t, 20, func(int) (string, string) { return uuid.NewString(), pc.Code }, "锁定", 0, 1, 2, 3, 4)
				if checked != 5 || refused != 15 {
					t.Errorf("one code: %d proofs checked, %d refused; want exactly 5 checked and 15 refused", checked, refused)
				}

				// One account, twenty codes.
				acc := uuid.NewString()
				// What the account has left (9 down to 0), or what each fresh code has left (4) when fewer.
				checked, refused = w.concurrentFailures(t, 20, func(int) (string, string) { return acc, newCode(w.a) }, "查询过于频繁", 0, 1, 2, 3, 4, 4, 4, 4, 4, 4)
				if checked != 10 || refused != 10 {
					t.Errorf("one account: %d proofs checked, %d refused; want exactly 10 checked and 10 refused", checked, refused)
				}
			})
		}
	})
}

// concurrentFailures sends n wrong proofs at once, the i-th as account on code from its own
// address, and counts those checked (404 saying how many attempts are left: together, the
// counts in left) and those refused (429 whose message holds refusal, with Retry-After).
func (w *world) concurrentFailures(t *testing.T, n int, who func(i int) (account, code string), refusal string, left ...int) (checked, refused int) {
	t.Helper()
	answers := make([]answer, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		account, code := who(i)
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			answers[i] = w.lookup(account, "192.0.2."+strconv.Itoa(100+i), code, "000000")
		}()
	}
	close(start)
	wg.Wait()
	var said []int
	for i, a := range answers {
		e := a.errorOf(t)
		switch a.status {
		case http.StatusNotFound:
			checked++
			var zh, en int
			if _, err := fmt.Sscanf(e.Message.ZH, "案件不存在或身份信息不符，还可尝试 %d 次", &zh); err != nil {
				t.Errorf("proof %d: %s: the answer must say how many attempts remain", i, a.body)
			}
			if _, err := fmt.Sscanf(e.Message.EN, "case not found or identity does not match; attempts left: %d", &en); err != nil || en != zh {
				t.Errorf("proof %d: %s: the English must say the same", i, a.body)
			}
			said = append(said, zh)
		case http.StatusTooManyRequests:
			refused++
			if !strings.Contains(e.Message.ZH, refusal) || a.header.Get("Retry-After") == "" {
				t.Errorf("proof %d: %s %v: want %q with Retry-After", i, a.body, a.header, refusal)
			}
		default:
			t.Errorf("proof %d: %d %s", i, a.status, a.body)
		}
	}
	slices.Sort(said)
	if !slices.Equal(said, left) {
		t.Errorf("the answers say %v attempts left; want %v", said, left)
	}
	return checked, refused
}
