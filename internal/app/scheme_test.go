package app_test

import (
	"testing"

	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/app"
)

func TestManagerOptions(t *testing.T) {
	opts := app.ManagerOptions()
	for _, obj := range []runtime.Object{&cmapi.CertificateRequest{}, &v1alpha1.DigiCertIssuer{}, &v1alpha1.CertificateOrder{}} {
		if kinds, _, err := opts.Scheme.ObjectKinds(obj); err != nil || len(kinds) == 0 {
			t.Errorf("the scheme does not know %T: %v", obj, err)
		}
	}
	cr := &cmapi.CertificateRequest{ObjectMeta: metav1.ObjectMeta{
		Name:          "r",
		Annotations:   map[string]string{"kept": "yes"},
		ManagedFields: []metav1.ManagedFieldsEntry{{Manager: "cert-manager-certificates-request-manager"}},
	}}
	out, err := opts.Cache.DefaultTransform(cr)
	if err != nil {
		t.Fatal(err)
	}
	cached := out.(*cmapi.CertificateRequest)
	if cached.ManagedFields != nil || cached.Annotations["kept"] != "yes" {
		t.Errorf("cached %+v, want managedFields dropped and the rest kept", cached.ObjectMeta)
	}
}

// TestSecretCacheKeepsOnlyIdentity: with --watch-secrets the Secret cache
// holds names, never labels, annotations (kubectl's last-applied copy of
// the data) or data.
func TestSecretCacheKeepsOnlyIdentity(t *testing.T) {
	opts := app.ManagerOptions()
	var transform func(any) (any, error)
	for obj, by := range opts.Cache.ByObject {
		if _, ok := obj.(*corev1.Secret); ok {
			transform = by.Transform
		}
	}
	if transform == nil {
		t.Fatal("no cache transform for Secrets")
	}
	meta := metav1.ObjectMeta{
		Name: "api-key", Namespace: "team", UID: "u1", ResourceVersion: "7",
		Labels:          map[string]string{"team": "a"},
		Annotations:     map[string]string{"kubectl.kubernetes.io/last-applied-configuration": `{"data":{"api-key":"c2VjcmV0"}}`},
		ManagedFields:   []metav1.ManagedFieldsEntry{{Manager: "kubectl"}},
		OwnerReferences: []metav1.OwnerReference{{Name: "x"}},
	}
	want := metav1.ObjectMeta{Name: "api-key", Namespace: "team", UID: "u1", ResourceVersion: "7"}
	for name, obj := range map[string]any{
		"metadata": &metav1.PartialObjectMetadata{ObjectMeta: *meta.DeepCopy()},
		"typed":    &corev1.Secret{ObjectMeta: *meta.DeepCopy(), Data: map[string][]byte{"api-key": []byte("secret")}, StringData: map[string]string{"k": "v"}},
	} {
		out, err := transform(obj)
		if err != nil {
			t.Fatal(err)
		}
		got := out.(metav1.ObjectMetaAccessor).GetObjectMeta().(*metav1.ObjectMeta)
		if !equality.Semantic.DeepEqual(*got, want) {
			t.Errorf("%s: cached metadata %+v, want only %+v", name, *got, want)
		}
		if s, ok := out.(*corev1.Secret); ok && (s.Data != nil || s.StringData != nil) {
			t.Errorf("%s: cached data %v %v", name, s.Data, s.StringData)
		}
	}
}
