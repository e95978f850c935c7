import { apiKeyLine, createApiKey, isRole, ROLES, type Role } from '@pardot-x3/access';
import { LocalStack } from '@pardot-x3/local-stack';
import { localOperatorKey } from '@pardot-x3/local-pipeline';
import { Command, InvalidArgumentError } from 'commander';

/** `./pardot-x3 access`: API keys of the services' HTTP APIs (docs/security.md). */
export function accessCommand(): Command {
  const access = new Command('access').description(
    "who may call the services' HTTP APIs: API keys for machines (people use OIDC tokens); see docs/security.md",
  );
  const key = access
    .command('key')
    .description('API keys (X-API-Key), listed by services as name:role:sha256');
  key
    .command('create')
    .description(
      'a new random API key: prints the key once (stdout) and the line to add to PX3_API_KEYS_FILE (stderr); the key is stored nowhere',
    )
    .requiredOption('--name <name>', 'who uses it, e.g. ci, salesforce-flow, grafana')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`, parseRole)
    .action((options: { name: string; role: Role }) => {
      const created = createApiKey();
      const line = apiKeyLine(options.name, options.role, created);
      console.log(created);
      console.error(
        [
          '',
          `API key "${options.name}" (role ${options.role}) printed above: store it in the caller's secret store now, it is not kept.`,
          'Add this line to the file PX3_API_KEYS_FILE names (or the PX3_API_KEYS list) of every service it calls:',
          '',
          `  ${line}`,
          '',
          `The caller sends it as a header: X-API-Key: <key>`,
        ].join('\n'),
      );
    });
  key
    .command('local')
    .description(
      'the local operator key that `demo` and `services up` use (created on first use under the stack folder, mode 0600)',
    )
    .action(() => {
      const local = localOperatorKey(new LocalStack().config.homeDir);
      console.log(local.key);
      console.error(
        `(${local.file}; services on local defaults accept it as ${local.apiKeys.split(':')[0]}, role operator)`,
      );
    });
  return access;
}

function parseRole(value: string): Role {
  if (!isRole(value)) throw new InvalidArgumentError(`the role is one of ${ROLES.join(', ')}`);
  return value;
}
