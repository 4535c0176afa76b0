package testenv

import (
	"bytes"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// SMTPServer is an in-process SMTP server (github.com/emersion/go-smtp) on 127.0.0.1 for tests of
// code that sends mail. It accepts every message and keeps it, until a test makes it refuse
// recipients (RefuseAll, RefuseRecipient) or read a message and never answer (HangUpAfterData),
// as a real server may. It stops at the test's cleanup. Its methods are safe for concurrent use.
type SMTPServer struct {
	// Addr is "127.0.0.1:PORT".
	Addr string
	// Host is the address the server listens on, "127.0.0.1".
	Host string
	// Port is the server's TCP port.
	Port int

	opts SMTPOptions

	mu         sync.Mutex
	refuseAll  *SMTPReply
	refused    map[string]SMTPReply // by recipient address
	hangUp     bool
	wait       time.Duration
	discard    bool
	count      int
	accepted   []SMTPMessage
	unanswered []SMTPMessage
}

// SMTPOptions are the choices NewSMTPServer takes; the zero value is a plain server without TLS
// or authentication.
type SMTPOptions struct {
	// TLS, when set, is the server's certificate: offered with STARTTLS, or used from the first
	// byte with ImplicitTLS.
	TLS *tls.Config
	// ImplicitTLS listens with TLS from the start (SMTPS) instead of offering STARTTLS.
	ImplicitTLS bool
	// Username and Password, when Username is set, make the server offer AUTH PLAIN (over TLS
	// only, when TLS is set) and refuse MAIL FROM before a login with exactly these credentials;
	// a wrong one is answered 535.
	Username, Password string
}

// SMTPMessage is a message as the server read it.
type SMTPMessage struct {
	// From is the MAIL FROM address.
	From string
	// To is the accepted RCPT TO addresses, in order.
	To []string
	// Data is the message as the client sent it after DATA: its header and body.
	Data []byte
	// TLS tells whether the message came over TLS (STARTTLS or implicit).
	TLS bool
	// User is the name the client logged in with, "" without AUTH.
	User string
}

// SMTPReply is an answer the server gives instead of accepting: a code (4xx temporary, 5xx
// permanent), its enhanced status code and a text, as in "550 5.1.1 mailbox unavailable".
type SMTPReply struct {
	Code     int
	Enhanced [3]int
	Text     string
}

// The replies tests usually want.
var (
	// SMTPNoSuchUser refuses a recipient for good: "550 5.1.1 mailbox unavailable: no such user".
	SMTPNoSuchUser = SMTPReply{Code: 550, Enhanced: [3]int{5, 1, 1}, Text: "mailbox unavailable: no such user"}
	// SMTPTryLater refuses a recipient for now: "451 4.3.0 try again later".
	SMTPTryLater = SMTPReply{Code: 451, Enhanced: [3]int{4, 3, 0}, Text: "try again later"}
)

// SMTPSink starts a plain SMTPServer (no TLS, no AUTH) that accepts every message.
func SMTPSink(t testing.TB) *SMTPServer {
	t.Helper()
	return NewSMTPServer(t, SMTPOptions{})
}

// NewSMTPServer starts an SMTPServer with opts on a free loopback port and stops it at the test's
// cleanup. It fails the test if it cannot listen.
func NewSMTPServer(t testing.TB, opts SMTPOptions) *SMTPServer {
	t.Helper()
	s := &SMTPServer{opts: opts, refused: map[string]SMTPReply{}}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &smtpSession{s: s, conn: c}, nil }))
	srv.Domain = "sink.test"
	srv.TLSConfig = opts.TLS
	srv.AllowInsecureAuth = opts.TLS == nil
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	var l net.Listener
	var err error
	if opts.ImplicitTLS {
		if opts.TLS == nil {
			t.Fatal("testenv: an SMTP server with ImplicitTLS needs TLS")
		}
		l, err = tls.Listen("tcp", "127.0.0.1:0", opts.TLS)
	} else {
		l, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		t.Fatalf("testenv: smtp: %v", err)
	}
	s.Addr, s.Host, s.Port = l.Addr().String(), "127.0.0.1", l.Addr().(*net.TCPAddr).Port
	go srv.Serve(l) //nolint:errcheck // ends with Close
	t.Cleanup(func() { srv.Close() })
	return s
}

// Messages returns the messages accepted so far, in order (none after DiscardMessages).
func (s *SMTPServer) Messages() []SMTPMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]SMTPMessage(nil), s.accepted...)
}

// Unanswered returns the messages read in full but never answered (HangUpAfterData), in order:
// the client cannot know whether they arrived.
func (s *SMTPServer) Unanswered() []SMTPMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]SMTPMessage(nil), s.unanswered...)
}

// Count returns how many messages the server has accepted, kept or not.
func (s *SMTPServer) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count
}

// DiscardMessages makes the server count the messages it accepts from now on without keeping
// them, for benchmarks.
func (s *SMTPServer) DiscardMessages() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.discard = true
}

// Accept makes the server accept every message again, as it does when started; the recipients
// refused with RefuseRecipient stay refused.
func (s *SMTPServer) Accept() { s.set(nil, false, 0) }

// RefuseAll makes the server answer every RCPT TO with r until Accept.
func (s *SMTPServer) RefuseAll(r SMTPReply) { s.set(&r, false, 0) }

// HangUpAfterData makes the server, until Accept, read each whole message, keep it as
// unanswered, wait for wait (0: not at all) and close the connection without a reply: a server
// that dropped the connection, or one slower than the client's time-out.
func (s *SMTPServer) HangUpAfterData(wait time.Duration) { s.set(nil, true, wait) }

// RefuseRecipient makes the server answer RCPT TO addr with r, whatever else it is told.
func (s *SMTPServer) RefuseRecipient(addr string, r SMTPReply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refused[addr] = r
}

