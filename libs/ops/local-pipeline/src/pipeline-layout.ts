/** The six pipeline services, in the order of their default ports (3001–3006). */
export const PIPELINE_SERVICES = [
  'salesforce-ingest',
  'x3-ingest',
  'transformer',
  'mdm',
  'pardot-writer',
  'x3-order-writer',
] as const;
export type PipelineService = (typeof PIPELINE_SERVICES)[number];

/** The three sandboxes, in the order of their default ports (4100, 4200, 4300). */
export const SANDBOX_SYSTEMS = ['salesforce', 'pardot', 'x3'] as const;
export type SandboxSystem = (typeof SANDBOX_SYSTEMS)[number];

/** Where every process of the pipeline listens on one machine. */
export interface PipelineLayout {
  readonly host: string;
  readonly servicePorts: Readonly<Record<PipelineService, number>>;
  readonly sandboxPorts: Readonly<Record<SandboxSystem, number>>;
}

/** The documented default ports (docs/conventions.md), shifted by `offset` (PX3_PORT_OFFSET). */
export function defaultLayout(offset = 0): PipelineLayout {
  return {
    host: '127.0.0.1',
    servicePorts: Object.fromEntries(PIPELINE_SERVICES.map((s, i) => [s, 3001 + i + offset])) as Record<
      PipelineService,
      number
    >,
    sandboxPorts: { salesforce: 4100 + offset, pardot: 4200 + offset, x3: 4300 + offset },
  };
}

/**
 * A block of ports for one test file: services on base+1…6, sandboxes on base+100/200/300, so test
 * files never share a port.
 */
export function blockLayout(base: number): PipelineLayout {
  return {
    host: '127.0.0.1',
    servicePorts: Object.fromEntries(PIPELINE_SERVICES.map((s, i) => [s, base + 1 + i])) as Record<
      PipelineService,
      number
    >,
    sandboxPorts: { salesforce: base + 100, pardot: base + 200, x3: base + 300 },
  };
}

export function serviceUrl(layout: PipelineLayout, service: PipelineService): string {
  return `http://${layout.host}:${layout.servicePorts[service]}`;
}

export function sandboxUrl(layout: PipelineLayout, system: SandboxSystem): string {
  return `http://${layout.host}:${layout.sandboxPorts[system]}`;
}
