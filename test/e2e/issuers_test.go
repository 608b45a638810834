package e2e

import (
	"crypto/x509"
	"errors"
	"fmt"
	"testing"
	"time"

	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/controllers"
	"github.com/certorder/certorder/internal/localcluster"
	dcfake "github.com/certorder/certorder/internal/provider/digicert/fake"
	opfake "github.com/certorder/certorder/internal/provider/openprovider/fake"
)

// fastPoll keeps pending orders quick to follow.
const fastPoll = 200 * time.Millisecond

// issuer is a certorder issuer that a scenario's Certificates use, in the
// scenario's namespace, with the root of the fake CA behind it.
type issuer struct {
	ns, kind, name string
	root           *x509.Certificate
}

// certificate builds a Certificate from the issuer. It keeps a few
// revisions of CertificateRequests (cert-manager keeps one by default), so
// that tests can compare them.
func (iss issuer) certificate(name string, names ...string) *cmapi.Certificate {
	crt := localcluster.NewCertificate(iss.ns, name, iss.kind, iss.name, names...)
	crt.Spec.RevisionHistoryLimit = ptr.To[int32](5)
	return crt
}

// issue creates a Certificate from the issuer, waits until it is issued and
// verifies its Secret. It returns the Certificate and its leaf.
func (iss issuer) issue(t *testing.T, c client.Client, name string, names ...string) (*cmapi.Certificate, *x509.Certificate) {
	t.Helper()
	crt := iss.certificate(name, names...)
	create(t, c, crt)
	return crt, iss.verify(t, c, crt, 1)
}

// verify waits until the Certificate is issued at revision, verifies its
// Secret and returns the leaf.
func (iss issuer) verify(t *testing.T, c client.Client, crt *cmapi.Certificate, revision int) *x509.Certificate {
	t.Helper()
	s := waitIssued(t, c, crt, revision)
	return verifySecret(t, s, iss.root, crt.Spec.DNSNames...)
}

// newDigiCert starts a fake DigiCert for the test alone, so that its
// counters and behaviour are the test's.
func newDigiCert(t *testing.T) *dcfake.Server {
	t.Helper()
	fake, err := localcluster.NewDigiCert(dcfake.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fake.Close)
	return fake
}

// newOpenprovider starts a fake Openprovider for the test alone.
func newOpenprovider(t *testing.T) *opfake.Server {
	t.Helper()
	fake, err := localcluster.NewOpenprovider()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fake.Close)
	return fake
}

// digiCertIssuer creates a new namespace with a DigiCertIssuer "digicert"
// on fake, and waits until it is Ready.
func digiCertIssuer(t *testing.T, c client.Client, fake *dcfake.Server, mut ...func(*v1alpha1.DigiCertIssuerSpec)) issuer {
	t.Helper()
	secret, iss := localcluster.NewDigiCertIssuer(newNamespace(t, c), "digicert", fake.Start(), localcluster.DigiCertAPIKey, fastPoll)
	for _, m := range mut {
		m(&iss.Spec)
	}
	create(t, c, secret)
	create(t, c, iss)
	waitIssuerReady(t, c, iss)
	return issuer{ns: iss.Namespace, kind: v1alpha1.DigiCertIssuerKind, name: iss.Name, root: fake.CA().Root}
}

// openproviderIssuer creates a new namespace with an OpenproviderIssuer, or
// an OpenproviderClusterIssuer whose Secret is in the cluster resource
// namespace, on fake, and waits until it is Ready.
func openproviderIssuer(t *testing.T, c client.Client, fake *opfake.Server, cluster bool) issuer {
	t.Helper()
	ns := newNamespace(t, c)
	secret, iss := localcluster.NewOpenproviderIssuer(ns, "openprovider", fake.Start(), fastPoll)
	if !cluster {
		create(t, c, secret)
		create(t, c, iss)
		waitIssuerReady(t, c, iss)
		return issuer{ns: ns, kind: v1alpha1.OpenproviderIssuerKind, name: iss.Name, root: fake.CA().Root}
	}
	// The cluster issuers of all tests share the cluster resource namespace.
	secret.Namespace, secret.Name = stack.ClusterResourceNamespace, "openprovider-"+ns
	iss.Spec.CredentialsSecretRef.Name = secret.Name
	clusterIssuer := &v1alpha1.OpenproviderClusterIssuer{ObjectMeta: metav1.ObjectMeta{Name: "openprovider-" + ns}, Spec: iss.Spec}
	create(t, c, secret)
	create(t, c, clusterIssuer)
	waitIssuerReady(t, c, clusterIssuer)
	return issuer{ns: ns, kind: v1alpha1.OpenproviderClusterIssuerKind, name: clusterIssuer.Name, root: fake.CA().Root}
}

func waitIssuerReady(t *testing.T, c client.Client, iss controllers.Issuer) {
	t.Helper()
	eventually(t, fmt.Sprintf("%T %s Ready", iss, iss.GetName()), func() error {
		if err := c.Get(t.Context(), client.ObjectKeyFromObject(iss), iss); err != nil {
			return err
		}
		if ready, why := controllers.IsReady(iss); !ready {
			return errors.New(why)
		}
		return nil
	})
}
