// Package v1alpha1 holds the certorder.dev/v1alpha1 API: the DigiCert and
// Openprovider issuers (namespaced and cluster-scoped) and CertificateOrder,
// the record of one order placed with a certificate authority.
//
// +kubebuilder:object:generate=true
// +groupName=certorder.dev
package v1alpha1

import (
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/scheme"
)

var (
	// GroupVersion is the group and version of every certorder kind.
	GroupVersion = schema.GroupVersion{Group: "certorder.dev", Version: "v1alpha1"}

	// SchemeBuilder registers the certorder kinds with a runtime.Scheme.
	SchemeBuilder = &scheme.Builder{GroupVersion: GroupVersion}

	// AddToScheme adds the certorder kinds to a runtime.Scheme.
	AddToScheme = SchemeBuilder.AddToScheme
)
