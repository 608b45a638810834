package localcluster

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	controllerpkg "github.com/cert-manager/cert-manager/pkg/controller"
	"github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/approver"
	crca "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/ca"
	crselfsigned "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/selfsigned"
	"github.com/cert-manager/cert-manager/pkg/controller/certificates/issuing"
	"github.com/cert-manager/cert-manager/pkg/controller/certificates/keymanager"
	"github.com/cert-manager/cert-manager/pkg/controller/certificates/readiness"
	"github.com/cert-manager/cert-manager/pkg/controller/certificates/requestmanager"
	"github.com/cert-manager/cert-manager/pkg/controller/certificates/revisionmanager"
	"github.com/cert-manager/cert-manager/pkg/controller/certificates/trigger"
	"github.com/cert-manager/cert-manager/pkg/controller/issuers"
	_ "github.com/cert-manager/cert-manager/pkg/issuer/ca"         // the CA Issuer, for comparison
	_ "github.com/cert-manager/cert-manager/pkg/issuer/selfsigned" // the SelfSigned Issuer, for comparison
	"k8s.io/klog/v2"
)

// certManagerControllers are the cert-manager controllers that turn a
// Certificate into a Secret through an external issuer, plus the Issuer,
// SelfSigned and CA controllers so that built-in issuers can be compared.
var certManagerControllers = []string{
	trigger.ControllerName, keymanager.ControllerName, requestmanager.ControllerName,
	issuing.ControllerName, readiness.ControllerName, revisionmanager.ControllerName,
	issuers.ControllerName, crselfsigned.CRControllerName, crca.CRControllerName,
}

// cmWorkers is cert-manager's default number of workers per controller.
const cmWorkers = 5

// startCertManager runs cert-manager's controllers as the kubeconfig's user,
// with the approver when approve is set. The returned stop cancels them and
// waits until they have returned.
func startCertManager(ctx context.Context, kubeconfig, clusterResourceNamespace string, approve bool) (stop func(), err error) {
	ctx, cancel := context.WithCancel(klog.NewContext(ctx, cmLogger()))
	defer func() {
		if err != nil {
			cancel()
		}
	}()
	factory, err := controllerpkg.NewContextFactory(ctx, controllerpkg.ContextOptions{
		Kubeconfig:         kubeconfig,
		KubernetesAPIQPS:   1000,
		KubernetesAPIBurst: 1000,
		IssuerOptions:      controllerpkg.IssuerOptions{ClusterResourceNamespace: clusterResourceNamespace},
		// cert-manager's defaults (internal/apis/config/controller/v1alpha1).
		CertificateOptions: controllerpkg.CertificateOptions{
			CopiedAnnotationPrefixes:                 []string{"*", "-kubectl.kubernetes.io/", "-fluxcd.io/", "-argocd.argoproj.io/"},
			CertificateRequestMinimumBackoffDuration: time.Hour,
			CertificateRequestMaximumBackoffDuration: 32 * time.Hour,
		},
	})
	if err != nil {
		return nil, fmt.Errorf("building cert-manager's controller context: %w", err)
	}
	names := slices.Clone(certManagerControllers)
	if approve {
		names = append(names, approver.ControllerName)
	}
	// Controllers register their informers when constructed, so every one
	// is built before the informer factories start.
	var loops []controllerpkg.Interface
	for _, name := range names {
		newLoop, ok := controllerpkg.Known()[name]
		if !ok {
			return nil, fmt.Errorf("cert-manager controller %q is not registered", name)
		}
		loop, err := newLoop(factory)
		if err != nil {
			return nil, fmt.Errorf("constructing cert-manager controller %s: %w", name, err)
		}
		loops = append(loops, loop)
	}
	shared, err := factory.Build()
	if err != nil {
		return nil, fmt.Errorf("building cert-manager's shared context: %w", err)
	}
	shared.SharedInformerFactory.Start(ctx.Done())
	shared.KubeSharedInformerFactory.Start(ctx.Done())
	var wg sync.WaitGroup
	for i, loop := range loops {
		wg.Go(func() {
			if err := loop.Run(cmWorkers, ctx); err != nil {
				cmLogger().Error(err, "cert-manager controller stopped", "controller", names[i])
			}
		})
	}
	return func() {
		cancel()
		wg.Wait()
		shared.SharedInformerFactory.Shutdown()
		shared.KubeSharedInformerFactory.Shutdown()
	}, nil
}
