/**
 * The pure part of `./pardot-x3 bench e2e`: what one run measured, the ratios and checks the issue asks
 * for (issue 12, "Must show"), percentiles, the table printed and the SVG chart for docs/performance.md.
 * No I/O here: the run (e2e-bench.ts) fills {@link E2eMeasurements}; everything else is derived.
 */

export interface LatencySummary {
  readonly count: number;
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
  readonly max: number | null;
}

/** Throughput of one stage: `items` done in `seconds` (from the first input sent to the last output). */
export interface Rate {
  readonly items: number;
  readonly seconds: number;
  /** False when the stage did not finish within its time limit (the rate is then what it did so far). */
  readonly complete: boolean;
}

export interface ProcessUsage {
  readonly name: string;
  /** Resident set size once started and settled, before any load (MB). */
  readonly idleRssMb: number | null;
  /** Highest resident set size seen while the bench loaded the pipeline (MB). */
  readonly loadRssMb: number | null;
  /** Mean CPU during the burst, in % of one core. */
  readonly burstCpuPercent: number | null;
}

export interface E2eMeasurements {
  /** kafkajs consume → produce of the same number of messages of similar size on the same broker. */
  readonly baseline: Rate & { readonly messageBytes: number };
  readonly burst: {
    readonly changes: number;
    /** Distinct changes that came out of mdm as mastered customers. */
    readonly mastered: Rate;
    /** Every mastered event of the burst's customers (echoes included), counted after a quiet period. */
    readonly masteredEvents: number;
    readonly latencyMs: LatencySummary;
    /** Pardot prospect writes the burst caused, and the time to the last one. */
    readonly pardotWrites: Rate;
    /** Salesforce write calls (sObject Collections, composite, single records) the burst caused. */
    readonly salesforceCalls: number;
    /** Pardot API calls of the burst (reads and writes), highest concurrency seen, the limits given. */
    readonly pardotBudget: {
      readonly calls: number;
      readonly maxConcurrency: number;
      readonly concurrencyLimit: number;
      readonly dailyBudget: number;
      /** Share of the calls the request log still held when sampled (1 = every call seen). */
      readonly observedShare: number;
    };
  };
  readonly steady: {
    readonly offeredPerSecond: number;
    readonly seconds: number;
    readonly sent: number;
    readonly mastered: number;
    readonly latencyMs: LatencySummary;
  };
  readonly updateBursts: WritesPerUpdate;
  readonly spreadOut: WritesPerUpdate & { readonly spacingMs: number };
  readonly webhook: {
    readonly sent: number;
    readonly accepted: number;
    readonly seconds: number;
    readonly concurrency: number;
    readonly latencyMs: LatencySummary;
  };
  readonly processes: readonly ProcessUsage[];
}

export interface WritesPerUpdate {
  /**
   * Whether the writers were quiet when the phase began. When not (an earlier phase still draining), the
   * writes counted include earlier ones and the ratio is not judged.
   */
  readonly quietBefore: boolean;
  readonly entities: number;
  readonly updatesPerEntity: number;
  readonly pardotWrites: number;
  readonly masteredEvents: number;
  /** Entities whose last update was mastered within the time limit. */
  readonly settled: number;
  readonly coalescingWindowMs: number;
}

export interface E2eCheck {
  readonly name: string;
  readonly value: number | null;
  readonly target: string;
  /** null when there is nothing to judge (the stage measured nothing). */
  readonly pass: boolean | null;
}

/** Nearest-rank percentile of ascending values; null for none. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  if (p <= 0) return sorted[0] ?? null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, rank) - 1] ?? null;
}

export function latencySummary(values: readonly number[]): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? null,
  };
}

export function perSecond(rate: Rate): number | null {
  return rate.seconds > 0 && rate.items > 0 ? rate.items / rate.seconds : null;
}

/**
 * The largest number of requests in flight at once, from their arrival times and durations (ms since
 * the epoch, ms). A request ending exactly when another arrives does not overlap it.
 */
export function maxConcurrency(
  requests: readonly { readonly startMs: number; readonly durationMs: number }[],
): number {
  const edges = requests.flatMap((r) => [
    { at: r.startMs, delta: 1 },
    { at: r.startMs + Math.max(0, r.durationMs), delta: -1 },
  ]);
  edges.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let now = 0;
  let max = 0;
  for (const edge of edges) {
    now += edge.delta;
    max = Math.max(max, now);
  }
  return max;
}

const ratio = (a: number | null, b: number | null): number | null =>
  a === null || b === null || b === 0 ? null : a / b;
