package delivery

import (
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"zhifa/modules/elements"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/errs"
)

// Consent is a party's signed consent to electronic delivery in one case (电子送达确认书): the
// channels it accepts and the addresses they reach. It names the portal account (CitizenID, the
// Kratos identity of the party or its representative) whose inbox serves as the designated
// system. A case has at most one active consent; revoking it stops electronic delivery from then
// on (documents already delivered stay delivered).
type Consent struct {
	bun.BaseModel `bun:"table:delivery_consents,alias:dc"`

	ID           string     `bun:"id,pk" json:"id"`
	TenantID     string     `bun:"tenant_id,notnull" json:"-"`
	CaseID       string     `bun:"case_id,notnull" json:"case_id"`
	PartyKind    string     `bun:"party_kind,notnull" json:"party_kind"`
	PartyName    string     `bun:"party_name,notnull" json:"party_name"`
	PartyKey     string     `bun:"party_key,notnull" json:"-"` // 公民身份号码 or 统一社会信用代码
	Channels     ChannelSet `bun:"channels,notnull,type:text" json:"channels"`
	Email        string     `bun:"email,notnull" json:"email,omitempty"`
	Mobile       string     `bun:"mobile,notnull" json:"mobile,omitempty"`
	CitizenID    string     `bun:"citizen_id,notnull" json:"citizen_id,omitempty"`
	DocumentID   string     `bun:"document_id,notnull" json:"document_id,omitempty"` // the signed 电子送达确认书, when issued
	SignedOn     civil.Date `bun:"signed_on,notnull" json:"signed_on"`
	RecordedBy   string     `bun:"recorded_by,notnull" json:"recorded_by"`
	RecordedAt   time.Time  `bun:"recorded_at,notnull" json:"recorded_at"`
	RevokedAt    *time.Time `bun:"revoked_at" json:"revoked_at,omitempty"`
	RevokedBy    string     `bun:"revoked_by,notnull" json:"revoked_by,omitempty"`
	RevokeReason string     `bun:"revoke_reason,notnull" json:"revoke_reason,omitempty"`

	// PartyID is the party's identity number, masked, or its credit code.
	PartyID string `bun:"-" json:"party_id"`
}

// Active reports whether the consent is in force.
func (c *Consent) Active() bool { return c != nil && c.RevokedAt == nil }

// view fills the fields computed for display.
func (c *Consent) view() {
	c.PartyID = maskKey(c.PartyKind, c.PartyKey)
}

// maskKey hides the middle of a person's identity number; an organisation's credit code is public.
func maskKey(kind, k string) string {
	if kind == "organisation" || k == "" {
		return k
	}
	return elements.MaskResidentID(k)
}

// ConsentInput records a consent the party signed.
type ConsentInput struct {
	Channels []Channel `json:"channels"`
	// Email is the address e-mail delivery goes to (required with the email channel).
	Email string `json:"email,omitempty"`
	// Mobile is the mainland mobile number SMS notifications go to (required with sms).
	Mobile string `json:"mobile,omitempty"`
	// CitizenID is the party's portal account (its identity ID), whose inbox receives the
	// documents (required with the inbox channel).
	CitizenID string `json:"citizen_id,omitempty"`
	// SignedOn is the day the party signed (not in the future).
	SignedOn civil.Date `json:"signed_on"`
	// DocumentID is the signed consent document (电子送达确认书), when the documents module issued one.
	DocumentID string `json:"document_id,omitempty"`
}

// RevokeInput revokes a consent.
type RevokeInput struct {
	Reason string `json:"reason"`
}

// Validate checks the request.
func (in *RevokeInput) Validate() error {
	in.Reason = strings.TrimSpace(in.Reason)
	if in.Reason == "" || utf8.RuneCountInString(in.Reason) > 500 {
		return errs.E(errs.Invalid, "撤回原因有误", "invalid revocation").
			WithFields(errs.Field("reason", "必填，不超过500字", "required, at most 500 characters"))
	}
	return nil
}

// Validate checks the request and normalises the addresses: e-mail syntax and the form of its
// domain, a mainland mobile number, the channels and what each needs. Every problem names its
// field. That the day signed is not after today the service checks by its clock.
func (in *ConsentInput) Validate() error { return in.check("") }

