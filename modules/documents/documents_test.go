package documents_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"image"
	"image/color"
	"image/png"
	"strings"
	"sync"
	"testing"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/modules/documents"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// TestIssueAndVerify issues a penalty decision and checks its number, its PDF's text, its
// signature and the verification of the original, a copy with one byte changed and a stranger.
func TestIssueAndVerify(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		d := w.issue(t, w.officer, w.caseA)
		if d.Number != "尤市监罚〔2026〕1号" || d.Seq != 1 || d.Year != 2026 {
			t.Errorf("number %q seq %d year %d", d.Number, d.Seq, d.Year)
		}
		if d.TemplateRef != "platform:penalty_decision:2" || d.TemplateSHA256 == "" || d.CaseCode != w.caseA.Code {
			t.Errorf("pinned %s (%s), case %s", d.TemplateRef, d.TemplateSHA256, d.CaseCode)
		}
		pdf, got, err := w.svc.PDF(ctx, w.officer, d.ID)
		noErr(t, err)
		if !bytes.HasPrefix(pdf, []byte("%PDF-")) || got.PDFSM3 != documents.SM3Hex(pdf) {
			t.Fatalf("not the signed PDF")
		}
		text := pdfText(t, pdf)
		for _, s := range []string{"行政处罚决定书", partyName, "尤市监罚〔2026〕1号", "尤溪县市场监督管理局", "罚款人民币伍仟元整", "六十日", "六个月", w.caseA.Code, "2026年1月26日"} {
			if !strings.Contains(text, s) {
				t.Errorf("pdftotext lacks %q:\n%s", s, text)
			}
		}
		info := strings.Join(strings.Fields(pdfInfo(t, pdf)), " ")
		for _, s := range []string{"Subject: zhifa-document:" + d.ID, "Keywords: https://zhifa.example.gov.cn/verify/" + d.ID,
			"Author: 尤溪县市场监督管理局", "Pages: 2", "CreationDate: Mon Jan 26 02:00:00 2026 UTC"} {
			if !strings.Contains(info, s) {
				t.Errorf("pdfinfo lacks %q:\n%s", s, info)
			}
		}
		html, _, err := w.svc.HTML(ctx, w.officer, d.ID)
		noErr(t, err)
		if !strings.Contains(html, partyName) || !strings.Contains(html, `class="seal"`) || !strings.Contains(html, `class="qr"`) || strings.Contains(html, "style=") {
			t.Errorf("HTML rendering: %.400s", html)
		}
		list, err := w.svc.List(ctx, w.supervisor, w.caseA.ID)
		noErr(t, err)
		if len(list) != 1 || list[0].ID != d.ID || list[0].PDF != nil {
			t.Errorf("list %+v", list)
		}

		v, err := w.svc.VerifyByID(ctx, d.ID)
		noErr(t, err)
		if !v.Valid || v.Status != documents.VerdictAuthentic || v.Body != w.body.Name || v.Number != d.Number || v.SignedAt == nil || !v.SignedAt.Equal(d.IssuedAt) {
			t.Errorf("verdict by ID %+v", v)
		}
		raw, _ := json.Marshal(v)
		if strings.Contains(string(raw), partyName) || strings.Contains(string(raw), w.caseA.Code) {
			t.Errorf("the public verdict shows the party or the case: %s", raw)
		}
		v, err = w.svc.VerifyPDF(ctx, "", pdf)
		noErr(t, err)
		if !v.Valid || v.DocumentID != d.ID || v.SM3 != d.PDFSM3 {
			t.Errorf("verdict on the upload %+v", v)
		}
		for _, at := range []int{len(pdf) / 2, len(pdf) - 10, 100} {
			changed := bytes.Clone(pdf)
			changed[at] ^= 0x01
			v, err = w.svc.VerifyPDF(ctx, "", changed)
			noErr(t, err)
			if v.Valid || v.Status != documents.VerdictAltered || v.DocumentID != d.ID {
				t.Errorf("byte %d flipped: %+v", at, v)
			}
			v, err = w.svc.VerifyPDF(ctx, d.ID, changed)
			noErr(t, err)
			if v.Valid || v.Status != documents.VerdictAltered {
				t.Errorf("byte %d flipped, compared with the document: %+v", at, v)
			}
		}
		v, err = w.svc.VerifyPDF(ctx, "", []byte("%PDF-1.4 not ours"))
		noErr(t, err)
		if v.Valid || v.Status != documents.VerdictUnknown || v.DocumentID != "" {
			t.Errorf("a stranger's file: %+v", v)
		}
		_, err = w.svc.VerifyByID(ctx, "0196d3c2-8f4e-7a31-9b1c-2f3e4d5c6b7a")
		wantCode(t, err, errs.NotFound)

		// a tampered signature in the store is caught too
		err = tenants.RunInTx(ctx, db, tenants.System("test: tamper with a signature"), func(ctx context.Context, tx bun.Tx) error {
			_, err := tx.NewUpdate().Model((*documents.Document)(nil)).Set("signature = ?", tamperSig(d.Signature)).Where("d.id = ?", d.ID).Exec(ctx)
			return err
		})
		noErr(t, err)
		v, err = w.svc.VerifyByID(ctx, d.ID)
		noErr(t, err)
		if v.Valid || v.Status != documents.VerdictBadSignature {
			t.Errorf("tampered signature: %+v", v)
		}

		// a second decision takes the next number; another body starts its own series
		d2 := w.issue(t, w.head, w.caseA)
		d3 := w.issue(t, w.officer2, w.case2)
		if d2.Number != "尤市监罚〔2026〕2号" || d3.Seq != 1 || !strings.HasPrefix(d3.Number, "尤溪县城市管理局罚〔2026〕1号") {
			t.Errorf("numbers %q, %q", d2.Number, d3.Number)
		}
		if d2.KeyFingerprint != d.KeyFingerprint || d3.KeyFingerprint == d.KeyFingerprint {
			t.Errorf("each body signs with its own key: %s %s %s", d.KeyFingerprint, d2.KeyFingerprint, d3.KeyFingerprint)
		}
		// the signing key is encrypted with the secret key: another secret cannot sign with it
		other := documents.New(documents.Config{DB: db, SecretKey: bytes.Repeat([]byte{7}, 32), PublicURL: "https://x", Cases: w.src})
		if _, err := other.Issue(ctx, db, w.officer, documents.IssueRequest{CaseID: w.caseA.ID, Type: documents.TypePenaltyDecision}); err == nil {
			t.Error("a service with another secret key signed with the body's key")
		}
		// records have no number
		rec, err := w.svc.Issue(ctx, db, w.officer, documents.IssueRequest{CaseID: w.caseA.ID, Type: documents.TypeInquiryRecord})
		noErr(t, err)
		if rec.Number != "" || rec.Seq != 0 {
			t.Errorf("a record got a number: %+v", rec)
		}
	})
}