func (s *SMTPServer) set(refuse *SMTPReply, hangUp bool, wait time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuseAll, s.hangUp, s.wait = refuse, hangUp, wait
}

func (r SMTPReply) err() error {
	return &smtp.SMTPError{Code: r.Code, EnhancedCode: smtp.EnhancedCode(r.Enhanced), Message: r.Text}
}

// smtpSession is one client connection of an SMTPServer.
type smtpSession struct {
	s    *SMTPServer
	conn *smtp.Conn
	user string
	from string
	to   []string
}

func (x *smtpSession) AuthMechanisms() []string {
	if x.s.opts.Username == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (x *smtpSession) Auth(mech string) (sasl.Server, error) {
	if x.s.opts.Username == "" || mech != sasl.Plain {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != x.s.opts.Username || pass != x.s.opts.Password {
			return smtp.ErrAuthFailed
		}
		x.user = user
		return nil
	}), nil
}

func (x *smtpSession) Reset()        { x.from, x.to = "", nil }
func (x *smtpSession) Logout() error { return nil }

func (x *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	if x.s.opts.Username != "" && x.user == "" {
		return smtp.ErrAuthRequired
	}
	x.from = from
	return nil
}

func (x *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.s.mu.Lock()
	r, refused := x.s.refused[to]
	all := x.s.refuseAll
	x.s.mu.Unlock()
	switch {
	case refused:
		return r.err()
	case all != nil:
		return all.err()
	}
	x.to = append(x.to, to)
	return nil
}

func (x *smtpSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, isTLS := x.conn.TLSConnectionState()
	msg := SMTPMessage{From: x.from, To: x.to, Data: data, TLS: isTLS, User: x.user}
	x.s.mu.Lock()
	if x.s.hangUp {
		x.s.unanswered = append(x.s.unanswered, msg)
		wait := x.s.wait
		x.s.mu.Unlock()
		time.Sleep(wait)
		x.conn.Conn().Close()
		return errors.New("testenv: hung up without a reply")
	}
	x.s.count++
	if !x.s.discard {
		x.s.accepted = append(x.s.accepted, msg)
	}
	x.s.mu.Unlock()
	return nil
}

// ParsedMail is a message as the platform's mailer writes it, taken apart: MIME multipart/mixed
// with a text part and a PDF attachment, each in base64.
type ParsedMail struct {
	// Header is the message's header.
	Header mail.Header
	// Subject is the Subject header, decoded from its RFC 2047 encoding.
	Subject string
	// Text is the text part.
	Text string
	// PDF is the application/pdf part, nil without one.
	PDF []byte
	// FileName is the PDF part's file name.
	FileName string
}

// Parse takes m's data apart. It fails the test unless the data is a multipart/mixed message whose
// parts are in base64.
func (m SMTPMessage) Parse(t testing.TB) ParsedMail {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		t.Fatalf("testenv: parse the e-mail: %v", err)
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/mixed" {
		t.Fatalf("testenv: the e-mail's content type is %q (%v), want multipart/mixed", mt, err)
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	out := ParsedMail{Header: msg.Header, Subject: subject}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("testenv: the e-mail's parts: %v", err)
		}
		body, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, part))
		if err != nil {
			t.Fatalf("testenv: the e-mail's part %q: %v", part.Header.Get("Content-Type"), err)
		}
		if ct, _, _ := mime.ParseMediaType(part.Header.Get("Content-Type")); ct == "application/pdf" {
			out.PDF, out.FileName = body, part.FileName()
		} else {
			out.Text = string(body)
		}
	}
}

// PlainText returns the subject and the text/plain content of any message (single part or
// multipart, in any transfer encoding): for e-mails the platform did not write, such as Kratos'.
func (m SMTPMessage) PlainText(t testing.TB) (subject, text string) {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		t.Fatalf("testenv: parse the e-mail: %v", err)
	}
	subject, _ = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	return subject, plainPart(t, textproto.MIMEHeader(msg.Header), msg.Body)
}

// plainPart is the text/plain content of a MIME entity ("" without one).
func plainPart(t testing.TB, h textproto.MIMEHeader, body io.Reader) string {
	mt, params, _ := mime.ParseMediaType(h.Get("Content-Type"))
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			part, err := mr.NextPart() // quoted-printable parts come decoded
			if err != nil {
				return ""
			}
			if s := plainPart(t, part.Header, part); s != "" {
				return s
			}
		}
	}
	if mt != "" && mt != "text/plain" {
		return ""
	}
	if strings.EqualFold(h.Get("Content-Transfer-Encoding"), "base64") {
		body = base64.NewDecoder(base64.StdEncoding, body)
	} else if strings.EqualFold(h.Get("Content-Transfer-Encoding"), "quoted-printable") {
		body = quotedprintable.NewReader(body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		t.Fatalf("testenv: the e-mail's text: %v", err)
	}
	return string(b)
}

// Await waits up to within for the first accepted message that match accepts and returns it. On
// a time-out it fails the test, naming what was awaited and each message that did arrive (its
// recipients and subject).
func (s *SMTPServer) Await(t testing.TB, what string, within time.Duration, match func(SMTPMessage) bool) SMTPMessage {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		msgs := s.Messages()
		for _, m := range msgs {
			if match(m) {
				return m
			}
		}
		if time.Now().After(deadline) {
			seen := make([]string, len(msgs))
			for i, m := range msgs {
				subject, _ := m.PlainText(t)
				seen[i] = fmt.Sprintf("%v %q", m.To, subject)
			}
			t.Fatalf("no %s; the mail server received:\n  %s", what, strings.Join(seen, "\n  "))
		}
		time.Sleep(100 * time.Millisecond)
	}
}
