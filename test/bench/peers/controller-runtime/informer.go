// informer mode: how long a controller-runtime cache takes to sync the ConfigMaps of one
// namespace, and what they cost in memory, as test/bench/peers/typerator-informer.ts measures
// Typerator's informer. managedFields are dropped before objects are cached, as Typerator does by
// default. Prints one JSON line on stdout once synced, then waits for SIGTERM so the harness can
// read /proc/<pid> of a live process.
//
//	peer informer --namespace=bench [--content-type=application/json]
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	corev1 "k8s.io/api/core/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
)

// statusKiB reads fields such as VmRSS and VmHWM (in KiB) from /proc/self/status.
func statusKiB(names ...string) (map[string]float64, error) {
	file, err := os.Open("/proc/self/status")
	if err != nil {
		return nil, err
	}
	defer file.Close()
	values := map[string]float64{}
	scanner := bufio.NewScanner(file)
	for scanner.Scan() {
		name, rest, found := strings.Cut(scanner.Text(), ":")
		if !found {
			continue
		}
		for _, wanted := range names {
			if name == wanted {
				value, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
				if err != nil {
					return nil, fmt.Errorf("%s in /proc/self/status: %w", name, err)
				}
				values[name] = value
			}
		}
	}
	return values, scanner.Err()
}

// cpuMs is the process's user + system CPU time so far (getrusage, as Node's process.cpuUsage).
func cpuMs() float64 {
	var usage syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &usage); err != nil {
		return math.NaN()
	}
	millis := func(t syscall.Timeval) float64 { return float64(t.Sec)*1000 + float64(t.Usec)/1000 }
	return millis(usage.Utime) + millis(usage.Stime)
}

// liveHeapBytes is the heap still reachable after a full collection.
func liveHeapBytes() float64 {
	runtime.GC()
	var stats runtime.MemStats
	runtime.ReadMemStats(&stats)
	return float64(stats.HeapAlloc)
}

func runInformer(args []string) error {
	namespace := flag.String("namespace", "", "the namespace whose ConfigMaps to cache")
	contentType := flag.String("content-type", "",
		"wire format, e.g. application/json; default controller-runtime's choice (protobuf for built-in kinds)")
	if err := flag.CommandLine.Parse(args); err != nil {
		return err
	}
	if *namespace == "" {
		return fmt.Errorf("--namespace is required")
	}
	ctrl.SetLogger(zap.New())
	ctx := ctrl.SetupSignalHandler()

	config, err := restConfig()
	if err != nil {
		return err
	}
	config.ContentType = *contentType
	before, err := statusKiB("VmRSS")
	if err != nil {
		return err
	}
	heapBefore := liveHeapBytes()

	// The clock starts before the cache and its HTTP client exist, as on the Typerator side.
	started := time.Now()
	cpuBefore := cpuMs()
	informers, err := cache.New(config, cache.Options{
		DefaultNamespaces: map[string]cache.Config{*namespace: {}},
		DefaultTransform:  cache.TransformStripManagedFields(),
	})
	if err != nil {
		return err
	}
	if _, err := informers.GetInformer(ctx, &corev1.ConfigMap{}); err != nil {
		return err
	}
	failed := make(chan error, 1)
	go func() { failed <- informers.Start(ctx) }()
	syncCtx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	if !informers.WaitForCacheSync(syncCtx) {
		return fmt.Errorf("the cache did not sync")
	}
	syncMs := float64(time.Since(started).Microseconds()) / 1000
	syncedAt := time.Now()
	cpuAtSync := cpuMs()
	atSync, err := statusKiB("VmRSS", "VmHWM")
	if err != nil {
		return err
	}
	// Counted after reading RSS: the list holds a shallow copy of each object (no deep copies).
	var configMaps corev1.ConfigMapList
	if err := informers.List(ctx, &configMaps, client.InNamespace(*namespace), client.UnsafeDisableDeepCopy); err != nil {
		return err
	}
	count := len(configMaps.Items)
	configMaps.Items = nil
	heapAfter := liveHeapBytes()

	line, err := json.Marshal(map[string]any{
		"count":           count,
		"syncMs":          syncMs,
		"syncedAtEpochMs": float64(syncedAt.UnixMicro()) / 1000,
		"cpuBeforeMs":     cpuBefore,
		"cpuAtSyncMs":     cpuAtSync,
		"heapBeforeBytes": heapBefore,
		"heapAfterBytes":  heapAfter,
		"rssBeforeKiB":    before["VmRSS"],
		"rssAtSyncKiB":    atSync["VmRSS"],
		"hwmAtSyncKiB":    atSync["VmHWM"],
	})
	if err != nil {
		return err
	}
	fmt.Println(string(line))
	// Keep the objects reachable (and the process alive) until the harness has read /proc.
	<-ctx.Done()
	runtime.KeepAlive(informers)
	return <-failed
}
