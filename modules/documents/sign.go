package documents

import (
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"
	"github.com/emmansun/gmsm/smx509"
	"github.com/uptrace/bun"

	"zhifa/modules/kernel/dbx"
	"zhifa/tenants"
)

// Electronic signature (电子签名): every body has an SM2 key pair, made the first time the body
// issues a document. The private key is stored encrypted with SM4-GCM under a key derived from
// the platform's secret key (HMAC-SM3; package secretbox), with the body and tenant as associated
// data, so a key row copied to another body does not decrypt. A document is signed by signing the SM3 digest of
// its PDF bytes with SM2 (GB/T 32918, default signer ID); the signature, the public key and its
// fingerprint (the SM3 of the SubjectPublicKeyInfo) are stored with the document.

const algorithmSM2 = "SM2-SM3"

// keyPurpose labels the key that encrypts signing keys: secretbox.New derives it from the secret key.
const keyPurpose = "zhifa/documents/sm2-private-key/v1"

func keyAAD(tenantID, bodyID string) []byte {
	return []byte("document_keys|" + tenantID + "|" + bodyID)
}

// SM3Hex returns the hex SM3 digest of b.
func SM3Hex(b []byte) string {
	d := sm3.Sum(b)
	return hex.EncodeToString(d[:])
}

// bodyKey returns the body's signing key, making it on first use. Concurrent first uses agree
// on one key: the insert does nothing when another transaction inserted first.
func (s *Service) bodyKey(ctx context.Context, tx bun.IDB, sc tenants.Scope, bodyID string) (*sm2.PrivateKey, *signingKey, error) {
	k := new(signingKey)
	err := tenants.Own(sc, tx.NewSelect().Model(k)).Where("k.body_id = ?", bodyID).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		if err := s.newKey(ctx, tx, sc, bodyID); err != nil {
			return nil, nil, err
		}
		err = tenants.Own(sc, tx.NewSelect().Model(k)).Where("k.body_id = ?", bodyID).Scan(ctx)
	}
	if err != nil {
		return nil, nil, err
	}
	priv, err := s.decryptKey(k)
	if err != nil {
		return nil, nil, err
	}
	return priv, k, nil
}

func (s *Service) newKey(ctx context.Context, tx bun.IDB, sc tenants.Scope, bodyID string) error {
	priv, err := sm2.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	pub, err := smx509.MarshalPKIXPublicKey(&priv.PublicKey)
	if err != nil {
		return err
	}
	der, err := smx509.MarshalSM2PrivateKey(priv)
	if err != nil {
		return err
	}
	sealed, err := s.box.Seal(der, keyAAD(sc.TenantID(), bodyID))
	if err != nil {
		return err
	}
	k := &signingKey{BodyID: bodyID, TenantID: sc.TenantID(), Algorithm: algorithmSM2,
		PublicKey: base64.StdEncoding.EncodeToString(pub), Fingerprint: SM3Hex(pub),
		PrivateKeyEnc: base64.StdEncoding.EncodeToString(sealed), CreatedAt: dbx.Stamp(s.now())}
	_, err = tx.NewInsert().Model(k).On("CONFLICT (body_id) DO NOTHING").Exec(ctx)
	return err
}

func (s *Service) decryptKey(k *signingKey) (*sm2.PrivateKey, error) {
	sealed, err := base64.StdEncoding.DecodeString(k.PrivateKeyEnc)
	if err != nil {
		return nil, err
	}
	der, err := s.box.Open(sealed, keyAAD(k.TenantID, k.BodyID))
	if err != nil {
		return nil, fmt.Errorf("documents: signing key of body %s does not decrypt (wrong secret key?): %w", k.BodyID, err)
	}
	return smx509.ParseSM2PrivateKey(der)
}

// sign signs the SM3 digest of pdf; it returns the hex digest and the base64 signature.
func sign(priv *sm2.PrivateKey, pdf []byte) (string, string, error) {
	d := sm3.Sum(pdf)
	sig, err := priv.SignWithSM2(rand.Reader, nil, d[:])
	if err != nil {
		return "", "", err
	}
	return hex.EncodeToString(d[:]), base64.StdEncoding.EncodeToString(sig), nil
}

// verifySignature checks a signature of the SM3 digest (hex) with a public key (base64 SPKI).
func verifySignature(publicKey, digestHex, signature string) bool {
	der, err := base64.StdEncoding.DecodeString(publicKey)
	if err != nil {
		return false
	}
	k, err := smx509.ParsePKIXPublicKey(der)
	if err != nil {
		return false
	}
	pub, ok := k.(*ecdsa.PublicKey)
	if !ok || !sm2.IsSM2PublicKey(pub) {
		return false
	}
	d, err := hex.DecodeString(digestHex)
	if err != nil {
		return false
	}
	sig, err := base64.StdEncoding.DecodeString(signature)
	if err != nil {
		return false
	}
	return sm2.VerifyASN1WithSM2(pub, nil, d, sig)
}
