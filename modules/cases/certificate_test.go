package cases_test

import (
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/modules/cases"
	"zhifa/modules/elements"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/errs"
)

// wantOfficersRefused checks that err refuses a step by rule id (article) and names, in both
// languages, every one of the officers' certificates as it stood that day.
func wantOfficersRefused(t testing.TB, err error, id, article string, zh, en []string) {
	t.Helper()
	wantRule(t, err, id, article)
	msg := errs.As(err).Message
	for _, s := range zh {
		if !strings.Contains(msg.ZH, s) {
			t.Errorf("refusal %q does not say %q", msg.ZH, s)
		}
	}
	for _, s := range en {
		if !strings.Contains(msg.EN, s) {
			t.Errorf("refusal %q does not say %q", msg.EN, s)
		}
	}
}

// TestCertificatesOnTheStepsDay: every step that needs certified officers (行政处罚法 Art. 42,
// 行政强制法 Art. 18) checks each officer's certificate on the step's day, not today: officer 5's
// certificate, valid until Monday 2025-03-31, carries a step of that day and refuses one of
// 2025-04-01, naming the officer and the certificate's state. A certificate's last day is a
// calendar day even on a holiday (Qingming, 2025-04-04): no shift to the next working day.
func TestCertificatesOnTheStepsDay(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db).from("2025-03-24")
		cert := func(n int, name string, expires civil.Date, status elements.CertStatus) *elements.Officer {
			o, err := w.el.CreateOfficer(ctx, w.operator, elements.OfficerInput{BodyID: w.body.ID, Name: name, IDNumber: residentID(n),
				Certificate: &elements.CertificateInput{Number: "闽A" + name, IssuedOn: "2020-01-01", ExpiresOn: expires, Status: status}})
			noErr(t, err)
			return o
		}
		suspended := cert(20, "暂扣证件人员", "2028-12-31", elements.CertSuspended)
		qingming := cert(21, "清明到期人员", "2025-04-04", elements.CertValid)
		pair := func(o *elements.Officer) []string { return []string{w.o1.ID, o.ID} }
		expiredZH := []string{"2025-04-01", "执法人员5（执法证 闽A00000005 已于 2025-03-31 到期）", "《行政处罚法》第42条"}
		expiredEN := []string{"valid on 2025-04-01", "执法人员5 (certificate 闽A00000005 expired on 2025-03-31)", "行政处罚法 Art. 42"}

		t.Run("investigate", func(t *testing.T) {
			investigate := func(on string, team []string) error {
				c := w.filed(t, person(), nil) // filed 2025-03-26
				before := w.events(t, c.ID)
				err := w.try(w.officer, c.ID, cases.ActInvestigate, m{"on": on, "officer_ids": team, "record": "询问笔录"})
				if n := w.events(t, c.ID); err != nil && n != before {
					t.Errorf("a refused step wrote %d events", n-before)
				}
				return err
			}
			noErr(t, investigate("2025-03-31", pair(w.expired)))
			wantOfficersRefused(t, investigate("2025-04-01", pair(w.expired)), "penalty.officers", "42", expiredZH, expiredEN)
			// Every officer without a certificate valid that day is named, not only the first.
			wantOfficersRefused(t, investigate("2025-04-01", []string{w.expired.ID, suspended.ID}), "penalty.officers", "42",
				[]string{"执法人员5（执法证 闽A00000005 已于 2025-03-31 到期）；暂扣证件人员（执法证 闽A暂扣证件人员 已暂扣）"},
				[]string{"执法人员5 (certificate 闽A00000005 expired on 2025-03-31); 暂扣证件人员 (certificate 闽A暂扣证件人员 is suspended)"})
			// The last day falls on the Qingming holiday: valid that day, expired on the next
			// working day.
			noErr(t, investigate("2025-04-04", pair(qingming)))
			wantOfficersRefused(t, investigate("2025-04-07", pair(qingming)), "penalty.officers", "42",
				[]string{"清明到期人员（执法证 闽A清明到期人员 已于 2025-04-04 到期）"}, []string{"expired on 2025-04-04"})
		})

		t.Run("file", func(t *testing.T) {
			c := w.from("2025-03-28").lead(t, person())
			w.act(t, w.officer, c.ID, cases.ActVerify, m{"on": "2025-03-31", "findings": "属实"})
			wantOfficersRefused(t, w.try(w.head, c.ID, cases.ActFile, m{"on": "2025-04-01", "officer_ids": pair(w.expired)}),
				"penalty.officers", "42", expiredZH, expiredEN)
			c2 := w.from("2025-03-28").lead(t, person())
			w.act(t, w.officer, c2.ID, cases.ActVerify, m{"on": "2025-03-30", "findings": "属实"})
			w.act(t, w.head, c2.ID, cases.ActFile, m{"on": "2025-03-31", "officer_ids": pair(w.expired)})
		})

		t.Run("recuse keeps two certified officers", func(t *testing.T) {
			recuse := func(on string) error {
				c := w.filed(t, person(), nil) // team officers 1 and 2
				return w.try(w.head, c.ID, cases.ActRecuse, m{"on": on, "officer_id": w.o2.ID, "applied_by": "party", "reason": "近亲属", "granted": true,
					"replacement": []string{w.expired.ID}})
			}
			noErr(t, recuse("2025-03-31"))
			err := recuse("2025-04-01")
			wantOfficersRefused(t, err, "penalty.recusal", "43", append(expiredZH, "回避后须有至少两名持有效执法证的承办人员"),
				append(expiredEN, "after the recusal at least two certified officers must handle the case"))
			if en := errs.As(err).Message.EN; strings.Contains(en, "执法证") {
				t.Errorf("the English refusal carries the Chinese one: %q", en)
			}
		})

		t.Run("inspect", func(t *testing.T) {
			for _, on := range []string{"2025-03-31", "2025-04-01"} {
				res, err := w.svc.Create(ctx, w.officer, cases.NewCase{Common: cases.Common{On: "2025-03-28"}, Kind: cases.KindInspection, BodyID: w.body.ID,
					Title: "双随机检查", Party: organisation(), OfficerIDs: []string{w.o1.ID, w.o2.ID},
					Inspection: &cases.NewInspection{Basis: "random", Checklist: []string{"营业执照"}}})
				noErr(t, err)
				err = w.try(w.officer, res.Case.ID, cases.ActInspect, m{"on": on, "officer_ids": pair(w.expired), "record": "检查记录"})
				if on == "2025-03-31" {
					noErr(t, err)
				} else {
					wantOfficersRefused(t, err, "penalty.officers", "42", expiredZH, expiredEN)
				}
			}
		})

		t.Run("take and emergency take", func(t *testing.T) {
			coercionZH := []string{"执法人员5（执法证 闽A00000005 已于 2025-03-31 到期）", "《行政强制法》第18条"}
			coercionEN := []string{"expired on 2025-03-31", "行政强制法 Art. 18"}
			for _, on := range []string{"2025-03-31", "2025-04-01"} {
				id := w.measure(t, cases.MeasureSeize, "2025-03-28")
				w.act(t, w.head, id, cases.ActApprove, m{"on": "2025-03-28", "reason": "证据可能灭失"})
				err := w.try(w.officer, id, cases.ActTake, m{"on": on, "officer_ids": pair(w.expired), "record": "扣押现场笔录"})
				emergency := w.try(w.officer, w.measure(t, cases.MeasureSeize, "2025-03-28"), cases.ActEmergencyTake,
					m{"on": on, "officer_ids": pair(w.expired), "record": "当场扣押"})
				if on == "2025-03-31" {
					noErr(t, err)
					noErr(t, emergency)
					continue
				}
				wantOfficersRefused(t, err, "coercion.officers", "18", coercionZH, coercionEN)
				wantOfficersRefused(t, emergency, "coercion.officers", "18", coercionZH, coercionEN)
			}
		})

		t.Run("decide on the spot", func(t *testing.T) {
			for _, on := range []string{"2025-03-31", "2025-04-01"} {
				res, err := w.svc.Create(ctx, w.officer, cases.NewCase{Common: cases.Common{On: elementsDate(on)}, Kind: cases.KindSummary, BodyID: w.body.ID,
					MatterID: w.matter.ID, Title: "占道经营", Party: person(), OfficerIDs: []string{w.o1.ID, w.o2.ID}})
				noErr(t, err)
				err = w.try(w.officer, res.Case.ID, cases.ActDecideOnSite, m{"on": on, "number": "简罚001", "penalty": fine(50), "facts": "占道经营", "notice_given": true,
					"place": "尤溪县城关镇紫阳大道", "officer_ids": pair(w.expired)})
				if on == "2025-03-31" {
					noErr(t, err)
				} else {
					wantOfficersRefused(t, err, "penalty.officers", "42", expiredZH, expiredEN)
				}
			}
		})
	})
}
