package main

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"strings"
	"time"

	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/controllers"
	"github.com/certorder/certorder/internal/localcluster"
)

// report prints each issued certificate, as read from its Secret, with the
// order certorder recorded and what the fake CA counted.
func report(ctx context.Context, c *localcluster.Cluster, certs []*cmapi.Certificate, out io.Writer) error {
	for _, crt := range certs {
		s := &corev1.Secret{}
		if err := c.Client.Get(ctx, client.ObjectKey{Namespace: crt.Namespace, Name: crt.Spec.SecretName}, s); err != nil {
			return fmt.Errorf("reading Secret %s: %w", crt.Spec.SecretName, err)
		}
		b, _ := pem.Decode(s.Data[corev1.TLSCertKey])
		if b == nil {
			return fmt.Errorf("secret %s holds no PEM certificate", s.Name)
		}
		leaf, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return fmt.Errorf("parsing the certificate of %s: %w", s.Name, err)
		}
		ref := crt.Spec.IssuerRef
		rec := &v1alpha1.CertificateOrder{}
		key := client.ObjectKey{Namespace: crt.Namespace, Name: controllers.LedgerName(crt.Name, v1alpha1.IssuerReference{Kind: ref.Kind, Name: ref.Name})}
		if err := c.Client.Get(ctx, key, rec); err != nil {
			return fmt.Errorf("reading CertificateOrder %s: %w", key, err)
		}
		fmt.Fprintf(out, "Certificate %s/%s from %s %s (Secret %s)\n", crt.Namespace, crt.Name, ref.Kind, ref.Name, s.Name)
		fmt.Fprintf(out, "  subject:   %s\n", leaf.Subject)
		fmt.Fprintf(out, "  SANs:      %s\n", strings.Join(leaf.DNSNames, ", "))
		fmt.Fprintf(out, "  issuer:    %s\n", leaf.Issuer)
		fmt.Fprintf(out, "  validity:  %s to %s\n", leaf.NotBefore.UTC().Format(time.RFC3339), leaf.NotAfter.UTC().Format(time.RFC3339))
		fmt.Fprintf(out, "  CA order:  %s %s, state %s\n", rec.Spec.Provider, rec.Status.OrderID, rec.Status.State)
		if d := rec.Status.DCV; d != nil {
			fmt.Fprintf(out, "  DNS:       %s\n", dcvSummary(d))
		}
		fmt.Fprintf(out, "  fake CA:   %s\n\n", counts(c, ref.Kind))
	}
	return nil
}

// counts is what the fake CA behind an issuer kind counted.
func counts(c *localcluster.Cluster, kind string) string {
	if strings.HasPrefix(kind, "DigiCert") {
		n := c.DigiCert.Counts()
		return fmt.Sprintf("DigiCert orders=%d reissues=%d duplicates=%d", n.Orders, n.Reissues, n.Duplicates)
	}
	n := c.Openprovider.Counts()
	return fmt.Sprintf("Openprovider orders=%d reissues=%d renewals=%d", n.Orders, n.Reissues, n.Renewals)
}

// dcvSummary says what hands-free DNS validation did for the order.
func dcvSummary(d *v1alpha1.DCVState) string {
	published, removed := 0, 0
	for _, r := range d.Records {
		if r.PublishedAt != nil {
			published++
		}
		if r.RemovedAt != nil {
			removed++
		}
	}
	return fmt.Sprintf("%d TXT records published hands-free, %d removed after issuance", published, removed)
}
