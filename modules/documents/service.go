package documents

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"zhifa/modules/documents/internal/typeset"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/secretbox"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

// CaseSource is implemented by the case engine: the data of a case for a document type, in the
// shape the type's fields declare (see TypeInfo.Fields; GET /api/v1/document-types lists them).
// It runs inside the issuing transaction. Returns NotFound for a case the scope cannot see.
type CaseSource interface {
	DocumentData(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string, typ Type) (map[string]any, error)
}

// Config is what the documents module is built from.
type Config struct {
	DB *bun.DB // opened through tenants.Open, so that the guard knows the document tables
	// SecretKey is the platform's secret key (config secrets.key, decoded: 32 bytes); the
	// bodies' signing keys are encrypted with a key derived from it.
	SecretKey []byte
	// PublicURL is where the platform is reached (config http.public_url): the verification
	// address printed on documents and carried by their QR codes is <PublicURL>/verify/<id>.
	PublicURL string
	// Cases gives the data of a case for a document; nil until the case engine provides it
	// (Issue then needs IssueRequest.Data).
	Cases CaseSource
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Limits bounds every template execution (default DefaultLimits).
	Limits Limits
}

// Service is the documents module's use cases: templates, issuing, rendering and verification.
// Every method that touches tenant data takes the Scope it acts for right after ctx; another
// tenant's template or document is NotFound.
type Service struct {
	db        *bun.DB
	box       *secretbox.Box
	publicURL string
	cases     CaseSource
	now       func() time.Time
	lim       Limits
}

// New returns the documents service, registering the document types (Types) and the platform
// set. It panics when the secret key is not 32 bytes (the configuration's validation guarantees
// it) or the types and templates disagree: both are programming errors, found at start-up.
func New(cfg Config) *Service {
	types()
	if len(cfg.SecretKey) != 32 {
		panic(fmt.Sprintf("documents: the secret key must be 32 bytes, got %d", len(cfg.SecretKey)))
	}
	box, err := secretbox.New(cfg.SecretKey, keyPurpose)
	if err != nil {
		panic(err)
	}
	s := &Service{db: cfg.DB, box: box, publicURL: strings.TrimRight(cfg.PublicURL, "/"),
		cases: cfg.Cases, now: cfg.Now, lim: cfg.Limits}
	if s.now == nil {
		s.now = time.Now
	}
	if s.lim == (Limits{}) {
		s.lim = DefaultLimits
	}
	return s
}

// SetCaseSource sets where the data of cases comes from, for a composition root that builds the
// case engine after this service.
func (s *Service) SetCaseSource(c CaseSource) { s.cases = c }

// IssueRequest asks for a document of a case.
type IssueRequest struct {
	CaseID string `json:"case_id"`
	// BodyID is the issuing body; empty: the case's body. It must be the case's body.
	BodyID string `json:"body_id,omitempty"`
	Type   Type   `json:"type"`
	// Data is the document's data; nil: the case engine's (Config.Cases).
	Data map[string]any `json:"-"`
}

// VerifyURL returns the verification address of a document.
func (s *Service) VerifyURL(id string) string { return s.publicURL + "/verify/" + id }

// mayIssue refuses a scope that may not issue for the body.
func mayIssue(sc tenants.Scope, bodyID string) error {
	switch {
	case !sc.Valid():
		return tenants.ErrNoScope
	case sc.ReadOnly():
		return tenants.ErrReadOnlyScope
	case sc.TenantID() == "":
		return errs.E(errs.Invalid, "签发文书须在具体租户下进行", "issuing a document needs a tenant scope")
	case !sc.Can(authz.DocumentsIssue):
		return errs.ErrForbidden.WithOp(string(authz.DocumentsIssue))
	case bodyID != "" && !sc.CanFor(authz.DocumentsIssue, bodyID):
		return errs.E(errs.Forbidden, "只能签发本执法主体的文书", "you issue only your own body's documents")
	}
	return nil
}

