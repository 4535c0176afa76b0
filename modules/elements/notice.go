package elements

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// CertificateNotice is a body's certificate notice of one day (执法证到期提醒) to its
// administrators: the officers whose certificates expire within the warning window
// (SettingExpiryWarnDays), and those whose certificates have expired while still recorded as
// valid. A body has at most one notice a day, and none on a day with nothing to list.
// CreatedAt is when the day's notice was first written.
type CertificateNotice struct {
	bun.BaseModel `bun:"table:certificate_notices,alias:cn"`

	ID        string          `bun:"id,pk" json:"id"`
	TenantID  string          `bun:"tenant_id,notnull" json:"tenant_id"`
	BodyID    string          `bun:"body_id,notnull" json:"body_id"`
	On        civil.Date      `bun:"notice_on,notnull" json:"on"`
	WarnDays  int             `bun:"warn_days,notnull" json:"warn_days"`
	Expiring  int             `bun:"expiring,notnull" json:"expiring"`
	Expired   int             `bun:"expired,notnull" json:"expired"`
	Officers  []NoticeOfficer `bun:"officers,notnull" json:"officers"` // expired first, then by expiry
	CreatedAt time.Time       `bun:"created_at,notnull" json:"created_at"`
}

// NoticeOfficer is an officer a certificate notice names, with the certificate's state on the
// notice's day.
type NoticeOfficer struct {
	OfficerID  string     `json:"officer_id"`
	Name       string     `json:"name"`
	CertNumber string     `json:"cert_number"`
	ExpiresOn  civil.Date `json:"expires_on"`
	State      CertState  `json:"state"` // expiring or expired
	DaysLeft   int        `json:"days_left"`
}

// CertificateNoticeList is the certificate notices of a day.
type CertificateNoticeList struct {
	On      civil.Date          `json:"on"`
	Notices []CertificateNotice `json:"notices"`
}

// RecordCertificateNotices writes day on's certificate notices of the scope's tenant, one for
// each body that has officers to name, and returns them. A body keeps one notice a day: a later
// run rewrites it with what the certificates are then (CreatedAt and ID stay), and removes it
// when nothing is left to name, so that running it again changes nothing unless the certificates
// did. Needs officers.write (the daily task acts as the tenant's operator). Returns Invalid (a
// bad day) or Forbidden.
func (s *Service) RecordCertificateNotices(ctx context.Context, sc tenants.Scope, on civil.Date) ([]CertificateNotice, error) {
	if err := mayCreate(sc, authz.OfficersWrite); err != nil {
		return nil, err
	}
	if !on.Valid() {
		return nil, badDate("on")
	}
	return inTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) ([]CertificateNotice, error) {
		warn, err := s.expiryWarnDays(ctx, tx, sc)
		if err != nil {
			return nil, err
		}
		var due []Officer
		if err := tenants.Own(sc, tx.NewSelect().Model(&due)).
			Where(lapsing, lapsingArgs(on, warn)...).
			OrderExpr("o.body_id, o.cert_expires_on, o.name, o.id").Scan(ctx); err != nil {
			return nil, err
		}
		written := []CertificateNotice{}
		var bodies []string
		for rest := due; len(rest) > 0; {
			n := 1 // the officers of rest[0]'s body, who come together
			for n < len(rest) && rest[n].BodyID == rest[0].BodyID {
				n++
			}
			notice := newNotice(sc.TenantID(), rest[0].BodyID, on, warn, rest[:n], s.stamp())
			if _, err := tx.NewInsert().Model(notice).
				On("CONFLICT (tenant_id, body_id, notice_on) DO UPDATE").
				Set("warn_days = EXCLUDED.warn_days, expiring = EXCLUDED.expiring, expired = EXCLUDED.expired, officers = EXCLUDED.officers").
				Returning("id, created_at").Exec(ctx); err != nil {
				return nil, err
			}
			written, bodies = append(written, *notice), append(bodies, notice.BodyID)
			rest = rest[n:]
		}
		q := tenants.Own(sc, tx.NewDelete().Model((*CertificateNotice)(nil))).Where("notice_on = ?", on)
		if len(bodies) > 0 {
			q = q.Where("body_id NOT IN (?)", bun.In(bodies))
		}
		_, err = q.Exec(ctx)
		return written, err
	})
}

// newNotice builds the notice of a body's officers (all of one body, by expiry) on day on.
func newNotice(tenantID, bodyID string, on civil.Date, warn int, officers []Officer, now time.Time) *CertificateNotice {
	n := &CertificateNotice{ID: dbx.NewID(), TenantID: tenantID, BodyID: bodyID, On: on, WarnDays: warn, CreatedAt: now}
	for _, o := range officers {
		c := o.Certificate.Standing(on, warn)
		n.Officers = append(n.Officers, NoticeOfficer{OfficerID: o.ID, Name: o.Name, CertNumber: c.Number, ExpiresOn: c.ExpiresOn,
			State: c.State, DaysLeft: *c.DaysLeft})
		if c.State == StateExpired {
			n.Expired++
		} else {
			n.Expiring++
		}
	}
	return n
}

// CertificateNotices returns day on's certificate notices (today's when on is empty) of the
// bodies the scope administers: every body for a tenant operator, its own bodies for a body's
// administrator. Needs officers.write. Returns Invalid (a bad day) or Forbidden.
func (s *Service) CertificateNotices(ctx context.Context, sc tenants.Scope, on civil.Date) (*CertificateNoticeList, error) {
	switch {
	case !sc.Valid():
		return nil, tenants.ErrNoScope
	case !sc.Can(authz.OfficersWrite):
		return nil, errs.ErrForbidden.WithOp(string(authz.OfficersWrite))
	}
	if on == "" {
		on = s.today()
	} else if !on.Valid() {
		return nil, badDate("on")
	}
	out := &CertificateNoticeList{On: on, Notices: []CertificateNotice{}}
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		var all []CertificateNotice
		if err := tenants.Own(sc, tx.NewSelect().Model(&all)).Where("cn.notice_on = ?", on).OrderExpr("cn.body_id").Scan(ctx); err != nil {
			return err
		}
		for _, n := range all {
			if sc.ActsFor(n.BodyID) {
				out.Notices = append(out.Notices, n)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
