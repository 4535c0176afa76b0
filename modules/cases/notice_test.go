package cases_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/modules/cases"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

// decidedBy walks a ¥500 fine to its decision on decideOn, the prior notice served by hand on
// notifyOn and the statement waived in writing, with the helpers starting on start.
func (w *world) decidedBy(t testing.TB, start, notifyOn, decideOn string) *cases.Case {
	t.Helper()
	w = w.from(elementsDate(start))
	c := w.notified(t, person(), 500, notifyOn, nil)
	w.waive(t, c.ID, cases.ActWaiveStatement, notifyOn)
	w.act(t, w.head, c.ID, cases.ActDecide, decision(decideOn, 500))
	return c
}

// serveNotices runs the periodic cases:serve_notices at the moment at.
func (w *world) serveNotices(t testing.TB, at string) {
	t.Helper()
	w.clock.Set(at)
	noErr(t, w.svc.HandleServeNotices(ctx, tenants.System("test: serve notices")))
}

// notice is a public notice body of the serve and notify steps.
func notice(reason, published string, attempts ...m) m {
	n := m{"reason": reason, "published_on": published, "place": "《三明日报》第3版"}
	if len(attempts) > 0 {
		n["attempts"] = attempts
	}
	return n
}

// TestServiceMethods: each method of service keeps its own rule of the Civil Procedure Law
// (applied by 行政处罚法 Art. 61): left at the address needs witnesses or images (Art. 89); by
// post the document is served on the return receipt's date (Art. 91); public notice only as the
// last resort, with the failed attempts or the unknown whereabouts, and where and when it was
// published (Art. 95). A refused step writes nothing.
func TestServiceMethods(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		failed := m{"method": "post", "on": "2025-09-19", "result": "邮件退回：查无此人"}
		for _, c := range []struct {
			why      string
			body     m
			field    string // Invalid naming it
			says     string // with this message
			rule     string // or a refusal by this rule and article
			article  string
			served   string // or served on this day (empty: the notice keeps the case decided)
			method   string
			payDue   string
			noticeOn string // the day the public notice serves it
		}{
			{why: "direct: served on the step's day", body: m{"method": "direct", "receipt": "送达回证"}, served: "2025-09-23", method: "direct", payDue: "2025-10-09"},
			{why: "Art. 89: left at the address without witnesses or images", body: m{"method": "left_at_address"}, field: "witnesses",
				says: "留置送达须记录见证人，或以拍照、录像记录送达过程（《民事诉讼法》第89条）"},
			{why: "Art. 89: left at the address with images not of the case", body: m{"method": "left_at_address", "evidence_ids": []string{"0190b8a4-0000-7000-8000-000000000000"}}, field: "evidence_ids[0]"},
			{why: "Art. 89: left at the address before witnesses", body: m{"method": "left_at_address", "witnesses": []string{"村委会主任 李四", "邻居 张三"}},
				served: "2025-09-23", method: "left_at_address", payDue: "2025-10-09"},
			{why: "witnesses belong to a document left at the address", body: m{"method": "direct", "witnesses": []string{"张三"}}, field: "witnesses"},
			{why: "Art. 91: by post without the return receipt's date", body: m{"method": "post", "receipt": "EMS1234567"}, field: "receipt_on"},
			{why: "Art. 91: a return receipt before the decision", body: m{"method": "post", "receipt_on": "2025-09-17"}, field: "receipt_on"},
			{why: "Art. 91: by post, served on the return receipt's date", body: m{"method": "post", "receipt": "EMS1234567", "receipt_on": "2025-09-20"},
				served: "2025-09-20", method: "post", payDue: "2025-10-09"},
			{why: "a return receipt date belongs to service by post", body: m{"method": "direct", "receipt_on": "2025-09-20"}, field: "receipt_on"},
			{why: "Art. 95: public notice without its particulars", body: m{"method": "public_notice"}, field: "public_notice",
				says: "公告送达须写明原因、公告日期和公告地点（《民事诉讼法》第95条）"},
			{why: "Art. 95: public notice without a reason", body: m{"method": "public_notice", "public_notice": m{"published_on": "2025-09-22", "place": "公告栏"}}, field: "public_notice.reason"},
			{why: "Art. 95: the other methods failed, but no attempt is recorded", body: m{"method": "public_notice", "public_notice": notice("other_methods_failed", "2025-09-22")},
				rule: rules.ServicePublicNotice, article: "95"},
			{why: "Art. 95: an attempt after the publication", body: m{"method": "public_notice",
				"public_notice": notice("other_methods_failed", "2025-09-22", m{"method": "post", "on": "2025-09-22", "result": "退回"})}, field: "public_notice.attempts[0].on"},
			{why: "Art. 95: an attempt by public notice is no other method", body: m{"method": "public_notice",
				"public_notice": notice("other_methods_failed", "2025-09-22", m{"method": "public_notice", "on": "2025-09-19", "result": "x"})}, field: "public_notice.attempts[0].method"},
			{why: "Art. 95: published before the decision", body: m{"method": "public_notice", "public_notice": notice("whereabouts_unknown", "2025-09-17")}, field: "public_notice.published_on"},
			{why: "public notice particulars belong to a public notice", body: m{"method": "direct", "public_notice": notice("whereabouts_unknown", "2025-09-22")}, field: "public_notice"},
			{why: "Art. 95: after a failed attempt by post", body: m{"method": "public_notice", "public_notice": notice("other_methods_failed", "2025-09-22", failed)},
				noticeOn: "2025-10-22"},
			{why: "Art. 95: the whereabouts unknown, no attempt needed", body: m{"method": "public_notice", "public_notice": notice("whereabouts_unknown", "2025-09-22")},
				noticeOn: "2025-10-22"},
		} {
			t.Run(c.why, func(t *testing.T) {
				cs := w.decidedBy(t, "2025-09-01", "2025-09-17", "2025-09-18")
				before := w.events(t, cs.ID)
				body := m{"on": "2025-09-23"}
				for k, v := range c.body {
					body[k] = v
				}
				res, err := w.svc.Act(ctx, w.officer, cs.ID, cases.ActServe, key(), body)
				switch {
				case c.field != "":
					wantField(t, err, c.field)
					if e := errs.As(err); c.says != "" && !slices.ContainsFunc(e.Fields, func(f errs.FieldError) bool { return f.Message.ZH == c.says }) {
						t.Errorf("the problems read %+v, want %s", e.Fields, c.says)
					}
				case c.rule != "":
					wantRule(t, err, c.rule, c.article)
				default:
					noErr(t, err)
				}
				if err != nil {
					if w.events(t, cs.ID) != before {
						t.Errorf("a refused step wrote an event")
					}
					return
				}
				f := res.Case.Facts
				if c.noticeOn != "" {
					if res.Case.State != cases.StateDecided || f.Delivery != nil || len(f.PublicNotices) != 1 || f.PublicNotices[0].ServedOn != elementsDate(c.noticeOn) {
						t.Fatalf("public notice: state %s, delivery %+v, notices %+v", res.Case.State, f.Delivery, f.PublicNotices)
					}
					return
				}
				if res.Case.State != cases.StateServed || f.Delivery.ServedOn != elementsDate(c.served) || f.Delivery.Method != c.method || f.Delivery.PayDue != elementsDate(c.payDue) {
					t.Fatalf("served: %s %+v", res.Case.State, f.Delivery)
				}
			})
		}
	})
}

