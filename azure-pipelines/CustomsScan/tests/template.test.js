// Mocha tests of azure-pipelines/customs-template.yml: the template is expanded as Azure would and its steps run through ci/customs-ci.sh.
'use strict';

const assert = require('assert');
const cp = require('child_process');
const fs = require('fs');
const path = require('path');
const { fixtures } = require('./fixtures');

const templatePath = path.join(__dirname, '..', '..', 'customs-template.yml');
let yaml;
try {
	yaml = require('js-yaml');
} catch (e) {
	yaml = null;
}

/*
 * Expands the template expressions the template uses: ${{ parameters.NAME }} in values, and
 * ${{ if eq|ne(parameters.NAME, VALUE) }} keys in mappings and sequences. Anything else is an error,
 * so a new construct in the template must be taught here before the tests pass.
 */
function literal(text) {
	const t = text.trim();
	if (t === 'true' || t === 'false')
		return t === 'true';
	const quoted = /^'(.*)'$/.exec(t);
	if (quoted)
		return quoted[1];
	throw new Error(`unsupported literal ${text}`);
}

function same(a, b) {
	if (typeof a === 'string' && typeof b === 'string')
		return a.toLowerCase() === b.toLowerCase();
	return a === b;
}

function condition(key, params) {
	const m = /^\$\{\{\s*if\s+(eq|ne)\(parameters\.(\w+),\s*(.+)\)\s*\}\}$/.exec(key);
	if (!m)
		return undefined;
	assert.ok(m[2] in params, `unknown parameter ${m[2]}`);
	const equal = same(params[m[2]], literal(m[3]));
	return m[1] === 'eq' ? equal : !equal;
}

function expand(node, params) {
	if (typeof node === 'string') {
		const out = node.replace(/\$\{\{\s*parameters\.(\w+)\s*\}\}/g, (_, name) => {
			assert.ok(name in params, `unknown parameter ${name}`);
			return String(params[name]);
		});
		assert.ok(!out.includes('${{'), `unsupported expression in ${node}`);
		return out;
	}
	if (Array.isArray(node)) {
		const out = [];
		for (const item of node) {
			const keys = item && typeof item === 'object' && !Array.isArray(item) ? Object.keys(item) : [];
			const cond = keys.length === 1 ? condition(keys[0], params) : undefined;
			if (cond === undefined)
				out.push(expand(item, params));
			else if (cond)
				out.push(...expand(item[keys[0]], params));
		}
		return out;
	}
	if (node && typeof node === 'object') {
		const out = {};
		for (const [key, value] of Object.entries(node)) {
			const cond = condition(key, params);
			if (cond === undefined)
				out[key] = expand(value, params);
			else if (cond)
				Object.assign(out, expand(value, params));
		}
		return out;
	}
	return node;
}

function steps(given) {
	const template = yaml.load(fs.readFileSync(templatePath, 'utf8'));
	const params = {};
	for (const p of template.parameters) {
		params[p.name] = p.default;
		if (p.values)
			assert.ok(p.values.includes(p.default), `the default of ${p.name} is not one of its values`);
	}
	for (const [name, value] of Object.entries(given)) {
		assert.ok(name in params, `the template has no parameter ${name}`);
		params[name] = value;
	}
	return expand(template.steps, params);
}

/* Runs a bash step as the agent does: its env on top of the agent's, which has TF_BUILD=True. */
function runBash(step) {
	const env = {};
	for (const [name, value] of Object.entries(process.env)) {
		if (!name.startsWith('CUSTOMS'))
			env[name] = value;
	}
	Object.assign(env, step.env, { TF_BUILD: 'True' });
	const r = cp.spawnSync('bash', ['--noprofile', '--norc', '-c', step.bash], { env, encoding: 'utf8' });
	return { code: r.status, stdout: r.stdout, stderr: r.stderr, all: `${r.stdout}\n${r.stderr}` };
}

