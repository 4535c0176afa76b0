package app_test

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"zhifa/app/browsertest"
)

// styledPage is a page whose stylesheets the documents or the payments module serves, and what
// shows that they apply: an expression true only when the page is styled.
type styledPage struct {
	name, path, page string // page: the console page's data-page ("" for a page without one)
	styled           string
}

// sheetsLoaded is true when every stylesheet the page links has loaded with rules, from a
// content-hashed address on this machine (the console's link of zdoc.css excepted: it is bare).
const sheetsLoaded = `(() => { const ls = [...document.querySelectorAll('link[rel=stylesheet]')];
	return ls.length > 0 && ls.every(l => l.sheet && l.sheet.cssRules.length > 0 &&
		(/\?v=[0-9a-f]{12}$/.test(l.href) || l.getAttribute('href') === '/documents/static/zdoc.css')); })()`

// TestDocumentsPagesStyled: the pages that link the documents' and the simulated payment's
// stylesheets (an issued document in the console and on its own, the verification page, the
// simulated payment page) load them from the one static-file server and are styled, at a
// desktop's and a phone's width, with no request off the machine.
func TestDocumentsPagesStyled(t *testing.T) {
	p := startPlatform(t, "sqlite")
	pay, checkout := simulatedCheckout(t, p)

	pages := []styledPage{
		{"the document in the console", "/console/documents/" + pay.DecisionID, "document",
			`!!document.querySelector('#doc-view article.zdoc') && getComputedStyle(document.querySelector('#doc-view article.zdoc h1, #doc-view article.zdoc .title, #doc-view article.zdoc .masthead')).textAlign === 'center'`},
		{"the document on its own", "/api/v1/documents/" + pay.DecisionID + "/html", "",
			`getComputedStyle(document.body).backgroundColor === 'rgb(233, 236, 239)' && getComputedStyle(document.querySelector('article.zdoc')).boxShadow !== 'none'`},
		{"the verification page", "/verify/" + pay.DecisionID + "?case=" + pay.Code, "",
			`getComputedStyle(document.getElementById('verdict')).borderLeftWidth === '6px' && getComputedStyle(document.querySelector('.verify')).maxWidth === '736px'`},
		{"the simulated payment page", checkout.Path, "",
			`getComputedStyle(document.querySelector('.banner')).backgroundColor === 'rgb(180, 35, 24)'`},
	}
	b := browsertest.New(t, p.URL)
	switchTo(t, b, officer1, "/console/cases", "cases")
	for _, width := range []int{1280, browsertest.PhoneWidth} {
		if width == browsertest.PhoneWidth {
			b.EmulatePhone()
		} else {
			b.Do("a desktop's window", chromedp.EmulateViewport(1280, 900))
		}
		for i, pg := range pages {
			if pg.page != "" {
				b.Open(pg.path, pg.page)
			} else {
				b.Navigate(pg.path)
			}
			b.WaitFor(pg.name+" styled", sheetsLoaded+" && "+pg.styled)
			shot := fmt.Sprintf("statics-%d-%d", width, i+1)
			if width == browsertest.PhoneWidth {
				b.CheckPhoneWidth(pg.name, shot)
			} else {
				b.Shot(shot)
			}
		}
	}
	b.CheckClean()
}
