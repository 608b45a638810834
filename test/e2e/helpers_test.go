package e2e

import (
	"fmt"
	"testing"
	"time"

	apiutil "github.com/cert-manager/cert-manager/pkg/api/util"
	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	cmmeta "github.com/cert-manager/cert-manager/pkg/apis/meta/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	tu "github.com/certorder/certorder/internal/testutil"
)

// eventually retries check for up to a minute.
func eventually(t *testing.T, what string, check func() error) {
	t.Helper()
	tu.Eventually(t, time.Minute, what, check)
}

func create(t *testing.T, c client.Client, obj client.Object) {
	t.Helper()
	if err := c.Create(t.Context(), obj); err != nil {
		t.Fatalf("creating %T %s: %v", obj, obj.GetName(), err)
	}
}

func newNamespace(t *testing.T, c client.Client) string {
	t.Helper()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{GenerateName: "e2e-"}}
	create(t, c, ns)
	return ns.Name
}

func createSecret(t *testing.T, c client.Client, ns, name string, data map[string]string) {
	t.Helper()
	create(t, c, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name}, StringData: data})
}

// waitIssued waits until the Certificate is Ready at the given revision
// and returns its Secret.
func waitIssued(t *testing.T, c client.Client, crt *cmapi.Certificate, revision int) *corev1.Secret {
	t.Helper()
	eventually(t, fmt.Sprintf("Certificate %s Ready at revision %d", crt.Name, revision), func() error {
		if err := c.Get(t.Context(), client.ObjectKeyFromObject(crt), crt); err != nil {
			return err
		}
		ready := apiutil.GetCertificateCondition(crt, cmapi.CertificateConditionReady)
		switch {
		case crt.Status.Revision == nil || *crt.Status.Revision != revision:
			cr := &cmapi.CertificateRequest{}
			_ = c.Get(t.Context(), client.ObjectKey{Namespace: crt.Namespace, Name: fmt.Sprintf("%s-%d", crt.Name, revision)}, cr)
			return fmt.Errorf("revision %s, Ready %+v; its request: %+v", revisionOf(crt), ready, apiutil.GetCertificateRequestCondition(cr, cmapi.CertificateRequestConditionReady))
		case ready == nil || ready.Status != cmmeta.ConditionTrue || ready.ObservedGeneration != crt.Generation:
			return fmt.Errorf("Ready %+v", ready)
		}
		return nil
	})
	s := &corev1.Secret{}
	if err := c.Get(t.Context(), client.ObjectKey{Namespace: crt.Namespace, Name: crt.Spec.SecretName}, s); err != nil {
		t.Fatal(err)
	}
	return s
}

// renew asks cert-manager to reissue now, as `cmctl renew` does: the
// Issuing condition set True with reason ManuallyTriggered.
func renew(t *testing.T, c client.Client, crt *cmapi.Certificate) {
	t.Helper()
	eventually(t, "triggering a renewal of "+crt.Name, func() error {
		cur := &cmapi.Certificate{}
		if err := c.Get(t.Context(), client.ObjectKeyFromObject(crt), cur); err != nil {
			return err
		}
		apiutil.SetCertificateCondition(cur, cur.Generation, cmapi.CertificateConditionIssuing, cmmeta.ConditionTrue,
			"ManuallyTriggered", "Certificate re-issuance manually triggered")
		return c.Status().Update(t.Context(), cur)
	})
}

// request waits for the Certificate's CertificateRequest of a revision,
// named <certificate>-<revision> (cert-manager's StableCertificateRequestName
// feature, on by default), and returns it once check accepts it.
func request(t *testing.T, c client.Client, crt *cmapi.Certificate, revision int, what string, check func(*cmapi.CertificateRequest) error) *cmapi.CertificateRequest {
	t.Helper()
	cr := &cmapi.CertificateRequest{}
	key := client.ObjectKey{Namespace: crt.Namespace, Name: fmt.Sprintf("%s-%d", crt.Name, revision)}
	eventually(t, fmt.Sprintf("CertificateRequest %s: %s", key.Name, what), func() error {
		if err := c.Get(t.Context(), key, cr); err != nil {
			return err
		}
		return check(cr)
	})
	return cr
}

// update applies mutate to the latest version of obj, retrying on conflicts.
func update[T client.Object](t *testing.T, c client.Client, obj T, mutate func(T)) {
	t.Helper()
	eventually(t, "updating "+obj.GetName(), func() error {
		if err := c.Get(t.Context(), client.ObjectKeyFromObject(obj), obj); err != nil {
			return err
		}
		mutate(obj)
		return c.Update(t.Context(), obj)
	})
}

// wantCounts compares a fake CA's counters.
func wantCounts[C comparable](t *testing.T, got, want C) {
	t.Helper()
	if got != want {
		t.Errorf("the fake CA counted %+v, want %+v", got, want)
	}
}

func revisionOf(crt *cmapi.Certificate) string {
	if crt.Status.Revision == nil {
		return "none"
	}
	return fmt.Sprint(*crt.Status.Revision)
}
