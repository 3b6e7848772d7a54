// Runs the task with the real task library and the real customs binary; the inputs come as JSON in CUSTOMS_TASK_TEST_INPUTS.
'use strict';

const path = require('path');
const mr = require('azure-pipelines-task-lib/mock-run');

const tr = new mr.TaskMockRunner(path.join(__dirname, '..', 'index.js'));
const inputs = JSON.parse(process.env.CUSTOMS_TASK_TEST_INPUTS || '{}');
for (const [name, value] of Object.entries(inputs))
	tr.setInput(name, String(value));
tr.run(true);
