{{/* The chart name, or nameOverride. */}}
{{- define "typerator-operators.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's full name: object names derive from it (63 characters, the DNS label limit). */}}
{{- define "typerator-operators.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "typerator-operators.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "typerator-operators.selectorLabels" -}}
app.kubernetes.io/name: {{ include "typerator-operators.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "typerator-operators.labels" -}}
helm.sh/chart: {{ include "typerator-operators.chart" . }}
{{ include "typerator-operators.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "typerator-operators.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "typerator-operators.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "typerator-operators.webhookServiceName" -}}
{{- printf "%s-webhook" (include "typerator-operators.fullname" . | trunc 55 | trimSuffix "-") }}
{{- end }}

{{- define "typerator-operators.webhookSecretName" -}}
{{- printf "%s-webhook-tls" (include "typerator-operators.fullname" . | trunc 51 | trimSuffix "-") }}
{{- end }}

{{/* The DNS names the apiserver may use for the webhook Service. */}}
{{- define "typerator-operators.webhookDnsNames" -}}
{{- $svc := include "typerator-operators.webhookServiceName" . }}
{{- $ns := .Release.Namespace }}
{{- list $svc (printf "%s.%s" $svc $ns) (printf "%s.%s.svc" $svc $ns) (printf "%s.%s.svc.cluster.local" $svc $ns) | toJson }}
{{- end }}

{{/*
The webhook CA and serving pair, as a dict with caCrt, tlsCrt and tlsKey (PEM). Generated once per
render and memoised on .Values, so the Secret, the caBundle and the pod checksum see the same
certificate; the Secret of a previous release is reused (lookup), so upgrades do not rotate it.
*/}}
{{- define "typerator-operators.webhookTls" -}}
{{- if not (hasKey .Values "__webhookTls") }}
{{- $existing := lookup "v1" "Secret" .Release.Namespace (include "typerator-operators.webhookSecretName" .) }}
{{- $data := dig "data" (dict) ($existing | default (dict)) }}
{{- $tls := dict }}
{{- if and (hasKey $data "ca.crt") (hasKey $data "tls.crt") (hasKey $data "tls.key") }}
{{- $tls = dict "caCrt" (index $data "ca.crt" | b64dec) "tlsCrt" (index $data "tls.crt" | b64dec) "tlsKey" (index $data "tls.key" | b64dec) }}
{{- else }}
{{- $days := int .Values.webhooks.certificate.validityDays }}
{{- $ca := genCA (printf "%s-webhook-ca" (include "typerator-operators.fullname" .)) $days }}
{{- $dnsNames := include "typerator-operators.webhookDnsNames" . | fromJsonArray }}
{{- $cert := genSignedCert (index $dnsNames 2) nil $dnsNames $days $ca }}
{{- $tls = dict "caCrt" $ca.Cert "tlsCrt" $cert.Cert "tlsKey" $cert.Key }}
{{- end }}
{{- $_ := set .Values "__webhookTls" $tls }}
{{- end }}
{{- toJson (get .Values "__webhookTls") }}
{{- end }}

{{/* The cert-manager Certificate's namespace/name, for the inject-ca-from annotation. */}}
{{- define "typerator-operators.certificateRef" -}}
{{- printf "%s/%s" .Release.Namespace (include "typerator-operators.fullname" .) }}
{{- end }}

{{/*
The enabled operators as a JSON list of the names operators/main.ts knows them by (--operators),
in the runner's order; rendering fails when none is enabled.
*/}}
{{- define "typerator-operators.enabledOperators" -}}
{{- $names := list }}
{{- with .Values.operators }}
{{- if .deployment.enabled }}{{ $names = append $names "deployment" }}{{ end }}
{{- if .statefulset.enabled }}{{ $names = append $names "statefulset" }}{{ end }}
{{- if .sla.enabled }}{{ $names = append $names "sla" }}{{ end }}
{{- if .appsV1.enabled }}{{ $names = append $names "apps-v1" }}{{ end }}
{{- end }}
{{- if not $names }}
{{- fail "operators: enable at least one of operators.deployment, operators.statefulset, operators.sla, operators.appsV1" }}
{{- end }}
{{- toJson $names }}
{{- end }}

{{/*
The kinds whose admission the enabled operators serve, as a JSON list of lower-case kind names: the
paths and rules operators/deployment and operators/statefulset register in
webhooks/setup-*-webhooks.ts (drop-in mode registers none).
*/}}
{{- define "typerator-operators.webhookKinds" -}}
{{- $kinds := list }}
{{- if .Values.operators.deployment.enabled }}{{ $kinds = concat $kinds (list "deployment" "replicaset") }}{{ end }}
{{- if .Values.operators.statefulset.enabled }}{{ $kinds = append $kinds "statefulset" }}{{ end }}
{{- toJson $kinds }}
{{- end }}

{{/* Whether the chart serves and registers webhooks: webhooks on, and an enabled operator has some. */}}
{{- define "typerator-operators.webhooksActive" -}}
{{- if and .Values.webhooks.enabled (include "typerator-operators.webhookKinds" . | fromJsonArray) }}true{{ end }}
{{- end }}

{{/* Whether the chart generates the webhook certificate itself (webhooks active, cert-manager off). */}}
{{- define "typerator-operators.helmManagedCerts" -}}
{{- if and (include "typerator-operators.webhooksActive" .) (not .Values.webhooks.certManager.enabled) }}true{{ end }}
{{- end }}

{{/* The leader-election Lease's name. */}}
{{- define "typerator-operators.leaderElectionId" -}}
{{- default (include "typerator-operators.fullname" .) .Values.leaderElection.id }}
{{- end }}

{{/* Whether a metrics Service is rendered (asked for, or needed by the ServiceMonitor). */}}
{{- define "typerator-operators.metricsService" -}}
{{- if or .Values.metrics.service.enabled .Values.metrics.serviceMonitor.enabled }}true{{ end }}
{{- end }}
