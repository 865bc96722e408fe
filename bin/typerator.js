#!/usr/bin/env node
// The `typerator` command. Node 22.19+ runs the TypeScript sources directly (type stripping).
await import('../sdk/cli/main.ts');
