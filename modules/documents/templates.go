package documents

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"zhifa/modules/documents/internal/typeset"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

// Which template issues a body's documents of a type: the body's own latest published version
// (when documents.allow_department_templates allows it at the body), else the latest published
// tenant-level version of the nearest tenant on the path from the body's tenant up to the root
// (a level below one that set documents.allow_tenant_templates false is skipped), else the
// platform's current version.

// platformAsTemplate presents a platform version as a Template.
func platformAsTemplate(p platformTemplate) *Template {
	ti := types().byType[p.Type]
	return &Template{ID: p.Ref(), Type: p.Type, Version: p.Version, Status: StatusPublished, Title: ti.Name.ZH + "（平台标准版）",
		Source: p.Source, SourceSHA256: p.SHA256, BasedOn: "", Level: "platform"}
}

func level(t *Template) string {
	switch {
	case strings.HasPrefix(t.ID, "platform:"):
		return "platform"
	case t.BodyID != "":
		return "body"
	}
	return "tenant"
}

// effective returns the template version that issues the body's documents of a type now.
// bodyID empty: the tenant's own documents (tenant level and above).
func (s *Service) effective(ctx context.Context, tx bun.IDB, sc tenants.Scope, typ Type, bodyID string, pol *policy) (*Template, error) {
	var rows []Template
	q := tenants.Inherited(sc, tx.NewSelect().Model(&rows)).
		Where("dt.type = ? AND dt.status = ?", typ, StatusPublished)
	if bodyID != "" && pol.deptAllowed {
		q = q.Where("dt.body_id = '' OR (dt.tenant_id = ? AND dt.body_id = ?)", sc.TenantID(), bodyID)
	} else {
		q = q.Where("dt.body_id = ''")
	}
	if err := q.OrderExpr("dt.version DESC").Scan(ctx); err != nil {
		return nil, err
	}
	best := func(match func(t *Template) bool) *Template {
		for i := range rows {
			if match(&rows[i]) {
				rows[i].Level = level(&rows[i])
				return &rows[i]
			}
		}
		return nil
	}
	if bodyID != "" && pol.deptAllowed {
		if t := best(func(t *Template) bool { return t.BodyID == bodyID }); t != nil {
			return t, nil
		}
	}
	for i := len(pol.levels) - 1; i >= 0; i-- {
		lvl := pol.levels[i]
		if !pol.tenantLevelAllowed(lvl) {
			continue
		}
		if t := best(func(t *Template) bool { return t.BodyID == "" && t.TenantID == lvl }); t != nil {
			return t, nil
		}
	}
	return platformAsTemplate(latestPlatform(typ)), nil
}

// mayEdit refuses a scope that may not customise the templates of bodyID ("" for the tenant's).
func mayEdit(sc tenants.Scope, bodyID string) error {
	switch {
	case !sc.Valid():
		return tenants.ErrNoScope
	case sc.ReadOnly():
		return tenants.ErrReadOnlyScope
	case sc.TenantID() == "":
		return errs.E(errs.Invalid, "自定义模板须在具体租户下进行", "customising templates needs a tenant scope")
	case !sc.Can(authz.TemplatesWrite):
		return errs.ErrForbidden.WithOp(string(authz.TemplatesWrite))
	case sc.Administers(bodyID):
		return nil
	case bodyID == "":
		return errs.E(errs.Forbidden, "只有平台运维人员可以自定义本级租户的文书模板", "only tenant operators customise the tenant's templates")
	}
	return errs.E(errs.Forbidden, "只能自定义本执法主体的文书模板", "you customise only your own body's templates")
}

// TemplateList is a type's template versions as a body sees them.
type TemplateList struct {
	Type      Type       `json:"type"`
	BodyID    string     `json:"body_id,omitempty"`
	Effective string     `json:"effective"` // the version that issues documents now
	Templates []Template `json:"templates"`
	// DepartmentsMayCustomise and TenantMayCustomise say what the tenant tree allows here.
	DepartmentsMayCustomise bool `json:"departments_may_customise"`
	TenantMayCustomise      bool `json:"tenant_may_customise"`
}