// check is Validate, and when today is given, the day signed may not be after it (the service
// checks that by its clock).
func (in *ConsentInput) check(today civil.Date) error {
	var f []errs.FieldError
	add := func(field, zh, en string) { f = append(f, errs.Field(field, zh, en)) }
	if len(in.Channels) == 0 {
		add("channels", "至少选择一种电子送达方式", "choose at least one channel")
	}
	seen := map[Channel]bool{}
	for _, c := range in.Channels {
		if !slices.Contains(ConsentChannels, c) {
			add("channels", "电子送达方式须为 inbox、email 或 sms："+string(c), "a channel must be inbox, email or sms: "+string(c))
		} else if seen[c] {
			add("channels", "电子送达方式重复："+string(c), "channel named twice: "+string(c))
		}
		seen[c] = true
	}
	in.Email = strings.TrimSpace(in.Email)
	if in.Email != "" || seen[ChannelEmail] {
		e, ok := NormalizeEmail(in.Email)
		if !ok {
			add("email", "电子邮箱格式不正确（如 name@example.cn）", "not a valid e-mail address (e.g. name@example.cn)")
		}
		in.Email = e
	}
	in.Mobile = strings.TrimSpace(in.Mobile)
	if in.Mobile != "" || seen[ChannelSMS] {
		m, ok := NormalizeMobile(in.Mobile)
		if !ok {
			add("mobile", "手机号码格式不正确（11位，1开头）", "not a valid mainland mobile number (11 digits starting with 1)")
		}
		in.Mobile = m
	}
	if seen[ChannelSMS] && !seen[ChannelInbox] {
		add("channels", "短信仅作提醒，须同时选择电子送达收件箱", "SMS only notifies: choose the inbox with it")
	}
	in.CitizenID = strings.TrimSpace(in.CitizenID)
	if in.CitizenID != "" || seen[ChannelInbox] {
		if _, err := uuid.Parse(in.CitizenID); err != nil || len(in.CitizenID) != 36 {
			add("citizen_id", "须为当事人门户账号的标识（UUID）", "must be the party's portal account ID (a UUID)")
		}
	}
	if !in.SignedOn.Valid() {
		add("signed_on", "须为日期 YYYY-MM-DD", "must be a date YYYY-MM-DD")
	} else if today != "" && in.SignedOn.After(today) {
		add("signed_on", "签署日期不能晚于今天", "cannot be in the future")
	}
	if len(in.DocumentID) > 64 {
		add("document_id", "过长", "too long")
	}
	if len(f) > 0 {
		return errs.E(errs.Invalid, "电子送达确认书信息有误", "the consent has invalid fields").WithFields(f...)
	}
	slices.Sort(in.Channels)
	return nil
}

var (
	localRE = regexp.MustCompile(`^[A-Za-z0-9!#$%&'*+/=?^_{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_{|}~-]+)*$`)
	labelRE = regexp.MustCompile(`^[\p{L}\p{N}]([\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$`)
	tldRE   = regexp.MustCompile(`^(\p{L}{2,63}|xn--[a-z0-9-]{1,59})$`)
)

// NormalizeEmail checks an e-mail address for delivery: a bare address (no display name) whose
// local part is a dot-atom of at most 64 characters, and whose domain has at least two labels of
// letters, digits and inner hyphens (at most 63 each, 253 in all), ending in a top-level domain of
// letters (or an IDN A-label). It returns the address with its domain in lower case.
func NormalizeEmail(s string) (string, bool) {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return s, false
	}
	at := strings.LastIndexByte(s, '@')
	local, domain := s[:at], strings.ToLower(s[at+1:])
	if len(local) > 64 || !localRE.MatchString(local) || len(domain) > 253 {
		return s, false
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return s, false
	}
	for _, l := range labels {
		if len(l) > 63 || !labelRE.MatchString(l) {
			return s, false
		}
	}
	if !tldRE.MatchString(labels[len(labels)-1]) {
		return s, false
	}
	return local + "@" + domain, true
}

var mobileRE = regexp.MustCompile(`^1[3-9][0-9]{9}$`)

// NormalizeMobile checks a mainland China mobile number (11 digits, 13x to 19x), accepting a +86
// or 0086 prefix and spaces or hyphens between groups, and returns the 11 digits.
func NormalizeMobile(s string) (string, bool) {
	m := strings.NewReplacer(" ", "", "-", "").Replace(s)
	switch {
	case strings.HasPrefix(m, "+86"):
		m = m[3:]
	case strings.HasPrefix(m, "0086"):
		m = m[4:]
	}
	return m, mobileRE.MatchString(m)
}
