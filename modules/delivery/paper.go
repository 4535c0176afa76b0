package delivery

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/blobs"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

// ReceiptTypes are the types a scanned receipt may have (sniffed from its bytes).
var ReceiptTypes = []string{"application/pdf", "image/jpeg", "image/png"}

// PaperInput records a paper delivery (直接送达、留置送达、邮寄送达) with its signed receipt (送达回证).
type PaperInput struct {
	ServedOn civil.Date `json:"served_on"` // the day on the receipt
	Method   string     `json:"method"`    // direct, left_at_address, post, on_the_spot
	Receiver string     `json:"receiver"`  // who signed (the party, a family member, a witness for left_at_address...)
	Note     string     `json:"note,omitempty"`
}

// validate checks the request against today.
func (in *PaperInput) validate(today civil.Date) error {
	var f []errs.FieldError
	if !in.ServedOn.Valid() {
		f = append(f, errs.Field("served_on", "须为日期 YYYY-MM-DD", "must be a date YYYY-MM-DD"))
	} else if in.ServedOn.After(today) {
		f = append(f, errs.Field("served_on", "送达日期不能晚于今天", "cannot be in the future"))
	}
	if !slices.Contains(PaperMethods, in.Method) {
		f = append(f, errs.Field("method", "须为 direct、left_at_address、post 或 on_the_spot", "must be direct, left_at_address, post or on_the_spot"))
	}
	in.Receiver = strings.TrimSpace(in.Receiver)
	if in.Receiver == "" || utf8.RuneCountInString(in.Receiver) > 100 {
		f = append(f, errs.Field("receiver", "必填（签收人），不超过100字", "required (who signed), at most 100 characters"))
	}
	if utf8.RuneCountInString(in.Note) > 1000 {
		f = append(f, errs.Field("note", "不超过1000字", "at most 1000 characters"))
	}
	if len(f) > 0 {
		return errs.E(errs.Invalid, "纸质送达记录有误", "the paper delivery record has invalid fields").WithFields(f...)
	}
	return nil
}

// NoticeInput records a public notice (公告送达): where and when it was published, and why the
// other ways were impossible (民事诉讼法 Art. 95: the party cannot be found, or the other ways
// failed).
type NoticeInput struct {
	PublishedOn civil.Date `json:"published_on"`
	Medium      string     `json:"medium"`    // e.g. 本机关门户网站、《福建日报》
	Reference   string     `json:"reference"` // the notice's address or issue
	Reason      string     `json:"reason"`    // why public notice
}

func (in *NoticeInput) validate(today civil.Date) error {
	var f []errs.FieldError
	if !in.PublishedOn.Valid() {
		f = append(f, errs.Field("published_on", "须为日期 YYYY-MM-DD", "must be a date YYYY-MM-DD"))
	} else if in.PublishedOn.After(today) {
		f = append(f, errs.Field("published_on", "公告日期不能晚于今天", "cannot be in the future"))
	}
	for _, v := range []struct {
		field string
		val   *string
		max   int
	}{{"medium", &in.Medium, 200}, {"reference", &in.Reference, 500}, {"reason", &in.Reason, 1000}} {
		*v.val = strings.TrimSpace(*v.val)
		if *v.val == "" || utf8.RuneCountInString(*v.val) > v.max {
			f = append(f, errs.Field(v.field, fmt.Sprintf("必填，不超过%d字", v.max), fmt.Sprintf("required, at most %d characters", v.max)))
		}
	}
	if len(f) > 0 {
		return errs.E(errs.Invalid, "公告送达记录有误", "the public notice record has invalid fields").WithFields(f...)
	}
	return nil
}

// RecordPaper records that a document was served on paper, with the scanned receipt read from r
// (stored under its SHA-256, which the case's record keeps): the paper route is delivered on the
// day served. Officers and body heads (delivery.write). Returns Invalid (a field; a receipt that is
// empty or not a PDF, JPEG or PNG), TooLarge, NotFound, Conflict (a paper receipt was recorded
// already), Unavailable (no upload directory), Forbidden.
func (s *Service) RecordPaper(ctx context.Context, sc tenants.Scope, caseID, deliveryID string, in PaperInput, fileName string, r io.Reader) (*Delivery, error) {
	if err := s.mayRecordPaper(ctx, sc, caseID, deliveryID, &in); err != nil {
		return nil, err
	}
	st, err := s.receipts().Stage(sc.TenantID(), r)
	if err != nil {
		return nil, err
	}
	defer st.Discard()
	return s.recordPaper(ctx, sc, caseID, deliveryID, in, fileName, st)
}

