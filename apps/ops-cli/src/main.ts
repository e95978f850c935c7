#!/usr/bin/env node
import { Command } from 'commander';
import { accessCommand } from './commands/access.command.js';
import { benchCommand } from './commands/bench.command.js';
import { chaosCommand } from './commands/chaos.command.js';
import { configCommand } from './commands/config.command.js';
import { demoCommand } from './commands/demo.command.js';
import { dbCommand } from './commands/db.command.js';
import { depsCommand } from './commands/deps.command.js';
import { dlqCommand } from './commands/dlq.command.js';
import { mappingCommand } from './commands/mapping.command.js';
import { pardotCommand } from './commands/pardot.command.js';
import { replayCommand } from './commands/replay.command.js';
import { sandboxesCommand } from './commands/sandboxes.command.js';
import { schemasCommand } from './commands/schemas.command.js';
import { servicesCommand } from './commands/services.command.js';
import { stackCommand } from './commands/stack.command.js';
import { testCommand } from './commands/test.command.js';
import { topicsCommand } from './commands/topics.command.js';

// kafkajs 2.2.4 on Node 24 warns about a negative timeout it sets itself (tulios/kafkajs#1751): harmless noise.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name !== 'TimeoutNegativeWarning') console.error(`${warning.name}: ${warning.message}`);
});

const program = new Command('pardot-x3')
  .description('pardot-x3 operations: local stack, tests, demo, topics, schemas, replay and mapping tools')
  .showHelpAfterError();

program.addCommand(demoCommand());
program.addCommand(stackCommand());
program.addCommand(sandboxesCommand());
program.addCommand(servicesCommand());
program.addCommand(testCommand());
program.addCommand(benchCommand());
program.addCommand(chaosCommand());
program.addCommand(mappingCommand());
program.addCommand(configCommand());
program.addCommand(topicsCommand());
program.addCommand(schemasCommand());
program.addCommand(dlqCommand());
program.addCommand(replayCommand());
program.addCommand(pardotCommand());
program.addCommand(dbCommand());
program.addCommand(depsCommand());
program.addCommand(accessCommand());

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