func tamperSig(sig string) string {
	b, _ := base64.StdEncoding.DecodeString(sig)
	b[len(b)-3] ^= 0x40
	return base64.StdEncoding.EncodeToString(b)
}

// TestIssueRefusals checks what issuing refuses.
func TestIssueRefusals(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		req := func(c string, typ documents.Type) documents.IssueRequest {
			return documents.IssueRequest{CaseID: c, Type: typ}
		}
		_, err := w.svc.Issue(ctx, db, w.supervisor, req(w.caseA.ID, documents.TypePenaltyDecision))
		wantCode(t, err, errs.Forbidden)
		_, err = w.svc.Issue(ctx, db, w.officer2, req(w.caseA.ID, documents.TypePenaltyDecision))
		wantCode(t, err, errs.Forbidden) // another body's case
		_, err = w.svc.Issue(ctx, db, w.officer, req(w.caseA.ID, "nonsense"))
		wantCode(t, err, errs.Invalid)
		_, err = w.svc.Issue(ctx, db, w.officer, req("not-an-id", documents.TypePenaltyDecision))
		wantCode(t, err, errs.Invalid)
		_, err = w.svc.Issue(ctx, db, w.officer, documents.IssueRequest{CaseID: w.caseA.ID, BodyID: w.body2.ID, Type: documents.TypePenaltyDecision})
		wantCode(t, err, errs.Forbidden)
		// required data missing: refused naming the fields, and no number is used up
		data := map[string]any{"party": map[string]any{"name": partyName}, "facts": ""}
		_, err = w.svc.Issue(ctx, db, w.officer, documents.IssueRequest{CaseID: w.caseA.ID, Type: documents.TypePenaltyDecision, Data: data})
		wantCode(t, err, errs.FailedPrecondition)
		e := errs.As(err)
		named := map[string]bool{}
		for _, f := range e.Fields {
			named[f.Field] = true
		}
		for _, f := range []string{"facts", "penalty.text", "penalty.basis", "remedies.reconsideration_days", "remedies.litigation_months"} {
			if !named[f] {
				t.Errorf("missing data %s not named: %+v", f, e.Fields)
			}
		}
		if e.Rule == nil || e.Rule.Article != "行政处罚法第五十九条" {
			t.Errorf("rule %+v", e.Rule)
		}
		if d := w.issue(t, w.officer, w.caseA); d.Seq != 1 {
			t.Errorf("after a refusal the next number is %d, want 1", d.Seq)
		}
		// without a case data source
		bare := documents.New(documents.Config{DB: db, SecretKey: secret, PublicURL: "https://x"})
		_, err = bare.Issue(ctx, db, w.officer, req(w.caseA.ID, documents.TypePenaltyDecision))
		wantCode(t, err, errs.FailedPrecondition)
	})
}

