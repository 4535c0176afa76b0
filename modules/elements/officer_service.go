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

var officerUniques = []unique{
	{pg: "officers_id_number_key", lite: "officers.id_number", field: "id_number",
		zh: "该身份证号已登记为执法人员（一人一证）", en: "this identity number is already registered as an officer (one person, one certificate)"},
	{pg: "officers_cert_number_key", lite: "officers.cert_number", field: "certificate.number",
		zh: "该执法证号已被使用", en: "this certificate number is already used"},
	{pg: "officers_identity_id_key", lite: "officers.identity_id", field: "identity_id",
		zh: "该账号已关联其他执法人员", en: "this account is already linked to another officer"},
}

// Officers lists the scope's tenant's officers with identity numbers masked and each
// certificate's state on the filter's day (today by default): first those whose certificates
// have expired while still recorded as valid, then those expiring within SettingExpiryWarnDays
// (each group soonest first), then those who cannot enforce for another reason (suspended,
// revoked, not yet valid, no certificate), then the valid ones; by name within a group. Any staff
// role. Returns Invalid for a bad filter.
func (s *Service) Officers(ctx context.Context, sc tenants.Scope, f OfficerFilter) ([]Officer, int, error) {
	var p problems
	if f.BodyID != "" && !dbx.ValidID(f.BodyID) {
		p.add("body_id", "须为 UUID", "must be a UUID")
	}
	if f.CertStatus != "" && !f.CertStatus.Valid() {
		p.add("cert_status", "须为 valid、suspended 或 revoked", "must be valid, suspended or revoked")
	}
	if f.ValidOn != "" && !f.ValidOn.Valid() {
		p.add("valid_on", "须为日期 YYYY-MM-DD", "must be a date YYYY-MM-DD")
	}
	if f.On == "" {
		f.On = s.today()
	} else if !f.On.Valid() {
		p.add("on", "须为日期 YYYY-MM-DD", "must be a date YYYY-MM-DD")
	}
	if err := p.err("查询条件有误", "invalid filter"); err != nil {
		return nil, 0, err
	}
	var out []Officer
	var n int
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		warn, err := s.expiryWarnDays(ctx, tx, sc)
		if err != nil {
			return err
		}
		q := likeAny(tenants.Own(sc, tx.NewSelect().Model(&out)), f.Q, "o.name", "o.cert_number")
		if f.BodyID != "" {
			q = q.Where("o.body_id = ?", f.BodyID)
		}
		if f.CertStatus != "" {
			q = q.Where("o.cert_status = ?", f.CertStatus)
		}
		if f.ValidOn != "" {
			q = certValidOn(q, f.ValidOn)
		}
		if n, err = scanPage(ctx, byStanding(q, f.On, warn), f.Page.norm()); err != nil {
			return err
		}
		for i := range out {
			out[i] = out[i].masked()
			out[i].Certificate = out[i].Certificate.Standing(f.On, warn)
		}
		return nil
	})
	return out, n, err
}

// byStanding orders officers as Officers lists them on day on, with warn days of warning.
func byStanding(q *bun.SelectQuery, on civil.Date, warn int) *bun.SelectQuery {
	args := lapsingArgs(on, warn)
	return q.OrderExpr(`CASE WHEN `+lapsing+` THEN (CASE WHEN o.cert_expires_on < ? THEN 0 ELSE 1 END)
		WHEN o.cert_number IS NOT NULL AND o.cert_status = ? AND o.cert_issued_on <= ? THEN 3 ELSE 2 END`,
		append(args, on, CertValid, on)...).
		OrderExpr(`CASE WHEN `+lapsing+` THEN o.cert_expires_on ELSE '' END`, args...).
		OrderExpr("o.name, o.id")
}

func certValidOn(q *bun.SelectQuery, d civil.Date) *bun.SelectQuery {
	return q.Where("o.cert_number IS NOT NULL AND o.cert_status = ? AND o.cert_issued_on <= ? AND o.cert_expires_on >= ?", CertValid, d, d)
}

// FindOfficer returns an officer of the scope's tenant. The identity number is shown in full only
// to a scope that may write the officer (officers.write, for its body); others see it masked. The
// certificate carries its state today. Returns Invalid or NotFound.
func (s *Service) FindOfficer(ctx context.Context, sc tenants.Scope, id string) (*Officer, error) {
	if err := checkID("id", id); err != nil {
		return nil, err
	}
	return s.findOfficerWhere(ctx, sc, "o.id = ?", id)
}

// FindOfficerByIdentity returns the officer of the scope's tenant linked to an identity (the
// signed-in account), e.g. to check the caller's own certificate. Returns NotFound.
func (s *Service) FindOfficerByIdentity(ctx context.Context, sc tenants.Scope, identityID string) (*Officer, error) {
	return s.findOfficerWhere(ctx, sc, "o.identity_id = ?", identityID)
}

// findOfficerWhere returns the officer of the scope's tenant that where selects, with its
// certificate's state today.
func (s *Service) findOfficerWhere(ctx context.Context, sc tenants.Scope, where string, arg any) (*Officer, error) {
	return inTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) (*Officer, error) {
		o, err := selectOne[Officer](ctx, tx, func(q *bun.SelectQuery) *bun.SelectQuery {
			return tenants.Own(sc, q).Where(where, arg)
		})
		if err != nil {
			return nil, err
		}
		warn, err := s.expiryWarnDays(ctx, tx, sc)
		if err != nil {
			return nil, err
		}
		if !sc.CanFor(authz.OfficersWrite, o.BodyID) {
			*o = o.masked()
		}
		o.Certificate = o.Certificate.Standing(s.today(), warn)
		return o, nil
	})
}

