import type { OutgoingHttpHeaders } from 'node:http';
import type { KubeconfigUser } from './kubeconfig.ts';

/** Whom to impersonate, as a transport's options give it. */
export interface Impersonation {
  readonly user: string;
  readonly groups?: readonly string[];
}

/**
 * Impersonate-* headers: from the options if given (they replace the kubeconfig's entirely, like
 * kubectl's --as), else from the kubeconfig user's as, as-uid, as-groups and as-user-extra.
 */
export function impersonationHeaders(
  options: Impersonation | undefined,
  user: KubeconfigUser | undefined,
): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  if (options) {
    headers['impersonate-user'] = options.user;
    if (options.groups?.length) headers['impersonate-group'] = [...options.groups];
    return headers;
  }
  if (!user?.impersonate) return headers;
  headers['impersonate-user'] = user.impersonate;
  if (user.impersonateUid) headers['impersonate-uid'] = user.impersonateUid;
  if (user.impersonateGroups?.length) headers['impersonate-group'] = [...user.impersonateGroups];
  for (const [key, values] of Object.entries(user.impersonateExtra ?? {}))
    if (values.length) headers[`impersonate-extra-${encodeURIComponent(key)}`] = [...values];
  return headers;
}
