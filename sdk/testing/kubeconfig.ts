import { stringify } from 'yaml';

const base64 = (pem: string) => Buffer.from(pem, 'utf8').toString('base64');

/** An admin kubeconfig (client certificate auth) for a local control plane, as YAML. */
export function adminKubeconfigYaml(options: {
  readonly name: string;
  readonly server: string;
  readonly caPem: string;
  readonly clientCertPem: string;
  readonly clientKeyPem: string;
}): string {
  const { name } = options;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name, cluster: { server: options.server, 'certificate-authority-data': base64(options.caPem) } },
    ],
    users: [
      {
        name: `${name}-admin`,
        user: {
          'client-certificate-data': base64(options.clientCertPem),
          'client-key-data': base64(options.clientKeyPem),
        },
      },
    ],
    contexts: [{ name, context: { cluster: name, user: `${name}-admin`, namespace: 'default' } }],
    'current-context': name,
    preferences: {},
  });
}
