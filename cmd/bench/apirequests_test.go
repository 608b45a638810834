package main

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestRequestKind(t *testing.T) {
	for _, tc := range []struct {
		method, url, contentType, want string
	}{
		{"GET", "/apis/cert-manager.io/v1/namespaces/a/certificaterequests/r", "", "get certificaterequests"},
		{"GET", "/apis/cert-manager.io/v1/certificaterequests?limit=500", "", "list certificaterequests"},
		{"GET", "/apis/cert-manager.io/v1/certificaterequests?watch=true", "", "watch certificaterequests"},
		{"GET", "/api/v1/namespaces/a/secrets/s", "", "get secrets"},
		{"GET", "/api/v1/namespaces/a", "", "get namespaces"},
		{"POST", "/apis/certorder.dev/v1alpha1/namespaces/a/certificateorders", "", "create certificateorders"},
		{"PATCH", "/apis/cert-manager.io/v1/namespaces/a/certificaterequests/r/status", "application/apply-patch+yaml", "apply certificaterequests/status"},
		{"PATCH", "/apis/cert-manager.io/v1/namespaces/a/certificaterequests/r", "application/merge-patch+json", "patch certificaterequests"},
		{"PUT", "/apis/cert-manager.io/v1/namespaces/a/certificaterequests/r/status", "", "update certificaterequests/status"},
		{"POST", "/apis/events.k8s.io/v1/namespaces/a/events", "", "create events"},
	} {
		r := httptest.NewRequest(tc.method, tc.url, nil)
		r.Header.Set("Content-Type", tc.contentType)
		if got := requestKind(r); got != tc.want {
			t.Errorf("%s %s = %q, want %q", tc.method, tc.url, got, tc.want)
		}
	}
}

func TestAPIRequestsCountsPerClient(t *testing.T) {
	a := newAPIRequests()
	ok := roundTripFunc(func(*http.Request) (*http.Response, error) { return &http.Response{StatusCode: 200}, nil })
	co, cm := a.wrap("certorder", ok), a.wrap("cert-manager", ok)
	before := a.snapshot("certorder")
	for _, rt := range []http.RoundTripper{co, co, cm} {
		if _, err := rt.RoundTrip(httptest.NewRequest("POST", "/api/v1/namespaces/a/events", nil)); err != nil {
			t.Fatal(err)
		}
	}
	if got := a.since("certorder", before)["create events"]; got != 2 {
		t.Errorf("certorder made %d, want 2", got)
	}
	if got := a.snapshot("cert-manager")["create events"]; got != 1 {
		t.Errorf("cert-manager made %d, want 1", got)
	}
}
