package main

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
)

// apiRequests counts the Kubernetes API requests of certorder's and
// cert-manager's clients, by component and by verb and resource, with a
// RoundTripper in each client (localcluster.Options.Wrap).
type apiRequests struct {
	mu     sync.Mutex
	counts map[string]map[string]int
}

func newAPIRequests() *apiRequests { return &apiRequests{counts: map[string]map[string]int{}} }

// wrap is a localcluster.WrapFunc that counts who's requests.
func (a *apiRequests) wrap(who string, rt http.RoundTripper) http.RoundTripper {
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		a.mu.Lock()
		if a.counts[who] == nil {
			a.counts[who] = map[string]int{}
		}
		a.counts[who][requestKind(r)]++
		a.mu.Unlock()
		return rt.RoundTrip(r)
	})
}

// snapshot is a copy of who's counts.
func (a *apiRequests) snapshot(who string) map[string]int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return maps.Clone(a.counts[who])
}

// since is who's counts minus before.
func (a *apiRequests) since(who string, before map[string]int) map[string]int {
	diff := a.snapshot(who)
	for k, n := range before {
		diff[k] -= n
		if diff[k] == 0 {
			delete(diff, k)
		}
	}
	return diff
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// writeVerbs are the verbs that change something.
var writeVerbs = []string{"create", "update", "patch", "apply", "delete"}

// requestKind names a request "verb resource[/subresource]", with the
// Kubernetes verbs: get, list and watch for GETs, apply for a server-side
// apply patch.
func requestKind(r *http.Request) string {
	resource, named := resourceOf(r.URL.Path)
	verb := strings.ToLower(r.Method)
	switch r.Method {
	case http.MethodGet:
		switch {
		case r.URL.Query().Get("watch") == "true" || r.URL.Query().Get("watch") == "1":
			verb = "watch"
		case named:
			verb = "get"
		default:
			verb = "list"
		}
	case http.MethodPost:
		verb = "create"
	case http.MethodPut:
		verb = "update"
	case http.MethodPatch:
		if strings.HasPrefix(r.Header.Get("Content-Type"), "application/apply-patch") {
			verb = "apply"
		}
	}
	return verb + " " + resource
}

// resourceOf is the resource (with its subresource) of an API path, and
// whether the path names one object.
func resourceOf(path string) (resource string, named bool) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case len(segs) >= 2 && segs[0] == "api":
		segs = segs[2:]
	case len(segs) >= 3 && segs[0] == "apis":
		segs = segs[3:]
	default:
		return path, false
	}
	if len(segs) >= 3 && segs[0] == "namespaces" {
		segs = segs[2:]
	}
	switch len(segs) {
	case 0:
		return "discovery", false
	case 1:
		return segs[0], false
	case 2:
		return segs[0], true
	default:
		return segs[0] + "/" + strings.Join(segs[2:], "/"), true
	}
}

// apiTable prints the API requests per issued certificate of certorder
// (dc) and cert-manager (ca) in the same run, and adds the writes to the
// summary.
func (b *bench) apiTable(dc, ca result) error {
	t := newTable(fmt.Sprintf("2b. Kubernetes API requests per issued certificate, by verb, counted by a RoundTripper in each controller's client (N=%d)", dc.n),
		"verb resource", "certorder DigiCertIssuer", "cert-manager CA Issuer")
	seen := map[string]bool{}
	for _, m := range []map[string]int{dc.api, ca.api} {
		for k := range m {
			seen[k] = true
		}
	}
	kinds := slices.Sorted(maps.Keys(seen))
	for _, k := range kinds {
		t.add(k, perCert(dc.api[k], dc.n), perCert(ca.api[k], ca.n))
	}
	dcWrites, caWrites := writes(dc.api), writes(ca.api)
	t.add("writes (create, update, patch, apply, delete)", perCert(dcWrites, dc.n), perCert(caWrites, ca.n))
	t.add("all requests", perCert(allRequests(dc.api), dc.n), perCert(allRequests(ca.api), ca.n))
	t.note("Counted from the first create of the batch to its last Ready; each controller's own requests only, the bench's creates and approvals excluded.")
	if dc.n > 0 && ca.n > 0 {
		// The floor for a Certificate's first certificate (README
		// "Performance"): the CertificateOrder's create, the intent before
		// the CA call, the answer after it, the request's status and one
		// Event.
		perCertificate := float64(dcWrites) / float64(dc.n)
		b.sum.add(fmt.Sprintf("API writes per certificate, N=%d", dc.n), fmt.Sprintf("certorder %s, cert-manager CA %s", perCert(dcWrites, dc.n), perCert(caWrites, ca.n)),
			fmt.Sprintf("at most %d.00, the fewest exactly-once allows (README)", minWrites), perCertificate <= minWrites, b.atTarget(dc.n == 1000))
	}
	return t.print(b.out)
}

// minWrites is the fewest Kubernetes API writes a Certificate's first
// certificate takes with the exactly-once protocol, and one Event.
const minWrites = 5

// writes is the number of requests that change something.
func writes(counts map[string]int) int {
	n := 0
	for k, v := range counts {
		verb, _, _ := strings.Cut(k, " ")
		if slices.Contains(writeVerbs, verb) {
			n += v
		}
	}
	return n
}

// allRequests is the number of requests.
func allRequests(counts map[string]int) int {
	n := 0
	for _, v := range counts {
		n += v
	}
	return n
}
