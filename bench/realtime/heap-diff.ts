/**
 * What a connected socket holds, server by server: `npx tsx bench/realtime/heap-diff.ts <dir> <run>` reads the four
 * heap snapshots `npm run bench:realtime -- --heap-snapshots` wrote (each server at its first and last memory sample),
 * takes each server's growth between the two by kind of object (constructor, closure or array name), divides it by
 * the sockets connected in between, and prints the kinds where Slotcast holds more per socket than the bare server.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

interface Tally {
  count: number;
  bytes: number;
}

/** Objects by kind: type and name, except for strings and numbers, whose "name" is their content. */
export async function tallyByKind(file: string): Promise<Map<string, Tally>> {
  const s = JSON.parse(await readFile(file, 'utf8')) as Snapshot;
  const fields = s.snapshot.meta.node_fields;
  const types = s.snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [
    number,
    number,
    number,
  ];
  const out = new Map<string, Tally>();
  for (let i = 0; i < s.nodes.length; i += fields.length) {
    const type = types[s.nodes[i + typeAt]!]!;
    const kind =
      type === 'string' || type === 'concatenated string' || type === 'sliced string' || type === 'number'
        ? type
        : `${type} ${s.strings[s.nodes[i + nameAt]!]!.slice(0, 60)}`;
    const t = out.get(kind) ?? out.set(kind, { count: 0, bytes: 0 }).get(kind)!;
    t.count++;
    t.bytes += s.nodes[i + sizeAt]!;
  }
  return out;
}

/** Growth per socket between two tallies. */
export function perSocket(first: Map<string, Tally>, last: Map<string, Tally>, sockets: number): Map<string, Tally> {
  const out = new Map<string, Tally>();
  for (const kind of new Set([...first.keys(), ...last.keys()])) {
    const a = first.get(kind) ?? { count: 0, bytes: 0 };
    const b = last.get(kind) ?? { count: 0, bytes: 0 };
    out.set(kind, { count: (b.count - a.count) / sockets, bytes: (b.bytes - a.bytes) / sockets });
  }
  return out;
}

async function main() {
  const [dir, run, socketsArg] = process.argv.slice(2);
  if (!dir || !run || !socketsArg) {
    process.stderr.write('usage: heap-diff.ts <dir> <run> <sockets added between first and last sample>\n');
    return 2;
  }
  const sockets = Number(socketsArg);
  const growth = async (kind: string) =>
    perSocket(
      await tallyByKind(path.join(dir, `heap-${kind}-first-${run}.heapsnapshot`)),
      await tallyByKind(path.join(dir, `heap-${kind}-last-${run}.heapsnapshot`)),
      sockets,
    );
  const bare = await growth('bare');
  const slotcast = await growth('slotcast');
  const total = (m: Map<string, Tally>) => [...m.values()].reduce((n, t) => n + t.bytes, 0);
  const rows = [...new Set([...bare.keys(), ...slotcast.keys()])]
    .map((kind) => {
      const b = bare.get(kind) ?? { count: 0, bytes: 0 };
      const s = slotcast.get(kind) ?? { count: 0, bytes: 0 };
      return { kind, b, s, more: s.bytes - b.bytes };
    })
    .filter((r) => Math.abs(r.more) >= 8)
    .sort((x, y) => y.more - x.more);
  const n = (v: number, d = 1) => v.toFixed(d).padStart(8);
  process.stdout.write(
    `per socket: bare ${total(bare).toFixed(0)} B, Slotcast ${total(slotcast).toFixed(0)} B (self sizes, JS heap)\n` +
      `${'bare n'.padStart(8)} ${'bare B'.padStart(8)} ${'ours n'.padStart(8)} ${'ours B'.padStart(8)} ${'+B'.padStart(8)}  kind\n`,
  );
  for (const r of rows) {
    process.stdout.write(
      `${n(r.b.count, 2)} ${n(r.b.bytes, 0)} ${n(r.s.count, 2)} ${n(r.s.bytes, 0)} ${n(r.more, 0)}  ${r.kind}\n`,
    );
  }
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main();
