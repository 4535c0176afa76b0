// Package testenv starts real components (PostgreSQL 15, redis-server, Ory Kratos, headless
// Chromium) for tests anywhere in the repository.
//
// A package that uses the shared servers (Postgres, Kratos) declares
//
//	func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }
//
// so that the servers are started once per test binary, on first use, and stopped when its tests
// are done. Without Main every call starts a private server that is stopped at the end of the
// calling test, which is correct but slower.
//
// Every server listens on a random loopback port, so packages tested in parallel (go test -p N)
// never collide. Server processes are started in their own process group with a parent-death
// signal, so they also die when a test binary is killed; only their temporary directories may be
// left behind then.
package testenv

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// registry holds the servers shared by the tests of one package (one test binary).
var registry struct {
	mu         sync.Mutex
	mainActive bool
	stoppers   []func()
}

// Main runs the tests of a package and then stops every server the package started. Use:
//
//	func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }
func Main(m *testing.M) int {
	registry.mu.Lock()
	registry.mainActive = true
	registry.mu.Unlock()

	code := m.Run()

	StopAll()
	return code
}

// StopAll stops every shared server started so far, newest first. Main calls it after the tests;
// calling it again is harmless, and a later Postgres or Kratos call starts a new server.
func StopAll() {
	registry.mu.Lock()
	stoppers := registry.stoppers
	registry.stoppers = nil
	registry.mu.Unlock()
	for i := len(stoppers) - 1; i >= 0; i-- {
		stoppers[i]()
	}
}

// shared reports whether Main runs the tests, that is whether servers may outlive one test.
func shared() bool {
	registry.mu.Lock()
	defer registry.mu.Unlock()
	return registry.mainActive
}

// onStopAll registers f to run when Main finishes.
func onStopAll(f func()) {
	registry.mu.Lock()
	defer registry.mu.Unlock()
	registry.stoppers = append(registry.stoppers, f)
}

// FreePort returns a free TCP port on 127.0.0.1.
func FreePort(t testing.TB) int {
	t.Helper()
	port, err := freePort()
	if err != nil {
		t.Fatalf("testenv: no free port on 127.0.0.1: %v", err)
	}
	return port
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// ToolDirs returns the directories searched for tools before PATH, in order: $ZHIFA_TOOLS (when
// set), $HOME/.cache/zhifa/bin and $GOPATH/bin (or $HOME/go/bin).
func ToolDirs() []string {
	var dirs []string
	if d := os.Getenv("ZHIFA_TOOLS"); d != "" {
		dirs = append(dirs, d)
	}
	home, _ := os.UserHomeDir()
	if home != "" {
		dirs = append(dirs, filepath.Join(home, ".cache", "zhifa", "bin"))
	}
	if gp := os.Getenv("GOPATH"); gp != "" {
		for _, p := range filepath.SplitList(gp) {
			dirs = append(dirs, filepath.Join(p, "bin"))
		}
	} else if home != "" {
		dirs = append(dirs, filepath.Join(home, "go", "bin"))
	}
	return dirs
}

// LookupTool returns the absolute path of an executable named name from the directories of
// ToolDirs or from PATH, and false when there is none.
func LookupTool(name string) (string, bool) {
	for _, d := range ToolDirs() {
		p := filepath.Join(d, name)
		if isExecutable(p) {
			if abs, err := filepath.Abs(p); err == nil {
				return abs, true
			}
			return p, true
		}
	}
	if p, err := exec.LookPath(name); err == nil {
		if abs, err := filepath.Abs(p); err == nil {
			return abs, true
		}
		return p, true
	}
	return "", false
}

// Tool returns the absolute path of a binary named name from $ZHIFA_TOOLS, $HOME/.cache/zhifa/bin,
// or PATH, failing the test with "<name> not found: run make tools" if absent.
func Tool(t testing.TB, name string) string {
	t.Helper()
	p, ok := LookupTool(name)
	if !ok {
		t.Fatalf("%s not found: run make tools", name)
	}
	return p
}

// Chromium returns the path of a headless-capable Chromium: /usr/bin/chromium when present,
// otherwise chromium, chromium-browser, google-chrome or google-chrome-stable found like Tool does.
// It fails the test with "chromium not found: run make tools" when there is none.
func Chromium(t testing.TB) string {
	t.Helper()
	if isExecutable("/usr/bin/chromium") {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, ok := LookupTool(name); ok {
			return p
		}
	}
	t.Fatalf("chromium not found: run make tools")
	return ""
}

// RepoRoot returns the root directory of the zhifa module: the nearest directory above the
// working directory whose go.mod declares "module zhifa", or else the directory this package was
// compiled from, two levels up. It fails the test when neither is found.
func RepoRoot(t testing.TB) string {
	t.Helper()
	root, err := repoRoot()
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	return root
}

func repoRoot() (string, error) {
	isRoot := func(dir string) bool {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err != nil {
			return false
		}
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			if f := strings.Fields(sc.Text()); len(f) == 2 && f[0] == "module" {
				return f[1] == "zhifa"
			}
		}
		return false
	}
	if wd, err := os.Getwd(); err == nil {
		for dir := wd; ; {
			if isRoot(dir) {
				return dir, nil
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				break
			}
			dir = parent
		}
	}
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		dir := filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
		if isRoot(dir) {
			return dir, nil
		}
	}
	return "", errors.New("cannot find the root of module zhifa (no go.mod declaring it above the working directory)")
}