// findOfficer looks up an officer of the scope's tenant.
var findOfficer = byID[Officer](tenants.Own[*bun.SelectQuery])

// CreateOfficer registers an officer of a body of the scope's tenant. Needs officers.write; a
// body-bound role only for its bodies. Returns Invalid (bad fields, no such body), Forbidden,
// Conflict (identity number, certificate number or account already registered, at any tenant).
func (s *Service) CreateOfficer(ctx context.Context, sc tenants.Scope, in OfficerInput) (*Officer, error) {
	return createOne(ctx, s.db, sc, mayCreate(sc, authz.OfficersWrite), &in, func() (*Officer, error) {
		if err := bodyGuard(sc, authz.OfficersWrite, in.BodyID); err != nil {
			return nil, err
		}
		return in.newOfficer(sc.TenantID(), s.stamp()), nil
	}, insertOfficer)
}

// newOfficer returns a new officer of tenant tenantID made from the validated request.
func (in *OfficerInput) newOfficer(tenantID string, now time.Time) *Officer {
	o := in.officer()
	o.ID, o.TenantID, o.CreatedAt, o.UpdatedAt = dbx.NewID(), tenantID, now, now
	return &o
}

func insertOfficer(ctx context.Context, tx bun.Tx, sc tenants.Scope, o *Officer) error {
	if err := officerBodyExists(ctx, tx, sc, o.BodyID); err != nil {
		return err
	}
	return insertRow(ctx, tx, o, officerUniques...)
}

func officerBodyExists(ctx context.Context, tx bun.IDB, sc tenants.Scope, bodyID string) error {
	if _, err := findBody(ctx, tx, sc, bodyID); err != nil {
		if errs.Is(err, errs.NotFound) {
			return errs.E(errs.Invalid, "执法主体不存在", "no such enforcement body").
				WithFields(errs.Field("body_id", "不是本租户的执法主体", "not a body of this tenant"))
		}
		return err
	}
	return nil
}

// UpdateOfficer replaces an officer of the scope's tenant, certificate included. Needs
// officers.write; a body-bound role only within its bodies. Returns Invalid, NotFound,
// Forbidden, Conflict.
func (s *Service) UpdateOfficer(ctx context.Context, sc tenants.Scope, id string, in OfficerInput) (*Officer, error) {
	return writeOne(ctx, s.db, sc, id, mayWrite(sc, authz.OfficersWrite), &in, findOfficer,
		func(old *Officer) error {
			if !sc.CanFor(authz.OfficersWrite, old.BodyID) || !sc.CanFor(authz.OfficersWrite, in.BodyID) {
				return errs.ErrForbidden
			}
			return nil
		},
		func(ctx context.Context, tx bun.Tx, old *Officer) (*Officer, error) {
			if err := officerBodyExists(ctx, tx, sc, in.BodyID); err != nil {
				return nil, err
			}
			o := in.officer()
			o.ID, o.TenantID, o.CreatedAt, o.UpdatedAt = old.ID, old.TenantID, old.CreatedAt, s.stamp()
			return &o, updateRow(ctx, tx, sc, &o, id, officerUniques, "body_id", "name", "id_number", "identity_id", "phone",
				"cert_number", "cert_issued_on", "cert_expires_on", "cert_status", "cert_sectors", "updated_at")
		})
}

// DeleteOfficer removes an officer of the scope's tenant. Needs officers.write; a body-bound role
// only within its bodies. Returns NotFound, Forbidden, Conflict (records still refer to it).
func (s *Service) DeleteOfficer(ctx context.Context, sc tenants.Scope, id string) error {
	return deleteOne(ctx, s.db, sc, id, authz.OfficersWrite, findOfficer,
		func(o *Officer) error { return bodyGuard(sc, authz.OfficersWrite, o.BodyID) }, nil,
		"该执法人员仍被其他记录引用，不能删除", "other records still refer to the officer; they cannot be deleted")
}

// CertificateValidOn reports whether an officer of the scope's tenant holds a certificate that is
// valid (status valid, d within issued..expires inclusive) on day d: the case engine asks it for
// every officer it assigns. Returns Invalid (malformed ID or date) or NotFound.
func (s *Service) CertificateValidOn(ctx context.Context, sc tenants.Scope, officerID string, d civil.Date) (bool, error) {
	var ok bool
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		var err error
		ok, err = CertificateValidOnTx(ctx, tx, sc, officerID, d)
		return err
	})
	return ok, err
}

// CertificateValidOnTx is CertificateValidOn inside the caller's transaction (one opened with
// tenants.RunInTx under sc).
func CertificateValidOnTx(ctx context.Context, tx bun.IDB, sc tenants.Scope, officerID string, d civil.Date) (bool, error) {
	if err := checkID("officer_id", officerID); err != nil {
		return false, err
	}
	if !d.Valid() {
		return false, badDate("date")
	}
	o, err := findOfficer(ctx, tx, sc, officerID)
	if err != nil {
		return false, err
	}
	return o.Certificate.ValidOn(d), nil
}
