package secretbox_test

import (
	"bytes"
	"errors"
	"testing"

	"zhifa/modules/kernel/secretbox"
)

func TestSealOpen(t *testing.T) {
	secret := []byte("0123456789abcdef0123456789abcdef")
	box, err := secretbox.New(secret, "test/purpose/v1")
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := box.Seal([]byte("sk_test_4242"), []byte("row-a"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte("sk_test_4242")) {
		t.Fatal("the sealed value carries the plain text")
	}
	if got, err := box.Open(sealed, []byte("row-a")); err != nil || string(got) != "sk_test_4242" {
		t.Fatalf("open = %q, %v", got, err)
	}
	other, _ := secretbox.New(secret, "test/other/v1")
	wrongKey, _ := secretbox.New([]byte("fedcba9876543210fedcba9876543210"), "test/purpose/v1")
	tampered := bytes.Clone(sealed)
	tampered[len(tampered)-1] ^= 1
	for name, open := range map[string]func() ([]byte, error){
		"another row":     func() ([]byte, error) { return box.Open(sealed, []byte("row-b")) },
		"another purpose": func() ([]byte, error) { return other.Open(sealed, []byte("row-a")) },
		"another secret":  func() ([]byte, error) { return wrongKey.Open(sealed, []byte("row-a")) },
		"altered bytes":   func() ([]byte, error) { return box.Open(tampered, []byte("row-a")) },
		"too short":       func() ([]byte, error) { return box.Open(sealed[:4], []byte("row-a")) },
	} {
		if _, err := open(); !errors.Is(err, secretbox.ErrOpen) {
			t.Errorf("%s: %v, want ErrOpen", name, err)
		}
	}
	if _, err := secretbox.New(nil, "x"); err == nil {
		t.Error("an empty secret key was accepted")
	}
}
