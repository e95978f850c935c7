export * from './deployment.constants.js';
export * from './deploy-tools.util.js';
export * from './helm-chart.util.js';
export * from './compose-project.util.js';
export * from './metric-contract.util.js';
export * from './service-config.util.js';
