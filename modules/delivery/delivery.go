package delivery

import (
	"database/sql/driver"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/rules"
)

// Channel is a way a document travels to the party.
type Channel string

// The channels. Inbox, e-mail and SMS are electronic and need the party's consent (Art. 61); SMS
// only notifies (it points to the inbox) and never serves a document by itself.
const (
	ChannelInbox        Channel = "inbox"         // 电子送达收件箱 (citizen portal)
	ChannelEmail        Channel = "email"         // 电子邮件, the PDF attached
	ChannelSMS          Channel = "sms"           // 短信提醒 (notification only)
	ChannelPaper        Channel = "paper"         // 直接、留置、邮寄送达, with the scanned 送达回证
	ChannelPublicNotice Channel = "public_notice" // 公告送达, deemed served after 30 days
)

// Channels lists every channel, in the order they are shown.
var Channels = []Channel{ChannelInbox, ChannelEmail, ChannelSMS, ChannelPaper, ChannelPublicNotice}

// ConsentChannels are the channels a consent may name.
var ConsentChannels = []Channel{ChannelInbox, ChannelEmail, ChannelSMS}

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool { return slices.Contains(Channels, c) }

// Electronic reports whether c is an electronic channel (which needs consent).
func (c Channel) Electronic() bool {
	return c == ChannelInbox || c == ChannelEmail || c == ChannelSMS
}

// Serves reports whether arriving through c serves the document (SMS only notifies).
func (c Channel) Serves() bool { return c != ChannelSMS }

// ChannelSet is a set of channels stored as a sorted, comma-separated text column.
type ChannelSet []Channel

// Has reports whether the set contains c.
func (s ChannelSet) Has(c Channel) bool { return slices.Contains(s, c) }

// Value stores the set as text.
func (s ChannelSet) Value() (driver.Value, error) {
	parts := make([]string, len(s))
	for i, c := range s {
		parts[i] = string(c)
	}
	slices.Sort(parts)
	return strings.Join(parts, ","), nil
}

// Scan reads the set from text.
func (s *ChannelSet) Scan(src any) error {
	var txt string
	switch v := src.(type) {
	case nil:
		*s = nil
		return nil
	case string:
		txt = v
	case []byte:
		txt = string(v)
	default:
		return fmt.Errorf("delivery: cannot scan %T into a channel set", src)
	}
	*s = ChannelSet{}
	for _, p := range strings.Split(txt, ",") {
		if p != "" {
			*s = append(*s, Channel(p))
		}
	}
	return nil
}

// Status is where a delivery stands.
type Status string

// The statuses of a delivery (one document to serve on the party).
const (
	// StatusInProgress: a channel that serves the document is pending, sending, or (public notice)
	// published and waiting for its 30 days.
	StatusInProgress Status = "in_progress"
	// StatusServed: the document reached the party through a channel (ServedOn, ServedAt).
	StatusServed Status = "served"
	// StatusNeedsAction: nothing is under way: no consent to deliver electronically, or every
	// electronic channel failed. The officer chooses paper or public-notice delivery (Options).
	StatusNeedsAction Status = "needs_action"
)

// RouteStatus is where one channel of a delivery stands.
type RouteStatus string

// The statuses of a route.
const (
	RoutePending   RouteStatus = "pending"   // waiting for its task (or, paper, for the receipt)
	RouteSending   RouteStatus = "sending"   // an attempt holds the lease; after a crash, its outcome is unknown
	RouteDelivered RouteStatus = "delivered" // reached the designated system (SMS: accepted by the gateway)
	RoutePublished RouteStatus = "published" // public notice published; served when DeemedOn has passed
	RouteFailed    RouteStatus = "failed"    // refused for good, or out of attempts; the officer chooses another way
)

// active reports whether the route may still serve the document.
func (s RouteStatus) active() bool {
	return s == RoutePending || s == RouteSending || s == RoutePublished
}

// Paper delivery methods (民事诉讼法 Art. 88-91, as the case engine names them).
var PaperMethods = []string{"direct", "left_at_address", "post", "on_the_spot"}

