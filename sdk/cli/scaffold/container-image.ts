import { OPERATOR_NODE_FLAGS } from '../../runner/operator-node-flags.ts';

/** A Dockerfile for the image the chart's Deployment runs: Node strips the types at start-up. */
export function dockerfile(nodeVersion: string): string {
  const major = nodeVersion.split('.')[0] ?? nodeVersion;
  const entrypoint = ['node', ...OPERATOR_NODE_FLAGS, 'src/main.ts'].map((word) => JSON.stringify(word));
  return `FROM node:${major}-slim
WORKDIR /operator
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY src/ src/
# A numeric user, so that the chart's runAsNonRoot can be checked.
USER 1000
# V8's young generation capped for a long-lived process holding its caches (Typerator's operator flags).
ENTRYPOINT [${entrypoint.join(', ')}]
`;
}

/** What the image build leaves out. */
export function dockerignore(): string {
  return ['node_modules/', 'test/', 'chart/', '*.log', ''].join('\n');
}
