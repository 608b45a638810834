package controllers

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/certorder/certorder/internal/provider"
)

// SecretNotFoundError: the issuer's Secret does not exist.
type SecretNotFoundError struct {
	Key client.ObjectKey
	Err error
}

var _ error = &SecretNotFoundError{}

func (e *SecretNotFoundError) Error() string {
	return fmt.Sprintf("Secret %s not found", e.Key)
}

func (e *SecretNotFoundError) Unwrap() error { return e.Err }

// SecretKeyMissingError: the Secret exists but lacks the key.
type SecretKeyMissingError struct {
	Key  client.ObjectKey
	Name string
}

var _ error = &SecretKeyMissingError{}

func (e *SecretKeyMissingError) Error() string {
	return fmt.Sprintf("Secret %s has no key %q", e.Key, e.Name)
}

// secretNamespace is the only namespace an issuer may read Secrets from:
// its own, or the cluster resource namespace for cluster-scoped kinds.
func secretNamespace(issuer Issuer, clusterResourceNamespace string) string {
	if issuer.GetNamespace() == "" {
		return clusterResourceNamespace
	}
	return issuer.GetNamespace()
}

// secretReader reads keys of Secrets in one namespace through an uncached
// reader, so Secret data is never held in a cache.
func secretReader(r client.Reader, namespace string) provider.SecretReader {
	return func(ctx context.Context, name, key string) ([]byte, error) {
		objKey := client.ObjectKey{Namespace: namespace, Name: name}
		var s corev1.Secret
		if err := r.Get(ctx, objKey, &s); err != nil {
			if apierrors.IsNotFound(err) {
				return nil, &SecretNotFoundError{Key: objKey, Err: err}
			}
			return nil, fmt.Errorf("reading Secret %s: %w", objKey, err)
		}
		v, ok := s.Data[key]
		if !ok || len(v) == 0 {
			return nil, &SecretKeyMissingError{Key: objKey, Name: key}
		}
		return v, nil
	}
}
