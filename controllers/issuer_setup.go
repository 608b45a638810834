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
// checked when its spec changes, every RecheckInterval once Ready, with
// NotReadyBackoff while not Ready, and, with WatchSecrets, when one of its
// Secrets changes.
func (r *IssuerReconciler) SetupWithManager(mgr ctrl.Manager) error {
	b := ctrl.NewControllerManagedBy(mgr).
		Named(r.Kind.Name).
		For(r.Kind.New(), builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		WithOptions(controllerOptions(1))
	if r.WatchSecrets {
		if err := mgr.GetFieldIndexer().IndexField(context.Background(), r.Kind.New(), secretNameIndex, func(o client.Object) []string {
			return o.(Issuer).Settings().SecretNames
		}); err != nil {
			return err
		}
		// Secrets are watched as metadata only, and the manager's cache
		// transform keeps no more than their names: no Secret data, labels
		// or annotations are cached.
		secrets := &metav1.PartialObjectMetadata{}
		secrets.SetGroupVersionKind(corev1.SchemeGroupVersion.WithKind("Secret"))
		b = b.WatchesMetadata(secrets, handler.EnqueueRequestsFromMapFunc(r.issuersOfSecret))
	}
	return b.Complete(r)
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
