package delivery

import (
	"bytes"
	"context"
	"mime"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/uptrace/bun"

	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/blobs"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/httpx"
	"zhifa/tenants"
)

// DeliveriesReply lists a case's deliveries.
type DeliveriesReply struct {
	Deliveries []Delivery `json:"deliveries"`
}

// Routes mounts the delivery API: a case's consent (show, record, revoke), its deliveries (list,
// deliver now, record paper and public-notice delivery, download a receipt) for staff, and the
// citizen's inbox (list, item, PDF) for the signed-in citizen. On a case the caller may not see,
// every failure, a malformed body included, is 404.
func (s *Service) Routes(api *httpx.API) {
	const tag = "delivery"
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/cases/{id}/delivery-consent", ID: "getDeliveryConsent", Tag: tag,
		Summary: "电子送达确认书（有效的与历史）/ the party's consent to e-delivery in force, and its history",
		Action:  authz.DeliveryRead, Reply: ConsentReply{}},
		s.onCase(http.StatusOK, func(c echo.Context, sc tenants.Scope) (any, error) {
			return s.Consents(c.Request().Context(), sc, c.Param("id"))
		}))
	api.Handle(httpx.Op{Method: http.MethodPost, Path: "/cases/{id}/delivery-consent", ID: "recordDeliveryConsent", Tag: tag,
		Summary: "登记当事人签署的电子送达确认书（渠道与地址）/ record the consent the party signed: channels and addresses",
		Action:  authz.DeliveryWrite, Body: ConsentInput{}, Reply: Consent{}, Status: http.StatusCreated},
		s.onCase(http.StatusCreated, func(c echo.Context, sc tenants.Scope) (any, error) {
			var in ConsentInput
			if err := httpx.BindJSON(c, &in); err != nil {
				return nil, err
			}
			return s.RecordConsent(c.Request().Context(), sc, c.Param("id"), in)
		}))
	api.Handle(httpx.Op{Method: http.MethodPost, Path: "/cases/{id}/delivery-consent/revoke", ID: "revokeDeliveryConsent", Tag: tag,
		Summary: "撤回电子送达确认书（未完成的电子送达随之失败）/ revoke the consent in force; pending electronic deliveries fail",
		Action:  authz.DeliveryWrite, Body: RevokeInput{}, Reply: Consent{}},
		s.onCase(http.StatusOK, func(c echo.Context, sc tenants.Scope) (any, error) {
			var in RevokeInput
			if err := httpx.BindJSON(c, &in); err != nil {
				return nil, err
			}
			return s.RevokeConsent(c.Request().Context(), sc, c.Param("id"), in)
		}))
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/cases/{id}/deliveries", ID: "listDeliveries", Tag: tag,
		Summary: "案件的送达记录（各渠道状态与时间）/ a case's deliveries with each channel's status and times",
		Action:  authz.DeliveryRead, Reply: DeliveriesReply{}},
		s.onCase(http.StatusOK, func(c echo.Context, sc tenants.Scope) (any, error) {
			out, err := s.Deliveries(c.Request().Context(), sc, c.Param("id"))
			return DeliveriesReply{Deliveries: out}, err
		}))
	api.Handle(httpx.Op{Method: http.MethodPost, Path: "/cases/{id}/deliveries", ID: "deliverDocument", Tag: tag,
		Summary: "立即送达（选择渠道；电子送达须经当事人同意，" + cite(RuleEDelivery).Screen() + "）/ deliver a document now through the channels chosen",
		Action:  authz.DeliveryWrite, Body: DeliverInput{}, Reply: Delivery{}, Status: http.StatusCreated},
		s.onCase(http.StatusCreated, func(c echo.Context, sc tenants.Scope) (any, error) {
			var in DeliverInput
			if err := httpx.BindJSON(c, &in); err != nil {
				return nil, err
			}
			return s.Deliver(c.Request().Context(), sc, c.Param("id"), in)
		}))
	api.Handle(httpx.Op{Method: http.MethodPost, Path: "/cases/{id}/deliveries/{delivery_id}/paper", ID: "recordPaperDelivery", Tag: tag,
		Summary: "登记纸质送达（multipart：file 送达回证扫描件、served_on、method、receiver、note）/ record a paper delivery with the scanned receipt",
		Action:  authz.DeliveryWrite, RawBody: []string{"multipart/form-data"}, Reply: Delivery{}, MaxBody: s.maxUpload + blobs.MaxFieldBytes},
		s.onCase(http.StatusOK, s.paper))
	api.Handle(httpx.Op{Method: http.MethodPost, Path: "/cases/{id}/deliveries/{delivery_id}/public-notice", ID: "recordPublicNotice", Tag: tag,
		Summary: "登记公告送达（自公告之日起经过三十日视为送达，" + cite(RulePublicNotice).Screen() + "）/ record a public notice; deemed served after 30 days",
		Action:  authz.DeliveryWrite, Body: NoticeInput{}, Reply: Delivery{}},
		s.onCase(http.StatusOK, func(c echo.Context, sc tenants.Scope) (any, error) {
			var in NoticeInput
			if err := httpx.BindJSON(c, &in); err != nil {
				return nil, err
			}
			return s.RecordPublicNotice(c.Request().Context(), sc, c.Param("id"), c.Param("delivery_id"), in)
		}))
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/cases/{id}/deliveries/{delivery_id}/receipt", ID: "getDeliveryReceipt", Tag: tag,
		Summary: "下载送达回证扫描件（X-Content-SHA256 为记录的哈希）/ download the scanned receipt",
		Action:  authz.DeliveryRead, Status: http.StatusOK},
		func(c echo.Context) error {
			ctx, sc := c.Request().Context(), tenants.ScopeOf(c)
			rt, f, err := s.OpenReceipt(ctx, sc, c.Param("id"), c.Param("delivery_id"))
			if err != nil {
				return s.hidden(ctx, sc, c.Param("id"), err)
			}
			defer f.Close()
			h := c.Response().Header()
			h.Set("X-Content-SHA256", rt.ReceiptSHA)
			h.Set(echo.HeaderContentDisposition, mime.FormatMediaType("attachment", map[string]string{"filename": rt.ReceiptName}))
			h.Set("X-Content-Type-Options", "nosniff")
			return c.Stream(http.StatusOK, rt.ReceiptType, f)
		})

	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/portal/inbox", ID: "listInbox", Tag: "portal", Access: httpx.Session,
		Summary: "我的电子送达收件箱（当事人）/ my inbox of served documents (citizens)",
		Query:   []httpx.Param{{Name: "limit", Type: "integer", Description: "1-100, default 20"}, {Name: "offset", Type: "integer"}},
		Reply:   InboxPage{}},
		func(c echo.Context) error {
			limit, err := httpx.QueryInt(c, "limit", 20, 1, 100)
			if err != nil {
				return err
			}
			offset, err := httpx.QueryInt(c, "offset", 0, 0, 1_000_000)
			if err != nil {
				return err
			}
			out, err := s.Inbox(c.Request().Context(), httpx.PrincipalOf(c), limit, offset)
			if err != nil {
				return err
			}
			return c.JSON(http.StatusOK, out)
		})
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/portal/inbox/{id}", ID: "getInboxItem", Tag: "portal", Access: httpx.Session,
		Summary: "收件箱中的一份文书（首次查看记为已读）/ one served document; marked read the first time",
		Reply:   InboxItem{}},
		func(c echo.Context) error {
			out, err := s.InboxItem(c.Request().Context(), httpx.PrincipalOf(c), c.Param("id"), false)
			if err != nil {
				return err
			}
			return c.JSON(http.StatusOK, out)
		})
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/portal/inbox/{id}/pdf", ID: "getInboxDocument", Tag: "portal", Access: httpx.Session,
		Summary:  "下载收件箱中的文书 PDF（X-Content-SHA256 为送达时的哈希）/ download the served PDF",
		RawReply: []string{"application/pdf"}},
		func(c echo.Context) error {
			it, err := s.InboxItem(c.Request().Context(), httpx.PrincipalOf(c), c.Param("id"), true)
			if err != nil {
				return err
			}
			h := c.Response().Header()
			h.Set("X-Content-SHA256", it.SHA256)
			h.Set(echo.HeaderContentDisposition, mime.FormatMediaType("attachment", map[string]string{"filename": it.FileName}))
			h.Set("X-Content-Type-Options", "nosniff")
			return c.Stream(http.StatusOK, "application/pdf", bytes.NewReader(it.Content))
		})
}

