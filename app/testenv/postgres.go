package testenv

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/uptrace/bun/driver/pgdriver"
)

// Role names and passwords NewDatabase connects with. The roles exist once per server.
const (
	// OwnerRole owns every test database and its tables; migrations run as this role.
	OwnerRole = "zhifa_owner"
	// AppRole is the role the application connects as; it owns nothing and has only the
	// privileges the migrations grant it.
	AppRole = "zhifa_app"

	superRole     = "postgres"
	superPassword = "zhifa_super"
	ownerPassword = "zhifa_owner_pw"
	appPassword   = "zhifa_app_pw"
)

// PG is a running PostgreSQL 15 server listening on 127.0.0.1.
type PG struct {
	// Host is the address the server listens on, always "127.0.0.1".
	Host string
	// Port is the server's TCP port.
	Port int
	// Dir is the temporary directory holding the data directory, the socket and postgres.log.
	Dir string

	proc  *process
	super *sql.DB
	once  sync.Once
}

var sharedPG struct {
	mu sync.Mutex
	pg *PG
}

// Postgres returns the package's shared PostgreSQL 15 server, started on first use (initdb in a
// temporary directory, a random free loopback port, fsync=off; as root the server runs as the
// postgres OS user and the directory is chowned to it). It fails the test with a clear message if
// the server cannot start. Without Main the server is private to the calling test and stopped at
// its cleanup.
func Postgres(t testing.TB) *PG {
	t.Helper()
	if !shared() {
		pg, err := startPostgres()
		if err != nil {
			t.Fatalf("testenv: postgres: %v", err)
		}
		t.Cleanup(pg.Stop)
		return pg
	}
	sharedPG.mu.Lock()
	defer sharedPG.mu.Unlock()
	if sharedPG.pg == nil {
		pg, err := startPostgres()
		if err != nil {
			t.Fatalf("testenv: postgres: %v", err)
		}
		sharedPG.pg = pg
		onStopAll(func() {
			sharedPG.mu.Lock()
			defer sharedPG.mu.Unlock()
			if sharedPG.pg == pg {
				sharedPG.pg = nil
			}
			pg.Stop()
		})
	}
	return sharedPG.pg
}

// Addr returns "127.0.0.1:PORT".
func (p *PG) Addr() string { return fmt.Sprintf("%s:%d", p.Host, p.Port) }

// DSN returns a connection URL for user with password to database db, in the form
// postgres://user:pass@127.0.0.1:PORT/DB?sslmode=disable.
func (p *PG) DSN(user, password, db string) string {
	return fmt.Sprintf("postgres://%s:%s@%s/%s?sslmode=disable", user, password, p.Addr(), db)
}

// SuperDSN returns a superuser connection URL to database db.
func (p *PG) SuperDSN(db string) string { return p.DSN(superRole, superPassword, db) }

// Stop stops the server immediately (like pg_ctl stop -m immediate) and removes its directory.
// It is safe to call more than once.
func (p *PG) Stop() {
	p.once.Do(func() {
		if p.super != nil {
			_ = p.super.Close()
		}
		p.proc.stop(syscall.SIGQUIT, false, 10*time.Second)
		_ = os.RemoveAll(p.Dir)
	})
}

// Log returns the last lines of the server's log, for diagnosing a failing test.
func (p *PG) Log() string { return fileTail(p.proc.logPath, 200) }

// DBInfo describes a database created by NewDatabase.
type DBInfo struct {
	// Name is the database name.
	Name string
	// OwnerDSN connects as the database and table owner (zhifa_owner); use it for migrations.
	OwnerDSN string
	// AppDSN connects as the application role (zhifa_app), which owns nothing.
	AppDSN string
	// AppRole is the role AppDSN connects as.
	AppRole string
	// OwnerRole is the role OwnerDSN connects as.
	OwnerRole string
	// SuperDSN connects to the database as the superuser; use it only for test assertions.
	SuperDSN string
}

// NewDatabase creates a fresh database for one test, owned by a non-superuser role, and returns
// DSNs: Owner connects as the table owner (for migrations), App connects as a non-owner login role
// that has no privileges until migrations grant them (role name returned in AppRole). Both roles
// are created once per server: "zhifa_owner" (NOSUPERUSER NOBYPASSRLS) and "zhifa_app"
// (NOSUPERUSER NOBYPASSRLS LOGIN). The database is dropped at test cleanup with
// DROP DATABASE ... WITH (FORCE).
func (p *PG) NewDatabase(t testing.TB) DBInfo {
	t.Helper()
	name := dbName(t.Name())
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := p.super.ExecContext(ctx, fmt.Sprintf(`CREATE DATABASE %s OWNER %s`, name, OwnerRole)); err != nil {
		t.Fatalf("testenv: create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if _, err := p.super.ExecContext(ctx, fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, name)); err != nil {
			t.Errorf("testenv: drop database %s: %v", name, err)
		}
	})
	return DBInfo{
		Name:      name,
		OwnerDSN:  p.DSN(OwnerRole, ownerPassword, name),
		AppDSN:    p.DSN(AppRole, appPassword, name),
		AppRole:   AppRole,
		OwnerRole: OwnerRole,
		SuperDSN:  p.SuperDSN(name),
	}
}

// OpenDB opens a database/sql handle for dsn with bun's pgdriver (driver name "pg") and closes it
// at test cleanup.
func OpenDB(t testing.TB, dsn string) *sql.DB {
	t.Helper()
	db := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(dsn)))
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// dbName turns a test name into a unique, valid, lower-case database name.
func dbName(testName string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(testName) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	s := strings.Trim(b.String(), "_")
	for strings.Contains(s, "__") {
		s = strings.ReplaceAll(s, "__", "_")
	}
	if len(s) > 40 {
		s = s[:40]
	}
	var rnd [5]byte
	_, _ = rand.Read(rnd[:])
	return "t_" + s + "_" + hex.EncodeToString(rnd[:])
}

