// Azure Pipelines task: runs `customs scan`, publishes its JUnit and SARIF reports and sets the task result from its exit code.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const tl = require('azure-pipelines-task-lib/task');

// The fixed report names every Customs integration uses (see ci/customs-ci.sh).
const REPORT_FILES = {
	json: 'customs.json',
	sarif: 'customs.sarif',
	junit: 'customs-junit.xml',
	markdown: 'customs.md',
	html: 'customs.html',
	cyclonedx: 'customs.cdx.json',
	spdx: 'customs.spdx.json',
	gitlab: 'gl-container-scanning-report.json',
};
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'unknown'];

// Exit codes are customs' public API; these say what the user should do about each.
const EXIT_MESSAGES = {
	2: 'bad input or usage',
	3: 'vulnerability database missing or stale: run customs db update (or set the db or dbUrl input)',
	4: 'signature did not verify',
};

class TaskError extends Error {}

function capitalized(word) {
	return word.charAt(0).toUpperCase() + word.slice(1);
}

// A filePath input left empty comes back as the sources folder, so ask whether it was really given.
function optionalPath(name) {
	if (!tl.getInput(name, false) || !tl.filePathSupplied(name))
		return '';
	const file = tl.getPathInput(name, false, false);
	if (!fs.existsSync(file))
		throw new TaskError(`bad input or usage: the ${name} '${file}' does not exist`);
	return file;
}

function readInputs() {
	const inputs = {
		image: (tl.getInput('image', false) || '').trim(),
		target: (tl.getInput('input', false) || '').trim(),
		failOn: (tl.getInput('failOn', false) || 'high').trim().toLowerCase(),
		onlyFixed: tl.getBoolInput('onlyFixed', false),
		audit: tl.getBoolInput('audit', false),
		ignoreFile: optionalPath('ignoreFile'),
		dockerfile: optionalPath('dockerfile'),
		vex: (tl.getInput('vex', false) || '').split(/[\n,]/).map((s) => s.trim()).filter(Boolean),
		formats: (tl.getInput('formats', false) || 'sarif,json,junit').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean),
		outputDir: path.resolve((tl.getInput('outputDir', false) || '').trim() || 'customs-reports'),
		db: (tl.getInput('db', false) || '').trim(),
		dbUrl: (tl.getInput('dbUrl', false) || '').trim(),
		customsBin: (tl.getInput('customsBin', false) || '').trim(),
	};
	if (inputs.image && inputs.target)
		throw new TaskError('bad input or usage: set either image or input, not both');
	if (!inputs.image && !inputs.target)
		throw new TaskError('bad input or usage: set image (an image reference) or input (a tarball or target to scan)');
	if (inputs.failOn !== 'none' && !SEVERITIES.includes(inputs.failOn))
		throw new TaskError(`bad input or usage: failOn '${inputs.failOn}' is not one of ${SEVERITIES.join(', ')}, none`);
	for (const format of inputs.formats) {
		if (format !== 'table' && !(format in REPORT_FILES))
			throw new TaskError(`bad input or usage: unknown report format '${format}' (known: ${Object.keys(REPORT_FILES).join(', ')}, table)`);
	}
	return inputs;
}

function findCustoms(customsBin) {
	const given = customsBin || process.env.CUSTOMS_BIN || '';
	if (given) {
		if (!fs.existsSync(given))
			throw new TaskError(`the customs binary '${given}' does not exist`);
		return given;
	}
	const onPath = tl.which('customs', false);
	if (!onPath)
		throw new TaskError('cannot find the customs binary: set the customsBin input or CUSTOMS_BIN, or put customs on the PATH');
	return onPath;
}

// Runs a tool with an argument array (never a shell string) and keeps the last line it wrote on stderr.
async function run(file, args) {
	const tool = tl.tool(file).arg(args);
	let lastErrorLine = '';
	tool.on('stderr', (data) => {
		const lines = data.toString().split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
		if (lines.length)
			lastErrorLine = lines[lines.length - 1];
	});
	const code = await tool.exec({ ignoreReturnCode: true, failOnStdErr: false, silent: false });
	return { code, lastErrorLine };
}

function failureFor(what, result) {
	const meaning = EXIT_MESSAGES[result.code] || `customs exited with code ${result.code}`;
	return new TaskError(`${what}: ${meaning}${result.lastErrorLine ? ` (${result.lastErrorLine})` : ''}`);
}

// `docker save` a local image to a tarball in SCRATCH; registries are not read directly yet.
async function saveImage(image, scratch) {
	const docker = tl.which('docker', false);
	if (!docker)
		throw new TaskError(`bad input or usage: cannot read image '${image}': no docker here, and registry references are not supported yet; pass a tarball with the input input`);
	const tarball = path.join(scratch(), 'image.tar');
	const saved = await run(docker, ['save', image, '-o', tarball]);
	if (saved.code !== 0)
		throw new TaskError(`bad input or usage: docker save '${image}' failed with exit code ${saved.code}`);
	return tarball;
}

// Downloads the database into customs' default cache, where Cache@2 can keep it between runs.
async function updateDatabase(customs, dbUrl) {
	const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
	const db = path.join(cache, 'customs', 'db', 'customs.db');
	const updated = await run(customs, ['db', 'update', '--url', dbUrl, '--output', db, '--quiet']);
	if (updated.code !== 0)
		throw failureFor('customs db update failed', updated);
	return db;
}

