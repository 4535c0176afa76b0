package documents

import (
	"time"

	"github.com/uptrace/bun"
)

// TemplateStatus is where a template version stands.
type TemplateStatus string

// The statuses of a template version.
const (
	StatusDraft     TemplateStatus = "draft"     // being edited; never used to issue
	StatusPublished TemplateStatus = "published" // a version: immutable, pinned by the documents issued with it
)

// Template is a version of a document template: the platform's (in the code), a tenant's
// (BodyID empty: used by the tenant and the tenants below it) or a body's (its own, when the
// tenant tree allows departments to customise). A published version never changes; editing
// means copying into a draft and publishing the draft as the next version.
type Template struct {
	bun.BaseModel `bun:"table:document_templates,alias:dt"`

	ID       string         `bun:"id,pk" json:"id"` // "platform:<type>:<version>" for the platform's
	TenantID string         `bun:"tenant_id,notnull" json:"tenant_id,omitempty"`
	BodyID   string         `bun:"body_id,notnull" json:"body_id,omitempty"`
	Type     Type           `bun:"type,notnull" json:"type"`
	Version  int            `bun:"version,notnull" json:"version"` // 0 for a draft
	Status   TemplateStatus `bun:"status,notnull" json:"status"`
	Title    string         `bun:"title,notnull" json:"title"`
	Source   string         `bun:"source,notnull" json:"source,omitempty"`
	// SourceSHA256 pins the source: a document re-renders only from the same bytes.
	SourceSHA256 string     `bun:"source_sha256,notnull" json:"source_sha256"`
	SealPNG      []byte     `bun:"seal_png" json:"-"`
	HasSeal      bool       `bun:"-" json:"has_seal"` // the version carries an uploaded seal image
	BasedOn      string     `bun:"based_on,notnull" json:"based_on"`
	Note         string     `bun:"note,notnull" json:"note,omitempty"`
	CreatedBy    string     `bun:"created_by,notnull" json:"created_by,omitempty"`
	CreatedAt    time.Time  `bun:"created_at,notnull" json:"created_at,omitzero"`
	UpdatedAt    time.Time  `bun:"updated_at,notnull" json:"updated_at,omitzero"`
	PublishedBy  string     `bun:"published_by,notnull" json:"published_by,omitempty"`
	PublishedAt  *time.Time `bun:"published_at" json:"published_at,omitempty"`

	// Level is "platform", "tenant" or "body" (computed).
	Level string `bun:"-" json:"level"`
	// Effective marks the version that issues documents now for the body asked about.
	Effective bool `bun:"-" json:"effective,omitempty"`
}

// Document is an issued enforcement document: its number, the template version it pinned, the
// data snapshot it was rendered from, the PDF and the body's SM2 signature of the PDF's SM3
// digest. Re-rendering the snapshot with the pinned version gives the same PDF, byte for byte.
type Document struct {
	bun.BaseModel `bun:"table:documents,alias:d"`

	ID       string `bun:"id,pk" json:"id"`
	TenantID string `bun:"tenant_id,notnull" json:"tenant_id"`
	BodyID   string `bun:"body_id,notnull" json:"body_id"`
	CaseID   string `bun:"case_id,notnull" json:"case_id"`
	CaseCode string `bun:"case_code,notnull" json:"case_code"`
	Type     Type   `bun:"type,notnull" json:"type"`
	Title    string `bun:"title,notnull" json:"title"`
	// Number is the document number (文号), e.g. 尤市监罚〔2026〕12号; empty for records.
	Number string `bun:"number,notnull" json:"number,omitempty"`
	Series string `bun:"series,notnull" json:"series,omitempty"`
	Year   int    `bun:"year,notnull" json:"year"`
	Seq    int    `bun:"seq,notnull" json:"seq,omitempty"`
	// TemplateRef is the pinned template version: a version's ID or "platform:<type>:<n>".
	TemplateRef     string `bun:"template_ref,notnull" json:"template_ref"`
	TemplateVersion int    `bun:"template_version,notnull" json:"template_version"`
	TemplateSHA256  string `bun:"template_sha256,notnull" json:"template_sha256"`
	// Data is the canonical JSON the document was rendered from.
	Data           string    `bun:"data,notnull" json:"-"`
	PDF            []byte    `bun:"pdf,notnull" json:"-"`
	PDFSize        int       `bun:"pdf_size,notnull" json:"pdf_size"`
	PDFSM3         string    `bun:"pdf_sm3,notnull" json:"pdf_sm3"`
	Signature      string    `bun:"signature,notnull" json:"signature"`   // base64 of the ASN.1 SM2 signature
	PublicKey      string    `bun:"public_key,notnull" json:"public_key"` // base64 of the signer's SubjectPublicKeyInfo
	KeyFingerprint string    `bun:"key_fingerprint,notnull" json:"key_fingerprint"`
	IssuedBy       string    `bun:"issued_by,notnull" json:"issued_by"`
	IssuedAt       time.Time `bun:"issued_at,notnull" json:"issued_at"`
}

// signingKey is a body's SM2 key pair; the private key is encrypted with the platform's secret
// key (SM4-GCM), bound to the body and tenant.
type signingKey struct {
	bun.BaseModel `bun:"table:document_keys,alias:k"`

	BodyID        string    `bun:"body_id,pk"`
	TenantID      string    `bun:"tenant_id,notnull"`
	Algorithm     string    `bun:"algorithm,notnull"`
	PublicKey     string    `bun:"public_key,notnull"`
	Fingerprint   string    `bun:"fingerprint,notnull"`
	PrivateKeyEnc string    `bun:"private_key_enc,notnull"`
	CreatedAt     time.Time `bun:"created_at,notnull"`
}

// settingRow is a stored setting, read to know which level of the tenant tree set a document
// policy (the settings themselves belong to package tenants).
type settingRow struct {
	bun.BaseModel `bun:"table:settings,alias:s"`

	TenantID string `bun:"tenant_id"`
	BodyID   string `bun:"body_id"`
	Key      string `bun:"key"`
	Value    string `bun:"value"`
	Final    bool   `bun:"final"`
}

// caseRef is the little of a case row a document needs: whose it is and its public code.
type caseRef struct {
	bun.BaseModel `bun:"table:cases,alias:c"`

	ID       string `bun:"id"`
	TenantID string `bun:"tenant_id"`
	BodyID   string `bun:"body_id"`
	Code     string `bun:"code"`
	Title    string `bun:"title"`
}

// bodyRef is the little of a body row a document needs.
type bodyRef struct {
	bun.BaseModel `bun:"table:bodies,alias:b"`

	ID       string `bun:"id"`
	TenantID string `bun:"tenant_id"`
	Name     string `bun:"name"`
	Code     string `bun:"code"`
	Address  string `bun:"address"`
	Phone    string `bun:"phone"`
}

// data is what documents print of the body: its name, code and address, and its phone where it
// has one (else the case's contact officer's stands).
func (b *bodyRef) data() map[string]any {
	m := map[string]any{"name": b.Name, "code": b.Code, "address": b.Address}
	if b.Phone != "" {
		m["phone"] = b.Phone
	}
	return m
}
