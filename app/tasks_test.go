package app_test

import (
	"bytes"
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"log/slog"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"zhifa/jobs"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/supervision/supervisiontask"
	"zhifa/tenants"
)

// declaredTasks is every task type the platform declares, with the package that declares it: the
// module that handles it, or that module's contract package (modules/<m>/<m>task) when other
// modules write it. The type strings are persisted in the outbox and must never change.
var declaredTasks = map[string]string{
	"cases:prune_requests":        "modules/cases",
	"cases:recompute_waiting":     "modules/cases",
	"cases:scan_overdue":          "modules/cases",
	"cases:serve_notices":         "modules/cases",
	"rules:calendar_loaded":       "modules/cases/casetask",
	"delivery:deem_notices":       "modules/delivery",
	"delivery:record_served":      "modules/delivery",
	"delivery:scan_late":          "modules/delivery",
	"delivery:send_email":         "modules/delivery",
	"delivery:send_sms":           "modules/delivery",
	"delivery:store_inbox":        "modules/delivery",
	"delivery:deliver_document":   "modules/delivery/deliverytask",
	"disclosure:expire":           "modules/disclosure",
	"disclosure:publish":          "modules/disclosure/disclosuretask",
	"disclosure:withdraw":         "modules/disclosure/disclosuretask",
	"elements:scan_certificates":  "modules/elements",
	"exchange:sync_case":          "modules/exchange/exchangetask",
	"exchange:transfer_case":      "modules/exchange/exchangetask",
	"identity:invite":             "modules/identity",
	"payments:issue_receipt":      "modules/payments",
	"payments:reconcile":          "modules/payments",
	"payments:refund":             "modules/payments/paymenttask",
	"portal:send_reconsideration": "modules/portal",
	"portal:send_waiting":         "modules/portal",
	"supervision:warn":            "modules/supervision/supervisiontask",
	"outbox:prune":                "app",
}

// awaitedTasks are declared task types whose handling module is not built yet: the relay holds
// their rows until a deployment handles them. Remove a type when its handler is registered.
var awaitedTasks = map[string]string{
	"supervision:warn":       "issues 13 and 14: the supervision module",
	"exchange:sync_case":     "issue 15: the exchange module",
	"exchange:transfer_case": "issue 15: the exchange module",
}

// taskDecl is a jobs.Task or jobs.Periodic declaration found in the sources.
type taskDecl struct {
	typ, pkg, pos string
	periodic      bool
}

// TestTasksHaveHandlers: every task declared in the repository's sources (jobs.Task[...]{...} and
// jobs.Periodic{...}, each a package variable with a literal type, declared once, by the package
// listed in declaredTasks) is handled by the mux the platform's worker runs, and every periodic
// one is scheduled, except the awaited types, which no handler may serve yet (the list goes
// stale, and fails, when one gains its handler). Nothing else is handled.
func TestTasksHaveHandlers(t *testing.T) {
	t.Parallel()
	decls := scanTaskDecls(t)
	got := map[string]string{}
	for _, d := range decls {
		if prev, dup := got[d.typ]; dup {
			t.Errorf("%s: %s is declared twice (also in %s): a task has one owner", d.pos, d.typ, prev)
		}
		got[d.typ] = d.pkg
	}
	for _, typ := range slices.Sorted(maps.Keys(declaredTasks)) {
		if got[typ] != declaredTasks[typ] {
			t.Errorf("%s: declared in %q, want %q (type strings are persisted: never rename one)", typ, got[typ], declaredTasks[typ])
		}
	}
	for _, typ := range slices.Sorted(maps.Keys(got)) {
		if _, ok := declaredTasks[typ]; !ok {
			t.Errorf("%s (%s) is not listed in declaredTasks", typ, got[typ])
		}
	}
	for typ := range awaitedTasks {
		if _, ok := got[typ]; !ok {
			t.Errorf("awaited type %s is not declared", typ)
		}
	}

	a := startPlatform(t, "sqlite").App
	scheduled := map[string]bool{}
	for _, p := range a.Mux.Periodic() {
		scheduled[p.Type] = true
	}
	for _, d := range decls {
		_, awaited := awaitedTasks[d.typ]
		switch handled := a.Mux.Handles(d.typ); {
		case awaited && handled:
			t.Errorf("%s is handled now: remove it from awaitedTasks (%s)", d.typ, awaitedTasks[d.typ])
		case !awaited && !handled:
			t.Errorf("%s (%s) has no handler on the worker's mux: its rows would be held in the outbox", d.typ, d.pos)
		}
		if d.periodic != scheduled[d.typ] {
			t.Errorf("%s: periodic %v, scheduled %v", d.typ, d.periodic, scheduled[d.typ])
		}
	}
	for _, typ := range a.Mux.Types() {
		if _, ok := got[typ]; !ok {
			t.Errorf("the mux handles %s, which no jobs.Task or jobs.Periodic declares", typ)
		}
	}
}