func isExecutable(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}

// process is a server started as a child of the test binary.
type process struct {
	name    string
	cmd     *exec.Cmd
	logPath string
	done    chan struct{}
	waitErr error
}

// startProcess starts a server in its own process group, with its output appended to logPath.
// The process receives SIGKILL when the test binary dies. cred, when not nil, runs it as another
// user (the test binary must be root then).
func startProcess(name string, args []string, env []string, dir, logPath string, cred *syscall.Credential) (*process, error) {
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = env
	cmd.Dir = dir
	cmd.Stdout = logf
	cmd.Stderr = logf
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Setpgid:    true,
		Pdeathsig:  syscall.SIGKILL,
		Credential: cred,
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p := &process{name: name, cmd: cmd, logPath: logPath, done: make(chan struct{})}
	go func() {
		p.waitErr = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// exited reports whether the process has ended.
func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// stop sends sig to the process (and, when group is true, to its whole process group), waits up
// to grace for it to end and then kills the process group.
func (p *process) stop(sig syscall.Signal, group bool, grace time.Duration) {
	if p == nil || p.exited() {
		return
	}
	pid := p.cmd.Process.Pid
	if group {
		_ = syscall.Kill(-pid, sig)
	} else {
		_ = syscall.Kill(pid, sig)
	}
	select {
	case <-p.done:
	case <-time.After(grace):
		_ = syscall.Kill(-pid, syscall.SIGKILL)
		<-p.done
	}
	// Reap anything left in the group (children of a server that ignored the signal).
	_ = syscall.Kill(-pid, syscall.SIGKILL)
}

// logTail returns the last lines of the process's log, for error messages.
func (p *process) logTail() string {
	return fileTail(p.logPath, 30)
}

func fileTail(path string, lines int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Sprintf("(no log: %v)", err)
	}
	ls := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(ls) > lines {
		ls = ls[len(ls)-lines:]
	}
	return strings.Join(ls, "\n")
}

// isAddrInUse reports whether a server log says that its port was taken.
func isAddrInUse(log string) bool {
	l := strings.ToLower(log)
	return strings.Contains(l, "address already in use") || strings.Contains(l, "could not bind") ||
		strings.Contains(l, "could not create any tcp/ip sockets")
}

// baseEnv returns the few environment variables a server needs, so that variables meant for the
// platform (DSN, LOG_LEVEL, ...) never reconfigure it.
func baseEnv(extra ...string) []string {
	env := []string{"PATH=" + os.Getenv("PATH"), "LC_ALL=C"}
	for _, k := range []string{"HOME", "TMPDIR", "TZ"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return append(env, extra...)
}