describe('customs-template.yml', function () {
	this.timeout(120000);
	let f, ciScript;

	before(function () {
		if (!yaml)
			this.skip(); /* js-yaml is not installed */
		f = fixtures();
		ciScript = path.join(f.projectDir, 'ci', 'customs-ci.sh');
		if (!fs.existsSync(ciScript))
			this.skip(); /* ci/customs-ci.sh is not there */
	});

	function params(extra) {
		return Object.assign({
			customsHome: f.projectDir,
			customsBin: f.customs,
			db: f.demoDb,
			outputDir: fs.mkdtempSync(path.join(f.work, 'tpl-')),
		}, extra);
	}

	it('passes every parameter as an environment variable, never in the script text', function () {
		const [scan] = steps(params({ input: 'x.tar' }));
		const raw = fs.readFileSync(templatePath, 'utf8');
		assert.strictEqual(scan.bash, 'sh "$CUSTOMS_HOME/ci/customs-ci.sh"');
		assert.ok(!/^\s*-?\s*(bash|script):.*\$\{\{/m.test(raw), 'a parameter is written into a script');
		assert.strictEqual(scan.env.CUSTOMS_INPUT, 'x.tar');
		assert.strictEqual(scan.env.CUSTOMS_FAIL_ON, 'high');
		assert.strictEqual(scan.env.CUSTOMS_PROVIDER, 'azure');
		assert.ok(!('CUSTOMS_ONLY_FIXED' in scan.env) && !('CUSTOMS_AUDIT' in scan.env));
	});

	it('fails the step with the gate result, and publishes through logging commands', function () {
		const all = steps(params({ input: f.debianTar }));
		assert.strictEqual(all.length, 1);
		const r = runBash(all[0]);
		assert.strictEqual(r.code, 1, r.all);
		assert.match(r.stdout, /^##vso\[task\.logissue type=error\]Customs gate failed/m);
		assert.match(r.stdout, /^##vso\[task\.complete result=Failed;\]/m);
		assert.match(r.stdout, /^##vso\[task\.setvariable variable=customsResult\]fail$/m);
		const sarif = /^##vso\[artifact\.upload containerfolder=CodeAnalysisLogs;artifactname=CodeAnalysisLogs\](.*\.sarif)$/m.exec(r.stdout);
		assert.ok(sarif && fs.existsSync(sarif[1]), r.all);
		const junit = /^##vso\[results\.publish type=JUnit;runTitle=Customs\](.*)$/m.exec(r.stdout);
		assert.ok(junit && fs.existsSync(junit[1]), r.all);
	});

	it('passes with onlyFixed and an ignore file', function () {
		const [scan] = steps(params({ input: f.alpineTar, onlyFixed: true, ignoreFile: f.ignoreFile }));
		assert.strictEqual(scan.env.CUSTOMS_ONLY_FIXED, 'true');
		const r = runBash(scan);
		assert.strictEqual(r.code, 0, r.all);
		assert.match(r.stdout, /^##vso\[task\.setvariable variable=customsResult\]pass$/m);
		assert.doesNotMatch(r.stdout, /task\.complete/);
	});

	it('audit succeeds with issues when the gate would have failed', function () {
		const r = runBash(steps(params({ input: f.debianTar, audit: true }))[0]);
		assert.strictEqual(r.code, 0, r.all);
		assert.match(r.stdout, /^##vso\[task\.complete result=SucceededWithIssues;\]/m);
	});

	it('with publishTasks, PublishTestResults@2 and PublishBuildArtifacts@1 publish the reports', function () {
		const p = params({ input: f.debianTar, publishTasks: true });
		const all = steps(p);
		assert.deepStrictEqual(all.map((s) => s.task || 'bash'), ['bash', 'PublishTestResults@2', 'PublishBuildArtifacts@1']);
		assert.strictEqual(all[0].env.CUSTOMS_PROVIDER, 'local');
		const r = runBash(all[0]);
		assert.strictEqual(r.code, 1, r.all);
		assert.doesNotMatch(r.stdout, /##vso\[/);
		for (const s of all.slice(1))
			assert.strictEqual(s.condition, 'succeededOrFailed()');
		assert.strictEqual(all[1].inputs.testResultsFormat, 'JUnit');
		assert.ok(fs.existsSync(all[1].inputs.testResultsFiles), all[1].inputs.testResultsFiles);
		assert.strictEqual(all[2].inputs.ArtifactName, 'CodeAnalysisLogs');
		assert.ok(fs.existsSync(path.join(all[2].inputs.PathtoPublish, 'customs.sarif')));
	});

	it('a bad input fails with exit code 2', function () {
		const junk = path.join(f.work, 'junk-template.tar');
		fs.writeFileSync(junk, 'not an image\n');
		const r = runBash(steps(params({ input: junk }))[0]);
		assert.strictEqual(r.code, 2, r.all);
		assert.match(r.stdout, /^##vso\[task\.complete result=Failed;\]/m);
	});
});
