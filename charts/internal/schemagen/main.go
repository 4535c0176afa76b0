// Command schemagen turns the Kubernetes OpenAPI v2 spec (api/openapi-spec/swagger.json
// in the k8s.io/kubernetes module) into standalone, strict JSON schemas that
// kubeconform can load from a local directory, one file per kind and version:
//
//	deployment-apps-v1.json, service-v1.json, ingress-networking-v1.json, ...
//
// which matches kubeconform's schema-location template
// "DIR/{{ .ResourceKind }}{{ .KindSuffix }}.json".
//
// Each file is self-contained: the definitions a kind refers to are copied into
// the file's own "definitions" section and every $ref points there, so nothing
// is fetched at validation time and recursive types (JSONSchemaProps) still
// work. Strict means objects reject properties that the spec does not declare,
// unless the spec says unknown fields are preserved. As in the usual Kubernetes
// JSON schemas, optional scalar fields accept null, int-or-string fields accept
// both, and resource quantities accept strings and numbers.
//
// Usage: go run ./charts/internal/schemagen -in swagger.json -out DIR
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

const refPrefix = "#/definitions/"

const (
	quantityDef    = "io.k8s.apimachinery.pkg.api.resource.Quantity"
	intOrStringDef = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"
)

type gvk struct {
	Group   string `json:"group"`
	Version string `json:"version"`
	Kind    string `json:"kind"`
}

func (g gvk) apiVersion() string {
	if g.Group == "" {
		return g.Version
	}
	return g.Group + "/" + g.Version
}

// fileName follows kubeconform's naming: lower-case kind, then "-" and the
// first dot-separated part of the group (if any), then "-" and the version.
func (g gvk) fileName() string {
	suffix := "-" + strings.ToLower(g.Version)
	if g.Group != "" {
		suffix = "-" + strings.ToLower(strings.Split(g.Group, ".")[0]) + suffix
	}
	return strings.ToLower(g.Kind) + suffix + ".json"
}

func main() {
	in := flag.String("in", "", "path of the Kubernetes swagger.json")
	out := flag.String("out", "", "directory to write the schemas to")
	flag.Parse()
	if *in == "" || *out == "" {
		flag.Usage()
		os.Exit(2)
	}
	n, err := run(*in, *out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "schemagen:", err)
		os.Exit(1)
	}
	fmt.Printf("schemagen: wrote %d schemas to %s\n", n, *out)
}

