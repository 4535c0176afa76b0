package delivery_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"zhifa/config"
	"zhifa/modules/cases"
	"zhifa/modules/delivery"
	"zhifa/modules/kernel/errs"
)

// TestCaseEnginePayloads: the case engine's delivery:deliver_document payload decodes into
// delivery's, field for field, and delivery's supervision:warn decodes into the case engine's
// warning, so that one supervision handler reads both.
func TestCaseEnginePayloads(t *testing.T) {
	t.Parallel()
	if cases.TypeDeliverDocument != delivery.TypeDeliverDocument || cases.TypeSupervisionWarn != delivery.TypeSupervisionWarn {
		t.Fatal("task types differ")
	}
	in := cases.DeliverDocument{CaseID: "c", CaseCode: "ZF", BodyID: "b", Document: "penalty_decision", DocumentID: "d", Method: "electronic", EDeliveryConsent: true,
		Due: "2025-10-15", Party: cases.Party{Kind: cases.PartyPerson, Name: "张三", IDNumber: "350426198503150011", USCC: "u", Phone: "1", Address: "a", EDeliveryConsent: true}}
	raw, err := json.Marshal(in)
	noErr(t, err)
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var out delivery.DeliverDocument
	noErr(t, dec.Decode(&out))
	back, _ := json.Marshal(out)
	if !bytes.Equal(raw, back) {
		t.Errorf("round trip differs:\n%s\n%s", raw, back)
	}

	wn := delivery.Warning{CaseID: "c", CaseCode: "ZF", BodyID: "b", Point: "delivery_late", Rule: delivery.RuleDelivery,
		Message: errs.Msg{ZH: "z", EN: "e"}, On: "2025-10-14", Due: "2025-10-11", DeliveryID: "d"}
	raw, err = json.Marshal(wn)
	noErr(t, err)
	var cw cases.Warning
	noErr(t, json.Unmarshal(raw, &cw))
	if cw.CaseID != "c" || cw.Point != "delivery_late" || cw.Rule.Article != "61" || cw.Due != "2025-10-11" || cw.Message.EN != "e" {
		t.Errorf("as the case engine reads it: %+v", cw)
	}
	// Every field of the case engine's warning is in delivery's.
	ct, dt := reflect.TypeOf(cases.Warning{}), reflect.TypeOf(delivery.Warning{})
	for i := range ct.NumField() {
		if f, ok := dt.FieldByName(ct.Field(i).Name); !ok || f.Tag.Get("json") != ct.Field(i).Tag.Get("json") {
			t.Errorf("warning field %s differs", ct.Field(i).Name)
		}
	}
}

// TestConfig: the delivery section has defaults, takes ZHIFA_DELIVERY_* overrides, and names each
// bad key.
func TestConfig(t *testing.T) {
	t.Parallel()
	env := func(m map[string]string) func(string) (string, bool) {
		return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
	}
	cfg, err := config.Load("", env(nil))
	noErr(t, err)
	if d := cfg.Delivery; d.SMTP.Host != "" || d.SMTP.Port != 587 || d.SMTP.TLSMode != "starttls" || d.SMTP.Timeout != 30*time.Second || d.SMS.Timeout != 10*time.Second {
		t.Errorf("defaults %+v", d)
	}
	cfg, err = config.Load("", env(map[string]string{"ZHIFA_DELIVERY_SMTP_HOST": "smtp.fj.gov.cn", "ZHIFA_DELIVERY_SMTP_PORT": "465",
		"ZHIFA_DELIVERY_SMTP_TLS_MODE": "tls", "ZHIFA_DELIVERY_SMTP_FROM": "songda@fj.gov.cn", "ZHIFA_DELIVERY_SMTP_USERNAME": "u",
		"ZHIFA_DELIVERY_SMTP_PASSWORD": "p", "ZHIFA_DELIVERY_SMTP_TIMEOUT": "10s",
		"ZHIFA_DELIVERY_SMS_URL": "https://sms.fj.gov.cn/send", "ZHIFA_DELIVERY_SMS_TOKEN": "t", "ZHIFA_DELIVERY_SMS_TIMEOUT": "3s"}))
	noErr(t, err)
	if s := cfg.Delivery.SMTP; s.Host != "smtp.fj.gov.cn" || s.Port != 465 || s.TLSMode != "tls" || s.Password != "p" || s.Timeout != 10*time.Second ||
		cfg.Delivery.SMS.URL != "https://sms.fj.gov.cn/send" || cfg.Delivery.SMS.Timeout != 3*time.Second {
		t.Errorf("overrides %+v", cfg.Delivery)
	}
	_, err = config.Load("", env(map[string]string{"ZHIFA_DELIVERY_SMTP_HOST": "smtp.fj.gov.cn:25", "ZHIFA_DELIVERY_SMTP_PORT": "0",
		"ZHIFA_DELIVERY_SMTP_TLS_MODE": "ssl", "ZHIFA_DELIVERY_SMTP_FROM": "送达 <x@y.cn>", "ZHIFA_DELIVERY_SMTP_USERNAME": "u",
		"ZHIFA_DELIVERY_SMTP_TIMEOUT": "0s", "ZHIFA_DELIVERY_SMS_URL": "ftp://x", "ZHIFA_DELIVERY_SMS_TIMEOUT": "-1s"}))
	if err == nil {
		t.Fatal("a bad delivery section loaded")
	}
	for _, key := range []string{"delivery.smtp.host", "delivery.smtp.port", "delivery.smtp.tls_mode", "delivery.smtp.from", "delivery.smtp.password",
		"delivery.smtp.timeout", "delivery.sms.url", "delivery.sms.token", "delivery.sms.timeout"} {
		if !strings.Contains(err.Error(), key+":") {
			t.Errorf("the error does not name %s:\n%v", key, err)
		}
	}
	_, err = config.Load("", env(map[string]string{"ZHIFA_DELIVERY_SMTP_HOST": "smtp.fj.gov.cn", "ZHIFA_DELIVERY_SMTP_FROM": "a@b.cn",
		"ZHIFA_DELIVERY_SMTP_TLS_MODE": "none", "ZHIFA_DELIVERY_SMTP_USERNAME": "u", "ZHIFA_DELIVERY_SMTP_PASSWORD": "p"}))
	if err == nil || !strings.Contains(err.Error(), "delivery.smtp.tls_mode: is none") {
		t.Errorf("credentials in clear to a remote server: %v", err)
	}
}