// Templates lists the versions of a type's templates for the scope's tenant (and a body of it):
// the platform's, the tenant-level ones of the tenant and its ancestors, the body's, newest
// first, with the one that issues documents now marked. Drafts are listed to those who may edit
// them. documents.read. Returns Invalid (unknown type, malformed body ID), NotFound (no such body).
func (s *Service) Templates(ctx context.Context, sc tenants.Scope, typ Type, bodyID string) (*TemplateList, error) {
	if err := mayRead(sc); err != nil {
		return nil, err
	}
	if _, ok := Lookup(typ); !ok {
		return nil, errs.E(errs.Invalid, "未知文书种类", "unknown document type").WithFields(errs.Field("type", "未知", "unknown"))
	}
	if bodyID != "" {
		if err := checkID("body_id", bodyID); err != nil {
			return nil, err
		}
	}
	out := &TemplateList{Type: typ, BodyID: bodyID, Templates: []Template{}}
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		if bodyID != "" {
			if err := tenants.Own(sc, tx.NewSelect().Model((*bodyRef)(nil))).Column("b.id").Where("b.id = ?", bodyID).Limit(1).Scan(ctx, new(string)); err != nil {
				return dbx.NotFound(err)
			}
		}
		pol, err := resolvePolicy(ctx, tx, sc, bodyID)
		if err != nil {
			return err
		}
		out.DepartmentsMayCustomise = pol.deptAllowed
		out.TenantMayCustomise = pol.tenantLevelAllowed(sc.TenantID())
		eff, err := s.effective(ctx, tx, sc, typ, bodyID, pol)
		if err != nil {
			return err
		}
		out.Effective = eff.ID
		var rows []Template
		q := tenants.Inherited(sc, tx.NewSelect().Model(&rows)).ExcludeColumn("source").Where("dt.type = ?", typ)
		if bodyID != "" {
			q = q.Where("dt.body_id = '' OR (dt.tenant_id = ? AND dt.body_id = ?)", sc.TenantID(), bodyID)
		} else {
			q = q.Where("dt.body_id = ''")
		}
		if err := q.OrderExpr("dt.created_at DESC, dt.id DESC").Scan(ctx); err != nil {
			return err
		}
		for i := range rows {
			t := &rows[i]
			if t.Status == StatusDraft && (t.TenantID != sc.TenantID() || mayEdit(sc, t.BodyID) != nil) {
				continue
			}
			t.Level, t.HasSeal, t.SealPNG = level(t), t.SealPNG != nil, nil
			t.Effective = t.ID == eff.ID
			out.Templates = append(out.Templates, *t)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	ps := types().platform[typ]
	for i := len(ps) - 1; i >= 0; i-- {
		t := platformAsTemplate(ps[i])
		t.Source, t.Effective = "", t.ID == out.Effective
		out.Templates = append(out.Templates, *t)
	}
	return out, nil
}

// FindTemplate returns a template version with its source: the platform's by its ID
// ("platform:<type>:<n>"), or one of the tenant, its ancestors or its bodies. A draft only to
// those who may edit it. documents.read. Returns NotFound.
func (s *Service) FindTemplate(ctx context.Context, sc tenants.Scope, id string) (*Template, error) {
	if err := mayRead(sc); err != nil {
		return nil, err
	}
	var t *Template
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		var err error
		t, err = s.visibleTemplate(ctx, tx, sc, id)
		return err
	})
	return t, err
}

func (s *Service) visibleTemplate(ctx context.Context, tx bun.IDB, sc tenants.Scope, id string) (*Template, error) {
	if p, ok := findPlatform(id); ok {
		return platformAsTemplate(p), nil
	}
	if !dbx.ValidID(id) {
		return nil, errs.ErrNotFound
	}
	t := new(Template)
	err := tenants.Inherited(sc, tx.NewSelect().Model(t)).Where("dt.id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if t.BodyID != "" && t.TenantID != sc.TenantID() && !sc.IsSystem() {
		return nil, errs.ErrNotFound // another tenant's body
	}
	if t.Status == StatusDraft && (t.TenantID != sc.TenantID() || mayEdit(sc, t.BodyID) != nil) {
		return nil, errs.ErrNotFound
	}
	t.Level, t.HasSeal = level(t), t.SealPNG != nil
	return t, nil
}

