package browsertest

import (
	"fmt"
	"net/url"

	"github.com/chromedp/chromedp"
)

// Navigate loads the base URL plus path (a path with its query and fragment) and waits for the
// load event, not for any page script: use it for pages without data-page, then WaitFor.
func (b *Browser) Navigate(path string) {
	b.t.Helper()
	b.Do("open "+path, chromedp.Navigate(b.base+path))
}

// Open loads the base URL plus path and waits until page (the data-page of its body, which a
// redirect may change) has loaded its data.
func (b *Browser) Open(path, page string) {
	b.t.Helper()
	b.Navigate(path)
	b.WaitReady(page)
}

// WaitReady waits until the page shown is page (its body's data-page) and has loaded its data
// (data-ready="true").
func (b *Browser) WaitReady(page string) {
	b.t.Helper()
	b.WaitFor(page+" ready", fmt.Sprintf(`document.body && document.body.dataset.page === %q && document.body.dataset.ready === "true"`, page))
}

// Path returns the path and query of the page shown, as in "/login?next=%2Fconsole".
func (b *Browser) Path() string {
	b.t.Helper()
	u, err := url.Parse(Eval[string](b, `location.href`))
	if err != nil {
		b.t.Fatal(err)
	}
	return u.RequestURI()
}

// Text returns the text content of the first element matching the CSS selector sel, waiting
// for one to appear. It reads the document as it is when asked (by evaluation, not through
// node IDs, which a page that has just navigated may have invalidated).
func (b *Browser) Text(sel string) string {
	b.t.Helper()
	q := fmt.Sprintf("document.querySelector(%q)", sel)
	b.WaitFor(sel, q+" !== null")
	return Eval[string](b, fmt.Sprintf("(() => { const e = %s; return e ? e.textContent : ''; })()", q))
}

// SetValue sets the value of the form control matching sel and fires the input and change
// events that a person's typing or choosing would. A select takes the value of an option.
func (b *Browser) SetValue(sel, value string) {
	b.t.Helper()
	Eval[bool](b, fmt.Sprintf(`(() => { const e = document.querySelector(%q); e.value = %q;
		e.dispatchEvent(new Event('input', {bubbles: true})); e.dispatchEvent(new Event('change', {bubbles: true})); return true })()`, sel, value))
}

// Click clicks the first visible element matching the CSS selector sel, waiting for it.
func (b *Browser) Click(sel string) {
	b.t.Helper()
	b.Do("click "+sel, chromedp.Click(chromedp.CSS(sel)))
}