// mayRead refuses a scope that may not read documents.
func mayRead(sc tenants.Scope) error {
	switch {
	case !sc.Valid():
		return tenants.ErrNoScope
	case !sc.Can(authz.DocumentsRead):
		return errs.ErrForbidden.WithOp(string(authz.DocumentsRead))
	}
	return nil
}

func checkID(field, id string) error {
	if dbx.ValidID(id) {
		return nil
	}
	return errs.E(errs.Invalid, field+" 不是有效的 ID", field+" is not a valid ID").WithFields(errs.Field(field, "须为 UUID", "must be a UUID"))
}

// inTx runs fn in a savepoint of tx when it is a transaction (the caller's, whose context
// carries sc), so that a failed issue takes back everything it did (its number included) even
// if the caller goes on; or in a new transaction under sc when tx is the database itself.
func (s *Service) inTx(ctx context.Context, tx bun.IDB, sc tenants.Scope, fn func(ctx context.Context, tx bun.IDB) error) error {
	if _, ok := tenants.FromContext(ctx); !ok {
		ctx = tenants.WithScope(ctx, sc)
	}
	switch t := tx.(type) {
	case nil:
		return tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error { return fn(ctx, tx) })
	case *bun.DB:
		return tenants.RunInTx(ctx, t, sc, func(ctx context.Context, tx bun.Tx) error { return fn(ctx, tx) })
	case bun.Tx:
		return t.RunInTx(ctx, nil, func(_ context.Context, sp bun.Tx) error { return fn(ctx, sp) })
	}
	return fn(ctx, tx)
}

// Issue issues a document of a case in tx (the case engine's transaction, so that the
// document, its number and the case's step commit or roll back together; a *bun.DB opens one):
// it takes the data (req.Data or the case engine's), the template version that applies to the
// body (pinned), allocates the document number of the body, series and year, renders the PDF
// with the seal and the verification QR code, signs its SM3 digest with the body's SM2 key and
// stores it all. Officers, body heads and legal reviewers (documents.issue), for their own
// bodies. Returns Invalid (bad request, a template that fails on this data), NotFound (no such
// case), Forbidden, FailedPrecondition (required data missing, naming the fields; no case data).
func (s *Service) Issue(ctx context.Context, tx bun.IDB, sc tenants.Scope, req IssueRequest) (*Document, error) {
	if err := mayIssue(sc, req.BodyID); err != nil {
		return nil, err
	}
	ti, ok := Lookup(req.Type)
	if !ok {
		return nil, errs.E(errs.Invalid, "未知文书种类", "unknown document type").WithFields(errs.Field("type", "未知", "unknown"))
	}
	if err := checkID("case_id", req.CaseID); err != nil {
		return nil, err
	}
	var doc *Document
	err := s.inTx(ctx, tx, sc, func(ctx context.Context, tx bun.IDB) error {
		var err error
		doc, err = s.issue(ctx, tx, sc, ti, req)
		return err
	})
	return doc, err
}