// The legal rules a refusal or a warning names.
var (
	// RuleEDelivery: electronic delivery only with the party's signed consent (Art. 61).
	RuleEDelivery = *rules.EDelivery.Ref("penalty.e_delivery")
	// RuleDelivery: on the spot, or within 7 working days (Art. 61, Art. 85).
	RuleDelivery = *rules.MustLookup(rules.PenaltyDelivery).Ref()
	// RulePublicNotice: a public notice is deemed served after 30 days (民事诉讼法 Art. 95).
	RulePublicNotice = *rules.MustLookup(rules.ServicePublicNotice).Ref()
)

// cite is the citation of the article a rule names (Art. 61 for RuleEDelivery).
func cite(r errs.Rule) rules.Cite { return rules.RefCite(&r) }

// Delivery is one document to serve on a case's party (送达), with the channels it travels by.
// A document has at most one delivery; it is served when the first serving channel arrives.
type Delivery struct {
	bun.BaseModel `bun:"table:deliveries,alias:d"`

	ID           string     `bun:"id,pk" json:"id"`
	TenantID     string     `bun:"tenant_id,notnull" json:"-"`
	CaseID       string     `bun:"case_id,notnull" json:"case_id"`
	CaseCode     string     `bun:"case_code,notnull" json:"case_code"`
	BodyID       string     `bun:"body_id,notnull" json:"body_id"`
	DocumentID   string     `bun:"document_id,notnull" json:"document_id"`
	DocumentKind string     `bun:"document_kind,notnull" json:"document_kind"`
	PartyKind    string     `bun:"party_kind,notnull" json:"party_kind"`
	PartyName    string     `bun:"party_name,notnull" json:"party_name"`
	PartyKey     string     `bun:"party_key,notnull" json:"-"`
	Source       string     `bun:"source,notnull" json:"-"` // the outbox task that asked for it, if any
	Status       Status     `bun:"status,notnull" json:"status"`
	DueOn        civil.Date `bun:"due_on,notnull" json:"due_on"`
	ServedOn     civil.Date `bun:"served_on,nullzero" json:"served_on,omitempty"`
	ServedAt     *time.Time `bun:"served_at" json:"served_at,omitempty"`
	ServedRoute  string     `bun:"served_route_id,nullzero" json:"served_route_id,omitempty"`
	WarnedLateOn civil.Date `bun:"warned_late_on,nullzero" json:"warned_late_on,omitempty"`
	CreatedBy    string     `bun:"created_by,notnull" json:"created_by"`
	CreatedAt    time.Time  `bun:"created_at,notnull" json:"created_at"`
	UpdatedAt    time.Time  `bun:"updated_at,notnull" json:"updated_at"`

	// Routes are the channels the document travels by.
	Routes []Route `bun:"-" json:"routes"`
	// Options lists the channels the officer may still choose (paper and public notice when
	// nothing is under way, plus the consented electronic channels not tried yet).
	Options []Channel `bun:"-" json:"options,omitempty"`
	// Late is set when the document was not served by DueOn.
	Late bool `bun:"-" json:"late"`
}