// TestPublicNoticeServes: a decision served by public notice is served when 30 days have passed
// since publication (民事诉讼法 Art. 95; the publication day not counted, the day of service not
// shifted off a holiday): the case shows the notice period (公告期间) until then, the periodic task
// serves it once the next day, and the payment deadline (Art. 67, shifted as a party's deadline)
// and the remedies count from the day served. Across the 2025 National Day and a month end.
func TestPublicNoticeServes(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		for _, c := range []struct {
			why                              string
			start, notify, decide, published string
			served, payDue, reconsideration  string
			beforeDay, onDay                 string // the task's runs that must not and must serve it
		}{
			{why: "published Sep 5, 2025: served Oct 5 in the National Day holiday, payment due Oct 20, reconsideration until Dec 4",
				start: "2025-08-01", notify: "2025-08-27", decide: "2025-08-29", published: "2025-09-05",
				served: "2025-10-05", payDue: "2025-10-20", reconsideration: "2025-12-04",
				beforeDay: "2025-10-05T23:30:00+08:00", onDay: "2025-10-06T00:30:00+08:00"},
			{why: "published Jan 31, 2026 (a month end): served Mar 2, payment due Mar 17, reconsideration until May 1 shifted to May 6",
				start: "2026-01-01", notify: "2026-01-22", decide: "2026-01-26", published: "2026-01-31",
				served: "2026-03-02", payDue: "2026-03-17", reconsideration: "2026-05-06",
				beforeDay: "2026-03-02T12:00:00+08:00", onDay: "2026-03-03T08:00:00+08:00"},
		} {
			t.Run(c.why, func(t *testing.T) {
				w.clock.Set("2026-06-30")
				cs := w.decidedBy(t, c.start, c.notify, c.decide)
				w.clock.Set(c.published)
				w.act(t, w.officer, cs.ID, cases.ActServe, m{"on": c.published, "method": "public_notice",
					"public_notice": notice("other_methods_failed", c.published, m{"method": "post", "on": c.decide, "result": "邮件退回：地址不详"})})
				d := w.find(t, cs.ID)
				if d.State != cases.StateDecided {
					t.Fatalf("state %s during the notice period", d.State)
				}
				pn := deadline(t, d, rules.ServicePublicNotice)
				if pn.Due != c.served || pn.Status != cases.DueWaiting || pn.Article != 95 || pn.Law != rules.LawCivilProcedure || pn.Adjusted == nil ||
					!strings.Contains(pn.Adjusted.ZH, "公告期间") || !strings.Contains(pn.Adjusted.ZH, c.served) {
					t.Fatalf("notice period = %+v", pn)
				}
				if dl := deadline(t, d, rules.PenaltyDelivery); dl.Status != cases.DueMet {
					t.Errorf("the 7 working days of Art. 61 are not met by the publication: %+v", dl)
				}
				if na := next(t, d, cases.ActServe); len(na.Deadlines) == 0 {
					t.Errorf("the serve step does not show the notice period")
				}
				events := w.events(t, cs.ID)
				w.serveNotices(t, c.beforeDay)
				if d := w.find(t, cs.ID); d.State != cases.StateDecided || w.events(t, cs.ID) != events {
					t.Fatalf("served before the 30 days passed: %s", d.State)
				}
				w.serveNotices(t, c.onDay)
				d = w.find(t, cs.ID)
				del := d.Facts.Delivery
				if d.State != cases.StateServed || del == nil || del.ServedOn != elementsDate(c.served) || del.Method != "public_notice" || del.PayDue != elementsDate(c.payDue) || del.Late {
					t.Fatalf("after the notice period: %s %+v", d.State, del)
				}
				if !d.Facts.PublicNotices[0].Served || d.History[len(d.History)-1].Action != cases.ActNoticeServed || d.History[len(d.History)-1].OnDate != elementsDate(c.served) {
					t.Errorf("the record of the service: %+v", d.History[len(d.History)-1])
				}
				if dl := deadline(t, d, rules.RemedyReconsideration); dl.From != c.served || dl.Due != c.reconsideration {
					t.Errorf("reconsideration = %+v", dl)
				}
				// Once: the task again, and a hand service, find it served.
				events = w.events(t, cs.ID)
				w.serveNotices(t, c.onDay)
				if w.events(t, cs.ID) != events {
					t.Errorf("the task served the decision twice")
				}
				wantCode(t, w.try(w.officer, cs.ID, cases.ActServe, m{"on": c.served, "method": "direct"}), errs.Conflict)
			})
		}
		wantCode(t, w.svc.HandleServeNotices(ctx, w.officer), errs.Internal)
	})
}

