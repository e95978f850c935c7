import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { readConfigFile, type ConfigDirectoryConfig } from '@pardot-x3/config';
import { MappingCatalog, parseMappingTemplate } from '@pardot-x3/mapping';

/** Every template file (`*.yaml`) of `<PX3_CONFIG_DIR>/mappings`, parsed; throws on the first invalid file. */
export function loadMappingCatalog(config: ConfigDirectoryConfig): MappingCatalog {
  const dir = resolve(config.PX3_CONFIG_DIR, 'mappings');
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.yaml'));
  } catch (error) {
    throw new Error(`cannot list the mapping templates in ${dir} (PX3_CONFIG_DIR=${config.PX3_CONFIG_DIR})`, {
      cause: error,
    });
  }
  return MappingCatalog.of(
    names.sort().map((name) => {
      const file = readConfigFile(config, `mappings/${name}`);
      return parseMappingTemplate(file.text, file.fileName);
    }),
  );
}