// TestNumbersUnderConcurrency issues decisions of one body from many goroutines at once: the
// numbers are 1..n without gaps or duplicates; an issue rolled back with its transaction gives
// its number back.
func TestNumbersUnderConcurrency(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		const n = 12
		var wg sync.WaitGroup
		seqs := make(chan int, n)
		errc := make(chan error, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				d, err := w.svc.Issue(ctx, db, w.officer, documents.IssueRequest{CaseID: w.caseA.ID, Type: documents.TypePenaltyDecision})
				if err != nil {
					errc <- err
					return
				}
				seqs <- d.Seq
			}()
		}
		wg.Wait()
		close(seqs)
		close(errc)
		for err := range errc {
			t.Fatalf("concurrent issue: %v", err)
		}
		seen := map[int]bool{}
		for s := range seqs {
			if seen[s] {
				t.Errorf("number %d issued twice", s)
			}
			seen[s] = true
		}
		for i := 1; i <= n; i++ {
			if !seen[i] {
				t.Errorf("number %d missing (a gap)", i)
			}
		}
		// an issue inside a transaction that rolls back
		errRollback := errors.New("the case transition failed")
		err := tenants.RunInTx(ctx, db, w.officer, func(ctx context.Context, tx bun.Tx) error {
			d, err := w.svc.Issue(ctx, tx, w.officer, documents.IssueRequest{CaseID: w.caseA.ID, Type: documents.TypePenaltyDecision})
			if err != nil {
				return err
			}
			if d.Seq != n+1 {
				t.Errorf("in the transaction: %d, want %d", d.Seq, n+1)
			}
			return errRollback
		})
		if !errors.Is(err, errRollback) {
			t.Fatalf("rollback: %v", err)
		}
		// a failed issue inside a transaction that goes on takes back its number (savepoint)
		err = tenants.RunInTx(ctx, db, w.officer, func(ctx context.Context, tx bun.Tx) error {
			_, err := w.svc.Issue(ctx, tx, w.officer, documents.IssueRequest{CaseID: w.caseA.ID, Type: documents.TypePenaltyDecision,
				Data: map[string]any{"facts": "x"}})
			wantCode(t, err, errs.FailedPrecondition)
			return nil
		})
		noErr(t, err)
		if d := w.issue(t, w.officer, w.caseA); d.Seq != n+1 || d.Number != "尤市监罚〔2026〕13号" {
			t.Errorf("after the rollback: %d %q, want %d", d.Seq, d.Number, n+1)
		}
	})
}

// sealPNG returns a small red ring on a transparent background.
func sealPNG(t testing.TB) string {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, 200, 200))
	for y := 0; y < 200; y++ {
		for x := 0; x < 200; x++ {
			dx, dy := x-100, y-100
			if r2 := dx*dx + dy*dy; r2 < 95*95 && r2 > 85*85 {
				img.Set(x, y, color.NRGBA{R: 200, A: 255})
			}
		}
	}
	var buf bytes.Buffer
	noErr(t, png.Encode(&buf, img))
	return base64.StdEncoding.EncodeToString(buf.Bytes())
}

