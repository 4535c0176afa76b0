package documents

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"zhifa/modules/documents/internal/sandbox"
	"zhifa/modules/documents/internal/typeset"
	"zhifa/modules/kernel/errs"
)

// The platform template set: platform/<type>.v<N>.html. A shipped version is never edited: a
// change is a new file with the next N, so that documents pinned to an old version re-render
// from the same source (the document also keeps the source's SHA-256 and re-rendering checks it).

//go:embed platform/*.html
var platformFS embed.FS

// platformTemplate is one version of a platform template.
type platformTemplate struct {
	Type    Type
	Version int
	Source  string
	SHA256  string
}

// Ref is how a document pins it.
func (p platformTemplate) Ref() string { return platformRef(p.Type, p.Version) }

func platformRef(t Type, v int) string { return "platform:" + string(t) + ":" + strconv.Itoa(v) }

var platformName = regexp.MustCompile(`^([a-z_]+)\.v([0-9]+)\.html$`)

// loadPlatform reads the platform set of fsys (platform/<type>.v<N>.html), each type's versions
// in order. A file not so named or of no type, or a type without one, is an error.
func loadPlatform(fsys fs.FS, types map[Type]*TypeInfo) (map[Type][]platformTemplate, error) {
	out := map[Type][]platformTemplate{}
	err := fs.WalkDir(fsys, "platform", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		m := platformName.FindStringSubmatch(path.Base(p))
		if m == nil {
			return fmt.Errorf("documents: platform template %s is not named <type>.v<N>.html", p)
		}
		t := Type(m[1])
		if _, ok := types[t]; !ok {
			return fmt.Errorf("documents: platform template %s has no type", p)
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		v, _ := strconv.Atoi(m[2])
		out[t] = append(out[t], platformTemplate{Type: t, Version: v, Source: string(b), SHA256: sha256Hex(b)})
		return nil
	})
	if err != nil {
		return nil, err
	}
	for t := range types {
		vs := out[t]
		if len(vs) == 0 {
			return nil, fmt.Errorf("documents: no platform template for %s", t)
		}
		sort.Slice(vs, func(i, j int) bool { return vs[i].Version < vs[j].Version })
	}
	return out, nil
}

// latestPlatform returns the current platform template of a type.
func latestPlatform(t Type) platformTemplate {
	vs := types().platform[t]
	return vs[len(vs)-1]
}

// findPlatform returns a platform template by its ref.
func findPlatform(ref string) (platformTemplate, bool) {
	parts := strings.Split(ref, ":")
	if len(parts) != 3 || parts[0] != "platform" {
		return platformTemplate{}, false
	}
	v, err := strconv.Atoi(parts[2])
	if err != nil {
		return platformTemplate{}, false
	}
	for _, p := range types().platform[Type(parts[1])] {
		if p.Version == v {
			return p, true
		}
	}
	return platformTemplate{}, false
}

func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// canonical turns data (maps, slices and values of any Go types) into JSON values, completes
// the declared fields with empty values, and returns both the value and its canonical JSON (map
// keys sorted), which is what a document stores and renders from.
func canonical(ti *TypeInfo, data map[string]any) (map[string]any, []byte, error) {
	raw, err := json.Marshal(data)
	if err != nil {
		return nil, nil, errs.E(errs.Invalid, "文书数据无法编码", "the document data cannot be encoded").WithCause(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		m = map[string]any{}
	}
	complete(ti.Fields, m)
	out, err := json.Marshal(m)
	if err != nil {
		return nil, nil, err
	}
	// decode again, so that rendering sees exactly what a re-rendering from the stored JSON sees
	var back map[string]any
	if err := json.Unmarshal(out, &back); err != nil {
		return nil, nil, err
	}
	return back, out, nil
}

// complete adds the declared fields missing from m, with empty values.
func complete(fields []Field, m map[string]any) {
	for _, f := range fields {
		v, ok := m[f.Name]
		switch f.Kind {
		case KindText:
			if !ok || v == nil {
				m[f.Name] = ""
			}
		case KindNumber:
			if !ok || v == nil {
				m[f.Name] = 0.0
			}
		case KindBool:
			if !ok || v == nil {
				m[f.Name] = false
			}
		case KindObject:
			sub, isMap := v.(map[string]any)
			if !isMap {
				sub = map[string]any{}
				m[f.Name] = sub
			}
			complete(f.Fields, sub)
		case KindList:
			items, isList := v.([]any)
			if !isList {
				items = []any{}
				m[f.Name] = items
			}
			if len(f.Fields) > 0 {
				for i, it := range items {
					sub, isMap := it.(map[string]any)
					if !isMap {
						sub = map[string]any{}
						items[i] = sub
					}
					complete(f.Fields, sub)
				}
			}
		}
	}
}

// valueAt returns the value at a dotted path of data.
func valueAt(data map[string]any, path string) any {
	var cur any = data
	for _, p := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[p]
	}
	return cur
}

