import type { V1LabelSelector } from '@kubernetes/client-node';
import { labelSelectorMatcher } from '../../deployment/logic/label-selector.ts';

// The scale subresource of a custom resource reads the selector as a string at its
// labelSelectorPath (status.selector here); the HorizontalPodAutoscaler parses it. apps/v1
// StatefulSet's /scale renders spec.selector the same way.

const OPERATORS: Readonly<Record<string, string>> = { In: 'in', NotIn: 'notin' };

/**
 * spec.selector as a label-selector string, the way apimachinery prints one: requirements sorted
 * by key and joined by commas; `k=v` for matchLabels, `k in (a,b)` / `k notin (a,b)` with sorted
 * values, `k` for Exists, `!k` for DoesNotExist. '' for an empty selector (everything). Throws
 * InvalidLabelSelectorError for a malformed selector.
 */
export function formatLabelSelector(selector: V1LabelSelector): string {
  labelSelectorMatcher(selector); // validates
  const requirements: { key: string; text: string }[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    requirements.push({ key, text: `${key}=${value}` });
  }
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const sorted = [...values].sort();
    const text =
      operator === 'Exists'
        ? key
        : operator === 'DoesNotExist'
          ? `!${key}`
          : `${key} ${OPERATORS[operator] ?? operator} (${sorted.join(',')})`;
    requirements.push({ key, text });
  }
  requirements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return requirements.map((r) => r.text).join(',');
}