// CopyInput asks for a draft copy of a template for the scope's tenant or one of its bodies.
type CopyInput struct {
	Type   Type   `json:"type"`
	BodyID string `json:"body_id,omitempty"` // empty: a tenant-level template (tenant operators)
	// From is the version to copy (its ID, or platform:<type>:<n>); empty: the one in effect.
	From string `json:"from,omitempty"`
}

// CopyTemplate starts a customisation: a draft copy of a version (by default the one in effect)
// for a body (its body admin or a tenant operator) or for the tenant (a tenant operator), where
// the tenant tree's settings allow it. Returns Invalid, Forbidden, NotFound (no such body or
// version), Conflict (a draft exists: edit or discard it), FailedPrecondition (not allowed here).
func (s *Service) CopyTemplate(ctx context.Context, sc tenants.Scope, in CopyInput) (*Template, error) {
	ti, ok := Lookup(in.Type)
	if !ok {
		return nil, errs.E(errs.Invalid, "未知文书种类", "unknown document type").WithFields(errs.Field("type", "未知", "unknown"))
	}
	if in.BodyID != "" {
		if err := checkID("body_id", in.BodyID); err != nil {
			return nil, err
		}
	}
	if err := mayEdit(sc, in.BodyID); err != nil {
		return nil, err
	}
	var out *Template
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		name := ""
		if in.BodyID != "" {
			b := new(bodyRef)
			if err := tenants.Own(sc, tx.NewSelect().Model(b)).Where("b.id = ?", in.BodyID).Scan(ctx); err != nil {
				return dbx.NotFound(err)
			}
			name = b.Name
		}
		pol, err := resolvePolicy(ctx, tx, sc, in.BodyID)
		if err != nil {
			return err
		}
		if err := allowed(sc, in.BodyID, pol); err != nil {
			return err
		}
		n, err := tenants.Own(sc, tx.NewSelect().Model((*Template)(nil))).
			Where("dt.body_id = ? AND dt.type = ? AND dt.status = ?", in.BodyID, in.Type, StatusDraft).Count(ctx)
		if err != nil {
			return err
		}
		if n > 0 {
			return errs.E(errs.Conflict, "已有该文书的草稿，请继续编辑或先放弃它", "a draft of this template exists: edit it or discard it first")
		}
		var from *Template
		if in.From == "" {
			from, err = s.effective(ctx, tx, sc, in.Type, in.BodyID, pol)
		} else {
			from, err = s.visibleTemplate(ctx, tx, sc, in.From)
		}
		if err != nil {
			return err
		}
		if from.Type != in.Type {
			return errs.E(errs.Invalid, "只能复制同一种类的模板", "copy a template of the same type").WithFields(errs.Field("from", "种类不同", "another type"))
		}
		if from.Status == StatusDraft {
			return errs.E(errs.Invalid, "不能复制草稿", "a draft cannot be copied").WithFields(errs.Field("from", "是草稿", "a draft"))
		}
		title := ti.Name.ZH
		if name != "" {
			title += "（" + name + "）"
		}
		now := dbx.Stamp(s.now())
		out = &Template{ID: dbx.NewID(), TenantID: sc.TenantID(), BodyID: in.BodyID, Type: in.Type, Status: StatusDraft, Title: title,
			Source: from.Source, SourceSHA256: sha256Hex([]byte(from.Source)), SealPNG: from.SealPNG, BasedOn: from.ID,
			CreatedBy: sc.Actor(), CreatedAt: now, UpdatedAt: now}
		_, err = tx.NewInsert().Model(out).Exec(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	out.Level, out.HasSeal = level(out), out.SealPNG != nil
	return out, nil
}

// allowed refuses a customisation the tenant tree does not allow at the target.
func allowed(sc tenants.Scope, bodyID string, pol *policy) error {
	if bodyID != "" {
		if !pol.deptAllowed {
			return errDeptLocked(pol)
		}
		return nil
	}
	if !pol.tenantLevelAllowed(sc.TenantID()) {
		return errTenantLocked(pol)
	}
	return nil
}

// TemplateInput changes a draft. Absent fields stay as they are.
type TemplateInput struct {
	Title  *string `json:"title,omitempty"`
	Source *string `json:"source,omitempty"`
	Note   *string `json:"note,omitempty"`
	// SealPNG is the body's seal image, base64 of a PNG (transparent background); "" removes
	// it, so that the seal is generated from the body's name.
	SealPNG *string `json:"seal_png,omitempty"`
}

// SaveTemplate changes a draft. The source is checked as Validate does; a source that does not
// parse, is unsafe, or lacks a required item is refused and nothing is saved. Template writers
// for the draft's owner. Returns Invalid (naming the problem and its line), FailedPrecondition
// (naming each missing required item), Forbidden, NotFound (no such draft).
func (s *Service) SaveTemplate(ctx context.Context, sc tenants.Scope, id string, in TemplateInput) (*Template, error) {
	if err := checkID("id", id); err != nil {
		return nil, err
	}
	var out *Template
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		t, err := s.draft(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		ti := types().byType[t.Type]
		if in.Title != nil {
			title := strings.TrimSpace(*in.Title)
			if n := len([]rune(title)); n == 0 || n > 100 {
				return errs.E(errs.Invalid, "名称不能为空且不超过100字", "the title is required, at most 100 characters").WithFields(errs.Field("title", "1至100字", "1-100 characters"))
			}
			t.Title = title
		}
		if in.Note != nil {
			if len([]rune(*in.Note)) > 500 {
				return errs.E(errs.Invalid, "说明不超过500字", "the note is at most 500 characters").WithFields(errs.Field("note", "不超过500字", "at most 500 characters"))
			}
			t.Note = *in.Note
		}
		if in.Source != nil {
			if _, err := Validate(ctx, ti, *in.Source, s.lim); err != nil {
				return err
			}
			t.Source, t.SourceSHA256 = *in.Source, sha256Hex([]byte(*in.Source))
		}
		if in.SealPNG != nil {
			if *in.SealPNG == "" {
				t.SealPNG = nil
			} else {
				raw, err := base64.StdEncoding.DecodeString(*in.SealPNG)
				if err != nil {
					return errs.E(errs.Invalid, "印章图片须为 base64 编码的 PNG", "the seal must be a base64-encoded PNG").WithFields(errs.Field("seal_png", "base64 有误", "bad base64"))
				}
				if t.SealPNG, err = normaliseSeal(raw); err != nil {
					return err
				}
			}
		}
		t.UpdatedAt = dbx.Stamp(s.now())
		_, err = tenants.Own(sc, tx.NewUpdate().Model(t)).Column("title", "note", "source", "source_sha256", "seal_png", "updated_at").
			Where("dt.id = ?", t.ID).Exec(ctx)
		out = t
		return err
	})
	if err != nil {
		return nil, err
	}
	out.Level, out.HasSeal = level(out), out.SealPNG != nil
	return out, nil
}

