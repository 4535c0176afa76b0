package mailer_test

import (
	"bytes"
	"encoding/base64"
	"io"
	"net/mail"
	"strings"
	"testing"
	"time"

	"zhifa/modules/kernel/mailer"
)

// TestTextOnlyMessage: a message without a PDF is one text/plain part in base64 (no multipart,
// no delivery header), whose text reads back as written; a header with a line break is refused.
func TestTextOnlyMessage(t *testing.T) {
	text := "王五，您好：\n请打开以下链接，输入验证码，设置您的密码。\n" + strings.Repeat("长行", 80)
	m := &mailer.Message{To: "wang.wu@example.gov.cn", Subject: "邀请 / Invitation", Text: text, MessageID: "<x.invite@zhifa.gov.cn>"}
	raw, err := m.Bytes("noreply@zhifa.gov.cn", time.Date(2026, 12, 8, 10, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if ct := msg.Header.Get("Content-Type"); ct != "text/plain; charset=UTF-8" || msg.Header.Get("Content-Transfer-Encoding") != "base64" ||
		msg.Header.Get("X-Zhifa-Delivery") != "" || msg.Header.Get("Message-Id") != "<x.invite@zhifa.gov.cn>" {
		t.Errorf("header: %v", msg.Header)
	}
	body, _ := io.ReadAll(msg.Body)
	for _, line := range strings.Split(strings.TrimSpace(string(body)), "\r\n") {
		if len(line) > 76 {
			t.Errorf("a base64 line of %d characters", len(line))
		}
	}
	got, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(string(body), "\r\n", ""))
	if err != nil || string(got) != text {
		t.Errorf("the text reads back as %q (%v)", got, err)
	}
	m.To = "a@b.cn\r\nBcc: c@d.cn"
	if _, err := m.Bytes("noreply@zhifa.gov.cn", time.Now()); err == nil {
		t.Errorf("a header with a line break was written")
	}
	if d := mailer.Domain("noreply@zhifa.gov.cn"); d != "zhifa.gov.cn" || mailer.Domain("nobody") != "localhost" {
		t.Errorf("Domain: %q", d)
	}
}
