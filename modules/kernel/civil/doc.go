// Package civil holds the platform's civil calendar types: a day in China's civil time (UTC+8),
// as laws, deadlines and documents count them. It imports nothing of the platform.
package civil
