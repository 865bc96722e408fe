// The chart's values as a TypeScript type: `npm run chart:schema` turns `TyperatorOperatorsValues` into
// values.schema.json with sdk/crd's schema walker (scripts/generate-values-schema.ts), so a wrong type,
// an unknown key or a value out of range fails `helm install` with the field named. JSDoc text is the
// description; the tags are sdk/crd's field markers (sdk/crd/README.md). Every object refuses keys it
// does not declare; a property without `?` is required (values.yaml sets it, so only a `null` override
// can remove it). Kept out of the packaged chart by .helmignore.
import type {
  V1Affinity,
  V1EnvVar,
  V1PodSecurityContext,
  V1ResourceRequirements,
  V1SecurityContext,
  V1Toleration,
} from '@kubernetes/client-node';

/**
 * A TCP port number.
 * @integer
 * @minimum 1
 * @maximum 65535
 */
type Port = number;

/**
 * A Prometheus duration such as 30s, 1m or 1m30s.
 * @pattern ^([0-9]+(ms|s|m|h))+$
 */
type Duration = string;

/** String keys to string values (labels, annotations, a node selector). */
type StringMap = Record<string, string>;

/** Whether one operator runs. */
interface OperatorToggle {
  /** Run this operator (passed in --operators) and grant its ClusterRole. */
  enabled: boolean;
}

/** Which operators the process runs (passed as --operators); at least one must be enabled. */
interface Operators {
  /** apps.typerator.dev/v1 Deployment and ReplicaSet, with their admission webhooks. */
  deployment: OperatorToggle;
  /** apps.typerator.dev/v1 StatefulSet, with its admission webhooks. */
  statefulset: OperatorToggle;
  /** sla.typerator.dev/v1alpha1 ApiSla: keeps a latency objective true within a cost ceiling. */
  sla: OperatorToggle;
  /**
   * Drop-in mode (--operators apps-v1): the same controllers reconcile the built-in apps/v1 kinds. Only
   * with kube-controller-manager's deployment, replicaset and statefulset controllers turned off.
   */
  appsV1: OperatorToggle;
}

/** Leader election on a Lease in the release namespace: one replica reconciles, the others wait. */
interface LeaderElection {
  /** Elect a leader; off only with replicas 0 or 1 (rendering fails otherwise). */
  enabled: boolean;
  /**
   * The Lease's name; empty: the release's full name.
   * @maxLength 253
   * @pattern ^$|^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$
   */
  id: string;
}

/** Keeps operator pods through voluntary disruptions; rendered only with more than one replica. */
interface PodDisruptionBudget {
  enabled: boolean;
  /**
   * Pods kept available: a number or a percentage such as "50%".
   * @pattern ^[0-9]+%$
   */
  minAvailable: number | string;
}

/** The operator image. */
interface Image {
  /**
   * An image whose working directory holds this repository with its dependencies installed.
   * @minLength 1
   */
  repository: string;
  /** Image tag; empty: the chart's appVersion. */
  tag: string;
  /** When the kubelet pulls the image. */
  pullPolicy: 'Always' | 'IfNotPresent' | 'Never';
}

/** A Secret in the release namespace holding registry credentials. */
interface ImagePullSecret {
  /**
   * The Secret's name.
   * @minLength 1
   */
  name: string;
}

/** An environment variable of the operator container (a Kubernetes EnvVar). */
interface EnvVar extends V1EnvVar {
  /**
   * The variable's name.
   * @minLength 1
   */
  name: string;
}

/** The operator's ServiceAccount. */
interface ServiceAccount {
  /** Create the ServiceAccount; otherwise `name` must exist already. */
  create: boolean;
  /** Its name; empty: the release's full name. */
  name: string;
  /** Its annotations. */
  annotations: StringMap;
  /** Mount its token: the operator talks to the apiserver, so it needs it. */
  automountServiceAccountToken: boolean;
}

/** RBAC objects. */
interface Rbac {
  /** A ClusterRole and binding per enabled operator (files/), and a Role for the leader-election Lease. */
  create: boolean;
}

/** Container ports; the operator binds metrics and probes on all interfaces at these ports. */
interface Ports {
  /** /metrics. */
  metrics: Port;
  /** /healthz and /readyz. */
  probes: Port;
  /** The admission webhook server (HTTPS). */
  webhook: Port;
}

/** A ClusterIP Service in front of /metrics (Prometheus text format). */
interface MetricsService {
  enabled: boolean;
  /** The Service's port. */
  port: Port;
  /** The Service's annotations (e.g. for annotation-based scraping). */
  annotations: StringMap;
}

/** A prometheus-operator ServiceMonitor scraping the metrics Service (which it turns on). */
interface ServiceMonitor {
  /** Render it; needs the monitoring.coreos.com/v1 CRDs. */
  enabled: boolean;
  /** Labels your Prometheus selects ServiceMonitors by, e.g. release: kube-prometheus-stack. */
  labels: StringMap;
  /** Scrape interval. */
  interval: Duration;
  /**
   * Scrape timeout; empty: Prometheus's default.
   * @pattern ^$|^([0-9]+(ms|s|m|h))+$
   */
  scrapeTimeout: string;
}

