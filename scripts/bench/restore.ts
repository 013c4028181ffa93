// Restore benchmark (issue 5): one Odoo-format ZIP of the instance (made by Odoo's own method,
// odoo_method.py), restored in one run by Ordo (upload to a real agent process and its restore
// job, until the instance runs on the restored data) and by Odoo's method (extract to a temp
// dir, create the database, `psql -f dump.sql`, move the filestore in place).
//
//   node scripts/bench/run.mjs scripts/bench/restore.ts [--db-mb 400] [--filestore-mb 400]
//        [--file-kb 100] [--rounds 1]
//
// Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust auth), pg_dump, psql and python3;
// creates a role `ordo_bench_*` and its databases and a temp dir, and removes them at the end.
// Exits non-zero only when the run breaks; a missed goal is printed, not failed.
import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import pg from 'pg';
import type { Job } from '@ordo/protocol';
import {
  asAdmin,
  fmt,
  mb,
  runBench,
  runProgram,
  step,
  timed,
  verdict,
  withRssSampling,
} from './backup-bench-support';

const GOAL_VS_ODOO = 0.5;
const GOAL_RSS = 256 * 1024 * 1024;
const roundsIndex = process.argv.indexOf('--rounds');
const rounds = roundsIndex >= 0 ? Number(process.argv[roundsIndex + 1]) || 1 : 1;

await runBench(async (bench) => {
  const script = resolve('scripts/bench/odoo_method.py');
  const zip = join(bench.dir, 'odoo.zip');
  const manifest = JSON.stringify({ odoo_dump: '1', db_name: bench.database }, null, 4);
  step("making the ZIP with Odoo's method");
  await runProgram('python3', [script, 'backup', bench.database, bench.filestore, manifest, zip], {
    ...bench.pgEnv,
    TMPDIR: bench.dir,
  });
  const zipSize = (await stat(zip)).size;
  const results = { ordo: [] as number[], odoo: [] as number[] };
  let peakRss = 0;
  let hwm = 0;
  for (let round = 0; round < rounds; round++) {
    step(`round ${round + 1}: Odoo's method, then Ordo's restore`);
    const target = `${bench.database}_odoo_${round}`;
    const filestoreDest = join(bench.dir, `odoo-filestore-${round}`);
    const odoo = await timed(() =>
      runProgram('python3', [script, 'restore', zip, target, filestoreDest], {
        ...bench.pgEnv,
        TMPDIR: bench.dir,
      }),
    );
    await asAdmin((client) =>
      client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(target)} WITH (FORCE)`),
    );
    await rm(filestoreDest, { recursive: true, force: true });

    const pid = bench.agent.child.pid ?? 0;
    const timeline: string[] = [];
    const started = Date.now();
    const sampled = await withRssSampling(pid, () =>
      timed(async () => {
        const accepted = await bench.agent.client.restoreInstance(
          bench.instance,
          Readable.toWeb(createReadStream(zip)) as ReadableStream<Uint8Array>,
          { query: { safetyBackup: 'false' }, timeoutMs: 600_000 },
        );
        const uploaded = Date.now();
        timeline.push(`${fmt((uploaded - started) / 1000)} s  upload received and checked`);
        let end: Job | null = null;
        for await (const event of bench.agent.client.followJobLog(accepted.job.id)) {
          const at = fmt((Date.now() - started) / 1000);
          if (event.type === 'end') end = event.job;
          else {
            for (const line of event.text.split('\n').filter(Boolean)) {
              timeline.push(`${at} s  ${line.slice(0, 100)}`);
            }
          }
        }
        if (end?.state !== 'succeeded') {
          throw new Error(`Ordo's restore failed: ${JSON.stringify(end?.error)}`);
        }
      }),
    );
    results.ordo.push(sampled.value.seconds);
    results.odoo.push(odoo.seconds);
    peakRss = Math.max(peakRss, sampled.peakRss);
    hwm = Math.max(hwm, sampled.hwm);
    console.log(`Ordo's restore, round ${round + 1}, as its job log arrived:`);
    for (const line of timeline) console.log(`  ${line}`);
    console.log(
      `round ${round + 1}: ordo ${fmt(sampled.value.seconds)} s, odoo ${fmt(odoo.seconds)} s`,
    );
  }
  const ordo = Math.min(...results.ordo);
  const odoo = Math.min(...results.odoo);
  console.log('');
  console.log(`restore of a ${mb(zipSize)} Odoo ZIP into ${bench.instance} (best of ${rounds})`);
  console.log(`  Ordo (upload + job, instance running again)  ${fmt(ordo)} s`);
  console.log(`  Odoo's method                                ${fmt(odoo)} s`);
  console.log(
    `  Ordo / Odoo                                  ${fmt(ordo / odoo)}   (goal ≤ ${GOAL_VS_ODOO}: ${verdict(ordo / odoo <= GOAL_VS_ODOO)})`,
  );
  console.log(
    `  agent peak RSS                               ${mb(peakRss)} sampled, VmHWM ${mb(hwm)}   (goal ≤ 256 MB: ${verdict(Math.max(peakRss, hwm) <= GOAL_RSS)})`,
  );
});
