// Package charts holds the Helm chart that deploys Zhifa to Kubernetes
// (charts/zhifa) and the tests that lint it, render it for every deployment
// tier and validate the rendered manifests against the Kubernetes API schemas.
//
// The tests need helm and kubeconform from `make tools`; see chart_test.go.
package charts
