package app_test

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"zhifa/app"
	"zhifa/modules/cases"
	"zhifa/modules/disclosure"
	"zhifa/modules/documents"
	"zhifa/modules/elements"
	"zhifa/modules/identity"
	"zhifa/modules/payments"
	"zhifa/modules/portal"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

// moduleSettings are the settings of each package that defines some, by package.
var moduleSettings = map[string][]tenants.SettingDef{
	"tenants": tenants.Settings(), "rules": rules.Settings(), "elements": elements.Settings(), "cases": cases.Settings(),
	"documents": documents.Settings(), "payments": payments.Settings(), "portal": portal.Settings(), "identity": identity.Settings(),
	"disclosure": disclosure.Settings(),
}

// registered returns the settings the platform's tenancy service knows, by key.
func registered(t *testing.T) map[string]tenants.SettingDef {
	t.Helper()
	out := map[string]tenants.SettingDef{}
	for _, d := range tenants.NewService(nil, app.Settings()...).SettingDefs() {
		out[d.Key] = d
	}
	return out
}

// TestPlatformRegistersEveryModulesSettings: the tenancy service app builds knows each module's
// settings, and no others.
func TestPlatformRegistersEveryModulesSettings(t *testing.T) {
	t.Parallel()
	reg := registered(t)
	n := 0
	for mod, defs := range moduleSettings {
		for _, d := range defs {
			n++
			if _, ok := reg[d.Key]; !ok {
				t.Errorf("%s defines %s, which the platform does not register", mod, d.Key)
			}
		}
	}
	if len(reg) != n {
		t.Errorf("the platform registers %d settings, the modules define %d", len(reg), n)
	}
}

// TestReadmeListsEverySetting keeps README's table of settings equal to the registry: one row per
// setting, with its module, kind, default and meaning.
func TestReadmeListsEverySetting(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	start := strings.Index(readme, "## Tenant settings")
	if start < 0 {
		t.Fatal("README has no section Tenant settings")
	}
	section := readme[start+len("## Tenant settings"):]
	if end := strings.Index(section, "\n## "); end >= 0 {
		section = section[:end]
	}
	var listed []string
	for _, line := range strings.Split(section, "\n") {
		if strings.HasPrefix(line, "| `") {
			listed = append(listed, line)
		}
	}
	var want []string
	for mod, defs := range moduleSettings {
		for _, d := range defs {
			def, _ := json.Marshal(d.Default)
			want = append(want, fmt.Sprintf("| `%s` | %s | %s | `%s` | %s |", d.Key, mod, d.Kind, def, d.Title.EN))
		}
	}
	slices.Sort(want)
	for _, w := range want {
		if !slices.Contains(listed, w) {
			t.Errorf("README does not list\n\t%s", w)
		}
	}
	for _, l := range listed {
		if !slices.Contains(want, l) {
			t.Errorf("README lists a setting the registry does not define so\n\t%s", l)
		}
	}
	if !slices.IsSorted(listed) {
		t.Error("README's settings are not in key order")
	}
}

// unresolvedReads are the setting reads whose key is not a constant, and what checks them.
var unresolvedReads = map[string]string{
	"modules/rules/engine.go: r.SettingKey": "a catalogue rule's setting: rules' TestEveryRuleSettingIsDefined",
}

// TestEverySettingReadIsDefined reads the platform's source: every key passed to SettingValue or
// SecretValue (directly, or through a function that passes its parameter on), and every
// package-level constant named Setting… or Key… whose value has a setting key's form, is a
// registered setting.
func TestEverySettingReadIsDefined(t *testing.T) {
	t.Parallel()
	reg := registered(t)
	src := parseSource(t, "..", "modules", "tenants", "jobs", "app")
	seen, n := map[string]bool{}, 0
	check := func(where, key string) {
		n++
		if _, ok := reg[key]; !ok {
			t.Errorf("%s: %q is not a registered setting", where, key)
		}
	}
	for _, read := range src.settingReads(t) {
		keys, ok := src.resolve(read.pkg, read.file, read.fn, read.key, 0)
		if !ok {
			site := read.file.name + ": " + exprString(read.key)
			if _, known := unresolvedReads[site]; !known {
				t.Errorf("%s (%s): the setting's key is not a constant", site, read.pos)
			}
			seen[site] = true
			continue
		}
		for _, k := range keys {
			check(read.pos, k)
		}
	}
	for site := range unresolvedReads {
		if !seen[site] {
			t.Errorf("unresolvedReads names %s, which reads no setting any more", site)
		}
	}
	keyForm := regexp.MustCompile(`^[a-z]+\.[a-z_]+$`)
	keyName := regexp.MustCompile(`^(Setting|Key)[A-Z]`)
	for pkg, consts := range src.consts {
		if strings.Contains(pkg, "/kernel/") {
			continue
		}
		for name, c := range consts {
			if c.expr == nil && c.untyped && keyName.MatchString(name) && keyForm.MatchString(c.value) {
				check(pkg+"."+name, c.value)
			}
		}
	}
	if n < 20 {
		t.Fatalf("only %d setting keys found: the source was not read", n)
	}
}

