package casetask

import "zhifa/jobs"

// CalendarLoaded is rules:calendar_loaded: the holiday notice of a year was loaded.
var CalendarLoaded = jobs.Task[Calendar]{Type: "rules:calendar_loaded", Queue: jobs.QueueDefault}

// Calendar is the payload of rules:calendar_loaded.
type Calendar struct {
	Year     int   `json:"year"`
	Revision int64 `json:"revision"` // the year's load count
}
