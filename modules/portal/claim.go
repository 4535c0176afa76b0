package portal

import (
	"context"
	"crypto/subtle"
	"regexp"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"zhifa/modules/cases"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// Claim records that a portal account proved to be a case's party (the code and the last six
// characters of the party's identity number or credit code): the account sees the case under
// "my cases" and acts on it without proving again. Every portal operation on a case checks it.
type Claim struct {
	bun.BaseModel `bun:"table:portal_claims,alias:pc"`

	ID        string    `bun:"id,pk" json:"-"`
	TenantID  string    `bun:"tenant_id,notnull" json:"-"`
	CaseID    string    `bun:"case_id,notnull" json:"case_id"`
	CaseCode  string    `bun:"case_code,notnull" json:"code"`
	AccountID string    `bun:"account_id,notnull" json:"-"`
	ClaimedAt time.Time `bun:"claimed_at,notnull" json:"claimed_at"`
}

// claimsScope reads an account's claims across the tenants whose cases it proved: every query
// under it is limited to the account, which is the fence, not the tenant.
var claimsScope = tenants.System("citizen portal: the cases the signed-in account proved to be the party of")

// citizen returns the account of a principal signed in as a citizen (the platform-wide citizen
// grant). Returns Unauthenticated, Forbidden.
func citizen(p *authz.Principal) (string, error) {
	if p == nil || p.IdentityID == "" {
		return "", errs.ErrUnauthenticated
	}
	for _, g := range p.Grants {
		if g.TenantID == "" && g.Role == authz.Citizen {
			return p.IdentityID, nil
		}
	}
	return "", errs.E(errs.Forbidden, "当事人门户仅供当事人账号使用", "the portal is for citizens' accounts").WithOp(string(authz.PartyAct))
}

// notClaimed is the answer on a case the account has not proved: the same as a case that does not exist.
func notClaimed() error {
	return errs.E(errs.NotFound, "未找到该案件，或您尚未核验当事人身份", "no such case, or you have not proved to be its party")
}

// claimed returns the party scope for acting on a case the principal's account claimed. Returns
// Unauthenticated, NotFound (no claim, another account's, a malformed ID, a non-citizen).
func (s *Service) claimed(ctx context.Context, p *authz.Principal, caseID string) (tenants.Scope, *Claim, error) {
	account, err := citizen(p)
	if err != nil {
		if errs.Is(err, errs.Forbidden) {
			return tenants.Scope{}, nil, notClaimed()
		}
		return tenants.Scope{}, nil, err
	}
	if !dbx.ValidID(caseID) {
		return tenants.Scope{}, nil, notClaimed()
	}
	c := new(Claim)
	err = tenants.RunInTx(ctx, s.db, claimsScope, func(ctx context.Context, tx bun.Tx) error {
		return tx.NewSelect().Model(c).Where("pc.account_id = ? AND pc.case_id = ?", account, caseID).Limit(1).Scan(ctx)
	})
	if err != nil {
		if errs.Is(dbx.NotFound(err), errs.NotFound) {
			return tenants.Scope{}, nil, notClaimed()
		}
		return tenants.Scope{}, nil, err
	}
	t, err := s.tenants.Lookup(ctx, c.TenantID)
	if err != nil {
		return tenants.Scope{}, nil, err
	}
	return partyScope(t, account), c, nil
}

// claims lists the account's claims, newest first.
func (s *Service) claims(ctx context.Context, account string, limit int) ([]Claim, error) {
	var out []Claim
	err := tenants.RunInTx(ctx, s.db, claimsScope, func(ctx context.Context, tx bun.Tx) error {
		return tx.NewSelect().Model(&out).Where("pc.account_id = ?", account).OrderExpr("pc.claimed_at DESC, pc.id DESC").
			Limit(int64(limit)).Scan(ctx)
	})
	return out, err
}

// saveClaim records the account's claim on a case in tx (under the party scope); claiming again
// changes nothing.
func saveClaim(ctx context.Context, tx bun.IDB, sc tenants.Scope, pc *cases.PartyView, now time.Time) error {
	c := &Claim{ID: dbx.NewID(), TenantID: sc.TenantID(), CaseID: pc.ID, CaseCode: pc.Code, AccountID: sc.Actor(), ClaimedAt: now}
	_, err := tx.NewInsert().Model(c).On("CONFLICT (tenant_id, case_id, account_id) DO NOTHING").Exec(ctx)
	return err
}

// codeRE is the form of a case code: ZF, the tenant's division code, -, the year, -, 11
// characters of Crockford's base 32 (the last a check character the case engine verifies).
var codeRE = regexp.MustCompile(`^ZF([0-9]{2,12})-[0-9]{4}-[0-9A-HJKMNP-TV-Z]{11}$`)

// NormalizeCode returns a typed or scanned case code in canonical form (upper case, no spaces)
// and the tenant it names; ok is false when it has not the form of a case code.
func NormalizeCode(s string) (code, tenantID string, ok bool) {
	code = strings.ToUpper(strings.Join(strings.Fields(s), ""))
	m := codeRE.FindStringSubmatch(code)
	if m == nil {
		return code, "", false
	}
	return code, m[1], true
}

// proofLen is how many trailing characters of the party's key prove the party.
const proofLen = 6

var proofRE = regexp.MustCompile(`^[0-9A-Z]{6}$`)

// proves reports whether proof matches the last six characters of the party's key (identity
// number or credit code), case-insensitively, in time independent of where they differ. With no
// key (a case without one) it compares against a placeholder, taking the same time, and fails
// whatever the proof (six NUL bytes, the placeholder, among them).
func proves(key, proof string) bool {
	key = strings.ToUpper(key)
	want := []byte("\x00\x00\x00\x00\x00\x00")
	if len(key) >= proofLen {
		want = []byte(key[len(key)-proofLen:])
	}
	got := []byte(strings.ToUpper(proof))
	if len(got) != proofLen {
		got = []byte("\xff\xff\xff\xff\xff\xff")
	}
	return subtle.ConstantTimeCompare(want, got) == 1 && len(key) >= proofLen
}
