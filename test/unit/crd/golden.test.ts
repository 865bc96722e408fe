// Golden test: the fixture types must generate exactly the checked-in YAML.
// UPDATE_GOLDEN=1 node --test test/unit/crd/golden.test.ts rewrites the expected files.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  checkCrdFiles,
  generateCrds,
  renderCrdYaml,
  writeCrdFiles,
  type GeneratedCrd,
} from '../../../sdk/crd/index.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const goldenDir = join(repoRoot, 'test/fixtures/crd/golden');
const entries = ['test/fixtures/crd/*.ts'];

describe('CRD generation golden files', () => {
  let crds: GeneratedCrd[];
  before(() => {
    crds = generateCrds({ root: repoRoot, entries });
    if (process.env['UPDATE_GOLDEN'] === '1') {
      for (const file of readdirSync(goldenDir)) rmSync(join(goldenDir, file));
      writeCrdFiles(crds, goldenDir);
    }
  });

  it('generates one CRD per kind, named <plural>.<group>.yaml', () => {
    assert.deepEqual(
      crds.map((c) => c.fileName),
      [
        'gadgets.fixtures.typerator.dev.yaml',
        'tinydeployments.workloads.typerator.dev.yaml',
        'tinystatefulsets.workloads.typerator.dev.yaml',
        'widgets.fixtures.typerator.dev.yaml',
      ],
    );
  });

  it('matches the checked-in YAML byte for byte', () => {
    for (const { crd, fileName } of crds) {
      const expected = readFileSync(join(goldenDir, fileName), 'utf8');
      assert.ok(
        renderCrdYaml(crd) === expected,
        `${fileName} differs from test/fixtures/crd/golden; run UPDATE_GOLDEN=1 node --test ${fileURLToPath(import.meta.url)} and review the diff`,
      );
    }
    assert.equal(readdirSync(goldenDir).length, crds.length, 'no stray golden files');
  });

  it('regenerates byte-identical output from a fresh program', () => {
    const again = generateCrds({ root: repoRoot, entries });
    assert.deepEqual(
      again.map((c) => renderCrdYaml(c.crd)),
      crds.map((c) => renderCrdYaml(c.crd)),
    );
  });

  it('merges the Gadget versions with exactly one storage version, ordered by priority', () => {
    const gadget = crds.find((c) => c.crd.spec.names.kind === 'Gadget')?.crd;
    assert.ok(gadget);
    assert.deepEqual(
      gadget.spec.versions.map((v) => [v.name, v.served, v.storage, v.deprecated ?? false]),
      [
        ['v1', true, true, false],
        ['v1beta1', true, false, true],
        ['v1alpha1', false, false, true],
      ],
    );
    assert.equal(gadget.spec.scope, 'Cluster');
  });

  describe('check mode', () => {
    const outDir = mkdtempSync(join(tmpdir(), 'typerator-crd-check-'));
    after(() => rmSync(outDir, { recursive: true, force: true }));

    it('reports missing, stale and extra files, and nothing once written', async () => {
      const { writeFileSync } = await import('node:fs');
      assert.deepEqual(checkCrdFiles(crds, outDir).missing.length, crds.length);
      const first = writeCrdFiles(crds, outDir);
      assert.equal(first.written.length, crds.length);
      assert.equal(checkCrdFiles(crds, outDir).upToDate, true);
      assert.equal(writeCrdFiles(crds, outDir).unchanged.length, crds.length, 'rewriting is a no-op');
      writeFileSync(join(outDir, 'widgets.fixtures.typerator.dev.yaml'), 'stale: true\n');
      writeFileSync(join(outDir, 'old.example.dev.yaml'), 'extra: true\n');
      const check = checkCrdFiles(crds, outDir);
      assert.deepEqual(check, {
        stale: ['widgets.fixtures.typerator.dev.yaml'],
        missing: [],
        extra: ['old.example.dev.yaml'],
        upToDate: false,
      });
    });
  });
});
