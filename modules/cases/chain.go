package cases

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/blobs"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// genesis is the previous hash of a case's first event.
var genesis = strings.Repeat("0", 64)

// Event is one entry of a case's whole-process record (全过程记录, 行政处罚法 Art. 47): a
// transition with what it recorded. Content is the canonical JSON the hash covers; PrevHash links
// it to the event before, so that changing, removing or reordering any event breaks the chain.
type Event struct {
	bun.BaseModel `bun:"table:case_events,alias:e"`

	ID        string          `bun:"id,pk" json:"id"`
	TenantID  string          `bun:"tenant_id,notnull" json:"-"`
	CaseID    string          `bun:"case_id,notnull" json:"case_id"`
	Seq       int             `bun:"seq,notnull" json:"seq"`
	Action    Action          `bun:"action,notnull" json:"action"`
	FromState State           `bun:"from_state,notnull" json:"from_state"`
	ToState   State           `bun:"to_state,notnull" json:"to_state"`
	Actor     string          `bun:"actor,notnull" json:"actor"`
	At        time.Time       `bun:"at,notnull" json:"at"`      // when it was recorded
	OnDate    civil.Date      `bun:"on_date,notnull" json:"on"` // the day the step happened
	Late      bool            `bun:"late,notnull" json:"late"`  // a deadline had passed (or a late backfill)
	Content   json.RawMessage `bun:"content,notnull,type:text" json:"content"`
	PrevHash  string          `bun:"prev_hash,notnull" json:"prev_hash"`
	Hash      string          `bun:"hash,notnull" json:"hash"`
}

