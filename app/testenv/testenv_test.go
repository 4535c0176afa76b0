package testenv_test

import (
	"context"
	"database/sql"
	"os"
	"strings"
	"testing"
	"time"

	client "github.com/ory/kratos-client-go"
	"github.com/redis/go-redis/v9"

	"zhifa/app/testenv"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

func TestFreePort(t *testing.T) {
	a, b := testenv.FreePort(t), testenv.FreePort(t)
	if a <= 0 || b <= 0 {
		t.Fatalf("FreePort returned %d and %d", a, b)
	}
}

func TestTool(t *testing.T) {
	p := testenv.Tool(t, "sh")
	if !strings.HasPrefix(p, "/") {
		t.Fatalf("Tool(sh) = %q, want an absolute path", p)
	}
	if _, ok := testenv.LookupTool("zhifa-no-such-tool"); ok {
		t.Fatal("LookupTool found a tool that does not exist")
	}
}

func TestPostgresDatabasesAreIsolated(t *testing.T) {
	started := time.Now()
	pg := testenv.Postgres(t)
	t.Logf("postgres ready on %s after %s", pg.Addr(), time.Since(started))
	ctx := context.Background()

	a := pg.NewDatabase(t)
	b := pg.NewDatabase(t)
	if a.Name == b.Name {
		t.Fatalf("two databases share the name %s", a.Name)
	}

	ownerA := testenv.OpenDB(t, a.OwnerDSN)
	mustExec(t, ownerA, `CREATE TABLE note (id int PRIMARY KEY, body text NOT NULL)`)
	mustExec(t, ownerA, `INSERT INTO note VALUES (1, '立案')`)

	ownerB := testenv.OpenDB(t, b.OwnerDSN)
	var exists bool
	if err := ownerB.QueryRowContext(ctx, `SELECT to_regclass('public.note') IS NOT NULL`).Scan(&exists); err != nil {
		t.Fatal(err)
	}
	if exists {
		t.Fatal("a table created in one test database is visible in the other")
	}

	var owner string
	if err := ownerA.QueryRowContext(ctx,
		`SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()`).Scan(&owner); err != nil {
		t.Fatal(err)
	}
	if owner != testenv.OwnerRole {
		t.Fatalf("database owner = %q, want %q", owner, testenv.OwnerRole)
	}
	var body string
	if err := ownerA.QueryRowContext(ctx, `SELECT body FROM note WHERE id = 1`).Scan(&body); err != nil || body != "立案" {
		t.Fatalf("read back %q, %v", body, err)
	}
}

func TestPostgresRoles(t *testing.T) {
	pg := testenv.Postgres(t)
	db := pg.NewDatabase(t)
	ctx := context.Background()

	for _, tc := range []struct{ name, dsn, role string }{
		{"owner", db.OwnerDSN, testenv.OwnerRole},
		{"app", db.AppDSN, db.AppRole},
	} {
		conn := testenv.OpenDB(t, tc.dsn)
		var user string
		var super, bypass bool
		if err := conn.QueryRowContext(ctx,
			`SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`).Scan(&user, &super, &bypass); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if user != tc.role || super || bypass {
			t.Fatalf("%s connects as %s (superuser %v, bypassrls %v), want %s without either", tc.name, user, super, bypass, tc.role)
		}
	}

	owner := testenv.OpenDB(t, db.OwnerDSN)
	app := testenv.OpenDB(t, db.AppDSN)
	mustExec(t, owner, `CREATE TABLE case_file (id int PRIMARY KEY, tenant_id text NOT NULL)`)
	mustExec(t, owner, `INSERT INTO case_file VALUES (1, 'a'), (2, 'b')`)

	if _, err := app.ExecContext(ctx, `CREATE TABLE intruder (id int)`); err == nil {
		t.Fatal("the app role could create a table in the public schema")
	} else if !strings.Contains(err.Error(), "permission denied") {
		t.Fatalf("unexpected error for CREATE TABLE as app: %v", err)
	}
	if _, err := app.ExecContext(ctx, `SELECT * FROM case_file`); err == nil || !strings.Contains(err.Error(), "permission denied") {
		t.Fatalf("the app role read a table nobody granted it: %v", err)
	}

	// What a migration does: grant, and force row-level security on the owner's table.
	mustExec(t, owner, `GRANT SELECT ON case_file TO `+db.AppRole)
	mustExec(t, owner, `ALTER TABLE case_file ENABLE ROW LEVEL SECURITY`)
	mustExec(t, owner, `CREATE POLICY tenant ON case_file USING (tenant_id = current_setting('app.tenant_id', true))`)
	tx, err := app.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SELECT set_config('app.tenant_id', 'a', true)`); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM case_file`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("app role sees %d rows of tenant a, want 1", n)
	}

	super := testenv.OpenDB(t, db.SuperDSN)
	var isSuper bool
	if err := super.QueryRowContext(ctx, `SELECT rolsuper FROM pg_roles WHERE rolname = current_user`).Scan(&isSuper); err != nil || !isSuper {
		t.Fatalf("SuperDSN is not a superuser: %v %v", isSuper, err)
	}
}