// Route is one channel of a delivery. (document, channel) is unique: a retry or a second request
// for the same channel finds the same route, so a document is never sent twice through a channel.
type Route struct {
	bun.BaseModel `bun:"table:delivery_routes,alias:r"`

	ID         string      `bun:"id,pk" json:"id"`
	TenantID   string      `bun:"tenant_id,notnull" json:"-"`
	DeliveryID string      `bun:"delivery_id,notnull" json:"delivery_id"`
	DocumentID string      `bun:"document_id,notnull" json:"-"`
	Channel    Channel     `bun:"channel,notnull" json:"channel"`
	Method     string      `bun:"method,notnull" json:"method,omitempty"`   // paper: direct, post...; public notice: the medium
	Address    string      `bun:"address,notnull" json:"address,omitempty"` // e-mail, mobile, or the portal account
	ConsentID  string      `bun:"consent_id,notnull" json:"consent_id,omitempty"`
	Status     RouteStatus `bun:"status,notnull" json:"status"`
	Attempts   int         `bun:"attempts,notnull" json:"attempts"`
	LeaseUntil *time.Time  `bun:"lease_until" json:"-"`
	MessageID  string      `bun:"message_id,notnull" json:"message_id,omitempty"`
	// Reply is what the receiving system answered: the mail server's reply to the message, the
	// gateway's acceptance, or the inbox item stored.
	Reply       string     `bun:"reply,notnull" json:"reply,omitempty"`
	LastError   string     `bun:"last_error,notnull" json:"last_error,omitempty"`
	DeliveredAt *time.Time `bun:"delivered_at" json:"delivered_at,omitempty"`
	ServedOn    civil.Date `bun:"served_on,nullzero" json:"served_on,omitempty"`
	FailedAt    *time.Time `bun:"failed_at" json:"failed_at,omitempty"`
	PublishedOn civil.Date `bun:"published_on,nullzero" json:"published_on,omitempty"`
	DeemedOn    civil.Date `bun:"deemed_on,nullzero" json:"deemed_on,omitempty"`
	Notice      string     `bun:"notice,notnull" json:"notice,omitempty"` // public notice: reference and reason
	Receiver    string     `bun:"receiver,notnull" json:"receiver,omitempty"`
	ReceiptSHA  string     `bun:"receipt_sha256,notnull" json:"receipt_sha256,omitempty"`
	ReceiptSize int64      `bun:"receipt_size,notnull" json:"receipt_size,omitempty"`
	ReceiptType string     `bun:"receipt_type,notnull" json:"receipt_type,omitempty"`
	ReceiptName string     `bun:"receipt_name,notnull" json:"receipt_name,omitempty"`
	RecordedAt  *time.Time `bun:"recorded_at" json:"recorded_at,omitempty"` // entered in the case's record
	RecordError string     `bun:"record_error,notnull" json:"record_error,omitempty"`
	CreatedBy   string     `bun:"created_by,notnull" json:"created_by"`
	CreatedAt   time.Time  `bun:"created_at,notnull" json:"created_at"`
	UpdatedAt   time.Time  `bun:"updated_at,notnull" json:"updated_at"`
}

// settle recomputes d's status from its routes and fills Options and Late (today in China).
func (d *Delivery) settle(consent *Consent, today civil.Date) {
	if d.ServedAt == nil {
		// The arrival's own task settles the delivery moments later; until then, the earliest
		// serving arrival shows.
		for i := range d.Routes {
			r := &d.Routes[i]
			if r.Channel.Serves() && r.Status == RouteDelivered && r.DeliveredAt != nil && (d.ServedAt == nil || r.DeliveredAt.Before(*d.ServedAt)) {
				d.ServedAt, d.ServedOn, d.ServedRoute = r.DeliveredAt, r.ServedOn, r.ID
			}
		}
	}
	switch {
	case d.ServedAt != nil:
		d.Status = StatusServed
	case slices.ContainsFunc(d.Routes, func(r Route) bool { return r.Channel.Serves() && r.Status.active() }):
		d.Status = StatusInProgress
	default:
		d.Status = StatusNeedsAction
	}
	noticeInTime := slices.ContainsFunc(d.Routes, func(r Route) bool {
		return r.Channel == ChannelPublicNotice && r.PublishedOn != "" && !r.PublishedOn.After(d.DueOn)
	})
	d.Late = d.DueOn != "" && !noticeInTime && (d.ServedOn.After(d.DueOn) || (d.ServedOn == "" && today.After(d.DueOn)))
	d.Options = nil
	if d.Status == StatusServed {
		return
	}
	has := func(c Channel) bool {
		return slices.ContainsFunc(d.Routes, func(r Route) bool { return r.Channel == c && r.Status != RouteFailed })
	}
	if consent != nil {
		for _, c := range ConsentChannels {
			if consent.Channels.Has(c) && !has(c) {
				d.Options = append(d.Options, c)
			}
		}
	}
	for _, c := range []Channel{ChannelPaper, ChannelPublicNotice} {
		if !has(c) || d.Status == StatusNeedsAction {
			d.Options = append(d.Options, c)
		}
	}
}

// route returns d's route through c, or nil.
func (d *Delivery) route(c Channel) *Route {
	for i := range d.Routes {
		if d.Routes[i].Channel == c {
			return &d.Routes[i]
		}
	}
	return nil
}
