package tenants_test

import (
	"context"
	"testing"

	"zhifa/modules/kernel/authz"
	"zhifa/tenants"
)

func TestGuardRecognisesTenantTables(t *testing.T) {
	g := tenants.NewGuard([]string{"cases", "settings"})
	bg := context.Background()
	for _, c := range []struct {
		query string
		named bool
	}{
		{`SELECT * FROM "cases" AS "c"`, true},
		{`select * from cases where id = 1`, true},
		{`DELETE FROM Settings`, true},
		{`SELECT 1 FROM x JOIN cases ON true`, true},
		{`SELECT * FROM cases_archive`, false},
		{`SELECT * FROM showcases`, false},
		{`SELECT * FROM "accounts" WHERE name = 'my_settings_x'`, false},
		{`SELECT 1`, false},
	} {
		err := g.Check(bg, c.query)
		if (err != nil) != c.named {
			t.Errorf("%q without a scope: %v, want refused = %v", c.query, err, c.named)
		}
	}
	tn := &tenants.Tenant{ID: "35", Path: "35"}
	scoped := tenants.WithScope(bg, tenants.NewScope(tn, "x", []authz.Role{authz.Officer}, nil))
	if err := g.Check(scoped, `DELETE FROM cases`); err != nil {
		t.Errorf("a writable scope is refused: %v", err)
	}
	ro := tenants.WithScope(bg, tenants.SubtreeScope(tn, "x", nil))
	if err := g.Check(ro, `UPDATE cases SET state = 'x'`); err != tenants.ErrReadOnlyScope {
		t.Errorf("write under a read-only scope: %v", err)
	}
	if err := g.Check(ro, `SELECT * FROM cases`); err != nil {
		t.Errorf("read under a read-only scope: %v", err)
	}
}
