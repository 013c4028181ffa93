// Prints Vitest's JSON report as one plain closing line: "tests: N passed, N failed, N skipped".
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const {
  numPassedTests: passed,
  numFailedTests: failed,
  numPendingTests: skipped,
  numTodoTests: todo,
} = report;
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped + (todo ?? 0)} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
