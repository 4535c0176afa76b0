package elements

import (
	"slices"
	"strings"
	"time"

	"zhifa/modules/kernel/civil"

	"github.com/uptrace/bun"
)

// CertStatus is the state of an enforcement certificate.
type CertStatus string

// The certificate states.
const (
	CertValid     CertStatus = "valid"     // 有效
	CertSuspended CertStatus = "suspended" // 暂扣
	CertRevoked   CertStatus = "revoked"   // 吊销/注销
)

// Valid reports whether s is a known state.
func (s CertStatus) Valid() bool { return s == CertValid || s == CertSuspended || s == CertRevoked }

// Officer is an enforcement officer (执法人员) of a body. One person, one certificate: the
// identity number and the certificate number are each unique on the whole platform. Lists show
// the identity number masked (350102********1234).
type Officer struct {
	bun.BaseModel `bun:"table:officers,alias:o"`

	ID          string      `bun:"id,pk" json:"id"`
	TenantID    string      `bun:"tenant_id,notnull" json:"tenant_id"`
	BodyID      string      `bun:"body_id,notnull" json:"body_id"`
	Name        string      `bun:"name,notnull" json:"name"`
	IDNumber    string      `bun:"id_number,notnull" json:"id_number"`
	IdentityID  *string     `bun:"identity_id" json:"identity_id,omitempty"` // the officer's platform account, if any
	Phone       string      `bun:"phone,notnull" json:"phone,omitempty"`
	Certificate Certificate `bun:"embed:cert_" json:"certificate,omitzero"`
	CreatedAt   time.Time   `bun:"created_at,notnull" json:"created_at"`
	UpdatedAt   time.Time   `bun:"updated_at,notnull" json:"updated_at"`
}

// Certificate is an officer's enforcement certificate (执法证). It is valid from IssuedOn to
// ExpiresOn inclusive, while its status is valid, and covers Sectors. Status is what an authority
// set; State is computed for a day (On, today unless a request asks about another) and never
// stored.
type Certificate struct {
	Number    string     `bun:"number,nullzero" json:"number"`
	IssuedOn  civil.Date `bun:"issued_on,nullzero" json:"issued_on"`
	ExpiresOn civil.Date `bun:"expires_on,nullzero" json:"expires_on"`
	Status    CertStatus `bun:"status,notnull" json:"status"`
	Sectors   []Sector   `bun:"sectors,notnull" json:"sectors"`

	State    CertState  `bun:"-" json:"state,omitempty"`     // on day On (Standing)
	On       civil.Date `bun:"-" json:"state_on,omitempty"`  // the day State is computed for
	DaysLeft *int       `bun:"-" json:"days_left,omitempty"` // to ExpiresOn: 0 on the expiry day, negative after
}

// IsZero reports whether there is no certificate.
func (c Certificate) IsZero() bool { return c.Number == "" }

// ValidOn reports whether the certificate allows enforcement on day d.
func (c Certificate) ValidOn(d civil.Date) bool { return c.StateOn(d, 0).Usable() }

// masked returns a copy of o whose identity number is masked, for lists.
func (o Officer) masked() Officer {
	o.IDNumber = MaskResidentID(o.IDNumber)
	return o
}

// OfficerInput is a request to create or replace an officer. BodyID is a body of the scope's
// tenant. Certificate may be left out for an officer not yet certified.
type OfficerInput struct {
	BodyID      string            `json:"body_id"`
	Name        string            `json:"name"`
	IDNumber    string            `json:"id_number"`
	IdentityID  string            `json:"identity_id,omitempty"`
	Phone       string            `json:"phone,omitempty"`
	Certificate *CertificateInput `json:"certificate,omitempty"`
}

// CertificateInput is an officer's certificate in a request. Status defaults to valid.
type CertificateInput struct {
	Number    string     `json:"number"`
	IssuedOn  civil.Date `json:"issued_on"`
	ExpiresOn civil.Date `json:"expires_on"`
	Status    CertStatus `json:"status,omitempty"`
	Sectors   []Sector   `json:"sectors,omitempty"`
}