func (s *Service) issue(ctx context.Context, tx bun.IDB, sc tenants.Scope, ti *TypeInfo, req IssueRequest) (*Document, error) {
	c := new(caseRef)
	if err := tenants.Own(sc, tx.NewSelect().Model(c)).Where("c.id = ?", req.CaseID).Scan(ctx); err != nil {
		return nil, dbx.NotFound(err)
	}
	if req.BodyID == "" {
		req.BodyID = c.BodyID
	}
	if req.BodyID != c.BodyID {
		return nil, errs.E(errs.Invalid, "文书须由案件的办案主体签发", "a case's documents are issued by the case's body").
			WithFields(errs.Field("body_id", "不是案件的执法主体", "not the case's body"))
	}
	if !sc.CanFor(authz.DocumentsIssue, c.BodyID) {
		return nil, errs.E(errs.Forbidden, "只能签发本执法主体的文书", "you issue only your own body's documents")
	}
	body := new(bodyRef)
	if err := tenants.Own(sc, tx.NewSelect().Model(body)).Where("b.id = ?", c.BodyID).Scan(ctx); err != nil {
		return nil, dbx.NotFound(err)
	}
	data := req.Data
	if data == nil {
		if s.cases == nil {
			return nil, errs.E(errs.FailedPrecondition, "尚未接入案件数据来源，无法生成文书", "no case data source is configured to fill the document")
		}
		var err error
		if data, err = s.cases.DocumentData(ctx, tx, sc, c.ID, ti.Type); err != nil {
			return nil, err
		}
	}
	pol, err := resolvePolicy(ctx, tx, sc, c.BodyID)
	if err != nil {
		return nil, err
	}
	tpl, err := s.effective(ctx, tx, sc, ti.Type, c.BodyID, pol)
	if err != nil {
		return nil, err
	}
	prog, err := Compile(ti, tpl.Source)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC().Truncate(time.Second)
	year := now.In(rules.Location).Year()
	doc := &Document{ID: dbx.NewID(), TenantID: sc.TenantID(), BodyID: c.BodyID, CaseID: c.ID, CaseCode: c.Code, Type: ti.Type,
		Series: ti.Series, Year: year, TemplateRef: tpl.ID, TemplateVersion: tpl.Version, TemplateSHA256: tpl.SourceSHA256,
		IssuedBy: sc.Actor(), IssuedAt: now}
	// the data must have every required item before a number is taken
	if ti.Series != "" {
		doc.Number = formatNumber(pol.prefix, body.Name, ti.Series, year, 0)
	}
	m, _, err := canonical(ti, s.overlay(data, ti, doc, body, c, now))
	if err != nil {
		return nil, err
	}
	if missing := missingValues(ti, m); len(missing) > 0 {
		e := errs.Ef(errs.FailedPrecondition, "%s缺少必备事项的数据：%s", "the %s lacks data for required items: %s", ti.Name.ZH, missing[0].Field)
		e.Rule = &errs.Rule{ID: "documents.required_items", Law: lawOf(ti.Basis), Article: ti.Basis}
		return nil, e.WithFields(missing...)
	}
	if ti.Series != "" {
		if doc.Seq, err = allocate(ctx, tx, sc, c.BodyID, year, ti.Series); err != nil {
			return nil, err
		}
		doc.Number = formatNumber(pol.prefix, body.Name, ti.Series, year, doc.Seq)
	}
	doc.Title = ti.Name.ZH
	if doc.Number != "" {
		doc.Title += " " + doc.Number
	}
	m, raw, err := canonical(ti, s.overlay(data, ti, doc, body, c, now))
	if err != nil {
		return nil, err
	}
	if len(raw) > maxDataBytes {
		return nil, errs.Ef(errs.Invalid, "文书数据超过 %d 字节", "the document data exceeds %d bytes", maxDataBytes)
	}
	doc.Data = string(raw)
	r, err := s.renderDoc(ctx, prog, m, tpl.SealPNG, doc)
	if err != nil {
		return nil, err
	}
	if ds := proofread(r.tree, tpl.Source); len(ds) > 0 {
		return nil, proofreadError(ti, ds)
	}
	priv, key, err := s.bodyKey(ctx, tx, sc, c.BodyID)
	if err != nil {
		return nil, err
	}
	doc.PDF, doc.PDFSize = r.pdf, len(r.pdf)
	if doc.PDFSM3, doc.Signature, err = sign(priv, r.pdf); err != nil {
		return nil, err
	}
	doc.PublicKey, doc.KeyFingerprint = key.PublicKey, key.Fingerprint
	if _, err := tx.NewInsert().Model(doc).Exec(ctx); err != nil {
		if dbx.IsUniqueViolation(err) {
			return nil, errs.E(errs.Conflict, "文号冲突，请重试", "document number collision; try again").WithCause(err)
		}
		return nil, err
	}
	return doc, nil
}

// maxDataBytes bounds a document's data snapshot.
const maxDataBytes = 512 << 10

