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
	"math/big"
	"net"
	"strings"
	"testing"
	"time"

	"zhifa/app/testenv"
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

// TestSMTPTLSAndAuth submits through STARTTLS and through implicit TLS with AUTH PLAIN to a real
// go-smtp server that requires both; a wrong password is a permanent refusal, and a server that
// does not offer STARTTLS is not sent to in clear.
func TestSMTPTLSAndAuth(t *testing.T) {
	t.Parallel()
	serverTLS, clientTLS := tlsPair(t)
	start := func(implicit bool) *testenv.SMTPServer {
		return testenv.NewSMTPServer(t, testenv.SMTPOptions{TLS: serverTLS, ImplicitTLS: implicit, Username: "songda", Password: "secret"})
	}
	msg := &delivery.Message{To: "zhangsan@example.cn", Subject: "电子送达", Text: "正文", MessageID: "<r1.delivery@fj.gov.cn>",
		RouteID: "r1", FileName: "决定书.pdf", PDF: fakePDF("tls")}
	for _, mode := range []string{"starttls", "tls"} {
		s := start(mode == "tls")
		m := delivery.NewSMTPMailer(delivery.SMTPConfig{Host: s.Host, Port: s.Port, From: "songda@fj.gov.cn", TLSMode: mode,
			Username: "songda", Password: "secret", Timeout: 2 * time.Second, TLS: clientTLS})
		rc, err := m.Send(context.Background(), msg)
		noErr(t, err)
		got := s.Messages()
		if !strings.HasPrefix(rc.Reply, "250 ") || len(got) != 1 || !got[0].TLS || got[0].User != "songda" ||
			!bytes.Contains(got[0].Data, []byte("Message-ID: <r1.delivery@fj.gov.cn>")) {
			t.Fatalf("%s: reply %q, messages %+v", mode, rc.Reply, got)
		}
		bad := delivery.NewSMTPMailer(delivery.SMTPConfig{Host: s.Host, Port: s.Port, From: "songda@fj.gov.cn", TLSMode: mode,
			Username: "songda", Password: "wrong", Timeout: 2 * time.Second, TLS: clientTLS})
		_, err = bad.Send(context.Background(), msg)
		var se *delivery.SendError
		if !errors.As(err, &se) || !se.Permanent || se.Code != 535 || len(s.Messages()) != 1 {
			t.Errorf("%s with a wrong password: %v", mode, err)
		}
	}
	// A server that offers no STARTTLS (the plain sink) gets nothing.
	plain := testenv.SMTPSink(t)
	m := delivery.NewSMTPMailer(delivery.SMTPConfig{Host: "127.0.0.1", Port: plain.Port, From: "songda@fj.gov.cn", TLSMode: "starttls",
		Timeout: 2 * time.Second, TLS: clientTLS})
	if _, err := m.Send(context.Background(), msg); err == nil || len(plain.Messages()) != 0 {
		t.Errorf("sent in clear to a server without STARTTLS: %v", err)
	}
	// An untrusted certificate is refused.
	untrusted := start(false)
	m = delivery.NewSMTPMailer(delivery.SMTPConfig{Host: "127.0.0.1", Port: untrusted.Port, From: "songda@fj.gov.cn", TLSMode: "starttls", Timeout: 2 * time.Second})
	if _, err := m.Send(context.Background(), msg); err == nil {
		t.Error("an untrusted certificate was accepted")
	}
}
