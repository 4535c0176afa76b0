package testenv_test

import (
	"errors"
	"net/smtp"
	"net/textproto"
	"strings"
	"testing"

	"zhifa/app/testenv"
)

// mimeMail is a multipart/mixed message with a text part and a PDF, each in base64, as the
// platform's mailer writes them.
const mimeMail = "From: a@sink.test\r\nTo: b@sink.test\r\nSubject: =?UTF-8?b?6YCB6L6+?=\r\n" +
	"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"B\"\r\n\r\n" +
	"--B\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n5q2j5paH\r\n" +
	"--B\r\nContent-Type: application/pdf; name=\"d.pdf\"\r\nContent-Disposition: attachment; filename=\"d.pdf\"\r\n" +
	"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjc=\r\n--B--\r\n"

// TestSMTPSink sends through a real SMTP exchange: the sink keeps what it accepts and takes it
// apart; a refused recipient and a refusal of all recipients answer with their codes; Accept
// restores accepting but keeps the refused recipient.
func TestSMTPSink(t *testing.T) {
	t.Parallel()
	s := testenv.SMTPSink(t)
	send := func(to string) error {
		return smtp.SendMail(s.Addr, nil, "a@sink.test", []string{to}, []byte(mimeMail))
	}
	code := func(err error) int {
		var te *textproto.Error
		if !errors.As(err, &te) {
			t.Fatalf("%v is not an SMTP reply", err)
		}
		return te.Code
	}

	if err := send("b@sink.test"); err != nil {
		t.Fatal(err)
	}
	msgs := s.Messages()
	if len(msgs) != 1 || s.Count() != 1 || msgs[0].From != "a@sink.test" || len(msgs[0].To) != 1 || msgs[0].To[0] != "b@sink.test" || msgs[0].TLS {
		t.Fatalf("messages %+v", msgs)
	}
	p := msgs[0].Parse(t)
	if p.Subject != "送达" || p.Text != "正文" || string(p.PDF) != "%PDF-1.7" || p.FileName != "d.pdf" || p.Header.Get("To") != "b@sink.test" {
		t.Fatalf("parsed %+v", p)
	}

	s.RefuseRecipient("nobody@sink.test", testenv.SMTPNoSuchUser)
	if err := send("nobody@sink.test"); code(err) != 550 || !strings.Contains(err.Error(), "5.1.1") {
		t.Fatalf("a refused recipient: %v", err)
	}
	s.RefuseAll(testenv.SMTPTryLater)
	if err := send("b@sink.test"); code(err) != 451 {
		t.Fatalf("refusing all: %v", err)
	}
	s.Accept()
	if err := send("nobody@sink.test"); code(err) != 550 {
		t.Fatalf("after Accept, the refused recipient: %v", err)
	}
	if err := send("b@sink.test"); err != nil || len(s.Messages()) != 2 || len(s.Unanswered()) != 0 {
		t.Fatalf("after Accept: %v, %d messages", err, len(s.Messages()))
	}
}

// TestSMTPSinkHangUp: a server that hangs up after the message keeps it as unanswered and the
// client gets no reply.
func TestSMTPSinkHangUp(t *testing.T) {
	t.Parallel()
	s := testenv.SMTPSink(t)
	s.HangUpAfterData(0)
	if err := smtp.SendMail(s.Addr, nil, "a@sink.test", []string{"b@sink.test"}, []byte(mimeMail)); err == nil {
		t.Fatal("the client got a reply")
	}
	if u := s.Unanswered(); len(u) != 1 || len(s.Messages()) != 0 || s.Count() != 0 || !strings.Contains(string(u[0].Data), "Subject:") {
		t.Fatalf("unanswered %d, accepted %d", len(u), len(s.Messages()))
	}
}
