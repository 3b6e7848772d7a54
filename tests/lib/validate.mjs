// Validate JSON files against a draft-07 JSON Schema with ajv, loading the schemas it $refs from its folder.
//
// Usage: node validate.mjs NODE_MODULES_DIR SCHEMA FILE...
// Exits 0 when every file is valid, 1 when one is not (the errors go to stderr), 2 on bad usage.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

const [modules, schemaPath, ...files] = process.argv.slice(2);
if (!modules || !schemaPath || files.length === 0) {
	console.error('usage: node validate.mjs NODE_MODULES_DIR SCHEMA FILE...');
	process.exit(2);
}

// ajv lives in a cache folder under build/, not in a package.json of the project.
const require = createRequire(join(resolve(modules), 'noop.js'));
const Ajv = require('ajv').default;
const addFormats = require('ajv-formats').default;

// strict is off because the CycloneDX schemas carry annotations such as meta:enum.
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
// Formats JSON Schema names but ajv-formats does not implement: accept any string
// that has no whitespace, as the CycloneDX reference tooling does for these.
for (const name of ['iri-reference', 'iri', 'idn-email', 'idn-hostname'])
	ajv.addFormat(name, /^\S*$/u);

// Load the main schema and, transitively, the files its $refs name in the same folder.
const schemaDir = dirname(schemaPath);
function refsOf(node, out) {
	if (Array.isArray(node)) {
		node.forEach((n) => refsOf(n, out));
	} else if (node && typeof node === 'object') {
		for (const [key, value] of Object.entries(node)) {
			if (key === '$ref' && typeof value === 'string' && !value.startsWith('#'))
				out.add(basename(value.split('#')[0]));
			else
				refsOf(value, out);
		}
	}
	return out;
}
function load(name) {
	try {
		return JSON.parse(readFileSync(join(schemaDir, name), 'utf8'));
	} catch (e) {
		console.error(`validate.mjs: cannot read schema ${join(schemaDir, name)}: ${e.message}`);
		process.exit(2);
	}
}
const main = load(basename(schemaPath));
const seen = new Set([basename(schemaPath)]);
const pending = [...refsOf(main, new Set())];
while (pending.length) {
	const name = pending.shift();
	if (seen.has(name))
		continue;
	seen.add(name);
	const schema = load(name);
	ajv.addSchema(schema);
	pending.push(...refsOf(schema, new Set()));
}
const validate = ajv.compile(main);

let failed = 0;
for (const file of files) {
	let doc;
	try {
		doc = JSON.parse(readFileSync(file, 'utf8'));
	} catch (e) {
		console.error(`${file}: not JSON: ${e.message}`);
		failed++;
		continue;
	}
	if (validate(doc)) {
		console.log(`${file}: valid`);
	} else {
		failed++;
		for (const err of validate.errors.slice(0, 20)) {
			const params = JSON.stringify(err.params).slice(0, 200);
			console.error(`${file}: ${err.instancePath || '/'} ${err.message} ${params}`);
		}
	}
}
process.exit(failed ? 1 : 0);