// mayRecordPaper checks a paper record before its receipt is read: the caller's roles, the IDs,
// the delivery's visibility and, when in is given, the fields.
func (s *Service) mayRecordPaper(ctx context.Context, sc tenants.Scope, caseID, deliveryID string, in *PaperInput) error {
	if err := may(sc, authz.DeliveryWrite); err != nil {
		return err
	}
	if err := checkID("case_id", caseID); err != nil {
		return err
	}
	if err := checkID("delivery_id", deliveryID); err != nil {
		return err
	}
	if in != nil {
		if err := in.validate(s.today()); err != nil {
			return err
		}
	}
	return s.visibleDelivery(ctx, sc, caseID, deliveryID, authz.DeliveryWrite)
}

// recordPaper records the staged receipt st, and keeps it in the store once the record has
// committed: a refused record leaves no file behind.
func (s *Service) recordPaper(ctx context.Context, sc tenants.Scope, caseID, deliveryID string, in PaperInput, fileName string, st *blobs.Staged) (*Delivery, error) {
	if err := in.validate(s.today()); err != nil {
		return nil, err
	}
	var out *Delivery
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		d, err := s.deliveryOf(ctx, tx, sc, caseID, deliveryID, authz.DeliveryWrite)
		if err != nil {
			return err
		}
		now, at := dbx.Stamp(s.now()), in.ServedOn.Time().UTC()
		rt := d.route(ChannelPaper)
		if rt != nil && rt.Status == RouteDelivered {
			return errs.E(errs.Conflict, "该文书的纸质送达已记录", "the paper delivery of this document is recorded already")
		}
		fields := Route{Method: in.Method, Status: RouteDelivered, DeliveredAt: &at, ServedOn: in.ServedOn, Receiver: in.Receiver,
			ReceiptSHA: st.SHA256, ReceiptSize: st.Size, ReceiptType: st.ContentType, ReceiptName: blobs.CleanName(fileName, "receipt"), Notice: in.Note,
			Reply: "送达回证 " + st.SHA256[:12], UpdatedAt: now}
		if rt == nil {
			fields.ID, fields.TenantID, fields.DeliveryID, fields.DocumentID, fields.Channel = dbx.NewID(), sc.TenantID(), d.ID, d.DocumentID, ChannelPaper
			fields.CreatedBy, fields.CreatedAt = sc.Actor(), now
			if err := insert(ctx, tx, &fields, "该文书已选择纸质送达", "paper delivery was already chosen for this document"); err != nil {
				return err
			}
		} else {
			fields.ID = rt.ID
			res, err := unfinished(tenants.Own(sc, tx.NewUpdate().Model(&fields)).Column("method", "status", "delivered_at", "served_on", "receiver",
				"receipt_sha256", "receipt_size", "receipt_type", "receipt_name", "notice", "reply", "updated_at").Where("r.id = ?", rt.ID)).Exec(ctx)
			if err != nil {
				return err
			}
			if rowsAffected(res) == 0 {
				return errs.E(errs.Conflict, "该文书的纸质送达已记录", "the paper delivery of this document is recorded already")
			}
		}
		if err := queueRecord(ctx, tx, sc, fields.ID); err != nil {
			return err
		}
		out, err = s.settled(ctx, tx, sc, d.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, st.Keep()
}

// RecordPublicNotice records that a document was published as a public notice: the route is
// published, and deemed served at the end of the 30th day after publication (DeemedOn), when the
// periodic task marks it. Officers and body heads (delivery.write). Returns Invalid, NotFound,
// Conflict (a notice was recorded already), Forbidden.
func (s *Service) RecordPublicNotice(ctx context.Context, sc tenants.Scope, caseID, deliveryID string, in NoticeInput) (*Delivery, error) {
	if err := may(sc, authz.DeliveryWrite); err != nil {
		return nil, err
	}
	if err := checkID("case_id", caseID); err != nil {
		return nil, err
	}
	if err := checkID("delivery_id", deliveryID); err != nil {
		return nil, err
	}
	if err := in.validate(s.today()); err != nil {
		return nil, err
	}
	var out *Delivery
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		d, err := s.deliveryOf(ctx, tx, sc, caseID, deliveryID, authz.DeliveryWrite)
		if err != nil {
			return err
		}
		now := dbx.Stamp(s.now())
		deemed := civil.DateOf(rules.PublicNoticeServedOn(in.PublishedOn.Time()))
		notice := in.Medium + "；" + in.Reference + "；" + in.Reason
		fields := Route{Method: in.Medium, Status: RoutePublished, PublishedOn: in.PublishedOn, DeemedOn: deemed, Notice: clip(notice, 2000),
			ReceiptSHA: sha256Hex([]byte(notice)), Reply: "公告 " + in.Reference, UpdatedAt: now}
		rt := d.route(ChannelPublicNotice)
		switch {
		case rt == nil:
			fields.ID, fields.TenantID, fields.DeliveryID, fields.DocumentID, fields.Channel = dbx.NewID(), sc.TenantID(), d.ID, d.DocumentID, ChannelPublicNotice
			fields.CreatedBy, fields.CreatedAt = sc.Actor(), now
			if err := insert(ctx, tx, &fields, "该文书已选择公告送达", "public notice was already chosen for this document"); err != nil {
				return err
			}
		case rt.Status == RoutePending || rt.Status == RouteFailed:
			fields.ID = rt.ID
			if _, err := tenants.Own(sc, tx.NewUpdate().Model(&fields)).Column("method", "status", "published_on", "deemed_on", "notice",
				"receipt_sha256", "reply", "updated_at").Where("r.id = ? AND r.status IN (?)", rt.ID, bun.In([]RouteStatus{RoutePending, RouteFailed})).Exec(ctx); err != nil {
				return err
			}
		default:
			return errs.E(errs.Conflict, "该文书的公告送达已记录", "the public notice of this document is recorded already")
		}
		out, err = s.settled(ctx, tx, sc, d.ID)
		return err
	})
	return out, err
}