// EvidenceRef is an evidence file as the chain records it: its content hash.
type EvidenceRef struct {
	ID     string `json:"id"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
	Name   string `json:"name"`
}

// content is what an event's hash covers, in a fixed field order.
type content struct {
	TenantID   string          `json:"tenant_id"`
	CaseID     string          `json:"case_id"`
	Seq        int             `json:"seq"`
	Action     Action          `json:"action"`
	From       State           `json:"from"`
	To         State           `json:"to"`
	Actor      string          `json:"actor"`
	On         civil.Date      `json:"on"`
	At         string          `json:"at"`          // the moment of the step, RFC 3339 UTC
	RecordedAt string          `json:"recorded_at"` // when the platform recorded it
	Input      json.RawMessage `json:"input"`
	Derived    map[string]any  `json:"derived,omitempty"`
	Evidence   []EvidenceRef   `json:"evidence,omitempty"`
	Late       bool            `json:"late,omitempty"`
	Prev       string          `json:"prev"`
}

// sum returns the hex SHA-256 of b.
func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// newEvent builds the next event of c (whose LastSeq and ChainHead are the chain so far).
func newEvent(c *Case, sc tenants.Scope, action Action, from, to State, on civil.Date, at, now time.Time,
	input json.RawMessage, derived map[string]any, evidence []EvidenceRef, late bool) (*Event, error) {
	body := content{TenantID: c.TenantID, CaseID: c.ID, Seq: c.LastSeq + 1, Action: action, From: from, To: to, Actor: sc.Actor(),
		On: on, At: at.UTC().Format(time.RFC3339Nano), RecordedAt: now.UTC().Format(time.RFC3339Nano), Input: input,
		Derived: derived, Evidence: evidence, Late: late, Prev: c.ChainHead}
	raw, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("cases: event content: %w", err)
	}
	return &Event{ID: dbx.NewID(), TenantID: c.TenantID, CaseID: c.ID, Seq: body.Seq, Action: action, FromState: from, ToState: to,
		Actor: sc.Actor(), At: now, OnDate: on, Late: late, Content: raw, PrevHash: c.ChainHead, Hash: sum(raw)}, nil
}

// ChainReport is the result of verifying a case's chain.
type ChainReport struct {
	CaseID   string `json:"case_id"`
	CaseCode string `json:"case_code"`
	Valid    bool   `json:"valid"`
	Events   int    `json:"events"`
	Evidence int    `json:"evidence_files"`
	Head     string `json:"head"`
	// Broken names the first event that fails, and why; nil when the chain is whole.
	Broken *Broken `json:"broken,omitempty"`
}

// Broken is the first failure found in a chain.
type Broken struct {
	Seq     int      `json:"seq"`
	EventID string   `json:"event_id,omitempty"`
	Reason  string   `json:"reason"` // content_hash, prev_hash, sequence, column_mismatch, head, state, evidence_missing, evidence_hash, evidence_file
	Message errs.Msg `json:"message"`
}

// verify checks c's events and evidence: each event's hash is the SHA-256 of its content, its
// previous hash is the hash of the event before (the first one's is all zeros), its columns agree
// with its content, the sequence has no gap, the case's head and state are the last event's, and
// every evidence row (and, with dir, every stored file) has the hash its event recorded.
func verify(c *Case, events []Event, evidence []Evidence, dir string) *ChainReport {
	rep := &ChainReport{CaseID: c.ID, CaseCode: c.Code, Events: len(events), Evidence: len(evidence), Head: c.ChainHead}
	fail := func(seq int, id, reason, zh, en string) *ChainReport {
		rep.Broken = &Broken{Seq: seq, EventID: id, Reason: reason, Message: errs.Msg{ZH: zh, EN: en}}
		return rep
	}
	prev := genesis
	recorded := map[string]EvidenceRef{}
	for i, ev := range events {
		if ev.Seq != i+1 {
			return fail(i+1, ev.ID, "sequence", fmt.Sprintf("第 %d 个事件缺失或顺序错乱", i+1), fmt.Sprintf("event %d is missing or out of order", i+1))
		}
		if sum(ev.Content) != ev.Hash {
			return fail(ev.Seq, ev.ID, "content_hash", fmt.Sprintf("第 %d 个事件的内容与其哈希不符（内容被修改）", ev.Seq), fmt.Sprintf("event %d: its content does not match its hash (the content was changed)", ev.Seq))
		}
		var body content
		if err := json.Unmarshal(ev.Content, &body); err != nil {
			return fail(ev.Seq, ev.ID, "content_hash", fmt.Sprintf("第 %d 个事件的内容无法解析", ev.Seq), fmt.Sprintf("event %d: the content cannot be read", ev.Seq))
		}
		if ev.PrevHash != prev || body.Prev != prev {
			return fail(ev.Seq, ev.ID, "prev_hash", fmt.Sprintf("第 %d 个事件未链接到前一事件（链条断裂）", ev.Seq), fmt.Sprintf("event %d does not link to the event before it (the chain is broken)", ev.Seq))
		}
		if body.Seq != ev.Seq || body.CaseID != c.ID || body.TenantID != c.TenantID || body.Action != ev.Action ||
			body.From != ev.FromState || body.To != ev.ToState || body.Actor != ev.Actor || body.On != ev.OnDate || body.Late != ev.Late ||
			body.RecordedAt != ev.At.UTC().Format(time.RFC3339Nano) {
			return fail(ev.Seq, ev.ID, "column_mismatch", fmt.Sprintf("第 %d 个事件的记录字段与已签内容不符（字段被修改）", ev.Seq), fmt.Sprintf("event %d: its recorded fields differ from its hashed content (a field was changed)", ev.Seq))
		}
		for _, r := range body.Evidence {
			recorded[r.ID] = r
		}
		prev = ev.Hash
	}
	n := len(events)
	if c.LastSeq != n || c.ChainHead != prev {
		return fail(n, "", "head", "案件记录的链头与最后一个事件不符（事件被删除或追加）", "the case's chain head does not match its last event (events were removed or added)")
	}
	if n > 0 && events[n-1].ToState != c.State {
		return fail(n, events[n-1].ID, "state", fmt.Sprintf("案件状态（%s）与记录的最后状态（%s）不符", c.State, events[n-1].ToState),
			fmt.Sprintf("the case's state (%s) is not the last recorded one (%s)", c.State, events[n-1].ToState))
	}
	for _, e := range evidence {
		r, ok := recorded[e.ID]
		if !ok {
			return fail(e.Seq, "", "evidence_missing", fmt.Sprintf("证据“%s”不在记录链中", e.Title), fmt.Sprintf("evidence %q is not in the record", e.Title))
		}
		if r.SHA256 != e.SHA256 || r.Size != e.Size {
			return fail(e.Seq, eventID(events, e.Seq), "evidence_hash", fmt.Sprintf("证据“%s”的哈希与记录不符", e.Title), fmt.Sprintf("evidence %q: its hash differs from the record", e.Title))
		}
		if dir != "" {
			if got, err := fileHash(blobs.Store{Dir: dir}.Path(e.TenantID, e.SHA256)); err != nil || got != e.SHA256 {
				return fail(e.Seq, eventID(events, e.Seq), "evidence_file", fmt.Sprintf("证据“%s”的文件缺失或已被修改", e.Title), fmt.Sprintf("evidence %q: the stored file is missing or was changed", e.Title))
			}
		}
	}
	rep.Valid = true
	return rep
}

func eventID(events []Event, seq int) string {
	if i := slices.IndexFunc(events, func(e Event) bool { return e.Seq == seq }); i >= 0 {
		return events[i].ID
	}
	return ""
}

// VerifyChain verifies a case's record (see verify). Any staff role that may read the case.
// Returns Invalid (malformed ID) or NotFound.
func (s *Service) VerifyChain(ctx context.Context, sc tenants.Scope, id string) (*ChainReport, error) {
	if err := mayRead(sc, id); err != nil {
		return nil, err
	}
	var rep *ChainReport
	// one snapshot: the case's head and its events as of the same commit, whatever step lands meanwhile
	err := tenants.RunInSnapshot(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		c, err := findCase(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		events, err := caseEvents(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		ev, err := caseEvidence(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		rep = verify(c, events, ev, s.uploadDir)
		return nil
	})
	return rep, err
}

// canonical re-encodes a JSON value compactly, so that equal values have equal bytes.
func canonical(v any) (json.RawMessage, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// fileHash returns the hex SHA-256 of a file.
func fileHash(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