// draft returns a draft the scope may edit. Returns NotFound or Forbidden.
func (s *Service) draft(ctx context.Context, tx bun.IDB, sc tenants.Scope, id string) (*Template, error) {
	t := new(Template)
	err := tenants.Own(sc, tx.NewSelect().Model(t)).Where("dt.id = ?", id).Scan(ctx)
	if err != nil {
		return nil, dbx.NotFound(err)
	}
	if err := mayEdit(sc, t.BodyID); err != nil {
		if t.Status == StatusDraft {
			return nil, errs.ErrNotFound
		}
		return nil, err
	}
	if t.Status != StatusDraft {
		return nil, errs.E(errs.FailedPrecondition, "已发布的版本不能修改：请复制为新草稿", "a published version cannot change: copy it into a new draft")
	}
	return t, nil
}

// PublishTemplate makes a draft the owner's next published version, which issues documents from
// then on (documents issued before keep the version they pinned). The source is checked again,
// and the tenant tree must still allow the customisation. Returns as SaveTemplate, and Conflict
// when another version was published at the same moment.
func (s *Service) PublishTemplate(ctx context.Context, sc tenants.Scope, id string) (*Template, error) {
	if err := checkID("id", id); err != nil {
		return nil, err
	}
	var out *Template
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		t, err := s.draft(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		pol, err := resolvePolicy(ctx, tx, sc, t.BodyID)
		if err != nil {
			return err
		}
		if err := allowed(sc, t.BodyID, pol); err != nil {
			return err
		}
		if _, err := Validate(ctx, types().byType[t.Type], t.Source, s.lim); err != nil {
			return err
		}
		var last sql.NullInt64
		if err := tenants.Own(sc, tx.NewSelect().Model((*Template)(nil))).ColumnExpr("MAX(dt.version)").
			Where("dt.body_id = ? AND dt.type = ? AND dt.status = ?", t.BodyID, t.Type, StatusPublished).Scan(ctx, &last); err != nil {
			return err
		}
		now := dbx.Stamp(s.now())
		t.Version, t.Status, t.PublishedBy, t.PublishedAt, t.UpdatedAt = int(last.Int64)+1, StatusPublished, sc.Actor(), &now, now
		if _, err := tenants.Own(sc, tx.NewUpdate().Model(t)).Column("version", "status", "published_by", "published_at", "updated_at").
			Where("dt.id = ? AND dt.status = ?", t.ID, StatusDraft).Exec(ctx); err != nil {
			if dbx.IsUniqueViolation(err) {
				return errs.E(errs.Conflict, "同时发布了另一个版本，请重试", "another version was published at the same time; try again").WithCause(err)
			}
			return err
		}
		out = t
		return nil
	})
	if err != nil {
		return nil, err
	}
	out.Level, out.HasSeal = level(out), out.SealPNG != nil
	return out, nil
}

