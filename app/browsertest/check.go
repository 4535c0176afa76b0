package browsertest

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"slices"

	"github.com/chromedp/chromedp"
)

// PhoneWidth is the width in CSS pixels of the phone that EmulatePhone emulates and
// CheckPhoneWidth expects.
const PhoneWidth = 375

// EmulatePhone makes the tab a touch phone with a PhoneWidth×812 screen, for the pages that
// follow.
func (b *Browser) EmulatePhone() {
	b.t.Helper()
	b.Do("emulate a phone", chromedp.EmulateViewport(PhoneWidth, 812, chromedp.EmulateMobile, chromedp.EmulateTouch))
}

// EmulateDesktop returns the tab to the 1280×900 desktop window New starts with.
func (b *Browser) EmulateDesktop() {
	b.t.Helper()
	b.Do("emulate a desktop", chromedp.EmulateReset(), chromedp.EmulateViewport(1280, 900))
}

// CheckPhoneWidth checks the page shown at a phone's width (after EmulatePhone): it fails the
// test at once when the viewport is not PhoneWidth wide, and marks it failed when anything is
// wider than the screen, except inside a .table-wrap box, naming up to five such elements. Then
// it takes the screenshot shot. name names the page in failure messages.
func (b *Browser) CheckPhoneWidth(name, shot string) {
	b.t.Helper()
	type widths struct {
		Scroll int      `json:"scroll"`
		Client int      `json:"client"`
		Inner  int      `json:"inner"`
		Wide   []string `json:"wide"`
	}
	w := Eval[widths](b, `(() => { const d = document.documentElement;
		const wide = [...document.querySelectorAll('body *')].filter(e => { const r = e.getBoundingClientRect();
			return r.width > 0 && r.right > d.clientWidth + 1 && !e.closest('.table-wrap'); })
			.slice(0, 5).map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className + ' right=' + Math.round(e.getBoundingClientRect().right));
		return {scroll: d.scrollWidth, client: d.clientWidth, inner: window.innerWidth, wide}; })()`)
	if w.Inner != PhoneWidth {
		b.t.Fatalf("%s: the viewport is %d px wide, want %d", name, w.Inner, PhoneWidth)
	}
	if w.Scroll > w.Client || len(w.Wide) > 0 {
		b.t.Errorf("%s overflows at %d px: scrollWidth %d > clientWidth %d; too wide: %v", name, PhoneWidth, w.Scroll, w.Client, w.Wide)
	}
	b.Shot(shot)
}

// Shot saves a full-page screenshot as $ZHIFA_SCREENSHOTS/name.png when that variable is set,
// and does nothing otherwise.
func (b *Browser) Shot(name string) {
	b.t.Helper()
	dir := os.Getenv("ZHIFA_SCREENSHOTS")
	if dir == "" {
		return
	}
	ctx, cancel := context.WithTimeout(b.ctx, timeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// Requests returns the URLs of the requests the tab's pages have made so far, in order.
func (b *Browser) Requests() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.requests)
}

// CheckClean marks the test failed for every script error or CSP violation recorded, for any
// request that left this machine (the pages must work on an intranet without Internet access;
// data: and blob: URLs stay in the page), and when no request was recorded at all, which would
// mean the recording does not work. Call it at the end of a test.
func (b *Browser) CheckClean() {
	b.t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.problems {
		b.t.Errorf("page problem: %s", p)
	}
	if len(b.requests) == 0 {
		b.t.Error("no request was recorded: the network listener is not working")
	}
	for _, raw := range b.requests {
		if local, err := onMachine(raw); err != nil {
			b.t.Errorf("unparsable request URL %q", raw)
		} else if !local {
			b.t.Errorf("request to a non-local host: %s", raw)
		}
	}
}

// onMachine reports whether a request to raw stays on this machine: a loopback host, or a
// data: or blob: URL.
func onMachine(raw string) (bool, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return false, err
	}
	if u.Scheme == "data" || u.Scheme == "blob" {
		return true, nil
	}
	h := u.Hostname()
	return h == "127.0.0.1" || h == "localhost" || h == "::1", nil
}