// TestCustomiseAndPin walks a body admin's customisation (copy, refused saves, preview with a
// real case, publish) and checks that documents pin their version: an old document re-renders
// byte for byte after new versions are published.
func TestCustomiseAndPin(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		old := w.issue(t, w.officer, w.caseA)

		draft, err := w.svc.CopyTemplate(ctx, w.admin, documents.CopyInput{Type: documents.TypePenaltyDecision, BodyID: w.body.ID})
		noErr(t, err)
		if draft.Status != documents.StatusDraft || draft.BasedOn != "platform:penalty_decision:2" || draft.Level != "body" {
			t.Fatalf("draft %+v", draft)
		}
		_, err = w.svc.CopyTemplate(ctx, w.admin, documents.CopyInput{Type: documents.TypePenaltyDecision, BodyID: w.body.ID})
		wantCode(t, err, errs.Conflict)
		src := draft.Source

		// refused saves leave the draft as it was
		noAddress := strings.Replace(src, "<p>住所（地址）：{{.party.address}}</p>", "", 1)
		_, err = w.svc.SaveTemplate(ctx, w.admin, draft.ID, documents.TemplateInput{Source: &noAddress})
		wantCode(t, err, errs.FailedPrecondition)
		if f := errs.As(err).Fields; len(f) != 1 || f[0].Field != "party.address" || !strings.Contains(f[0].Message.ZH, "地址") {
			t.Errorf("missing field not named: %+v", f)
		}
		broken := strings.Replace(src, "{{multiline (clause .facts)}}", "{{multiline (clause .facts)", 1)
		_, err = w.svc.SaveTemplate(ctx, w.admin, draft.ID, documents.TemplateInput{Source: &broken})
		wantCode(t, err, errs.Invalid)
		got, err := w.svc.FindTemplate(ctx, w.admin, draft.ID)
		noErr(t, err)
		if got.Source != src {
			t.Fatal("a refused save changed the draft")
		}

		mark1 := "本决定书格式经尤溪县市场监督管理局审定（第一版）"
		v1 := strings.Replace(src, "<p class=\"spacer\"></p>", "<p class=\"small\">"+mark1+"</p><p class=\"spacer\"></p>", 1)
		seal := sealPNG(t)
		title := "行政处罚决定书（尤溪县市场监督管理局版）"
		saved, err := w.svc.SaveTemplate(ctx, w.admin, draft.ID, documents.TemplateInput{Source: &v1, SealPNG: &seal, Title: &title})
		noErr(t, err)
		if !saved.HasSeal || saved.Title != title {
			t.Errorf("saved %+v", saved)
		}
		p, err := w.svc.PreviewTemplate(ctx, w.admin, draft.ID, documents.PreviewInput{CaseID: w.caseA.ID})
		noErr(t, err)
		if !strings.Contains(p.HTML, mark1) || !strings.Contains(p.HTML, partyName) || !strings.Contains(p.HTML, "zdoc-preview") {
			t.Errorf("preview HTML: %.300s", p.HTML)
		}
		p, err = w.svc.PreviewTemplate(ctx, w.admin, draft.ID, documents.PreviewInput{CaseID: w.caseA.ID, Format: "pdf"})
		noErr(t, err)
		if text := pdfText(t, p.PDF); !strings.Contains(text, "样稿") || !strings.Contains(text, partyName) || !strings.Contains(text, "尤市监罚〔2026〕×号") {
			t.Errorf("preview PDF: %s", text)
		}
		_, err = w.svc.PreviewTemplate(ctx, w.admin, draft.ID, documents.PreviewInput{CaseID: w.case2.ID})
		wantCode(t, err, errs.Invalid) // another body's case
		unsaved := strings.Replace(v1, mark1, "未保存的修改", 1)
		p, err = w.svc.PreviewTemplate(ctx, w.admin, draft.ID, documents.PreviewInput{Source: &unsaved})
		noErr(t, err)
		if !strings.Contains(p.HTML, "未保存的修改") {
			t.Error("preview of an unsaved edit")
		}

		pub, err := w.svc.PublishTemplate(ctx, w.admin, draft.ID)
		noErr(t, err)
		if pub.Version != 1 || pub.Status != documents.StatusPublished || pub.PublishedAt == nil {
			t.Fatalf("published %+v", pub)
		}
		_, err = w.svc.SaveTemplate(ctx, w.admin, pub.ID, documents.TemplateInput{Source: &src})
		wantCode(t, err, errs.FailedPrecondition) // a version never changes
		d1 := w.issue(t, w.officer, w.caseA)
		if d1.TemplateRef != pub.ID || d1.TemplateVersion != 1 {
			t.Errorf("issued with %s v%d, want %s v1", d1.TemplateRef, d1.TemplateVersion, pub.ID)
		}
		pdf1, _, err := w.svc.PDF(ctx, w.officer, d1.ID)
		noErr(t, err)
		if text := pdfText(t, pdf1); !strings.Contains(text, mark1) {
			t.Errorf("the published version is not used: %s", text)
		}

		// version 2 with other wording
		draft2, err := w.svc.CopyTemplate(ctx, w.admin, documents.CopyInput{Type: documents.TypePenaltyDecision, BodyID: w.body.ID})
		noErr(t, err)
		if draft2.BasedOn != pub.ID || !draft2.HasSeal {
			t.Errorf("second draft %+v", draft2)
		}
		mark2 := "第二版措辞"
		v2 := strings.Replace(v1, mark1, mark2, 1)
		_, err = w.svc.SaveTemplate(ctx, w.admin, draft2.ID, documents.TemplateInput{Source: &v2})
		noErr(t, err)
		pub2, err := w.svc.PublishTemplate(ctx, w.admin, draft2.ID)
		noErr(t, err)
		if pub2.Version != 2 {
			t.Fatalf("second version %d", pub2.Version)
		}
		d2 := w.issue(t, w.officer, w.caseA)
		if d2.TemplateVersion != 2 {
			t.Errorf("issued with v%d", d2.TemplateVersion)
		}
		pdf2, _, err := w.svc.PDF(ctx, w.officer, d2.ID)
		noErr(t, err)
		if text := pdfText(t, pdf2); !strings.Contains(text, mark2) || strings.Contains(text, mark1) {
			t.Errorf("version 2: %s", text)
		}
		// the old documents re-render identically and still verify
		for _, d := range []*documents.Document{old, d1} {
			stored, _, err := w.svc.PDF(ctx, w.officer, d.ID)
			noErr(t, err)
			_, again, err := w.svc.Rerender(ctx, w.officer, d.ID)
			noErr(t, err)
			if !bytes.Equal(stored, again) {
				t.Errorf("%s (template %s) re-renders differently: %d vs %d bytes", d.Number, d.TemplateRef, len(stored), len(again))
			}
			v, err := w.svc.VerifyPDF(ctx, "", again)
			noErr(t, err)
			if !v.Valid || v.DocumentID != d.ID {
				t.Errorf("re-rendered %s does not verify: %+v", d.Number, v)
			}
		}
		if text := pdfText(t, pdf1); strings.Contains(text, mark2) {
			t.Error("the old document shows the new wording")
		}

		list, err := w.svc.Templates(ctx, w.admin, documents.TypePenaltyDecision, w.body.ID)
		noErr(t, err)
		if list.Effective != pub2.ID || len(list.Templates) != 4 || !list.Templates[0].Effective {
			t.Errorf("history %+v", list)
		}
		// discard a draft
		d3, err := w.svc.CopyTemplate(ctx, w.admin, documents.CopyInput{Type: documents.TypePenaltyDecision, BodyID: w.body.ID, From: "platform:penalty_decision:1"})
		noErr(t, err)
		noErr(t, w.svc.DiscardTemplate(ctx, w.admin, d3.ID))
		_, err = w.svc.FindTemplate(ctx, w.admin, d3.ID)
		wantCode(t, err, errs.NotFound)
	})
}

