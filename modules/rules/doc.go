// Package rules holds the statutory numbers the platform computes with. Every number a law lets a
// sector or province change is a tenant setting whose platform default is the statutory one, with
// the article it comes from; tenants and bodies override them down the tree (see package tenants).
//
// Terms: 补录 backfill (cases.backfill_working_days), 公示期限 disclosure window
// (disclosure.min_days / disclosure.max_days), 听证 hearing thresholds.
package rules
