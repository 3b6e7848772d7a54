// Mocha tests of the task's manifests: task.json against the task library schema and against index.js, and the versions of the three manifests.
'use strict';

const assert = require('assert');
const fs = require('fs');
const path = require('path');

const taskDir = path.join(__dirname, '..');
const projectDir = process.env.CUSTOMS_PROJECT_DIR || path.resolve(taskDir, '..', '..');
const sharedData = process.env.SHARED_DATA || path.join(projectDir, '..', 'shared', 'data');
const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));
const task = readJson(path.join(taskDir, 'task.json'));

describe('task.json', function () {
	it('validates against the task library schema (ajv-draft-04)', function () {
		const schema = path.join(sharedData, 'schemas', 'azure', 'tasks.schema.json');
		let Ajv;
		try {
			Ajv = require('ajv-draft-04');
		} catch (e) {
			Ajv = null;
		}
		if (!Ajv || !fs.existsSync(schema))
			this.skip(); /* no ajv-draft-04, or no shared schema folder */
		const ajv = new Ajv({ strict: false, unicodeRegExp: false });
		const validate = ajv.compile(readJson(schema));
		assert.ok(validate(task), JSON.stringify(validate.errors, null, 2));
	});

	it('runs index.js on Node20_1 and declares every input index.js reads, and no other', function () {
		assert.deepStrictEqual(task.execution.Node20_1, { target: 'index.js', argumentFormat: '' });
		const code = fs.readFileSync(path.join(taskDir, 'index.js'), 'utf8');
		const declared = task.inputs.map((i) => i.name).sort();
		const read = [...code.matchAll(/(?:getInput|getBoolInput|optionalPath)\('(\w+)'/g)].map((m) => m[1]);
		assert.deepStrictEqual([...new Set(read)].sort(), declared);
		for (const name of ['image', 'input', 'failOn', 'onlyFixed', 'ignoreFile', 'formats', 'audit', 'db', 'dbUrl', 'customsBin', 'outputDir'])
			assert.ok(declared.includes(name), `no input ${name}`);
		const failOn = task.inputs.find((i) => i.name === 'failOn');
		assert.deepStrictEqual(Object.keys(failOn.options), ['critical', 'high', 'medium', 'low', 'unknown', 'none']);
		assert.strictEqual(failOn.defaultValue, 'high');
	});

	it('has the same version as package.json and vss-extension.json', function () {
		const v = task.version;
		const version = `${v.Major}.${v.Minor}.${v.Patch}`;
		assert.strictEqual(readJson(path.join(taskDir, 'package.json')).version, version);
		assert.strictEqual(readJson(path.join(taskDir, '..', 'vss-extension.json')).version, version);
	});
});