// TestTreeDecides checks that the tenant tree's settings decide who may customise: a province
// locks departments out, and tenant-level templates inherit and lock.
func TestTreeDecides(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		mark := func(src, m string) string {
			return strings.Replace(src, "<p class=\"spacer\"></p>", "<p>"+m+"</p><p class=\"spacer\"></p>", 1)
		}
		publish := func(sc tenants.Scope, bodyID, m string) *documents.Template {
			t.Helper()
			d, err := w.svc.CopyTemplate(ctx, sc, documents.CopyInput{Type: documents.TypePenaltyDecision, BodyID: bodyID, From: "platform:penalty_decision:1"})
			noErr(t, err)
			src := mark(d.Source, m)
			_, err = w.svc.SaveTemplate(ctx, sc, d.ID, documents.TemplateInput{Source: &src})
			noErr(t, err)
			p, err := w.svc.PublishTemplate(ctx, sc, d.ID)
			noErr(t, err)
			return p
		}
		effective := func() string {
			t.Helper()
			l, err := w.svc.Templates(ctx, w.officer, documents.TypePenaltyDecision, w.body.ID)
			noErr(t, err)
			return l.Effective
		}
		provT := publish(w.provOp, "", "省级版本")
		if effective() != provT.ID {
			t.Fatalf("the province's template does not reach the county")
		}
		countyT := publish(w.operator, "", "县级版本")
		bodyT := publish(w.admin, w.body.ID, "主体版本")
		if effective() != bodyT.ID {
			t.Errorf("effective %s, want the body's %s", effective(), bodyT.ID)
		}
		// the province locks departments out
		f := false
		raw, _ := json.Marshal(f)
		_, err := w.ten.Set(ctx, w.provOp, documents.SettingAllowDepartmentTemplates, tenants.SetSetting{Value: raw, Final: true})
		noErr(t, err)
		if effective() != countyT.ID {
			t.Errorf("with departments locked out, effective %s, want the county's %s", effective(), countyT.ID)
		}
		_, err = w.svc.CopyTemplate(ctx, w.admin, documents.CopyInput{Type: documents.TypePenaltyDecision, BodyID: w.body.ID})
		wantCode(t, err, errs.FailedPrecondition)
		if !strings.Contains(errs.As(err).Message.EN, documents.SettingAllowDepartmentTemplates) {
			t.Errorf("refusal does not name the setting: %v", err)
		}
		_, err = w.ten.Set(ctx, w.operator, documents.SettingAllowDepartmentTemplates, tenants.SetSetting{Value: []byte("true"), BodyID: w.body.ID})
		wantCode(t, err, errs.FailedPrecondition) // the county cannot undo the province's lock
		d := w.issue(t, w.officer, w.caseA)
		if d.TemplateRef != countyT.ID {
			t.Errorf("issued with %s, want the county's", d.TemplateRef)
		}
		// the province locks the tenants below out: its own template applies again
		_, err = w.ten.Set(ctx, w.provOp, documents.SettingAllowTenantTemplates, tenants.SetSetting{Value: raw, Final: true})
		noErr(t, err)
		if effective() != provT.ID {
			t.Errorf("with tenants locked out, effective %s, want the province's %s", effective(), provT.ID)
		}
		_, err = w.svc.CopyTemplate(ctx, w.operator, documents.CopyInput{Type: documents.TypePenaltyDecision})
		wantCode(t, err, errs.FailedPrecondition)
		_, err = w.svc.CopyTemplate(ctx, w.provOp, documents.CopyInput{Type: documents.TypePenaltyDecision})
		noErr(t, err) // the level that locked keeps its own
		d = w.issue(t, w.officer, w.caseA)
		pdf, _, err := w.svc.PDF(ctx, w.officer, d.ID)
		noErr(t, err)
		if text := pdfText(t, pdf); !strings.Contains(text, "省级版本") {
			t.Errorf("the province's version is not used: %s", text)
		}
	})
}

