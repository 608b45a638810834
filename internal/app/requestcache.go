package app

import (
	"context"
	"fmt"
	"time"

	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/client-go/rest"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/certorder/certorder/api/v1alpha1"
)

// RequestCache is which CertificateRequests the manager's cache holds.
type RequestCache int

const (
	// AllRequests caches every request in the cluster, another issuer's
	// trimmed to its identity and issuerRef (TrimRequest).
	AllRequests RequestCache = iota
	// OwnRequests caches only requests whose issuerRef.group is
	// certorder's: the API server filters the list and the watch, so
	// another issuer's request never reaches certorder.
	OwnRequests
)

// String says, for the startup log, which requests are cached and why.
func (c RequestCache) String() string {
	if c == OwnRequests {
		return "only certorder's, selected by the API server with " + ownRequests.String()
	}
	return "all, trimmed: the API server cannot select them by spec.issuerRef.group (that needs Kubernetes 1.31 or later and cert-manager 1.20 or later CRDs)"
}

// ownRequests selects certorder's requests on the API server. It needs
// field selectors on custom resources (Kubernetes 1.31 and later, on by
// default; https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#crd-selectable-fields)
// and a CertificateRequest CRD that declares spec.issuerRef.group
// selectable (cert-manager 1.20 and later;
// https://github.com/cert-manager/cert-manager/pull/8256).
var ownRequests = fields.OneTermEqualSelector("spec.issuerRef.group", v1alpha1.GroupVersion.Group)

// ProbeRequestCache asks the API server, once and uncached, whether it
// can select CertificateRequests by issuerRef.group.
func ProbeRequestCache(ctx context.Context, r client.Reader) (RequestCache, error) {
	return probe(ctx, r, ownRequests)
}

func probe(ctx context.Context, r client.Reader, sel fields.Selector) (RequestCache, error) {
	err := r.List(ctx, &cmapi.CertificateRequestList{}, client.MatchingFieldsSelector{Selector: sel}, client.Limit(1))
	return requestCacheFor(err)
}

// requestCacheFor reads the probe's answer. The API server rejects a field
// selector it does not know with 400 Bad Request, so that alone means
// "cache every request". Any other error fails startup rather than choose
// a cache on a guess: the selector on a server that cannot serve it would
// keep the cache from ever syncing, and the full cache on a server that
// could would cost the memory the selector saves for the process's whole
// life. The manager could not start its cache through such an error
// anyway, and the kubelet restarts the pod with backoff.
func requestCacheFor(err error) (RequestCache, error) {
	switch {
	case err == nil:
		return OwnRequests, nil
	case apierrors.IsBadRequest(err):
		return AllRequests, nil
	default:
		return AllRequests, fmt.Errorf("listing CertificateRequests with the field selector %s: %w", ownRequests, err)
	}
}

// ConfigureRequestCache probes the API server at cfg, within 30 s, and
// makes opts's cache hold the requests it can select (CacheRequests).
func ConfigureRequestCache(ctx context.Context, cfg *rest.Config, opts *ctrl.Options) (RequestCache, error) {
	direct, err := client.New(cfg, client.Options{Scheme: opts.Scheme})
	if err != nil {
		return AllRequests, fmt.Errorf("creating the API client: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	c, err := ProbeRequestCache(ctx, direct)
	if err != nil {
		return c, err
	}
	CacheRequests(opts, c)
	return c, nil
}

// CacheRequests makes opts's cache hold the CertificateRequests c names.
// ManagerOptions caches all of them; OwnRequests adds the field selector.
func CacheRequests(opts *ctrl.Options, c RequestCache) {
	if c != OwnRequests {
		return
	}
	for obj, by := range opts.Cache.ByObject {
		if _, ok := obj.(*cmapi.CertificateRequest); ok {
			by.Field = ownRequests
			opts.Cache.ByObject[obj] = by
		}
	}
}
