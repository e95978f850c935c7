import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { Command } from 'commander';
import {
  InvalidCustomerObservationError,
  parseCustomerObservation,
  parseMatchingPolicy,
  parseSurvivorshipPolicy,
} from '@pardot-x3/customer-master';
import { parseEngagementPolicy } from '@pardot-x3/engagement';
import { parseStockPublicationPolicy } from '@pardot-x3/inventory';
import {
  ConfigFileError,
  mapRecord,
  parseMappingTemplate,
  type FieldTrace,
  type MappingResult,
  type MappingTemplate,
} from '@pardot-x3/mapping';
import { parseSalesOrderPolicy, parseX3CustomerDefaults } from '@pardot-x3/sales-orders';

/** Each policy file in config/ and the parser that checks it. */
const POLICY_FILES: Readonly<Record<string, (text: string, fileName: string) => unknown>> = {
  'survivorship.yaml': parseSurvivorshipPolicy,
  'matching.yaml': parseMatchingPolicy,
  'engagement.yaml': parseEngagementPolicy,
  'inventory.yaml': parseStockPublicationPolicy,
  'sales-orders.yaml': parseSalesOrderPolicy,
  'x3-customer-defaults.yaml': parseX3CustomerDefaults,
};

interface MappingOptions {
  config: string;
}

export function mappingCommand(): Command {
  const mapping = new Command('mapping').description(
    'mapping templates and policies in config/: preview a template on a sample record, validate files',
  );

  mapping
    .command('preview')
    .description(
      "show a template's output for a sample record and, for every output field, the rule that produced it",
    )
    .argument('<template>', 'template name (e.g. x3-customer-to-canonical) or path to a template file')
    .requiredOption('--sample <file>', 'JSON file holding one source record')
    .option('--config <dir>', 'configuration folder', process.env['PX3_CONFIG_DIR'] ?? 'config')
    .option('--json', 'print the whole result as JSON (for scripts)')
    .action((templateArgument: string, options: MappingOptions & { sample: string; json?: boolean }) => {
      const template = loadTemplate(templateArgument, options.config);
      const sample = readJson(options.sample);
      const result = mapRecord(template, sample);
      if (options.json) {
        console.log(JSON.stringify(result, null, 2));
      } else {
        printPreview(template, result);
      }
      process.exitCode = result.outcome === 'rejected' ? 1 : 0;
    });

  mapping
    .command('validate')
    .description(
      'check templates and policies (default: every file in the configuration folder); errors name file, line and column',
    )
    .argument('[files...]', 'files to check')
    .option('--config <dir>', 'configuration folder', process.env['PX3_CONFIG_DIR'] ?? 'config')
    .action((files: string[], options: MappingOptions) => {
      const targets = files.length > 0 ? files : configFiles(options.config);
      let failed = 0;
      for (const file of targets) {
        const outcome = validateFile(file);
        if (outcome.ok) console.log(`ok    ${file}${outcome.detail ? `  (${outcome.detail})` : ''}`);
        else {
          failed += 1;
          console.log(`FAIL  ${file}\n${outcome.detail}`);
        }
      }
      console.log(`${targets.length - failed} valid, ${failed} invalid`);
      process.exitCode = failed > 0 ? 1 : 0;
    });

  return mapping;
}

function configFiles(configDir: string): string[] {
  const mappings = join(configDir, 'mappings');
  const templates = readdirSync(mappings)
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .map((name) => join(mappings, name));
  const policies = readdirSync(configDir)
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .map((name) => join(configDir, name));
  return [...templates, ...policies];
}

function validateFile(file: string): { ok: boolean; detail?: string } {
  try {
    const text = readFileSync(file, 'utf8');
    const policyParser = POLICY_FILES[basename(file)];
    if (policyParser) {
      policyParser(text, file);
      return { ok: true };
    }
    const template = parseMappingTemplate(text, file);
    return {
      ok: true,
      detail: `${template.id}: ${template.source.system} ${template.source.entity} → ${template.target.system} ${template.target.entity}`,
    };
  } catch (error) {
    if (error instanceof ConfigFileError)
      return { ok: false, detail: error.message.split('\n').slice(1).join('\n') };
    return { ok: false, detail: `  ${(error as Error).message}` };
  }
}

function loadTemplate(argument: string, configDir: string): MappingTemplate {
  const candidates = [
    argument,
    join(configDir, 'mappings', argument),
    join(configDir, 'mappings', `${argument}.yaml`),
  ];
  const file = candidates.find((candidate) => {
    try {
      return statSync(candidate).isFile();
    } catch {
      return false;
    }
  });
  if (!file)
    throw new Error(`no template "${argument}": not a file, and not in ${resolve(configDir, 'mappings')}`);
  return parseMappingTemplate(readFileSync(file, 'utf8'), file);
}

function readJson(file: string): unknown {
  const text = readFileSync(file, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`${file} is not JSON: ${(error as Error).message}`);
  }
}

function printPreview(template: MappingTemplate, result: MappingResult): void {
  const subject = result.recordId ? `record ${result.recordId}` : 'the sample record';
  console.log(
    `${template.id}  ${template.source.system} ${template.source.entity} → ${template.target.system} ${template.target.entity}`,
  );
  if (result.outcome === 'skipped') {
    console.log(`\nSKIPPED ${subject}: ${result.reason}`);
    return;
  }
  if (result.outcome === 'rejected') {
    console.log(
      `\nREJECTED ${subject} (${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}):`,
    );
    for (const problem of result.problems) console.log(`  - ${problem.message}`);
  } else {
    console.log('\nOutput:');
    console.log(indent(JSON.stringify(result.record, null, 2)));
  }
  console.log('\nFields:');
  printTrace(result.trace);
  if (result.warnings.length > 0) {
    console.log('\nWarnings:');
    for (const warning of result.warnings) console.log(`  - ${warning.message}`);
  }
  if (result.outcome === 'mapped') {
    if (result.quarantined.length > 0) {
      console.log('\nQuarantined (left out and flagged; the record syncs without them, ADR 0135):');
      for (const q of result.quarantined)
        console.log(
          `  - ${q.field}: ${q.rule}, ${q.reason}${q.sourceField ? ` (from ${q.sourceField})` : ''}`,
        );
    }
    if (result.unmappedSourceFields.length > 0)
      console.log(`\nSource fields no rule used: ${result.unmappedSourceFields.join(', ')}`);
    if (template.target.entity === 'CustomerObservation') {
      try {
        parseCustomerObservation(result.record);
        console.log('\nThe output is a valid canonical CustomerObservation.');
      } catch (error) {
        if (!(error instanceof InvalidCustomerObservationError)) throw error;
        console.log('\nThe output is NOT a valid canonical CustomerObservation:');
        for (const problem of error.problems) console.log(`  - ${problem}`);
        process.exitCode = 1;
      }
    }
  }
}

function printTrace(trace: readonly FieldTrace[]): void {
  const width = Math.min(40, Math.max(...trace.map((entry) => entry.field.length), 5));
  for (const entry of trace) {
    const value = entry.value === undefined ? '' : ` = ${JSON.stringify(entry.value)}`;
    const outcome = entry.outcome === 'set' ? '' : ` [${entry.outcome}]`;
    console.log(
      `  ${entry.field.padEnd(width)}  ${entry.rule}${outcome}${value}${entry.note ? `  — ${entry.note}` : ''}`,
    );
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
