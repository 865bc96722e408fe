import { CLUSTER_ROLE_FILE } from './project-layout.ts';

/** chart/crds links to the generated CRDs, which Helm installs before the templates. */
export const CHART_CRDS_LINK = { path: 'chart/crds', target: '../crds' } as const;

const clusterRoleInChart = CLUSTER_ROLE_FILE.replace(/^chart\//, '');

function chartYaml(project: string): string {
  return `apiVersion: v2
name: ${project}
description: ${project}, a Kubernetes operator written with Typerator
type: application
version: 0.1.0
appVersion: 0.1.0
`;
}

function valuesYaml(project: string): string {
  return `# The operator image: build it with the project's Dockerfile and push it where the cluster pulls from.
image:
  repository: ${project}
  tag: '' # default: the chart's appVersion
  pullPolicy: IfNotPresent

# Leader election lets one replica reconcile while the others wait.
replicas: 1

logLevel: info

resources:
  requests:
    cpu: 50m
    memory: 128Mi
  limits:
    memory: 256Mi
`;
}

function helpers(project: string): string {
  return `{{- define "${project}.selectorLabels" -}}
app.kubernetes.io/name: ${project}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "${project}.labels" -}}
{{ include "${project}.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end }}
`;
}

function serviceAccount(project: string): string {
  return `apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ .Release.Name }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "${project}.labels" . | nindent 4 }}
`;
}

function clusterRole(project: string): string {
  return `{{- /* The rules are generated from what the controllers declare: npm run rbac:generate. */}}
{{- $generated := .Files.Get "${clusterRoleInChart}" | fromYaml }}
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: {{ .Release.Name }}
  labels:
    {{- include "${project}.labels" . | nindent 4 }}
rules:
  {{- required "${CLUSTER_ROLE_FILE} is missing or has no rules: run npm run rbac:generate" $generated.rules | toYaml | nindent 2 }}
`;
}

function clusterRoleBinding(project: string): string {
  return `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: {{ .Release.Name }}
  labels:
    {{- include "${project}.labels" . | nindent 4 }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: {{ .Release.Name }}
subjects:
  - kind: ServiceAccount
    name: {{ .Release.Name }}
    namespace: {{ .Release.Namespace }}
`;
}

// Leader election needs Leases only in the release namespace, so they get a Role of their own
// instead of a cluster-wide rule.
function leaderElectionRole(project: string): string {
  return `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: {{ .Release.Name }}-leader-election
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "${project}.labels" . | nindent 4 }}
rules:
  - apiGroups: [coordination.k8s.io]
    resources: [leases]
    verbs: [get, list, watch, create, update, patch, delete]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: {{ .Release.Name }}-leader-election
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "${project}.labels" . | nindent 4 }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: {{ .Release.Name }}-leader-election
subjects:
  - kind: ServiceAccount
    name: {{ .Release.Name }}
    namespace: {{ .Release.Namespace }}
`;
}

function deployment(project: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "${project}.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels:
      {{- include "${project}.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "${project}.selectorLabels" . | nindent 8 }}
    spec:
      serviceAccountName: {{ .Release.Name }}
      securityContext:
        runAsNonRoot: true
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: operator
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
          imagePullPolicy: {{ .Values.image.pullPolicy }}
          env:
            - name: POD_NAMESPACE
              valueFrom:
                fieldRef:
                  fieldPath: metadata.namespace
            - name: LOG_LEVEL
              value: {{ .Values.logLevel | quote }}
          ports:
            - name: metrics
              containerPort: 8080
            - name: probes
              containerPort: 8081
          livenessProbe:
            httpGet:
              path: /healthz
              port: probes
          readinessProbe:
            httpGet:
              path: /readyz
              port: probes
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: [ALL]
`;
}

/** The chart's files by path: Chart.yaml, values.yaml and the templates (not the generated files/). */
export function helmChartFiles(project: string): Record<string, string> {
  return {
    'chart/Chart.yaml': chartYaml(project),
    'chart/values.yaml': valuesYaml(project),
    'chart/templates/_helpers.tpl': helpers(project),
    'chart/templates/serviceaccount.yaml': serviceAccount(project),
    'chart/templates/clusterrole.yaml': clusterRole(project),
    'chart/templates/clusterrolebinding.yaml': clusterRoleBinding(project),
    'chart/templates/leader-election-role.yaml': leaderElectionRole(project),
    'chart/templates/deployment.yaml': deployment(project),
  };
}