func TestPostgresDatabaseDroppedAtCleanup(t *testing.T) {
	pg := testenv.Postgres(t)
	var name string
	t.Run("inner", func(t *testing.T) {
		name = pg.NewDatabase(t).Name
	})
	super := testenv.OpenDB(t, pg.SuperDSN("postgres"))
	var n int
	if err := super.QueryRow(`SELECT count(*) FROM pg_database WHERE datname = $1`, name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("database %s still exists after its test ended", name)
	}
}

func TestRedis(t *testing.T) {
	started := time.Now()
	addr := testenv.Redis(t)
	t.Logf("redis ready on %s after %s", addr, time.Since(started))
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	defer rdb.Close()
	ctx := context.Background()
	if got, err := rdb.Ping(ctx).Result(); err != nil || got != "PONG" {
		t.Fatalf("PING = %q, %v", got, err)
	}
	if err := rdb.Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}

	// Each call gets its own, empty server.
	other := redis.NewClient(&redis.Options{Addr: testenv.Redis(t)})
	defer other.Close()
	if n, err := other.Exists(ctx, "k").Result(); err != nil || n != 0 {
		t.Fatalf("second server is not empty: %d %v", n, err)
	}
}

func TestKratos(t *testing.T) {
	started := time.Now()
	k := testenv.Kratos(t)
	t.Logf("kratos ready after %s (start-up itself %s): public %s, admin %s", time.Since(started), k.StartTime, k.PublicURL, k.AdminURL)
	ctx := context.Background()

	id := k.CreateIdentity(t, "officer.li@example.com", "Zf-test-pass-8931", "李警官", "officer")
	token := k.Login(t, "officer.li@example.com", "Zf-test-pass-8931")

	sess, _, err := k.PublicClient().FrontendAPI.ToSession(ctx).XSessionToken(token).Execute()
	if err != nil {
		t.Fatalf("ToSession: %v", err)
	}
	if sess.Identity == nil || sess.Identity.Id != id {
		t.Fatalf("session identity = %+v, want %s", sess.Identity, id)
	}
	traits, ok := sess.Identity.Traits.(map[string]interface{})
	if !ok {
		t.Fatalf("traits have type %T", sess.Identity.Traits)
	}
	if traits["email"] != "officer.li@example.com" || traits["name"] != "李警官" || traits["kind"] != "officer" {
		t.Fatalf("traits = %v", traits)
	}
	if sess.Active == nil || !*sess.Active {
		t.Fatal("session is not active")
	}

	if _, err := k.TryLogin("officer.li@example.com", "wrong-password-123"); err == nil {
		t.Fatal("login with a wrong password succeeded")
	}
	if _, err := k.TryLogin("nobody@example.com", "Zf-test-pass-8931"); err == nil {
		t.Fatal("login of an unknown identity succeeded")
	}

	// A citizen without kind-specific traits, and the same shared server for a second call.
	if k2 := testenv.Kratos(t); k2 != k {
		t.Fatal("Kratos did not return the shared server")
	}
	cid := k.CreateIdentityWithTraits(t, map[string]interface{}{
		"email": "citizen.wang@example.com", "name": "王某", "kind": "citizen", "phone": "+86 138 0013 8000",
	}, "Zf-citizen-pass-2024")
	if cid == "" || cid == id {
		t.Fatalf("citizen identity id %q", cid)
	}
	k.Login(t, "citizen.wang@example.com", "Zf-citizen-pass-2024")

	// The identity schema rejects an unknown kind.
	if _, _, err := k.AdminClient().IdentityAPI.CreateIdentity(ctx).CreateIdentityBody(
		*client.NewCreateIdentityBody("default", map[string]interface{}{"email": "x@example.com", "name": "X", "kind": "admin"})).Execute(); err == nil {
		t.Fatal("an identity of kind admin was accepted")
	}
}

func TestChromium(t *testing.T) {
	if _, err := os.Stat("/usr/bin/chromium"); err != nil {
		if _, ok := testenv.LookupTool("chromium"); !ok {
			t.Skip("chromium is not installed on this machine")
		}
	}
	if p := testenv.Chromium(t); !strings.HasPrefix(p, "/") {
		t.Fatalf("Chromium() = %q", p)
	}
}

func mustExec(t *testing.T, db *sql.DB, q string) {
	t.Helper()
	if _, err := db.Exec(q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}
