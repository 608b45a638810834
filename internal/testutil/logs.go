package testutil

import (
	"context"
	"strings"
	"sync"

	"github.com/go-logr/logr/funcr"
	"sigs.k8s.io/controller-runtime/pkg/log"
)

// CaptureLogs returns a context whose logger records every line at every
// verbosity, and a function that returns what was recorded.
func CaptureLogs(ctx context.Context) (context.Context, func() string) {
	var (
		mu  sync.Mutex
		buf strings.Builder
	)
	logger := funcr.New(func(prefix, args string) {
		mu.Lock()
		defer mu.Unlock()
		buf.WriteString(prefix + " " + args + "\n")
	}, funcr.Options{Verbosity: 10})
	return log.IntoContext(ctx, logger), func() string {
		mu.Lock()
		defer mu.Unlock()
		return buf.String()
	}
}
