package selfservice

import (
	"html/template"
	"strings"
)

// field is one rendered node of a flow's form.
type field struct {
	Kind         string // hidden, input, readonly, submit, img, text, a
	Name, Type   string
	Value        string
	Required     bool
	Disabled     bool
	Autocomplete string
	Pattern      string
	MaxLength    int
	Label        bilingual
	Messages     []bilingual
	Src          template.URL // an image's: Kratos' data: URL of the TOTP QR code
	Width        int
	Height       int
	ID           string // the input's element id (from its name), for its label
}

// form is one HTML form of a page: a flow posts one method per form.
type form struct {
	Heading bilingual // the method's heading ("" for a page of one form)
	Action  string
	Method  string
	Fields  []field
}

// groupHeadings name the settings page's sections, one per Kratos method group.
var groupHeadings = map[string]bilingual{
	"profile":       {ZH: "个人信息", EN: "Profile"},
	"password":      {ZH: "修改密码", EN: "Change password"},
	"totp":          {ZH: "身份验证器（双因素认证）", EN: "Authenticator app (second factor)"},
	"lookup_secret": {ZH: "备用恢复码", EN: "Backup recovery codes"},
}

// settingsGroups is the order of the settings page's sections.
var settingsGroups = []string{"profile", "password", "totp", "lookup_secret"}

// forms turns a flow's nodes into the page's forms. The settings flow gets one form per method
// (each with the default group's nodes, the CSRF token), so that saving a password does not
// resubmit the profile; the other flows are one form. The account kind is never offered: a
// citizen registers without it (the platform treats an identity without a staff account as a
// citizen) and the settings carry the stored value unchanged; the e-mail, the sign-in
// identifier, is shown but not changed in the settings.
func forms(kind Kind, f *flow) []form {
	var defaults []node
	byGroup := map[string][]node{}
	for _, n := range f.UI.Nodes {
		if n.Group == "default" {
			defaults = append(defaults, n)
			continue
		}
		byGroup[n.Group] = append(byGroup[n.Group], n)
	}
	mk := func(heading bilingual, nodes []node) form {
		fm := form{Heading: heading, Action: f.UI.Action, Method: strings.ToUpper(f.UI.Method)}
		for _, n := range nodes {
			if fd, ok := render(kind, n); ok {
				fm.Fields = append(fm.Fields, fd)
			}
		}
		return fm
	}
	if kind != Settings {
		return []form{mk(bilingual{}, f.UI.Nodes)}
	}
	var out []form
	for _, g := range settingsGroups {
		if nodes := byGroup[g]; len(nodes) > 0 {
			out = append(out, mk(groupHeadings[g], append(append([]node{}, defaults...), nodes...)))
		}
	}
	return out
}

// render returns the field of node n, false for a node the page does not show.
func render(kind Kind, n node) (field, bool) {
	a := n.Attrs
	fd := field{Name: a.Name, Type: a.Type, Value: valueString(a.Value), Required: a.Required, Disabled: a.Disabled,
		Autocomplete: a.Autocomplete, Pattern: a.Pattern, MaxLength: a.MaxLength, ID: "f-" + strings.NewReplacer(".", "-", "_", "-").Replace(a.Name)}
	if n.Meta.Label != nil {
		fd.Label = translate(*n.Meta.Label, a.Name)
	}
	for _, m := range n.Messages {
		fd.Messages = append(fd.Messages, translate(m, ""))
	}
	switch n.Type {
	case "input":
		switch {
		case a.Name == "traits.kind" && kind == Registration:
			return field{}, false
		case a.Name == "traits.kind":
			fd.Kind = "hidden"
		case a.Name == "traits.email" && kind == Settings:
			fd.Kind = "readonly"
		case a.Type == "hidden":
			fd.Kind = "hidden"
		case a.Type == "submit" || a.Type == "button":
			fd.Kind = "submit"
		default:
			fd.Kind = "input"
		}
	case "img":
		if !strings.HasPrefix(a.Src, "data:image/png;base64,") { // the only image Kratos sends: the QR code
			return field{}, false
		}
		fd.Kind, fd.Src, fd.Width, fd.Height, fd.ID = "img", template.URL(a.Src), a.Width, a.Height, a.ID
	case "text":
		if a.Text == nil {
			return field{}, false
		}
		fd.Kind, fd.ID = "text", a.ID
		fd.Value = a.Text.Text
	case "a":
		if a.Title == nil {
			return field{}, false
		}
		fd.Kind, fd.Value, fd.Label = "a", a.Href, translate(*a.Title, "")
	default: // script (WebAuthn), not enabled on the platform
		return field{}, false
	}
	return fd, true
}
