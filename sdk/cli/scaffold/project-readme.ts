import type { KindNames } from './kind-names.ts';
import { apiTypesPath, controllerPath, samplePath, webhooksPath } from './project-layout.ts';

/** README.md of a new project: its layout and the commands that matter. */
export function projectReadme(project: string, names: KindNames): string {
  const fence = '```';
  return `# ${project}

A Kubernetes operator written in TypeScript with Typerator.
Node.js runs the TypeScript sources directly; \`npm install\` brings a recent enough Node as a dev
dependency, which the npm scripts use.

## Layout

${fence}
${apiTypesPath(names).padEnd(36)} the ${names.kind} kind (${names.apiVersion}) as TypeScript types with CRD markers
${controllerPath(names).padEnd(36)} its controller: a ConfigMap per ${names.kind}, a finalizer, a Ready condition
${webhooksPath(names).padEnd(36)} its admission webhooks: defaulting and validation
${'src/operator.ts'.padEnd(36)} setup(manager): registers the controllers and webhooks
${'src/main.ts'.padEnd(36)} runs the operator (in the cluster, or against your kubeconfig); --help lists its flags
${'test/'.padEnd(36)} tests; the controller test runs a real etcd and kube-apiserver
${samplePath(names).padEnd(36)} a sample object
${'crds/'.padEnd(36)} generated CRDs (npm run crd:generate)
${'chart/'.padEnd(36)} Helm chart; chart/files/clusterrole.yaml is generated (npm run rbac:generate)
${'Dockerfile'.padEnd(36)} the operator image
${fence}

## Commands

${fence}sh
npm install
npm test                  # unit tests and the controller against a local control plane
npm start                 # typerator dev: a local cluster, the CRDs, the operator and samples/
npm run crd:generate      # src/api/*.ts → crds/ (crd:check fails when crds/ is stale)
npm run rbac:generate     # src/operator.ts → chart/files/clusterrole.yaml (rbac:check)
npm run typecheck
npm run operator          # run against the cluster of your current kubeconfig (also: npx typerator run)
${fence}

The first \`npm test\` or \`npm start\` builds the Kubernetes components (etcd, kube-apiserver,
kube-controller-manager, kube-scheduler, kubectl, kwok, helm) from Go modules into
\`~/.cache/typerator\` (Go 1.25+; about 10 minutes on 2 cores, once).

Add a kind:

${fence}sh
npx typerator create api Gadget   # src/api/gadget.ts, src/controllers/gadget-controller.ts, samples/gadget.yaml
npm run crd:generate && npm run rbac:generate
${fence}

\`create api\` registers the new controller in src/operator.ts above the
\`// typerator:scaffold:...\` comments; when those are gone it prints the two lines to add instead.

## Deploy

${fence}sh
npm run crd:generate && npm run rbac:generate
docker build -t <registry>/${project}:0.1.0 .
helm install ${project} chart -n ${project} --create-namespace \\
  --set image.repository=<registry>/${project} --set image.tag=0.1.0
${fence}

The chart installs the CRDs (chart/crds links to crds/), a ServiceAccount with the generated
ClusterRole, a Role for the leader-election Lease, and the Deployment. The admission webhooks run
when the operator gets a serving certificate (\`--webhook-cert-dir\` or \`WEBHOOK_CERT_DIR\`); the chart does not
set one up yet: add a Service, a certificate and the webhook configurations (Typerator's example
chart shows how) before turning them on.
`;
}
