package controllers

import (
	"context"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
)

// secretNameIndex indexes issuers by the names of the Secrets they read.
const secretNameIndex = "certorder.dev/secret-name"

// SetupWithManager registers the reconciler for its kind. An issuer is
// checked when its spec changes, when one of its Secrets changes, and every
// RecheckInterval.
func (r *IssuerReconciler) SetupWithManager(mgr ctrl.Manager) error {
	if err := mgr.GetFieldIndexer().IndexField(context.Background(), r.Kind.New(), secretNameIndex, func(o client.Object) []string {
		return o.(Issuer).Settings().SecretNames
	}); err != nil {
		return err
	}
	// Secrets are watched as metadata only: no Secret data is cached.
	secrets := &metav1.PartialObjectMetadata{}
	secrets.SetGroupVersionKind(corev1.SchemeGroupVersion.WithKind("Secret"))
	return ctrl.NewControllerManagedBy(mgr).
		Named(r.Kind.Name).
		For(r.Kind.New(), builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		WatchesMetadata(secrets, handler.EnqueueRequestsFromMapFunc(r.issuersOfSecret)).
		WithOptions(controllerOptions(1)).
		Complete(r)
}

// issuersOfSecret finds the issuers of this kind that read a Secret.
func (r *IssuerReconciler) issuersOfSecret(ctx context.Context, secret client.Object) []reconcile.Request {
	opts := []client.ListOption{client.MatchingFields{secretNameIndex: secret.GetName()}}
	if r.Kind.Cluster {
		if secret.GetNamespace() != r.ClusterResourceNamespace {
			return nil
		}
	} else {
		opts = append(opts, client.InNamespace(secret.GetNamespace()))
	}
	list := r.Kind.NewList()
	if err := r.Client.List(ctx, list, opts...); err != nil {
		log.FromContext(ctx).Error(err, "listing issuers of a changed Secret", "secret", client.ObjectKeyFromObject(secret))
		return nil
	}
	var reqs []reconcile.Request
	_ = meta.EachListItem(list, func(o runtime.Object) error {
		reqs = append(reqs, reconcile.Request{NamespacedName: client.ObjectKeyFromObject(o.(client.Object))})
		return nil
	})
	return reqs
}
