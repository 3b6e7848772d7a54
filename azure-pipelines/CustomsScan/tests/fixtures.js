// The demo images, database and ignore file the task and template tests scan, made once per mocha run.
'use strict';

const cp = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const projectDir = process.env.CUSTOMS_PROJECT_DIR || path.resolve(__dirname, '..', '..', '..');
const customs = process.env.CUSTOMS || path.join(projectDir, 'build', 'customs');
let made;

function fixtures() {
	if (made)
		return made;
	if (!fs.existsSync(customs))
		throw new Error(`the customs binary '${customs}' does not exist: build it or set CUSTOMS`);
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'customs-azure-'));
	process.on('exit', () => fs.rmSync(work, { recursive: true, force: true }));
	const mkimage = path.join(projectDir, 'tests', 'demo', 'mkimage.sh');
	const f = {
		projectDir,
		customs,
		work,
		debianTar: path.join(work, 'debian.tar'),
		alpineTar: path.join(work, 'alpine.tar'),
		demoDb: path.join(work, 'demo.db'),
		ignoreFile: path.join(work, 'ignore.json'),
	};
	cp.execFileSync('sh', [mkimage, 'debian', f.debianTar]);
	cp.execFileSync('sh', [mkimage, 'alpine', f.alpineTar]);
	cp.execFileSync(customs, ['db', 'build', '--output', f.demoDb, path.join(projectDir, 'tests', 'demo', 'osv')]);
	/* Suppresses every alpine finding at or above high, so that the alpine demo passes. */
	fs.writeFileSync(f.ignoreFile, JSON.stringify({ ignore: [
		{ id: 'CVE-2024-5535', reason: 'test: the vulnerable code is not reachable' },
		{ id: 'CVE-2024-2511', reason: 'test: the vulnerable code is not reachable' },
	] }));
	made = f;
	return made;
}

module.exports = { fixtures };
