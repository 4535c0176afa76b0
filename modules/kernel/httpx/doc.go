// Package httpx is the platform's HTTP kernel on echo: the one error handler and its body
// ({code, message, fields, request_id}), strict JSON binding, the request's principal, and the
// API registry that mounts each operation with its authorisation check and describes it in the
// OpenAPI document, so that the document and the routes cannot drift apart.
package httpx
