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
