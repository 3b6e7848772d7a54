// Mocha tests of the CustomsScan task: each runs index.js as the agent would, through the task library's MockTestRunner.
'use strict';

const assert = require('assert');
const cp = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { MockTestRunner } = require('azure-pipelines-task-lib/mock-test');
const { fixtures } = require('./fixtures');

const taskJson = path.join(__dirname, '..', 'task.json');
let work, customs;

// Runs the task with the real customs binary and these inputs; the reports go to a fresh folder.
async function runTask(inputs, env = {}) {
	const outputDir = fs.mkdtempSync(path.join(work, 'out-'));
	const saved = {};
	const all = Object.assign({
		CUSTOMS_TASK_TEST_INPUTS: JSON.stringify(Object.assign({ outputDir }, inputs)),
		CUSTOMS_BIN: customs,
	}, env);
	for (const [name, value] of Object.entries(all)) {
		saved[name] = process.env[name];
		if (value === undefined)
			delete process.env[name];
		else
			process.env[name] = value;
	}
	try {
		const tr = new MockTestRunner(path.join(__dirname, 'run-real.js'), taskJson);
		/* Without this, runAsync downloads a Node build to run the task with, which hangs offline. */
		tr.nodePath = process.execPath;
		await tr.runAsync();
		tr.outputDir = outputDir;
		return tr;
	} finally {
		for (const [name, value] of Object.entries(saved)) {
			if (value === undefined)
				delete process.env[name];
			else
				process.env[name] = value;
		}
	}
}

function commands(tr, name) {
	return tr.stdout.split(/\r?\n/).filter((line) => line.includes(`##vso[${name} `));
}

function variable(tr, name) {
	const re = new RegExp(`##vso\\[task\\.setvariable variable=${name};[^\\]]*\\](.*)$`);
	for (const line of tr.stdout.split(/\r?\n/)) {
		const m = re.exec(line);
		if (m)
			return m[1];
	}
	return undefined;
}

function completion(tr) {
	const done = commands(tr, 'task.complete');
	assert.strictEqual(done.length, 1, `one task.complete expected:\n${tr.stdout}\n${tr.stderr}`);
	return /result=([A-Za-z]+)/.exec(done[0])[1];
}

function explain(tr) {
	return `\n--- stdout\n${tr.stdout}\n--- stderr\n${tr.stderr}`;
}

function countActive(report, severity) {
	const all = report.findings.concat(report.checks.findings);
	return all.filter((f) => !f.suppressed && f.severity === severity).length;
}