// onCase adapts a handler of a case's path: its result is answered as JSON with status, and its
// error is hidden behind 404 when the caller may not see the case.
func (s *Service) onCase(status int, h func(c echo.Context, sc tenants.Scope) (any, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		sc := tenants.ScopeOf(c)
		out, err := h(c, sc)
		if err != nil {
			return s.hidden(c.Request().Context(), sc, c.Param("id"), err)
		}
		return c.JSON(status, out)
	}
}

// hidden answers NotFound for a failure on a case sc may not see, so that a malformed request
// does not tell another tenant's caller that the case exists.
func (s *Service) hidden(ctx context.Context, sc tenants.Scope, caseID string, err error) error {
	if errs.Is(err, errs.NotFound) || !dbx.ValidID(caseID) {
		return err
	}
	if verr := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		_, err := s.caseFor(ctx, tx, sc, caseID, authz.DeliveryRead)
		return err
	}); verr != nil {
		return errs.ErrNotFound
	}
	return err
}

// paper streams a multipart paper-delivery record (its receipt staged as it arrives) and records it.
func (s *Service) paper(c echo.Context, sc tenants.Scope) (any, error) {
	req, caseID, deliveryID := c.Request(), c.Param("id"), c.Param("delivery_id")
	if err := s.mayRecordPaper(req.Context(), sc, caseID, deliveryID, nil); err != nil {
		return nil, err
	}
	form, err := s.receipts().ReceiveForm(req, sc.TenantID(),
		errs.E(errs.Invalid, "须上传一个送达回证扫描件（字段 file）", "upload exactly one scanned receipt (field file)").
			WithFields(errs.Field("file", "必填", "required")))
	if err != nil {
		return nil, err
	}
	defer form.File.Discard()
	in := PaperInput{ServedOn: civil.Date(form.Value("served_on")), Method: form.Value("method"), Receiver: form.Value("receiver"), Note: form.Value("note")}
	return s.recordPaper(req.Context(), sc, caseID, deliveryID, in, form.FileName, form.File)
}
