package payments

import (
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/httpx"
	"zhifa/tenants"
)

// CasePaymentsReply lists a case's payments with their receipts and refunds.
type CasePaymentsReply struct {
	Payments []PaymentDetail `json:"payments"`
}

// WarningsReply lists reconciliation warnings.
type WarningsReply struct {
	Warnings []Warning `json:"warnings"`
}

// Routes mounts the payments API: the provider's webhook (public: the signature is the
// authentication), a case's payments for staff, a refund by hand, and the reconciliation
// warnings. The portal's quote, checkout and the party's payments are the portal's routes, over
// Quote, Checkout and CasePayments.
func (s *Service) Routes(api *httpx.API) {
	const tag = "payments"
	api.Handle(httpx.Op{Method: http.MethodPost, Path: "/payments/webhook/{tenant}", ID: "paymentWebhook", Tag: tag, Access: httpx.Public,
		Summary: "Stripe Webhook（以本租户账户的签名密钥验签；每个事件只处理一次）/ Stripe webhook of the tenant's account: verified, each event once",
		RawBody: []string{echo.MIMEApplicationJSON}, Reply: WebhookReply{}, MaxBody: MaxWebhookBytes},
		func(c echo.Context) error {
			req := c.Request()
			body, err := io.ReadAll(req.Body)
			if err != nil {
				if errs.Is(err, errs.TooLarge) { // cut at the route's limit (httpx.LimitBody)
					return err
				}
				return errs.E(errs.Invalid, "无法读取请求体", "cannot read the body").WithCause(err)
			}
			out, err := s.HandleWebhook(req.Context(), c.Param("tenant"), body, req.Header.Get("Stripe-Signature"))
			if err != nil {
				return err
			}
			return c.JSON(http.StatusOK, out)
		})
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/cases/{id}/payments", ID: "listCasePayments", Tag: tag,
		Summary: "案件的网上缴款（含财政电子票据与退款）/ a case's payments with their receipts and refunds",
		Action:  authz.PaymentsRead, Reply: CasePaymentsReply{}},
		func(c echo.Context) error {
			out, err := s.CaseDetails(c.Request().Context(), tenants.ScopeOf(c), c.Param("id"))
			if err != nil {
				return err
			}
			return c.JSON(http.StatusOK, CasePaymentsReply{Payments: out})
		})
	api.Handle(httpx.Op{Method: http.MethodPost, Path: "/payments/{id}/refunds", ID: "refundPayment", Tag: tag,
		Summary: "退款（决定撤销或罚款减少；须带 Idempotency-Key，不超过已缴金额）/ refund a payment: the decision revoked or the fine reduced",
		Action:  authz.PaymentsRefund, Body: RefundInput{}, Reply: RefundView{}, Status: http.StatusCreated},
		func(c echo.Context) error {
			var in RefundInput
			if err := httpx.BindJSON(c, &in); err != nil {
				return err
			}
			in.IdempotencyKey = c.Request().Header.Get("Idempotency-Key")
			out, err := s.RefundPayment(c.Request().Context(), tenants.ScopeOf(c), c.Param("id"), in)
			if err != nil {
				return err
			}
			return c.JSON(http.StatusCreated, out)
		})
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/payments/warnings", ID: "listPaymentWarnings", Tag: tag,
		Summary: "对账预警（本地记录与 Stripe 不符）/ reconciliation warnings: our records and Stripe's disagree",
		Action:  authz.PaymentsRead, Query: []httpx.Param{{Name: "limit", Type: "integer", Description: "1-500, default 100"}}, Reply: WarningsReply{}},
		func(c echo.Context) error {
			limit, err := httpx.QueryInt(c, "limit", 100, 1, 500)
			if err != nil {
				return err
			}
			out, err := s.Warnings(c.Request().Context(), tenants.ScopeOf(c), limit)
			if err != nil {
				return err
			}
			return c.JSON(http.StatusOK, WarningsReply{Warnings: out})
		})
}
