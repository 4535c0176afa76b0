package elements

import "zhifa/modules/kernel/civil"

// inForce reports whether a period [from, to) contains d; a nil to is open-ended.
func inForce(from civil.Date, to *civil.Date, d civil.Date) bool {
	return !d.Before(from) && (to == nil || d.Before(*to))
}
