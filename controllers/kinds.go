// Package controllers holds certorder's reconcilers: one for the issuers of
// all four kinds, and one for the CertificateRequests that reference them.
// Controllers see CAs only through internal/provider; main wires the
// concrete providers in through Kinds.
package controllers

import (
	"context"
	"fmt"

	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/provider"
)

// Issuer is what the controllers need of any certorder issuer.
type Issuer interface {
	client.Object
	GetStatus() *v1alpha1.IssuerStatus
	Settings() v1alpha1.IssuerSettings
}

// ProviderBuilder makes the provider of an issuer, reading its credentials
// through secrets.
type ProviderBuilder func(ctx context.Context, issuer Issuer, secrets provider.SecretReader) (provider.Provider, error)

// Kind is one certorder issuer kind.
type Kind struct {
	// Name is the kind, as in a CertificateRequest's issuerRef.kind.
	Name string
	// Cluster is true for cluster-scoped kinds.
	Cluster bool
	// New returns an empty object of the kind.
	New func() Issuer
	// NewList returns an empty list of the kind.
	NewList func() client.ObjectList
	// Provider builds the issuer's provider.
	Provider ProviderBuilder
}

// Kinds are the issuer kinds certorder serves, by name.
type Kinds map[string]Kind

// Lookup returns the kind of an issuerRef, if it is one of ours.
func (k Kinds) Lookup(group, kind string) (Kind, bool) {
	if group != v1alpha1.GroupVersion.Group {
		return Kind{}, false
	}
	found, ok := k[kind]
	return found, ok
}

// issuerKey is where an issuer of this kind, referenced from namespace,
// lives.
func (k Kind) issuerKey(namespace, name string) client.ObjectKey {
	if k.Cluster {
		return client.ObjectKey{Name: name}
	}
	return client.ObjectKey{Namespace: namespace, Name: name}
}

// describe names an issuer for messages: "DigiCertIssuer default/digicert".
func (k Kind) describe(key client.ObjectKey) string {
	if key.Namespace == "" {
		return fmt.Sprintf("%s %s", k.Name, key.Name)
	}
	return fmt.Sprintf("%s %s/%s", k.Name, key.Namespace, key.Name)
}
