// extensionTestsPath: runs inside the extension host (code-server's, or desktop VS Code's with @vscode/test-electron).
// Ends with a plain "extension-host: N passed, N failed" line that test/run.mjs reads.
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
	const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 60000 });
	if (process.env.ARC_LOGS_E2E_GREP) mocha.grep(process.env.ARC_LOGS_E2E_GREP);
	mocha.addFile(path.join(__dirname, 'extension.test.js'));
	mocha.addFile(path.join(__dirname, 'redact.test.js'));
	mocha.addFile(path.join(__dirname, 'largeFile.test.js'));
	mocha.addFile(path.join(__dirname, 'case.test.js'));
	return new Promise((resolve, reject) => {
		const runner = mocha.run((failures) => {
			console.log(`extension-host: ${runner.stats?.passes ?? 0} passed, ${failures} failed`);
			if (failures > 0) reject(new Error(`${failures} tests failed.`));
			else resolve();
		});
	});
}
