package controllers

import (
	"context"
	"fmt"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/apiutil"
)

// FieldOwner is the one field manager certorder applies status under.
const FieldOwner = "certorder"

// applyStatus writes status with server-side apply under FieldOwner. Only
// the fields in status are claimed, so cert-manager's own writes (the
// Approved condition, say) never conflict with certorder's.
func applyStatus(ctx context.Context, c client.Client, obj client.Object, status any) error {
	u, err := applyObject(c.Scheme(), obj)
	if err != nil {
		return err
	}
	fields, err := runtime.DefaultUnstructuredConverter.ToUnstructured(status)
	if err != nil {
		return fmt.Errorf("encoding the status of %s: %w", client.ObjectKeyFromObject(obj), err)
	}
	u.Object["status"] = fields
	if err := c.Status().Apply(ctx, client.ApplyConfigurationFromUnstructured(u), client.FieldOwner(FieldOwner), client.ForceOwnership); err != nil {
		return fmt.Errorf("applying the status of %s: %w", client.ObjectKeyFromObject(obj), err)
	}
	return nil
}

// applyObject is the identity of obj as an apply patch: kind, name, namespace.
func applyObject(s *runtime.Scheme, obj client.Object) (*unstructured.Unstructured, error) {
	gvk, err := apiutil.GVKForObject(obj, s)
	if err != nil {
		return nil, err
	}
	u := &unstructured.Unstructured{}
	u.SetGroupVersionKind(schema.GroupVersionKind(gvk))
	u.SetName(obj.GetName())
	u.SetNamespace(obj.GetNamespace())
	return u, nil
}
