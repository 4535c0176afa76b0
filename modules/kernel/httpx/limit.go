package httpx

import (
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"zhifa/modules/kernel/errs"
)

// LimitBody bounds every request's body, whatever its content type: by the limit the request's
// route declares (declared returns it for the method and echo route path, 0 when the route
// declares none), else by def (the server's http.body_limit). A body whose Content-Length exceeds
// the limit is answered 413 before any of it is read; a body without one is cut at the limit, and
// reading past it fails with the same TooLarge error (wrapping *http.MaxBytesError), which handlers
// pass on.
func LimitBody(def int64, declared func(method, path string) int64) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			limit := def
			if n := declared(c.Request().Method, c.Path()); n > 0 {
				limit = n
			}
			req := c.Request()
			if req.ContentLength > limit {
				return TooLarge(limit)
			}
			if req.Body != nil && req.Body != http.NoBody {
				req.Body = &limitedBody{ReadCloser: http.MaxBytesReader(c.Response(), req.Body, limit), limit: limit}
			}
			return next(c)
		}
	}
}

// TooLarge is the refusal of a request body over limit bytes.
func TooLarge(limit int64) *errs.Error {
	return errs.Ef(errs.TooLarge, "请求体超过上限 %s", "the request body exceeds the limit of %s", SizeText(limit))
}

// SizeText writes a byte count as people read it: "17 MiB", "64 KiB", "300 B".
func SizeText(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}

// limitedBody is a body cut at limit whose overrun is the TooLarge refusal.
type limitedBody struct {
	io.ReadCloser
	limit int64
}

func (b *limitedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		err = TooLarge(b.limit).WithCause(err)
	}
	return n, err
}