// TestRoles checks who may customise (body admins for their body, tenant operators) and who may
// issue (officers, heads, reviewers, for their body).
func TestRoles(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		in := documents.CopyInput{Type: documents.TypePenaltyDecision, BodyID: w.body.ID}
		for _, sc := range []tenants.Scope{w.officer, w.head, w.supervisor, w.admin2} {
			_, err := w.svc.CopyTemplate(ctx, sc, in)
			wantCode(t, err, errs.Forbidden)
		}
		_, err := w.svc.CopyTemplate(ctx, w.admin, documents.CopyInput{Type: documents.TypePenaltyDecision})
		wantCode(t, err, errs.Forbidden) // the tenant's own templates are the operators'
		draft, err := w.svc.CopyTemplate(ctx, w.admin, in)
		noErr(t, err)
		src := draft.Source
		for _, sc := range []tenants.Scope{w.officer, w.admin2} {
			_, err = w.svc.SaveTemplate(ctx, sc, draft.ID, documents.TemplateInput{Source: &src})
			wantCode(t, err, errs.NotFound) // a draft is seen only by those who may edit it
			_, err = w.svc.PublishTemplate(ctx, sc, draft.ID)
			wantCode(t, err, errs.NotFound)
		}
		_, err = w.svc.FindTemplate(ctx, w.officer, draft.ID)
		wantCode(t, err, errs.NotFound)
		_, err = w.svc.SaveTemplate(ctx, w.operator, draft.ID, documents.TemplateInput{Source: &src})
		noErr(t, err) // a tenant operator may help
		pub, err := w.svc.PublishTemplate(ctx, w.admin, draft.ID)
		noErr(t, err)
		if _, err := w.svc.FindTemplate(ctx, w.officer, pub.ID); err != nil {
			t.Errorf("a published version is readable by staff: %v", err)
		}
		reviewer := dbtest.BodyScope(w.a, "reviewer", []string{w.body.ID}, authz.LegalReviewer)
		for _, sc := range []tenants.Scope{w.officer, w.head, reviewer} {
			if _, err := w.svc.Issue(ctx, db, sc, documents.IssueRequest{CaseID: w.caseA.ID, Type: documents.TypePenaltyDecision}); err != nil {
				t.Errorf("%s cannot issue: %v", sc.Actor(), err)
			}
		}
		for _, sc := range []tenants.Scope{w.admin, w.operator, w.supervisor} {
			_, err := w.svc.Issue(ctx, db, sc, documents.IssueRequest{CaseID: w.caseA.ID, Type: documents.TypePenaltyDecision})
			wantCode(t, err, errs.Forbidden)
		}
	})
}