// visibleDelivery checks, before an upload is stored, that sc may take action a on the case and
// its delivery.
func (s *Service) visibleDelivery(ctx context.Context, sc tenants.Scope, caseID, deliveryID string, a authz.Action) error {
	return tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		_, err := s.deliveryOf(ctx, tx, sc, caseID, deliveryID, a)
		return err
	})
}

// deliveryOf returns a delivery of a case on which sc takes action a. Returns NotFound.
func (s *Service) deliveryOf(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID, deliveryID string, a authz.Action) (*Delivery, error) {
	if _, err := s.caseFor(ctx, tx, sc, caseID, a); err != nil {
		return nil, err
	}
	d, err := findDelivery(ctx, tx, sc, deliveryID)
	if err != nil {
		return nil, err
	}
	if d.CaseID != caseID {
		return nil, errs.ErrNotFound
	}
	return d, nil
}

// settled reads a delivery again, stores its settled status and returns it.
func (s *Service) settled(ctx context.Context, tx bun.IDB, sc tenants.Scope, id string) (*Delivery, error) {
	d, err := findDelivery(ctx, tx, sc, id)
	if err != nil {
		return nil, err
	}
	c, err := activeConsent(ctx, tx, sc, d.CaseID)
	if err != nil {
		return nil, err
	}
	return d, s.saveStatus(ctx, tx, sc, d, c)
}

// OpenReceipt opens the scanned receipt of a delivery's paper route. Staff who may read the case
// (delivery.read). The caller closes the file. Returns Invalid, NotFound, Forbidden, Unavailable.
func (s *Service) OpenReceipt(ctx context.Context, sc tenants.Scope, caseID, deliveryID string) (*Route, *os.File, error) {
	if err := may(sc, authz.DeliveryRead); err != nil {
		return nil, nil, err
	}
	if err := checkID("case_id", caseID); err != nil {
		return nil, nil, err
	}
	if err := checkID("delivery_id", deliveryID); err != nil {
		return nil, nil, err
	}
	var rt *Route
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		d, err := s.deliveryOf(ctx, tx, sc, caseID, deliveryID, authz.DeliveryRead)
		if err != nil {
			return err
		}
		if rt = d.route(ChannelPaper); rt == nil || rt.ReceiptSHA == "" {
			return errs.E(errs.NotFound, "没有送达回证", "no receipt was recorded")
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	if s.uploadDir == "" {
		return nil, nil, errs.E(errs.Unavailable, "未配置文件存储目录", "no file storage is configured")
	}
	f, err := os.Open(s.receipts().Path(sc.TenantID(), rt.ReceiptSHA))
	if err != nil {
		return nil, nil, errs.E(errs.NotFound, "送达回证文件缺失", "the receipt file is missing").WithCause(err)
	}
	return rt, f, nil
}

// receipts is the store of scanned receipts: content-addressed per tenant under
// <upload dir>/delivery.
func (s *Service) receipts() blobs.Store {
	dir := ""
	if s.uploadDir != "" {
		dir = filepath.Join(s.uploadDir, "delivery")
	}
	return blobs.Store{Dir: dir, MaxBytes: s.maxUpload, Types: ReceiptTypes,
		TypeHint: errs.Msg{ZH: "送达回证须为 PDF、JPEG 或 PNG", EN: "the receipt must be a PDF, JPEG or PNG"}}
}