func run(in, out string) (int, error) {
	raw, err := os.ReadFile(in)
	if err != nil {
		return 0, err
	}
	var spec struct {
		Definitions map[string]map[string]any `json:"definitions"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&spec); err != nil {
		return 0, fmt.Errorf("%s: %w", in, err)
	}
	if len(spec.Definitions) == 0 {
		return 0, fmt.Errorf("%s: no definitions", in)
	}

	defs := make(map[string]any, len(spec.Definitions))
	for name, d := range spec.Definitions {
		defs[name] = convertDefinition(name, d)
	}

	if err := os.MkdirAll(out, 0o755); err != nil {
		return 0, err
	}
	names := make([]string, 0, len(spec.Definitions))
	for name := range spec.Definitions {
		names = append(names, name)
	}
	sort.Strings(names)

	written := map[string]string{}
	for _, name := range names {
		kinds, err := groupVersionKinds(spec.Definitions[name])
		if err != nil {
			return 0, fmt.Errorf("%s: %w", name, err)
		}
		for _, k := range kinds {
			file := k.fileName()
			if prev, dup := written[file]; dup {
				// The same kind described twice: keep the first (sorted) one.
				fmt.Fprintf(os.Stderr, "schemagen: %s: already written from %s, skipping %s\n", file, prev, name)
				continue
			}
			doc := standalone(name, k, defs)
			b, err := marshal(doc)
			if err != nil {
				return 0, fmt.Errorf("%s: %w", name, err)
			}
			if err := os.WriteFile(filepath.Join(out, file), b, 0o644); err != nil {
				return 0, err
			}
			written[file] = name
		}
	}
	if len(written) == 0 {
		return 0, fmt.Errorf("%s: no definition carries x-kubernetes-group-version-kind", in)
	}
	return len(written), nil
}

func groupVersionKinds(def map[string]any) ([]gvk, error) {
	v, ok := def["x-kubernetes-group-version-kind"]
	if !ok {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out []gvk
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, fmt.Errorf("x-kubernetes-group-version-kind: %w", err)
	}
	return out, nil
}

// standalone builds the schema file for one kind: the kind's own schema at the
// root, apiVersion and kind pinned, plus every definition it reaches.
func standalone(name string, k gvk, defs map[string]any) map[string]any {
	root := deepCopy(defs[name]).(map[string]any)
	if props, ok := root["properties"].(map[string]any); ok {
		if _, ok := props["apiVersion"]; ok {
			props["apiVersion"] = map[string]any{"type": "string", "enum": []any{k.apiVersion()}}
		}
		if _, ok := props["kind"]; ok {
			props["kind"] = map[string]any{"type": "string", "enum": []any{k.Kind}}
		}
	}

	reached := map[string]bool{}
	var visit func(any)
	visit = func(n any) {
		switch v := n.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok && strings.HasPrefix(ref, refPrefix) {
				target := strings.TrimPrefix(ref, refPrefix)
				if !reached[target] {
					reached[target] = true
					visit(defs[target])
				}
			}
			for _, c := range v {
				visit(c)
			}
		case []any:
			for _, c := range v {
				visit(c)
			}
		}
	}
	visit(root)

	if len(reached) > 0 {
		section := make(map[string]any, len(reached))
		for target := range reached {
			d, ok := defs[target]
			if !ok {
				// Unknown reference: accept anything rather than fail to load.
				d = map[string]any{}
			}
			section[target] = d
		}
		root["definitions"] = section
	}
	root["$schema"] = "http://json-schema.org/draft-07/schema#"
	return root
}

// convertDefinition converts one named definition.
func convertDefinition(name string, d map[string]any) any {
	switch name {
	case quantityDef:
		return map[string]any{"oneOf": []any{
			map[string]any{"type": []any{"string", "null"}},
			map[string]any{"type": "number"},
		}}
	case intOrStringDef:
		return intOrString()
	}
	return convert(d)
}

func intOrString() map[string]any {
	return map[string]any{"oneOf": []any{
		map[string]any{"type": []any{"string", "null"}},
		map[string]any{"type": "integer"},
	}}
}

// convert rewrites one OpenAPI v2 schema node into a JSON schema node.
// It walks the schema structurally, so property *names* are never mistaken
// for keywords.
func convert(n any) any {
	s, ok := n.(map[string]any)
	if !ok {
		return n
	}
	if s["format"] == "int-or-string" {
		return intOrString()
	}
	out := map[string]any{}
	for key, v := range s {
		switch {
		case key == "description", key == "format", key == "example",
			strings.HasPrefix(key, "x-"):
			// Annotations only; dropping them keeps files small and avoids
			// format assertions that Kubernetes itself does not make.
		case key == "properties":
			props := map[string]any{}
			for pname, p := range v.(map[string]any) {
				props[pname] = convert(p)
			}
			out[key] = props
		case key == "items", key == "not":
			out[key] = convert(v)
		case key == "additionalProperties":
			if _, isBool := v.(bool); isBool {
				out[key] = v
			} else {
				out[key] = convert(v)
			}
		case key == "allOf", key == "anyOf", key == "oneOf":
			list := []any{}
			for _, item := range v.([]any) {
				list = append(list, convert(item))
			}
			out[key] = list
		default:
			out[key] = v
		}
	}

	props, hasProps := out["properties"].(map[string]any)
	if !hasProps {
		return out
	}
	// Strict: undeclared fields are errors, unless the spec keeps them.
	if _, set := out["additionalProperties"]; !set && s["x-kubernetes-preserve-unknown-fields"] != true {
		out["additionalProperties"] = false
	}
	// Optional scalars may be written as null.
	required := map[string]bool{}
	if list, ok := out["required"].([]any); ok {
		for _, r := range list {
			if name, ok := r.(string); ok {
				required[name] = true
			}
		}
	}
	for pname, p := range props {
		pm, ok := p.(map[string]any)
		if !ok || required[pname] {
			continue
		}
		if t, ok := pm["type"].(string); ok && t != "null" {
			pm["type"] = []any{t, "null"}
		}
	}
	return out
}

func deepCopy(n any) any {
	switch v := n.(type) {
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, c := range v {
			m[k] = deepCopy(c)
		}
		return m
	case []any:
		l := make([]any, len(v))
		for i, c := range v {
			l[i] = deepCopy(c)
		}
		return l
	default:
		return v
	}
}

func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
