package main

import (
	"context"
	"fmt"
	"time"

	apiutil "github.com/cert-manager/cert-manager/pkg/api/util"
	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	cmmeta "github.com/cert-manager/cert-manager/pkg/apis/meta/v1"
	"golang.org/x/sync/errgroup"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/client-go/util/retry"
	"sigs.k8s.io/controller-runtime/pkg/client"

	tu "github.com/certorder/certorder/internal/testutil"
)

// csrs returns n P-256 CSRs for bench-<first+i>.example.com, in order.
func csrs(first, n int) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		name := fmt.Sprintf("%s.example.com", requestName(first+i))
		out[i] = tu.CSRPEM(tu.WithCommonName(name), tu.WithDNSNames(name))
	}
	return out
}

// requestName is the name of the i-th request, and the first label of its
// DNS name.
func requestName(i int) string { return fmt.Sprintf("bench-%05d", i) }

// requests builds one CertificateRequest per CSR in ns, numbered from
// first, pointed at an issuer by issuerRef(i).
func requests(ns string, first int, csrs [][]byte, issuerRef func(i int) cmmeta.IssuerReference) []*cmapi.CertificateRequest {
	out := make([]*cmapi.CertificateRequest, len(csrs))
	for i, csr := range csrs {
		out[i] = tu.CertificateRequest(ns, requestName(first+i), tu.WithCSR(csr), func(cr *cmapi.CertificateRequest) {
			cr.Spec.IssuerRef = issuerRef(i)
		})
	}
	return out
}

// createAndApprove creates and approves reqs from workers goroutines and returns
// when each started being created.
func createAndApprove(ctx context.Context, c client.Client, reqs []*cmapi.CertificateRequest, workers int) ([]time.Time, error) {
	started := make([]time.Time, len(reqs))
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	for i, cr := range reqs {
		g.Go(func() error {
			started[i] = time.Now()
			if err := c.Create(ctx, cr); err != nil {
				return fmt.Errorf("creating CertificateRequest %s/%s: %w", cr.Namespace, cr.Name, err)
			}
			return approve(ctx, c, cr)
		})
	}
	return started, g.Wait()
}

// approve sets the Approved condition through the status subresource, as
// an approver (cert-manager's, or a policy engine) would.
func approve(ctx context.Context, c client.Client, cr *cmapi.CertificateRequest) error {
	err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
		apiutil.SetCertificateRequestCondition(cr, cmapi.CertificateRequestConditionApproved, cmmeta.ConditionTrue,
			"certorder-bench", "Approved by the benchmark")
		err := c.Status().Update(ctx, cr)
		if apierrors.IsConflict(err) {
			if getErr := c.Get(ctx, client.ObjectKeyFromObject(cr), cr); getErr != nil {
				return getErr
			}
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("approving CertificateRequest %s/%s: %w", cr.Namespace, cr.Name, err)
	}
	return nil
}
