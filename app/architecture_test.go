package app_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// The direction of the dependencies (issue 10, "dependency direction"): the case engine
// (modules/cases) is at the centre and imports none of the modules that consume it; a consumer
// may publish a task contract (a leaf package modules/<m>/<x>task with a task type and its
// payload) that the engine writes to, and such a contract depends on nothing but the jobs,
// tenants and config packages and the shared kernel; the shared kernel (modules/kernel/*)
// imports no bounded context.

const (
	casesPkg  = "zhifa/modules/cases"
	kernelDir = "zhifa/modules/kernel"
)

// consumers are the modules built on the case engine: the engine imports none of them.
var consumers = []string{"portal", "payments", "delivery", "console", "identity", "disclosure", "supervision", "exchange"}

// contractImports are what a task contract may import of this module, beside the kernel.
var contractImports = []string{"zhifa/jobs", "zhifa/tenants", "zhifa/config"}

// goPackage is a package of the module's build graph as go list describes it.
type goPackage struct {
	ImportPath string
	Imports    []string
	Standard   bool
}

// TestArchitecture checks the module's packages, as go list reports them, against the import
// rules.
func TestArchitecture(t *testing.T) {
	graph := listPackages(t)
	for _, must := range []string{casesPkg, kernelDir + "/errs", kernelDir + "/authz"} {
		if _, ok := graph[must]; !ok {
			t.Fatalf("go list does not report %s: the rules below would check nothing", must)
		}
	}
	t.Run("the case engine imports none of its consumers", func(t *testing.T) {
		for _, v := range engineViolations(graph) {
			t.Error(v)
		}
	})
	t.Run("task contracts are leaves", func(t *testing.T) {
		for _, v := range contractViolations(graph) {
			t.Error(v)
		}
	})
	t.Run("the kernel imports no bounded context", func(t *testing.T) {
		for _, v := range kernelViolations(graph) {
			t.Error(v)
		}
	})
}

// TestArchitectureRules shows the rules catch what they forbid, on a made-up graph, naming the
// offending import path and how the engine reaches it.
func TestArchitectureRules(t *testing.T) {
	graph := map[string]*goPackage{
		casesPkg:                                    {ImportPath: casesPkg, Imports: []string{"context", "zhifa/modules/rules", "zhifa/modules/delivery/deliverytask"}},
		"zhifa/modules/rules":                       {ImportPath: "zhifa/modules/rules", Imports: []string{"zhifa/modules/portal"}},
		"zhifa/modules/portal":                      {ImportPath: "zhifa/modules/portal"},
		"zhifa/modules/delivery/deliverytask":       {ImportPath: "zhifa/modules/delivery/deliverytask", Imports: []string{"zhifa/jobs", "zhifa/modules/kernel/civil", "zhifa/modules/elements"}},
		"zhifa/modules/supervision/supervisiontask": {ImportPath: "zhifa/modules/supervision/supervisiontask", Imports: []string{"zhifa/tenants", "zhifa/config"}},
		"zhifa/modules/payments/refunds":            {ImportPath: "zhifa/modules/payments/refunds"},
		"zhifa/modules/kernel/errs":                 {ImportPath: "zhifa/modules/kernel/errs", Imports: []string{"fmt", "github.com/google/uuid"}},
		"zhifa/modules/kernel/authz":                {ImportPath: "zhifa/modules/kernel/authz", Imports: []string{"zhifa/modules/kernel/errs", "zhifa/tenants"}},
		"context":                                   {ImportPath: "context", Standard: true},
	}
	graph[casesPkg].Imports = append(graph[casesPkg].Imports, "zhifa/modules/payments/refunds")
	for _, c := range []struct {
		name  string
		got   []string
		wants []string
	}{
		{"engine", engineViolations(graph), []string{
			"zhifa/modules/cases → zhifa/modules/payments/refunds",
			"zhifa/modules/cases → zhifa/modules/rules → zhifa/modules/portal"}},
		{"contracts", contractViolations(graph), []string{"zhifa/modules/delivery/deliverytask imports zhifa/modules/elements"}},
		{"kernel", kernelViolations(graph), []string{"zhifa/modules/kernel/authz imports zhifa/tenants"}},
	} {
		if len(c.got) != len(c.wants) {
			t.Errorf("%s: %d violations %q, want %d", c.name, len(c.got), c.got, len(c.wants))
			continue
		}
		for i, want := range c.wants {
			if !strings.Contains(c.got[i], want) {
				t.Errorf("%s: violation %q does not name %q", c.name, c.got[i], want)
			}
		}
	}
}

