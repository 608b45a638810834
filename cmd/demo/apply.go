package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/dnstest"
	"github.com/certorder/certorder/internal/localcluster"
	dcfake "github.com/certorder/certorder/internal/provider/digicert/fake"
	opfake "github.com/certorder/certorder/internal/provider/openprovider/fake"
	"github.com/certorder/certorder/internal/testenv"
)

// pollInterval replaces the samples' minute, so that the demo is quick.
var pollInterval = &metav1.Duration{Duration: 500 * time.Millisecond}

// apply scripts the fakes: DigiCert keeps DV orders pending until its
// check-dcv finds their token in zone, Openprovider keeps orders pending
// for a few polls. It creates the Secrets, the sample issuers pointed at
// the fakes (the DigiCert one as a DV issuer that publishes its tokens in
// zone), and one Certificate per issuer. It returns the Certificates.
func apply(ctx context.Context, c *localcluster.Cluster, zone *dnstest.Server, out io.Writer) ([]*cmapi.Certificate, error) {
	c.DigiCert.SetBehavior(dcfake.Behavior{Shape: dcfake.CertificateID})
	c.DigiCert.SetDNSServer(zone.Addr)
	c.Openprovider.SetBehavior(opfake.Behavior{PendingPolls: 2})

	dc := &v1alpha1.DigiCertIssuer{}
	if err := readSample("certorder_v1alpha1_digicertissuer.yaml", dc); err != nil {
		return nil, err
	}
	dc.Spec.URL, dc.Spec.PollInterval = c.DigiCertURL, pollInterval
	dc.Spec.ProductNameID, dc.Spec.SkipApproval = "ssl_dv_geotrust", true
	dc.Spec.DCV = localcluster.HandsFreeDCV(zone, "tsig")
	op := &v1alpha1.OpenproviderClusterIssuer{}
	if err := readSample("certorder_v1alpha1_openproviderclusterissuer.yaml", op); err != nil {
		return nil, err
	}
	op.Spec.URL, op.Spec.PollInterval = c.OpenproviderURL, pollInterval

	certs := []*cmapi.Certificate{
		localcluster.NewCertificate(dc.Namespace, "www-example-com", v1alpha1.DigiCertIssuerKind, dc.Name, "www.example.com", "example.com"),
		localcluster.NewCertificate(dc.Namespace, "shop-example-com", v1alpha1.OpenproviderClusterIssuerKind, op.Name, "shop.example.com"),
	}
	objs := []client.Object{
		secret(dc.Namespace, dc.Spec.APIKeySecretRef.Name, map[string]string{dc.Spec.APIKeySecretRef.Key: localcluster.DigiCertAPIKey}),
		secret(dc.Namespace, "tsig", map[string]string{"secret": localcluster.DNSZoneTSIGSecret}),
		secret(c.ClusterResourceNamespace, op.Spec.CredentialsSecretRef.Name, map[string]string{
			op.Spec.CredentialsSecretRef.UsernameKey: localcluster.OpenproviderUsername,
			op.Spec.CredentialsSecretRef.PasswordKey: localcluster.OpenproviderPassword,
		}),
		dc, op, certs[0], certs[1],
	}
	for _, obj := range objs {
		if err := c.Client.Create(ctx, obj); err != nil {
			return nil, fmt.Errorf("creating %T %s: %w", obj, obj.GetName(), err)
		}
		fmt.Fprintf(out, "created %s\n", describe(c.Client, obj))
	}
	fmt.Fprintf(out, "\n%s publishes its DNS validation tokens hands-free: RFC 2136 updates to zone %s at %s\n\n", describe(c.Client, dc), zone.Zone(), zone.Addr)
	return certs, nil
}

// readSample decodes a manifest of config/samples.
func readSample(name string, into client.Object) error {
	path := filepath.Join(testenv.RepoRoot(), "config", "samples", name)
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("reading the sample: %w", err)
	}
	if err := yaml.Unmarshal(b, into); err != nil {
		return fmt.Errorf("decoding %s: %w", path, err)
	}
	return nil
}

func secret(ns, name string, data map[string]string) *corev1.Secret {
	return &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name}, StringData: data}
}

// describe names an object as kubectl does: kind namespace/name.
func describe(c client.Client, obj client.Object) string {
	kind := fmt.Sprintf("%T", obj)
	if gvk, err := c.GroupVersionKindFor(obj); err == nil {
		kind = gvk.Kind
	}
	if obj.GetNamespace() == "" {
		return kind + " " + obj.GetName()
	}
	return kind + " " + obj.GetNamespace() + "/" + obj.GetName()
}
