// Package mailer submits e-mail: one SMTP client (TLS as configured, AUTH PLAIN, the server's
// reply taken as the receipt, failures classified as permanent, temporary or uncertain) and the
// development stand-in that only logs. Delivery serves documents with it, the portal sends
// reconsideration applications, identity sends invitations; none writes SMTP submission again.
package mailer

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net"
	"net/textproto"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Mailer submits a message to a mail server.
type Mailer interface {
	// Send submits m and returns the server's acceptance: delivery by e-mail is complete when the
	// receiving mail server accepts the message. A failure is a *SendError saying whether
	// retrying may help and whether the server may have accepted the message anyway.
	Send(ctx context.Context, m *Message) (*Receipt, error)
}

// Message is an e-mail: a text, and at most one PDF document attached.
type Message struct {
	To        string
	Subject   string
	Text      string
	MessageID string // "<id@domain>": derived from what is sent, so a resent copy has the same one
	RouteID   string // a delivery route, sent as X-Zhifa-Delivery ("": none)
	FileName  string // the attachment's name (default document.pdf)
	PDF       []byte // the attachment; nil: a text-only message
}

// Receipt is a receiving system's acceptance; the service timestamps it when Send returns.
type Receipt struct {
	Reply string // e.g. "250 2.0.0 OK: queued as 4XkYb"
}

// SendError is a failed submission.
type SendError struct {
	Code      int    // the SMTP reply code, 0 when the server did not answer
	Reply     string // the server's reply text
	Permanent bool   // 5xx, or an address the server cannot take: retrying will not help
	// Uncertain: the message was written in full but no reply came (the connection dropped or
	// timed out), so the server may have accepted it.
	Uncertain bool
	Err       error
}

// Error describes the failure with the server's reply.
func (e *SendError) Error() string {
	s := "smtp"
	if e.Code != 0 {
		s += fmt.Sprintf(" %d %s", e.Code, e.Reply)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	if e.Uncertain {
		s += " (the message was sent but no reply came)"
	}
	return s
}

// Unwrap returns the cause.
func (e *SendError) Unwrap() error { return e.Err }

// SMTPConfig configures an SMTPMailer.
type SMTPConfig struct {
	Host     string
	Port     int
	Username string // with Password: AUTH PLAIN, only over TLS unless the host is loopback
	Password string
	From     string
	TLSMode  string        // "starttls" (the server must offer it), "tls" (implicit) or "none"
	Timeout  time.Duration // per command, and for the reply to the message (default 30 s)
	// TLS overrides the TLS client configuration (e.g. a private CA); nil: the system roots.
	TLS *tls.Config
}

// SMTPMailer submits messages to one SMTP server, one connection per message.
type SMTPMailer struct {
	cfg SMTPConfig
}

// NewSMTPMailer returns a mailer for cfg.
func NewSMTPMailer(cfg SMTPConfig) *SMTPMailer {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.TLSMode == "" {
		cfg.TLSMode = "starttls"
	}
	return &SMTPMailer{cfg: cfg}
}

// From returns the sender address.
func (m *SMTPMailer) From() string { return m.cfg.From }

// phase is how far a submission got, to tell a refused message from one whose fate is unknown.
type phase int

const (
	phaseConnect phase = iota
	phaseEnvelope
	phaseWritten // the whole message was written; only the reply is missing
)

// Send submits msg: connect (TLS as configured), EHLO, AUTH, MAIL, RCPT, DATA. The receipt is the
// server's reply to the message, taken before QUIT so that a failing QUIT cannot lose it.
func (m *SMTPMailer) Send(ctx context.Context, msg *Message) (*Receipt, error) {
	raw, err := msg.Bytes(m.cfg.From, time.Now())
	if err != nil {
		return nil, &SendError{Permanent: true, Err: err}
	}
	addr := net.JoinHostPort(m.cfg.Host, strconv.Itoa(m.cfg.Port))
	d := net.Dialer{Timeout: m.cfg.Timeout}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, classify(err, phaseConnect)
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	tlsCfg := m.tlsConfig()
	var c *smtp.Client
	switch m.cfg.TLSMode {
	case "tls":
		tc := tls.Client(conn, tlsCfg)
		_ = tc.SetDeadline(time.Now().Add(m.cfg.Timeout))
		if err := tc.HandshakeContext(ctx); err != nil {
			return nil, classify(err, phaseConnect)
		}
		c = smtp.NewClient(tc)
	case "starttls":
		_ = conn.SetDeadline(time.Now().Add(m.cfg.Timeout))
		c, err = smtp.NewClientStartTLS(conn, tlsCfg)
		if err != nil {
			return nil, classify(err, phaseConnect)
		}
	default:
		c = smtp.NewClient(conn)
	}
	defer c.Close()
	c.CommandTimeout, c.SubmissionTimeout = m.cfg.Timeout, m.cfg.Timeout
	if err := c.Hello(Domain(m.cfg.From)); err != nil {
		return nil, classify(err, phaseConnect)
	}
	if m.cfg.Username != "" {
		if err := c.Auth(sasl.NewPlainClient("", m.cfg.Username, m.cfg.Password)); err != nil {
			return nil, classify(err, phaseConnect)
		}
	}
	if err := c.Mail(m.cfg.From, nil); err != nil {
		return nil, classify(err, phaseEnvelope)
	}
	if err := c.Rcpt(msg.To, nil); err != nil {
		return nil, classify(err, phaseEnvelope)
	}
	w, err := c.Data()
	if err != nil {
		return nil, classify(err, phaseEnvelope)
	}
	_ = conn.SetDeadline(time.Now().Add(m.cfg.Timeout))
	if _, err := w.Write(raw); err != nil {
		return nil, classify(err, phaseEnvelope)
	}
	resp, err := w.CloseWithResponse()
	if err != nil {
		return nil, classify(err, phaseWritten)
	}
	rc := &Receipt{Reply: "250 " + resp.StatusText}
	_ = c.Quit()
	return rc, nil
}

func (m *SMTPMailer) tlsConfig() *tls.Config {
	if m.cfg.TLS != nil {
		c := m.cfg.TLS.Clone()
		if c.ServerName == "" {
			c.ServerName = m.cfg.Host
		}
		return c
	}
	return &tls.Config{ServerName: m.cfg.Host, MinVersion: tls.VersionTLS12}
}

// classify turns a client error into a SendError: 5xx replies are permanent, 4xx replies and
// network failures temporary; a network failure after the message was written is uncertain.
func classify(err error, p phase) *SendError {
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		reply := se.Message
		if se.EnhancedCode != (smtp.EnhancedCode{}) && se.EnhancedCode != smtp.NoEnhancedCode {
			reply = fmt.Sprintf("%d.%d.%d %s", se.EnhancedCode[0], se.EnhancedCode[1], se.EnhancedCode[2], se.Message)
		}
		return &SendError{Code: se.Code, Reply: reply, Permanent: se.Code >= 500, Err: err}
	}
	return &SendError{Uncertain: p == phaseWritten, Err: err}
}

