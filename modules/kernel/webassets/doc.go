// Package webassets is the one static-file server of the platform: every module that serves
// files to browsers (the console's and the portal's scripts, stylesheets and images, the
// documents' stylesheets, the simulated payment page's files) serves them through a Server under
// its own URL prefix, and the files every page shares (shared/: the stylesheet app.css, the DOM
// helpers dom.js, the emblem favicon.svg) are served once, at /static/ (Shared).
//
// A Server holds its files in memory, read once from an embedded file system (New) or given as
// contents a module builds when it starts (NewFiles: a stylesheet completed by generated rules).
//
// Pages link a file by its content-hashed address, <prefix><name>?v=<hash> (URL, URLs), which
// browsers may cache for a year (immutable): a change of the file changes its address. The bare
// address (the error page's, an old page's) is revalidated on every use, which the ETag (the
// hash) makes a 304. Only GET and HEAD are answered; a name that is not a file (a directory, an
// unknown name) is a 404, so nothing is listed. Files of a type the server does not know are
// refused when the server is built, so a page never receives a script as
// application/octet-stream.
package webassets