/** Metrics: a Service and a ServiceMonitor. */
interface Metrics {
  service: MetricsService;
  serviceMonitor: ServiceMonitor;
}

/** A Grafana dashboard of the operators' metrics, as a ConfigMap for Grafana's dashboard sidecar. */
interface GrafanaDashboard {
  /** Render the ConfigMap (labelled grafana_dashboard: "1", the sidecar's default selector). */
  enabled: boolean;
  /**
   * The ConfigMap's namespace, e.g. Grafana's when its sidecar watches one namespace; empty: the
   * release namespace.
   * @maxLength 63
   * @pattern ^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?$
   */
  namespace: string;
  /** More labels for the ConfigMap, e.g. what your sidecar selects instead of grafana_dashboard. */
  labels: StringMap;
  /** Annotations for the ConfigMap, e.g. grafana_folder for sidecars that sort dashboards into folders. */
  annotations: StringMap;
}

/** Grafana integration. */
interface Grafana {
  dashboard: GrafanaDashboard;
}

/** The webhook Service. */
interface WebhookService {
  /** Its port (the apiserver calls it; it forwards to ports.webhook). */
  port: Port;
}

/** The certificate Helm generates when cert-manager is off. */
interface WebhookCertificate {
  /**
   * Lifetime of the generated CA and serving certificate, in days.
   * @integer
   * @minimum 1
   */
  validityDays: number;
}

/** An existing cert-manager Issuer or ClusterIssuer. */
interface IssuerRef {
  /**
   * The issuer's name.
   * @minLength 1
   */
  name?: string;
  /** Issuer (in the release namespace) or ClusterIssuer. */
  kind?: 'Issuer' | 'ClusterIssuer';
  /** The issuer's API group; default cert-manager.io. */
  group?: string;
}

/** cert-manager instead of Helm's certificate. */
interface CertManager {
  /** Let cert-manager issue the certificate and inject the caBundle. */
  enabled: boolean;
  /** An existing issuer; empty creates a self-signed CA Issuer. */
  issuerRef: IssuerRef;
}

/** The enabled operators' defaulting and validating admission webhooks. */
interface Webhooks {
  /** Serve them (the runner's one server) and register them with the apiserver. */
  enabled: boolean;
  /** What the apiserver does when no replica answers: Fail (refuse the write) or Ignore. */
  failurePolicy: 'Fail' | 'Ignore';
  /**
   * How long the apiserver waits for an answer, in seconds.
   * @integer
   * @minimum 1
   * @maximum 30
   */
  timeoutSeconds: number;
  service: WebhookService;
  certificate: WebhookCertificate;
  certManager: CertManager;
}

/** Values of the typerator-operators chart (the Typerator example operators in one Deployment). */
export interface TyperatorOperatorsValues {
  /** Helm's values shared with subcharts; this chart has none and reads nothing from it. */
  global?: Record<string, unknown>;
  operators: Operators;
  /**
   * Operator pods; leader election makes one of them reconcile. 0 installs everything but the pods.
   * @integer
   * @minimum 0
   */
  replicas: number;
  leaderElection: LeaderElection;
  podDisruptionBudget: PodDisruptionBudget;
  image: Image;
  /** Secrets for pulling the image. */
  imagePullSecrets: ImagePullSecret[];
  /** Replaces the chart name in object names. */
  nameOverride: string;
  /** Replaces the release's full name in object names. */
  fullnameOverride: string;
  /**
   * The container's command; empty: the image's entry point (node --max-semi-space-size=1 operators/main.js). The chart
   * adds --operators=<the enabled operators> before args either way.
   */
  command: string[];
  /** More arguments, after --operators. */
  args: string[];
  /** pino's level: debug logs every reconcile. */
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
  /** More environment variables for the operator container. */
  extraEnv: EnvVar[];
  serviceAccount: ServiceAccount;
  rbac: Rbac;
  ports: Ports;
  metrics: Metrics;
  grafana: Grafana;
  webhooks: Webhooks;
  /** Annotations added to the pods. */
  podAnnotations: StringMap;
  /** Labels added to the pods. */
  podLabels: StringMap;
  /** The pod's security context. */
  podSecurityContext: V1PodSecurityContext;
  /** The operator container's security context. */
  securityContext: V1SecurityContext;
  /** The operator container's resources. */
  resources: V1ResourceRequirements;
  /**
   * Seconds the pod gets after SIGTERM; the manager finishes in-flight reconciles within 30 s.
   * @integer
   * @minimum 0
   */
  terminationGracePeriodSeconds: number;
  /** The pods' PriorityClass. */
  priorityClassName: string;
  /** Nodes the pods may run on, by label. */
  nodeSelector: StringMap;
  /** The pods' tolerations. */
  tolerations: V1Toleration[];
  /** The pods' affinity. */
  affinity: V1Affinity;
}
