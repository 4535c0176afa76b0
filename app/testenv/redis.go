package testenv

import (
	"bufio"
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Redis starts a fresh redis-server for the calling test on a random loopback port (no
// persistence) and stops it at cleanup; it returns "127.0.0.1:PORT". The binary is found like
// Tool finds it, and the test fails with "redis-server not found: run make tools" without one.
func Redis(t testing.TB) string {
	t.Helper()
	bin := Tool(t, "redis-server")
	dir := t.TempDir() // removed after the server is stopped (cleanups run last-in first-out)
	var lastErr error
	for attempt := 0; attempt < 5; attempt++ {
		port := FreePort(t)
		proc, err := startProcess("redis-server", []string{bin,
			"--port", strconv.Itoa(port),
			"--bind", "127.0.0.1",
			"--daemonize", "no",
			"--save", "",
			"--appendonly", "no",
			"--dir", dir,
			"--logfile", "",
		}, baseEnv(), dir, filepath.Join(dir, "redis.log"), nil)
		if err != nil {
			t.Fatalf("testenv: redis: %v", err)
		}
		addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
		if err = waitRedis(proc, addr, 15*time.Second); err == nil {
			t.Cleanup(func() { proc.stop(syscall.SIGKILL, true, 5*time.Second) })
			return addr
		}
		proc.stop(syscall.SIGKILL, true, 5*time.Second)
		lastErr = err
		if !isAddrInUse(proc.logTail()) {
			break
		}
	}
	t.Fatalf("testenv: redis: %v", lastErr)
	return ""
}

// waitRedis waits until the server at addr answers PING.
func waitRedis(proc *process, addr string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	var err error
	for time.Now().Before(deadline) {
		if proc.exited() {
			return fmt.Errorf("redis-server exited during start-up (%s): %v\n%s", addr, proc.waitErr, proc.logTail())
		}
		if err = pingRedis(addr); err == nil {
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("redis-server not ready on %s after %s: %v\n%s", addr, timeout, err, proc.logTail())
}

func pingRedis(addr string) error {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if strings.TrimSpace(line) != "+PONG" {
		return fmt.Errorf("unexpected PING reply %q", line)
	}
	return nil
}
