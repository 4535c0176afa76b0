package documents

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"zhifa/modules/documents/internal/typeset"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/blobs"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/httpx"
	"zhifa/tenants"
)

// FieldDoc is one field of a type's data, for the template reference: its path as a template
// writes it (".party.name"; list items as "evidence[].name", written inside {{range .evidence}}).
type FieldDoc struct {
	Path  string    `json:"path"`
	Kind  FieldKind `json:"kind"`
	Title errs.Msg  `json:"title"`
}

// flatten lists fields with their paths.
func flatten(prefix string, fs []Field) []FieldDoc {
	var out []FieldDoc
	for _, f := range fs {
		p := f.Name
		if prefix != "" {
			p = prefix + "." + f.Name
		}
		out = append(out, FieldDoc{Path: p, Kind: f.Kind, Title: f.Title})
		switch f.Kind {
		case KindObject:
			out = append(out, flatten(p, f.Fields)...)
		case KindList:
			out = append(out, flatten(p+"[]", f.Fields)...)
		}
	}
	return out
}

// TypesReply lists the document types and the template language's reference.
type TypesReply struct {
	Types     []TypeSummary `json:"types"`
	Functions []FuncDoc     `json:"functions"`
	Classes   []string      `json:"classes"`
}

// TypeReply is a document type with its fields, sample data and platform template.
type TypeReply struct {
	TypeSummary
	Fields         []FieldDoc     `json:"fields"`
	Sample         map[string]any `json:"sample"`
	PlatformSource string         `json:"platform_source"`
}

// DocumentsReply lists a case's documents.
type DocumentsReply struct {
	Documents []Document `json:"documents"`
}

// IssueInput asks to issue a case's document with the case engine's data.
type IssueInput struct {
	CaseID string `json:"case_id"`
	Type   Type   `json:"type"`
	BodyID string `json:"body_id,omitempty"`
}

// RenderedReply is an HTML rendering.
type RenderedReply struct {
	HTML    string            `json:"html"`
	Missing []errs.FieldError `json:"missing,omitempty"`
}