// overlay lays the issuing facts over the case data: the document's ID, name, number, date and
// verification address, the body's name, code, address and phone, the case's code.
func (s *Service) overlay(data map[string]any, ti *TypeInfo, doc *Document, body *bodyRef, c *caseRef, now time.Time) map[string]any {
	date := now.In(rules.Location).Format("2006-01-02")
	dateCN := DateCN(date)
	caseTitle := c.Title
	if cm, ok := data["case"].(map[string]any); ok {
		if t, ok := cm["title"].(string); ok && t != "" {
			caseTitle = t
		}
	}
	return merge(data, map[string]any{
		"doc": map[string]any{"id": doc.ID, "type_name": ti.Name.ZH, "number": doc.Number, "date": date, "date_cn": dateCN,
			"verify_url": s.VerifyURL(doc.ID)},
		"body": body.data(),
		"case": map[string]any{"code": c.Code, "title": caseTitle},
	})
}

// renderDoc renders a document's PDF from its canonical data.
func (s *Service) renderDoc(ctx context.Context, prog *Program, data map[string]any, sealPNG []byte, doc *Document) (*rendering, error) {
	a, err := documentAssets(data, sealPNG, s.VerifyURL(doc.ID)+"?case="+doc.CaseCode)
	if err != nil {
		return nil, err
	}
	bodyName, _ := valueAt(data, "body.name").(string)
	meta := &typeset.Meta{Title: doc.Title, Subject: subjectPrefix + doc.ID, Keywords: s.VerifyURL(doc.ID), Author: bodyName, Created: doc.IssuedAt}
	return render(ctx, prog, data, a, meta, s.lim)
}

// subjectPrefix marks the PDF's Subject with the document's ID, which verification reads back
// from an uploaded copy that no longer matches its signature.
const subjectPrefix = "zhifa-document:"

// documentAssets builds the seal (uploaded, or generated from the body's name in the data) and
// the QR code.
func documentAssets(data map[string]any, sealPNG []byte, qrContent string) (*typeset.Assets, error) {
	name, _ := valueAt(data, "body.name").(string)
	return typeset.NewAssets(sealPNG, name, qrContent)
}

// allocate takes the next number of a body's series in a year, in the issuing transaction: the
// counter row stays locked until the transaction ends, so concurrent issuers wait for each
// other, and a rolled-back issue gives its number back (no gaps, no duplicates).
func allocate(ctx context.Context, tx bun.IDB, sc tenants.Scope, bodyID string, year int, series string) (int, error) {
	var n int
	err := tx.QueryRowContext(ctx, `INSERT INTO document_counters (tenant_id, body_id, year, series, last) VALUES (?, ?, ?, ?, 1)
		ON CONFLICT (body_id, year, series) DO UPDATE SET last = document_counters.last + 1 RETURNING last`,
		sc.TenantID(), bodyID, year, series).Scan(&n)
	return n, err
}

// formatNumber writes a document number: prefix, series, 〔year〕, sequence, 号.
func formatNumber(prefix, bodyName, series string, year, seq int) string {
	if prefix == "" {
		prefix = bodyName
	}
	return fmt.Sprintf("%s%s〔%d〕%d号", prefix, series, year, seq)
}

// Find returns a document (without its PDF). Any staff role (documents.read). Returns Invalid
// (malformed ID) or NotFound (including another tenant's document).
func (s *Service) Find(ctx context.Context, sc tenants.Scope, id string) (*Document, error) {
	if err := mayRead(sc); err != nil {
		return nil, err
	}
	if err := checkID("id", id); err != nil {
		return nil, err
	}
	d := new(Document)
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		return tenants.Own(sc, tx.NewSelect().Model(d)).ExcludeColumn("pdf", "data").Where("d.id = ?", id).Scan(ctx)
	})
	return d, dbx.NotFound(err)
}

// List returns a case's documents, oldest first (without their PDFs). documents.read. Returns
// Invalid for a malformed case ID.
func (s *Service) List(ctx context.Context, sc tenants.Scope, caseID string) ([]Document, error) {
	if err := mayRead(sc); err != nil {
		return nil, err
	}
	if err := checkID("case_id", caseID); err != nil {
		return nil, err
	}
	out := []Document{}
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		return tenants.Own(sc, tx.NewSelect().Model(&out)).ExcludeColumn("pdf", "data").
			Where("d.case_id = ?", caseID).OrderExpr("d.issued_at, d.id").Scan(ctx)
	})
	return out, err
}

