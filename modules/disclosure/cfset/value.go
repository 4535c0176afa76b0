package cfset

import (
	"reflect"
	"strconv"
	"strings"

	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/csvx"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/money"
)

// goField is the index in Record of each field's Go name (Aliases).
var goField = func() map[string]int {
	t := reflect.TypeFor[Record]()
	m := map[string]int{}
	for _, a := range Aliases {
		f, ok := t.FieldByName(a.Go)
		if !ok {
			panic("cfset: alias " + a.CF + " names no Record field " + a.Go)
		}
		m[a.CF] = f.Index[0]
	}
	return m
}()

// Text returns the field code of r as the set writes it: amounts in 万元 with six decimals,
// dates YYYY-MM-DD, the party kind by name, categories joined by ";". It is every encoder's one
// writing of a field; Restricted fields are the caller's to leave out (Variant).
func (r *Record) Text(code string) string {
	i, ok := goField[code]
	if !ok {
		return ""
	}
	switch v := reflect.ValueOf(r).Elem().Field(i).Interface().(type) {
	case string:
		return v
	case civil.Date:
		return string(v)
	case money.Fen:
		return Wan(v)
	case PartyKind:
		if v != 0 && v.String() == "" {
			return strconv.Itoa(int(v)) // a kind outside the set, for Validate to name
		}
		return v.String()
	case []Category:
		parts := make([]string, len(v))
		for j, c := range v {
			parts[j] = string(c)
		}
		return strings.Join(parts, ";")
	}
	return ""
}

// SetText reads s into the field code of r: the inverse of Text, also reading what other
// systems write (a kind as 1, 2, 4 or its letters; categories separated by ；，、 or |; dates as
// csvx.Date; 万元 without trailing zeros). A value of the wrong form is an Invalid error naming
// the field; lengths, requirements and code sets are Validate's.
func (r *Record) SetText(code, s string) error {
	i, ok := goField[code]
	if !ok {
		return errs.Ef(errs.Invalid, "未知字段 %s", "unknown field %s", code)
	}
	f, _ := FieldByCode(code)
	fv := reflect.ValueOf(r).Elem().Field(i)
	switch fv.Interface().(type) {
	case string:
		fv.SetString(s)
	case civil.Date:
		fv.Set(reflect.ValueOf(csvx.Date(s)))
	case money.Fen:
		a, ok := ParseWan(s)
		if !ok {
			return invalid(f, "须为以万元计、至多六位小数的非负金额（如 2000 元写作 0.2）", "must be an amount in 10,000 yuan with at most six decimals (¥2,000 is 0.2)")
		}
		fv.Set(reflect.ValueOf(a))
	case PartyKind:
		k, ok := ParsePartyKind(s)
		if s != "" && !ok {
			return invalid(f, "须为 法人及非法人组织（1）、自然人（2）或 个体工商户（4）", "must be 法人及非法人组织 (1), 自然人 (2) or 个体工商户 (4)")
		}
		fv.Set(reflect.ValueOf(k))
	case []Category:
		var cs []Category
		for _, p := range splitCategories(s) {
			cs = append(cs, Category(p))
		}
		fv.Set(reflect.ValueOf(cs))
	}
	return nil
}

// invalid is the error of a value of field f, naming it by code and name in both languages.
func invalid(f Field, zh, en string) *errs.Error {
	lz, le := f.label()
	return errs.E(errs.Invalid, lz+zh, le+" "+en).WithFields(errs.Field(f.Code, lz+zh, le+" "+en))
}
