// Runs the task with the mocked task library, on an agent where `which customs` finds nothing.
'use strict';

const path = require('path');
const mr = require('azure-pipelines-task-lib/mock-run');

const tr = new mr.TaskMockRunner(path.join(__dirname, '..', 'index.js'));
tr.setInput('input', 'image.tar');
tr.setInput('failOn', 'high');
tr.setInput('formats', 'sarif,json,junit');
tr.setInput('outputDir', process.env.CUSTOMS_TASK_TEST_OUTPUT || 'customs-reports');
delete process.env.CUSTOMS_BIN;
tr.setAnswers({ which: {}, checkPath: {}, exec: {} });
tr.run();
