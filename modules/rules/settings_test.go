package rules_test

import (
	"fmt"
	"testing"

	"zhifa/modules/rules"
	"zhifa/tenants"
)

// TestEveryRuleSettingIsDefined: the setting a catalogue rule reads its amount from is one of the
// rules' own settings, a whole number whose platform default is the rule's statutory amount.
func TestEveryRuleSettingIsDefined(t *testing.T) {
	t.Parallel()
	defs := map[string]tenants.SettingDef{}
	for _, d := range rules.Settings() {
		defs[d.Key] = d
	}
	n := 0
	for _, r := range rules.Catalogue() {
		if r.SettingKey == "" {
			continue
		}
		n++
		d, ok := defs[r.SettingKey]
		switch {
		case !ok:
			t.Errorf("%s reads setting %s, which rules.Settings does not define", r.ID, r.SettingKey)
		case d.Kind != tenants.KindInt:
			t.Errorf("%s reads %s of kind %q, want int", r.ID, r.SettingKey, d.Kind)
		case fmt.Sprint(d.Default) != fmt.Sprint(r.Amount):
			t.Errorf("%s: the default of %s is %v, the statute's amount %d", r.ID, r.SettingKey, d.Default, r.Amount)
		}
	}
	if n == 0 {
		t.Fatal("no catalogue rule reads a setting")
	}
}

// TestSettingBases cites the article a setting's default comes from as a page does, the
// article of the catalogue rule it changes.
func TestSettingBases(t *testing.T) {
	t.Parallel()
	want := map[string]string{
		rules.KeyDecideDays:           "《行政处罚法》第60条：九十日；法律、法规、规章另有规定的，从其规定",
		rules.KeyFreezeExtensionDays:  "《行政强制法》第32条：延长不得超过三十日；法律另有规定的除外",
		rules.KeyReconsiderationDays:  "《行政复议法》第20条：六十日；法律规定的申请期限超过六十日的除外（故只能延长）",
		rules.KeyHearingOrgYuan:       "《行政处罚法》第63条；公安机关标准：单位10000元",
		rules.KeyStatementWorkingDays: "《行政处罚法》第44条、第45条；《行政强制法》第36条",
	}
	for _, d := range rules.Settings() {
		if w, ok := want[d.Key]; ok && d.Basis != w {
			t.Errorf("%s: basis %s, want %s", d.Key, d.Basis, w)
		}
		delete(want, d.Key)
	}
	if len(want) > 0 {
		t.Errorf("not defined: %v", want)
	}
}
