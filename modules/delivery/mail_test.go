package delivery_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"zhifa/modules/delivery"
)

// tlsPair returns a server certificate for 127.0.0.1 and a client configuration that trusts it.
func tlsPair(t *testing.T) (*tls.Config, *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	noErr(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "sink.test"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	noErr(t, err)
	cert, err := x509.ParseCertificate(der)
	noErr(t, err)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}},
		&tls.Config{RootCAs: pool}
}

// authSink accepts messages from the user "songda" with the password "secret" only.
type authSink struct {
	mu   sync.Mutex
	got  [][]byte
	tls  []bool
	user string
}

type authSession struct {
	s    *authSink
	conn *smtp.Conn
	user string
}

func (a *authSession) AuthMechanisms() []string { return []string{sasl.Plain} }
func (a *authSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != "songda" || pass != "secret" {
			return smtp.ErrAuthFailed
		}
		a.user = user
		return nil
	}), nil
}
func (a *authSession) Reset()        {}
func (a *authSession) Logout() error { return nil }
func (a *authSession) Mail(string, *smtp.MailOptions) error {
	if a.user == "" {
		return smtp.ErrAuthRequired
	}
	return nil
}
func (a *authSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (a *authSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	_, isTLS := a.conn.TLSConnectionState()
	a.s.mu.Lock()
	a.s.got, a.s.tls = append(a.s.got, b), append(a.s.tls, isTLS)
	a.s.mu.Unlock()
	return err
}

// TestSMTPTLSAndAuth submits through STARTTLS and through implicit TLS with AUTH PLAIN to a real
// go-smtp server that requires both; a wrong password is a permanent refusal, and a server that
// does not offer STARTTLS is not sent to in clear.
func TestSMTPTLSAndAuth(t *testing.T) {
	t.Parallel()
	serverTLS, clientTLS := tlsPair(t)
	start := func(implicit bool) (*authSink, int) {
		s := &authSink{}
		srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &authSession{s: s, conn: c}, nil }))
		srv.Domain, srv.TLSConfig = "sink.test", serverTLS
		var l net.Listener
		var err error
		if implicit {
			l, err = tls.Listen("tcp", "127.0.0.1:0", serverTLS)
		} else {
			l, err = net.Listen("tcp", "127.0.0.1:0")
		}
		noErr(t, err)
		go srv.Serve(l) //nolint:errcheck // ends with Close
		t.Cleanup(func() { srv.Close() })
		return s, l.Addr().(*net.TCPAddr).Port
	}
	msg := &delivery.Message{To: "zhangsan@example.cn", Subject: "电子送达", Text: "正文", MessageID: "<r1.delivery@fj.gov.cn>",
		RouteID: "r1", FileName: "决定书.pdf", PDF: fakePDF("tls")}
	for _, mode := range []string{"starttls", "tls"} {
		s, port := start(mode == "tls")
		m := delivery.NewSMTPMailer(delivery.SMTPConfig{Host: "127.0.0.1", Port: port, From: "songda@fj.gov.cn", TLSMode: mode,
			Username: "songda", Password: "secret", Timeout: 2 * time.Second, TLS: clientTLS})
		rc, err := m.Send(context.Background(), msg)
		noErr(t, err)
		if !strings.HasPrefix(rc.Reply, "250 ") || len(s.got) != 1 || !s.tls[0] || !bytes.Contains(s.got[0], []byte("Message-ID: <r1.delivery@fj.gov.cn>")) {
			t.Fatalf("%s: reply %q, %d messages, tls %v", mode, rc.Reply, len(s.got), s.tls)
		}
		bad := delivery.NewSMTPMailer(delivery.SMTPConfig{Host: "127.0.0.1", Port: port, From: "songda@fj.gov.cn", TLSMode: mode,
			Username: "songda", Password: "wrong", Timeout: 2 * time.Second, TLS: clientTLS})
		_, err = bad.Send(context.Background(), msg)
		var se *delivery.SendError
		if !errors.As(err, &se) || !se.Permanent || se.Code != 535 || len(s.got) != 1 {
			t.Errorf("%s with a wrong password: %v", mode, err)
		}
	}
	// A server that offers no STARTTLS (the plain sink) gets nothing.
	plain := newSink(t)
	m := delivery.NewSMTPMailer(delivery.SMTPConfig{Host: "127.0.0.1", Port: plain.port, From: "songda@fj.gov.cn", TLSMode: "starttls",
		Timeout: 2 * time.Second, TLS: clientTLS})
	if _, err := m.Send(context.Background(), msg); err == nil || len(plain.messages()) != 0 {
		t.Errorf("sent in clear to a server without STARTTLS: %v", err)
	}
	// An untrusted certificate is refused.
	_, port := start(false)
	m = delivery.NewSMTPMailer(delivery.SMTPConfig{Host: "127.0.0.1", Port: port, From: "songda@fj.gov.cn", TLSMode: "starttls", Timeout: 2 * time.Second})
	if _, err := m.Send(context.Background(), msg); err == nil {
		t.Error("an untrusted certificate was accepted")
	}
}