function scanArguments(inputs, target, db) {
	const args = ['scan', target];
	if (inputs.failOn !== 'none')
		args.push('--fail-on', inputs.failOn);
	if (inputs.onlyFixed)
		args.push('--only-fixed');
	if (inputs.audit)
		args.push('--audit');
	if (inputs.ignoreFile)
		args.push('--ignore-file', inputs.ignoreFile);
	for (const vex of inputs.vex)
		args.push('--vex', vex);
	if (inputs.dockerfile)
		args.push('--dockerfile', inputs.dockerfile);
	if (db)
		args.push('--db', db);
	const written = { json: path.join(inputs.outputDir, REPORT_FILES.json) };
	for (const format of inputs.formats) {
		if (format in REPORT_FILES)
			written[format] = path.join(inputs.outputDir, REPORT_FILES[format]);
	}
	for (const [format, file] of Object.entries(written))
		args.push('-o', `${format}=${file}`);
	args.push('-o', 'table');
	return { args, written };
}

// Active findings per severity, vulnerabilities and checks together, as ci/customs-ci.sh counts them.
function countFindings(report) {
	const counts = { critical: 0, high: 0, medium: 0, low: 0, unknown: 0, total: 0, suppressed: 0 };
	const checks = report.checks && Array.isArray(report.checks.findings) ? report.checks.findings : [];
	for (const finding of (report.findings || []).concat(checks)) {
		if (finding.suppressed) {
			counts.suppressed++;
			continue;
		}
		const severity = SEVERITIES.includes(finding.severity) ? finding.severity : 'unknown';
		counts[severity]++;
		counts.total++;
	}
	return counts;
}

function setOutput(name, value) {
	tl.setVariable(name, String(value));
	tl.setVariable(name, String(value), false, true);
}

function readReport(file) {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch (e) {
		return null;
	}
}

function publish(written) {
	if (written.junit && fs.existsSync(written.junit))
		new tl.TestPublisher('JUnit').publish([written.junit], 'false', '', '', 'Customs', 'true', 'Customs');
	// The SARIF Scans tab reads only *.sarif files in an artifact named exactly CodeAnalysisLogs.
	if (written.sarif && fs.existsSync(written.sarif))
		tl.uploadArtifact('CodeAnalysisLogs', written.sarif, 'CodeAnalysisLogs');
}

// A saved image can be gigabytes: it goes to a folder made on demand and removed at the end.
let scratchDir = '';
function scratch() {
	if (!scratchDir)
		scratchDir = fs.mkdtempSync(path.join(tl.getVariable('Agent.TempDirectory') || os.tmpdir(), 'customs-'));
	return scratchDir;
}

async function main() {
	const inputs = readInputs();
	const customs = findCustoms(inputs.customsBin);
	const target = inputs.target || await saveImage(inputs.image, scratch);
	const db = inputs.db || (inputs.dbUrl ? await updateDatabase(customs, inputs.dbUrl) : '');

	fs.mkdirSync(inputs.outputDir, { recursive: true });
	// Reports left by an earlier run on the same agent must not be published as this run's.
	for (const name of Object.values(REPORT_FILES))
		fs.rmSync(path.join(inputs.outputDir, name), { force: true });

	const { args, written } = scanArguments(inputs, target, db);
	const scan = await run(customs, args);
	const report = scan.code <= 1 ? readReport(written.json) : null;
	const result = scan.code === 0 ? 'pass' : scan.code === 1 ? 'fail' : 'error';

	setOutput('customsResult', result);
	setOutput('customsExitCode', scan.code);
	if (report) {
		const counts = countFindings(report);
		for (const [name, n] of Object.entries(counts))
			setOutput(`customs${capitalized(name)}`, n);
		for (const format of ['json', 'sarif', 'junit']) {
			if (written[format] && fs.existsSync(written[format]))
				setOutput(`customs${capitalized(format)}`, written[format]);
		}
	}
	publish(written);

	const gate = report && report.gate ? report.gate : {};
	const reasons = Array.isArray(gate.reasons) ? gate.reasons.join('; ') : '';
	if (scan.code === 0 && gate.would_fail) {
		tl.setResult(tl.TaskResult.SucceededWithIssues, `audit: the gate would have failed: ${reasons}`);
	} else if (scan.code === 0) {
		const counts = report ? countFindings(report) : null;
		tl.setResult(tl.TaskResult.Succeeded, counts ?
			`customs passed: ${SEVERITIES.map((s) => `${counts[s]} ${s}`).join(', ')}` : 'customs passed');
	} else if (scan.code === 1) {
		tl.setResult(tl.TaskResult.Failed, `customs gate failed: ${reasons || 'see the scan output'}`);
	} else {
		throw failureFor('customs scan failed', scan);
	}
}

main().catch((e) => {
	setOutput('customsResult', 'error');
	tl.setResult(tl.TaskResult.Failed, e instanceof TaskError ? e.message : `customs task failed: ${e.message}`);
}).finally(() => {
	if (scratchDir)
		fs.rmSync(scratchDir, { recursive: true, force: true });
});
