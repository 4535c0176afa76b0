package portal

import (
	"context"
	"strings"

	"github.com/uptrace/bun"

	"zhifa/modules/cases"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/ratelimit"
	"zhifa/tenants"
)

// LookupInput is a case code with the proof that the caller is its party.
type LookupInput struct {
	Code string `json:"code"`
	// Proof is the last six characters of the party's resident identity number or unified social
	// credit code (letters in either case).
	Proof string `json:"proof"`
}

// Validate checks the form of the request; a well-formed code that names no case is not an
// error here (it gets the same answer as a wrong proof).
func (in *LookupInput) Validate() error {
	var f []errs.FieldError
	in.Code = strings.ToUpper(strings.Join(strings.Fields(in.Code), ""))
	if in.Code == "" || len(in.Code) > 40 {
		f = append(f, errs.Field("code", "请输入案件编码（如 ZF350426-2025-7K3M9QXA2BR）", "enter the case code (e.g. ZF350426-2025-7K3M9QXA2BR)"))
	}
	in.Proof = strings.ToUpper(strings.TrimSpace(in.Proof))
	if !proofRE.MatchString(in.Proof) {
		f = append(f, errs.Field("proof", "请输入身份证号码或统一社会信用代码的后6位", "enter the last 6 characters of the identity number or credit code"))
	}
	if len(f) > 0 {
		return errs.E(errs.Invalid, "查询信息有误", "invalid lookup").WithFields(f...)
	}
	return nil
}

// CaseSummary is a case in "my cases", or the case a lookup found.
type CaseSummary struct {
	ID         string   `json:"id"`
	Code       string   `json:"code"`
	Title      string   `json:"title"`
	State      string   `json:"state"`
	StateTitle errs.Msg `json:"state_title"`
	BodyName   string   `json:"body_name"`
	Payable    bool     `json:"payable"`
}

func summary(pc *cases.PartyView) CaseSummary {
	return CaseSummary{ID: pc.ID, Code: pc.Code, Title: pc.Title, State: pc.State, StateTitle: pc.StateTitle, BodyName: pc.BodyName, Payable: pc.Payable}
}

// noMatch is the one answer to a code that names no case and to a proof that does not match, so
// that no answer tells whether a code exists; it says how many more failures the account and the
// code allow (the fewer), which both kinds of failure count alike.
func noMatch(left int64) error {
	return errs.Ef(errs.NotFound, "案件不存在或身份信息不符，还可尝试 %d 次", "case not found or identity does not match; attempts left: %d", left)
}

// Lookup finds a case by its code for a citizen who proves to be its party, and records the
// account's claim on it. clientIP is the caller's address, for its rate limit. Checked in this
// order: the address's lookups, the account's failed proofs, the code's failed proofs (any of
// them past its limit: RateLimited with the time left); then a code that names no case and a
// proof that does not match both answer NotFound with the same message, and count against the
// account and the code. A proof's failure is counted against the account and the code before
// the proof is checked, and taken back if it matches, so that concurrent lookups never check
// more proofs than the limits allow. Citizens only. Returns Invalid, Unauthenticated, Forbidden,
// NotFound, RateLimited (*RateLimitError), Unavailable (no rate-limit store).
func (s *Service) Lookup(ctx context.Context, p *authz.Principal, clientIP string, in LookupInput) (*CaseSummary, error) {
	account, err := citizen(p)
	if err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	lim := s.limits.limits
	ip, err := s.limits.hit(ctx, "ip", clientIP, lim.LookupsPerIP)
	if err != nil {
		return nil, err
	}
	if !ip.OK() {
		return nil, tooMany(ip)
	}
	acc, err := s.limits.hit(ctx, "account", account, lim.FailedProofsPerAccount)
	if err != nil {
		return nil, err
	}
	if !acc.OK() {
		return nil, tooMany(acc)
	}
	code, err := s.limits.hit(ctx, "code", in.Code, lim.FailedProofsPerCode)
	if err != nil {
		s.release(ctx, acc)
		return nil, err
	}
	if !code.OK() {
		s.release(ctx, acc) // not checked: no failure of the account's
		return nil, codeLocked(code)
	}
	found, err := s.prove(ctx, account, in)
	if err != nil || found != nil {
		s.release(ctx, acc, code) // not checked, or matched: no failure
		return found, err
	}
	s.log.InfoContext(ctx, "portal: lookup failed", "account", account)
	return nil, noMatch(min(acc.Remaining(), code.Remaining()))
}

// release takes back the failures counted in ws; a Redis error is logged (the lookup's answer
// stands, and the count ends with its window).
func (s *Service) release(ctx context.Context, ws ...ratelimit.Window) {
	for _, w := range ws {
		if err := s.limits.Release(ctx, w); err != nil {
			s.log.WarnContext(ctx, "portal: rate limit: release", "error", err)
		}
	}
}

// prove looks the code up and checks the proof; on a match it saves the claim. nil, nil: no
// case, or no match.
func (s *Service) prove(ctx context.Context, account string, in LookupInput) (*CaseSummary, error) {
	code, tenantID, ok := NormalizeCode(in.Code)
	if !ok {
		return nil, nil
	}
	t, err := s.tenants.Lookup(ctx, tenantID)
	if err != nil {
		if errs.Is(err, errs.NotFound) {
			return nil, nil
		}
		return nil, err
	}
	sc := partyScope(t, account)
	var out *CaseSummary
	err = tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		pc, err := s.cases.CaseByCode(ctx, tx, sc, code)
		if errs.Is(err, errs.NotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if !proves(pc.PartyKey, in.Proof) || pc.Code != code {
			return nil
		}
		if err := saveClaim(ctx, tx, sc, pc, dbx.Stamp(s.now())); err != nil {
			return err
		}
		sum := summary(pc)
		out = &sum
		return nil
	})
	return out, err
}

// maxClaims bounds "my cases".
const maxClaims = 100

// MyCases lists the cases the citizen's account proved to be the party of, newest claim first,
// as each stands now. A case the engine no longer shows (NotFound) is left out. Citizens only.
// Returns Unauthenticated, Forbidden.
func (s *Service) MyCases(ctx context.Context, p *authz.Principal) ([]CaseSummary, error) {
	account, err := citizen(p)
	if err != nil {
		return nil, err
	}
	cls, err := s.claims(ctx, account, maxClaims)
	if err != nil {
		return nil, err
	}
	out := []CaseSummary{}
	for _, c := range cls {
		t, err := s.tenants.Lookup(ctx, c.TenantID)
		if err != nil {
			return nil, err
		}
		sc := partyScope(t, account)
		var pc *cases.PartyView
		err = tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
			pc, err = s.cases.PartyCase(ctx, tx, sc, c.CaseID)
			return err
		})
		if errs.Is(err, errs.NotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, summary(pc))
	}
	return out, nil
}
