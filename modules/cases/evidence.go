package cases

import (
	"context"
	"io"
	"os"
	"time"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/blobs"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// Evidence is a file recorded on a case (证据, 行政处罚法 Art. 46). The file is stored by its
// content's SHA-256 under the upload directory; the hash is in the event that recorded it.
type Evidence struct {
	bun.BaseModel `bun:"table:case_evidence,alias:ev"`

	ID          string     `bun:"id,pk" json:"id"`
	TenantID    string     `bun:"tenant_id,notnull" json:"-"`
	CaseID      string     `bun:"case_id,notnull" json:"case_id"`
	Seq         int        `bun:"seq,notnull" json:"seq"` // the event that recorded it
	Title       string     `bun:"title,notnull" json:"title"`
	Kind        string     `bun:"kind,notnull" json:"kind"`
	FileName    string     `bun:"file_name,notnull" json:"file_name"`
	ContentType string     `bun:"content_type,notnull" json:"content_type"`
	Size        int64      `bun:"size_bytes,notnull" json:"size_bytes"`
	SHA256      string     `bun:"sha256,notnull" json:"sha256"`
	CollectedOn civil.Date `bun:"collected_on,notnull" json:"collected_on"`
	UploadedBy  string     `bun:"uploaded_by,notnull" json:"uploaded_by"`
	UploadedAt  time.Time  `bun:"uploaded_at,notnull" json:"uploaded_at"`
}

// EvidenceKinds are the kinds of evidence of 行政处罚法 Art. 46.
var EvidenceKinds = []string{
	"documentary", // 书证
	"physical",    // 物证
	"audiovisual", // 视听资料
	"electronic",  // 电子数据
	"witness",     // 证人证言
	"statement",   // 当事人的陈述
	"expert",      // 鉴定意见
	"record",      // 勘验笔录、现场笔录
}

// AllowedTypes are the content types accepted for evidence, as sniffed from the file itself (the
// client's declared type is not trusted).
var AllowedTypes = []string{"image/jpeg", "image/png", "image/webp", "application/pdf", "video/mp4", "video/webm",
	"audio/mpeg", "audio/wave", "audio/wav", "text/plain; charset=utf-8"}

// EvidenceInput describes an uploaded evidence file (the multipart form's fields besides "file").
type EvidenceInput struct {
	Common
	Title       string     `json:"title"`
	Kind        string     `json:"kind"`
	CollectedOn civil.Date `json:"collected_on,omitempty"` // default: the day of the upload step
}

// Validate checks the request.
func (in *EvidenceInput) Validate() error {
	var p problems
	p.common(&in.Common)
	p.text("title", &in.Title, maxShort, true)
	p.oneOf("kind", in.Kind, true, EvidenceKinds...)
	p.date("collected_on", in.CollectedOn, false)
	return p.err()
}

// files is the evidence store: content-addressed per tenant under the upload directory.
func (s *Service) files() blobs.Store {
	return blobs.Store{Dir: s.uploadDir, MaxBytes: s.maxUpload, Types: AllowedTypes,
		TypeHint: errs.Msg{ZH: "不接受该类型的文件（图片、PDF、音视频、文本）", EN: "this type of file is not accepted (images, PDF, audio, video, text)"}}
}

// AddEvidence uploads an evidence file to a case and records it, with its SHA-256, in the case's
// chain (the step add_evidence) under an idempotency key. Officers and body heads (cases.write).
// The file enters the upload directory only once the step has committed: a refused upload leaves
// no file behind. Returns Invalid (bad fields, type not allowed, empty), TooLarge, NotFound,
// Forbidden, Conflict (the case's state takes no evidence), FailedPrecondition (key reused).
func (s *Service) AddEvidence(ctx context.Context, sc tenants.Scope, caseID, key string, in EvidenceInput, fileName string, r io.Reader) (*ActResult, error) {
	if err := s.mayUpload(ctx, sc, caseID, key, &in); err != nil {
		return nil, err
	}
	f, err := s.files().Stage(sc.TenantID(), r)
	if err != nil {
		return nil, err
	}
	defer f.Discard()
	return s.recordEvidence(ctx, sc, caseID, key, in, fileName, f)
}

// mayUpload checks an upload's request before its file is read: the caller's roles, the case's
// ID and visibility, the key and, when in is given, the fields.
func (s *Service) mayUpload(ctx context.Context, sc tenants.Scope, caseID, key string, in *EvidenceInput) error {
	if err := checkUpload(sc, s.steps[ActAddEvidence], caseID, key, in); err != nil {
		return s.hidden(ctx, sc, caseID, err)
	}
	if !s.visible(ctx, sc, caseID) {
		return errs.ErrNotFound // a file for a case the scope cannot see is not read
	}
	return nil
}

// recordEvidence records the staged file f on the case, and keeps it in the store once the step
// has committed.
func (s *Service) recordEvidence(ctx context.Context, sc tenants.Scope, caseID, key string, in EvidenceInput, fileName string, f *blobs.Staged) (*ActResult, error) {
	def := s.steps[ActAddEvidence]
	if err := in.Validate(); err != nil {
		return nil, err
	}
	name := blobs.CleanName(fileName, "evidence")
	hash, err := requestHash(caseID, ActAddEvidence, struct {
		In     *EvidenceInput `json:"in"`
		SHA256 string         `json:"sha256"`
		Name   string         `json:"name"`
	}{&in, f.SHA256, name})
	if err != nil {
		return nil, err
	}
	res, err := s.run(ctx, sc, key, caseID, ActAddEvidence, hash, func(ctx context.Context, tx bun.Tx) (*ActResult, error) {
		c, err := findCase(ctx, tx, sc, caseID)
		if err != nil {
			return nil, err
		}
		a, err := s.begin(ctx, tx, sc, c, def, &in)
		if err != nil {
			return nil, err
		}
		collected := in.CollectedOn
		if collected == "" {
			collected = a.on
		}
		if collected.After(a.on) {
			return nil, errs.E(errs.Invalid, "取证日期不能晚于上传之日", "evidence cannot be collected after it is uploaded").
				WithFields(errs.Field("collected_on", "晚于上传日", "after the upload"))
		}
		ev := &Evidence{ID: dbx.NewID(), TenantID: c.TenantID, CaseID: c.ID, Seq: c.LastSeq + 1, Title: in.Title, Kind: in.Kind,
			FileName: name, ContentType: f.ContentType, Size: f.Size, SHA256: f.SHA256, CollectedOn: collected,
			UploadedBy: sc.Actor(), UploadedAt: a.now}
		a.evidence = []EvidenceRef{{ID: ev.ID, SHA256: f.SHA256, Size: f.Size, Name: name}}
		c.Facts.Evidence++
		res, err := s.commit(a)
		if err != nil {
			return nil, err
		}
		if _, err := tx.NewInsert().Model(ev).Exec(ctx); err != nil {
			return nil, err
		}
		return res, nil
	})
	if err != nil {
		return nil, err
	}
	return res, f.Keep()
}

// checkUpload checks an upload's request before its file is read (in: its fields, when known).
func checkUpload(sc tenants.Scope, def *actionDef, caseID, key string, in *EvidenceInput) error {
	if err := mayAct(sc, def.Perm); err != nil {
		return err
	}
	if err := checkID("id", caseID); err != nil {
		return err
	}
	if err := checkKey(key); err != nil {
		return err
	}
	if in == nil {
		return nil
	}
	return in.Validate()
}

// Evidence lists a case's evidence. Any staff role. Returns Invalid or NotFound.
func (s *Service) Evidence(ctx context.Context, sc tenants.Scope, caseID string) ([]Evidence, error) {
	if err := mayRead(sc, caseID); err != nil {
		return nil, err
	}
	var out []Evidence
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		if _, err := findCase(ctx, tx, sc, caseID); err != nil {
			return err
		}
		var err error
		out, err = caseEvidence(ctx, tx, sc, caseID)
		return err
	})
	return out, err
}

// OpenEvidence opens an evidence file of a case for reading; the caller closes it. Any staff
// role. Returns Invalid, NotFound (no such case or evidence, or the file is gone).
func (s *Service) OpenEvidence(ctx context.Context, sc tenants.Scope, caseID, evidenceID string) (*Evidence, *os.File, error) {
	if err := mayRead(sc, caseID); err != nil {
		return nil, nil, err
	}
	if err := checkID("evidence_id", evidenceID); err != nil {
		return nil, nil, s.hidden(ctx, sc, caseID, err)
	}
	ev := new(Evidence)
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		return dbx.NotFound(tenants.Own(sc, tx.NewSelect().Model(ev)).Where("ev.id = ? AND ev.case_id = ?", evidenceID, caseID).Scan(ctx))
	})
	if err != nil {
		return nil, nil, err
	}
	if s.uploadDir == "" {
		return nil, nil, errs.ErrNotFound
	}
	f, err := os.Open(s.files().Path(ev.TenantID, ev.SHA256))
	if err != nil {
		return nil, nil, errs.E(errs.NotFound, "证据文件不存在", "the evidence file is missing").WithCause(err)
	}
	return ev, f, nil
}