// Validate trims and checks the request's fields; the identity number's x is upper-cased.
func (in *OfficerInput) Validate() error {
	in.BodyID, in.Name = strings.TrimSpace(in.BodyID), strings.TrimSpace(in.Name)
	in.IDNumber, in.IdentityID = strings.ToUpper(strings.TrimSpace(in.IDNumber)), strings.TrimSpace(in.IdentityID)
	in.Phone = strings.TrimSpace(in.Phone)
	var p problems
	if checkID("body_id", in.BodyID) != nil {
		p.add("body_id", "须为执法主体的 ID", "must be the ID of an enforcement body")
	}
	if !validText(in.Name, 64) {
		p.add("name", "姓名不能为空且不超过64字", "name is required, at most 64 characters")
	}
	if !ValidResidentID(in.IDNumber) {
		p.add("id_number", "公民身份号码无效（18位，出生日期和校验码须正确）", "not a valid resident identity number (18 characters, real birth date, correct check character)")
	}
	if in.IdentityID != "" && checkID("identity_id", in.IdentityID) != nil {
		p.add("identity_id", "须为账号的 ID", "must be the ID of an account")
	}
	if in.Phone != "" && !validPhone(in.Phone) {
		p.add("phone", "须为手机号或带区号的固定电话", "must be a mobile number or a landline with area code")
	}
	if c := in.Certificate; c != nil {
		c.Number = strings.ToUpper(strings.TrimSpace(c.Number))
		if c.Status == "" {
			c.Status = CertValid
		}
		if !validCode(c.Number) || utf8Len(c.Number) > 32 {
			p.add("certificate.number", "执法证号不能为空、不含空白且不超过32字", "certificate number is required, without spaces, at most 32 characters")
		}
		if !c.IssuedOn.Valid() {
			p.add("certificate.issued_on", "须为日期 YYYY-MM-DD", "must be a date YYYY-MM-DD")
		}
		switch {
		case !c.ExpiresOn.Valid():
			p.add("certificate.expires_on", "须为日期 YYYY-MM-DD", "must be a date YYYY-MM-DD")
		case c.IssuedOn.Valid() && !c.ExpiresOn.After(c.IssuedOn):
			p.add("certificate.expires_on", "有效期截止日须晚于发证日期", "must be after issued_on")
		}
		if !c.Status.Valid() {
			p.add("certificate.status", "证件状态须为 valid、suspended 或 revoked", "status must be valid, suspended or revoked")
		}
		var sectors []Sector
		for _, s := range c.Sectors {
			if !s.Valid() {
				p.add("certificate.sectors", "未知执法领域："+string(s), "unknown sector: "+string(s))
			} else if !slices.Contains(sectors, s) {
				sectors = append(sectors, s)
			}
		}
		c.Sectors = sectors
	}
	return p.err("执法人员信息有误", "invalid officer")
}

// officer builds the stored officer from a validated request.
func (in *OfficerInput) officer() Officer {
	o := Officer{BodyID: in.BodyID, Name: in.Name, IDNumber: in.IDNumber, Phone: in.Phone,
		Certificate: Certificate{Sectors: []Sector{}}}
	if in.IdentityID != "" {
		id := in.IdentityID
		o.IdentityID = &id
	}
	if c := in.Certificate; c != nil {
		o.Certificate = Certificate{Number: c.Number, IssuedOn: c.IssuedOn, ExpiresOn: c.ExpiresOn, Status: c.Status, Sectors: c.Sectors}
		if o.Certificate.Sectors == nil {
			o.Certificate.Sectors = []Sector{}
		}
	}
	return o
}

// OfficerFilter selects officers.
type OfficerFilter struct {
	Q          string // name or certificate number contains
	BodyID     string
	CertStatus CertStatus
	ValidOn    civil.Date // optional: officers whose certificate is valid on that day
	On         civil.Date // the day the certificates' states are computed for; empty: today
	Page
}
