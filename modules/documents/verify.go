package documents

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"regexp"
	"time"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// Verification is public: anyone holding a document (or its QR code's address) may ask whether
// it is authentic and unchanged. The answer names the signing body, the document's type and
// number and when it was signed, and nothing about the party.

// The statuses of a verdict.
const (
	VerdictAuthentic    = "authentic"     // the platform issued exactly these bytes and the signature verifies
	VerdictAltered      = "altered"       // the file names a document of the platform but its bytes differ from what was signed
	VerdictUnknown      = "unknown"       // the platform issued no such document
	VerdictBadSignature = "bad_signature" // the stored signature does not verify: report it
)

// MaxVerifyBytes bounds an uploaded document.
const MaxVerifyBytes = 20 << 20

// Verdict is the answer of a verification.
type Verdict struct {
	Valid          bool       `json:"valid"`
	Status         string     `json:"status"`
	Message        errs.Msg   `json:"message"`
	DocumentID     string     `json:"document_id,omitempty"`
	Type           Type       `json:"type,omitempty"`
	TypeName       *errs.Msg  `json:"type_name,omitempty"`
	Number         string     `json:"number,omitempty"`
	Body           string     `json:"body,omitempty"`
	SignedAt       *time.Time `json:"signed_at,omitempty"`
	Algorithm      string     `json:"algorithm,omitempty"`
	KeyFingerprint string     `json:"key_fingerprint,omitempty"`
	// SM3 is the digest of the file checked (an upload), or of the document as issued.
	SM3 string `json:"sm3,omitempty"`
}

// verifyScope is the system scope of the public verification: it reads any tenant's documents,
// and only the few columns a verdict shows.
var verifyScope = tenants.System("public document verification")

// issued is a document as verification sees it.
type issued struct {
	doc  Document
	body string
	key  string // the body's registered key fingerprint
}

func (s *Service) issued(ctx context.Context, where string, arg any) (*issued, error) {
	out := new(issued)
	err := tenants.RunInTx(ctx, s.db, verifyScope, func(ctx context.Context, tx bun.Tx) error {
		if err := tx.NewSelect().Model(&out.doc).ExcludeColumn("data").Where(where, arg).OrderExpr("d.issued_at").Limit(1).Scan(ctx); err != nil {
			return err
		}
		b := new(bodyRef)
		if err := tx.NewSelect().Model(b).Where("b.id = ?", out.doc.BodyID).Scan(ctx); err != nil {
			return err
		}
		out.body = b.Name
		k := new(signingKey)
		if err := tx.NewSelect().Model(k).Where("k.body_id = ?", out.doc.BodyID).Scan(ctx); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		out.key = k.Fingerprint
		return nil
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return out, err
}

// verdict describes a stored document, checking its signature.
func (in *issued) verdict(sm3 string) *Verdict {
	d := &in.doc
	ti := types().byType[d.Type]
	at := d.IssuedAt
	v := &Verdict{DocumentID: d.ID, Type: d.Type, Number: d.Number, Body: in.body, SignedAt: &at,
		Algorithm: algorithmSM2, KeyFingerprint: d.KeyFingerprint, SM3: sm3}
	if ti != nil {
		v.TypeName = &ti.Name
	}
	pub, _ := base64.StdEncoding.DecodeString(d.PublicKey)
	switch {
	case sm3 != d.PDFSM3:
		v.Status = VerdictAltered
		v.Message = msg("该文件与平台签发的文书不一致：内容已被改动，不能作为有效文书使用。", "this file differs from the document the platform issued: it was changed and is not valid.")
	case SM3Hex(pub) != d.KeyFingerprint || (in.key != "" && in.key != d.KeyFingerprint) || !verifySignature(d.PublicKey, d.PDFSM3, d.Signature):
		v.Status = VerdictBadSignature
		v.Message = msg("电子签名验证失败，请与签发机关联系。", "the electronic signature does not verify; contact the issuing body.")
	default:
		v.Valid, v.Status = true, VerdictAuthentic
		v.Message = msg("文书真实有效，自签发后未被改动。", "the document is authentic and unchanged since it was signed.")
	}
	return v
}

// VerifyByID checks the document with an ID as the platform stores it: its PDF still has the
// digest that was signed and the signature verifies with the body's key. Public. Returns
// NotFound for an unknown ID.
func (s *Service) VerifyByID(ctx context.Context, id string) (*Verdict, error) {
	if !dbx.ValidID(id) {
		return nil, errs.ErrNotFound
	}
	in, err := s.issued(ctx, "d.id = ?", id)
	if err != nil {
		return nil, err
	}
	if in == nil {
		return nil, errs.ErrNotFound
	}
	return in.verdict(SM3Hex(in.doc.PDF)), nil
}

var subjectRE = regexp.MustCompile(`zhifa-document:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})`)

// VerifyPDF checks an uploaded file: authentic when it is byte for byte a document the platform
// signed (found by its SM3 digest) and the signature verifies; altered when it names a
// document of the platform (the PDF's Subject) but differs from it; unknown otherwise. Against
// an ID (not empty), the file is compared with that document. Public. Returns Invalid for an
// empty file, NotFound for an unknown ID.
func (s *Service) VerifyPDF(ctx context.Context, id string, pdf []byte) (*Verdict, error) {
	if len(pdf) == 0 {
		return nil, errs.E(errs.Invalid, "请上传文书的 PDF 文件", "upload the document's PDF file").WithFields(errs.Field("file", "必填", "required"))
	}
	sum := SM3Hex(pdf)
	if id != "" {
		if !dbx.ValidID(id) {
			return nil, errs.ErrNotFound
		}
		in, err := s.issued(ctx, "d.id = ?", id)
		if err != nil {
			return nil, err
		}
		if in == nil {
			return nil, errs.ErrNotFound
		}
		return in.verdict(sum), nil
	}
	in, err := s.issued(ctx, "d.pdf_sm3 = ?", sum)
	if err != nil {
		return nil, err
	}
	if in != nil {
		return in.verdict(sum), nil
	}
	if m := subjectRE.FindSubmatch(pdf); m != nil {
		if in, err = s.issued(ctx, "d.id = ?", string(m[1])); err != nil {
			return nil, err
		}
		if in != nil {
			return in.verdict(sum), nil
		}
	}
	return &Verdict{Status: VerdictUnknown, SM3: sum,
		Message: msg("平台没有签发过该文件：它不是本平台的执法文书，或已被改动。", "the platform did not issue this file: it is not one of its documents, or it was changed.")}, nil
}