// PDF returns a document's signed PDF as issued. documents.read. Returns Invalid or NotFound.
func (s *Service) PDF(ctx context.Context, sc tenants.Scope, documentID string) ([]byte, *Document, error) {
	d, err := s.load(ctx, sc, documentID)
	if err != nil {
		return nil, nil, err
	}
	return d.PDF, d, nil
}

func (s *Service) load(ctx context.Context, sc tenants.Scope, id string) (*Document, error) {
	if err := mayRead(sc); err != nil {
		return nil, err
	}
	if err := checkID("id", id); err != nil {
		return nil, err
	}
	d := new(Document)
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		return tenants.Own(sc, tx.NewSelect().Model(d)).Where("d.id = ?", id).Scan(ctx)
	})
	return d, dbx.NotFound(err)
}

// Rerender renders a document again from its data snapshot with its pinned template version,
// returning the HTML and the PDF. Because rendering is deterministic, the PDF equals the issued
// one byte for byte (so its signature still verifies), whatever versions were published since.
// documents.read. Returns NotFound, or Internal when the pinned source no longer matches.
func (s *Service) Rerender(ctx context.Context, sc tenants.Scope, id string) (string, []byte, error) {
	d, err := s.load(ctx, sc, id)
	if err != nil {
		return "", nil, err
	}
	r, err := s.rerender(ctx, sc, d, true)
	if err != nil {
		return "", nil, err
	}
	return r.html, r.pdf, nil
}

// HTML renders a document as HTML from its snapshot and pinned version. documents.read.
func (s *Service) HTML(ctx context.Context, sc tenants.Scope, id string) (string, *Document, error) {
	d, err := s.load(ctx, sc, id)
	if err != nil {
		return "", nil, err
	}
	r, err := s.rerender(ctx, sc, d, false)
	if err != nil {
		return "", nil, err
	}
	return r.html, d, nil
}

func (s *Service) rerender(ctx context.Context, sc tenants.Scope, d *Document, withPDF bool) (*rendering, error) {
	ti, ok := Lookup(d.Type)
	if !ok {
		return nil, fmt.Errorf("documents: document %s has unknown type %s", d.ID, d.Type)
	}
	var tpl *Template
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		var err error
		tpl, err = s.templateByRef(ctx, tx, sc, d.TemplateRef)
		return err
	})
	if err != nil {
		return nil, err
	}
	if tpl.SourceSHA256 != d.TemplateSHA256 {
		return nil, errs.E(errs.Internal, "文书所用模板版本已被改动，无法重现", "the pinned template version changed; the document cannot be re-rendered").
			WithCause(fmt.Errorf("documents: %s pins %s with sha256 %s, now %s", d.ID, d.TemplateRef, d.TemplateSHA256, tpl.SourceSHA256))
	}
	prog, err := Compile(ti, tpl.Source)
	if err != nil {
		return nil, err
	}
	var data map[string]any
	if err := json.Unmarshal([]byte(d.Data), &data); err != nil {
		return nil, err
	}
	if !withPDF {
		a, err := documentAssets(data, tpl.SealPNG, s.VerifyURL(d.ID)+"?case="+d.CaseCode)
		if err != nil {
			return nil, err
		}
		return render(ctx, prog, data, a, nil, s.lim)
	}
	return s.renderDoc(ctx, prog, data, tpl.SealPNG, d)
}

// templateByRef returns a pinned template version: the platform's by its ref, else a stored
// version the scope can see.
func (s *Service) templateByRef(ctx context.Context, tx bun.IDB, sc tenants.Scope, ref string) (*Template, error) {
	if p, ok := findPlatform(ref); ok {
		return platformAsTemplate(p), nil
	}
	t := new(Template)
	err := tenants.Inherited(sc, tx.NewSelect().Model(t)).Where("dt.id = ?", ref).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.ErrNotFound
	}
	return t, err
}
