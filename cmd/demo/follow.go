package main

import (
	"context"
	"fmt"
	"io"
	"time"

	apiutil "github.com/cert-manager/cert-manager/pkg/api/util"
	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	cmmeta "github.com/cert-manager/cert-manager/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// follow prints each Certificate's Ready condition, and that of its latest
// CertificateRequest (where certorder says what the CA waits for), whenever
// they change, until every Certificate is Ready or ctx is done.
func follow(ctx context.Context, c client.Client, certs []*cmapi.Certificate, start time.Time, out io.Writer) error {
	seen := map[string]string{}
	show := func(key, line string) {
		if seen[key] != line {
			seen[key] = line
			fmt.Fprintf(out, "[%6s] %s\n", since(start), line)
		}
	}
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		ready := 0
		for _, crt := range certs {
			if err := c.Get(ctx, client.ObjectKeyFromObject(crt), crt); err != nil {
				return fmt.Errorf("reading Certificate %s: %w", crt.Name, err)
			}
			name := crt.Namespace + "/" + crt.Name
			if cr, err := latestRequest(ctx, c, crt); err != nil {
				return err
			} else if cr != nil {
				show(name+" request", fmt.Sprintf("%s  CertificateRequest %s %s", name, cr.Name, requestReady(cr)))
			}
			show(name, fmt.Sprintf("%s  Certificate %s", name, certificateReady(crt)))
			if apiutil.CertificateHasCondition(crt, cmapi.CertificateCondition{Type: cmapi.CertificateConditionReady, Status: cmmeta.ConditionTrue}) {
				ready++
			}
		}
		if ready == len(certs) {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for the certificates: %w", context.Cause(ctx))
		case <-tick.C:
		}
	}
}

const notYet = "Ready: not yet"

func certificateReady(crt *cmapi.Certificate) string {
	c := apiutil.GetCertificateCondition(crt, cmapi.CertificateConditionReady)
	if c == nil {
		return notYet
	}
	return fmt.Sprintf("Ready=%s %s: %s", c.Status, c.Reason, c.Message)
}

func requestReady(cr *cmapi.CertificateRequest) string {
	c := apiutil.GetCertificateRequestCondition(cr, cmapi.CertificateRequestConditionReady)
	if c == nil {
		return notYet
	}
	return fmt.Sprintf("Ready=%s %s: %s", c.Status, c.Reason, c.Message)
}

// latestRequest is the Certificate's newest CertificateRequest, if any.
func latestRequest(ctx context.Context, c client.Client, crt *cmapi.Certificate) (*cmapi.CertificateRequest, error) {
	list := &cmapi.CertificateRequestList{}
	if err := c.List(ctx, list, client.InNamespace(crt.Namespace)); err != nil {
		return nil, fmt.Errorf("listing CertificateRequests: %w", err)
	}
	var latest *cmapi.CertificateRequest
	for i := range list.Items {
		cr := &list.Items[i]
		if cr.Annotations[cmapi.CertificateNameKey] == crt.Name && (latest == nil || latest.CreationTimestamp.Before(&cr.CreationTimestamp)) {
			latest = cr
		}
	}
	return latest, nil
}
