package httpx

import (
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"zhifa/modules/kernel/errs"
)

// BadText reports whether s holds what no text field may: a control character other than tab,
// line feed and carriage return (NUL among them, which PostgreSQL refuses in text), or bytes that
// are not UTF-8. Request bodies and parameters are checked here; a decoder of other input (an
// import file) checks each text it reads with it.
func BadText(s string) bool {
	return !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool {
		return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f
	})
}

// BadTextField is the field error, in Chinese and English, of a text holding a character BadText
// refuses.
func BadTextField(name string) errs.FieldError {
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
// values, list items) that BadText refuses, naming each by its JSON path ("items[2].name").
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
		if BadText(v.String()) {
			*f = append(*f, BadTextField(path))
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
			if BadText(k) {
				*f = append(*f, BadTextField(join(path, k)))
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
// BadText refuses, naming each parameter.
func checkParams(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		var f []errs.FieldError
		for name, vals := range c.QueryParams() {
			for _, v := range vals {
				if BadText(name) || BadText(v) {
					f = append(f, BadTextField(name))
					break
				}
			}
		}
		for i, name := range c.ParamNames() {
			if i < len(c.ParamValues()) && BadText(c.ParamValues()[i]) {
				f = append(f, BadTextField(name))
			}
		}
		if err := refuseText(f); err != nil {
			return err
		}
		return next(c)
	}
}