// source is the parsed Go source of the platform (tests excluded), by package path.
type source struct {
	fset   *token.FileSet
	files  map[string][]*srcFile           // by package path
	consts map[string]map[string]constDecl // by package path and name
}

type srcFile struct {
	name    string // relative to the repository
	ast     *ast.File
	imports map[string]string // local name -> package path
}

// constDecl is a package-level string constant: its value, or the expression (another
// constant) it is defined as, in file.
type constDecl struct {
	value   string
	untyped bool
	expr    ast.Expr
	file    *srcFile
}

// read is one call that reads a setting: its key expression, in fn of file.
type read struct {
	pkg  string
	file *srcFile
	fn   *ast.FuncDecl
	key  ast.Expr
	pos  string
}

func parseSource(t *testing.T, root string, dirs ...string) *source {
	t.Helper()
	s := &source{fset: token.NewFileSet(), files: map[string][]*srcFile{}, consts: map[string]map[string]constDecl{}}
	for _, dir := range dirs {
		err := filepath.WalkDir(filepath.Join(root, dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
				return err
			}
			f, err := parser.ParseFile(s.fset, p, nil, 0)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			rel = filepath.ToSlash(rel)
			pkg := "zhifa/" + path.Dir(rel)
			sf := &srcFile{name: rel, ast: f, imports: map[string]string{}}
			for _, im := range f.Imports {
				ip, _ := strconv.Unquote(im.Path.Value)
				name := path.Base(ip)
				if im.Name != nil {
					name = im.Name.Name
				}
				sf.imports[name] = ip
			}
			s.files[pkg] = append(s.files[pkg], sf)
			s.collectConsts(pkg, sf)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// collectConsts records the package-level constants of f: the string literals' values, and the
// expressions of the others (resolve follows them).
func (s *source) collectConsts(pkg string, f *srcFile) {
	if s.consts[pkg] == nil {
		s.consts[pkg] = map[string]constDecl{}
	}
	for _, d := range f.ast.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, spec := range g.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, n := range vs.Names {
				if i >= len(vs.Values) {
					continue
				}
				c := constDecl{untyped: vs.Type == nil, expr: vs.Values[i], file: f}
				if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					c.value, c.expr = strings.Trim(lit.Value, "`\""), nil
				}
				s.consts[pkg][n.Name] = c
			}
		}
	}
}

// lookups are the methods that read a setting, with the index of their key argument.
var lookups = map[string]int{"SettingValue": 4, "SecretValue": 4}

// settingReads finds every call reading a setting: the lookups, and the functions that pass a
// parameter on to one as its key (and so on), with the argument at the caller.
func (s *source) settingReads(t *testing.T) []read {
	t.Helper()
	type wrapper struct {
		pkg, name string
	}
	calls := map[wrapper]int{} // function -> key argument index
	for name, i := range lookups {
		calls[wrapper{"", name}] = i
	}
	var out []read
	for round := 0; ; round++ {
		if round > 5 {
			t.Fatal("setting lookups wrapped too deep")
		}
		out = nil
		added := false
		for pkg, files := range s.files {
			for _, f := range files {
				for _, d := range f.ast.Decls {
					fn, ok := d.(*ast.FuncDecl)
					if !ok || fn.Body == nil {
						continue
					}
					ast.Inspect(fn.Body, func(n ast.Node) bool {
						call, ok := n.(*ast.CallExpr)
						if !ok {
							return true
						}
						name := ""
						switch f := call.Fun.(type) {
						case *ast.SelectorExpr:
							name = f.Sel.Name
						case *ast.Ident:
							name = f.Name
						}
						i, ok := calls[wrapper{"", name}]
						if !ok {
							i, ok = calls[wrapper{pkg, name}]
						}
						if !ok || i >= len(call.Args) {
							return true
						}
						key := call.Args[i]
						if id, isID := key.(*ast.Ident); isID {
							if p := paramIndex(fn, id.Name); p >= 0 {
								w := wrapper{pkg, fn.Name.Name}
								if _, known := calls[w]; !known {
									calls[w], added = p, true
								}
								return true
							}
						}
						out = append(out, read{pkg: pkg, file: f, fn: fn, key: key, pos: s.fset.Position(call.Pos()).String()})
						return true
					})
				}
			}
		}
		if !added {
			return out
		}
	}
}

