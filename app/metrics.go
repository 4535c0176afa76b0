package app

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"

	"zhifa/modules/kernel/errs"
)

// metricOther is the label value of a method or status outside the closed set, and
// metricUnmatched the route of a request no route matched: a caller inventing methods or paths
// adds no series.
const (
	metricOther     = "other"
	metricUnmatched = "unmatched"
)

// metricMethods are the methods counted under their own name.
var metricMethods = map[string]bool{http.MethodGet: true, http.MethodHead: true, http.MethodPost: true, http.MethodPut: true,
	http.MethodPatch: true, http.MethodDelete: true, http.MethodConnect: true, http.MethodOptions: true, http.MethodTrace: true}

// metricsMiddleware counts requests and their latency by method, route template and status
// class, each label from a closed set (metricMethod, metricRoute, statusClass), so that the
// number of series is bounded by the routes the platform mounts.
func (a *App) metricsMiddleware() echo.MiddlewareFunc {
	reqs := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "zhifa_http_requests_total", Help: "HTTP requests by method, route and status class."},
		[]string{"method", "route", "status"})
	dur := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "zhifa_http_request_duration_seconds", Help: "HTTP request latency.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5}}, []string{"method", "route"})
	a.Metrics.MustRegister(reqs, dur)
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			err := next(c)
			status := c.Response().Status
			if err != nil {
				status = httpStatus(err)
			}
			method, route := metricMethod(c.Request().Method), metricRoute(c)
			reqs.WithLabelValues(method, route, statusClass(status)).Inc()
			dur.WithLabelValues(method, route).Observe(time.Since(start).Seconds())
			return err
		}
	}
}

// metricMethod is a request's method as a label: a standard method, or metricOther.
func metricMethod(m string) string {
	if metricMethods[m] {
		return m
	}
	return metricOther
}

// metricRoute is the route template the router matched (the registered path, never the
// request's), or metricUnmatched.
func metricRoute(c echo.Context) string {
	if r := c.Path(); r != "" {
		return r
	}
	return metricUnmatched
}

// statusClass is a status code's class, "2xx" for 200 to 299, or metricOther outside 100 to 599.
func statusClass(status int) string {
	if status < 100 || status > 599 {
		return metricOther
	}
	return strconv.Itoa(status/100) + "xx"
}

// httpStatus is the status an error a handler returned answers with.
func httpStatus(err error) int {
	var he *echo.HTTPError
	if errors.As(err, &he) {
		return he.Code
	}
	return errs.CodeOf(err).HTTPStatus()
}