// DiscardTemplate deletes a draft. Returns NotFound, Forbidden, FailedPrecondition (published).
func (s *Service) DiscardTemplate(ctx context.Context, sc tenants.Scope, id string) error {
	if err := checkID("id", id); err != nil {
		return err
	}
	return tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		t, err := s.draft(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		_, err = tenants.Own(sc, tx.NewDelete().Model((*Template)(nil))).Where("dt.id = ? AND dt.status = ?", t.ID, StatusDraft).Exec(ctx)
		return err
	})
}

// PreviewInput asks for a preview of a template.
type PreviewInput struct {
	// CaseID is a case of the scope's tenant (of the template's body, for a body's template)
	// whose data fills the preview; empty: the type's sample data.
	CaseID string `json:"case_id,omitempty"`
	// Source previews an unsaved edit instead of the stored source.
	Source *string `json:"source,omitempty"`
	// Format is html (default) or pdf.
	Format string `json:"format,omitempty"`
}

// Preview is a template rendered for a look before publishing, watermarked.
type Preview struct {
	HTML string `json:"html"`
	// Missing names the required items the case has no data for yet.
	Missing []errs.FieldError `json:"missing,omitempty"`
	// Defects are what a reader would find wrong in the text (Proofread), with the template's
	// line where it can be told: a template that reads wrong on a real case is not published.
	Defects []Defect `json:"defects,omitempty"`
	PDF     []byte   `json:"-"`
}

