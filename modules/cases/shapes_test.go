package cases_test

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"zhifa/modules/cases"
)

// The engine's records are stored as JSON in case facts (Facts.Plan, "plan") and in the content of
// events (an arrival, a payment, a receipt, a refund as "record"; a party's entry as "entry").
// They were declared by the consuming modules before the engine owned them: each must still write
// the bytes those declarations wrote, and read them back unchanged, so that old cases still read.
func TestStoredShapes(t *testing.T) {
	at := time.Date(2025, 10, 9, 2, 3, 4, 0, time.UTC)
	for _, c := range []struct {
		name string
		v    any
		want string // as written before the engine owned the type
	}{
		{"arrival (delivery.DeliveryRecord)", &cases.Arrival{DeliveryID: "d1", RouteID: "r1", DocumentID: "doc1", DocumentKind: "penalty_decision",
			Channel: "email", Method: "m", Address: "a@b.cn", At: at, ServedOn: "2025-10-09", Reply: "250 ok", MessageID: "mid", ReceiptSHA256: "ab",
			Deemed: true, Due: "2025-10-16", Late: true, Serves: true},
			`{"delivery_id":"d1","route_id":"r1","document_id":"doc1","document_kind":"penalty_decision","channel":"email","method":"m","address":"a@b.cn","at":"2025-10-09T02:03:04Z","served_on":"2025-10-09","reply":"250 ok","message_id":"mid","receipt_sha256":"ab","deemed":true,"due":"2025-10-16","late":true,"serves":true}`},
		{"arrival, empty fields", &cases.Arrival{RouteID: "r1", At: at},
			`{"delivery_id":"","route_id":"r1","document_id":"","document_kind":"","channel":"","at":"2025-10-09T02:03:04Z","served_on":"","due":"","serves":false}`},
		{"party entry (portal.PartyEntry)", &cases.PartyEntry{Kind: cases.EntryEvaluated, Ref: "e1", On: "2025-10-10", At: at, Data: map[string]any{"rating": float64(4)}},
			`{"kind":"evaluated","ref":"e1","on":"2025-10-10","at":"2025-10-09T02:03:04Z","data":{"rating":4}}`},
		{"party entry, empty fields", &cases.PartyEntry{Kind: cases.EntryConsentSigned, Ref: "c1"},
			`{"kind":"consent_signed","ref":"c1","on":"","at":"0001-01-01T00:00:00Z"}`},
		{"plan (payments.Plan)", &cases.Plan{Kind: cases.PlanInstalments, ApprovedOn: "2025-10-20", Reason: "困难",
			Instalments: []cases.Instalment{{Seq: 1, DueOn: "2025-11-01", AmountFen: 100, PaidOn: "2025-10-30"}, {Seq: 2, DueOn: "2025-12-01", AmountFen: 200}}},
			`{"kind":"instalments","approved_on":"2025-10-20","reason":"困难","instalments":[{"seq":1,"due_on":"2025-11-01","amount_fen":100,"paid_on":"2025-10-30"},{"seq":2,"due_on":"2025-12-01","amount_fen":200}]}`},
		{"payment (payments.PaymentRecord)", &cases.PaymentRecord{PaymentID: "p1", Provider: "stripe", Simulated: true, Reference: "pi_1", PaidAt: at,
			PrincipalFen: 500000, SurchargeFen: 10, Instalment: 2},
			`{"payment_id":"p1","provider":"stripe","simulated":true,"reference":"pi_1","paid_at":"2025-10-09T02:03:04Z","principal_fen":500000,"surcharge_fen":10,"instalment":2}`},
		{"payment, empty fields", &cases.PaymentRecord{PaymentID: "p1", Provider: "stripe", Reference: "pi_1", PaidAt: at, PrincipalFen: 500000},
			`{"payment_id":"p1","provider":"stripe","reference":"pi_1","paid_at":"2025-10-09T02:03:04Z","principal_fen":500000,"surcharge_fen":0}`},
		{"receipt (payments.ReceiptRecord)", &cases.ReceiptRecord{PaymentID: "p1", DocumentID: "doc2", Number: "闽财票(2025)000123"},
			`{"payment_id":"p1","document_id":"doc2","number":"闽财票(2025)000123"}`},
		{"refund (payments.RefundRecord)", &cases.RefundRecord{PaymentID: "p1", RefundID: "re1", AmountFen: 200000, Reason: "reduced", Reference: "re_1", At: at},
			`{"payment_id":"p1","refund_id":"re1","amount_fen":200000,"reason":"reduced","reference":"re_1","at":"2025-10-09T02:03:04Z"}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := json.Marshal(c.v)
			noErr(t, err)
			if string(got) != c.want {
				t.Fatalf("written as\n%s\nwant\n%s", got, c.want)
			}
			back := reflect.New(reflect.TypeOf(c.v).Elem()).Interface()
			noErr(t, json.Unmarshal([]byte(c.want), back))
			if !reflect.DeepEqual(back, c.v) {
				t.Fatalf("read back as %+v, want %+v", back, c.v)
			}
		})
	}
}