const atMost = (value: number | null, limit: number): boolean | null =>
  value === null ? null : value <= limit;
const atLeast = (value: number | null, limit: number): boolean | null =>
  value === null ? null : value >= limit;

/** The issue's "Must show" list, judged on one run's measurements. */
export function e2eChecks(m: E2eMeasurements): E2eCheck[] {
  // A burst that mastered nothing measured nothing downstream either: those checks say n/a, not "yes".
  const burstMeasured = m.burst.mastered.items > 0;
  const burstRatio = ratio(perSecond(m.burst.mastered), perSecond(m.baseline));
  const masteredPerChange = burstMeasured ? ratio(m.burst.masteredEvents, m.burst.mastered.items) : null;
  const burstWrites = writesPerUpdate(m.updateBursts);
  const spreadWrites = writesPerUpdate(m.spreadOut);
  const salesforcePer1000 = burstMeasured ? (m.burst.salesforceCalls / m.burst.mastered.items) * 1000 : null;
  // Writes per update count only when every entity's last update came through (else fewer writes flatter).
  const updatesJudged = (w: WritesPerUpdate, value: number | null, limit: number): boolean | null =>
    w.entities === 0 || !w.quietBefore ? null : w.settled < w.entities ? false : atMost(value, limit);
  const webhookRate =
    m.webhook.seconds > 0 && m.webhook.accepted > 0 ? m.webhook.accepted / m.webhook.seconds : null;
  const rss = m.processes.flatMap((p) => [p.idleRssMb, p.loadRssMb]).filter((v): v is number => v !== null);
  const maxRss = rss.length > 0 ? Math.max(...rss) : null;
  return [
    {
      name: 'burst to mastered ÷ raw pass-through',
      value: burstRatio,
      target: '≥ 0.25',
      pass: m.burst.mastered.complete ? atLeast(burstRatio, 0.25) : burstRatio === null ? null : false,
    },
    {
      name: `p99 change → mastered at ${m.steady.offeredPerSecond}/s (ms)`,
      value: m.steady.latencyMs.p99,
      target: '≤ 100',
      pass: m.steady.mastered < m.steady.sent ? false : atMost(m.steady.latencyMs.p99, 100),
    },
    {
      name: 'mastered events per change',
      value: masteredPerChange,
      target: '≤ 1.0',
      pass: atMost(masteredPerChange, 1),
    },
    {
      name: `Pardot writes per update (bursts of ${m.updateBursts.updatesPerEntity})`,
      value: burstWrites,
      target: '≤ 0.2',
      pass: updatesJudged(m.updateBursts, burstWrites, 0.2),
    },
    {
      name: 'Pardot writes per update (spread out)',
      value: spreadWrites,
      target: '≤ 1.0',
      pass: updatesJudged(m.spreadOut, spreadWrites, 1),
    },
    {
      name: 'Salesforce calls per 1,000 changed records',
      value: salesforcePer1000,
      target: '≤ 5',
      // no Salesforce write at all: the burst's customers were linked to nothing in Salesforce, nothing to judge
      pass: m.burst.salesforceCalls === 0 ? null : atMost(salesforcePer1000, 5),
    },
    {
      name: 'x3-ingest webhook accepts/s',
      value: webhookRate,
      target: '≥ 1000',
      pass: atLeast(webhookRate, 1000),
    },
    {
      name: 'Pardot concurrency (max in flight)',
      value: m.burst.pardotBudget.calls > 0 ? m.burst.pardotBudget.maxConcurrency : null,
      target: `≤ ${m.burst.pardotBudget.concurrencyLimit}`,
      pass:
        m.burst.pardotBudget.calls > 0
          ? m.burst.pardotBudget.maxConcurrency <= m.burst.pardotBudget.concurrencyLimit
          : null,
    },
    {
      name: 'RSS per service, idle and under load (MB, max)',
      value: maxRss,
      target: '≤ 150',
      pass: atMost(maxRss, 150),
    },
  ];
}

export function writesPerUpdate(w: WritesPerUpdate): number | null {
  const updates = w.entities * w.updatesPerEntity;
  return updates > 0 ? w.pardotWrites / updates : null;
}

export interface TableRow {
  readonly measure: string;
  readonly value: string;
  readonly target: string;
  readonly ok: string;
}

