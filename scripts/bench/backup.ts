// Backup benchmark (issue 5): on the same instance data, in one run, Ordo's backup through a
// real agent process and its HTTP API, Odoo's own method (odoo_method.py: copy the filestore,
// pg_dump to a file, deflate everything into a ZIP) and the floor `pg_dump | gzip -6`.
//
//   node scripts/bench/run.mjs scripts/bench/backup.ts [--db-mb 400] [--filestore-mb 400]
//        [--file-kb 100] [--rounds 1]
//
// Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust auth), pg_dump, gzip and python3;
// creates a role `ordo_bench_*` and its databases and a temp dir, and removes them at the end.
// Exits non-zero only when the run breaks; a missed goal is printed, not failed.
import { readdir, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  step,
  fmt,
  mb,
  runBench,
  runProgram,
  timed,
  verdict,
  withRssSampling,
  finalJob,
  pgDumpGzip,
} from './backup-bench-support';

const GOAL_VS_ODOO = 0.5;
const GOAL_VS_FLOOR = 1.3;
const GOAL_RSS = 256 * 1024 * 1024;
const roundsIndex = process.argv.indexOf('--rounds');
const rounds = roundsIndex >= 0 ? Number(process.argv[roundsIndex + 1]) || 1 : 1;

await runBench(async (bench) => {
  const out = join(bench.dir, 'out');
  const manifest = JSON.stringify({ odoo_dump: '1', db_name: bench.database }, null, 4);
  const script = resolve('scripts/bench/odoo_method.py');
  const backupsDir = join(bench.root, 'backups', bench.instance);
  const pid = bench.agent.child.pid ?? 0;
  const results = { ordo: [] as number[], odoo: [] as number[], floor: [] as number[] };
  let peakRss = 0;
  let hwm = 0;
  const sizes = { ordo: 0, odoo: 0, floor: 0 };
  for (let round = 0; round < rounds; round++) {
    await runProgram('mkdir', ['-p', out]);
    step(`round ${round + 1}: pg_dump | gzip -6, then Odoo's method, then Ordo's backup`);
    // The floor first and Odoo's method second warm the page cache for everyone alike.
    const floor = await timed(() =>
      pgDumpGzip(bench.pgEnv, bench.database, join(out, 'floor.sql.gz')),
    );
    sizes.floor = (await stat(join(out, 'floor.sql.gz'))).size;
    const odoo = await timed(() =>
      runProgram(
        'python3',
        [script, 'backup', bench.database, bench.filestore, manifest, join(out, 'odoo.zip')],
        { ...bench.pgEnv, TMPDIR: bench.dir },
      ),
    );
    sizes.odoo = (await stat(join(out, 'odoo.zip'))).size;
    const sampled = await withRssSampling(pid, () =>
      timed(async () => {
        const accepted = await bench.agent.client.createBackup(bench.instance);
        const job = await finalJob(bench.agent.client, accepted.job.id);
        if (job.state !== 'succeeded')
          throw new Error(`Ordo's backup failed: ${JSON.stringify(job.error)}`);
      }),
    );
    const zips = (await readdir(backupsDir)).filter((name) => name.endsWith('.zip'));
    for (const name of zips) sizes.ordo = (await stat(join(backupsDir, name))).size;
    // Keep the disk from filling up over rounds.
    await Promise.all(zips.map((name) => rm(join(backupsDir, name))));
    await rm(out, { recursive: true, force: true });
    results.ordo.push(sampled.value.seconds);
    results.odoo.push(odoo.seconds);
    results.floor.push(floor.seconds);
    peakRss = Math.max(peakRss, sampled.peakRss);
    hwm = Math.max(hwm, sampled.hwm);
    console.log(
      `round ${round + 1}: ordo ${fmt(sampled.value.seconds)} s, odoo ${fmt(odoo.seconds)} s, ` +
        `floor ${fmt(floor.seconds)} s`,
    );
  }
  const best = (values: number[]) => Math.min(...values);
  const ordo = best(results.ordo);
  const odoo = best(results.odoo);
  const floor = best(results.floor);
  console.log('');
  console.log(`backup of ${bench.database} (best of ${rounds})`);
  console.log(`  Ordo (agent API)        ${fmt(ordo)} s   ZIP ${mb(sizes.ordo)}`);
  console.log(`  Odoo's method           ${fmt(odoo)} s   ZIP ${mb(sizes.odoo)}`);
  console.log(`  pg_dump | gzip -6       ${fmt(floor)} s   (database only) ${mb(sizes.floor)}`);
  console.log(
    `  Ordo / Odoo             ${fmt(ordo / odoo)}   (goal ≤ ${GOAL_VS_ODOO}: ${verdict(ordo / odoo <= GOAL_VS_ODOO)})`,
  );
  console.log(
    `  Ordo / floor            ${fmt(ordo / floor)}   (goal ≤ ${GOAL_VS_FLOOR}: ${verdict(ordo / floor <= GOAL_VS_FLOOR)})`,
  );
  console.log(
    `  agent peak RSS          ${mb(peakRss)} sampled, VmHWM ${mb(hwm)}   (goal ≤ 256 MB: ${verdict(Math.max(peakRss, hwm) <= GOAL_RSS)})`,
  );
});
