// webhook mode: a controller-runtime webhook server with one validating admission handler for
// ConfigMaps, deciding as test/bench/peers/typerator-webhook.ts does: deny a ConfigMap whose data
// has a key "forbidden", allow any other. Serves tls.crt/tls.key from --cert-dir on 127.0.0.1 at
// /validate--v1-configmap (Typerator's path for that kind) until SIGTERM.
//
//	peer webhook --cert-dir=/tmp/certs --port=9443
package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/kubernetes/scheme"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	"sigs.k8s.io/controller-runtime/pkg/webhook"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"
)

type configMapValidator struct {
	decoder admission.Decoder
}

func (v *configMapValidator) Handle(_ context.Context, request admission.Request) admission.Response {
	var configMap corev1.ConfigMap
	if err := v.decoder.Decode(request, &configMap); err != nil {
		return admission.Errored(http.StatusBadRequest, err)
	}
	if _, found := configMap.Data["forbidden"]; found {
		return admission.Denied("forbidden key")
	}
	return admission.Allowed("")
}

func runWebhook(args []string) error {
	certDir := flag.String("cert-dir", "", "folder holding tls.crt and tls.key")
	port := flag.Int("port", 9443, "port to listen on (127.0.0.1)")
	if err := flag.CommandLine.Parse(args); err != nil {
		return err
	}
	if *certDir == "" {
		return fmt.Errorf("--cert-dir is required")
	}
	ctrl.SetLogger(zap.New())
	server := webhook.NewServer(webhook.Options{Host: "127.0.0.1", Port: *port, CertDir: *certDir})
	server.Register("/validate--v1-configmap", &webhook.Admission{
		Handler: &configMapValidator{decoder: admission.NewDecoder(scheme.Scheme)},
	})
	return server.Start(ctrl.SetupSignalHandler())
}
