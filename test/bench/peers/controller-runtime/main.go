// The controller-runtime side of `npm run bench -- peers`, one binary with three modes chosen by
// the first argument (default reconcile, so `peer --concurrency=4` still works):
//
//	peer [reconcile] --concurrency=4 --usage-file=/tmp/usage.json   (this file)
//	peer informer --namespace=bench                                   (informer.go)
//	peer webhook --cert-dir=/tmp/certs --port=9443                    (webhook.go)
//
// reconcile: a minimal operator that reconciles BenchItems (bench.typerator.dev/v1) the way
// test/bench/peers/typerator-peer.ts does, so the two can be compared on the same control plane.
// Per item: read it from the cache, server-side-apply a ConfigMap of the same name (controller
// reference to the item, data {value}, field manager "bench", forced), then merge-patch the item's
// status to {ready: true, observedGeneration}.
//
// No client-side rate limit, no metrics or probe servers, no leader election. Built by
// test/bench/peers/build-peer.sh into the cache folder; run with KUBECONFIG set.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"syscall"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	corev1ac "k8s.io/client-go/applyconfigurations/core/v1"
	metav1ac "k8s.io/client-go/applyconfigurations/meta/v1"
	"k8s.io/client-go/rest"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
)

var benchItemKind = schema.GroupVersionKind{Group: "bench.typerator.dev", Version: "v1", Kind: "BenchItem"}

func newBenchItem() *unstructured.Unstructured {
	item := &unstructured.Unstructured{}
	item.SetGroupVersionKind(benchItemKind)
	return item
}

type benchItemReconciler struct {
	client client.Client
}

func (r *benchItemReconciler) Reconcile(ctx context.Context, request ctrl.Request) (ctrl.Result, error) {
	item := newBenchItem()
	if err := r.client.Get(ctx, request.NamespacedName, item); err != nil {
		if apierrors.IsNotFound(err) {
			return ctrl.Result{}, nil
		}
		return ctrl.Result{}, err
	}
	value, _, err := unstructured.NestedString(item.Object, "spec", "value")
	if err != nil {
		return ctrl.Result{}, err
	}

	owner := metav1ac.OwnerReference().
		WithAPIVersion(benchItemKind.GroupVersion().String()).
		WithKind(benchItemKind.Kind).
		WithName(item.GetName()).
		WithUID(item.GetUID()).
		WithController(true).
		WithBlockOwnerDeletion(true)
	configMap := corev1ac.ConfigMap(item.GetName(), item.GetNamespace()).
		WithOwnerReferences(owner).
		WithData(map[string]string{"value": value})
	if err := r.client.Apply(ctx, configMap, client.FieldOwner("bench"), client.ForceOwnership); err != nil {
		return ctrl.Result{}, fmt.Errorf("applying ConfigMap %s/%s: %w", item.GetNamespace(), item.GetName(), err)
	}

	status, err := json.Marshal(map[string]any{
		"status": map[string]any{"ready": true, "observedGeneration": item.GetGeneration()},
	})
	if err != nil {
		return ctrl.Result{}, err
	}
	if err := r.client.Status().Patch(ctx, item, client.RawPatch(types.MergePatchType, status)); err != nil {
		return ctrl.Result{}, fmt.Errorf("patching the status of %s/%s: %w", item.GetNamespace(), item.GetName(), err)
	}
	return ctrl.Result{}, nil
}

// writeUsage records the process's CPU time and peak RSS over its whole life, for the benchmark.
func writeUsage(path string) error {
	var usage syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &usage); err != nil {
		return err
	}
	millis := func(t syscall.Timeval) float64 { return float64(t.Sec)*1000 + float64(t.Usec)/1000 }
	data, err := json.Marshal(map[string]float64{
		"userMs":    millis(usage.Utime),
		"systemMs":  millis(usage.Stime),
		"maxRssKiB": float64(usage.Maxrss),
	})
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// restConfig is the kubeconfig's client configuration as every mode uses it.
func restConfig() (*rest.Config, error) {
	config, err := ctrl.GetConfig()
	if err != nil {
		return nil, err
	}
	// A negative QPS turns client-go's rate limiter off: the Typerator side does not throttle either.
	config.QPS = -1
	config.Burst = 10_000
	config.UserAgent = "controller-runtime-peer"
	return config, nil
}

func runReconcile(args []string) error {
	concurrency := flag.Int("concurrency", 1, "reconciles running at once")
	usageFile := flag.String("usage-file", "", "write CPU time and peak RSS as JSON here on exit")
	// flag.CommandLine, not a FlagSet of its own: controller-runtime registers --kubeconfig there.
	if err := flag.CommandLine.Parse(args); err != nil {
		return err
	}
	ctrl.SetLogger(zap.New())

	config, err := restConfig()
	if err != nil {
		return err
	}

	manager, err := ctrl.NewManager(config, ctrl.Options{
		Metrics:                metricsserver.Options{BindAddress: "0"},
		HealthProbeBindAddress: "0",
		LeaderElection:         false,
		// Reads of unstructured objects go to the apiserver unless told to use the cache.
		Client: client.Options{Cache: &client.CacheOptions{Unstructured: true}},
		// Typerator's informers drop managedFields by default; without this the cache would hold
		// them for every item, and the memory comparison would be about that default alone.
		Cache: cache.Options{DefaultTransform: cache.TransformStripManagedFields()},
	})
	if err != nil {
		return err
	}
	err = ctrl.NewControllerManagedBy(manager).
		Named("benchitems").
		For(newBenchItem(), builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		WithOptions(controller.Options{MaxConcurrentReconciles: *concurrency}).
		Complete(&benchItemReconciler{client: manager.GetClient()})
	if err != nil {
		return err
	}
	if err := manager.Start(ctrl.SetupSignalHandler()); err != nil {
		return err
	}
	if *usageFile != "" {
		return writeUsage(*usageFile)
	}
	return nil
}

func main() {
	// The mode is the first argument unless that is a flag: the reconcile benchmark's command line
	// predates the other modes.
	mode, args := "reconcile", os.Args[1:]
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		mode, args = args[0], args[1:]
	}
	var err error
	switch mode {
	case "reconcile":
		err = runReconcile(args)
	case "informer":
		err = runInformer(args)
	case "webhook":
		err = runWebhook(args)
	default:
		err = fmt.Errorf("unknown mode %q: want reconcile, informer or webhook", mode)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "controller-runtime-peer:", err)
		os.Exit(1)
	}
}
