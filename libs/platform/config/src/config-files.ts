import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';

/**
 * The folder of mapping templates and business policies (`config/` of the repository; the container
 * image carries it at /app/config, the Helm chart can replace it). Services read their files at boot.
 */
export const configDirectoryConfigSchema = z.object({
  PX3_CONFIG_DIR: z
    .string()
    .min(1)
    .default('config')
    .describe(
      'folder of the mapping templates and policies (config/), absolute or relative to the working directory',
    ),
});

export type ConfigDirectoryConfig = z.output<typeof configDirectoryConfigSchema>;

/** A file of the configuration folder, with the name its parse errors should point at (`config/…`). */
export interface ConfigFile {
  readonly text: string;
  /** The path as a user names it, e.g. `config/mappings/golden-to-x3-customer.yaml`. */
  readonly fileName: string;
}

/**
 * Reads `relativePath` (e.g. `mappings/golden-to-x3-customer.yaml`) from the configuration folder.
 * Throws with the full path when the file is missing, so a service refuses to start with a clear reason.
 */
export function readConfigFile(config: ConfigDirectoryConfig, relativePath: string): ConfigFile {
  const dir = isAbsolute(config.PX3_CONFIG_DIR) ? config.PX3_CONFIG_DIR : resolve(config.PX3_CONFIG_DIR);
  const path = join(dir, relativePath);
  try {
    return { text: readFileSync(path, 'utf8'), fileName: join(config.PX3_CONFIG_DIR, relativePath) };
  } catch (error) {
    throw new Error(
      `cannot read the configuration file ${path} (PX3_CONFIG_DIR=${config.PX3_CONFIG_DIR}): ${(error as Error).message}`,
      { cause: error },
    );
  }
}
