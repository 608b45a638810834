// Package app wires certorder into a controller-runtime manager: the scheme,
// the provider registry and the reconcilers. main.go and the e2e suite share
// it, so the tests run exactly what ships.
package app

import (
	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"

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
// CertificateRequest. CertificateRequests and CertificateOrders are
// trimmed further (TrimRequest, TrimLedger). Secrets, cached only with
// --watch-secrets, keep no more than their identity (see
// secretIdentityOnly).
func ManagerOptions() ctrl.Options {
	return ctrl.Options{
		Scheme: NewScheme(),
		Cache: cache.Options{
			DefaultTransform: cache.TransformStripManagedFields(),
			ByObject: map[client.Object]cache.ByObject{
				&cmapi.CertificateRequest{}:           {Transform: TrimRequest},
				&certorderv1alpha1.CertificateOrder{}: {Transform: TrimLedger},
				&corev1.Secret{}:                      {Transform: secretIdentityOnly},
			},
		},
	}
}

// secretIdentityOnly is the cache transform of Secrets. The Secret watch
// needs only a Secret's name and namespace to find the issuers that read
// it; labels and annotations may hold anything, and `kubectl apply` copies
// the whole Secret, data included, into the
// kubectl.kubernetes.io/last-applied-configuration annotation. So the
// cache keeps the identity and nothing else, whatever form the object has.
func secretIdentityOnly(obj any) (any, error) {
	switch o := obj.(type) {
	case *metav1.PartialObjectMetadata:
		o.ObjectMeta = identity(&o.ObjectMeta)
	case *corev1.Secret:
		*o = corev1.Secret{TypeMeta: o.TypeMeta, ObjectMeta: identity(&o.ObjectMeta)}
	}
	return obj, nil
}

// identity keeps what names an object and tells its versions apart.
func identity(m *metav1.ObjectMeta) metav1.ObjectMeta {
	return metav1.ObjectMeta{Name: m.Name, Namespace: m.Namespace, UID: m.UID, ResourceVersion: m.ResourceVersion}
}