// TestIsolation checks that county B finds nothing of county A's templates and documents,
// while verification stays public.
func TestIsolation(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		draft, err := w.svc.CopyTemplate(ctx, w.admin, documents.CopyInput{Type: documents.TypePenaltyDecision, BodyID: w.body.ID})
		noErr(t, err)
		countyDraft, err := w.svc.CopyTemplate(ctx, w.operator, documents.CopyInput{Type: documents.TypePenaltyDecision})
		noErr(t, err)
		pub, err := w.svc.PublishTemplate(ctx, w.operator, countyDraft.ID)
		noErr(t, err)
		d := w.issue(t, w.officer, w.caseA)
		src := draft.Source
		for _, sc := range []tenants.Scope{w.bOperator, w.bAdmin, w.bOfficer} {
			for _, id := range []string{draft.ID, pub.ID} {
				_, err = w.svc.FindTemplate(ctx, sc, id)
				wantCode(t, err, errs.NotFound)
				_, err = w.svc.PreviewTemplate(ctx, sc, id, documents.PreviewInput{})
				wantCode(t, err, errs.NotFound)
			}
			_, err = w.svc.Find(ctx, sc, d.ID)
			wantCode(t, err, errs.NotFound)
			_, _, err = w.svc.PDF(ctx, sc, d.ID)
			wantCode(t, err, errs.NotFound)
			_, _, err = w.svc.HTML(ctx, sc, d.ID)
			wantCode(t, err, errs.NotFound)
			list, err := w.svc.List(ctx, sc, w.caseA.ID)
			noErr(t, err)
			if len(list) != 0 {
				t.Errorf("B lists A's documents")
			}
			l, err := w.svc.Templates(ctx, sc, documents.TypePenaltyDecision, "")
			noErr(t, err)
			for _, x := range l.Templates {
				if x.TenantID == w.a.ID {
					t.Errorf("B lists A's template %s", x.ID)
				}
			}
		}
		for _, id := range []string{draft.ID, pub.ID} {
			_, err = w.svc.SaveTemplate(ctx, w.bOperator, id, documents.TemplateInput{Source: &src})
			wantCode(t, err, errs.NotFound)
			_, err = w.svc.PublishTemplate(ctx, w.bOperator, id)
			wantCode(t, err, errs.NotFound)
			wantCode(t, w.svc.DiscardTemplate(ctx, w.bOperator, id), errs.NotFound)
		}
		_, err = w.svc.Templates(ctx, w.bAdmin, documents.TypePenaltyDecision, w.body.ID)
		wantCode(t, err, errs.NotFound)
		_, err = w.svc.CopyTemplate(ctx, w.bOperator, documents.CopyInput{Type: documents.TypePenaltyDecision, BodyID: w.body.ID})
		wantCode(t, err, errs.NotFound)
		_, err = w.svc.Issue(ctx, db, w.bOfficer, documents.IssueRequest{CaseID: w.caseA.ID, Type: documents.TypePenaltyDecision})
		wantCode(t, err, errs.NotFound)
		// B's own documents are B's
		dB := w.issue(t, w.bOfficer, w.caseB)
		_, err = w.svc.Find(ctx, w.officer, dB.ID)
		wantCode(t, err, errs.NotFound)
		v, err := w.svc.VerifyByID(ctx, d.ID)
		noErr(t, err)
		if !v.Valid {
			t.Errorf("public verification of A's document: %+v", v)
		}
	})
}
