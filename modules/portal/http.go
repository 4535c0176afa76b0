package portal

import (
	"bytes"
	"errors"
	"math"
	"mime"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"zhifa/modules/delivery"
	"zhifa/modules/kernel/httpx"
	"zhifa/modules/payments"
	"zhifa/modules/rules"
)

// MyCasesReply lists the cases the account proved to be the party of.
type MyCasesReply struct {
	Cases []CaseSummary `json:"cases"`
}

// PaymentsReply lists a case's payments.
type PaymentsReply struct {
	Payments []payments.PaymentView `json:"payments"`
}

// LookupReply is the case a lookup found (and the account now claims).
type LookupReply struct {
	Case CaseSummary `json:"case"`
}

const tag = "portal"

// Routes mounts the portal API under /portal/ (beside the inbox, which the delivery module
// serves at /portal/inbox). Every operation needs a signed-in citizen; the lookup is the only
// one that takes a case code, and every other one answers 404 on a case the account has not
// claimed. The caller's principal is the fence, so the operations carry no tenant.
func (s *Service) Routes(api *httpx.API) {
	api.Handle(httpx.Op{Method: http.MethodPost, Path: "/portal/lookup", ID: "portalLookup", Tag: tag, Access: httpx.Session,
		Summary: "按案件编码查询并核验当事人身份（身份证号或统一社会信用代码后6位）/ look a case up by its code, proving to be its party",
		Body:    LookupInput{}, Reply: LookupReply{}},
		func(c echo.Context) error {
			var in LookupInput
			if err := httpx.BindJSON(c, &in); err != nil {
				return err
			}
			out, err := s.Lookup(c.Request().Context(), httpx.PrincipalOf(c), httpx.ClientIP(c), in)
			if err != nil {
				var rl *RateLimitError
				if errors.As(err, &rl) {
					c.Response().Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(rl.RetryAfter.Seconds()))))
				}
				return err
			}
			return reply(c, http.StatusOK, LookupReply{Case: *out})
		})
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/portal/cases", ID: "listPortalCases", Tag: tag, Access: httpx.Session,
		Summary: "我的案件（已核验身份的案件）/ my cases: those the account proved to be the party of", Reply: MyCasesReply{}},
		func(c echo.Context) error {
			out, err := s.MyCases(c.Request().Context(), httpx.PrincipalOf(c))
			if err != nil {
				return err
			}
			return reply(c, http.StatusOK, MyCasesReply{Cases: out})
		})
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/portal/cases/{id}", ID: "getPortalCase", Tag: tag, Access: httpx.Session,
		Summary: "案件公开状态、期限、文书、送达确认、评议与复议 / a case as its party sees it", Reply: CaseReply{}},
		func(c echo.Context) error {
			out, err := s.Case(c.Request().Context(), httpx.PrincipalOf(c), c.Param("id"))
			if err != nil {
				return err
			}
			return reply(c, http.StatusOK, out)
		})
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/portal/cases/{id}/documents/{document_id}/pdf", ID: "getPortalDocument", Tag: tag,
		Access: httpx.Session, Summary: "下载本案文书 PDF（含缴款票据）/ download a document of the case (receipts included)", RawReply: []string{"application/pdf"}},
		func(c echo.Context) error {
			pdf, f, err := s.Document(c.Request().Context(), httpx.PrincipalOf(c), c.Param("id"), c.Param("document_id"))
			if err != nil {
				return err
			}
			return sendPDF(c, f.FileName, pdf)
		})
	api.Handle(httpx.Op{Method: http.MethodPost, Path: "/portal/cases/{id}/consent", ID: "signPortalConsent", Tag: tag, Access: httpx.Session,
		Summary: "签署电子送达确认书（收件箱为本账号，签署日期为今日）/ sign the consent to e-delivery", Body: ConsentInput{},
		Reply: delivery.Consent{}, Status: http.StatusCreated},
		func(c echo.Context) error {
			var in ConsentInput
			if err := s.bind(c, &in); err != nil {
				return err
			}
			out, err := s.SignConsent(c.Request().Context(), httpx.PrincipalOf(c), c.Param("id"), in)
			if err != nil {
				return err
			}
			return reply(c, http.StatusCreated, out)
		})
	api.Handle(httpx.Op{Method: http.MethodPost, Path: "/portal/cases/{id}/evaluation", ID: "evaluatePortalCase", Tag: tag, Access: httpx.Session,
		Summary: "公众评议（1至5分，意见不超过500字，每案一次）/ evaluate the enforcement, once per case", Body: EvaluationInput{},
		Reply: Evaluation{}, Status: http.StatusCreated},
		func(c echo.Context) error {
			var in EvaluationInput
			if err := s.bind(c, &in); err != nil {
				return err
			}
			out, err := s.Evaluate(c.Request().Context(), httpx.PrincipalOf(c), c.Param("id"), in)
			if err != nil {
				return err
			}
			return reply(c, http.StatusCreated, out)
		})
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/portal/cases/{id}/reconsideration/draft", ID: "draftPortalReconsideration", Tag: tag,
		Access: httpx.Session, Summary: "一键复议：按处罚决定预填的行政复议申请书 / the application pre-filled from the decision", Reply: Draft{}},
		func(c echo.Context) error {
			out, err := s.ReconsiderationDraft(c.Request().Context(), httpx.PrincipalOf(c), c.Param("id"))
			if err != nil {
				return err
			}
			return reply(c, http.StatusOK, out)
		})
	api.Handle(httpx.Op{Method: http.MethodPost, Path: "/portal/cases/{id}/reconsideration", ID: "applyPortalReconsideration", Tag: tag,
		Access: httpx.Session, Summary: "提交行政复议申请（" + rules.MustLookup(rules.RemedyReconsideration).Cite().Screen() + "：60日内）/ submit the application for reconsideration",
		Body: ApplicationInput{}, Reply: Application{}, Status: http.StatusCreated},
		func(c echo.Context) error {
			var in ApplicationInput
			if err := s.bind(c, &in); err != nil {
				return err
			}
			out, err := s.Apply(c.Request().Context(), httpx.PrincipalOf(c), c.Param("id"), in)
			if err != nil {
				return err
			}
			return reply(c, http.StatusCreated, out)
		})
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/portal/cases/{id}/reconsideration", ID: "getPortalReconsideration", Tag: tag,
		Access: httpx.Session, Summary: "行政复议申请进度：已提交、已发送、已决定 / the application: submitted, sent, decided", Reply: Application{}},
		func(c echo.Context) error {
			out, err := s.Reconsideration(c.Request().Context(), httpx.PrincipalOf(c), c.Param("id"))
			if err != nil {
				return err
			}
			return reply(c, http.StatusOK, out)
		})
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/portal/cases/{id}/reconsideration/pdf", ID: "getPortalReconsiderationPDF", Tag: tag,
		Access: httpx.Session, Summary: "下载行政复议申请书 PDF / download the application", RawReply: []string{"application/pdf"}},
		func(c echo.Context) error {
			pdf, name, err := s.ApplicationPDF(c.Request().Context(), httpx.PrincipalOf(c), c.Param("id"))
			if err != nil {
				return err
			}
			return sendPDF(c, name, pdf)
		})
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/portal/cases/{id}/quote", ID: "getPortalQuote", Tag: tag, Access: httpx.Session,
		Summary: "应缴金额：罚款、加处罚款（逾期及暂停天数、依据）与合计 / what paying would charge today", Reply: payments.Quote{}},
		func(c echo.Context) error {
			out, err := s.Quote(c.Request().Context(), httpx.PrincipalOf(c), c.Param("id"))
			if err != nil {
				return err
			}
			return reply(c, http.StatusOK, out)
		})
	api.Handle(httpx.Op{Method: http.MethodPost, Path: "/portal/cases/{id}/checkout", ID: "startPortalCheckout", Tag: tag, Access: httpx.Session,
		Summary: "网上缴纳罚款：返回支付页面地址（Idempotency-Key 头使重试得到同一笔）/ start paying: the payment page to go to",
		Reply:   payments.Checkout{}},
		func(c echo.Context) error {
			out, err := s.Checkout(c.Request().Context(), httpx.PrincipalOf(c), c.Param("id"), c.Request().Header.Get("Idempotency-Key"))
			if err != nil {
				return err
			}
			return reply(c, http.StatusOK, out)
		})
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/portal/cases/{id}/payments", ID: "listPortalPayments", Tag: tag, Access: httpx.Session,
		Summary: "本案缴款记录及财政电子票据 / the case's payments and receipts", Reply: PaymentsReply{}},
		func(c echo.Context) error {
			out, err := s.Payments(c.Request().Context(), httpx.PrincipalOf(c), c.Param("id"))
			if err != nil {
				return err
			}
			return reply(c, http.StatusOK, PaymentsReply{Payments: out})
		})
}

// bind reads the request body of an operation on a case; a body the account may not send
// (the case is not its claim) answers 404 whatever is wrong with it.
func (s *Service) bind(c echo.Context, v any) error {
	err := httpx.BindJSON(c, v)
	if err == nil {
		return nil
	}
	if _, _, cerr := s.claimed(c.Request().Context(), httpx.PrincipalOf(c), c.Param("id")); cerr != nil {
		return cerr
	}
	return err
}

// reply answers JSON that no cache may keep: it is one party's.
func reply(c echo.Context, status int, v any) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(status, v)
}

func sendPDF(c echo.Context, name string, pdf []byte) error {
	h := c.Response().Header()
	h.Set(echo.HeaderContentDisposition, mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	return c.Stream(http.StatusOK, "application/pdf", bytes.NewReader(pdf))
}
