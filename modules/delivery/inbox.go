package delivery

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// InboxItem is a document stored in a party's portal inbox (电子送达收件箱): storing it served it.
// It keeps the exact bytes delivered, addressed to the portal account the consent named
// (CitizenID) and to the party's identity (PartyKey).
type InboxItem struct {
	bun.BaseModel `bun:"table:delivery_inbox,alias:ib"`

	ID           string     `bun:"id,pk" json:"id"`
	TenantID     string     `bun:"tenant_id,notnull" json:"tenant_id"`
	RouteID      string     `bun:"route_id,notnull" json:"-"`
	DeliveryID   string     `bun:"delivery_id,notnull" json:"-"`
	CitizenID    string     `bun:"citizen_id,notnull" json:"-"`
	PartyKey     string     `bun:"party_key,notnull" json:"-"`
	CaseID       string     `bun:"case_id,notnull" json:"-"`
	CaseCode     string     `bun:"case_code,notnull" json:"case_code"`
	BodyID       string     `bun:"body_id,notnull" json:"body_id"`
	DocumentID   string     `bun:"document_id,notnull" json:"document_id"`
	DocumentKind string     `bun:"document_kind,notnull" json:"document_kind"`
	Title        string     `bun:"title,notnull" json:"title"`
	Number       string     `bun:"number,notnull" json:"number,omitempty"`
	FileName     string     `bun:"file_name,notnull" json:"file_name"`
	Content      []byte     `bun:"content,notnull" json:"-"`
	SHA256       string     `bun:"sha256,notnull" json:"sha256"`
	Size         int64      `bun:"size_bytes,notnull" json:"size"`
	StoredAt     time.Time  `bun:"stored_at,notnull" json:"delivered_at"` // the delivery time
	ReadAt       *time.Time `bun:"read_at" json:"read_at,omitempty"`
}

// InboxPage is a page of a citizen's inbox, newest first.
type InboxPage struct {
	Items  []InboxItem `json:"items"`
	Total  int         `json:"total"`
	Unread int         `json:"unread"`
	Limit  int         `json:"limit"`
	Offset int         `json:"offset"`
}

// inboxScope reads a citizen's items across the tenants that served them: every query under it
// is limited to the signed-in citizen's account (citizen_id), so the fence is the account, not
// the tenant.
var inboxScope = tenants.System("citizen inbox: the items addressed to the signed-in citizen's account")

// mayReadInbox checks that p is a citizen (the platform-wide citizen grant allows inbox.read).
func mayReadInbox(p *authz.Principal) error {
	if p == nil || p.IdentityID == "" {
		return errs.ErrUnauthenticated
	}
	var roles []authz.Role
	for _, g := range p.Grants {
		if g.TenantID == "" {
			roles = append(roles, g.Role)
		}
	}
	if !authz.Allowed(roles, authz.InboxRead) {
		return errs.E(errs.Forbidden, "电子送达收件箱仅供当事人本人查看", "the inbox is for the party's own portal account").WithOp(string(authz.InboxRead))
	}
	return nil
}

// Inbox lists the documents served in the citizen's inbox, newest first, without their bytes.
// Citizens only (inbox.read): the items are those whose consent named p's account. Returns
// Unauthenticated, Forbidden.
func (s *Service) Inbox(ctx context.Context, p *authz.Principal, limit, offset int) (*InboxPage, error) {
	if err := mayReadInbox(p); err != nil {
		return nil, err
	}
	out := &InboxPage{Items: []InboxItem{}, Limit: limit, Offset: offset}
	err := tenants.RunInTx(ctx, s.db, inboxScope, func(ctx context.Context, tx bun.Tx) error {
		q := tx.NewSelect().Model(&out.Items).ExcludeColumn("content").Where("ib.citizen_id = ?", p.IdentityID)
		n, err := q.OrderExpr("ib.stored_at DESC, ib.id DESC").Limit(int64(limit)).Offset(int64(offset)).ScanAndCount(ctx)
		if err != nil {
			return err
		}
		out.Total = int(n)
		u, err := tx.NewSelect().Model((*InboxItem)(nil)).Where("ib.citizen_id = ? AND ib.read_at IS NULL", p.IdentityID).Count(ctx)
		out.Unread = int(u)
		return err
	})
	return out, err
}

// InboxItem returns one item of the citizen's inbox and marks it read the first time. With
// content, the item carries the document's bytes. Citizens only. Returns Invalid, NotFound (no
// such item, another account's, or a caller who is not a citizen), Unauthenticated.
func (s *Service) InboxItem(ctx context.Context, p *authz.Principal, id string, content bool) (*InboxItem, error) {
	if err := mayReadInbox(p); err != nil {
		if errs.Is(err, errs.Forbidden) {
			return nil, errs.ErrNotFound // no item is addressed to an account that is not a citizen's
		}
		return nil, err
	}
	if err := checkID("id", id); err != nil {
		return nil, err
	}
	it := new(InboxItem)
	err := tenants.RunInTx(ctx, s.db, inboxScope, func(ctx context.Context, tx bun.Tx) error {
		q := tx.NewSelect().Model(it).Where("ib.id = ? AND ib.citizen_id = ?", id, p.IdentityID)
		if !content {
			q = q.ExcludeColumn("content")
		}
		if err := q.Scan(ctx); err != nil {
			return dbx.NotFound(err)
		}
		if it.ReadAt == nil {
			now := dbx.Stamp(s.now())
			if _, err := tx.NewUpdate().Model((*InboxItem)(nil)).Set("read_at = ?", now).
				Where("ib.id = ? AND ib.citizen_id = ? AND ib.read_at IS NULL", id, p.IdentityID).Exec(ctx); err != nil {
				return err
			}
			it.ReadAt = &now
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return it, nil
}