/** One table: every measurement, then every check with its target and verdict. */
export function e2eTable(m: E2eMeasurements): TableRow[] {
  const rate = (r: Rate): string => {
    const v = perSecond(r);
    return v === null
      ? '—'
      : `${fmt(v, 0)}/s (${r.items} in ${fmt(r.seconds, 1)} s${r.complete ? '' : ', INCOMPLETE'})`;
  };
  const lat = (l: LatencySummary): string =>
    l.count === 0
      ? '—'
      : `p50 ${fmt(l.p50, 0)} · p95 ${fmt(l.p95, 0)} · p99 ${fmt(l.p99, 0)} · max ${fmt(l.max, 0)} ms (${l.count})`;
  const info = (measure: string, value: string): TableRow => ({ measure, value, target: '', ok: '' });
  const b = m.burst;
  const rows: TableRow[] = [
    info(`raw pass-through (kafkajs, ${m.baseline.messageBytes} B)`, rate(m.baseline)),
    info(`burst of ${b.changes}: X3 topic → mastered`, rate(b.mastered)),
    info('burst: latency to mastered', lat(b.latencyMs)),
    info('burst: X3 topic → Pardot prospect writes', rate(b.pardotWrites)),
    info('burst: Salesforce write calls', String(b.salesforceCalls)),
    info(
      'burst: Pardot API calls (budget use)',
      `${b.pardotBudget.calls} = ${fmt((b.pardotBudget.calls / b.pardotBudget.dailyBudget) * 100, 1)} % of ${b.pardotBudget.dailyBudget}/day; max ${b.pardotBudget.maxConcurrency} in flight (limit ${b.pardotBudget.concurrencyLimit})${b.pardotBudget.observedShare < 1 ? `; ${fmt(b.pardotBudget.observedShare * 100, 0)} % of calls observed` : ''}`,
    ),
    info(
      `steady ${m.steady.offeredPerSecond}/s for ${m.steady.seconds} s: latency to mastered`,
      `${lat(m.steady.latencyMs)}; ${m.steady.mastered}/${m.steady.sent} mastered`,
    ),
    info(
      `bursts of ${m.updateBursts.updatesPerEntity} updates × ${m.updateBursts.entities}`,
      `${m.updateBursts.pardotWrites} Pardot writes, ${m.updateBursts.masteredEvents} mastered events, ${m.updateBursts.settled}/${m.updateBursts.entities} settled (window ${m.updateBursts.coalescingWindowMs} ms)${notQuiet(m.updateBursts)}`,
    ),
    info(
      `spread out: ${m.spreadOut.updatesPerEntity} updates × ${m.spreadOut.entities}, ${fmt(m.spreadOut.spacingMs / 1000, 0)} s apart`,
      `${m.spreadOut.pardotWrites} Pardot writes, ${m.spreadOut.masteredEvents} mastered events, ${m.spreadOut.settled}/${m.spreadOut.entities} settled${notQuiet(m.spreadOut)}`,
    ),
    info(
      `x3-ingest webhook (${m.webhook.concurrency} senders)`,
      `${m.webhook.accepted}/${m.webhook.sent} accepted in ${fmt(m.webhook.seconds, 1)} s; ${lat(m.webhook.latencyMs)}`,
    ),
    ...m.processes.map((p) =>
      info(
        `${p.name}: RSS idle / under load, CPU in burst`,
        `${fmt(p.idleRssMb, 0)} / ${fmt(p.loadRssMb, 0)} MB, ${fmt(p.burstCpuPercent, 0)} % of a core`,
      ),
    ),
  ];
  for (const c of e2eChecks(m))
    rows.push({
      measure: `CHECK ${c.name}`,
      value: fmt(c.value, c.value !== null && Math.abs(c.value) < 10 ? 3 : 0),
      target: c.target,
      ok: c.pass === null ? 'n/a' : c.pass ? 'yes' : 'NO',
    });
  return rows;
}

const notQuiet = (w: WritesPerUpdate): string =>
  w.quietBefore ? '' : '; NOT QUIET BEFORE: earlier writes counted too';

