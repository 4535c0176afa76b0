// Package secretbox encrypts small secrets at rest (a body's SM2 signing key, a tenant's payment
// account keys) with SM4-GCM under a key derived from the platform's secret key (config
// secrets.key): HMAC-SM3 of a purpose label, so that each use has its own key and a value sealed
// for one purpose never opens for another. The associated data binds a sealed value to its row
// (tenant, body, key), so a value copied to another row does not open.
package secretbox

import (
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"errors"

	"github.com/emmansun/gmsm/sm3"
	"github.com/emmansun/gmsm/sm4"
)

// Box seals and opens values for one purpose.
type Box struct {
	aead cipher.AEAD
}

// New returns the box of purpose (e.g. "zhifa/documents/sm2-private-key/v1") under secret. The
// SM4 key is the first 16 bytes of HMAC-SM3(secret, purpose). It fails on an empty secret.
func New(secret []byte, purpose string) (*Box, error) {
	if len(secret) == 0 {
		return nil, errors.New("secretbox: empty secret key")
	}
	m := hmac.New(sm3.New, secret)
	m.Write([]byte(purpose))
	b, err := sm4.NewCipher(m.Sum(nil)[:16])
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(b)
	if err != nil {
		return nil, err
	}
	return &Box{aead: aead}, nil
}

// Seal encrypts plain with aad and returns a fresh random nonce followed by the ciphertext.
func (b *Box) Seal(plain, aad []byte) ([]byte, error) {
	nonce := make([]byte, b.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return b.aead.Seal(nonce, nonce, plain, aad), nil
}

// ErrOpen is returned for a value that does not open: another secret key, another row's
// associated data, or altered bytes.
var ErrOpen = errors.New("secretbox: the value does not open (wrong secret key, another row, or altered)")

// Open decrypts what Seal returned for the same aad.
func (b *Box) Open(sealed, aad []byte) ([]byte, error) {
	n := b.aead.NonceSize()
	if len(sealed) < n {
		return nil, ErrOpen
	}
	plain, err := b.aead.Open(nil, sealed[:n], sealed[n:], aad)
	if err != nil {
		return nil, ErrOpen
	}
	return plain, nil
}
