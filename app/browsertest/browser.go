package browsertest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"zhifa/app/testenv"
)

// timeout bounds each step: an action, an evaluation, a wait.
const timeout = 20 * time.Second

// Browser is one headless Chromium tab of a test. It records every request its pages make and
// every script error or Content-Security-Policy violation they cause. Its methods fail the test
// on an error and must be called from the test's goroutine.
type Browser struct {
	t    testing.TB
	ctx  context.Context
	base string

	mu       sync.Mutex
	requests []string
	problems []string
}

// New starts Chromium with a 1280×900 window and one tab for the server at base (its scheme,
// host and port, without a trailing slash), and stops it when the test ends. It fails the test
// with "chromium not found: run make tools" when there is no Chromium.
func New(t testing.TB, base string) *Browser {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(testenv.Chromium(t)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-features", "Translate,OptimizationHints,MediaRouter"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	b := &Browser{t: t, ctx: ctx, base: base}
	// The first Do starts the browser and binds its life to the context it gets: ctx, not one
	// with a time limit.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	if err := chromedp.Listen(ctx, b.record); err != nil {
		t.Fatal(err)
	}
	return b
}

// Base returns the base URL the Browser was made for, as given to New.
func (b *Browser) Base() string { return b.base }

func (b *Browser) record(ev any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent:
		b.requests = append(b.requests, e.Request.URL)
	case *runtime.EventExceptionThrown:
		d := e.ExceptionDetails
		msg := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			msg += " " + d.Exception.Description
		}
		b.problems = append(b.problems, fmt.Sprintf("script error at %s:%d: %s", d.URL, d.LineNumber, msg))
	case *log.EventEntryAdded:
		en := e.Entry
		if en.Source == log.EntrySourceSecurity || en.Source == log.EntrySourceViolation ||
			(en.Source == log.EntrySourceJavascript && en.Level == log.EntryLevelError) ||
			strings.Contains(en.Text, "Content Security Policy") {
			b.problems = append(b.problems, fmt.Sprintf("%s %s: %s (%s)", en.Source, en.Level, en.Text, en.URL))
		}
	}
}

// Do runs actions in the tab within the step time limit. On an error it fails the test with
// what, the error and the page problems recorded so far.
func (b *Browser) Do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, timeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v%s", what, err, b.ProblemText())
	}
}

// Eval evaluates a JavaScript expression in the page and returns its value, decoded from JSON
// into T. It fails the test when the expression throws or its value does not decode.
func Eval[T any](b *Browser, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, timeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// WaitFor waits until the JavaScript condition cond is true, failing the test after the step
// time limit with what, the last error, the page problems and the text the page shows. It
// evaluates the condition again and again rather than with one Poll, so that it survives the
// navigations a click may cause.
func (b *Browser) WaitFor(what, cond string) {
	b.t.Helper()
	deadline := time.Now().Add(timeout)
	var last error
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](cond))
		cancel()
		if err == nil && ok {
			return
		}
		last = err
		time.Sleep(50 * time.Millisecond)
	}
	b.t.Fatalf("waiting for %s: timed out (last error: %v)%s%s", what, last, b.ProblemText(), b.shownText())
}

// shownText returns, for a failure message, the start of the text of the page's main element
// (or its body), or "" when it cannot be read.
func (b *Browser) shownText() string {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`(() => { const e = document.getElementById('main') || document.querySelector('main') || document.body; return e ? e.innerText : '' })()`))
	if err != nil || s == "" {
		return ""
	}
	const most = 2000
	if r := []rune(s); len(r) > most {
		s = string(r[:most]) + "…"
	}
	return "\npage text:\n" + s
}

// ProblemText returns the script errors and CSP violations recorded so far as lines to append
// to a failure message, or "" when there are none.
func (b *Browser) ProblemText() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.problems) == 0 {
		return ""
	}
	return "\npage problems:\n  " + strings.Join(b.problems, "\n  ")
}
