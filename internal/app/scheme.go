// Package app wires certorder into a controller-runtime manager: the scheme,
// the provider registry and the reconcilers. main.go and the e2e suite share
// it, so the tests run exactly what ships.
package app

import (
	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	"k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"

	certorderv1alpha1 "github.com/certorder/certorder/api/v1alpha1"
)

// NewScheme knows the Kubernetes built-ins, cert-manager's and certorder's kinds.
func NewScheme() *runtime.Scheme {
	s := runtime.NewScheme()
	utilruntime.Must(clientgoscheme.AddToScheme(s))
	utilruntime.Must(cmapi.AddToScheme(s))
	utilruntime.Must(certorderv1alpha1.AddToScheme(s))
	return s
}

// ManagerOptions are the manager settings that every certorder manager
// shares; callers add addresses and leader election. The cache drops
// managedFields: certorder never reads them (it writes status by
// server-side apply and annotations by merge patch, neither of which sends
// them back), and they are a large share of every cached
// CertificateRequest. CertificateRequests are trimmed further (TrimRequest).
func ManagerOptions() ctrl.Options {
	return ctrl.Options{
		Scheme: NewScheme(),
		Cache:  cache.Options{DefaultTransform: cache.TransformStripManagedFields(), ByObject: requestCache()},
	}
}