// listPackages runs go list over the module and returns every package it builds on, by path.
func listPackages(t *testing.T) map[string]*goPackage {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the import rules need the go command: %v", err)
	}
	var stderr bytes.Buffer
	cmd := exec.Command(goBin, "list", "-deps", "-json=ImportPath,Imports,Standard", "zhifa/...")
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	graph := map[string]*goPackage{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		p := new(goPackage)
		if err := dec.Decode(p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("go list output: %v", err)
		}
		graph[p.ImportPath] = p
	}
	return graph
}

// engineViolations names each consumer package the case engine depends on, directly or not, other
// than a task contract, with the chain of imports that reaches it.
func engineViolations(graph map[string]*goPackage) []string {
	var out []string
	from := map[string]string{casesPkg: ""}
	queue := []string{casesPkg}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if consumerPackage(p) && !contractPackage(p) {
			out = append(out, "the case engine depends on its consumer "+p+": "+chain(from, p))
			continue
		}
		if graph[p] == nil {
			continue
		}
		for _, imp := range graph[p].Imports {
			if _, seen := from[imp]; !seen {
				from[imp] = p
				queue = append(queue, imp)
			}
		}
	}
	slices.Sort(out)
	return out
}

// chain is how the engine reaches p, from the breadth-first search's parents.
func chain(from map[string]string, p string) string {
	path := []string{p}
	for q := from[p]; q != ""; q = from[q] {
		path = append(path, q)
	}
	slices.Reverse(path)
	return strings.Join(path, " → ")
}

// contractViolations names each import of a task contract beyond jobs, tenants, config and the
// kernel.
func contractViolations(graph map[string]*goPackage) []string {
	var out []string
	for path, p := range graph {
		if !contractPackage(path) {
			continue
		}
		for _, imp := range p.Imports {
			if ownPackage(imp) && !slices.Contains(contractImports, imp) && !kernelPackage(imp) {
				out = append(out, "the task contract "+path+" imports "+imp+": a contract depends only on jobs, tenants, config and modules/kernel/*")
			}
		}
	}
	slices.Sort(out)
	return out
}

// kernelViolations names each import of a kernel package from this module outside the kernel.
func kernelViolations(graph map[string]*goPackage) []string {
	var out []string
	for path, p := range graph {
		if !kernelPackage(path) {
			continue
		}
		for _, imp := range p.Imports {
			if ownPackage(imp) && !kernelPackage(imp) {
				out = append(out, "the kernel package "+path+" imports "+imp+": the kernel imports only the kernel, the standard library and third-party modules")
			}
		}
	}
	slices.Sort(out)
	return out
}

// ownPackage reports whether p is a package of this module.
func ownPackage(p string) bool { return p == "zhifa" || strings.HasPrefix(p, "zhifa/") }

// kernelPackage reports whether p is under modules/kernel.
func kernelPackage(p string) bool { return strings.HasPrefix(p, kernelDir+"/") }

// consumerPackage reports whether p is a consumer module or one of its packages.
func consumerPackage(p string) bool {
	return slices.ContainsFunc(consumers, func(m string) bool {
		base := "zhifa/modules/" + m
		return p == base || strings.HasPrefix(p, base+"/")
	})
}

// contractPackage reports whether p is a task contract: zhifa/modules/<m>/<x>task, a direct child
// of a module.
func contractPackage(p string) bool {
	rest, ok := strings.CutPrefix(p, "zhifa/modules/")
	if !ok {
		return false
	}
	m, name, ok := strings.Cut(rest, "/")
	return ok && m != "kernel" && !strings.Contains(name, "/") && strings.HasSuffix(name, "task") && name != "task"
}
