package portal

import (
	"context"
	"fmt"
	"time"

	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/ratelimit"
)

// Limit is a fixed window: at most Max events per Per.
type Limit = ratelimit.Limit

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

// limiter is the portal's counters (package ratelimit, under portal:rl) with its limits.
type limiter struct {
	*ratelimit.Limiter
	limits Limits
}

// hit counts one event, before what it limits is done; without Redis the lookup is unavailable.
func (l *limiter) hit(ctx context.Context, kind, subject string, lim Limit) (ratelimit.Window, error) {
	w, err := l.Hit(ctx, kind, subject, lim)
	if err != nil {
		return w, unavailable().WithCause(fmt.Errorf("portal: rate limit: %w", err))
	}
	return w, nil
}

func unavailable() *errs.Error {
	return errs.E(errs.Unavailable, "案件查询暂不可用，请稍后再试", "case lookup is unavailable; try again later")
}

// tooMany is the refusal of a lookup past an address's or an account's limit.
func tooMany(w ratelimit.Window) error {
	left, m := w.Left, w.Minutes()
	return &RateLimitError{RetryAfter: left, Err: errs.Ef(errs.RateLimited, "查询过于频繁，请 %d 分钟后再试", "too many lookups; try again in %d minutes", m)}
}

// codeLocked is the refusal of a lookup naming a code locked by failed proofs. Any code locks,
// whether or not a case has it, so the lock tells nothing either.
func codeLocked(w ratelimit.Window) error {
	left, m := w.Left, w.Minutes()
	return &RateLimitError{RetryAfter: left, Err: errs.Ef(errs.RateLimited,
		"该案件编码身份核验失败次数过多，已暂时锁定，请 %d 分钟后再试", "too many failed identity checks for this case code: it is locked; try again in %d minutes", m)}
}
