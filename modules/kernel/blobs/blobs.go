// Package blobs keeps uploaded files (evidence, scanned delivery receipts) on disk, addressed by
// their SHA-256 under a per-tenant directory, so a file with the same content is stored once and
// a stored file's name is its integrity check.
package blobs

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"zhifa/modules/kernel/errs"
)

// Store is one kind of upload: where it lives, how large a file may be, and which content types
// (as sniffed by http.DetectContentType) it accepts.
type Store struct {
	Dir      string   // root directory; empty: uploads are refused as unavailable
	MaxBytes int64    // the largest file accepted
	Types    []string // accepted content types
	// TypeHint names what is accepted, for the refusal of another type.
	TypeHint errs.Msg
}

// Blob is a stored file.
type Blob struct {
	SHA256      string
	ContentType string
	Size        int64
}

// Path is where the file with digest sha of tenantID lives.
func (s Store) Path(tenantID, sha string) string {
	return filepath.Join(s.Dir, tenantID, sha[:2], sha)
}

// Staged is an upload written to a temporary file beside the store, its SHA-256 computed on the
// way, not yet in the store: Keep moves it into place once the transaction that records it has
// committed, Discard removes it (deferred by the caller; after Keep it does nothing), so that a
// refused upload leaves no file behind.
type Staged struct {
	Blob
	final string // where Keep puts it
	tmp   string // "": kept or discarded
}

// Stage streams r into a temporary file in the tenant's directory, hashing it on the way. It
// refuses an empty file (Invalid), a type outside Types (Invalid, naming the type), a file over
// MaxBytes or a request body cut at its limit (TooLarge), and an interrupted upload (Invalid).
// Nothing is left behind on refusal.
func (s Store) Stage(tenantID string, r io.Reader) (*Staged, error) {
	if s.Dir == "" {
		return nil, errs.E(errs.Unavailable, "未配置文件存储目录", "no file storage is configured")
	}
	dir := filepath.Join(s.Dir, tenantID)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("blobs: upload dir: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".upload-*")
	if err != nil {
		return nil, fmt.Errorf("blobs: upload: %w", err)
	}
	st := &Staged{tmp: tmp.Name()}
	blob, err := s.write(tmp, r)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		st.Discard()
		return nil, err
	}
	st.Blob, st.final = *blob, s.Path(tenantID, blob.SHA256)
	return st, nil
}

// write copies r into tmp within the store's limits, sniffing its type and hashing it.
func (s Store) write(tmp io.Writer, r io.Reader) (*Blob, error) {
	head := make([]byte, 512)
	n, err := io.ReadFull(r, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, uploadError(err)
	}
	head = head[:n]
	if n == 0 {
		return nil, errs.E(errs.Invalid, "文件为空", "the file is empty").WithFields(errs.Field("file", "为空", "empty"))
	}
	ct := http.DetectContentType(head)
	if !slices.Contains(s.Types, ct) {
		return nil, errs.E(errs.Invalid, s.TypeHint.ZH+"："+ct, s.TypeHint.EN+": "+ct).
			WithFields(errs.Field("file", "类型不允许", "type not allowed"))
	}
	h := sha256.New()
	w := io.MultiWriter(tmp, h)
	if _, err := w.Write(head); err != nil {
		return nil, err
	}
	size, err := io.Copy(w, io.LimitReader(r, s.MaxBytes-int64(n)+1))
	if err != nil {
		return nil, uploadError(err)
	}
	size += int64(n)
	if size > s.MaxBytes {
		return nil, errs.Ef(errs.TooLarge, "文件超过 %d MB", "the file exceeds %d MB", s.MaxBytes>>20)
	}
	return &Blob{SHA256: hex.EncodeToString(h.Sum(nil)), ContentType: ct, Size: size}, nil
}

// Keep moves the staged file into the store under its SHA-256; a file already stored is kept as
// it is. Called after the record of the file has committed; should it fail, the same upload
// retried (its idempotent replay) keeps the file again.
func (st *Staged) Keep() error {
	if st.tmp == "" {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(st.final), 0o750); err != nil {
		return err
	}
	if _, err := os.Stat(st.final); err == nil {
		st.Discard()
		return nil
	}
	if err := os.Rename(st.tmp, st.final); err != nil {
		return fmt.Errorf("blobs: store upload: %w", err)
	}
	st.tmp = ""
	return nil
}

// Discard removes the staged file unless it was kept.
func (st *Staged) Discard() {
	if st != nil && st.tmp != "" {
		os.Remove(st.tmp)
		st.tmp = ""
	}
}

// uploadError is the refusal of an upload whose reading failed: the body's own limit (the
// server's TooLarge), a body cut by http.MaxBytesReader (TooLarge), or an interrupted upload.
func uploadError(err error) error {
	var ee *errs.Error
	var mb *http.MaxBytesError
	switch {
	case errors.As(err, &ee):
		return ee
	case errors.As(err, &mb):
		return errs.E(errs.TooLarge, "文件过大", "the file is too large")
	}
	return errs.E(errs.Invalid, "文件上传中断", "the upload was interrupted").WithCause(err)
}

var unsafeName = regexp.MustCompile(`[^\p{L}\p{N}._-]+`)

// CleanName is the one cleaning of an uploaded file's name, kept to show and to offer back on
// download (it is never used as a path): the last element of a Windows or Unix path, every run
// of characters other than letters, digits, '.', '_' and '-' as one '_', at most its last 100
// characters; fallback when nothing is left ("", ".", "_").
func CleanName(name, fallback string) string {
	name = unsafeName.ReplaceAllString(filepath.Base(strings.ReplaceAll(name, `\`, "/")), "_")
	if r := []rune(name); len(r) > 100 {
		name = string(r[len(r)-100:])
	}
	if name == "" || name == "." || name == "_" {
		name = fallback
	}
	return name
}
