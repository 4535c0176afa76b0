package httpx

import (
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"zhifa/modules/kernel/errs"
)

// badText reports whether s holds what no text field may: a control character other than tab,
// line feed and carriage return (NUL among them, which PostgreSQL refuses in text), or bytes that
// are not UTF-8.
func badText(s string) bool {
	return !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool {
		return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f
	})
}

// badTextField is the field error of a text holding a character badText refuses.
func badTextField(name string) errs.FieldError {
	return errs.Field(name, "含有不允许的字符（控制字符或非 UTF-8 字节）", "holds a character that is not allowed (a control character or bytes that are not UTF-8)")
}

// refuseText is the refusal naming the fields that hold such characters (nil: none).
func refuseText(f []errs.FieldError) error {
	if len(f) == 0 {
		return nil
	}
	return errs.E(errs.Invalid, "请求含有不允许的字符", "the request holds characters that are not allowed").WithFields(f...)
}

// checkText walks a decoded value and refuses every string in it (struct fields, map keys and
// values, list items) that badText refuses, naming each by its JSON path ("items[2].name").
func checkText(v any) error {
	var f []errs.FieldError
	walkText(reflect.ValueOf(v), "", &f)
	return refuseText(f)
}

func walkText(v reflect.Value, path string, f *[]errs.FieldError) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkText(v.Elem(), path, f)
		}
	case reflect.String:
		if badText(v.String()) {
			*f = append(*f, badTextField(path))
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			sf := t.Field(i)
			name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
			switch {
			case name == "-" || !sf.IsExported() && !sf.Anonymous:
				continue
			case sf.Anonymous && name == "":
				walkText(v.Field(i), path, f) // embedded: its fields are the outer value's
				continue
			case name == "":
				name = sf.Name
			}
			walkText(v.Field(i), join(path, name), f)
		}
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			return
		}
		for it := v.MapRange(); it.Next(); {
			k := it.Key().String()
			if badText(k) {
				*f = append(*f, badTextField(join(path, k)))
				continue
			}
			walkText(it.Value(), join(path, k), f)
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return // bytes (json.RawMessage among them) are decoded, and checked, where they are read
		}
		for i := range v.Len() {
			walkText(v.Index(i), path+"["+strconv.Itoa(i)+"]", f)
		}
	}
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// checkParams refuses a request whose query parameters or path parameters hold characters
// badText refuses, naming each parameter.
func checkParams(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		var f []errs.FieldError
		for name, vals := range c.QueryParams() {
			for _, v := range vals {
				if badText(name) || badText(v) {
					f = append(f, badTextField(name))
					break
				}
			}
		}
		for i, name := range c.ParamNames() {
			if i < len(c.ParamValues()) && badText(c.ParamValues()[i]) {
				f = append(f, badTextField(name))
			}
		}
		if err := refuseText(f); err != nil {
			return err
		}
		return next(c)
	}
}
