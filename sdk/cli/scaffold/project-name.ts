import { ScaffoldError } from './scaffold-error.ts';

// The project name becomes the npm package name, the Helm chart name, the ClusterRole name and the
// first label of the default API group, so it must be a DNS label (RFC 1123), which all of them accept.
const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** Helm release and chart names longer than this make names of generated objects too long. */
const MAX_PROJECT_NAME_LENGTH = 53;

/** Refuses a project name that cannot serve as package, chart and object name. */
export function checkProjectName(name: string): string {
  if (!DNS_LABEL.test(name) || name.length > MAX_PROJECT_NAME_LENGTH)
    throw new ScaffoldError(
      `"${name}" cannot name a project: use lowercase letters, digits and "-", starting with a letter ` +
        `(at most ${MAX_PROJECT_NAME_LENGTH} characters); pass --name to choose one other than the folder's`,
    );
  return name;
}

/** The API group a new project's kinds get unless `--group` says otherwise. */
export function defaultGroup(project: string): string {
  return `${project}.example.com`;
}
