package documents

import (
	"fmt"
	"strings"

	"zhifa/modules/documents/internal/sandbox"
	"zhifa/modules/kernel/errs"
)

// The template language is the sandbox's (internal/sandbox): html/template restricted to the
// declared fields of a type, a fixed set of helper functions, and bounded executions. This file
// binds it to the document types: a type's fields are the sandbox's schema, and a template must
// also contain the type's required items.

// Program is a checked, compiled template: safe to execute concurrently.
type Program = sandbox.Program

// Limits bounds one execution of a template.
type Limits = sandbox.Limits

// FuncDoc describes a helper function for the template reference.
type FuncDoc = sandbox.FuncDoc

// DefaultLimits are the bounds of every execution unless a test narrows them.
var DefaultLimits = sandbox.DefaultLimits

// FuncDocs lists the helpers a template may call, with examples.
var FuncDocs = sandbox.FuncDocs

// MaxSourceBytes bounds a template's source.
const MaxSourceBytes = sandbox.MaxSourceBytes

// schema is a type's fields as the sandbox reads them.
type schema []Field

// Lookup reports whether path is a declared field, and whether it is a list.
func (s schema) Lookup(path string) (list, ok bool) {
	f, ok := lookup(s, path)
	return ok && f.Kind == KindList, ok
}

// Compile checks a template's source for its type and compiles it. It returns an Invalid error
// naming every problem (syntax with its line, forbidden functions or constructs, unknown fields,
// range over anything but a list field) or a FailedPrecondition naming each required item the
// template leaves out.
func Compile(ti *TypeInfo, src string) (*Program, error) {
	p, err := sandbox.Compile(string(ti.Type), schema(ti.Fields), src)
	if err != nil {
		return nil, err
	}
	var missing []errs.FieldError
	for _, r := range ti.Required {
		if !p.Refers(r.Ref) {
			missing = append(missing, missingField(r))
		}
	}
	if len(missing) > 0 {
		return nil, missingError(ti, missing)
	}
	return p, nil
}

// Clause returns s without surrounding space and without the punctuation that closes it
// (。，；、：！？ and their ASCII forms), so that a template or formatter can add its own: the
// text of a paragraph then never reads "。，".
func Clause(s string) string { return sandbox.Clause(s) }

// missingField names a required item a template leaves out.
func missingField(r Requirement) errs.FieldError {
	basis := ""
	if r.Basis != "" {
		basis = "（" + r.Basis + "）"
	}
	return errs.Field(r.Ref, "缺少必备事项："+r.Title.ZH+basis, "required item missing: "+r.Title.EN+basis)
}

func missingError(ti *TypeInfo, missing []errs.FieldError) error {
	e := errs.Ef(errs.FailedPrecondition, "%s缺少必备事项 %s：%s", "a %s template must contain %s: %s",
		ti.Name.ZH, missing[0].Field, missing[0].Message.ZH)
	e.Message.EN = fmt.Sprintf("a %s template must contain %s (%s)", ti.Name.EN, missing[0].Field, missing[0].Message.EN)
	e.Rule = &errs.Rule{ID: "documents.required_items", Law: lawOf(ti.Basis), Article: ti.Basis}
	return e.WithFields(missing...)
}

// lawOf returns the law named at the start of a basis ("行政处罚法第五十九条" -> "行政处罚法").
func lawOf(basis string) string {
	if i := strings.Index(basis, "法"); i >= 0 {
		return basis[:i+len("法")]
	}
	return basis
}
