{{/* The chart name, or nameOverride. */}}
{{- define "typerator-deployment-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's full name: object names derive from it (63 characters, the DNS label limit). */}}
{{- define "typerator-deployment-operator.fullname" -}}
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

{{- define "typerator-deployment-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "typerator-deployment-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "typerator-deployment-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "typerator-deployment-operator.labels" -}}
helm.sh/chart: {{ include "typerator-deployment-operator.chart" . }}
{{ include "typerator-deployment-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "typerator-deployment-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "typerator-deployment-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "typerator-deployment-operator.webhookServiceName" -}}
{{- printf "%s-webhook" (include "typerator-deployment-operator.fullname" . | trunc 55 | trimSuffix "-") }}
{{- end }}

{{- define "typerator-deployment-operator.webhookSecretName" -}}
{{- printf "%s-webhook-tls" (include "typerator-deployment-operator.fullname" . | trunc 51 | trimSuffix "-") }}
{{- end }}

{{/* The DNS names the apiserver may use for the webhook Service. */}}
{{- define "typerator-deployment-operator.webhookDnsNames" -}}
{{- $svc := include "typerator-deployment-operator.webhookServiceName" . }}
{{- $ns := .Release.Namespace }}
{{- list $svc (printf "%s.%s" $svc $ns) (printf "%s.%s.svc" $svc $ns) (printf "%s.%s.svc.cluster.local" $svc $ns) | toJson }}
{{- end }}

{{/*
The webhook CA and serving pair, as a dict with caCrt, tlsCrt and tlsKey (PEM). Generated once per
render and memoised on .Values, so the Secret, the caBundle and the pod checksum see the same
certificate; the Secret of a previous release is reused (lookup), so upgrades do not rotate it.
*/}}
{{- define "typerator-deployment-operator.webhookTls" -}}
{{- if not (hasKey .Values "__webhookTls") }}
{{- $existing := lookup "v1" "Secret" .Release.Namespace (include "typerator-deployment-operator.webhookSecretName" .) }}
{{- $data := dig "data" (dict) ($existing | default (dict)) }}
{{- $tls := dict }}
{{- if and (hasKey $data "ca.crt") (hasKey $data "tls.crt") (hasKey $data "tls.key") }}
{{- $tls = dict "caCrt" (index $data "ca.crt" | b64dec) "tlsCrt" (index $data "tls.crt" | b64dec) "tlsKey" (index $data "tls.key" | b64dec) }}
{{- else }}
{{- $days := int .Values.webhooks.certificate.validityDays }}
{{- $ca := genCA (printf "%s-webhook-ca" (include "typerator-deployment-operator.fullname" .)) $days }}
{{- $dnsNames := include "typerator-deployment-operator.webhookDnsNames" . | fromJsonArray }}
{{- $cert := genSignedCert (index $dnsNames 2) nil $dnsNames $days $ca }}
{{- $tls = dict "caCrt" $ca.Cert "tlsCrt" $cert.Cert "tlsKey" $cert.Key }}
{{- end }}
{{- $_ := set .Values "__webhookTls" $tls }}
{{- end }}
{{- toJson (get .Values "__webhookTls") }}
{{- end }}

{{/* The cert-manager Certificate's namespace/name, for the inject-ca-from annotation. */}}
{{- define "typerator-deployment-operator.certificateRef" -}}
{{- printf "%s/%s" .Release.Namespace (include "typerator-deployment-operator.fullname" .) }}
{{- end }}

{{/* Whether the chart generates the webhook certificate itself (webhooks on, cert-manager off). */}}
{{- define "typerator-deployment-operator.helmManagedCerts" -}}
{{- if and .Values.webhooks.enabled (not .Values.webhooks.certManager.enabled) }}true{{ end }}
{{- end }}