// Routes mounts the documents API: document types, templates (list, copy, edit, preview,
// publish), documents (issue, list, PDF, HTML) and the public verification.
func (s *Service) Routes(api *httpx.API) {
	const tag = "documents"
	ctxOf := func(c echo.Context) (tenants.Scope, *http.Request) { return tenants.ScopeOf(c), c.Request() }
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/document-types", ID: "listDocumentTypes", Tag: tag,
		Summary: "文书种类及必备事项、模板语言参考 / document types, their required items and the template reference", Action: authz.DocumentsRead, Reply: TypesReply{}},
		func(c echo.Context) error {
			return c.JSON(http.StatusOK, TypesReply{Types: TypeSummaries(), Functions: FuncDocs, Classes: typeset.Classes})
		})
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/document-types/{id}", ID: "getDocumentType", Tag: tag,
		Summary: "文书种类：字段说明、示例数据、平台模板 / a document type: fields, sample data, platform template", Action: authz.DocumentsRead, Reply: TypeReply{}},
		func(c echo.Context) error {
			ti, ok := Lookup(Type(c.Param("id")))
			if !ok {
				return errs.ErrNotFound
			}
			var sum TypeSummary
			for _, x := range TypeSummaries() {
				if x.Type == ti.Type {
					sum = x
				}
			}
			return c.JSON(http.StatusOK, TypeReply{TypeSummary: sum, Fields: flatten("", ti.Fields), Sample: ti.Sample, PlatformSource: latestPlatform(ti.Type).Source})
		})
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/document-templates", ID: "listDocumentTemplates", Tag: tag,
		Summary: "模板版本（平台、本级及上级、执法主体）及当前生效版本 / template versions and the one in effect", Action: authz.DocumentsRead,
		Query: []httpx.Param{{Name: "type", Required: true, Description: "document type"}, {Name: "body_id", Description: "the body whose view to show"}}, Reply: TemplateList{}},
		func(c echo.Context) error {
			sc, r := ctxOf(c)
			l, err := s.Templates(r.Context(), sc, Type(c.QueryParam("type")), c.QueryParam("body_id"))
			if err != nil {
				return err
			}
			return c.JSON(http.StatusOK, l)
		})
	api.Handle(httpx.Op{Method: http.MethodPost, Path: "/document-templates", ID: "copyDocumentTemplate", Tag: tag,
		Summary: "复制模板为草稿（自定义的第一步）/ copy a template into a draft", Action: authz.TemplatesWrite,
		Body: CopyInput{}, Reply: Template{}, Status: http.StatusCreated},
		func(c echo.Context) error {
			var in CopyInput
			if err := httpx.BindJSON(c, &in); err != nil {
				return err
			}
			sc, r := ctxOf(c)
			t, err := s.CopyTemplate(r.Context(), sc, in)
			if err != nil {
				return err
			}
			return c.JSON(http.StatusCreated, t)
		})
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/document-templates/{id}", ID: "getDocumentTemplate", Tag: tag,
		Summary: "模板版本及源码 / a template version with its source", Action: authz.DocumentsRead, Reply: Template{}},
		func(c echo.Context) error {
			sc, r := ctxOf(c)
			t, err := s.FindTemplate(r.Context(), sc, c.Param("id"))
			if err != nil {
				return err
			}
			return c.JSON(http.StatusOK, t)
		})
	api.Handle(httpx.Op{Method: http.MethodPut, Path: "/document-templates/{id}", ID: "saveDocumentTemplate", Tag: tag,
		Summary: "保存草稿（校验语法、安全、必备事项）/ save a draft (syntax, safety and required items checked)", Action: authz.TemplatesWrite,
		Body: TemplateInput{}, Reply: Template{}},
		func(c echo.Context) error {
			var in TemplateInput
			if err := httpx.BindJSON(c, &in); err != nil {
				return err
			}
			sc, r := ctxOf(c)
			t, err := s.SaveTemplate(r.Context(), sc, c.Param("id"), in)
			if err != nil {
				return err
			}
			return c.JSON(http.StatusOK, t)
		})
	api.Handle(httpx.Op{Method: http.MethodDelete, Path: "/document-templates/{id}", ID: "discardDocumentTemplate", Tag: tag,
		Summary: "放弃草稿 / discard a draft", Action: authz.TemplatesWrite},
		func(c echo.Context) error {
			sc, r := ctxOf(c)
			if err := s.DiscardTemplate(r.Context(), sc, c.Param("id")); err != nil {
				return err
			}
			return c.NoContent(http.StatusNoContent)
		})
	api.Handle(httpx.Op{Method: http.MethodPost, Path: "/document-templates/{id}/preview", ID: "previewDocumentTemplate", Tag: tag,
		Summary: "用真实案件或示例数据预览（HTML 或带水印的 PDF）/ preview with a real case or the sample data (HTML, or a watermarked PDF)", Action: authz.DocumentsRead,
		Body: PreviewInput{}, Reply: RenderedReply{}, RawReply: []string{"application/pdf"}},
		func(c echo.Context) error {
			var in PreviewInput
			if err := httpx.BindJSON(c, &in); err != nil {
				return err
			}
			sc, r := ctxOf(c)
			p, err := s.PreviewTemplate(r.Context(), sc, c.Param("id"), in)
			if err != nil {
				return err
			}
			if in.Format == "pdf" {
				return pdfReply(c, p.PDF, "preview.pdf", "")
			}
			return c.JSON(http.StatusOK, RenderedReply{HTML: p.HTML, Missing: p.Missing})
		})
	api.Handle(httpx.Op{Method: http.MethodPost, Path: "/document-templates/{id}/publish", ID: "publishDocumentTemplate", Tag: tag,
		Summary: "发布草稿为新版本 / publish a draft as the next version", Action: authz.TemplatesWrite, Reply: Template{}},
		func(c echo.Context) error {
			sc, r := ctxOf(c)
			t, err := s.PublishTemplate(r.Context(), sc, c.Param("id"))
			if err != nil {
				return err
			}
			return c.JSON(http.StatusOK, t)
		})
	api.Handle(httpx.Op{Method: http.MethodPost, Path: "/documents", ID: "issueDocument", Tag: tag,
		Summary: "签发案件文书（编号、盖章、签名）/ issue a case's document (numbered, sealed, signed)", Action: authz.DocumentsIssue,
		Body: IssueInput{}, Reply: Document{}, Status: http.StatusCreated},
		func(c echo.Context) error {
			var in IssueInput
			if err := httpx.BindJSON(c, &in); err != nil {
				return err
			}
			sc, r := ctxOf(c)
			d, err := s.Issue(r.Context(), s.db, sc, IssueRequest{CaseID: in.CaseID, BodyID: in.BodyID, Type: in.Type})
			if err != nil {
				return err
			}
			return c.JSON(http.StatusCreated, d)
		})
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/documents", ID: "listDocuments", Tag: tag,
		Summary: "案件的文书 / a case's documents", Action: authz.DocumentsRead,
		Query: []httpx.Param{{Name: "case_id", Required: true}}, Reply: DocumentsReply{}},
		func(c echo.Context) error {
			sc, r := ctxOf(c)
			ds, err := s.List(r.Context(), sc, c.QueryParam("case_id"))
			if err != nil {
				return err
			}
			return c.JSON(http.StatusOK, DocumentsReply{Documents: ds})
		})
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/documents/{id}", ID: "getDocument", Tag: tag,
		Summary: "文书（编号、模板版本、签名）/ a document: number, pinned template, signature", Action: authz.DocumentsRead, Reply: Document{}},
		func(c echo.Context) error {
			sc, r := ctxOf(c)
			d, err := s.Find(r.Context(), sc, c.Param("id"))
			if err != nil {
				return err
			}
			return c.JSON(http.StatusOK, d)
		})
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/documents/{id}/pdf", ID: "getDocumentPDF", Tag: tag,
		Summary: "签发的 PDF（application/pdf）/ the signed PDF as issued (application/pdf)", Action: authz.DocumentsRead, RawReply: []string{"application/pdf"}},
		func(c echo.Context) error {
			sc, r := ctxOf(c)
			b, d, err := s.PDF(r.Context(), sc, c.Param("id"))
			if err != nil {
				return err
			}
			return pdfReply(c, b, d.Title+".pdf", d.PDFSM3)
		})
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/documents/{id}/html", ID: "getDocumentHTML", Tag: tag,
		Summary: "文书的 HTML 呈现（text/html）/ the document rendered as HTML (text/html)", Action: authz.DocumentsRead, RawReply: []string{"text/html"}},
		func(c echo.Context) error {
			sc, r := ctxOf(c)
			h, d, err := s.HTML(r.Context(), sc, c.Param("id"))
			if err != nil {
				return err
			}
			c.Response().Header().Set("Cache-Control", "no-store")
			return c.HTML(http.StatusOK, standalone(d.Title, h))
		})
	api.Handle(httpx.Op{Method: http.MethodGet, Path: "/verify/{id}", ID: "verifyDocument", Tag: tag, Access: httpx.Public,
		Summary: "核验文书（公开）：是否真实、未被改动，签发机关和时间 / verify a document (public)", Reply: Verdict{}},
		func(c echo.Context) error {
			v, err := s.VerifyByID(c.Request().Context(), c.Param("id"))
			if err != nil {
				return err
			}
			return c.JSON(http.StatusOK, v)
		})
	api.Handle(httpx.Op{Method: http.MethodPost, Path: "/verify", ID: "verifyUploadedDocument", Tag: tag, Access: httpx.Public,
		Summary: "上传 PDF 核验（公开；application/pdf 或 multipart 字段 file）/ verify an uploaded PDF (public)",
		RawBody: []string{"application/pdf", "multipart/form-data"}, Reply: Verdict{}, MaxBody: MaxVerifyBytes + blobs.MaxFieldBytes},
		func(c echo.Context) error {
			b, err := readUpload(c)
			if err != nil {
				return err
			}
			v, err := s.VerifyPDF(c.Request().Context(), c.QueryParam("id"), b)
			if err != nil {
				return err
			}
			return c.JSON(http.StatusOK, v)
		})
}