export function fmt(value: number | null, digits: number): string {
  if (value === null || !Number.isFinite(value)) return '—';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Rows as an aligned text table (console.table quotes and truncates nothing, but is hard to read in docs). */
export function formatTable(rows: readonly TableRow[]): string {
  const headers: TableRow = { measure: 'measure', value: 'value', target: 'target', ok: 'ok' };
  const keys = ['measure', 'value', 'target', 'ok'] as const;
  const widths = keys.map((k) => Math.max(headers[k].length, ...rows.map((r) => r[k].length)));
  const line = (r: TableRow): string =>
    keys
      .map((k, i) => r[k].padEnd(widths[i] ?? 0))
      .join(' | ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
}

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

interface Bar {
  readonly label: string;
  readonly value: number | null;
  readonly colour: string;
}

/**
 * Two bar charts side by side, log scale: throughput (messages/s) of the raw pass-through, the pipeline
 * to mastered and to Pardot, and the webhook; latency (ms) p50/p95/p99 at the steady load and in the
 * burst. Hand-written SVG (no library): the numbers are few and the file stays diffable.
 */
export function renderE2eChartSvg(m: E2eMeasurements, caption: string): string {
  const width = 880;
  const height = 360;
  const webhookRate = m.webhook.seconds > 0 ? m.webhook.accepted / m.webhook.seconds : null;
  const throughput: Bar[] = [
    { label: 'raw Kafka pass-through', value: perSecond(m.baseline), colour: '#9e9e9e' },
    { label: 'pipeline → mastered', value: perSecond(m.burst.mastered), colour: '#1565c0' },
    { label: 'pipeline → Pardot writes', value: perSecond(m.burst.pardotWrites), colour: '#2e7d32' },
    { label: 'webhook accepts', value: webhookRate, colour: '#ef6c00' },
  ];
  const latency: Bar[] = [
    { label: `p50 @${m.steady.offeredPerSecond}/s`, value: m.steady.latencyMs.p50, colour: '#90caf9' },
    { label: `p95 @${m.steady.offeredPerSecond}/s`, value: m.steady.latencyMs.p95, colour: '#42a5f5' },
    { label: `p99 @${m.steady.offeredPerSecond}/s`, value: m.steady.latencyMs.p99, colour: '#1565c0' },
    { label: 'p99 burst', value: m.burst.latencyMs.p99, colour: '#6a1b9a' },
  ];
  const panels = [
    panel('Throughput (messages/s, log scale)', throughput, 20, 40, 410, 270),
    panel('Latency change → mastered (ms, log scale)', latency, 450, 40, 410, 270),
  ];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...panels,
    `<text x="${width / 2}" y="${height - 10}" text-anchor="middle" fill="#555">${escapeXml(caption)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}

function panel(title: string, bars: readonly Bar[], x: number, y: number, w: number, h: number): string {
  const values = bars.map((b) => b.value).filter((v): v is number => v !== null && v > 0);
  const top = Math.max(1, ...values);
  const bottom = Math.min(top, ...values, 1);
  const decadeLow = Math.floor(Math.log10(bottom));
  const decadeHigh = Math.max(decadeLow + 1, Math.ceil(Math.log10(top)));
  const plotTop = y + 24;
  const plotHeight = h - 24 - 40;
  const scale = (v: number): number =>
    ((Math.log10(Math.max(v, 10 ** decadeLow)) - decadeLow) / (decadeHigh - decadeLow)) * plotHeight;
  const parts = [
    `<text x="${x + w / 2}" y="${y + 12}" text-anchor="middle" font-weight="bold">${escapeXml(title)}</text>`,
  ];
  for (let d = decadeLow; d <= decadeHigh; d += 1) {
    const gy = plotTop + plotHeight - scale(10 ** d);
    parts.push(
      `<line x1="${x + 50}" y1="${gy.toFixed(1)}" x2="${x + w}" y2="${gy.toFixed(1)}" stroke="#e0e0e0"/>`,
      `<text x="${x + 45}" y="${(gy + 4).toFixed(1)}" text-anchor="end" fill="#555">${escapeXml(fmt(10 ** d, 0))}</text>`,
    );
  }
  const slot = (w - 60) / bars.length;
  bars.forEach((bar, i) => {
    const bx = x + 60 + i * slot + slot * 0.15;
    const bw = slot * 0.7;
    const cx = bx + bw / 2;
    if (bar.value !== null && bar.value > 0) {
      const bh = Math.max(1, scale(bar.value));
      const by = plotTop + plotHeight - bh;
      parts.push(
        `<rect x="${bx.toFixed(1)}" y="${by.toFixed(1)}" width="${bw.toFixed(1)}" height="${bh.toFixed(1)}" fill="${bar.colour}"/>`,
        `<text x="${cx.toFixed(1)}" y="${(by - 4).toFixed(1)}" text-anchor="middle">${escapeXml(fmt(bar.value, 0))}</text>`,
      );
    } else {
      parts.push(
        `<text x="${cx.toFixed(1)}" y="${(plotTop + plotHeight - 4).toFixed(1)}" text-anchor="middle" fill="#999">n/a</text>`,
      );
    }
    parts.push(
      `<text x="${cx.toFixed(1)}" y="${(plotTop + plotHeight + 16).toFixed(1)}" text-anchor="middle" font-size="11">${escapeXml(bar.label)}</text>`,
    );
  });
  return `<g>${parts.join('')}</g>`;
}