// TestPublicNoticeOvertaken: the party found during the notice period and served by hand is
// served that day; the notice's period then serves nothing.
func TestPublicNoticeOvertaken(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		cs := w.decidedBy(t, "2025-09-01", "2025-09-17", "2025-09-18")
		w.act(t, w.officer, cs.ID, cases.ActServe, m{"on": "2025-09-22", "method": "public_notice", "public_notice": notice("whereabouts_unknown", "2025-09-22")})
		wantCode(t, w.try(w.officer, cs.ID, cases.ActServe, m{"on": "2025-09-23", "method": "public_notice", "public_notice": notice("whereabouts_unknown", "2025-09-23")}), errs.Conflict)
		res := w.act(t, w.officer, cs.ID, cases.ActServe, m{"on": "2025-10-09", "method": "direct", "receipt": "送达回证"})
		if res.Case.State != cases.StateServed || res.Case.Facts.Delivery.ServedOn != "2025-10-09" || !res.Case.Facts.PublicNotices[0].Closed {
			t.Fatalf("served by hand: %+v %+v", res.Case.Facts.Delivery, res.Case.Facts.PublicNotices)
		}
		events := w.events(t, cs.ID)
		w.serveNotices(t, "2025-10-30")
		if d := w.find(t, cs.ID); w.events(t, cs.ID) != events || d.Facts.Delivery.ServedOn != "2025-10-09" {
			t.Errorf("the closed notice served again: %+v", d.Facts.Delivery)
		}
	})
}

