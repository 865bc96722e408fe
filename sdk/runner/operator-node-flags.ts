/**
 * The V8 flags an operator process runs with in the images Typerator builds: the example
 * operators' image (image/Containerfile*) and the Dockerfile `typerator init` writes.
 *
 * V8 sizes its young generation for allocation throughput from the machine's memory, up to 64 MiB
 * on a 24 GiB machine. An operator is long-lived, holds its caches in the old generation and never
 * allocates fast enough to need that: with each semi-space capped at 1 MiB, a 2000-object operator
 * peaked ~20 MiB lower and a 50k-ConfigMap informer ~120 MiB lower, at the same CPU and speed
 * (`npm run bench -- peers`).
 */
export const OPERATOR_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1'];
