package testenv

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
)

// StripeMockServer is a running stripe-mock: Stripe's API answered from Stripe's OpenAPI spec
// (each request validated; stateless: a retrieval returns a fixed sample, no webhooks are sent).
type StripeMockServer struct {
	// URL is the base URL of its HTTP API, for stripe-go's BackendConfig.URL.
	URL  string
	dir  string
	proc *process
	once sync.Once
}

var sharedStripe struct {
	mu sync.Mutex
	s  *StripeMockServer
}

// StripeMock returns the package's shared stripe-mock (binary from $ZHIFA_TOOLS,
// $HOME/.cache/zhifa/bin or PATH, installed by .ci/tools.sh), listening on random loopback ports
// (HTTP and HTTPS, both given so that it binds nothing else), waited for until it answers. It
// fails the test with "stripe-mock not found: run make tools" when the binary is missing.
// Without Main the server is private to the calling test and stopped at its cleanup.
func StripeMock(t testing.TB) *StripeMockServer {
	t.Helper()
	bin := Tool(t, "stripe-mock")
	if !shared() {
		s, err := startStripeMock(bin)
		if err != nil {
			t.Fatalf("testenv: stripe-mock: %v", err)
		}
		t.Cleanup(s.Stop)
		return s
	}
	sharedStripe.mu.Lock()
	defer sharedStripe.mu.Unlock()
	if sharedStripe.s == nil {
		s, err := startStripeMock(bin)
		if err != nil {
			t.Fatalf("testenv: stripe-mock: %v", err)
		}
		sharedStripe.s = s
		onStopAll(func() {
			sharedStripe.mu.Lock()
			defer sharedStripe.mu.Unlock()
			if sharedStripe.s == s {
				sharedStripe.s = nil
			}
			s.Stop()
		})
	}
	return sharedStripe.s
}

// Stop kills the server and removes its directory. It is safe to call more than once.
func (s *StripeMockServer) Stop() {
	s.once.Do(func() {
		s.proc.stop(syscall.SIGTERM, true, 5*time.Second)
		_ = os.RemoveAll(s.dir)
	})
}

func startStripeMock(bin string) (*StripeMockServer, error) {
	dir, err := os.MkdirTemp("", "zhifa-stripe-mock-")
	if err != nil {
		return nil, err
	}
	var lastErr error
	for attempt := 0; attempt < 5; attempt++ {
		httpPort, err := freePort()
		if err != nil {
			return nil, err
		}
		httpsPort, err := freePort()
		if err != nil {
			return nil, err
		}
		if httpPort == httpsPort {
			continue
		}
		proc, err := startProcess("stripe-mock", []string{bin, "-http-addr", "127.0.0.1:" + strconv.Itoa(httpPort),
			"-https-addr", "127.0.0.1:" + strconv.Itoa(httpsPort)}, baseEnv(), dir, filepath.Join(dir, "stripe-mock.log"), nil)
		if err != nil {
			_ = os.RemoveAll(dir)
			return nil, err
		}
		s := &StripeMockServer{URL: fmt.Sprintf("http://127.0.0.1:%d", httpPort), dir: dir, proc: proc}
		if err = s.waitReady(30 * time.Second); err == nil {
			return s, nil
		}
		proc.stop(syscall.SIGKILL, true, 5*time.Second)
		lastErr = err
		if !isAddrInUse(proc.logTail()) {
			break
		}
	}
	_ = os.RemoveAll(dir)
	return nil, lastErr
}

// waitReady waits until the server answers an authenticated request.
func (s *StripeMockServer) waitReady(timeout time.Duration) error {
	c := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(timeout)
	var err error
	for time.Now().Before(deadline) {
		if s.proc.exited() {
			return fmt.Errorf("stripe-mock exited during start-up: %v\n%s", s.proc.waitErr, s.proc.logTail())
		}
		req, _ := http.NewRequest(http.MethodGet, s.URL+"/v1/balance", nil)
		req.SetBasicAuth("sk_test_ready", "")
		var resp *http.Response
		if resp, err = c.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("status %d", resp.StatusCode)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("stripe-mock not ready at %s after %s: %v\n%s", s.URL, timeout, err, s.proc.logTail())
}
