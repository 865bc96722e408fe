/** The default plural of a kind, lowercased: `Policy` → `policies`, `Ingress` → `ingresses`. */
export function defaultPlural(kind: string): string {
  const lower = kind.toLowerCase();
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(lower)) return `${lower}es`;
  return `${lower}s`;
}

/**
 * Orders versions the way Kubernetes does: GA before beta before alpha, higher numbers first,
 * anything else last by name.
 */
export function compareVersions(a: string, b: string): number {
  const rank = (version: string): [number, number, number] => {
    const match = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(version);
    if (!match) return [3, 0, 0];
    const stability = match[2] === undefined ? 0 : match[2] === 'beta' ? 1 : 2;
    return [stability, -Number(match[1]), -Number(match[3] ?? 0)];
  };
  const [x, y] = [rank(a), rank(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
  return a.localeCompare(b);
}
