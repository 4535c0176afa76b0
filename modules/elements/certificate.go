package elements

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// CertState is what a certificate allows on a given day, computed from the status an authority
// set (Certificate.Status) and the certificate's period; lists show it and the case engine checks
// it for every officer a step names. It is never stored.
type CertState string

// The states of a certificate on a day.
const (
	StateValid     CertState = "valid"         // 有效
	StateExpiring  CertState = "expiring"      // 即将到期: valid, expiring within the warning window
	StateExpired   CertState = "expired"       // 已过期: after ExpiresOn
	StateNotYet    CertState = "not_yet_valid" // 未生效: before IssuedOn
	StateSuspended CertState = "suspended"     // 暂扣
	StateRevoked   CertState = "revoked"       // 吊销/注销
	StateNone      CertState = "none"          // 未持证
)

// Usable reports whether an officer whose certificate is in state s may enforce: valid or
// expiring.
func (s CertState) Usable() bool { return s == StateValid || s == StateExpiring }

// SettingExpiryWarnDays is the tenant setting of how many days before its expiry a certificate
// counts as expiring (即将到期): the officer lists flag it and the daily notice names it.
const SettingExpiryWarnDays = "elements.certificate_expiry_warn_days"

// DefaultExpiryWarnDays is the platform default of SettingExpiryWarnDays; MaxExpiryWarnDays its
// upper bound.
const (
	DefaultExpiryWarnDays = 30
	MaxExpiryWarnDays     = 365
)

// Settings lists the elements module's settings.
func Settings() []tenants.SettingDef {
	return []tenants.SettingDef{{Key: SettingExpiryWarnDays, Kind: tenants.KindInt, Default: DefaultExpiryWarnDays,
		Min: tenants.Int64(1), Max: tenants.Int64(MaxExpiryWarnDays),
		Title: errs.Msg{ZH: "执法证到期提醒天数（到期日前，含当日）", EN: "days before a certificate's expiry that it is flagged as expiring"}}}
}

// StateOn returns the state of c on day d, counting the warn days before ExpiresOn (and the
// expiry day itself) as expiring: a revoked or suspended status wins, then no certificate, then
// expired (after ExpiresOn) or not yet valid (before IssuedOn), then expiring, else valid.
func (c Certificate) StateOn(d civil.Date, warnDays int) CertState {
	switch {
	case c.Number == "":
		return StateNone
	case c.Status == CertRevoked:
		return StateRevoked
	case c.Status != CertValid:
		return StateSuspended
	case d.After(c.ExpiresOn):
		return StateExpired
	case d.Before(c.IssuedOn):
		return StateNotYet
	case c.daysLeft(d) <= warnDays:
		return StateExpiring
	}
	return StateValid
}

// daysLeft returns the calendar days from d to ExpiresOn: 0 on the expiry day, negative after it.
func (c Certificate) daysLeft(d civil.Date) int {
	return int(c.ExpiresOn.Time().Sub(d.Time()).Round(time.Hour).Hours() / 24)
}

// Standing returns c with its state on day d filled in (State, On and, for a certificate with a
// period, DaysLeft), for the API.
func (c Certificate) Standing(d civil.Date, warnDays int) Certificate {
	c.State, c.On, c.DaysLeft = c.StateOn(d, warnDays), d, nil
	if c.Number != "" && c.ExpiresOn.Valid() {
		n := c.daysLeft(d)
		c.DaysLeft = &n
	}
	return c
}

// Explain says, in Chinese and English, what certificate c allows on day d: the reason a step
// that needs a certified officer is refused.
func (c Certificate) Explain(d civil.Date) errs.Msg {
	switch c.StateOn(d, 0) {
	case StateNone:
		return errs.Msg{ZH: "未持执法证", EN: "holds no certificate"}
	case StateRevoked:
		return errs.Msg{ZH: "执法证 " + c.Number + " 已吊销或注销", EN: "certificate " + c.Number + " is revoked"}
	case StateSuspended:
		return errs.Msg{ZH: "执法证 " + c.Number + " 已暂扣", EN: "certificate " + c.Number + " is suspended"}
	case StateExpired:
		return errs.Msg{ZH: "执法证 " + c.Number + " 已于 " + string(c.ExpiresOn) + " 到期", EN: "certificate " + c.Number + " expired on " + string(c.ExpiresOn)}
	case StateNotYet:
		return errs.Msg{ZH: "执法证 " + c.Number + " 自 " + string(c.IssuedOn) + " 起有效", EN: "certificate " + c.Number + " is valid only from " + string(c.IssuedOn)}
	}
	return errs.Msg{ZH: "执法证 " + c.Number + " 有效至 " + string(c.ExpiresOn), EN: "certificate " + c.Number + " is valid until " + string(c.ExpiresOn)}
}

// expiryWarnDays resolves SettingExpiryWarnDays for the scope's tenant inside tx.
func (s *Service) expiryWarnDays(ctx context.Context, tx bun.IDB, sc tenants.Scope) (int, error) {
	n := DefaultExpiryWarnDays
	if err := s.settings.SettingValue(ctx, tx, sc, "", SettingExpiryWarnDays, &n); err != nil {
		return 0, err
	}
	return n, nil
}

// lapsing is the condition on officers (alias o) whose certificates, recorded as valid and issued
// by day on (the first argument), expire by the second (on plus the warning window): they have
// expired, or are expiring. lapsingArgs gives its arguments.
const lapsing = "o.cert_number IS NOT NULL AND o.cert_status = ? AND o.cert_issued_on <= ? AND o.cert_expires_on <= ?"

func lapsingArgs(on civil.Date, warnDays int) []any {
	return []any{CertValid, on, addDays(on, warnDays)}
}

// addDays returns d plus n calendar days.
func addDays(d civil.Date, n int) civil.Date { return civil.DateOf(d.Time().AddDate(0, 0, n)) }
