package localcluster

import (
	"flag"
	"os"
	"strconv"
	"sync"

	"github.com/go-logr/logr"
	"go.uber.org/zap/zapcore"
	"k8s.io/klog/v2"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
)

// VerboseEnv names the environment variable that turns the stack's logs on,
// to stderr. Its value is the verbosity: 1 shows certorder's and
// cert-manager's usual logs, 4 adds cert-manager's debug logs.
const VerboseEnv = "CERTORDER_LOCAL_VERBOSE"

var (
	logOnce sync.Once
	logger  = logr.Discard()
)

// setupLogging routes klog (cert-manager, client-go) and controller-runtime
// (certorder) to one logger: discarded unless VerboseEnv is set. Both are
// process-wide, so this happens once.
func setupLogging() {
	logOnce.Do(func() {
		v := os.Getenv(VerboseEnv)
		if v != "" {
			level, err := strconv.Atoi(v)
			if err != nil || level < 0 {
				level = 1
			}
			fs := flag.NewFlagSet("klog", flag.ContinueOnError)
			klog.InitFlags(fs)
			_ = fs.Set("v", strconv.Itoa(level))
			logger = zap.New(zap.WriteTo(os.Stderr), zap.UseDevMode(true), zap.Level(zapcore.Level(-level)))
		}
		klog.SetLogger(logger)
		ctrllog.SetLogger(logger)
	})
}

// cmLogger is cert-manager's logger.
func cmLogger() logr.Logger { return logger.WithName("cert-manager") }