// pdfReply sends a PDF for viewing in the browser.
func pdfReply(c echo.Context, b []byte, name, sm3 string) error {
	h := c.Response().Header()
	h.Set("Content-Disposition", "inline; filename=\"document.pdf\"; filename*=UTF-8''"+url.PathEscape(name))
	h.Set("Cache-Control", "no-store")
	if sm3 != "" {
		h.Set("X-Document-SM3", sm3)
	}
	return c.Blob(http.StatusOK, "application/pdf", b)
}

// readUpload reads an uploaded document: the body of an application/pdf request, or the part
// named file of a multipart form, at most MaxVerifyBytes.
func readUpload(c echo.Context) ([]byte, error) {
	r := c.Request()
	tooLarge := errs.Ef(errs.TooLarge, "文件不能超过 %d MiB", "the file is at most %d MiB", MaxVerifyBytes>>20)
	read := func(rd io.Reader) ([]byte, error) {
		b, err := io.ReadAll(io.LimitReader(rd, MaxVerifyBytes+1))
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, tooLarge
		}
		if err != nil {
			return nil, errs.E(errs.Invalid, "无法读取上传的文件", "cannot read the upload").WithCause(err)
		}
		if len(b) > MaxVerifyBytes {
			return nil, tooLarge
		}
		return b, nil
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType))
	if mt != "multipart/form-data" {
		return read(r.Body)
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, errs.E(errs.Invalid, "无法解析上传的表单", "cannot parse the upload form").WithCause(err)
	}
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, errs.E(errs.Invalid, "请选择要核验的 PDF 文件", "choose the PDF file to verify").WithFields(errs.Field("file", "必填", "required"))
		}
		if err != nil {
			return nil, errs.E(errs.Invalid, "无法解析上传的表单", "cannot parse the upload form").WithCause(err)
		}
		if p.FormName() == "file" {
			return read(p)
		}
	}
}

// standalone wraps a document's HTML as a page of its own.
func standalone(title, article string) string {
	var b strings.Builder
	b.WriteString(`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>`)
	b.WriteString(htmlEscape(title))
	b.WriteString(`</title><link rel="stylesheet" href="` + static.URL("zdoc.css") + `"></head><body class="zdoc-body">`)
	b.WriteString(article)
	b.WriteString(`</body></html>`)
	return b.String()
}