// PreviewTemplate renders a template version (or an unsaved source for it) with a real case's
// data or the sample data, as HTML or a PDF watermarked 样稿. It allocates no number and signs
// nothing. documents.read, and the case must be visible (of the template's body, for a body's
// template). Returns Invalid (the source fails), NotFound (no such template or case).
func (s *Service) PreviewTemplate(ctx context.Context, sc tenants.Scope, id string, in PreviewInput) (*Preview, error) {
	if err := mayRead(sc); err != nil {
		return nil, err
	}
	if in.CaseID != "" {
		if err := checkID("case_id", in.CaseID); err != nil {
			return nil, err
		}
	}
	if in.Format != "" && in.Format != "html" && in.Format != "pdf" {
		return nil, errs.E(errs.Invalid, "格式须为 html 或 pdf", "format is html or pdf").WithFields(errs.Field("format", "html 或 pdf", "html or pdf"))
	}
	var out *Preview
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		t, err := s.visibleTemplate(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		ti := types().byType[t.Type]
		src := t.Source
		if in.Source != nil {
			src = *in.Source
		}
		prog, err := Validate(ctx, ti, src, s.lim)
		if err != nil {
			return err
		}
		data := merge(map[string]any{}, ti.Sample)
		bodyName, _ := valueAt(ti.Sample, "body.name").(string)
		caseCode, _ := valueAt(ti.Sample, "case.code").(string)
		prefix := "尤市监"
		if in.CaseID != "" {
			c := new(caseRef)
			if err := tenants.Own(sc, tx.NewSelect().Model(c)).Where("c.id = ?", in.CaseID).Scan(ctx); err != nil {
				return dbx.NotFound(err)
			}
			if t.BodyID != "" && c.BodyID != t.BodyID {
				return errs.E(errs.Invalid, "请选择该执法主体的案件", "choose a case of the template's body").WithFields(errs.Field("case_id", "不是该主体的案件", "not a case of the body"))
			}
			if s.cases == nil {
				return errs.E(errs.FailedPrecondition, "尚未接入案件数据来源，只能用示例数据预览", "no case data source is configured: preview with the sample data")
			}
			if data, err = s.cases.DocumentData(ctx, tx, sc, c.ID, ti.Type); err != nil {
				return err
			}
			b := new(bodyRef)
			if err := tenants.Own(sc, tx.NewSelect().Model(b)).Where("b.id = ?", c.BodyID).Scan(ctx); err != nil {
				return dbx.NotFound(err)
			}
			pol, err := resolvePolicy(ctx, tx, sc, c.BodyID)
			if err != nil {
				return err
			}
			bodyName, caseCode, prefix = b.Name, c.Code, pol.prefix
			if prefix == "" {
				prefix = b.Name
			}
			data = merge(data, map[string]any{"body": b.data(), "case": map[string]any{"code": c.Code}})
		}
		now := s.now()
		date := now.In(rules.Location).Format("2006-01-02")
		dateCN := DateCN(date)
		number := ""
		if ti.Series != "" {
			number = fmt.Sprintf("%s%s〔%d〕×号", prefix, ti.Series, now.In(rules.Location).Year())
		}
		data = merge(data, map[string]any{"doc": map[string]any{"id": "preview", "type_name": ti.Name.ZH, "number": number,
			"date": date, "date_cn": dateCN, "verify_url": s.publicURL + "/verify"}})
		m, _, err := canonical(ti, data)
		if err != nil {
			return err
		}
		a, err := documentAssets(map[string]any{"body": map[string]any{"name": bodyName}}, t.SealPNG, s.publicURL+"/verify?case="+caseCode)
		if err != nil {
			return err
		}
		var meta *typeset.Meta
		if in.Format == "pdf" {
			meta = &typeset.Meta{Title: ti.Name.ZH + "（样稿）", Subject: "preview", Author: bodyName, Created: now.UTC().Truncate(time.Second), Preview: true}
		}
		r, err := render(ctx, prog, m, a, meta, s.lim)
		if err != nil {
			return err
		}
		out = &Preview{HTML: strings.Replace(r.html, `<article class="zdoc">`, `<article class="zdoc zdoc-preview">`, 1), Missing: missingValues(ti, m), Defects: proofread(r.tree, src), PDF: r.pdf}
		return nil
	})
	return out, err
}

// TypeSummary is a document type with what a template of it must contain.
type TypeSummary struct {
	Type     Type          `json:"type"`
	Name     errs.Msg      `json:"name"`
	Series   string        `json:"series,omitempty"`
	Basis    string        `json:"basis,omitempty"`
	Kinds    []string      `json:"kinds,omitempty"`
	Required []Requirement `json:"required"`
	Platform string        `json:"platform"` // the current platform version
}

// TypeSummaries lists the document types.
func TypeSummaries() []TypeSummary {
	var out []TypeSummary
	for _, ti := range types().list {
		out = append(out, TypeSummary{Type: ti.Type, Name: ti.Name, Series: ti.Series, Basis: ti.Basis, Kinds: ti.Kinds,
			Required: ti.Required, Platform: latestPlatform(ti.Type).Ref()})
	}
	return out
}
