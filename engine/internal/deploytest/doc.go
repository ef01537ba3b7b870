// Package deploytest checks the deployment examples under docs/deploy: the
// Kubernetes manifests decode strictly into the real API types (a typo in a
// field name fails the build) and agree with each other and with lockcheck's
// command line; the Dockerfile builds a static binary on a distroless base.
package deploytest
