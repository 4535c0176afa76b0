package secretbox_test

import (
	"bytes"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"zhifa/modules/kernel/secretbox"
)

// TestKeyFile: the first call makes the key (mode 0600), later ones read it; racing callers all
// get the one key that won; another path has another key; a damaged file is refused.
func TestKeyFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "a.key")
	keys := make([][]byte, 8)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k, err := secretbox.KeyFile(path)
			if err != nil {
				t.Error(err)
			}
			keys[i] = k
		}()
	}
	wg.Wait()
	for i, k := range keys {
		if len(k) != 32 || !bytes.Equal(k, keys[0]) {
			t.Fatalf("racer %d got key %x, racer 0 %x", i, k, keys[0])
		}
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the key file: %v %v", fi, err)
	}
	if again, err := secretbox.KeyFile(path); err != nil || !bytes.Equal(again, keys[0]) {
		t.Errorf("read again: %x %v", again, err)
	}
	if other, err := secretbox.KeyFile(filepath.Join(dir, "b.key")); err != nil || bytes.Equal(other, keys[0]) {
		t.Errorf("another path's key: %x %v", other, err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "sub", ".key-*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
	bad := filepath.Join(dir, "bad.key")
	if err := os.WriteFile(bad, []byte("short"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := secretbox.KeyFile(bad); err == nil {
		t.Error("a damaged key file was accepted")
	}
}