describe('CustomsScan task', function () {
	this.timeout(120000);
	let debianTar, alpineTar, demoDb, ignoreFile;

	before(function () {
		({ work, customs, debianTar, alpineTar, demoDb, ignoreFile } = fixtures());
	});

	it('passes when the ignore file suppresses every finding at or above the threshold', async function () {
		const tr = await runTask({ input: alpineTar, db: demoDb, failOn: 'high', ignoreFile, formats: 'sarif,json,junit' });
		assert.strictEqual(completion(tr), 'Succeeded', explain(tr));
		assert.ok(tr.succeeded, explain(tr));
		assert.strictEqual(variable(tr, 'customsResult'), 'pass');
		assert.strictEqual(variable(tr, 'customsExitCode'), '0');
		assert.strictEqual(variable(tr, 'customsCritical'), '0');
		assert.strictEqual(variable(tr, 'customsSuppressed'), '4');
		const cmdline = Object.keys(tr.cmdlines).find((c) => c.includes(' scan '));
		assert.ok(cmdline && cmdline.includes('--ignore-file') && cmdline.includes('--fail-on high'), explain(tr));
		/* The SARIF goes to the artifact the SARIF Scans tab reads, the JUnit to the Tests tab. */
		const upload = commands(tr, 'artifact.upload');
		assert.strictEqual(upload.length, 1, explain(tr));
		assert.match(upload[0], /containerfolder=CodeAnalysisLogs;artifactname=CodeAnalysisLogs;?\]/);
		const sarif = upload[0].replace(/^.*\]/, '');
		assert.ok(sarif.endsWith('.sarif'), sarif);
		assert.strictEqual(JSON.parse(fs.readFileSync(sarif, 'utf8')).version, '2.1.0');
		const junit = commands(tr, 'results.publish');
		assert.strictEqual(junit.length, 1, explain(tr));
		assert.match(junit[0], /type=JUnit;/);
		const junitFile = /resultFiles=([^;\]]+)/.exec(junit[0])[1];
		assert.match(fs.readFileSync(junitFile, 'utf8'), /<testsuites/);
	});

	it('passes with failOn none and reports every finding', async function () {
		const tr = await runTask({ input: debianTar, db: demoDb, failOn: 'none', formats: 'json' });
		assert.strictEqual(completion(tr), 'Succeeded', explain(tr));
		const report = JSON.parse(fs.readFileSync(path.join(tr.outputDir, 'customs.json'), 'utf8'));
		assert.strictEqual(variable(tr, 'customsHigh'), String(countActive(report, 'high')));
		assert.ok(!Object.keys(tr.cmdlines).some((c) => c.includes('--fail-on')), explain(tr));
		/* Only the formats asked for are published. */
		assert.strictEqual(commands(tr, 'artifact.upload').length, 0);
		assert.strictEqual(commands(tr, 'results.publish').length, 0);
	});

	it('fails when the gate fails, naming the findings, and still publishes the reports', async function () {
		const tr = await runTask({ input: debianTar, db: demoDb, failOn: 'high' });
		assert.strictEqual(completion(tr), 'Failed', explain(tr));
		assert.ok(tr.failed);
		assert.strictEqual(tr.errorIssues.length, 1, explain(tr));
		assert.match(tr.errorIssues[0], /^customs gate failed: 8 findings at or above high: CVE-2023-38545 in libcurl4/);
		assert.strictEqual(variable(tr, 'customsResult'), 'fail');
		assert.strictEqual(variable(tr, 'customsExitCode'), '1');
		const report = JSON.parse(fs.readFileSync(path.join(tr.outputDir, 'customs.json'), 'utf8'));
		assert.strictEqual(variable(tr, 'customsCritical'), String(countActive(report, 'critical')));
		assert.strictEqual(variable(tr, 'customsCritical'), '2');
		assert.strictEqual(commands(tr, 'artifact.upload').length, 1, explain(tr));
		assert.strictEqual(commands(tr, 'results.publish').length, 1, explain(tr));
	});

	it('only-fixed leaves unfixed findings out of the decision', async function () {
		const tr = await runTask({ input: debianTar, db: demoDb, failOn: 'high', onlyFixed: 'true' });
		assert.strictEqual(completion(tr), 'Failed', explain(tr));
		assert.ok(Object.keys(tr.cmdlines).some((c) => c.includes('--only-fixed')), explain(tr));
		assert.doesNotMatch(tr.errorIssues[0], /CVE-2018-6829/);
	});

	it('audit mode succeeds with issues when the gate would have failed', async function () {
		const tr = await runTask({ input: debianTar, db: demoDb, failOn: 'high', audit: 'true' });
		assert.strictEqual(completion(tr), 'SucceededWithIssues', explain(tr));
		assert.ok(tr.succeeded, explain(tr));
		assert.ok(tr.stdOutContained('audit: the gate would have failed: 8 findings at or above high'), explain(tr));
		assert.strictEqual(variable(tr, 'customsResult'), 'pass');
	});

	it('fails with "bad input or usage" for a tarball that is not an image', async function () {
		const junk = path.join(work, 'junk.tar');
		fs.writeFileSync(junk, 'not an image\n');
		const tr = await runTask({ input: junk, db: demoDb });
		assert.strictEqual(completion(tr), 'Failed', explain(tr));
		assert.match(tr.errorIssues[0], /^customs scan failed: bad input or usage \(customs: .*is not a container image/);
		assert.strictEqual(variable(tr, 'customsResult'), 'error');
		assert.strictEqual(commands(tr, 'artifact.upload').length, 0);
	});

	it('passes inputs as single arguments, never through a shell', async function () {
		const odd = path.join(work, 'a b;touch pwned;$(touch pwned2).tar');
		const tr = await runTask({ input: odd, db: demoDb });
		assert.strictEqual(completion(tr), 'Failed', explain(tr));
		assert.ok(tr.errorIssues[0].includes(`cannot open '${odd}'`), explain(tr));
		assert.ok(!fs.existsSync(path.join(process.cwd(), 'pwned')) && !fs.existsSync(path.join(process.cwd(), 'pwned2')));
	});

	it('rejects both image and input, and neither, before running anything', async function () {
		let tr = await runTask({ input: alpineTar, image: 'alpine:3.19', db: demoDb });
		assert.strictEqual(completion(tr), 'Failed', explain(tr));
		assert.strictEqual(tr.errorIssues[0], 'bad input or usage: set either image or input, not both');
		assert.strictEqual(tr.invokedToolCount, 0);
		tr = await runTask({ db: demoDb });
		assert.match(tr.errorIssues[0], /^bad input or usage: set image/);
		tr = await runTask({ input: alpineTar, db: demoDb, formats: 'sarif,xml' });
		assert.match(tr.errorIssues[0], /unknown report format 'xml'/);
	});

	it('saves an image with docker save, passing the reference as one argument', async function () {
		/* A stand-in docker that logs its arguments and "saves" the debian demo image. */
		const bin = fs.mkdtempSync(path.join(work, 'bin-'));
		const log = path.join(bin, 'args');
		fs.writeFileSync(path.join(bin, 'docker'),
			`#!/bin/sh\nprintf '%s\\n' "$@" >'${log}'\n[ "$1" = save ] && [ "$3" = -o ] && cp '${debianTar}' "$4"\n`, { mode: 0o755 });
		const tr = await runTask({ image: 'customs-demo/debian:12', db: demoDb }, { PATH: `${bin}:${process.env.PATH}` });
		assert.strictEqual(completion(tr), 'Failed', explain(tr));
		assert.match(tr.errorIssues[0], /^customs gate failed: 8 findings at or above high/);
		const args = fs.readFileSync(log, 'utf8').split('\n');
		assert.deepStrictEqual(args.slice(0, 3), ['save', 'customs-demo/debian:12', '-o']);
		assert.ok(!fs.existsSync(args[3]), 'the saved tarball is removed at the end');
	});

	it('without docker, an image reference fails as bad input', async function () {
		const tr = await runTask({ image: 'alpine:3.19', db: demoDb }, { PATH: path.join(work, 'no-such-dir') });
		assert.strictEqual(completion(tr), 'Failed', explain(tr));
		assert.match(tr.errorIssues[0], /^bad input or usage: cannot read image 'alpine:3.19': no docker here/);
	});

	it('fails with the db update hint when the database is missing', async function () {
		const tr = await runTask({ input: alpineTar, db: path.join(work, 'missing.db') });
		assert.strictEqual(completion(tr), 'Failed', explain(tr));
		assert.match(tr.errorIssues[0], /^customs scan failed: vulnerability database missing or stale: run customs db update/);
	});

	it('fails with "signature did not verify" when CUSTOMS_DB_PUBKEY is set and the database is unsigned', async function () {
		const { publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
		const pub = path.join(work, 'pub.pem');
		fs.writeFileSync(pub, publicKey.export({ type: 'spki', format: 'pem' }));
		const tr = await runTask({ input: alpineTar, db: demoDb }, { CUSTOMS_DB_PUBKEY: pub });
		assert.strictEqual(completion(tr), 'Failed', explain(tr));
		assert.match(tr.errorIssues[0], /^customs scan failed: signature did not verify/);
	});

	it('downloads the database from dbUrl', async function () {
		/* A server in a child process: runAsync blocks this process's event loop while the task runs. */
		const server = cp.spawn(process.execPath, ['-e', `
			const http = require('http'), fs = require('fs');
			const s = http.createServer((req, res) => {
				const body = fs.readFileSync(process.argv[1]);
				res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
				res.end(body);
			});
			s.listen(0, '127.0.0.1', () => console.log(s.address().port));
		`, demoDb], { stdio: ['ignore', 'pipe', 'inherit'] });
		try {
			const port = await new Promise((resolve, reject) => {
				server.stdout.once('data', (d) => resolve(parseInt(d.toString(), 10)));
				server.once('exit', () => reject(new Error('the test server exited')));
			});
			const cache = fs.mkdtempSync(path.join(work, 'cache-'));
			const tr = await runTask({ input: alpineTar, dbUrl: `http://127.0.0.1:${port}/customs.db`, failOn: 'none' },
				{ XDG_CACHE_HOME: cache, CUSTOMS_DB: undefined });
			assert.strictEqual(completion(tr), 'Succeeded', explain(tr));
			assert.ok(fs.existsSync(path.join(cache, 'customs', 'db', 'customs.db')));
		} finally {
			server.kill();
		}
	});

	it('fails clearly when customsBin does not exist', async function () {
		const tr = await runTask({ input: alpineTar, db: demoDb, customsBin: path.join(work, 'no-such-customs') });
		assert.strictEqual(completion(tr), 'Failed', explain(tr));
		assert.match(tr.errorIssues[0], /^the customs binary '.*no-such-customs' does not exist$/);
	});

	it('fails clearly when no customs binary is found (mocked agent)', async function () {
		const saved = process.env.CUSTOMS_BIN;
		delete process.env.CUSTOMS_BIN;
		process.env.CUSTOMS_TASK_TEST_OUTPUT = fs.mkdtempSync(path.join(work, 'out-'));
		try {
			const tr = new MockTestRunner(path.join(__dirname, 'run-missing-binary.js'), taskJson);
			tr.nodePath = process.execPath;
			await tr.runAsync();
			assert.strictEqual(completion(tr), 'Failed', explain(tr));
			assert.strictEqual(tr.errorIssues[0],
				'cannot find the customs binary: set the customsBin input or CUSTOMS_BIN, or put customs on the PATH');
			assert.strictEqual(tr.invokedToolCount, 0);
		} finally {
			if (saved !== undefined)
				process.env.CUSTOMS_BIN = saved;
			delete process.env.CUSTOMS_TASK_TEST_OUTPUT;
		}
	});
});
