package delivery_test

import (
	"strings"
	"testing"
	"time"

	"zhifa/config"
)

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
