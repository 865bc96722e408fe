// The parts of ginkgo's JSON report (--json-report) a conformance run reads.
import { readFileSync } from 'node:fs';

/** ginkgo's spec states, as its JSON report spells them. */
export type SpecState =
  'pending' | 'skipped' | 'passed' | 'failed' | 'aborted' | 'panicked' | 'interrupted' | 'timedout';

/** One node's outcome: an It (a spec) or a suite-level node such as SynchronizedBeforeSuite. */
export interface SpecOutcome {
  /** The containers' texts and the node's own, joined by spaces, as ginkgo matches --focus. */
  readonly fullText: string;
  /** The node's own text, e.g. `should provide basic identity`. */
  readonly leafText: string;
  /** `It` for a spec; suite-level set-up and tear-down nodes have their own types. */
  readonly nodeType: string;
  readonly labels: readonly string[];
  readonly state: SpecState;
  readonly seconds: number;
  /** Why it failed, or the message of a spec that skipped itself. */
  readonly message: string | undefined;
  /** Where it failed, `file:line`. */
  readonly location: string | undefined;
}

interface RawLocation {
  readonly FileName?: string;
  readonly LineNumber?: number;
}

interface RawSpecReport {
  readonly ContainerHierarchyTexts?: readonly string[] | null;
  readonly LeafNodeText?: string;
  readonly LeafNodeType?: string;
  readonly LeafNodeLabels?: readonly string[] | null;
  readonly State?: string;
  readonly RunTime?: number;
  readonly Failure?: { readonly Message?: string; readonly Location?: RawLocation };
}

interface RawSuiteReport {
  readonly SpecReports?: readonly RawSpecReport[] | null;
}

const STATES: readonly SpecState[] = [
  'pending',
  'skipped',
  'passed',
  'failed',
  'aborted',
  'panicked',
  'interrupted',
  'timedout',
];

function stateOf(value: string | undefined): SpecState {
  const state = STATES.find((s) => s === value);
  if (!state) throw new Error(`ginkgo report: unknown spec state ${JSON.stringify(value)}`);
  return state;
}

function outcomeOf(raw: RawSpecReport): SpecOutcome {
  const leafText = raw.LeafNodeText ?? '';
  const location = raw.Failure?.Location;
  return {
    fullText: [...(raw.ContainerHierarchyTexts ?? []), ...(leafText ? [leafText] : [])].join(' '),
    leafText,
    nodeType: raw.LeafNodeType ?? '',
    labels: raw.LeafNodeLabels ?? [],
    state: stateOf(raw.State),
    seconds: (raw.RunTime ?? 0) / 1e9,
    message: raw.Failure?.Message || undefined,
    location: location?.FileName ? `${location.FileName}:${location.LineNumber ?? 0}` : undefined,
  };
}

/** Every node outcome in a ginkgo JSON report (one suite report per binary run). */
export function readGinkgoReport(file: string): SpecOutcome[] {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(parsed))
    throw new Error(`${file} is not a ginkgo JSON report (expected a list of suites)`);
  const suites = parsed as readonly RawSuiteReport[];
  return suites.flatMap((suite) => (suite.SpecReports ?? []).map(outcomeOf));
}
