package localcluster

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"time"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// WrapFunc wraps the HTTP transport of one component's Kubernetes client;
// who is "certorder" or "cert-manager". The bench counts requests with it.
type WrapFunc func(who string, rt http.RoundTripper) http.RoundTripper

// wrapped is cfg with its transport wrapped for who, or cfg itself.
func (w WrapFunc) wrapped(who string, cfg *rest.Config) *rest.Config {
	if w == nil {
		return cfg
	}
	cfg = rest.CopyConfig(cfg)
	cfg.Wrap(func(rt http.RoundTripper) http.RoundTripper { return w(who, rt) })
	return cfg
}

// certManagerKubeconfig is the kubeconfig cert-manager's controllers run
// with: the admin's, or, with Options.Wrap, one that points at a loopback
// proxy to the API server whose transport is wrapped, since cert-manager
// builds its clients from a kubeconfig file. stop ends the proxy.
func (c *Cluster) certManagerKubeconfig() (path string, stop func(), err error) {
	if c.opts.Wrap == nil {
		return c.Kubeconfig, func() {}, nil
	}
	cfg := c.opts.Wrap.wrapped("cert-manager", c.Config)
	rt, err := rest.TransportFor(cfg)
	if err != nil {
		return "", nil, fmt.Errorf("building cert-manager's transport: %w", err)
	}
	target, err := url.Parse(cfg.Host)
	if err != nil {
		return "", nil, fmt.Errorf("parsing the API server's URL: %w", err)
	}
	proxy := &httputil.ReverseProxy{
		Rewrite:   func(r *httputil.ProxyRequest) { r.SetURL(target) },
		Transport: rt,
		// Watches stream.
		FlushInterval: -1,
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("listening for cert-manager's proxy: %w", err)
	}
	srv := &http.Server{Handler: proxy, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error(err, "cert-manager's proxy stopped")
		}
	}()
	stop = func() { _ = srv.Shutdown(context.Background()) }
	if path, err = c.kubeconfigPath("cert-manager.kubeconfig"); err != nil {
		stop()
		return "", nil, err
	}
	kc := clientcmdapi.NewConfig()
	kc.Clusters["proxy"] = &clientcmdapi.Cluster{Server: "http://" + l.Addr().String()}
	kc.AuthInfos["proxy"] = &clientcmdapi.AuthInfo{}
	kc.Contexts["proxy"] = &clientcmdapi.Context{Cluster: "proxy", AuthInfo: "proxy"}
	kc.CurrentContext = "proxy"
	if err := clientcmd.WriteToFile(*kc, path); err != nil {
		stop()
		return "", nil, fmt.Errorf("writing cert-manager's kubeconfig: %w", err)
	}
	return path, stop, nil
}
