package documents

import (
	"io/fs"
	"os"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

// TestRegistry checks the registry against the platform set: every type has a platform
// template, every template names a type, and a broken set or definition is refused, named.
func TestRegistry(t *testing.T) {
	t.Parallel()
	r := types()
	if len(r.list) != len(Types()) {
		t.Fatalf("%d types registered, %d defined", len(r.list), len(Types()))
	}
	for _, ti := range r.list {
		if len(r.platform[ti.Type]) == 0 {
			t.Errorf("%s has no platform template", ti.Type)
		}
	}
	for typ := range r.platform {
		if _, ok := r.byType[typ]; !ok {
			t.Errorf("platform templates of %s, which is not a type", typ)
		}
	}
	one := func() []*TypeInfo {
		return []*TypeInfo{{Type: TypeDemandNotice, Name: msg("催告书", "demand notice"), Fields: common(fFacts), Required: []Requirement{rParty}}}
	}
	good := fstest.MapFS{"platform/demand_notice.v1.html": {Data: []byte("<p>{{.party.name}}</p>")}}
	if _, err := newRegistry(one(), good); err != nil {
		t.Fatalf("a sound set: %v", err)
	}
	twice := append(one(), one()...)
	undeclared := one()
	undeclared[0].Required = append(undeclared[0].Required, req("penalty.text", "处罚", "penalty", "", true))
	cases := []struct {
		name string
		defs []*TypeInfo
		fsys fstest.MapFS
		want string
	}{
		{"a file not named <type>.v<N>.html", one(), fstest.MapFS{"platform/demand_notice.v1.html": {}, "platform/x.txt": {}}, "x.txt is not named"},
		{"a type without its template", one(), fstest.MapFS{"platform": {Mode: fs.ModeDir | 0o755}}, "no platform template for demand_notice"},
		{"a template of no type", one(), fstest.MapFS{"platform/demand_notice.v1.html": {}, "platform/ghost.v1.html": {}}, "ghost.v1.html has no type"},
		{"a type defined twice", twice, good, "defined twice: demand_notice"},
		{"an undeclared required field", undeclared, good, "undeclared field penalty.text"},
	}
	for _, c := range cases {
		if _, err := newRegistry(c.defs, c.fsys); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error saying %q", c.name, err, c.want)
		}
	}
}

// TestDocListsTypes checks the list of types in doc.go against Types: the same types, in the
// same order, with their Chinese names.
func TestDocListsTypes(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, m := range regexp.MustCompile(`(?m)^//\t([a-z_]+) +(\S+)$`).FindAllStringSubmatch(string(b), -1) {
		listed = append(listed, m[1]+" "+m[2])
	}
	var defined []string
	for _, ti := range Types() {
		defined = append(defined, string(ti.Type)+" "+ti.Name.ZH)
	}
	if strings.Join(listed, "\n") != strings.Join(defined, "\n") {
		t.Errorf("doc.go lists\n%s\nTypes defines\n%s", strings.Join(listed, "\n"), strings.Join(defined, "\n"))
	}
}

// TestTypeName names a document type in Chinese, and an unknown one as it is.
func TestTypeName(t *testing.T) {
	t.Parallel()
	for typ, want := range map[Type]string{TypePenaltyDecision: "行政处罚决定书", TypeDemandNotice: "催告书",
		TypeFiscalReceipt: "财政电子票据", "unknown_kind": "unknown_kind"} {
		if got := typ.Name(); got != want {
			t.Errorf("%s.Name() = %s, want %s", typ, got, want)
		}
	}
}
