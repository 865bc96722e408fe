import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kindNames } from '../../../sdk/cli/scaffold/kind-names.ts';
import { operatorModule } from '../../../sdk/cli/scaffold/operator-module.ts';
import { registerController } from '../../../sdk/cli/scaffold/register-controller.ts';

const widget = kindNames('Widget', 'demo.example.com', 'v1');
const gadget = kindNames('Gadget', 'demo.example.com', 'v1');
const tool = kindNames('PowerTool', 'demo.example.com', 'v1');

describe('registering a controller in operator.ts', () => {
  it('adds the import and the setup call above the markers, which stay for the next kind', () => {
    const once = registerController(operatorModule(widget), gadget);
    assert.ok(once);
    const twice = registerController(once, tool);
    assert.ok(twice);
    const lines = twice.split('\n');
    const at = (text: string) => lines.findIndex((line) => line.includes(text));
    assert.ok(at("import { setupGadgetController } from './controllers/gadget-controller.ts';") >= 0);
    assert.ok(at('setupGadgetController') < at('setupPowerToolController'));
    assert.ok(at("from './controllers/power-tool-controller.ts'") < at('// typerator:scaffold:imports'));
    assert.equal(lines[at('// typerator:scaffold:controllers') - 1], '  setupPowerToolController(manager);');
    assert.ok(at('setupWidgetController(manager)') < at('setupGadgetController(manager)'));
  });

  it('leaves a file without the markers alone', () => {
    const edited = operatorModule(widget).replace('// typerator:scaffold:controllers', '');
    assert.equal(registerController(edited, gadget), undefined);
  });
});
