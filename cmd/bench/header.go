package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"

	"k8s.io/client-go/discovery"

	"github.com/certorder/certorder/internal/localcluster"
)

// header prints the machine and the versions under test.
func (b *bench) header(ctx context.Context, c *localcluster.Cluster) error {
	cpuText, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return fmt.Errorf("reading /proc/cpuinfo: %w", err)
	}
	model, cpus := cpuInfo(string(cpuText))
	memTotal, err := readKiBField("/proc/meminfo", "MemTotal")
	if err != nil {
		return err
	}
	dc, err := discovery.NewDiscoveryClientForConfig(c.Config)
	if err != nil {
		return fmt.Errorf("building a discovery client: %w", err)
	}
	server, err := dc.ServerVersion()
	if err != nil {
		return fmt.Errorf("asking the API server's version: %w", err)
	}
	t := newTable("certorder bench: the local stack of internal/localcluster on this machine")
	t.add("CPU", fmt.Sprintf("%s, %d logical CPUs (/proc/cpuinfo)", model, cpus))
	t.add("Memory", fmt.Sprintf("%.1f GiB total (/proc/meminfo)", float64(memTotal)/(1<<30)))
	t.add("Go", fmt.Sprintf("%s %s/%s", runtime.Version(), runtime.GOOS, runtime.GOARCH))
	t.add("cert-manager", moduleVersion("github.com/cert-manager/cert-manager")+" (controllers in-process, from the module)")
	t.add("controller-runtime", moduleVersion("sigs.k8s.io/controller-runtime"))
	t.add("client-go", moduleVersion("k8s.io/client-go"))
	t.add("kube-apiserver", fmt.Sprintf("%s (envtest, %s)", server.GitVersion, os.Getenv("KUBEBUILDER_ASSETS")))
	return t.print(b.out)
}

// moduleVersion is the version of a module this binary was built with.
func moduleVersion(path string) string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	for _, m := range info.Deps {
		if m.Path == path {
			return m.Version
		}
	}
	return "unknown"
}
