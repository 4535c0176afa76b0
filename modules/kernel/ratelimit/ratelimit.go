// Package ratelimit counts events in fixed windows kept in Redis, so that every process of a
// deployment shares one count: the portal's case lookups and proofs, the sign-in attempts that
// reach the identity service. An event is counted before what it limits is done (INCR answers the
// count with this event in it, atomically), so concurrent events can never get past a limit
// together; an event that turns out not to count is released. Subjects (addresses, accounts,
// codes) are hashed, so Redis holds none of them.
package ratelimit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/redis/go-redis/v9"

	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/httpx"
)

// Limit is a fixed window: at most Max events per Per.
type Limit struct {
	Max int64
	Per time.Duration
}

// Limiter keeps the windows of its key prefix in Redis.
type Limiter struct {
	rdb    redis.UniversalClient
	prefix string
	now    func() time.Time
}

// New returns a limiter whose counters are named prefix:<kind>:<hash>:<window>. rdb nil: every
// Hit fails with ErrNoStore. now nil: the wall clock.
func New(rdb redis.UniversalClient, prefix string, now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	return &Limiter{rdb: rdb, prefix: prefix, now: now}
}

// ErrNoStore is returned when the limiter has no Redis to count in.
var ErrNoStore = fmt.Errorf("ratelimit: no store")

// Window is one counted event: its counter's key, the count with the event in it, the limit,
// and the time until the window ends.
type Window struct {
	key  string
	N    int64
	Max  int64
	Left time.Duration
}

// OK reports whether the event is within the limit.
func (w Window) OK() bool { return w.N <= w.Max }

// Remaining is how many more events the window allows after this one.
func (w Window) Remaining() int64 { return max(0, w.Max-w.N) }

// Minutes is the time until the window ends, rounded up to whole minutes, for a message.
func (w Window) Minutes() int { return int((w.Left + time.Minute - 1) / time.Minute) }

func (l *Limiter) key(kind, subject string, lim Limit) (string, time.Duration) {
	now := l.now()
	win := now.UnixNano() / int64(lim.Per)
	end := time.Unix(0, (win+1)*int64(lim.Per))
	sum := sha256.Sum256([]byte(subject))
	return l.prefix + ":" + kind + ":" + hex.EncodeToString(sum[:12]) + ":" + strconv.FormatInt(win, 10), end.Sub(now)
}

// Hit counts one event of kind by subject, before what it limits is done, and returns its window.
func (l *Limiter) Hit(ctx context.Context, kind, subject string, lim Limit) (Window, error) {
	k, left := l.key(kind, subject, lim)
	n, err := l.add(ctx, k, 1, left)
	if err != nil {
		return Window{}, err
	}
	return Window{key: k, N: n, Max: lim.Max, Left: left}, nil
}

// Release takes back an event Hit counted that turned out not to be one, so that it leaves room
// for another.
func (l *Limiter) Release(ctx context.Context, w Window) error {
	_, err := l.add(ctx, w.key, -1, w.Left)
	return err
}

// add adds by to the counter at k and keeps it until the window ends (left), in one round trip.
func (l *Limiter) add(ctx context.Context, k string, by int64, left time.Duration) (int64, error) {
	if l.rdb == nil {
		return 0, ErrNoStore
	}
	var incr *redis.IntCmd
	_, err := l.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		incr = p.IncrBy(ctx, k, by)
		p.Expire(ctx, k, left+time.Second)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("ratelimit: %w", err)
	}
	return incr.Val(), nil
}

// Allow counts one request of kind from the client's address (httpx.ClientIP) against lim and,
// past it, sets Retry-After and returns a RateLimited error in both languages. Without a store to
// count in (Redis down) the request is allowed and the failure logged: a public read must not go
// dark with the limiter.
func (l *Limiter) Allow(c echo.Context, kind string, lim Limit) error {
	w, err := l.Hit(c.Request().Context(), kind, httpx.ClientIP(c), lim)
	if err != nil {
		slog.WarnContext(c.Request().Context(), "rate limit not counted", "kind", kind, "err", err)
		return nil
	}
	if w.OK() {
		return nil
	}
	c.Response().Header().Set("Retry-After", strconv.Itoa(int(w.Left.Seconds())+1))
	return errs.Ef(errs.RateLimited, "请求过于频繁，请 %d 分钟后再试", "too many requests; try again in %d minutes", w.Minutes())
}