// paramIndex returns the position of the parameter named name of fn, or -1.
func paramIndex(fn *ast.FuncDecl, name string) int {
	i := 0
	for _, field := range fn.Type.Params.List {
		for _, n := range field.Names {
			if n.Name == name {
				return i
			}
			i++
		}
	}
	return -1
}

// resolve returns the values a key expression in fn may take: a literal, a constant (of the
// package or an imported one), or a local variable assigned from those.
func (s *source) resolve(pkg string, f *srcFile, fn *ast.FuncDecl, e ast.Expr, depth int) ([]string, bool) {
	if depth > 5 {
		return nil, false
	}
	switch x := e.(type) {
	case *ast.BasicLit:
		v, err := strconv.Unquote(x.Value)
		return []string{v}, err == nil
	case *ast.Ident:
		if c, ok := s.consts[pkg][x.Name]; ok {
			return s.constValue(pkg, c, depth)
		}
		if fn == nil {
			return nil, false
		}
		var out []string
		ok := false
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			as, isAssign := n.(*ast.AssignStmt)
			if !isAssign || len(as.Lhs) != len(as.Rhs) {
				return true
			}
			for i, l := range as.Lhs {
				if id, isID := l.(*ast.Ident); isID && id.Name == x.Name {
					v, resolved := s.resolve(pkg, f, fn, as.Rhs[i], depth+1)
					if !resolved {
						return false
					}
					out, ok = append(out, v...), true
				}
			}
			return true
		})
		return out, ok
	case *ast.SelectorExpr:
		if id, ok := x.X.(*ast.Ident); ok {
			if ip, imported := f.imports[id.Name]; imported {
				if c, ok := s.consts[ip][x.Sel.Name]; ok {
					return s.constValue(ip, c, depth)
				}
			}
		}
	}
	return nil, false
}

// constValue returns the value of constant c of pkg.
func (s *source) constValue(pkg string, c constDecl, depth int) ([]string, bool) {
	if c.expr == nil {
		return []string{c.value}, true
	}
	return s.resolve(pkg, c.file, nil, c.expr, depth+1)
}

// exprString renders a key expression for a message.
func exprString(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.Ident:
		return x.Name
	case *ast.SelectorExpr:
		return exprString(x.X) + "." + x.Sel.Name
	}
	return fmt.Sprintf("%T", e)
}

// TestConsoleNamesTheEnginesSteps: the staff console's titles name only actions the case engine
// defines (and create, a case's first event), and its field actions are the steps defined as
// field steps.
func TestConsoleNamesTheEnginesSteps(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../modules/console/static/casekit.js")
	if err != nil {
		t.Fatal(err)
	}
	js := string(raw)
	block := func(start string) string {
		i := strings.Index(js, start)
		if i < 0 {
			t.Fatalf("casekit.js has no %s", start)
		}
		j := strings.Index(js[i:], "];\n")
		if start == "ZC.actions = {" {
			j = strings.Index(js[i:], "};\n")
		}
		return js[i : i+j]
	}
	steps := map[cases.Action]cases.Step{cases.ActCreate: {Action: cases.ActCreate}}
	var field []string
	for _, s := range cases.Steps() {
		steps[s.Action] = s
		if s.Field {
			field = append(field, string(s.Action))
		}
	}
	titled := regexp.MustCompile(`(?m)(?:^|[{,]\s*)([a-z_]+): \[`).FindAllStringSubmatch(block("ZC.actions = {"), -1)
	if len(titled) < 40 {
		t.Fatalf("read %d titles from casekit.js", len(titled))
	}
	for _, m := range titled {
		if _, ok := steps[cases.Action(m[1])]; !ok {
			t.Errorf("casekit.js titles %s, which the engine does not define", m[1])
		}
	}
	var listed []string
	for _, m := range regexp.MustCompile(`'([a-z_]+)'`).FindAllStringSubmatch(block("ZC.fieldActions = ["), -1) {
		listed = append(listed, m[1])
	}
	slices.Sort(listed)
	slices.Sort(field)
	if !slices.Equal(listed, field) {
		t.Errorf("casekit.js field actions %v, the engine's field steps %v", listed, field)
	}
}