// TestPriorNoticeByPublicNotice: a prior notice served by public notice is served when its
// period passes; no decision before, and the statement period (Art. 44, 45) runs from that day.
func TestPriorNoticeByPublicNotice(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db).from("2025-08-01")
		cs := w.proposed(t, person(), 500, nil)
		res := w.act(t, w.officer, cs.ID, cases.ActNotify, m{"on": "2025-08-20", "method": "public_notice", "public_notice": notice("whereabouts_unknown", "2025-08-20")})
		if n := res.Case.Facts.Notice; n.ServedOn != "" || n.StatementDue != "" || res.Case.Facts.PublicNotices[0].ServedOn != "2025-09-19" {
			t.Fatalf("notice during its public notice: %+v %+v", n, res.Case.Facts.PublicNotices)
		}
		wantRule(t, w.try(w.head, cs.ID, cases.ActDecide, decision("2025-09-18", 500)), rules.ServicePublicNotice, "95")
		wantCode(t, w.try(w.officer, cs.ID, cases.ActWaiveStatement, m{"on": "2025-09-18", "evidence_id": w.document(t, cs.ID, "2025-09-18", "放弃声明", "documentary")}), errs.FailedPrecondition)
		w.serveNotices(t, "2025-09-20T09:00:00+08:00")
		n := w.find(t, cs.ID).Facts.Notice
		// Served Fri Sep 19: 5 working days are Sep 22-26.
		if n.ServedOn != "2025-09-19" || n.StatementDue != "2025-09-26" {
			t.Fatalf("notice served: %+v", n)
		}
		w.clock.Set("2026-06-30")
		wantRule(t, w.try(w.head, cs.ID, cases.ActDecide, decision("2025-09-26", 500)), rules.PenaltyStatement, "45")
		// Sunday Sep 28, 2025 is a make-up workday: the decision may come then.
		w.act(t, w.head, cs.ID, cases.ActDecide, decision("2025-09-28", 500))
	})
}