// Domain is the domain of a sender address (the name the client greets with, the right side of
// Message-IDs); "localhost" when it has none.
func Domain(from string) string {
	if i := strings.LastIndexByte(from, '@'); i >= 0 && i < len(from)-1 {
		return from[i+1:]
	}
	return "localhost"
}

// Bytes renders the message (RFC 5322; with a PDF, MIME multipart/mixed: the text, then the PDF in
// base64; without one, the text alone in base64).
// The same message renders the same bytes except for the Date header, so a resent copy is
// recognisable by its Message-ID and identical body.
func (m *Message) Bytes(from string, date time.Time) ([]byte, error) {
	for _, h := range []string{from, m.To, m.MessageID, m.RouteID} {
		if strings.ContainsAny(h, "\r\n") {
			return nil, errors.New("mailer: a header value contains a line break")
		}
	}
	var b bytes.Buffer
	sum := sha256.Sum256([]byte(m.MessageID))
	boundary := "zhifa-" + hex.EncodeToString(sum[:12])
	hdr := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	hdr("From", from)
	hdr("To", m.To)
	hdr("Subject", mime.BEncoding.Encode("UTF-8", m.Subject))
	hdr("Date", date.Format(time.RFC1123Z))
	hdr("Message-ID", m.MessageID)
	hdr("MIME-Version", "1.0")
	if m.RouteID != "" {
		hdr("X-Zhifa-Delivery", m.RouteID)
	}
	if m.PDF == nil {
		hdr("Content-Type", "text/plain; charset=UTF-8")
		hdr("Content-Transfer-Encoding", "base64")
		b.WriteString("\r\n")
		if err := writeBase64(&b, []byte(m.Text)); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	}
	hdr("Content-Type", mime.FormatMediaType("multipart/mixed", map[string]string{"boundary": boundary}))
	b.WriteString("\r\n")
	mw := multipart.NewWriter(&b)
	if err := mw.SetBoundary(boundary); err != nil {
		return nil, err
	}
	part := func(h textproto.MIMEHeader, body []byte) error {
		h.Set("Content-Transfer-Encoding", "base64")
		w, err := mw.CreatePart(h)
		if err != nil {
			return err
		}
		return writeBase64(w, body)
	}
	if err := part(textproto.MIMEHeader{"Content-Type": {"text/plain; charset=UTF-8"}}, []byte(m.Text)); err != nil {
		return nil, err
	}
	name := m.FileName
	if name == "" {
		name = "document.pdf"
	}
	if err := part(textproto.MIMEHeader{
		"Content-Type":        {mime.FormatMediaType("application/pdf", map[string]string{"name": name})},
		"Content-Disposition": {mime.FormatMediaType("attachment", map[string]string{"filename": name})},
	}, m.PDF); err != nil {
		return nil, err
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// writeBase64 writes data in base64 lines of 76 characters.
func writeBase64(w io.Writer, data []byte) error {
	enc := base64.StdEncoding.EncodeToString(data)
	for len(enc) > 76 {
		if _, err := io.WriteString(w, enc[:76]+"\r\n"); err != nil {
			return err
		}
		enc = enc[76:]
	}
	_, err := io.WriteString(w, enc+"\r\n")
	return err
}

// LogMailer is the embedded default's stand-in for a mail server (development only): it writes
// the message's envelope to the log and accepts it, so the demo can run with nothing installed.
// Its receipts say that nothing was sent. Never use it in production: it would record documents
// as delivered that no mail server accepted.
type LogMailer struct {
	Log *slog.Logger
}

// Send logs m and returns a receipt that says it was only logged.
func (l LogMailer) Send(ctx context.Context, m *Message) (*Receipt, error) {
	l.Log.InfoContext(ctx, "e-mail delivery (development: logged, not sent)", "to", m.To, "subject", m.Subject,
		"message_id", m.MessageID, "attachment", m.FileName, "bytes", len(m.PDF))
	return &Receipt{Reply: "development: logged to the console, not sent (no SMTP server configured)"}, nil
}