// missingValues names the required items without a value in data.
func missingValues(ti *TypeInfo, data map[string]any) []errs.FieldError {
	var out []errs.FieldError
	for _, r := range ti.Required {
		if r.Value && r.Ref != refSeal && sandbox.Empty(valueAt(data, r.Ref)) {
			out = append(out, errs.Field(r.Ref, "缺少数据："+r.Title.ZH, "no data for: "+r.Title.EN))
		}
	}
	return out
}

// rendering is a document rendered from a template and data.
type rendering struct {
	tree *typeset.Elem
	html string
	pdf  []byte
}

// render executes a program on data (canonical) and renders its markup to HTML and, with meta,
// to PDF.
func render(ctx context.Context, p *Program, data map[string]any, images *typeset.Assets, meta *typeset.Meta, lim Limits) (*rendering, error) {
	out, err := p.Execute(ctx, data, lim)
	if err != nil {
		return nil, err
	}
	tree, err := parseMarkup(out)
	if err != nil {
		return nil, err
	}
	r := &rendering{tree: tree, html: documentHTML(tree, images, meta != nil && meta.Preview)}
	if meta != nil {
		if r.pdf, err = typeset.WritePDF(tree, images, *meta); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// parseMarkup parses a template's output as document markup; a refusal is Invalid, naming the
// source.
func parseMarkup(out string) (*typeset.Elem, error) {
	tree, err := typeset.Parse(out)
	var me *typeset.Error
	if errors.As(err, &me) {
		return nil, errs.E(errs.Invalid, "模板输出不符合文书格式："+me.ZH, "the template's output is not document markup: "+me.EN).
			WithFields(errs.Field("source", me.ZH, me.EN))
	}
	return tree, err
}

// documentHTML wraps a document's markup for the console and the HTML download.
func documentHTML(tree *typeset.Elem, images *typeset.Assets, preview bool) string {
	var b strings.Builder
	b.WriteString(`<article class="zdoc`)
	if preview {
		b.WriteString(` zdoc-preview`)
	}
	b.WriteString(`">`)
	for _, k := range tree.Kids {
		typeset.WriteHTML(&b, k, images)
	}
	b.WriteString(`</article>`)
	return b.String()
}

// Validate checks a template's source for its type the way saving and publishing do: it must
// compile (see Compile), run on the type's sample data within the limits, produce document
// markup, show the seal if the type is sealed, print the sample value of every required text
// item (so that an item hidden behind {{if false}} is caught too), and read as a legal document
// reads (Proofread: no marks run together, no doubled clause, no digest, file name, template
// syntax, identifier or empty field), naming the template line of each defect.
func Validate(ctx context.Context, ti *TypeInfo, src string, lim Limits) (*Program, error) {
	p, err := Compile(ti, src)
	if err != nil {
		return nil, err
	}
	data, _, err := canonical(ti, ti.Sample)
	if err != nil {
		return nil, err
	}
	r, err := render(ctx, p, data, &typeset.Assets{}, nil, lim)
	if err != nil {
		return nil, err
	}
	var missing []errs.FieldError
	text := typeset.PlainText(r.tree)
	for _, req := range ti.Required {
		if req.Ref == refSeal {
			if !typeset.HasImage(r.tree, typeset.SrcSeal) {
				missing = append(missing, missingField(req))
			}
			continue
		}
		s, ok := valueAt(data, req.Ref).(string)
		if !ok || len([]rune(s)) < 2 {
			continue
		}
		if !strings.Contains(text, strings.Join(strings.Fields(Clause(s)), " ")) { // a template may close a clause with its own mark
			f := missingField(req)
			f.Message.ZH += "（模板引用了该字段，但示例数据的值没有出现在输出中）"
			f.Message.EN += " (the template refers to it, but the sample value does not appear in the output)"
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		return nil, missingError(ti, missing)
	}
	if ds := proofread(r.tree, src); len(ds) > 0 {
		return nil, proofreadError(ti, ds)
	}
	return p, nil
}

// PlatformSource returns the source of a type's current platform template.
func PlatformSource(t Type) (string, bool) {
	if _, ok := Lookup(t); !ok {
		return "", false
	}
	return latestPlatform(t).Source, true
}

// Complete returns data as a document renders it: JSON values only, with every field the type
// declares present (empty when the data has none).
func Complete(ti *TypeInfo, data map[string]any) (map[string]any, error) {
	m, _, err := canonical(ti, data)
	return m, err
}

// Merge returns base with over laid on it, objects merged key by key: to build a document's
// data from a type's sample or from parts.
func Merge(base, over map[string]any) map[string]any { return merge(base, over) }
