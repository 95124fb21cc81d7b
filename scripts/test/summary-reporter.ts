import fs from 'node:fs';
import path from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

export const SUMMARY_FILE = path.resolve('.tmp', 'test-summary.json');

export interface TestSummary {
  passed: number;
  failed: number;
  skipped: number;
  byProject: Record<string, { passed: number; failed: number; skipped: number }>;
}

/** Counts test results per project; scripts/test.ts prints the closing `N passed, N failed` line. */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, errors: ReadonlyArray<unknown>) {
    const summary: TestSummary = { passed: 0, failed: errors.length, skipped: 0, byProject: {} };
    for (const mod of modules) {
      const project = (summary.byProject[mod.project.name] ??= { passed: 0, failed: 0, skipped: 0 });
      let counted = 0;
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        const key = state === 'passed' ? 'passed' : state === 'failed' ? 'failed' : 'skipped';
        summary[key]++;
        project[key]++;
        counted++;
      }
      // A file that failed to load has no tests but must not pass silently.
      if (counted === 0 && mod.state() === 'failed') {
        summary.failed++;
        project.failed++;
      }
    }
    fs.mkdirSync(path.dirname(SUMMARY_FILE), { recursive: true });
    fs.writeFileSync(SUMMARY_FILE, JSON.stringify(summary, null, 2));
  }
}