// pgBinDir finds the directory holding initdb and postgres.
func pgBinDir() (string, error) {
	var candidates []string
	if d := os.Getenv("ZHIFA_PGBIN"); d != "" {
		candidates = append(candidates, d)
	}
	candidates = append(candidates, "/usr/lib/postgresql/15/bin")
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		candidates = append(candidates, strings.TrimSpace(string(out)))
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		candidates = append(candidates, filepath.Dir(p))
	}
	for _, d := range candidates {
		if isExecutable(filepath.Join(d, "initdb")) && isExecutable(filepath.Join(d, "postgres")) {
			return d, nil
		}
	}
	return "", errors.New("PostgreSQL 15 not found (looked in $ZHIFA_PGBIN, /usr/lib/postgresql/15/bin, pg_config --bindir, PATH): install postgresql-15")
}

// postgresUser returns the credential to run the server with: the postgres OS user when the test
// binary is root (PostgreSQL refuses to run as root), nil otherwise.
func postgresUser() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("running as root needs the postgres OS user: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: []uint32{}}, nil
}

// tempBase returns a directory under which the postgres OS user can create files: the usual
// temporary directory, or /tmp when that one is not reachable by other users.
func tempBase(cred *syscall.Credential) string {
	base := os.TempDir()
	if cred == nil {
		return base
	}
	for dir := base; ; dir = filepath.Dir(dir) {
		fi, err := os.Stat(dir)
		if err != nil || fi.Mode().Perm()&0o001 == 0 {
			return "/tmp"
		}
		if filepath.Dir(dir) == dir {
			return base
		}
	}
}

func startPostgres() (*PG, error) {
	bin, err := pgBinDir()
	if err != nil {
		return nil, err
	}
	cred, err := postgresUser()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp(tempBase(cred), "zhifa-pg-")
	if err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			_ = os.RemoveAll(dir)
		}
	}()
	if err := os.Chmod(dir, 0o700); err != nil {
		return nil, err
	}
	pwfile := filepath.Join(dir, "pwfile")
	if err := os.WriteFile(pwfile, []byte(superPassword+"\n"), 0o600); err != nil {
		return nil, err
	}
	if cred != nil {
		for _, p := range []string{dir, pwfile} {
			if err := os.Chown(p, int(cred.Uid), int(cred.Gid)); err != nil {
				return nil, fmt.Errorf("chown %s to postgres: %w", p, err)
			}
		}
	}
	data := filepath.Join(dir, "data")
	env := baseEnv("HOME=" + dir)

	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-U", superRole, "--pwfile="+pwfile,
		"--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--no-locale", "--no-sync", "--no-instructions")
	initdb.Env = env
	initdb.Dir = dir
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGKILL}
	if out, err := initdb.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("initdb in %s failed: %v\n%s", dir, err, out)
	}

	var lastErr error
	for attempt := 0; attempt < 5; attempt++ {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		proc, err := startProcess("postgres", []string{filepath.Join(bin, "postgres"), "-D", data, "-p", strconv.Itoa(port), "-k", dir,
			"-c", "listen_addresses=127.0.0.1",
			"-c", "fsync=off",
			"-c", "synchronous_commit=off",
			"-c", "full_page_writes=off",
			"-c", "max_connections=300",
			"-c", "shared_buffers=64MB",
			"-c", "log_min_messages=warning",
		}, env, dir, filepath.Join(dir, "postgres.log"), cred)
		if err != nil {
			return nil, err
		}
		pg := &PG{Host: "127.0.0.1", Port: port, Dir: dir, proc: proc}
		err = pg.waitReady(30 * time.Second)
		if err == nil {
			if err = pg.createRoles(); err != nil {
				pg.proc.stop(syscall.SIGQUIT, false, 10*time.Second)
				return nil, err
			}
			ok = true
			return pg, nil
		}
		if pg.super != nil {
			_ = pg.super.Close()
		}
		proc.stop(syscall.SIGQUIT, false, 10*time.Second)
		lastErr = err
		if !isAddrInUse(proc.logTail()) {
			break
		}
	}
	return nil, lastErr
}

// waitReady waits until the server accepts superuser connections.
func (p *PG) waitReady(timeout time.Duration) error {
	p.super = sql.OpenDB(pgdriver.NewConnector(
		pgdriver.WithDSN(p.SuperDSN("postgres")),
		pgdriver.WithDialTimeout(2*time.Second),
	))
	p.super.SetMaxIdleConns(4)
	deadline := time.Now().Add(timeout)
	var err error
	for time.Now().Before(deadline) {
		if p.proc.exited() {
			return fmt.Errorf("postgres exited during start-up (port %d): %v\n%s", p.Port, p.proc.waitErr, p.proc.logTail())
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		err = p.super.PingContext(ctx)
		cancel()
		if err == nil {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("postgres not ready on port %d after %s: %v\n%s", p.Port, timeout, err, p.proc.logTail())
}

// createRoles creates the owner and application roles.
func (p *PG) createRoles() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, q := range []string{
		fmt.Sprintf(`CREATE ROLE %s LOGIN PASSWORD '%s' NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE`, OwnerRole, ownerPassword),
		fmt.Sprintf(`CREATE ROLE %s LOGIN PASSWORD '%s' NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE`, AppRole, appPassword),
	} {
		if _, err := p.super.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("postgres: %s: %w", strings.SplitN(q, " PASSWORD", 2)[0], err)
		}
	}
	return nil
}