// TestOutboxHoldsAwaitedTasks: the platform's worker relay holds a row of an awaited type (here
// supervision:warn) instead of handing it to Asynq, and relays a handled one.
func TestOutboxHoldsAwaitedTasks(t *testing.T) {
	t.Parallel()
	a := startPlatform(t, "sqlite").App
	ctx := context.Background()
	root, err := a.Tenants.Store().Lookup(ctx, a.Config.Deployment.RootTenant)
	if err != nil {
		t.Fatal(err)
	}
	sc := tenants.NewScope(root, "test", []authz.Role{authz.TenantOperator}, nil)
	var warnID string
	if err := tenants.RunInTx(ctx, a.DB, sc, func(ctx context.Context, tx bun.Tx) error {
		warnID, err = supervisiontask.Warn.Enqueue(ctx, tx, sc, supervisiontask.Warning{CaseID: "c", Point: "overdue", On: "2025-10-09"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	client := a.Jobs.Client()
	defer client.Close()
	var log bytes.Buffer
	relay := jobs.NewRelay(jobs.RelayConfig{DB: a.DB, Client: client, Mux: a.Mux, Log: slog.New(slog.NewTextHandler(&log, nil)), Now: a.Now})
	for range 2 {
		if _, err := relay.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
	}
	var row jobs.OutboxRow
	if err := tenants.RunInTx(ctx, a.DB, sc, func(ctx context.Context, tx bun.Tx) error {
		return tx.NewSelect().Model(&row).Where("id = ?", warnID).Scan(ctx)
	}); err != nil {
		t.Fatal(err)
	}
	if row.HeldAt == nil || row.RelayedAt != nil || row.Attempts != 0 {
		t.Errorf("supervision:warn row: held %v relayed %v attempts %d; want held", row.HeldAt, row.RelayedAt, row.Attempts)
	}
	// One alarm per type over both runs, naming the row (the demo data holds rows of other awaited types).
	var alarms []string
	for _, line := range strings.Split(log.String(), "\n") {
		if strings.Contains(line, "level=ERROR") && strings.Contains(line, "type=supervision:warn ") {
			alarms = append(alarms, line)
		}
	}
	if len(alarms) != 1 || !strings.Contains(alarms[0], warnID) {
		t.Errorf("want one alarm naming supervision:warn and row %s:\n%s", warnID, log.String())
	}
}

// TestTaskContractsImportOnlyTheKernel: a task contract package (modules/<m>/<m>task) imports
// nothing but jobs, tenants and the kernel packages, so that a producer depending on it depends
// on no module, and it states its contract in a doc.go.
func TestTaskContractsImportOnlyTheKernel(t *testing.T) {
	t.Parallel()
	dirs, err := filepath.Glob(filepath.Join("..", "modules", "*", "*task"))
	if err != nil || len(dirs) < 6 {
		t.Fatalf("contract packages %v, %v", dirs, err)
	}
	for _, dir := range dirs {
		if _, err := parser.ParseFile(token.NewFileSet(), filepath.Join(dir, "doc.go"), nil, parser.PackageClauseOnly|parser.ParseComments); err != nil {
			t.Errorf("%s: no doc.go: %v", dir, err)
		}
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			file, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range file.Imports {
				p, _ := strconv.Unquote(imp.Path.Value)
				if strings.Contains(p, ".") || (strings.HasPrefix(p, "zhifa/") && p != "zhifa/jobs" && p != "zhifa/tenants" &&
					!strings.HasPrefix(p, "zhifa/modules/kernel/")) {
					t.Errorf("%s imports %s", f, p)
				}
			}
		}
	}
}

// scanTaskDecls parses the repository's Go sources (tests excluded) for task declarations.
func scanTaskDecls(t *testing.T) []taskDecl {
	t.Helper()
	var decls []taskDecl
	fset := token.NewFileSet()
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != ".." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		file, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		pkg, _ := filepath.Rel("..", filepath.Dir(path))
		decls = append(decls, fileTaskDecls(t, fset, file, filepath.ToSlash(pkg))...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(decls) == 0 {
		t.Fatal("no task declarations found")
	}
	return decls
}

// fileTaskDecls returns a file's task declarations: package variables whose value is a
// jobs.Task[P]{...} or jobs.Periodic{...} literal with a string literal Type. A task literal
// anywhere else (in a function, in a slice, with a computed type) fails the test, since the
// declarations are the list of what must be handled.
func fileTaskDecls(t *testing.T, fset *token.FileSet, file *ast.File, pkg string) []taskDecl {
	var decls []taskDecl
	top := map[*ast.CompositeLit]bool{}
	for _, d := range file.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.VAR {
			continue
		}
		for _, spec := range gd.Specs {
			for _, v := range spec.(*ast.ValueSpec).Values {
				if lit, ok := v.(*ast.CompositeLit); ok {
					top[lit] = true
				}
			}
		}
	}
	ast.Inspect(file, func(n ast.Node) bool {
		lit, ok := n.(*ast.CompositeLit)
		if !ok {
			return true
		}
		pos := fset.Position(lit.Pos()).String()
		kind := taskKind(lit.Type)
		if at, ok := lit.Type.(*ast.ArrayType); ok && taskKind(at.Elt) != "" {
			t.Errorf("%s: a list of task literals: declare each task as a package variable", pos)
			return true
		}
		if kind == "" {
			return true
		}
		if !top[lit] {
			t.Errorf("%s: a %s literal that is not a package variable's value", pos, kind)
			return true
		}
		typ := ""
		for _, e := range lit.Elts {
			if kv, ok := e.(*ast.KeyValueExpr); ok && isIdent(kv.Key, "Type") {
				if bl, ok := kv.Value.(*ast.BasicLit); ok && bl.Kind == token.STRING {
					typ, _ = strconv.Unquote(bl.Value)
				}
			}
		}
		if typ == "" {
			t.Errorf("%s: a %s without a string literal Type", pos, kind)
			return true
		}
		decls = append(decls, taskDecl{typ: typ, pkg: pkg, pos: pos, periodic: kind == "jobs.Periodic"})
		return true
	})
	return decls
}

// taskKind names the task declaration type expr is (jobs.Task[...] or jobs.Periodic), or "".
func taskKind(expr ast.Expr) string {
	if ix, ok := expr.(*ast.IndexExpr); ok {
		expr = ix.X
		if isSel(expr, "jobs", "Task") {
			return "jobs.Task"
		}
		return ""
	}
	if isSel(expr, "jobs", "Periodic") {
		return "jobs.Periodic"
	}
	return ""
}

func isSel(expr ast.Expr, pkg, name string) bool {
	sel, ok := expr.(*ast.SelectorExpr)
	return ok && isIdent(sel.X, pkg) && sel.Sel.Name == name
}

func isIdent(expr ast.Expr, name string) bool {
	id, ok := expr.(*ast.Ident)
	return ok && id.Name == name
}
