// Package tenants is the tenancy kernel: the jurisdiction tree (province, city, county,
// township) stored with a materialised path, the Scope every store and service method requires,
// the query guard that fails closed when a tenant table is queried without a scope, the
// row-level-security transaction helper for PostgreSQL, and settings that inherit down the tree.
//
// Settings: each module defines its own in one Settings() function and the composition root passes
// them to NewService, so that a Service knows exactly the settings it was built with (and the
// kernel's own, Settings in province.go). settings.go holds the definitions and that registry,
// settings_resolve.go the inheritance (platform default, ancestors, tenant, body; final values
// lock the levels below), settings_write.go the writes and their audit, settings_secret.go the
// secret settings (SM4-GCM at rest, shown masked as the definition's Mask says).
//
// The service stamps the tenants it creates and the settings it writes and audits by its clock
// (UseClock: the platform's; default time.Now).
//
// Tables: tenants (the registry), settings and settings_audit (tenant-owned).
//
// Terms: 租户 tenant (a jurisdiction, identified by its administrative division code);
// 省/市/县/乡镇 TierProvince/TierCity/TierCounty/TierTownship; 中心租户 the central tenant (a
// deployment's root), whose SubtreeScope reads across everything below it, read-only.
package tenants
