/**
 * Load test: simulated users over real Socket.IO connections and HTTP against a running Slotcast or servers it
 * starts itself. `npm run loadtest -- --help`.
 */

import { onInterrupt, parseCommandLine, runMain } from './lib/run-main.js';
import { parseLoadOptions, USAGE } from './load/options.js';
import { runLoadTest } from './load/run.js';
import { screenshot } from './load/screenshot.js';
import { formatSummary } from './load/summary.js';
import { killAll } from './realtime/child-rpc.js';

const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  const commandLine = parseCommandLine(parseLoadOptions, USAGE);
  if ('exitCode' in commandLine) return commandLine.exitCode;
  const { options } = commandLine;
  const onSignal = () => {
    process.stderr.write('interrupted: stopping workers and servers\n');
    void killAll().then(() => process.exit(130));
  };
  const stopListening = onInterrupt(onSignal);
  try {
    const { result, files } = await runLoadTest(options, log);
    log(`\n${formatSummary(result)}\n`);
    log(`wrote ${files.json}\n      ${files.txt}\n      ${files.html}`);
    if (options.screenshot) {
      const png = files.html.replace(/\.html$/, '.png');
      const shot = await screenshot(files.html, png);
      log(shot.ok ? `      ${png}` : `no screenshot: ${shot.why}`);
    }
    const failedGoals = result.goals.filter((g) => g.id === 'Delivery' && g.verdict === 'misses');
    // Goals are reported, not asserted; lost or duplicated events and unconnected clients fail the run.
    return failedGoals.length || result.connect.failed ? 1 : 0;
  } finally {
    stopListening();
  }
}

runMain(main, killAll);
