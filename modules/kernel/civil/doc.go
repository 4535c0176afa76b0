// Package civil holds the platform's civil calendar types: a day in China's civil time (UTC+8),
// as laws, deadlines and documents count them; and the civil identifiers every context checks
// the same way (the unified social credit code, ValidUSCC). It imports nothing of the platform.
package civil
