package cfset_test

import (
	"reflect"
	"testing"

	"zhifa/modules/disclosure/cfset"
)

// Every field of the current set has an alias entry, with an xy id or the reason it has none, and
// names a Record field; every Record field is some field's.
func TestAliasesCoverTheSet(t *testing.T) {
	t.Parallel()
	byCF := map[string]cfset.Alias{}
	for _, a := range cfset.Aliases {
		if _, dup := byCF[a.CF]; dup {
			t.Errorf("%s twice", a.CF)
		}
		byCF[a.CF] = a
	}
	if len(cfset.Fields) != 30 {
		t.Errorf("%d fields, the set has 30", len(cfset.Fields))
	}
	rt := reflect.TypeFor[cfset.Record]()
	goNames := map[string]bool{}
	for _, f := range cfset.Fields {
		a, ok := byCF[f.Code]
		switch {
		case !ok:
			t.Errorf("%s %s has no alias entry", f.Code, f.Name)
		case (a.XY == "") == (a.NoXY == ""):
			t.Errorf("%s: xy %q and reason %q: exactly one is needed", f.Code, a.XY, a.NoXY)
		}
		if _, ok := rt.FieldByName(a.Go); !ok {
			t.Errorf("%s: no Record field %q", f.Code, a.Go)
		}
		goNames[a.Go] = true
	}
	for i := range rt.NumField() {
		if !goNames[rt.Field(i).Name] {
			t.Errorf("Record.%s is no field's", rt.Field(i).Name)
		}
	}
	for _, tc := range []struct {
		from, to   cfset.Target
		name, want string
	}{
		{cfset.TargetCF, cfset.TargetXY, "CF_WSH", "xy020102"},
		{cfset.TargetXY, cfset.TargetCF, "xy020116", "CF_NR_FK"},
		{cfset.TargetXY, cfset.TargetGo, "xy010107", "LegalRepIDType"}, // 证件类型, not 号码
		{cfset.TargetGo, cfset.TargetCF, "PublicUntil", "CF_GSJZQ"},
		{cfset.TargetCF, cfset.TargetXY, "CF_YXQ", ""},
	} {
		if got, ok := cfset.Translate(tc.from, tc.to, tc.name); got != tc.want || ok != (tc.want != "") {
			t.Errorf("Translate(%s→%s, %s) = %q, %v; want %q", tc.from, tc.to, tc.name, got, ok, tc.want)
		}
	}
}
