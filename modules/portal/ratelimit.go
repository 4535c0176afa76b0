package portal

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"zhifa/modules/kernel/errs"
)

// Limit is a fixed window: at most Max events per Per.
type Limit struct {
	Max int64
	Per time.Duration
}

// Limits bound case lookups so that case codes cannot be enumerated nor proofs guessed.
type Limits struct {
	// LookupsPerIP counts every lookup from a client address (default 30 per 10 minutes).
	LookupsPerIP Limit
	// FailedProofsPerAccount counts an account's failed lookups (default 10 per hour).
	FailedProofsPerAccount Limit
	// FailedProofsPerCode counts failed lookups naming a case code; past it the code is locked
	// for everyone until the window ends (default 5 per hour).
	FailedProofsPerCode Limit
}

// DefaultLimits are the limits when Config.Limits is empty.
var DefaultLimits = Limits{
	LookupsPerIP:           Limit{Max: 30, Per: 10 * time.Minute},
	FailedProofsPerAccount: Limit{Max: 10, Per: time.Hour},
	FailedProofsPerCode:    Limit{Max: 5, Per: time.Hour},
}

// RateLimitError is a refused lookup: a RateLimited *errs.Error with how long until the window
// ends, which the API sends as Retry-After.
type RateLimitError struct {
	Err        *errs.Error
	RetryAfter time.Duration
}

func (e *RateLimitError) Error() string { return e.Err.Error() }

// Unwrap returns the platform error, which the error handler renders (429).
func (e *RateLimitError) Unwrap() error { return e.Err }

// limiter keeps fixed windows in Redis: one counter per (kind, subject, window), INCR and EXPIRE
// in one round trip. Subjects (addresses, accounts, codes) are hashed, so Redis holds no case code.
// An event is counted before what it limits is done (INCR answers the count with this event in
// it, atomically), so concurrent events can never get past the limit together.
type limiter struct {
	rdb    redis.UniversalClient
	limits Limits
	now    func() time.Time
}

// window is one counted event: its counter's key, the count with the event in it, the limit,
// and the time until the window ends.
type window struct {
	key  string
	n    int64
	max  int64
	left time.Duration
}

// ok reports whether the event is within the limit.
func (w window) ok() bool { return w.n <= w.max }

// remaining is how many more events the window allows after this one.
func (w window) remaining() int64 { return max(0, w.max-w.n) }

func (l *limiter) key(kind, subject string, lim Limit) (string, time.Duration) {
	now := l.now()
	win := now.UnixNano() / int64(lim.Per)
	end := time.Unix(0, (win+1)*int64(lim.Per))
	sum := sha256.Sum256([]byte(subject))
	return "portal:rl:" + kind + ":" + hex.EncodeToString(sum[:12]) + ":" + strconv.FormatInt(win, 10), end.Sub(now)
}

// hit counts one event, before what it limits is done, and returns its window.
func (l *limiter) hit(ctx context.Context, kind, subject string, lim Limit) (window, error) {
	k, left := l.key(kind, subject, lim)
	n, err := l.add(ctx, k, 1, left)
	if err != nil {
		return window{}, err
	}
	return window{key: k, n: n, max: lim.Max, left: left}, nil
}

// release takes back an event hit counted that turned out not to be one (a proof that matched,
// or one never checked), so that it leaves room for another.
func (l *limiter) release(ctx context.Context, w window) error {
	_, err := l.add(ctx, w.key, -1, w.left)
	return err
}

// add adds by to the counter at k and keeps it until the window ends (left), in one round trip.
func (l *limiter) add(ctx context.Context, k string, by int64, left time.Duration) (int64, error) {
	if l.rdb == nil {
		return 0, unavailable()
	}
	var incr *redis.IntCmd
	_, err := l.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		incr = p.IncrBy(ctx, k, by)
		p.Expire(ctx, k, left+time.Second)
		return nil
	})
	if err != nil {
		return 0, unavailable().WithCause(fmt.Errorf("portal: rate limit: %w", err))
	}
	return incr.Val(), nil
}

func unavailable() *errs.Error {
	return errs.E(errs.Unavailable, "案件查询暂不可用，请稍后再试", "case lookup is unavailable; try again later")
}

// minutes rounds a wait up to whole minutes, for the message.
func minutes(d time.Duration) int {
	return int((d + time.Minute - 1) / time.Minute)
}

// tooMany is the refusal of a lookup past an address's or an account's limit.
func tooMany(left time.Duration) error {
	m := minutes(left)
	return &RateLimitError{RetryAfter: left, Err: errs.Ef(errs.RateLimited, "查询过于频繁，请 %d 分钟后再试", "too many lookups; try again in %d minutes", m)}
}

// codeLocked is the refusal of a lookup naming a code locked by failed proofs. Any code locks,
// whether or not a case has it, so the lock tells nothing either.
func codeLocked(left time.Duration) error {
	m := minutes(left)
	return &RateLimitError{RetryAfter: left, Err: errs.Ef(errs.RateLimited,
		"该案件编码身份核验失败次数过多，已暂时锁定，请 %d 分钟后再试", "too many failed identity checks for this case code: it is locked; try again in %d minutes", m)}
}
