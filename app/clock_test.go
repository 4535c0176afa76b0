package app_test

import (
	"testing"
	"time"

	"zhifa/app/testkit"
	"zhifa/modules/rules"
)

// TestTenantAndSettingsOnThePlatformClock: the platform gives the tenancy service its own clock
// (pinned here to 2 November 2026, 09:00 in China): a tenant created and a setting changed through
// the API are stamped with that instant, not the wall clock's.
func TestTenantAndSettingsOnThePlatformClock(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, time.November, 2, 9, 0, 0, 0, rules.Location)
	p := startPlatformAt(t, "sqlite", func() time.Time { return now })
	const at = "2026-11-02T01:00:00Z"
	p.server(t).Run(t, []testkit.Scenario{
		{Name: "create a county", Caller: p.as(provOp, ""), Method: "POST", Path: "/api/v1/tenants",
			Body: map[string]string{"id": "350431", "parent_id": "3504", "tier": "county", "name": "钟县"}, Status: 201, JSON: map[string]any{"created_at": at}},
		{Name: "set a setting", Caller: p.as(sanmingOp, ""), Method: "PUT", Path: "/api/v1/settings/cases.backfill_working_days",
			Body: map[string]any{"value": 4}, Status: 200},
		{Name: "its audit", Caller: p.as(sanmingOp, ""), Method: "GET", Path: "/api/v1/settings-audit?limit=1", Status: 200,
			Contains: []string{`"key":"cases.backfill_working_days"`, `"at":"` + at + `"`}},
	})
}
