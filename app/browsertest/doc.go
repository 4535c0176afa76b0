// Package browsertest drives the platform's pages in headless Chromium for end-to-end tests.
//
// A Browser is one tab bound to a test and to the base URL of the server under test. Every
// method fails the test on an error, after a time limit of its own, so a test reads as the steps
// a person takes:
//
//	b := browsertest.New(t, srv.URL)
//	b.Open("/console/tenants", "tenants")
//	b.SetValue("#t-name", "将乐县")
//	b.Click(`#tenant-form button[type="submit"]`)
//	b.WaitFor("the new county", `!!document.querySelector('#tenant-tree li[data-id="350428"]')`)
//	if n := browsertest.Eval[int](b, `document.querySelectorAll('#tenant-tree li').length`); n != 8 { ... }
//	b.CheckClean()
//
// The console's pages mark themselves with data-page on their body and set data-ready="true" when
// their script has loaded its data: Open and WaitReady wait for that. The Browser records every
// request its pages make and every script error or Content-Security-Policy violation they cause;
// CheckClean fails the test for any of them that a page must not have.
//
// Set ZHIFA_SCREENSHOTS to a directory to keep the screenshots that tests take with Shot.
//
// The package is for tests only: it needs Chromium (found by testenv.Chromium) and a testing.TB.
package browsertest
