package manifests

import (
	"context"
	"fmt"
	"slices"
	"testing"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	"github.com/certorder/certorder/internal/testenv"
)

// strict makes the API server refuse unknown and duplicate fields, as
// `kubectl apply` does by default.
const strict = client.FieldValidation(metav1.FieldValidationStrict)

// Objects decodes every document of s, leaving out the kinds in except.
func (s Set) Objects(t testing.TB, except ...string) []*unstructured.Unstructured {
	t.Helper()
	var objs []*unstructured.Unstructured
	for kind, docs := range s {
		if slices.Contains(except, kind) {
			continue
		}
		for _, doc := range docs {
			obj := &unstructured.Unstructured{}
			if err := yaml.Unmarshal(doc, &obj.Object); err != nil {
				t.Fatalf("decoding a %s: %v", kind, err)
			}
			objs = append(objs, obj)
		}
	}
	return objs
}

// ServerDryRun starts a real API server, creates namespace, and sends each
// object of each install through a server-side dry run (dryRun=All) with
// strict field validation: created when new, updated when it exists (the
// CRDs, which the API server starts with), as `kubectl apply
// --dry-run=server` would. The API server's schema validation and
// admission judge every object as they would on install; the test fails
// with the server's answer for each object it refuses.
func ServerDryRun(t *testing.T, namespace string, installs map[string][]*unstructured.Unstructured) {
	t.Helper()
	env, err := testenv.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Stop() })
	ctx := context.Background()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: namespace}}
	if err := env.Client.Create(ctx, ns); err != nil {
		t.Fatal(err)
	}
	for name, objs := range installs {
		t.Run(name, func(t *testing.T) {
			if len(objs) == 0 {
				t.Fatal("no objects to install")
			}
			for _, obj := range objs {
				if err := dryRunApply(ctx, env.Client, obj); err != nil {
					t.Errorf("%s %s: %v", obj.GetKind(), obj.GetName(), err)
				}
			}
		})
	}
}

// dryRunApply creates obj, or updates it when it exists, with dryRun=All
// and strict field validation.
func dryRunApply(ctx context.Context, c client.Client, obj *unstructured.Unstructured) error {
	live := &unstructured.Unstructured{}
	live.SetGroupVersionKind(obj.GroupVersionKind())
	err := c.Get(ctx, client.ObjectKeyFromObject(obj), live)
	switch {
	case apierrors.IsNotFound(err):
		err = c.Create(ctx, obj.DeepCopy(), client.DryRunAll, strict)
	case err == nil:
		update := obj.DeepCopy()
		update.SetResourceVersion(live.GetResourceVersion())
		err = c.Update(ctx, update, client.DryRunAll, strict)
	}
	if err != nil {
		return fmt.Errorf("server dry run: %w", err)
	}
	return nil
}
